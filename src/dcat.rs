//! `export --format dcat`: a DCAT-AP 3 description of the graph for data
//! portals (Turtle): a `dcat:Catalog` holding one `dcat:Dataset` with its
//! title, description, publisher, languages (EU Publications Office language
//! authority), themes, the source documents it was derived from, one
//! `dcat:Distribution` per RDF export format (IANA media type and EU file
//! type) and, when the SPARQL endpoint is known, a `dcat:DataService`.
//!
//! Licence: CC BY 4.0, as the EU authority IRI
//! `http://publications.europa.eu/resource/authority/licence/CC_BY_4_0`: the
//! graph is derived from EU documents, which the Commission reuse policy
//! (Decision 2011/833/EU, and CC BY 4.0 since 2019) lets anyone reuse with
//! attribution; the graph is published on the same terms.
//!
//! Dates: `dcterms:issued` and `dcterms:modified` are the time of the build
//! that made the store (its manifest's `built_unix`): each build makes the
//! whole graph anew, so each build is a new issue of the dataset.

use std::collections::BTreeSet;
use std::io::Write;
use std::time::SystemTime;

use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxigraph::sparql::QueryResults;

use crate::error::{Error, Result};
use crate::format::{FORMATS, Format, FormatKind};
use crate::query;
use crate::store::Store;
use crate::vocab::{DCTERMS, EU_AUTHORITY, ID, PG, PROV};

pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const IANA: &str = "https://www.iana.org/assignments/media-types/";
/// The licence of the published graph (EU licence authority table).
pub const LICENCE: &str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0";

/// Where the published graph can be reached; DCAT-AP needs an access URL for
/// every distribution, so at least one of the two must be given.
#[derive(Debug, Clone, Default)]
pub struct DcatOptions {
    /// URL of the SPARQL endpoint (`policygraph serve`'s `/query`); the
    /// distributions are then the server's Graph Store reads (`/store`).
    pub endpoint: Option<String>,
    /// Base URL where the export files are published (`policygraph.nq`, …).
    pub download_url: Option<String>,
    /// Name of the publisher (a `foaf:Agent`).
    pub publisher: Option<String>,
}

/// EU Publications Office file type of an export format.
fn file_type(format: &Format) -> Option<&'static str> {
    Some(match format.name {
        "nq" => "RDF_N_QUADS",
        "trig" => "RDF_TRIG",
        "ttl" => "RDF_TURTLE",
        "nt" => "RDF_N_TRIPLES",
        "rdfxml" => "RDF_XML",
        "jsonld" => "JSON_LD",
        _ => return None,
    })
}

/// Extension of the published export file of a format.
fn extension(format: &Format) -> &'static str {
    match format.name {
        "rdfxml" => "rdf",
        n => n,
    }
}

struct Triples(Vec<Triple>);

impl Triples {
    fn add(&mut self, s: &str, p: &str, o: impl Into<Term>) {
        self.0.push(Triple::new(
            NamedNode::new_unchecked(s),
            NamedNode::new_unchecked(p),
            o,
        ));
    }
    fn iri(&mut self, s: &str, p: &str, o: &str) {
        self.add(s, p, NamedNode::new_unchecked(o));
    }
    fn en(&mut self, s: &str, p: &str, text: &str) {
        self.add(
            s,
            p,
            Literal::new_language_tagged_literal_unchecked(text, "en"),
        );
    }
}

fn checked_url(flag: &str, url: &str) -> Result<String> {
    NamedNode::new(url)
        .map(|n| n.into_string())
        .map_err(|e| Error::Usage(format!("{flag} {url:?} is not an absolute URL: {e}")))
}

/// Single-column SELECT results as strings.
fn column(store: &Store, sparql: &str) -> Result<Vec<Term>> {
    let mut out = Vec::new();
    if let QueryResults::Solutions(rows) = query::run(store, sparql)? {
        for row in rows {
            let row = row.map_err(|e| Error::Query(e.to_string()))?;
            if let Some(t) = row.iter().next().map(|(_, t)| t.clone()) {
                out.push(t);
            }
        }
    }
    Ok(out)
}

fn count(store: &Store, sparql: &str) -> Result<usize> {
    Ok(column(store, sparql)?
        .first()
        .and_then(|t| match t {
            Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        })
        .unwrap_or(0))
}

/// `xsd:dateTime` (UTC, seconds) of a system time.
fn date_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Writes the DCAT-AP description of the store as Turtle; returns the number of triples.
pub fn write_dcat(store: &Store, options: &DcatOptions, out: &mut dyn Write) -> Result<usize> {
    let endpoint = options
        .endpoint
        .as_deref()
        .map(|u| checked_url("--endpoint", u))
        .transpose()?;
    let download = options
        .download_url
        .as_deref()
        .map(|u| checked_url("--download-url", u))
        .transpose()?;
    if endpoint.is_none() && download.is_none() {
        return Err(Error::Usage(
            "DCAT-AP needs an access URL for each distribution: give --endpoint URL (the SPARQL \
             endpoint of `policygraph serve`, e.g. http://localhost:7878/query) and/or \
             --download-url URL (where the export files are published)"
                .into(),
        ));
    }
    let pg = |l: &str| format!("{PG}{l}");
    let dcat = |l: &str| format!("{DCAT}{l}");
    let dct = |l: &str| format!("{DCTERMS}{l}");
    let catalog = format!("{ID}catalog");
    let dataset = format!("{ID}dataset");
    let publisher = format!("{ID}publisher");
    let issued = Literal::new_typed_literal(
        date_time(
            SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(store.manifest.built_unix),
        ),
        xsd::DATE_TIME,
    );

    let documents = column(
        store,
        &format!(
            "SELECT DISTINCT ?d WHERE {{ ?d a <{}> }} ORDER BY ?d",
            pg("SourceDocument")
        ),
    )?;
    let mut languages: BTreeSet<String> = column(
        store,
        &format!(
            "SELECT DISTINCT ?l WHERE {{ ?d a <{}> ; <{}> ?l }}",
            pg("SourceDocument"),
            pg("languageAuthority")
        ),
    )?
    .into_iter()
    .filter_map(|t| match t {
        Term::NamedNode(n) => Some(n.into_string()),
        _ => None,
    })
    .collect();
    // Entity labels are English.
    languages.insert(format!("{EU_AUTHORITY}language/ENG"));
    let entities = count(
        store,
        &format!(
            "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{}> {{ ?e a ?c }} }}",
            crate::vocab::entities_graph()
        ),
    )?;
    let facts = count(
        store,
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a rdf:Statement }",
    )?;

    let mut g = Triples(Vec::new());
    // Catalogue.
    g.iri(&catalog, rdf::TYPE.as_str(), &dcat("Catalog"));
    g.en(&catalog, &dct("title"), "policygraph catalogue");
    g.en(
        &catalog,
        &dct("description"),
        "Knowledge graphs of EU digital diplomacy built by policygraph from EU policy documents.",
    );
    g.iri(&catalog, &dct("publisher"), &publisher);
    g.iri(&catalog, &dcat("dataset"), &dataset);
    g.iri(&catalog, &dct("license"), LICENCE);
    g.add(&catalog, &dct("modified"), issued.clone());
    // Publisher.
    g.iri(&publisher, rdf::TYPE.as_str(), &format!("{FOAF}Agent"));
    g.add(
        &publisher,
        &format!("{FOAF}name"),
        Literal::new_simple_literal(options.publisher.as_deref().unwrap_or("policygraph")),
    );
    // Dataset.
    g.iri(&dataset, rdf::TYPE.as_str(), &dcat("Dataset"));
    g.en(
        &dataset,
        &dct("title"),
        "EU digital diplomacy knowledge graph",
    );
    g.en(
        &dataset,
        &dct("description"),
        &format!(
            "Who the EU partners with and under which framework, which fora it works in, which \
             initiatives and cables it funds, who reports to whom and which documents cite which, \
             extracted by policygraph from {} policy document(s): {entities} entities and {facts} \
             relation facts, each with evidence (a Web Annotation of the sentence that states it). \
             One named graph per source document, one for the entities, one for the ontology.",
            documents.len()
        ),
    );
    g.iri(&dataset, &dct("publisher"), &publisher);
    g.add(&dataset, &dct("issued"), issued.clone());
    g.add(&dataset, &dct("modified"), issued.clone());
    g.iri(
        &dataset,
        &dct("conformsTo"),
        "https://w3id.org/policygraph/ontology",
    );
    for theme in ["INTR", "TECH"] {
        g.iri(
            &dataset,
            &dcat("theme"),
            &format!("{EU_AUTHORITY}data-theme/{theme}"),
        );
    }
    for k in [
        "digital diplomacy",
        "EU external relations",
        "knowledge graph",
    ] {
        g.en(&dataset, &dcat("keyword"), k);
    }
    for l in &languages {
        g.iri(&dataset, &dct("language"), l);
    }
    for d in &documents {
        if let Term::NamedNode(d) = d {
            g.iri(&dataset, &format!("{PROV}wasDerivedFrom"), d.as_str());
        }
    }
    // Distributions: one per RDF export format.
    let base = endpoint.as_deref().map(|e| {
        e.trim_end_matches('/')
            .trim_end_matches("/query")
            .trim_end_matches("/sparql")
            .to_string()
    });
    for f in FORMATS {
        let (FormatKind::Rdf(rdf_format), Some(code)) = (f.kind, file_type(f)) else {
            continue;
        };
        let dist = format!("{ID}dataset-{}", f.name);
        g.iri(&dataset, &dcat("distribution"), &dist);
        g.iri(&dist, rdf::TYPE.as_str(), &dcat("Distribution"));
        let scope = if f.is_dataset() {
            "all named graphs"
        } else {
            "the union of the named graphs"
        };
        g.en(
            &dist,
            &dct("title"),
            &format!("{} ({scope})", rdf_format.name()),
        );
        g.iri(
            &dist,
            &dcat("mediaType"),
            &format!("{IANA}{}", f.media_type),
        );
        g.iri(
            &dist,
            &dct("format"),
            &format!("{EU_AUTHORITY}file-type/{code}"),
        );
        g.iri(&dist, &dct("license"), LICENCE);
        g.add(&dist, &dct("modified"), issued.clone());
        if let Some(base) = &download {
            let sep = if base.ends_with('/') { "" } else { "/" };
            let file = format!("{base}{sep}policygraph.{}", extension(f));
            g.iri(&dist, &dcat("accessURL"), base);
            g.iri(&dist, &dcat("downloadURL"), &file);
        }
        if let Some(base) = &base {
            let store_url = format!("{base}/store");
            let query = if f.is_dataset() { "?" } else { "?default&" };
            g.iri(&dist, &dcat("accessURL"), &store_url);
            g.iri(
                &dist,
                &dcat("accessService"),
                &format!("{ID}sparql-endpoint"),
            );
            if download.is_none() {
                g.iri(
                    &dist,
                    &dcat("downloadURL"),
                    &format!("{store_url}{query}format={}", f.name),
                );
            }
        }
    }
    // The SPARQL endpoint.
    if let Some(endpoint) = &endpoint {
        let service = format!("{ID}sparql-endpoint");
        g.iri(&catalog, &dcat("service"), &service);
        g.iri(&service, rdf::TYPE.as_str(), &dcat("DataService"));
        g.en(&service, &dct("title"), "policygraph SPARQL endpoint");
        g.iri(&service, &dcat("endpointURL"), endpoint);
        g.iri(&service, &dcat("servesDataset"), &dataset);
        g.iri(
            &service,
            &dct("conformsTo"),
            "https://www.w3.org/TR/sparql11-protocol/",
        );
        g.iri(&service, &dct("license"), LICENCE);
        g.iri(&service, &dct("publisher"), &publisher);
    }

    let io = |e: std::io::Error| Error::Other(format!("writing DCAT: {e}"));
    let mut ser = crate::format::rdf_serializer(RdfFormat::Turtle)?
        .with_prefix("dcat", DCAT)
        .and_then(|s| s.with_prefix("foaf", FOAF))
        .map_err(|e| Error::Other(e.to_string()))?
        .for_writer(out);
    // Grouped by subject (catalogue, dataset, distributions, …) for Turtle.
    let mut order: Vec<String> = Vec::new();
    for t in &g.0 {
        let s = t.subject.to_string();
        if !order.contains(&s) {
            order.push(s);
        }
    }
    for s in &order {
        for t in g.0.iter().filter(|t| t.subject.to_string() == *s) {
            ser.serialize_triple(t).map_err(io)?;
        }
    }
    ser.finish().map_err(io)?;
    Ok(g.0.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn date_times_are_utc_calendar_dates() {
        let at = |s: u64| date_time(SystemTime::UNIX_EPOCH + Duration::from_secs(s));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(at(1_763_647_199), "2025-11-20T13:59:59Z");
    }
}

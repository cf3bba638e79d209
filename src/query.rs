//! SPARQL queries on the store: parsing with the default graph as the union of
//! all named graphs, saved queries by name, and result output as a table or in
//! any SPARQL results or RDF format.

use std::io::Write;
use std::path::Path;

use oxigraph::model::Term;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};

use crate::error::{Error, Result};
use crate::format::{Format, FormatKind};
use crate::store::Store;
use crate::vocab::PREFIXES;

/// Looks up a saved query: `queries/NAME.rq` in the current directory, else the
/// copy embedded in the binary.
pub fn saved_query(name: &str) -> Option<String> {
    let local = Path::new("queries").join(format!("{name}.rq"));
    if let Ok(text) = std::fs::read_to_string(local) {
        return Some(text);
    }
    crate::ontology::embedded_queries()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
}

/// Names of the saved queries with their first comment line.
pub fn saved_queries() -> Vec<(String, String)> {
    crate::ontology::embedded_queries()
        .map(|(n, t)| {
            let about = t
                .lines()
                .find_map(|l| l.strip_prefix('#'))
                .unwrap_or("")
                .trim()
                .to_string();
            (n.to_string(), about)
        })
        .collect()
}

/// Runs `text` on `store` with the union of all graphs as the default graph
/// (unless the query names its dataset) and our prefixes predeclared.
pub fn run<'a>(store: &'a Store, text: &str) -> Result<QueryResults<'a>> {
    let mut ev = SparqlEvaluator::new();
    for (p, iri) in PREFIXES {
        ev = ev
            .with_prefix(*p, *iri)
            .map_err(|e| Error::Query(e.to_string()))?;
    }
    let mut q = ev
        .parse_query(text)
        .map_err(|e| Error::Query(e.to_string()))?;
    if q.dataset().is_default_dataset() {
        q.dataset_mut().set_default_graph_as_union();
    }
    q.on_store(&store.inner)
        .execute()
        .map_err(|e| Error::Query(e.to_string()))
}

/// Writes query results in `format`; returns the number of rows or triples.
pub fn write_results(
    results: QueryResults<'_>,
    format: Format,
    out: &mut dyn Write,
) -> Result<usize> {
    let io = |e: std::io::Error| Error::Other(format!("writing results: {e}"));
    let q = |e: oxigraph::sparql::QueryEvaluationError| Error::Query(e.to_string());
    match results {
        QueryResults::Boolean(b) => match format.kind {
            FormatKind::Results(f) => {
                QueryResultsSerializer::from_format(f)
                    .serialize_boolean_to_writer(out, b)
                    .map_err(io)?;
                Ok(1)
            }
            _ => {
                writeln!(out, "{b}").map_err(io)?;
                Ok(1)
            }
        },
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            match format.kind {
                FormatKind::Results(f) => {
                    let mut w = QueryResultsSerializer::from_format(f)
                        .serialize_solutions_to_writer(out, vars)
                        .map_err(io)?;
                    let mut n = 0;
                    for s in solutions {
                        w.serialize(&s.map_err(q)?).map_err(io)?;
                        n += 1;
                    }
                    w.finish().map_err(io)?;
                    Ok(n)
                }
                FormatKind::Table => {
                    let mut rows: Vec<Vec<String>> = Vec::new();
                    for s in solutions {
                        let s = s.map_err(q)?;
                        rows.push(
                            vars.iter()
                                .map(|v| s.get(v).map(short).unwrap_or_default())
                                .collect(),
                        );
                    }
                    let header: Vec<String> = vars.iter().map(|v| v.as_str().to_string()).collect();
                    write_table(out, &header, &rows).map_err(io)?;
                    Ok(rows.len())
                }
                _ => Err(Error::Usage(format!(
                    "{} cannot hold SELECT results; use one of: {}",
                    format.name,
                    Format::names(|f| matches!(f.kind, FormatKind::Results(_) | FormatKind::Table))
                ))),
            }
        }
        QueryResults::Graph(triples) => match format.kind {
            FormatKind::Rdf(f) => {
                let mut w = crate::format::rdf_serializer(f)?.for_writer(out);
                let mut n = 0;
                for t in triples {
                    w.serialize_triple(&t.map_err(q)?).map_err(io)?;
                    n += 1;
                }
                w.finish().map_err(io)?;
                Ok(n)
            }
            _ => Err(Error::Usage(format!(
                "{} cannot hold CONSTRUCT/DESCRIBE results; use one of: {}",
                format.name,
                Format::names(|f| matches!(f.kind, FormatKind::Rdf(_)))
            ))),
        },
    }
}

/// A term written compactly for people: IRIs with a known prefix shortened,
/// literals without their datatype.
pub fn short(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            for (p, ns) in PREFIXES {
                if let Some(local) = iri.strip_prefix(ns) {
                    return format!("{p}:{local}");
                }
            }
            format!("<{iri}>")
        }
        Term::BlankNode(b) => format!("_:{}", b.as_str()),
        Term::Literal(l) => l.value().to_string(),
        #[allow(unreachable_patterns)]
        other => other.to_string(),
    }
}

/// Writes an aligned text table.
pub fn write_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    const MAX: usize = 80;
    let clip = |s: &str| -> String {
        let s = s.replace(['\n', '\t'], " ");
        if s.chars().count() > MAX {
            format!("{}…", s.chars().take(MAX - 1).collect::<String>())
        } else {
            s
        }
    };
    let header: Vec<String> = header.iter().map(|h| clip(h)).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| clip(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &[String]| -> std::io::Result<()> {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < cells.len() {
                s.push_str(&" ".repeat(widths[i] - c.chars().count()));
            }
        }
        writeln!(out, "{}", s.trim_end())
    };
    line(out, &header)?;
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(out, &rule)?;
    for r in &rows {
        line(out, r)?;
    }
    Ok(())
}

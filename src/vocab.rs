//! IRIs of the vocabularies the graph uses: our ontology (`pg:`) and the
//! standard ones it reuses (RDF, RDFS, SKOS, DCTERMS, PROV-O, Web Annotation, ELI).

/// Our ontology namespace.
pub const PG: &str = "https://w3id.org/policygraph/ontology#";
/// Namespace of everything the graph names: entities, documents, facts, evidence.
pub const ID: &str = "https://w3id.org/policygraph/id/";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const OA: &str = "http://www.w3.org/ns/oa#";
pub const ELI: &str = "http://data.europa.eu/eli/ontology#";
pub const ORG: &str = "http://www.w3.org/ns/org#";
/// EU Publications Office authority tables.
pub const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

/// Prefixes used when writing Turtle, TriG and SPARQL.
pub const PREFIXES: &[(&str, &str)] = &[
    ("pg", PG),
    ("id", ID),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("owl", OWL),
    ("skos", SKOS),
    ("dcterms", DCTERMS),
    ("prov", PROV),
    ("oa", OA),
    ("eli", ELI),
    ("org", ORG),
];

/// The SPARQL `PREFIX` lines for [`PREFIXES`].
pub fn sparql_prefixes() -> String {
    PREFIXES
        .iter()
        .map(|(p, iri)| format!("PREFIX {p}: <{iri}>\n"))
        .collect()
}

/// Named graph of the ontology.
pub fn ontology_graph() -> String {
    format!("{ID}graph/ontology")
}

/// Named graph of the facts read from the source document with key `key`.
pub fn document_graph(key: &str) -> String {
    format!("{ID}graph/{key}")
}

/// Named graph of the descriptions (labels, classes, links) of mentioned entities.
pub fn entities_graph() -> String {
    format!("{ID}graph/entities")
}

/// Code of an EU official language (ISO 639-1) in the EU Publications Office
/// language authority table (`…/authority/language/NLD`).
pub fn language_authority(code: &str) -> Option<&'static str> {
    Some(match code {
        "bg" => "BUL",
        "cs" => "CES",
        "da" => "DAN",
        "de" => "DEU",
        "el" => "ELL",
        "en" => "ENG",
        "es" => "SPA",
        "et" => "EST",
        "fi" => "FIN",
        "fr" => "FRA",
        "ga" => "GLE",
        "hr" => "HRV",
        "hu" => "HUN",
        "it" => "ITA",
        "lt" => "LIT",
        "lv" => "LAV",
        "mt" => "MLT",
        "nl" => "NLD",
        "pl" => "POL",
        "pt" => "POR",
        "ro" => "RON",
        "sk" => "SLK",
        "sl" => "SLV",
        "sv" => "SWE",
        _ => return None,
    })
}

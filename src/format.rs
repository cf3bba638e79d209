//! One table of output formats, shared by the command line and (later) the
//! HTTP server, as Oxigraph does: name, file extensions, media type.

use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a format serialises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatKind {
    /// An RDF serialisation (graphs or datasets).
    Rdf(RdfFormat),
    /// SPARQL SELECT/ASK results.
    Results(QueryResultsFormat),
    /// An aligned text table (SELECT results on a terminal).
    Table,
    /// Graphviz DOT.
    Dot,
    /// The DOT picture rendered by Graphviz `dot -T<this>` (svg, png).
    Image(&'static str),
    /// A DCAT-AP description of the dataset (Turtle), for data portals.
    Dcat,
}

/// One output format.
#[derive(Debug, Clone, Copy)]
pub struct Format {
    /// Name used with `--format`.
    pub name: &'static str,
    /// Other accepted names and file extensions.
    pub aliases: &'static [&'static str],
    pub media_type: &'static str,
    pub kind: FormatKind,
}

/// Every format, RDF first.
pub const FORMATS: &[Format] = &[
    Format {
        name: "ttl",
        aliases: &["turtle"],
        media_type: "text/turtle",
        kind: FormatKind::Rdf(RdfFormat::Turtle),
    },
    Format {
        name: "nt",
        aliases: &["ntriples", "n-triples"],
        media_type: "application/n-triples",
        kind: FormatKind::Rdf(RdfFormat::NTriples),
    },
    Format {
        name: "nq",
        aliases: &["nquads", "n-quads"],
        media_type: "application/n-quads",
        kind: FormatKind::Rdf(RdfFormat::NQuads),
    },
    Format {
        name: "trig",
        aliases: &[],
        media_type: "application/trig",
        kind: FormatKind::Rdf(RdfFormat::TriG),
    },
    Format {
        name: "rdfxml",
        aliases: &["rdf", "xml-rdf", "owl"],
        media_type: "application/rdf+xml",
        kind: FormatKind::Rdf(RdfFormat::RdfXml),
    },
    Format {
        name: "jsonld",
        aliases: &["json-ld"],
        media_type: "application/ld+json",
        kind: FormatKind::Rdf(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
    },
    Format {
        name: "dot",
        aliases: &["gv", "graphviz"],
        media_type: "text/vnd.graphviz",
        kind: FormatKind::Dot,
    },
    Format {
        name: "svg",
        aliases: &[],
        media_type: "image/svg+xml",
        kind: FormatKind::Image("svg"),
    },
    Format {
        name: "png",
        aliases: &[],
        media_type: "image/png",
        kind: FormatKind::Image("png"),
    },
    Format {
        name: "dcat",
        aliases: &["dcat-ap"],
        media_type: "text/turtle",
        kind: FormatKind::Dcat,
    },
    Format {
        name: "json",
        aliases: &["srj"],
        media_type: "application/sparql-results+json",
        kind: FormatKind::Results(QueryResultsFormat::Json),
    },
    Format {
        name: "xml",
        aliases: &["srx"],
        media_type: "application/sparql-results+xml",
        kind: FormatKind::Results(QueryResultsFormat::Xml),
    },
    Format {
        name: "csv",
        aliases: &[],
        media_type: "text/csv",
        kind: FormatKind::Results(QueryResultsFormat::Csv),
    },
    Format {
        name: "tsv",
        aliases: &[],
        media_type: "text/tab-separated-values",
        kind: FormatKind::Results(QueryResultsFormat::Tsv),
    },
    Format {
        name: "table",
        aliases: &["txt"],
        media_type: "text/plain",
        kind: FormatKind::Table,
    },
];

impl Format {
    /// The format with this name or alias (case-insensitive).
    pub fn by_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        FORMATS
            .iter()
            .find(|f| f.name == name || f.aliases.contains(&name.as_str()))
            .copied()
    }

    /// The format of a file, from its extension (`out.nq`, `graph.ttl`).
    pub fn by_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?;
        Format::by_name(ext)
    }

    /// Whether this format can hold named graphs.
    pub fn is_dataset(&self) -> bool {
        matches!(
            self.kind,
            FormatKind::Rdf(RdfFormat::NQuads | RdfFormat::TriG | RdfFormat::JsonLd { .. })
        )
    }

    /// Whether `export` writes this format.
    pub fn is_export(&self) -> bool {
        matches!(
            self.kind,
            FormatKind::Rdf(_) | FormatKind::Dot | FormatKind::Image(_) | FormatKind::Dcat
        )
    }

    /// Names of the formats of a kind, for error messages.
    pub fn names(pred: impl Fn(&Format) -> bool) -> String {
        FORMATS
            .iter()
            .filter(|f| pred(f))
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A serializer for `format` with our prefixes declared, for every RDF output
/// (exports, CONSTRUCT results, the server).
pub fn rdf_serializer(format: RdfFormat) -> crate::error::Result<oxigraph::io::RdfSerializer> {
    let mut ser = oxigraph::io::RdfSerializer::from_format(format);
    for (p, iri) in crate::vocab::PREFIXES {
        ser = ser
            .with_prefix(*p, *iri)
            .map_err(|e| crate::error::Error::Other(e.to_string()))?;
    }
    Ok(ser)
}

//! `validate`: checks the store (or any RDF file) against the SHACL shapes of
//! `ontology/shapes.ttl` (or a shapes file given) with [`crate::shacl`], and
//! prints one line per violation: focus node, path, constraint, message.

use std::io::Write;
use std::path::{Path, PathBuf};

use oxigraph::io::RdfParser;
use oxigraph::store::Store as OxStore;

use crate::error::{Error, Result};
use crate::format::{Format, FormatKind};
use crate::ontology::DataSource;
use crate::shacl::{Path as ShPath, Shapes, Violation, short};
use crate::store::Store;

/// What `validate` checks.
#[derive(Debug, Clone)]
pub enum Data {
    /// A store directory.
    Store(PathBuf),
    /// An RDF file (format from its extension); triples go to the default graph.
    File(PathBuf),
}

/// What `validate` is asked to do.
#[derive(Debug, Clone)]
pub struct ValidateConfig {
    pub data: Data,
    /// A shapes file (Turtle); the built-in `ontology/shapes.ttl` when `None`.
    pub shapes: Option<PathBuf>,
}

/// The outcome: the violations, and how much was checked.
#[derive(Debug, Clone)]
pub struct Report {
    pub violations: Vec<Violation>,
    pub shapes: usize,
    pub focus_nodes: usize,
}

/// Validates and returns the report (conforming when there is no violation).
pub fn validate(config: &ValidateConfig) -> Result<Report> {
    let (origin, text) = match &config.shapes {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?,
        ),
        None => {
            let (p, t) = DataSource::Embedded.file("shapes.ttl")?;
            (p.display().to_string(), t)
        }
    };
    let shapes = Shapes::parse(&text, &origin)?;
    let store = match &config.data {
        Data::Store(dir) => Store::open(dir)?.inner,
        Data::File(path) => load_file(path)?,
    };
    Ok(Report {
        violations: shapes.validate(&store)?,
        shapes: shapes.len(),
        focus_nodes: shapes.focus_count(&store)?,
    })
}

/// Loads an RDF file into a fresh in-memory store.
fn load_file(path: &Path) -> Result<OxStore> {
    let format = match Format::by_path(path).map(|f| f.kind) {
        Some(FormatKind::Rdf(f)) => f,
        _ => {
            return Err(Error::Usage(format!(
                "{}: cannot tell the RDF format from the extension; use one of: {}",
                path.display(),
                Format::names(|f| matches!(f.kind, FormatKind::Rdf(_)))
            )));
        }
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let store = OxStore::new().map_err(|e| Error::store(path, e))?;
    store
        .load_from_reader(
            RdfParser::from_format(format),
            std::io::BufReader::new(file),
        )
        .map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(store)
}

/// Writes the report: a tab-separated table of violations (focus, path,
/// constraint, message) or one line saying that the data conforms.
pub fn write_report(report: &Report, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Other(format!("writing output: {e}"));
    if report.violations.is_empty() {
        writeln!(
            out,
            "conforms: {} shapes, {} focus nodes checked",
            report.shapes, report.focus_nodes
        )
        .map_err(io)?;
        return Ok(());
    }
    writeln!(out, "focus\tpath\tconstraint\tmessage").map_err(io)?;
    for v in &report.violations {
        let path = match &v.path {
            None => String::new(),
            Some(ShPath::Predicate(p)) => short(&p.clone().into()),
            Some(ShPath::Inverse(p)) => format!("^{}", short(&p.clone().into())),
        };
        let severity = if v.severity == "Violation" {
            String::new()
        } else {
            format!("[{}] ", v.severity)
        };
        writeln!(
            out,
            "{}\t{path}\t{}\t{severity}{}",
            short(&v.focus),
            v.component.trim_end_matches("ConstraintComponent"),
            v.message
        )
        .map_err(io)?;
    }
    Ok(())
}

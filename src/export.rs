//! `export`: the whole store in one RDF format (datasets keep their named
//! graphs; triple formats get the union, without duplicates; JSON-LD is
//! compacted with the published context, see [`crate::jsonld`]), as a picture
//! (DOT, or SVG/PNG rendered by Graphviz) or as a DCAT-AP description.

use std::io::Write;
use std::path::PathBuf;

use oxigraph::io::RdfFormat;
use oxigraph::model::Triple;

use crate::dcat::{DcatOptions, write_dcat};
use crate::dot::{DotFilter, render, write_dot};
use crate::error::{Error, Result};
use crate::format::{Format, FormatKind};
use crate::ontology::DataSource;
use crate::store::{Store, write_atomic};

/// What `export` is asked to do.
#[derive(Debug, Clone)]
pub struct ExportConfig {
    pub store: PathBuf,
    pub format: Format,
    /// Output file (written atomically); standard output when `None`.
    pub output: Option<PathBuf>,
    pub filter: DotFilter,
    /// Access URLs and publisher of the DCAT description.
    pub dcat: DcatOptions,
}

/// Exports the store; returns the number of statements (or DOT edges) written.
pub fn export(config: &ExportConfig) -> Result<usize> {
    let store = Store::open(&config.store)?;
    let mut count = 0;
    let mut write = |out: &mut dyn Write| -> Result<()> {
        count = write_format(&store, config, out)?;
        Ok(())
    };
    match &config.output {
        Some(path) => write_atomic(path, |w| write(w))?,
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            write(&mut lock)?;
            lock.flush()
                .map_err(|e| Error::Other(format!("writing output: {e}")))?;
        }
    }
    Ok(count)
}

fn write_format(store: &Store, config: &ExportConfig, out: &mut dyn Write) -> Result<usize> {
    let io = |e: std::io::Error| Error::Other(format!("writing export: {e}"));
    let st = |e: oxigraph::store::StorageError| Error::store(&store.path, e);
    match config.format.kind {
        FormatKind::Dot => write_dot(store, &config.filter, out),
        FormatKind::Image(kind) => {
            let mut dot = Vec::new();
            let n = write_dot(store, &config.filter, &mut dot)?;
            render(&dot, kind, out)?;
            Ok(n)
        }
        FormatKind::Dcat => write_dcat(store, &config.dcat, out),
        FormatKind::Rdf(RdfFormat::JsonLd { .. }) => {
            let ctx = crate::jsonld::Context::load(&DataSource::Embedded)?;
            let quads = store
                .inner
                .iter()
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(st)?;
            crate::jsonld::write_jsonld(&ctx, &quads, out)
        }
        FormatKind::Rdf(f) => {
            let mut w = crate::format::rdf_serializer(f)?.for_writer(out);
            let mut n = 0;
            if config.format.is_dataset() {
                for q in store.inner.iter() {
                    w.serialize_quad(&q.map_err(st)?).map_err(io)?;
                    n += 1;
                }
            } else {
                let mut triples: Vec<Triple> = Vec::new();
                for q in store.inner.iter() {
                    triples.push(q.map_err(st)?.into());
                }
                triples.sort_by_cached_key(|t| t.to_string());
                triples.dedup();
                for t in &triples {
                    w.serialize_triple(t).map_err(io)?;
                }
                n = triples.len();
            }
            w.finish().map_err(io)?;
            Ok(n)
        }
        _ => Err(Error::Usage(format!(
            "cannot export as {}; use one of: {}",
            config.format.name,
            Format::names(Format::is_export)
        ))),
    }
}

//! Command-line arguments (clap) and their resolution into the configs the
//! library runs on. `main.rs` only calls [`run`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::dot::DotFilter;
use crate::error::{Error, Result};
use crate::export::{ExportConfig, export};
use crate::format::{Format, FormatKind};
use crate::ontology::DataSource;
use crate::pipeline::{BuildConfig, build};
use crate::query;
use crate::report;
use crate::store::Store;

/// Builds a knowledge graph of EU digital diplomacy from policy documents, with
/// evidence for every fact, and queries and exports it.
#[derive(Debug, Parser)]
#[command(name = "policygraph", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct StoreArg {
    /// Store directory.
    #[arg(long, env = "POLICYGRAPH_STORE", default_value = "policygraph-store")]
    pub store: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read .txt documents, extract entities and facts, and (re)write the store.
    Build {
        /// Files or directories (searched recursively for .txt files).
        #[arg(default_value = "seeds")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
        /// Fail on the first unreadable file instead of skipping it.
        #[arg(long)]
        strict: bool,
        /// Language of the documents (ISO 639-1), overriding detection.
        #[arg(long)]
        language: Option<String>,
        /// Read ontology/lexicon data from this directory instead of the built-in copy.
        #[arg(long, env = "POLICYGRAPH_ONTOLOGY")]
        ontology: Option<PathBuf>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Check every stored part whole (not only its end) before reusing
        /// it, and make damaged ones again from their documents.
        #[arg(long)]
        verify: bool,
    },
    /// Run a SPARQL 1.1 query: text, --file F, or the name of a saved query.
    Query {
        /// SPARQL text, or the name of a saved query (`queries/NAME.rq`).
        query: Option<String>,
        /// Read the query from a file.
        #[arg(long, short, conflicts_with = "query")]
        file: Option<PathBuf>,
        #[command(flatten)]
        store: StoreArg,
        /// Output format: table, csv, tsv, json, xml (SELECT/ASK); ttl, nt, nq,
        /// trig, rdfxml, jsonld (CONSTRUCT/DESCRIBE). Default: table on a
        /// terminal, tsv otherwise; ttl for graphs.
        #[arg(long)]
        format: Option<String>,
        /// List the saved queries.
        #[arg(long)]
        list: bool,
    },
    /// Export the whole graph in an RDF format or as a Graphviz DOT picture.
    Export {
        #[command(flatten)]
        store: StoreArg,
        /// ttl, nt, nq, trig, rdfxml, jsonld; dot, svg, png (picture); dcat (DCAT-AP
        /// description). Default: from -o's extension, else nq.
        #[arg(long)]
        format: Option<String>,
        /// Output file (standard output when absent).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// DOT: keep only nodes of these classes (repeatable).
        #[arg(long = "class")]
        classes: Vec<String>,
        /// DOT: keep only these predicates (repeatable; default all relations but
        /// mentions and cites).
        #[arg(long = "predicate")]
        predicates: Vec<String>,
        /// DOT: keep only facts from these documents (file name or stem; repeatable).
        #[arg(long = "document")]
        documents: Vec<String>,
        /// DCAT: URL of the SPARQL endpoint (`policygraph serve`'s /query).
        #[arg(long)]
        endpoint: Option<String>,
        /// DCAT: base URL where the export files are published.
        #[arg(long)]
        download_url: Option<String>,
        /// DCAT: name of the publisher.
        #[arg(long)]
        publisher: Option<String>,
    },
    /// Counts per class, predicate, rule and document.
    Stats {
        #[command(flatten)]
        store: StoreArg,
    },
    /// Show how a document is read: language, metadata and normalised paragraphs.
    Inspect {
        /// A .txt file.
        file: PathBuf,
        /// Language of the document (ISO 639-1), overriding detection.
        #[arg(long)]
        language: Option<String>,
    },
    /// What the graph knows about an entity (label, identifier or IRI), with evidence.
    Explain {
        /// Label, identifier or IRI of the entity.
        entity: String,
        #[command(flatten)]
        store: StoreArg,
    },
    /// Check the store (or an RDF file) against the SHACL shapes; print the
    /// violations (focus node, path, constraint, message); exit 1 if any.
    Validate {
        #[command(flatten)]
        store: StoreArg,
        /// Validate this RDF file (any format, from its extension) instead of the store.
        #[arg(long)]
        data: Option<PathBuf>,
        /// SHACL shapes (Turtle); default: the built-in ontology/shapes.ttl.
        #[arg(long)]
        shapes: Option<PathBuf>,
    },
    /// Serve the store read-only over HTTP: SPARQL 1.1 Protocol at /query (and
    /// /sparql), Graph Store Protocol reads at /store, a query page at /.
    Serve {
        #[command(flatten)]
        store: StoreArg,
        /// Address to listen on. Loopback by default; any other address lets
        /// other machines query the store (a warning is printed).
        #[arg(long, default_value = "127.0.0.1:7878")]
        bind: String,
        /// Largest request body accepted, in bytes; larger ones are answered 413.
        #[arg(long, default_value_t = 1 << 20, value_parser = clap::value_parser!(u64).range(1..))]
        max_body_bytes: u64,
        /// Longest a query may run, in seconds; it is then cancelled and answered 503.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
        timeout_seconds: u64,
        /// Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer; the
        /// rest is cut off and the answer carries the header `X-SPARQL-MaxRows: N`.
        #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
        max_results: u64,
    },
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let io = |e: std::io::Error| Error::Other(format!("writing output: {e}"));
    match cli.command {
        Command::Build {
            paths,
            store,
            strict,
            language,
            ontology,
            quiet,
            verify,
        } => {
            if let Some(l) = &language
                && crate::vocab::language_authority(l).is_none()
            {
                return Err(Error::Usage(format!(
                    "--language {l}: not an EU official language code (bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv)"
                )));
            }
            let config = BuildConfig {
                inputs: paths,
                store: store.store,
                strict,
                language,
                ontology: ontology.map(DataSource::Dir).unwrap_or_default(),
                verify,
            };
            let progress = crate::progress::Progress::for_stderr(quiet);
            let report = build(&config, &progress)?;
            for e in &report.skipped {
                eprintln!("policygraph: skipped {e}");
            }
            if !quiet {
                let secs = report.elapsed.as_secs_f64();
                writeln!(
                    out,
                    "built {}: {} documents ({} extracted, {} unchanged), {} entities, {} quads in {:.3} s ({:.1} MiB/s)",
                    config.store.display(),
                    report.documents,
                    report.extracted,
                    report.documents - report.extracted - report.kept,
                    report.entities,
                    report.quads,
                    secs,
                    report.bytes as f64 / (1024.0 * 1024.0) / secs.max(1e-9)
                )
                .map_err(io)?;
                for (p, n) in &report.facts {
                    writeln!(out, "  {p:<16}{n:>7}").map_err(io)?;
                }
            }
            if report.kept > 0 {
                eprintln!(
                    "policygraph: kept the previous graph of {} skipped file(s)",
                    report.kept
                );
            }
            if !report.skipped.is_empty() {
                return Err(Error::Other(format!(
                    "{} file(s) skipped (see above); the store holds the others",
                    report.skipped.len()
                )));
            }
            Ok(())
        }
        Command::Query {
            query: text,
            file,
            store,
            format,
            list,
        } => {
            if list {
                for (name, about) in query::saved_queries() {
                    writeln!(out, "{name:<28}{about}").map_err(io)?;
                }
                return Ok(());
            }
            let sparql = match (text, file) {
                (_, Some(f)) => std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?,
                (Some(t), None) => {
                    let looks_like_name = t
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                    if looks_like_name {
                        query::saved_query(&t).ok_or_else(|| {
                            Error::Usage(format!(
                                "no saved query {t:?} (see `policygraph query --list`)"
                            ))
                        })?
                    } else {
                        t
                    }
                }
                (None, None) => {
                    return Err(Error::Usage(
                        "give a query, --file F, or a saved query name (`--list` shows them)"
                            .into(),
                    ));
                }
            };
            let store = Store::open(&store.store)?;
            let results = query::run(&store, &sparql)?;
            let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
            let format = match format {
                Some(f) => Format::by_name(&f).ok_or_else(|| {
                    Error::Usage(format!(
                        "unknown format {f:?}; use one of: {}",
                        Format::names(|f| matches!(
                            f.kind,
                            FormatKind::Rdf(_) | FormatKind::Results(_) | FormatKind::Table
                        ))
                    ))
                })?,
                None if is_graph => Format::by_name("ttl").expect("ttl"),
                None if std::io::stdout().is_terminal() => Format::by_name("table").expect("table"),
                None => Format::by_name("tsv").expect("tsv"),
            };
            query::write_results(results, format, &mut out)?;
            Ok(())
        }
        Command::Export {
            store,
            format,
            output,
            classes,
            predicates,
            documents,
            endpoint,
            download_url,
            publisher,
        } => {
            let format = match (&format, &output) {
                (Some(f), _) => Format::by_name(f),
                (None, Some(o)) => Format::by_path(o),
                (None, None) => Format::by_name("nq"),
            }
            .filter(Format::is_export)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "unknown export format {:?}; use one of: {}",
                    format.clone().unwrap_or_else(|| output
                        .as_ref()
                        .map(|o| o.display().to_string())
                        .unwrap_or_default()),
                    Format::names(Format::is_export)
                ))
            })?;
            let n = export(&ExportConfig {
                store: store.store,
                format,
                output: output.clone(),
                filter: DotFilter {
                    classes,
                    predicates,
                    documents,
                },
                dcat: crate::dcat::DcatOptions {
                    endpoint,
                    download_url,
                    publisher,
                },
            })?;
            if let Some(o) = output {
                eprintln!("wrote {} ({n} statements, {})", o.display(), format.name);
            }
            Ok(())
        }
        Command::Inspect { file, language } => {
            let src = crate::document::source::read(&file)?;
            let key = crate::document::key_of(&file);
            let doc = crate::document::Document::read(src, key, language.as_deref());
            report::inspect(&doc, &mut out)
        }
        Command::Stats { store } => report::stats(&Store::open(&store.store)?, &mut out),
        Command::Explain { entity, store } => {
            report::explain(&Store::open(&store.store)?, &entity, &mut out)
        }
        Command::Validate {
            store,
            data,
            shapes,
        } => {
            let data = match data {
                Some(f) => crate::validate::Data::File(f),
                None => crate::validate::Data::Store(store.store),
            };
            let report =
                crate::validate::validate(&crate::validate::ValidateConfig { data, shapes })?;
            crate::validate::write_report(&report, &mut out)?;
            if report.violations.is_empty() {
                Ok(())
            } else {
                Err(Error::Other(format!(
                    "does not conform: {} violation(s)",
                    report.violations.len()
                )))
            }
        }
        Command::Serve {
            store,
            bind,
            max_body_bytes,
            timeout_seconds,
            max_results,
        } => crate::serve::serve(&crate::serve::ServeConfig {
            store: store.store,
            bind,
            max_body_bytes,
            timeout: std::time::Duration::from_secs(timeout_seconds),
            max_results: usize::try_from(max_results).unwrap_or(usize::MAX),
        }),
    }
}

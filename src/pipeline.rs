//! `build`: documents → paragraphs → facts → quads → store, in one pass, with
//! the store replaced atomically at the end (or not at all).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use oxigraph::model::Quad;
use rayon::prelude::*;

use crate::document::{Document, key_of, source};
use crate::error::{Error, Result};
use crate::extract::{Extraction, Extractor};
use crate::graph;
use crate::lexicon::Lexicon;
use crate::ontology::DataSource;
use crate::store::{Store, WriteLock};

/// What `build` is asked to do, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    pub inputs: Vec<PathBuf>,
    pub store: PathBuf,
    /// Stop at the first unreadable file instead of skipping it.
    pub strict: bool,
    /// Language of every input, overriding detection.
    pub language: Option<String>,
    pub ontology: DataSource,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub documents: usize,
    /// Files that could not be read, with why.
    pub skipped: Vec<Error>,
    pub entities: usize,
    pub facts: BTreeMap<&'static str, usize>,
    pub quads: usize,
    pub elapsed: Duration,
}

/// Reads, extracts and writes the store. Nothing is written unless everything
/// before the final atomic replace succeeded.
pub fn build(config: &BuildConfig) -> Result<BuildReport> {
    let started = Instant::now();
    let lock = WriteLock::acquire(&config.store)?;
    let lexicon = Lexicon::load(&config.ontology)?;
    let files = source::collect(&config.inputs)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no .txt files found in {}",
            config
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut report = BuildReport::default();
    // Read and normalise in parallel; results keep the order of `files`, so
    // the output does not depend on the number of threads.
    let sources: Vec<Result<source::SourceFile>> =
        files.par_iter().map(|p| source::read(p)).collect();
    let mut keys: BTreeSet<String> = BTreeSet::new();
    let mut inputs = Vec::new();
    for (path, src) in files.iter().zip(sources) {
        let src = match src {
            Ok(s) => s,
            Err(e) if !config.strict => {
                report.skipped.push(e);
                continue;
            }
            Err(e) => return Err(e),
        };
        let mut key = key_of(path);
        if keys.contains(&key) {
            key = format!("{key}-{}", &graph::short_hash(&path.to_string_lossy())[..8]);
        }
        keys.insert(key.clone());
        inputs.push((src, key));
    }
    let read: Vec<Document> = inputs
        .into_par_iter()
        .map(|(src, key)| Document::read(src, key, config.language.as_deref()))
        .collect();
    let languages: BTreeSet<String> = read.iter().map(|d| d.lang().to_string()).collect();
    let rules = crate::extract::rules::RuleSet::load_all(&config.ontology, Some(&languages))?;
    let extractor = Extractor::new(lexicon, rules)?;
    let extracted: Vec<Result<Extraction>> =
        read.par_iter().map(|d| extractor.extract(d)).collect();
    let mut docs: Vec<(Document, Extraction)> = Vec::new();
    for (doc, ex) in read.into_iter().zip(extracted) {
        docs.push((doc, ex?));
    }
    if docs.is_empty() {
        return Err(Error::Input {
            path: config.inputs.first().cloned().unwrap_or_default(),
            message: format!(
                "no readable document ({} skipped); the store was not changed",
                report.skipped.len()
            ),
        });
    }
    let mut quads: Vec<Quad> = graph::ontology_quads(&config.ontology)?;
    let per_doc: Vec<Vec<Quad>> = docs
        .par_iter()
        .map(|(doc, ex)| graph::document_quads(doc, ex))
        .collect();
    quads.extend(per_doc.into_iter().flatten());
    let extractions: Vec<&Extraction> = docs.iter().map(|(_, e)| e).collect();
    let entity_quads = graph::entity_quads(&extractor, &extractions);
    report.entities = entity_quads
        .iter()
        .filter(|q| q.predicate == oxigraph::model::vocab::rdf::TYPE)
        .count();
    quads.extend(entity_quads);
    quads.sort_by_cached_key(|q| q.to_string());
    quads.dedup();
    // Facts per predicate: distinct (s, p, o) asserted.
    let mut distinct: BTreeSet<(&str, &str, &str)> = BTreeSet::new();
    for (_, ex) in &docs {
        for f in &ex.facts {
            distinct.insert((f.predicate.local_name(), &f.subject, &f.object));
        }
    }
    for (p, _, _) in distinct {
        *report.facts.entry(p).or_default() += 1;
    }
    Store::replace(&config.store, &quads, &lock)?;
    report.documents = docs.len();
    report.quads = quads.len();
    report.elapsed = started.elapsed();
    Ok(report)
}

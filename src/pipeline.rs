//! `build`: documents → paragraphs → facts → quads → store.
//!
//! Documents stream through the worker threads: each reads, extracts and turns
//! into quads one document at a time and writes its graph as a part of the
//! store (see [`crate::store::part`]), so memory holds one document per
//! thread, not the corpus. A part is named by the hash
//! of the document's bytes, its key and path, the `--language` given and the
//! program and data that extract it: a document whose part already exists is
//! not extracted again (incremental build), and the result is the same quads a
//! full build gives. The new manifest replaces the old one at the end, in one
//! atomic step, or not at all.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::document::{Document, key_of, source};
use crate::error::{Error, Result};
use crate::extract::{CitedDocument, Extractor};
use crate::graph;
use crate::lexicon::Lexicon;
use crate::ontology::DataSource;
use crate::progress::Progress;
use crate::store::manifest::{DocumentEntry, FORMAT, Manifest};
use crate::store::part::{self, PartMeta};
use crate::store::{BACKEND, Store, WriteLock};

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
    /// Check every part found whole (its triples' hash) before reusing it,
    /// so that parts damaged at rest are made again.
    pub verify: bool,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub documents: usize,
    /// Documents read and extracted (the others' parts were unchanged).
    pub extracted: usize,
    /// Bytes of the source files.
    pub bytes: u64,
    /// Files that could not be read, with why.
    pub skipped: Vec<Error>,
    /// Skipped files whose graph from the previous build was kept.
    pub kept: usize,
    pub entities: usize,
    pub facts: BTreeMap<String, usize>,
    pub quads: usize,
    pub elapsed: Duration,
}

/// A hash of the program and of its data (`ontology/`): parts made by another
/// version, or with other rules or names, are not reused.
pub fn fingerprint(source: &DataSource) -> Result<String> {
    let mut pieces: Vec<Vec<u8>> = vec![
        env!("CARGO_PKG_VERSION").as_bytes().to_vec(),
        env!("POLICYGRAPH_CODE_HASH").as_bytes().to_vec(),
    ];
    for (path, text) in source.files("", "")? {
        pieces.push(path.to_string_lossy().as_bytes().to_vec());
        pieces.push(text.into_bytes());
    }
    let refs: Vec<&[u8]> = pieces.iter().map(Vec::as_slice).collect();
    Ok(part::id_of(&refs))
}

/// One input file with the key of its graph.
struct Input {
    path: PathBuf,
    key: String,
}

/// What became of one input file.
enum Outcome {
    Part {
        id: String,
        meta: PartMeta,
        extracted: bool,
        bytes: u64,
    },
    Unreadable(Error),
}

/// Reads, extracts and writes the store. The store's content changes only
/// when everything before the final atomic switch succeeded.
pub fn build(config: &BuildConfig, progress: &Progress) -> Result<BuildReport> {
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
    let fingerprint = fingerprint(&config.ontology)?;
    let previous = Manifest::read(&config.store).ok();
    // Parts the current manifest names were durable before it named them;
    // any other part found, and every part with `--verify`, is checked whole
    // before it is reused.
    let named: HashSet<String> = previous
        .iter()
        .flat_map(|m| m.parts().map(str::to_string))
        .collect();
    let check = |id: &str| {
        if named.contains(id) && !config.verify {
            part::Check::End
        } else {
            part::Check::Whole
        }
    };
    let extractor = Extractor::new(lexicon, &config.ontology)?;
    let inputs = keyed(files);
    progress.start(inputs.len());

    let mut report = BuildReport::default();
    let mut documents: Vec<DocumentEntry> = Vec::new();
    let mut metas: Vec<PartMeta> = Vec::new();
    // One parallel pass: each worker reads, extracts and writes one document
    // at a time, so memory holds one document per thread; `collect` keeps the
    // input order, so the manifest does not depend on the thread count.
    // What all parts add up to is gathered as they come, so that memory
    // does not hold every part's entities and fact hashes to the end.
    let totals = Mutex::new(Totals::default());
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .enumerate()
        .map(|(i, input)| {
            let mut outcome = process(input, config, &fingerprint, &extractor, &check)?;
            if let Outcome::Part { meta, .. } = &mut outcome {
                totals.lock().expect("totals").take(i, meta);
            }
            let bytes = match outcome {
                Outcome::Part { bytes, .. } => bytes,
                Outcome::Unreadable(e) if config.strict => return Err(e),
                Outcome::Unreadable(_) => 0,
            };
            progress.advance(1, bytes);
            Ok(outcome)
        })
        .collect::<Result<_>>()?;
    for (i, (input, outcome)) in inputs.iter().zip(outcomes).enumerate() {
        match outcome {
            Outcome::Part {
                id,
                meta,
                extracted,
                bytes,
            } => {
                report.extracted += usize::from(extracted);
                report.bytes += bytes;
                documents.push(DocumentEntry {
                    key: input.key.clone(),
                    source: input.path.to_string_lossy().into_owned(),
                    part: id,
                });
                metas.push(meta);
            }
            Outcome::Unreadable(e) => {
                // Nothing already stored is lost: the file's graph from
                // the previous build stays until the file is readable.
                if let Some((entry, mut meta)) =
                    kept_entry(previous.as_ref(), &config.store, input, &check)
                {
                    report.kept += 1;
                    documents.push(entry);
                    totals.lock().expect("totals").take(i, &mut meta);
                    metas.push(meta);
                }
                report.skipped.push(e);
            }
        }
    }
    progress.finish();
    if documents.is_empty() {
        return Err(Error::Input {
            path: config.inputs.first().cloned().unwrap_or_default(),
            message: format!(
                "no readable document ({} skipped); the store was not changed",
                report.skipped.len()
            ),
        });
    }

    // The entity graph describes what the documents' facts use.
    let totals = totals.into_inner().expect("totals");
    let (used, facts) = (totals.used, totals.facts);
    // Each cited document's forms in the order of the documents citing them.
    let cited: BTreeMap<String, Vec<CitedDocument>> = totals
        .cited
        .into_iter()
        .map(|(iri, forms)| {
            let mut forms: Vec<_> = forms.into_iter().map(|(c, at)| (at, c)).collect();
            forms.sort();
            (iri, forms.into_iter().map(|(_, c)| c).collect())
        })
        .collect();
    report.quads += metas.iter().map(|m| m.quads).sum::<usize>();
    let entity_quads = graph::entity_quads(&extractor, &used, &cited);
    let rdf_type = format!("> <{}> ", oxigraph::model::vocab::rdf::TYPE.as_str());
    report.entities = entity_quads
        .ntriples
        .lines()
        .filter(|l| l.contains(&rdf_type))
        .count();
    let entities = whole_part(&config.store, "entities", &entity_quads, &check)?;
    let ontology_quads = graph::ontology_quads(&config.ontology)?;
    let ontology = whole_part(&config.store, "ontology", &ontology_quads, &check)?;
    report.quads += entity_quads.quads + ontology_quads.quads;
    report.facts = facts.into_iter().map(|(p, h)| (p, h.len())).collect();

    let manifest = Manifest {
        format: FORMAT,
        backend: BACKEND.to_string(),
        built_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        fingerprint,
        ontology,
        entities,
        documents,
        db: None,
    };
    // What the parts' metas held is counted: their memory is not kept
    // through the store's load.
    report.documents = metas.len();
    drop((metas, used, cited));
    Store::commit(&config.store, manifest, &lock)?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// What the entity graph and the report need of all parts: the entities
/// their facts use, their facts' hashes by predicate, and the forms of each
/// cited document with where each was first seen (input, position), so that
/// the order in which parts come does not matter and memory holds each
/// distinct thing once, not once per document.
#[derive(Default)]
struct Totals {
    used: BTreeSet<String>,
    facts: BTreeMap<String, HashSet<u64>>,
    cited: BTreeMap<String, BTreeMap<CitedDocument, (usize, usize)>>,
}

impl Totals {
    /// Moves what `meta`, the part of input `input`, adds into the totals
    /// (what stays in `meta` is its counts).
    fn take(&mut self, input: usize, meta: &mut PartMeta) {
        self.used.extend(std::mem::take(&mut meta.used));
        for (p, hashes) in std::mem::take(&mut meta.facts) {
            self.facts.entry(p).or_default().extend(hashes);
        }
        for (k, c) in std::mem::take(&mut meta.cited).into_iter().enumerate() {
            let first = self
                .cited
                .entry(c.iri.clone())
                .or_default()
                .entry(c)
                .or_insert((input, k));
            *first = (*first).min((input, k));
        }
    }
}

/// Gives each file the key of its graph: its stem, made unique.
fn keyed(files: Vec<PathBuf>) -> Vec<Input> {
    let mut keys: HashSet<String> = HashSet::new();
    files
        .into_iter()
        .map(|path| {
            let mut key = key_of(&path);
            if keys.contains(&key) {
                key = format!("{key}-{}", &graph::short_hash(&path.to_string_lossy())[..8]);
            }
            keys.insert(key.clone());
            Input { path, key }
        })
        .collect()
}

/// The previous build's entry and part of `input`, when it had one.
fn kept_entry(
    previous: Option<&Manifest>,
    store: &Path,
    input: &Input,
    check: &dyn Fn(&str) -> part::Check,
) -> Option<(DocumentEntry, PartMeta)> {
    let source = input.path.to_string_lossy();
    let old = previous?
        .documents
        .iter()
        .find(|d| d.source == source && d.key == input.key)?;
    let meta = part::existing(store, &old.part, check(&old.part))?;
    Some((old.clone(), meta))
}

/// Reads one file and makes its part, unless a part of the same bytes, key,
/// path, language and program exists. Unreadable files are an outcome, not an
/// error, so that a non-strict build can go on; failing to write is an error.
fn process(
    input: &Input,
    config: &BuildConfig,
    fingerprint: &str,
    extractor: &Extractor,
    check: &dyn Fn(&str) -> part::Check,
) -> Result<Outcome> {
    let bytes = match source::read_bytes(&input.path) {
        Ok(b) => b,
        Err(e) => return Ok(Outcome::Unreadable(e)),
    };
    let size = bytes.len() as u64;
    let path = input.path.to_string_lossy();
    let id = part::id_of(&[
        fingerprint.as_bytes(),
        input.key.as_bytes(),
        path.as_bytes(),
        config.language.as_deref().unwrap_or("").as_bytes(),
        &bytes,
    ]);
    if let Some(meta) = part::existing(&config.store, &id, check(&id)) {
        return Ok(Outcome::Part {
            id,
            meta,
            extracted: false,
            bytes: size,
        });
    }
    let text = match source::decode(&bytes) {
        Ok(t) => t,
        Err(message) => {
            return Ok(Outcome::Unreadable(Error::Input {
                path: input.path.clone(),
                message,
            }));
        }
    };
    drop(bytes);
    let src = source::SourceFile {
        path: input.path.clone(),
        text,
    };
    let doc = Document::read(src, input.key.clone(), config.language.as_deref());
    let ex = extractor.extract(&doc)?;
    let name = crate::vocab::document_graph(&doc.key);
    let mut sink =
        graph::QuadSink::new(&name, part::PartWriter::create(&config.store, &id, &name)?);
    graph::document_quads(&doc, &ex, &mut sink);
    let (writer, quads) = sink
        .finish()
        .map_err(|e| Error::io(part::quads_path(&config.store, &id), e))?;
    let mut meta = PartMeta {
        key: doc.key.clone(),
        source: path.into_owned(),
        language: doc.lang().to_string(),
        quads,
        ..PartMeta::default()
    };
    let mut used = BTreeSet::new();
    let mut facts: BTreeMap<String, BTreeSet<u64>> = BTreeMap::new();
    for f in &ex.facts {
        used.insert(f.subject.clone());
        used.insert(f.object.clone());
        let p = f.predicate.local_name();
        facts
            .entry(p.to_string())
            .or_default()
            .insert(part::fact_hash(&f.subject, p, &f.object));
    }
    meta.used = used.into_iter().collect();
    meta.cited = ex.cited.clone();
    meta.facts = facts
        .into_iter()
        .map(|(p, h)| (p, h.into_iter().collect()))
        .collect();
    writer.commit(&meta)?;
    Ok(Outcome::Part {
        id,
        meta,
        extracted: true,
        bytes: size,
    })
}

/// Writes a part computed from the whole corpus (entities, ontology), named
/// by the hash of its content.
fn whole_part(
    store: &Path,
    name: &str,
    graph: &graph::Graph,
    check: &dyn Fn(&str) -> part::Check,
) -> Result<String> {
    let id = part::id_of(&[
        name.as_bytes(),
        graph.name.as_bytes(),
        graph.ntriples.as_bytes(),
    ]);
    if part::existing(store, &id, check(&id)).is_none() {
        let meta = PartMeta {
            key: name.to_string(),
            quads: graph.quads,
            ..PartMeta::default()
        };
        part::write(store, &id, graph, &meta)?;
    }
    Ok(id)
}

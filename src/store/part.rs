//! A `Part` of the store: one named graph (a source document's, the
//! entities', the ontology's) in `DIR/parts/`, named by a hash of everything
//! it was made from.
//!
//! `ID.nt.lz4` is an LZ4 frame (`lz4 -d` opens it) of a first line
//! `# graph <IRI>` naming the graph, then the graph's triples as N-Triples;
//! `ID.json` is its [`PartMeta`], written last.
//!
//! An unchanged document hashes to the same name in the next build, so it is
//! not read and extracted again (incremental builds); a build writes its new
//! parts beside the old ones and switches the manifest last, so a build killed
//! at any moment leaves the previous store whole.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use oxigraph::model::NamedNode;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::extract::CitedDocument;
use crate::graph::Graph;

/// What a build needs to know of a document's part without loading its quads:
/// the entities and cited documents its facts use (for the entity graph), and
/// its facts, hashed, for counting distinct facts over a corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PartMeta {
    pub key: String,
    pub source: String,
    pub language: String,
    pub quads: usize,
    /// Entity IRIs that facts of the document use as subject or object.
    pub used: Vec<String>,
    pub cited: Vec<CitedDocument>,
    /// Hash of each distinct fact (subject, predicate, object), by predicate.
    pub facts: BTreeMap<String, Vec<u64>>,
}

/// The folder of the parts of the store in `store`.
pub fn dir(store: &Path) -> PathBuf {
    store.join("parts")
}

/// The triples file of part `id`.
pub fn quads_path(store: &Path, id: &str) -> PathBuf {
    dir(store).join(format!("{id}.nt.lz4"))
}

/// First line of a part's triples: the graph they are in.
const GRAPH_LINE: &str = "# graph ";

fn meta_path(store: &Path, id: &str) -> PathBuf {
    dir(store).join(format!("{id}.json"))
}

/// The name of a part made from `pieces` (hashed with their lengths, so that
/// no two different lists of pieces give the same bytes).
pub fn id_of(pieces: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in pieces {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hash of one fact, for counting distinct facts.
pub fn fact_hash(subject: &str, predicate: &str, object: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(subject)
        .chain_update([0])
        .chain_update(predicate)
        .chain_update([0])
        .chain_update(object)
        .finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes"))
}

/// The meta of part `id` when the part is complete in `store` (its meta file
/// is written last); `None` when it must be made (again).
pub fn existing(store: &Path, id: &str) -> Option<PartMeta> {
    if !quads_path(store, id).is_file() {
        return None;
    }
    let text = std::fs::read(meta_path(store, id)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes part `id` from a graph held in memory.
pub fn write(store: &Path, id: &str, graph: &Graph, meta: &PartMeta) -> Result<()> {
    let mut w = PartWriter::create(store, id, &graph.name)?;
    w.write_all(graph.ntriples.as_bytes())
        .map_err(|e| Error::io(quads_path(store, id), e))?;
    w.commit(meta)
}

/// Writes a part as its triples come: an LZ4 frame into a temporary file;
/// [`PartWriter::commit`] makes it the part `id` and writes its meta (which
/// marks it complete). Dropped uncommitted, nothing is left.
pub struct PartWriter {
    store: PathBuf,
    id: String,
    lz4: lz4_flex::frame::FrameEncoder<super::TempFile>,
}

impl PartWriter {
    /// Starts part `id` of `store`, the triples of graph `graph`.
    pub fn create(store: &Path, id: &str, graph: &str) -> Result<PartWriter> {
        let folder = dir(store);
        if !folder.is_dir() {
            std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        }
        let path = quads_path(store, id);
        let mut lz4 = lz4_flex::frame::FrameEncoder::new(super::TempFile::create(&path)?);
        writeln!(lz4, "{GRAPH_LINE}<{graph}>").map_err(|e| Error::io(&path, e))?;
        Ok(PartWriter {
            store: store.to_path_buf(),
            id: id.to_string(),
            lz4,
        })
    }

    /// Ends the frame, syncs and renames the triples, then writes `meta`.
    pub fn commit(self, meta: &PartMeta) -> Result<()> {
        let path = quads_path(&self.store, &self.id);
        let file = self.lz4.finish().map_err(|e| Error::io(&path, e.into()))?;
        file.commit(false)?;
        let json = serde_json::to_vec(meta).map_err(|e| Error::Other(e.to_string()))?;
        super::write_file(&meta_path(&self.store, &self.id), &json, false)
    }
}

impl Write for PartWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lz4.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.lz4.flush()
    }
}

/// Opens part `id` for reading: the name of its graph and a reader of its
/// N-Triples.
pub fn open(store: &Path, id: &str) -> Result<(NamedNode, impl BufRead + use<>)> {
    let path = quads_path(store, id);
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut reader = BufReader::with_capacity(
        1 << 20,
        lz4_flex::frame::FrameDecoder::new(BufReader::new(file)),
    );
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| Error::io(&path, e))?;
    let graph = first
        .trim_end()
        .strip_prefix(GRAPH_LINE)
        .and_then(|g| g.strip_prefix('<'))
        .and_then(|g| g.strip_suffix('>'))
        .and_then(|g| NamedNode::new(g).ok())
        .ok_or_else(|| Error::Input {
            path: path.clone(),
            message: format!("not a part: its first line is not `{GRAPH_LINE}<IRI>`"),
        })?;
    Ok((graph, reader))
}

/// Removes every file of `parts/` whose part is not in `keep` (and temporary
/// files left by killed builds).
pub fn collect_garbage(store: &Path, keep: &std::collections::HashSet<&str>) {
    let Ok(entries) = std::fs::read_dir(dir(store)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let id = name.split('.').next().unwrap_or_default();
        if name.starts_with('.') || !keep.contains(id) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

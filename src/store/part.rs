//! A `Part` of the store: one named graph (a source document's, the
//! entities', the ontology's) in `DIR/parts/`, named by a hash of everything
//! it was made from.
//!
//! `ID.nt.lz4` is one file (`lz4 -dc` prints its triples):
//! 1. an LZ4 frame of a first line `# graph <IRI>` naming the graph, then the
//!    graph's triples as N-Triples;
//! 2. an LZ4 skippable frame holding the part's [`PartMeta`] as JSON;
//! 3. an LZ4 skippable frame of 24 bytes, written last: where the meta frame
//!    starts, a hash of the meta and a hash of the triples' frame. A part
//!    without a whole, matching end is incomplete (a killed build) and is made
//!    again; a part that no committed manifest names has its triples' hash
//!    checked too before it is reused (see [`Check`]).
//!
//! An unchanged document hashes to the same name in the next build, so it is
//! not read and extracted again (incremental builds); a build writes its new
//! parts beside the old ones and switches the manifest last, so a build killed
//! at any moment leaves the previous store whole. Parts are not synced one by
//! one: the build makes them durable at once before the manifest names them
//! ([`super::Store::commit`]).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
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

/// Magic number of the LZ4 skippable frame holding a part's meta.
const META_MAGIC: u32 = 0x184D_2A50;
/// Magic number of the LZ4 skippable frame ending a part.
const END_MAGIC: u32 = 0x184D_2A51;
/// Bytes of the end frame: magic, length (24), meta offset, meta hash,
/// triples hash.
const END_LEN: u64 = 32;

/// Hash of a part's meta JSON, kept in its end frame (the same hash as
/// [`Hashing`] gives of its triples).
fn meta_hash(json: &[u8]) -> u64 {
    twox_hash::XxHash3_128::oneshot(json) as u64
}

/// What a part's end frame says, once checked against the meta frame.
struct End {
    /// Where the meta frame starts: the length of the triples' frame.
    offset: u64,
    json: Vec<u8>,
    triples_hash: u64,
}

/// The end of a part, when it is whole: its end frame is there and points at
/// a meta frame that ends where the end frame starts and matches its hash.
fn read_end(file: &mut File) -> std::io::Result<Option<End>> {
    let len = file.metadata()?.len();
    if len < END_LEN + 8 {
        return Ok(None);
    }
    let mut end = [0u8; END_LEN as usize];
    file.seek(SeekFrom::Start(len - END_LEN))?;
    file.read_exact(&mut end)?;
    let word = |at: usize| u32::from_le_bytes(end[at..at + 4].try_into().expect("4 bytes"));
    let long = |at: usize| u64::from_le_bytes(end[at..at + 8].try_into().expect("8 bytes"));
    let (offset, hash, triples_hash) = (long(8), long(16), long(24));
    if word(0) != END_MAGIC || word(4) != 24 || offset > len - END_LEN - 8 {
        return Ok(None);
    }
    let mut header = [0u8; 8];
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(&mut header)?;
    let magic = u32::from_le_bytes(header[..4].try_into().expect("4 bytes"));
    let size = u64::from(u32::from_le_bytes(header[4..].try_into().expect("4 bytes")));
    if magic != META_MAGIC || offset + 8 + size + END_LEN != len {
        return Ok(None);
    }
    let mut json = vec![0u8; size as usize];
    file.read_exact(&mut json)?;
    Ok((meta_hash(&json) == hash).then_some(End {
        offset,
        json,
        triples_hash,
    }))
}

/// Hash of a part's triples' frame, its first `len` bytes, read again the
/// way [`PartWriter`] hashed them as it wrote them.
fn triples_hash(file: &mut File, len: u64) -> std::io::Result<u64> {
    file.rewind()?;
    let mut hashing = Hashing::new(std::io::sink());
    std::io::copy(&mut file.take(len), &mut hashing)?;
    Ok(hashing.hash())
}

/// How much of an existing part is read before it is reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Its end: enough for a part that a committed manifest names, since
    /// parts are durable before a manifest names them.
    End,
    /// Its end and the hash of its triples: for a part left by a build that
    /// did not finish, which a power cut may have torn anywhere (on file
    /// systems that do not order data before metadata).
    Whole,
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

/// The meta of part `id` when the part is whole in `store` (its end is
/// written last), checked as `check` says; `None` when it must be made
/// (again).
pub fn existing(store: &Path, id: &str, check: Check) -> Option<PartMeta> {
    let mut file = File::open(quads_path(store, id)).ok()?;
    let end = read_end(&mut file).ok()??;
    if check == Check::Whole && triples_hash(&mut file, end.offset).ok()? != end.triples_hash {
        return None;
    }
    serde_json::from_slice(&end.json).ok()
}

/// A writer that counts and hashes the bytes it passes on.
struct Hashing<W> {
    inner: W,
    hasher: twox_hash::XxHash3_128,
    written: u64,
}

impl<W> Hashing<W> {
    fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: twox_hash::XxHash3_128::new(),
            written: 0,
        }
    }

    /// The hash of what was written so far.
    fn hash(&self) -> u64 {
        self.hasher.finish_128() as u64
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.write(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes part `id` from a graph held in memory.
pub fn write(store: &Path, id: &str, graph: &Graph, meta: &PartMeta) -> Result<()> {
    let mut w = PartWriter::create(store, id, &graph.name)?;
    w.write_all(graph.ntriples.as_bytes())
        .map_err(|e| Error::io(quads_path(store, id), e))?;
    w.commit(meta)
}

/// Writes a part as its triples come: an LZ4 frame into a temporary file;
/// [`PartWriter::commit`] adds its meta and end and renames it to part `id`.
/// Dropped uncommitted, nothing is left.
pub struct PartWriter {
    store: PathBuf,
    id: String,
    lz4: lz4_flex::frame::FrameEncoder<Hashing<super::TempFile>>,
}

impl PartWriter {
    /// Starts part `id` of `store`, the triples of graph `graph`.
    pub fn create(store: &Path, id: &str, graph: &str) -> Result<PartWriter> {
        let folder = dir(store);
        if !folder.is_dir() {
            std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        }
        let path = quads_path(store, id);
        let mut lz4 =
            lz4_flex::frame::FrameEncoder::new(Hashing::new(super::TempFile::create(&path)?));
        writeln!(lz4, "{GRAPH_LINE}<{graph}>").map_err(|e| Error::io(&path, e))?;
        Ok(PartWriter {
            store: store.to_path_buf(),
            id: id.to_string(),
            lz4,
        })
    }

    /// Ends the triples' frame, appends `meta` and the end, and renames the
    /// file to its name (unsynced: see the module's doc).
    pub fn commit(self, meta: &PartMeta) -> Result<()> {
        let path = quads_path(&self.store, &self.id);
        let triples = self.lz4.finish().map_err(|e| Error::io(&path, e.into()))?;
        let (offset, hash) = (triples.written, triples.hash());
        let mut file = triples.inner;
        let json = serde_json::to_vec(meta).map_err(|e| Error::Other(e.to_string()))?;
        let size = u32::try_from(json.len()).map_err(|_| {
            Error::Other(format!("{}: meta of {} bytes", path.display(), json.len()))
        })?;
        let mut tail = Vec::with_capacity(json.len() + 8 + END_LEN as usize);
        tail.extend(META_MAGIC.to_le_bytes());
        tail.extend(size.to_le_bytes());
        tail.extend(&json);
        tail.extend(END_MAGIC.to_le_bytes());
        tail.extend(24u32.to_le_bytes());
        tail.extend(offset.to_le_bytes());
        tail.extend(meta_hash(&json).to_le_bytes());
        tail.extend(hash.to_le_bytes());
        file.write_all(&tail).map_err(|e| Error::io(&path, e))?;
        file.commit(super::Durability::Deferred)
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
    let mut file = File::open(&path).map_err(|e| Error::io(&path, e))?;
    let incomplete = || Error::Input {
        path: path.clone(),
        message: "incomplete part (no end frame); run `policygraph build` again".into(),
    };
    let offset = read_end(&mut file)
        .map_err(|e| Error::io(&path, e))?
        .ok_or_else(incomplete)?
        .offset;
    file.rewind().map_err(|e| Error::io(&path, e))?;
    // The triples' frame only: the LZ4 decoder does not skip the meta frame.
    let mut reader = BufReader::with_capacity(
        1 << 20,
        lz4_flex::frame::FrameDecoder::new(BufReader::new(file.take(offset))),
    );
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| damaged(&path, e))?;
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

/// The error of a part that cannot be read back (its LZ4 frame or its
/// N-Triples, damaged at rest), naming the way to make it again: a plain build
/// trusts the parts its manifest names by their end.
pub fn damaged(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::store(
        path,
        format!(
            "damaged part ({error}); `policygraph build --verify` makes it again from its document"
        ),
    )
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
        // Only `ID.nt.lz4` of a kept part stays: also files of older store
        // formats (`ID.json`) under a kept id go.
        let kept = name
            .strip_suffix(".nt.lz4")
            .is_some_and(|id| keep.contains(id));
        if !kept {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part is whole only with all of its bytes: cut anywhere, it is not
    /// taken as done; whole, its meta and triples read back.
    #[test]
    fn part_is_whole_only_with_its_end() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path();
        let graph = Graph {
            name: "https://example.org/g".into(),
            ntriples: "<https://example.org/s> <https://example.org/p> \"o\" .\n".repeat(50),
            quads: 50,
        };
        let meta = PartMeta {
            key: "k".into(),
            quads: 50,
            used: vec!["https://example.org/s".into()],
            ..PartMeta::default()
        };
        write(store, "p1", &graph, &meta).unwrap();
        let path = quads_path(store, "p1");
        let bytes = std::fs::read(&path).unwrap();
        let back = existing(store, "p1", Check::Whole).expect("a whole part");
        assert_eq!((back.key.as_str(), back.quads), ("k", 50));
        assert_eq!(back.used, meta.used);
        let (name, mut reader) = open(store, "p1").unwrap();
        assert_eq!(name.as_str(), graph.name);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, graph.ntriples);

        for cut in 0..bytes.len() {
            std::fs::write(&path, &bytes[..cut]).unwrap();
            assert!(existing(store, "p1", Check::End).is_none(), "cut at {cut}");
            assert!(open(store, "p1").is_err(), "cut at {cut}");
        }
        // A changed meta byte breaks its hash.
        let mut changed = bytes.clone();
        let at = bytes.len() - END_LEN as usize - 3;
        changed[at] ^= 1;
        std::fs::write(&path, &changed).unwrap();
        assert!(existing(store, "p1", Check::End).is_none());
        // A changed byte of the triples (a block torn by a power cut) is
        // found by the whole check only.
        let mut torn = bytes.clone();
        torn[40] ^= 0xff;
        std::fs::write(&path, &torn).unwrap();
        assert!(existing(store, "p1", Check::End).is_some());
        assert!(existing(store, "p1", Check::Whole).is_none());
    }
}

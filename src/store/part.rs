//! A `Part` of the store: the N-Quads of one named graph (a source document's,
//! the entities', the ontology's) in `DIR/parts/`, named by a hash of
//! everything it was made from.
//!
//! An unchanged document hashes to the same name in the next build, so it is
//! not read and extracted again (incremental builds); a build writes its new
//! parts beside the old ones and switches the manifest last, so a build killed
//! at any moment leaves the previous store whole.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::extract::CitedDocument;

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

/// The N-Quads file of part `id`.
pub fn quads_path(store: &Path, id: &str) -> PathBuf {
    dir(store).join(format!("{id}.nq"))
}

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

/// Writes part `id`: its quads, then its meta (which marks it complete). Each
/// file is written whole to a temporary name, synced and renamed.
pub fn write(store: &Path, id: &str, nquads: &[u8], meta: &PartMeta) -> Result<()> {
    let folder = dir(store);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let json = serde_json::to_vec(meta).map_err(|e| Error::Other(e.to_string()))?;
    super::write_file(&quads_path(store, id), nquads, false)?;
    super::write_file(&meta_path(store, id), &json, false)
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

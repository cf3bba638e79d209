//! The `Manifest`: the one file (`DIR/manifest.json`) that says what a store
//! holds: which parts, in which order, written by which backend and build.
//! It is replaced atomically at the end of a build, which is the moment the
//! new graph becomes the store's content.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Version of the store layout; a store of another version must be rebuilt.
pub const FORMAT: u32 = 4;

/// One source document of the store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DocumentEntry {
    pub key: String,
    /// The path it was read from.
    pub source: String,
    /// Its part (see `part`).
    pub part: String,
}

/// What the store holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub backend: String,
    /// When the build finished, in seconds since 1970 (UTC).
    pub built_unix: u64,
    /// The program and data that made the parts (see `pipeline::fingerprint`).
    pub fingerprint: String,
    pub ontology: String,
    pub entities: String,
    pub documents: Vec<DocumentEntry>,
    /// The RocksDB database folder (feature `rocksdb`).
    #[serde(default)]
    pub db: Option<String>,
}

fn path(dir: &Path) -> PathBuf {
    dir.join("manifest.json")
}

impl Manifest {
    /// Reads the manifest of the store in `dir`, with a clear error when there
    /// is no store, an older layout, or another backend's store.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let file = path(dir);
        let text = match std::fs::read(&file) {
            Ok(t) => t,
            Err(_) if dir.join("snapshot.nq").exists() || dir.join("CURRENT").exists() => {
                return Err(Error::store(
                    dir,
                    "written by an older policygraph (store format 1); run `policygraph build` again",
                ));
            }
            Err(_) => {
                return Err(Error::store(
                    dir,
                    "no store here (run `policygraph build` first, or pass --store DIR)",
                ));
            }
        };
        let m: Manifest = serde_json::from_slice(&text)
            .map_err(|e| Error::store(&file, format!("unreadable manifest: {e}")))?;
        if m.format != FORMAT {
            return Err(Error::store(
                dir,
                format!(
                    "store format {} but this policygraph reads format {FORMAT}; run `policygraph build` again",
                    m.format
                ),
            ));
        }
        if m.backend != super::BACKEND {
            return Err(Error::store(
                dir,
                format!(
                    "this store was written by the {:?} backend but this binary uses {:?} (rebuild it, or use the matching build)",
                    m.backend,
                    super::BACKEND
                ),
            ));
        }
        Ok(m)
    }

    /// Replaces the manifest of `dir` atomically (and durably).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| Error::Other(e.to_string()))?;
        super::write_file(&path(dir), &json)
    }

    /// Every part, in load order: ontology, documents, entities.
    pub fn parts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.ontology.as_str())
            .chain(self.documents.iter().map(|d| d.part.as_str()))
            .chain(std::iter::once(self.entities.as_str()))
    }
}

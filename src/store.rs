//! The `Store`: Oxigraph behind one interface for both builds.
//!
//! - Default build: Oxigraph's in-memory store, persisted as an N-Quads snapshot
//!   (`DIR/snapshot.nq`) written atomically (temporary file, fsync, rename,
//!   directory fsync) and bulk-loaded on open.
//! - Feature `rocksdb`: Oxigraph's RocksDB store. Each build writes a fresh
//!   database directory (`DIR/db-N`) and then atomically switches the `DIR/CURRENT`
//!   pointer to it, so a killed build leaves the previous store intact.
//!
//! Writers hold an exclusive lock on `DIR/lock`; a second writer gets a clear
//! "store is locked" error instead of corrupting the first one's work.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;
use oxigraph::store::Store as OxStore;

use crate::error::{Error, Result};

/// Name of the backend this binary was built with.
pub const BACKEND: &str = if cfg!(feature = "rocksdb") {
    "rocksdb"
} else {
    "memory"
};

/// An opened store.
pub struct Store {
    pub inner: OxStore,
    pub path: PathBuf,
}

/// An exclusive write lock on a store directory, released on drop.
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Takes the lock, or fails at once when another process holds it.
    pub fn acquire(dir: &Path) -> Result<WriteLock> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let path = dir.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::store(
                dir,
                "store is locked: another policygraph process is writing it",
            )),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }
}

fn marker(dir: &Path) -> PathBuf {
    dir.join("policygraph-store.toml")
}

/// Checks that `dir` holds a store of this binary's backend.
fn check_backend(dir: &Path) -> Result<()> {
    let path = marker(dir);
    let text = std::fs::read_to_string(&path).map_err(|_| {
        Error::store(
            dir,
            "no store here (run `policygraph build` first, or pass --store DIR)",
        )
    })?;
    let backend = text
        .lines()
        .find_map(|l| l.strip_prefix("backend = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_default();
    if backend != BACKEND {
        return Err(Error::store(
            dir,
            format!(
                "this store was written by the {backend:?} backend but this binary uses {BACKEND:?} (rebuild it, or use the matching build)"
            ),
        ));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: temporary file, fsync, rename, fsync dir.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        write(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

impl Store {
    /// Opens the store in `dir` for reading and querying.
    pub fn open(dir: &Path) -> Result<Store> {
        check_backend(dir)?;
        Ok(Store {
            inner: open_inner(dir)?,
            path: dir.to_path_buf(),
        })
    }

    /// Replaces the whole content of the store in `dir` with `quads`, atomically:
    /// readers and a later open see either the old or the new content, never a
    /// mixture; on error the old content is untouched.
    pub fn replace(dir: &Path, quads: &[Quad], _lock: &WriteLock) -> Result<()> {
        replace_inner(dir, quads)?;
        write_atomic(&marker(dir), |w| {
            writeln!(w, "# policygraph store; do not edit")
                .and_then(|_| writeln!(w, "backend = \"{BACKEND}\""))
                .and_then(|_| writeln!(w, "version = 1"))
                .map_err(|e| Error::io(marker(dir), e))
        })
    }

    /// Number of quads.
    pub fn len(&self) -> Result<usize> {
        self.inner
            .len()
            .map_err(|e| Error::store(&self.path, e.to_string()))
    }

    /// Whether the store holds no quad.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.len()? == 0)
    }
}

#[cfg(not(feature = "rocksdb"))]
fn snapshot(dir: &Path) -> PathBuf {
    dir.join("snapshot.nq")
}

#[cfg(not(feature = "rocksdb"))]
fn open_inner(dir: &Path) -> Result<OxStore> {
    use oxigraph::io::{RdfFormat, RdfParser};
    let path = snapshot(dir);
    let store = OxStore::new().map_err(|e| Error::store(dir, e))?;
    let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut loader = store.bulk_loader();
    loader
        .load_from_reader(
            RdfParser::from_format(RdfFormat::NQuads).lenient(),
            std::io::BufReader::with_capacity(1 << 20, file),
        )
        .map_err(|e| Error::store(&path, e))?;
    loader.commit().map_err(|e| Error::store(&path, e))?;
    Ok(store)
}

#[cfg(not(feature = "rocksdb"))]
fn replace_inner(dir: &Path, quads: &[Quad]) -> Result<()> {
    use oxigraph::io::{RdfFormat, RdfSerializer};
    let path = snapshot(dir);
    write_atomic(&path, |w| {
        let mut ser = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(w);
        for q in quads {
            ser.serialize_quad(q).map_err(|e| Error::io(&path, e))?;
        }
        ser.finish().map_err(|e| Error::io(&path, e))?;
        Ok(())
    })
}

#[cfg(feature = "rocksdb")]
fn current_db(dir: &Path) -> Result<PathBuf> {
    let pointer = dir.join("CURRENT");
    let name = std::fs::read_to_string(&pointer).map_err(|e| Error::io(&pointer, e))?;
    Ok(dir.join(name.trim()))
}

#[cfg(feature = "rocksdb")]
fn open_inner(dir: &Path) -> Result<OxStore> {
    let db = current_db(dir)?;
    OxStore::open_read_only(&db).map_err(|e| Error::store(&db, e))
}

#[cfg(feature = "rocksdb")]
fn replace_inner(dir: &Path, quads: &[Quad]) -> Result<()> {
    // Next generation number, from the existing db-N directories.
    let mut next = 1u64;
    for entry in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        if let Some(n) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.strip_prefix("db-"))
            .and_then(|n| n.parse::<u64>().ok())
        {
            next = next.max(n + 1);
        }
    }
    let name = format!("db-{next}");
    let db = dir.join(&name);
    let load = || -> Result<()> {
        let store = OxStore::open(&db).map_err(|e| Error::store(&db, e))?;
        let mut loader = store.bulk_loader();
        loader
            .load_quads(quads.iter().cloned())
            .map_err(|e| Error::store(&db, e))?;
        loader.commit().map_err(|e| Error::store(&db, e))?;
        store.flush().map_err(|e| Error::store(&db, e))?;
        Ok(())
    };
    if let Err(e) = load() {
        let _ = std::fs::remove_dir_all(&db);
        return Err(e);
    }
    write_atomic(&dir.join("CURRENT"), |w| {
        writeln!(w, "{name}").map_err(|e| Error::io(dir.join("CURRENT"), e))
    })?;
    // Old generations (and any left by killed builds) are no longer referenced.
    for entry in std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .flatten()
    {
        let n = entry.file_name();
        let n = n.to_string_lossy();
        if n.starts_with("db-") && n != name {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    Ok(())
}

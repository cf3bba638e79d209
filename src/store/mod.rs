//! The `Store`: Oxigraph behind one interface for both builds.
//!
//! A store folder holds `parts/` (the N-Quads of each graph, see [`part`]) and
//! `manifest.json` (which parts make the store, see [`manifest`]); a build
//! writes new parts, then replaces the manifest atomically.
//!
//! - Default build: Oxigraph's in-memory store, bulk-loaded from the parts on
//!   open.
//! - Feature `rocksdb`: Oxigraph's RocksDB store. Each build loads the parts into
//!   a fresh database folder (`DIR/db-N`) that the new manifest names, so a
//!   killed build leaves the previous store intact.
//!
//! Writers hold an exclusive lock on `DIR/lock`; a second writer gets a clear
//! "store is locked" error instead of corrupting the first one's work.

pub mod manifest;
pub mod part;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use oxigraph::store::Store as OxStore;

use crate::error::{Error, Result};
use manifest::Manifest;

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
    /// What the store holds and when it was built.
    pub manifest: Manifest,
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

/// Writes `path` atomically and durably: temporary file, fsync, rename, fsync
/// of the folder.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    write_whole(path, true, write)
}

/// Writes `bytes` to `path` whole or not at all; `sync_dir` as in
/// [`write_whole`].
pub fn write_file(path: &Path, bytes: &[u8], sync_dir: bool) -> Result<()> {
    write_whole(path, sync_dir, |w| {
        w.write_all(bytes).map_err(|e| Error::io(path, e))
    })
}

/// Writes `path` whole or not at all: temporary file, fsync, rename, and with
/// `sync_dir` an fsync of the folder, which makes the rename durable (parts
/// skip it: the folder's sync before the manifest is written covers them).
fn write_whole(
    path: &Path,
    sync_dir: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
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
        file.sync_data().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
        if sync_dir && let Ok(d) = File::open(dir) {
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
        let manifest = Manifest::read(dir)?;
        Ok(Store {
            inner: open_inner(dir, &manifest)?,
            path: dir.to_path_buf(),
            manifest,
        })
    }

    /// Makes `manifest` the content of the store in `dir`, atomically: readers
    /// and a later open see either the old or the new content, never a
    /// mixture; on error the old content is untouched. Parts and database
    /// folders no longer named are removed afterwards.
    pub fn commit(dir: &Path, mut manifest: Manifest, _lock: &WriteLock) -> Result<()> {
        // The parts' renames are durable before the manifest names them.
        if let Ok(folder) = File::open(part::dir(dir)) {
            let _ = folder.sync_all();
        }
        manifest.db = load_inner(dir, &manifest)?;
        manifest.write(dir)?;
        let keep: std::collections::HashSet<&str> = manifest.parts().collect();
        part::collect_garbage(dir, &keep);
        for entry in std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, e))?
            .flatten()
        {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stale_db = name.starts_with("db-") && Some(name.as_ref()) != manifest.db.as_deref();
            let legacy = matches!(
                name.as_ref(),
                "snapshot.nq" | "CURRENT" | "policygraph-store.toml"
            );
            if stale_db {
                let _ = std::fs::remove_dir_all(entry.path());
            } else if legacy || (name.starts_with('.') && name.ends_with(".tmp")) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        Ok(())
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

/// Bulk-loads every part of `manifest` into `store`.
fn load_parts(store: &OxStore, dir: &Path, manifest: &Manifest) -> Result<()> {
    use oxigraph::io::{RdfFormat, RdfParser};
    let mut loader = store.bulk_loader();
    for id in manifest.parts() {
        let path = part::quads_path(dir, id);
        let file = File::open(&path).map_err(|e| {
            Error::store(
                dir,
                format!(
                    "part {} is missing ({e}); run `policygraph build` again",
                    path.display()
                ),
            )
        })?;
        loader
            .load_from_reader(
                RdfParser::from_format(RdfFormat::NQuads),
                std::io::BufReader::with_capacity(1 << 20, file),
            )
            .map_err(|e| Error::store(&path, e))?;
    }
    loader.commit().map_err(|e| Error::store(dir, e))
}

#[cfg(not(feature = "rocksdb"))]
fn open_inner(dir: &Path, manifest: &Manifest) -> Result<OxStore> {
    let store = OxStore::new().map_err(|e| Error::store(dir, e))?;
    load_parts(&store, dir, manifest)?;
    Ok(store)
}

/// The in-memory store needs nothing at build time: it loads the parts on open.
#[cfg(not(feature = "rocksdb"))]
fn load_inner(_dir: &Path, _manifest: &Manifest) -> Result<Option<String>> {
    Ok(None)
}

#[cfg(feature = "rocksdb")]
fn open_inner(dir: &Path, manifest: &Manifest) -> Result<OxStore> {
    let name = manifest.db.as_deref().ok_or_else(|| {
        Error::store(
            dir,
            "manifest names no database; run `policygraph build` again",
        )
    })?;
    let db = dir.join(name);
    OxStore::open_read_only(&db).map_err(|e| Error::store(&db, e))
}

/// Loads the parts into a new database folder `db-N` and returns its name.
#[cfg(feature = "rocksdb")]
fn load_inner(dir: &Path, manifest: &Manifest) -> Result<Option<String>> {
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
        load_parts(&store, dir, manifest)?;
        store.flush().map_err(|e| Error::store(&db, e))?;
        Ok(())
    };
    if let Err(e) = load() {
        let _ = std::fs::remove_dir_all(&db);
        return Err(e);
    }
    Ok(Some(name))
}

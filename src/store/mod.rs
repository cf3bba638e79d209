//! The `Store`: Oxigraph behind one interface for both builds.
//!
//! A store folder holds `parts/` (the triples of each graph, see [`part`]) and
//! `manifest.json` (which parts make the store, see [`manifest`]); a build
//! writes new parts, then replaces the manifest atomically.
//!
//! - Default build: Oxigraph's in-memory store, bulk-loaded from the parts on
//!   open.
//! - Feature `rocksdb`: Oxigraph's RocksDB store. Each build makes a fresh
//!   database folder (`DIR/db-N`) that the new manifest names, so a killed
//!   build leaves the previous store intact: a checkpoint of the previous
//!   database with only the changed graphs removed and loaded, or, without
//!   one, every part loaded.
//!
//! Writers hold an exclusive lock on `DIR/lock`; a second writer gets a clear
//! "store is locked" error instead of corrupting the first one's work.

pub mod manifest;
pub mod part;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use oxigraph::model::Quad;
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
    let mut file = TempFile::create(path)?;
    write(&mut file)?;
    file.commit(Durability::Synced)
}

/// Writes `bytes` to `path` atomically and durably.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic(path, |w| w.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// When a [`TempFile`]'s content and name are made durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// At its commit: fsync of the file, rename, fsync of the folder.
    Synced,
    /// Later, with others, by [`sync_parts`]: a build writes thousands of
    /// parts, and one fsync each cost more than the rest of their writing.
    Deferred,
}

/// A file written under a temporary name in its folder and renamed to its
/// name by [`TempFile::commit`]; dropped uncommitted, it is removed.
pub struct TempFile {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<File>>,
}

impl TempFile {
    pub fn create(path: &Path) -> Result<TempFile> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            path.file_name().unwrap_or_default().to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(TempFile {
            path: path.to_path_buf(),
            tmp,
            out: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// The name the file gets.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file and renames it to its name, made durable as
    /// `durability` says.
    pub fn commit(mut self, durability: Durability) -> Result<()> {
        let Some(out) = self.out.take() else {
            return Ok(());
        };
        let file = out
            .into_inner()
            .map_err(|e| Error::io(&self.tmp, e.into_error()))?;
        if durability == Durability::Synced {
            file.sync_data().map_err(|e| Error::io(&self.tmp, e))?;
        }
        drop(file);
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::io(&self.path, e))?;
        if durability == Durability::Synced {
            sync_folder(self.path.parent().unwrap_or(Path::new(".")));
        }
        Ok(())
    }
}

/// Makes the renames of files in `dir` durable, where the system allows it:
/// folders cannot be opened on every system (Windows) nor synced on every
/// file system, and neither is an error of the write itself.
fn sync_folder(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Makes the parts `ids` of the store in `dir`, written with
/// [`Durability::Deferred`], durable with their names. On Linux one
/// `syncfs` of the store's file system does it for all; elsewhere each part
/// is synced.
fn sync_parts<'a>(dir: &Path, ids: impl IntoIterator<Item = &'a str>) -> Result<()> {
    let folder = part::dir(dir);
    #[cfg(target_os = "linux")]
    {
        let _ = ids;
        let f = File::open(&folder).map_err(|e| Error::io(&folder, e))?;
        rustix::fs::syncfs(&f).map_err(|e| Error::io(&folder, e.into()))?;
    }
    #[cfg(not(target_os = "linux"))]
    for id in ids {
        // Windows flushes only a file opened for writing.
        let path = part::quads_path(dir, id);
        File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.sync_all())
            .map_err(|e| Error::io(&path, e))?;
    }
    sync_folder(&folder);
    Ok(())
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.out {
            Some(out) => out.write(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
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
        // The parts are durable, with their names, before the manifest
        // names them.
        sync_parts(dir, manifest.parts())?;
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

/// Quads parsed ahead of the load, per message between the two threads of
/// [`load_parts`].
const PARSED_BATCH: usize = 4096;

/// Bulk-loads the parts `ids` of the store in `dir` into `store`, as one
/// stream of quads: Oxigraph's bulk loader cuts a stream into batches of a
/// million quads, and each call to it ends a batch, so loading part by part
/// made one batch (and, with RocksDB, one set of SST files held until the
/// commit) per document.
///
/// Reading the parts (LZ4, N-Triples) runs on a thread of its own, a few
/// batches ahead of the loader, which takes the quads on the calling thread
/// (the in-memory store inserts them there one at a time; RocksDB sorts
/// them there and writes its files on threads of its own).
fn load_parts<'a>(
    store: &OxStore,
    dir: &Path,
    ids: impl IntoIterator<Item = &'a str> + Send,
) -> Result<()> {
    // The in-memory store inserts quads one by one whatever the batch: small
    // batches spare it holding a million parsed quads at a time.
    #[cfg(not(feature = "rocksdb"))]
    let mut loader = store.bulk_loader().with_max_memory_size_in_megabytes(10);
    // RocksDB: batches of ~128k quads (the loader counts ~1 kB a quad), so
    // that a batch being parsed and two being written into SST files stay
    // some hundred MiB whatever the corpus; without atomicity each batch's
    // files go into the database as they are made, and RocksDB compacts them
    // while the load goes on. The database is a new folder that the manifest
    // names only once it is complete, so the build stays atomic.
    #[cfg(feature = "rocksdb")]
    let mut loader = store
        .bulk_loader()
        .with_max_memory_size_in_megabytes(256)
        .without_atomicity();
    // At most four batches wait: memory does not depend on the corpus.
    let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Quad>>(4);
    let (loaded, read) = std::thread::scope(|scope| -> Result<_> {
        let reader = std::thread::Builder::new()
            .name("store-parts".into())
            .spawn_scoped(scope, move || -> Result<()> {
                let mut batch = Vec::with_capacity(PARSED_BATCH);
                for quad in part_quads(dir, ids) {
                    batch.push(quad?);
                    if batch.len() == PARSED_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(PARSED_BATCH));
                        if batches.send(full).is_err() {
                            // The loader has stopped (a store error).
                            return Ok(());
                        }
                    }
                }
                if !batch.is_empty() {
                    let _ = batches.send(batch);
                }
                Ok(())
            })
            .map_err(|e| Error::io(dir, e))?;
        // The load ends when the reader does (its sender dropped); a store
        // error drops the receiver, which ends the reader at its next batch.
        let loaded = loader.load_quads(received.into_iter().flatten());
        let read = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((loaded, read))
    })?;
    // A part that could not be read is the error, before the store's: the
    // loader was given only the quads before it, which are not committed.
    read?;
    loaded.map_err(|e| Error::store(dir, e))?;
    loader.commit().map_err(|e| Error::store(dir, e))
}

/// The quads of the parts `ids` of the store in `dir`, part after part.
fn part_quads<'a>(
    dir: &Path,
    ids: impl IntoIterator<Item = &'a str>,
) -> impl Iterator<Item = Result<Quad>> {
    use oxigraph::io::{RdfFormat, RdfParser};
    ids.into_iter()
        .flat_map(move |id| -> Box<dyn Iterator<Item = Result<Quad>>> {
            let path = part::quads_path(dir, id);
            match part::open(dir, id) {
                Ok((graph, reader)) => Box::new(
                    // Parts are this program's own output, written from
                    // checked terms: their IRIs are not parsed again.
                    RdfParser::from_format(RdfFormat::NTriples)
                        .with_default_graph(graph)
                        .lenient()
                        .for_reader(reader)
                        .map(move |q| q.map_err(|e| part::damaged(&path, e))),
                ),
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                    Box::new(std::iter::once(Err(Error::store(
                        dir,
                        format!(
                            "part {} is missing ({source}); run `policygraph build` again",
                            path.display()
                        ),
                    ))))
                }
                Err(e) => Box::new(std::iter::once(Err(e))),
            }
        })
}

#[cfg(not(feature = "rocksdb"))]
fn open_inner(dir: &Path, manifest: &Manifest) -> Result<OxStore> {
    let store = OxStore::new().map_err(|e| Error::store(dir, e))?;
    load_parts(&store, dir, manifest.parts())?;
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

/// Makes the database of `manifest` in a new folder `db-N` and returns its
/// name. When the previous build's database is there, the new one starts as
/// its checkpoint (RocksDB hard-links its immutable files, so this is cheap
/// whatever its size), the graphs of parts no longer listed are removed and
/// only the new parts are loaded: a one-document change loads one document.
/// Otherwise every part is loaded. The previous database is never written, so
/// a killed build leaves it as the manifest still names it.
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
    let previous = Manifest::read(dir).ok().and_then(|m| {
        let old = dir.join(m.db.as_deref()?);
        (m.backend == BACKEND && old.is_dir()).then_some((m, old))
    });
    if let Some((old_manifest, old_db)) = &previous {
        match update_copy(dir, (old_manifest, old_db), manifest, &db) {
            Ok(()) => return Ok(Some(name)),
            Err(_) => {
                // Whatever went wrong with the copy, a full load gives the
                // same database from the parts alone.
                let _ = std::fs::remove_dir_all(&db);
            }
        }
    }
    let load = || -> Result<()> {
        let store = open_writable(&db)?;
        load_parts(&store, dir, manifest.parts())?;
        store.flush().map_err(|e| Error::store(&db, e))?;
        Ok(())
    };
    if let Err(e) = load() {
        let _ = std::fs::remove_dir_all(&db);
        return Err(e);
    }
    Ok(Some(name))
}

/// Opens the RocksDB database `db` to write it. RocksDB keeps the index of
/// every file it holds open in memory; by default it may hold as many as the
/// process may open (thousands), so a build's memory grew with its database.
/// A few hundred keep it bounded at little cost to a bulk load.
#[cfg(feature = "rocksdb")]
fn open_writable(db: &Path) -> Result<OxStore> {
    let options = oxigraph::store::StoreOptions::default().with_max_open_files(256);
    OxStore::open_with_options(db, options).map_err(|e| Error::store(db, e))
}

/// Makes `db` a checkpoint of the previous database updated to `manifest`:
/// graphs of the parts the previous manifest lists and `manifest` does not
/// are removed, parts `manifest` adds are loaded.
#[cfg(feature = "rocksdb")]
fn update_copy(
    dir: &Path,
    (old_manifest, old_db): (&Manifest, &Path),
    manifest: &Manifest,
    db: &Path,
) -> Result<()> {
    use std::collections::HashSet;
    {
        let old = open_writable(old_db)?;
        old.backup(db).map_err(|e| Error::store(db, e))?;
    }
    let store = open_writable(db)?;
    let old: HashSet<&str> = old_manifest.parts().collect();
    let new: HashSet<&str> = manifest.parts().collect();
    for id in old_manifest.parts().filter(|id| !new.contains(id)) {
        let (graph, _) = part::open(dir, id)?;
        store
            .remove_named_graph(&graph)
            .map_err(|e| Error::store(db, e))?;
    }
    load_parts(&store, dir, manifest.parts().filter(|id| !old.contains(id)))?;
    store.flush().map_err(|e| Error::store(db, e))?;
    Ok(())
}

//! The ontology's classes as a Rust enum, and access to the data files of
//! `ontology/` (embedded at build time, or read from a directory given at run time).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::vocab::PG;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The entity classes of the eval contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Country,
    Region,
    Forum,
    EUBody,
    Initiative,
    Cable,
    Partnership,
    Document,
    Technology,
}

impl Class {
    pub const ALL: [Class; 9] = [
        Class::Country,
        Class::Region,
        Class::Forum,
        Class::EUBody,
        Class::Initiative,
        Class::Cable,
        Class::Partnership,
        Class::Document,
        Class::Technology,
    ];

    /// Local name in the ontology (`EUBody`).
    pub fn local_name(self) -> &'static str {
        match self {
            Class::Country => "Country",
            Class::Region => "Region",
            Class::Forum => "Forum",
            Class::EUBody => "EUBody",
            Class::Initiative => "Initiative",
            Class::Cable => "Cable",
            Class::Partnership => "Partnership",
            Class::Document => "Document",
            Class::Technology => "Technology",
        }
    }

    /// Full IRI of the class.
    pub fn iri(self) -> String {
        format!("{PG}{}", self.local_name())
    }

    /// Parses a local name (`"EUBody"`).
    pub fn from_local_name(s: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.local_name() == s)
    }
}

/// Where the data files of `ontology/` come from.
#[derive(Debug, Clone, Default)]
pub enum DataSource {
    /// The files embedded in the binary at build time.
    #[default]
    Embedded,
    /// A directory laid out like `ontology/`.
    Dir(PathBuf),
}

impl DataSource {
    /// The files under `prefix` (e.g. `"lexicon/"`) with extension `ext`, as
    /// (display path, contents), sorted by path.
    pub fn files(&self, prefix: &str, ext: &str) -> Result<Vec<(PathBuf, String)>> {
        match self {
            DataSource::Embedded => Ok(embedded::ONTOLOGY_FILES
                .iter()
                .filter(|(rel, _)| rel.starts_with(prefix) && rel.ends_with(ext))
                .map(|(rel, text)| (Path::new("ontology").join(rel), text.to_string()))
                .collect()),
            DataSource::Dir(dir) => {
                let mut out = Vec::new();
                let base = dir.join(prefix);
                let mut stack = vec![base.clone()];
                if !base.exists() {
                    return Ok(out);
                }
                if base.is_file() {
                    let text = std::fs::read_to_string(&base).map_err(|e| Error::io(&base, e))?;
                    return Ok(vec![(base, text)]);
                }
                while let Some(d) = stack.pop() {
                    for entry in std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
                        let path = entry.map_err(|e| Error::io(&d, e))?.path();
                        if path.is_dir() {
                            stack.push(path);
                        } else if path.to_string_lossy().ends_with(ext) {
                            let text =
                                std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
                            out.push((path, text));
                        }
                    }
                }
                out.sort();
                Ok(out)
            }
        }
    }

    /// One file by its path relative to `ontology/`.
    pub fn file(&self, rel: &str) -> Result<(PathBuf, String)> {
        let mut files = self.files(rel, "")?;
        files.retain(|(p, _)| p.to_string_lossy().ends_with(rel));
        files.pop().ok_or_else(|| Error::Input {
            path: PathBuf::from("ontology").join(rel),
            message: "missing data file".into(),
        })
    }
}

/// The saved queries embedded at build time (name without `.rq`, text).
pub fn embedded_queries() -> impl Iterator<Item = (&'static str, &'static str)> {
    embedded::SAVED_QUERIES
        .iter()
        .map(|(rel, text)| (rel.trim_end_matches(".rq"), *text))
}

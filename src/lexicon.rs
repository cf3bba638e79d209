//! The `Lexicon`: what entities are (class, canonical English label, authority
//! codes) and what they are called in each language, loaded from the TOML files
//! of `ontology/lexicon/`. It never says how entities relate to each other.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::extract::inflection::Inflection;
use crate::ontology::{Class, DataSource};
use crate::vocab::ID;

/// One entity of the lexicon.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Path under the `id/` namespace (`eu/commission`, `country/jpn`).
    pub id: String,
    pub class: Class,
    /// Canonical English name.
    pub label: String,
    /// Path in the EU Publications Office authority tables (`country/JPN`).
    pub authority: Option<String>,
    /// ISO 3166-1 alpha-3 code, for countries.
    pub iso: Option<String>,
    /// Formal identifier, for documents (`Regulation (EU) 2022/2065`).
    pub identifier: Option<String>,
    /// Names per language (ISO 639-1), the official name first.
    pub names: BTreeMap<String, Vec<String>>,
    /// The lexicon file it comes from.
    pub file: PathBuf,
}

impl Entity {
    /// The entity's IRI.
    pub fn iri(&self) -> String {
        format!("{ID}{}", self.id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    entity: Vec<RawEntity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: String,
    class: String,
    label: String,
    authority: Option<String>,
    iso: Option<String>,
    identifier: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
}

/// All entities, indexed by id, with the rules that inflect their names.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub entities: Vec<Entity>,
    /// Case-ending rules per language (`ontology/inflection.toml`): the
    /// gazetteer matches the inflected forms of names too.
    pub inflection: Inflection,
    by_id: HashMap<String, usize>,
}

impl Lexicon {
    /// Loads every `lexicon/*.toml` file of `source` and `inflection.toml`; a
    /// malformed file, an unknown class, a bad id or a duplicate id is an
    /// error naming the file.
    pub fn load(source: &DataSource) -> Result<Lexicon> {
        let mut lex = Lexicon {
            inflection: Inflection::load(source)?,
            ..Lexicon::default()
        };
        for (path, text) in source.files("lexicon/", ".toml")? {
            if path.components().any(|c| c.as_os_str() == "sources") {
                continue; // inputs of generator scripts, not lexicon files
            }
            let raw: RawFile = toml::from_str(&text).map_err(|e| {
                let line = e
                    .span()
                    .map_or(0, |s| text[..s.start].matches('\n').count() + 1);
                Error::Data {
                    path: path.clone(),
                    line,
                    message: e.message().to_string(),
                }
            })?;
            for r in raw.entity {
                let line_of = |needle: &str| {
                    text.find(needle)
                        .map_or(0, |p| text[..p].matches('\n').count() + 1)
                };
                let err = |message: String| Error::Data {
                    path: path.clone(),
                    line: line_of(&format!("\"{}\"", r.id)),
                    message,
                };
                let class = Class::from_local_name(&r.class)
                    .ok_or_else(|| err(format!("entity {}: unknown class {:?}", r.id, r.class)))?;
                if r.id.is_empty()
                    || !r
                        .id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-/_.".contains(c))
                {
                    return Err(err(format!(
                        "entity id {:?}: use lower-case ASCII letters, digits, '-', '_', '.', '/'",
                        r.id
                    )));
                }
                if lex.by_id.contains_key(&r.id) {
                    return Err(err(format!("duplicate entity id {:?}", r.id)));
                }
                lex.by_id.insert(r.id.clone(), lex.entities.len());
                lex.entities.push(Entity {
                    id: r.id,
                    class,
                    label: r.label,
                    authority: r.authority,
                    iso: r.iso,
                    identifier: r.identifier,
                    names: r.names,
                    file: path.clone(),
                });
            }
        }
        Ok(lex)
    }

    /// The entity with this id.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Index of the entity with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

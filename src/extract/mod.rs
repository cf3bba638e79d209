//! Extractors: from a normalised [`Document`] to facts with evidence.
//!
//! - [`gazetteer`]: lexicon names → `mentions` of entities, with the case
//!   forms [`inflection`] derives from them;
//! - formal identifiers (`COM(2025) 140 final`, `Verordening (EU) 2022/2065`,
//!   `14928/25`) → cited documents, `mentions` and `cites`.

pub mod boundary;
pub mod citations;
pub mod gazetteer;
pub mod inflection;
pub mod prefilter;
pub mod relations;
pub mod rules;
pub mod sentence;

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::document::identifier::{DocIdentifier, find_identifiers};
use crate::document::{Document, ParagraphKind};
use crate::error::Result;
use crate::fact::{Evidence, Fact, Predicate};
use crate::lexicon::Lexicon;
use crate::ontology::Class;
use crate::vocab::ID;
use gazetteer::Gazetteer;
use relations::{AttributeFact, FrameworkFinder, Mention, find_relations};
use rules::RuleSet;

/// A node the extractors found that the lexicon does not hold: a document
/// cited by its formal identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct CitedDocument {
    pub iri: String,
    /// English label: the canonical identifier, or "Council conclusions of 18 June 2022".
    pub label: String,
    /// Canonical identifier (`Regulation (EU) 2022/2065`), when it has one.
    pub identifier: Option<String>,
    /// The identifier as printed, when it differs (`Verordening (EU) 2022/2065`).
    pub printed: Vec<String>,
    pub eli: Option<String>,
    pub celex: Option<String>,
}

/// What extraction found in one document.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub facts: Vec<Fact>,
    pub attributes: Vec<AttributeFact>,
    pub cited: Vec<CitedDocument>,
}

/// The extractors with their data, shared by all documents of a build.
pub struct Extractor {
    pub lexicon: Lexicon,
    /// IRI of each lexicon entity (documents with an identifier share the IRI
    /// the identifier gives, so both ways of naming them meet in one node).
    entity_iris: Vec<String>,
    /// One gazetteer per document language, built on first use.
    gazetteers: HashMap<String, OnceLock<Result<Gazetteer, String>>>,
    all_languages: OnceLock<Result<Gazetteer, String>>,
    /// Relation rules and framework phrases per language: the rule file's
    /// path and text, parsed when a document of the language first comes
    /// (each rule's regex when a sentence first may match it), so a build
    /// pays only for the languages and rules it needs.
    rules: BTreeMap<String, LazyRules>,
}

/// A language's rule file, compiled when a document of that language first
/// needs it.
struct LazyRules {
    path: std::path::PathBuf,
    text: String,
    compiled: OnceLock<std::result::Result<(RuleSet, FrameworkFinder), String>>,
}

/// IRI of a document cited by a formal identifier.
pub fn cited_iri(id: &DocIdentifier) -> String {
    format!("{ID}document/{}", id.slug())
}

impl Extractor {
    /// Prepares the extractors for `lexicon` and the rule files of `source`
    /// (`rules/LANG.toml`, compiled on first use).
    pub fn new(lexicon: Lexicon, source: &crate::ontology::DataSource) -> Result<Extractor> {
        let mut rules = BTreeMap::new();
        for (path, text) in source.files("rules/", ".toml")? {
            let Some(lang) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            rules.insert(
                lang,
                LazyRules {
                    path,
                    text,
                    compiled: OnceLock::new(),
                },
            );
        }
        let entity_iris = lexicon
            .entities
            .iter()
            .map(|e| {
                e.identifier
                    .as_deref()
                    .and_then(|i| {
                        let found = find_identifiers(i);
                        (found.len() == 1).then(|| cited_iri(&found[0].id))
                    })
                    .unwrap_or_else(|| e.iri())
            })
            .collect();
        let mut languages: Vec<String> = lexicon
            .entities
            .iter()
            .flat_map(|e| e.names.keys().cloned())
            .collect();
        languages.sort();
        languages.dedup();
        let gazetteers = languages
            .into_iter()
            .map(|l| (l, OnceLock::new()))
            .collect();
        let ex = Extractor {
            lexicon,
            entity_iris,
            gazetteers,
            all_languages: OnceLock::new(),
            rules,
        };
        Ok(ex)
    }

    /// The compiled rules of `lang`, if there is a rule file for it; an error
    /// in the file is reported by every document that needs it.
    fn rules(&self, lang: &str) -> Result<Option<&(RuleSet, FrameworkFinder)>> {
        let Some(lazy) = self.rules.get(lang) else {
            return Ok(None);
        };
        lazy.compiled
            .get_or_init(|| {
                let set = RuleSet::parse(&lazy.path, &lazy.text).map_err(|e| e.to_string())?;
                let finder = FrameworkFinder::new(&set).map_err(|e| e.to_string())?;
                Ok((set, finder))
            })
            .as_ref()
            .map(Some)
            .map_err(|e| crate::error::Error::Other(e.clone()))
    }

    /// IRI of lexicon entity `i`.
    pub fn entity_iri(&self, i: usize) -> &str {
        &self.entity_iris[i]
    }

    /// The gazetteer for a document in `lang`: its names and the English ones
    /// (EU texts leave many names untranslated); all languages when `lang` is
    /// unknown.
    fn gazetteer(&self, lang: &str) -> Result<&Gazetteer, &str> {
        let (cell, langs) = match self.gazetteers.get(lang) {
            Some(cell) => (cell, vec![lang, "en"]),
            None => (&self.all_languages, Vec::new()),
        };
        cell.get_or_init(|| Gazetteer::new(&self.lexicon, &langs).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(String::as_str)
    }

    /// Runs every extractor on `doc`.
    pub fn extract(&self, doc: &Document) -> Result<Extraction> {
        let gazetteer = self
            .gazetteer(doc.lang())
            .map_err(|e| crate::error::Error::Other(e.to_string()))?;
        let rules = self.rules(doc.lang())?;
        let doc_iri = document_iri(&doc.key);
        let own = doc
            .metadata
            .identifier
            .as_ref()
            .map(|i| i.canonical.clone());
        let mut facts = Vec::new();
        let mut mentions: Vec<Mention> = Vec::new();
        let mut cited: BTreeMap<String, CitedDocument> = BTreeMap::new();
        for p in &doc.paragraphs {
            let evidence = |range: std::ops::Range<usize>, rule: String| {
                let orig = p.original_range_in(range, &doc.text);
                Evidence {
                    paragraph: p.index,
                    start: orig.start,
                    end: orig.end,
                    rule,
                }
            };
            let ids = find_identifiers(&p.text);
            for m in &ids {
                if own.as_deref() == Some(m.id.canonical.as_str()) {
                    continue;
                }
                let iri = cited_iri(&m.id);
                let printed = p.text[m.range.clone()].to_string();
                let entry = cited.entry(iri.clone()).or_insert_with(|| CitedDocument {
                    iri: iri.clone(),
                    label: m.id.canonical.clone(),
                    identifier: Some(m.id.canonical.clone()),
                    printed: Vec::new(),
                    eli: m.id.eli(),
                    celex: m.id.celex(),
                });
                if Some(&printed) != entry.identifier.as_ref() && !entry.printed.contains(&printed)
                {
                    entry.printed.push(printed);
                }
                let rule = format!("identifier/{}", kind_name(&m.id));
                for predicate in [Predicate::Mentions, Predicate::Cites] {
                    facts.push(Fact {
                        subject: doc_iri.clone(),
                        predicate,
                        object: iri.clone(),
                        framework: None,
                        evidence: evidence(m.range.clone(), rule.clone()),
                    });
                }
                mentions.push(Mention {
                    paragraph: p.index,
                    range: m.range.clone(),
                    iri,
                    class: Class::Document.local_name(),
                });
            }
            for rule in rules.map(|(r, _)| r.citations.as_slice()).unwrap_or(&[]) {
                for c in rule.find(&p.text) {
                    let entry = cited.entry(c.iri.clone()).or_insert_with(|| CitedDocument {
                        iri: c.iri.clone(),
                        label: c.label.clone(),
                        identifier: None,
                        printed: Vec::new(),
                        eli: None,
                        celex: None,
                    });
                    if !entry.printed.contains(&c.surface) {
                        entry.printed.push(c.surface.clone());
                    }
                    for predicate in [Predicate::Mentions, Predicate::Cites] {
                        facts.push(Fact {
                            subject: doc_iri.clone(),
                            predicate,
                            object: c.iri.clone(),
                            framework: None,
                            evidence: evidence(c.range.clone(), c.rule.clone()),
                        });
                    }
                }
            }
            for m in gazetteer.find(&p.text) {
                // A name inside a formal identifier is part of the identifier.
                if ids
                    .iter()
                    .any(|i| i.range.start <= m.range.start && m.range.end <= i.range.end)
                {
                    continue;
                }
                let entity = &self.lexicon.entities[m.entity];
                let iri = self.entity_iri(m.entity).to_string();
                let rule = match gazetteer.inflection(&m) {
                    Some(case) => format!("lexicon+inflection:{case}/{}", entity.id),
                    None => format!("lexicon/{}", entity.id),
                };
                facts.push(Fact {
                    subject: doc_iri.clone(),
                    predicate: Predicate::Mentions,
                    object: iri.clone(),
                    framework: None,
                    evidence: evidence(m.range.clone(), rule),
                });
                // A document named where texts cite (footnotes, recitals and
                // other list items, the cover note) or one with a formal
                // identifier is a document this one cites.
                if entity.class == Class::Document
                    && (entity.identifier.is_some()
                        || matches!(
                            p.kind,
                            ParagraphKind::Footnote
                                | ParagraphKind::ListItem
                                | ParagraphKind::Header
                        ))
                {
                    facts.push(Fact {
                        subject: doc_iri.clone(),
                        predicate: Predicate::Cites,
                        object: iri.clone(),
                        framework: None,
                        evidence: evidence(m.range.clone(), "citation/named-document".into()),
                    });
                }
                // The name of a partnership names its parties and its kind:
                // "the EU-India Trade and Technology Council".
                if entity.class == Class::Partnership {
                    facts.extend(self.partnership_parties(doc, p, &m.range, gazetteer));
                }
                mentions.push(Mention {
                    paragraph: p.index,
                    range: m.range,
                    iri,
                    class: entity.class.local_name(),
                });
            }
        }
        let mut attributes = Vec::new();
        if let Some((rules, frameworks)) = rules {
            let resolve = |id: &str| {
                self.lexicon
                    .index_of(id)
                    .map(|i| self.entity_iri(i).to_string())
            };
            let (rel, attrs) = find_relations(doc, &mentions, rules, frameworks, &resolve)?;
            facts.extend(rel);
            attributes = attrs;
        }
        facts.sort();
        facts.dedup();
        Ok(Extraction {
            facts,
            attributes,
            cited: cited.into_values().collect(),
        })
    }
}

impl Extractor {
    /// Facts stated by a partnership's name: an EU party and the other parties
    /// named inside it, with the framework its wording names (or `Other`).
    fn partnership_parties(
        &self,
        doc: &Document,
        p: &crate::document::Paragraph,
        range: &std::ops::Range<usize>,
        gazetteer: &Gazetteer,
    ) -> Vec<Fact> {
        // The framework phrase inside the name ("Trade and Technology Council")
        // names the kind of partnership, not a party: names inside it are skipped.
        let found = self
            .rules(doc.lang())
            .ok()
            .flatten()
            .map(|(_, f)| f.find_ranges(&p.text[range.clone()]))
            .unwrap_or_default();
        let fw_ranges: Vec<std::ops::Range<usize>> = found
            .iter()
            .map(|(r, _)| range.start + r.start..range.start + r.end)
            .collect();
        let nested: Vec<_> = gazetteer
            .find_within(&p.text, range.clone())
            .into_iter()
            .filter(|m| {
                fw_ranges
                    .iter()
                    .all(|f| m.range.end <= f.start || m.range.start >= f.end)
            })
            .collect();
        let class_of = |i: usize| self.lexicon.entities[i].class;
        let subjects: Vec<usize> = nested
            .iter()
            .map(|m| m.entity)
            .filter(|&e| class_of(e) == Class::EUBody)
            .collect();
        let objects: Vec<usize> = nested
            .iter()
            .map(|m| m.entity)
            .filter(|&e| matches!(class_of(e), Class::Country | Class::Region | Class::Forum))
            .collect();
        let framework = found
            .first()
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| "Other".to_string());
        let orig = p.original_range_in(range.clone(), &doc.text);
        let mut out = Vec::new();
        for &s in &subjects {
            for &o in &objects {
                out.push(Fact {
                    subject: self.entity_iri(s).to_string(),
                    predicate: Predicate::PartnersWith,
                    object: self.entity_iri(o).to_string(),
                    framework: Some(framework.clone()),
                    evidence: Evidence {
                        paragraph: p.index,
                        start: orig.start,
                        end: orig.end,
                        rule: "rules/builtin/partnership-name".into(),
                    },
                });
            }
        }
        out
    }
}

fn kind_name(id: &DocIdentifier) -> String {
    format!("{:?}", id.kind).to_lowercase()
}

/// IRI of the node of a source document (an expression, in one language).
pub fn document_iri(key: &str) -> String {
    format!("{ID}source/{key}")
}

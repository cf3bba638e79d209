//! Relation rules as data: one TOML file per language in `ontology/rules/`
//! (`nl.toml`, `de.toml`, …). Adding a language is adding a file.
//!
//! A rule is a regular expression over a sentence in which every entity
//! mention has been replaced by a token `⟦Class:k⟧` (and every phrase naming a
//! partnership framework by `⟦Framework:k⟧`), so that patterns speak of
//! classes and roles, not of particular entities:
//!
//! - `{object:Country|Region}` one mention of those classes, captured as `object`;
//! - `{object+:Country|Region}` a coordinated list of them (`Japan, Korea en
//!   Canada`, with the language's articles and conjunctions);
//! - `{object*:Country}` every mention of those classes up to the end of the
//!   sentence or of the inlined footnote (`⟪…⟫`);
//! - `{framework}` a framework phrase; `{gap}` / `{gap:N}` up to 100 / N
//!   characters of anything, lazily (checked after the match); `{neg}` the language's negation words.
//!
//! Patterns are case-insensitive. A match containing a negation word of the
//! language is dropped unless the rule says `allow_negation = true`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use rayon::prelude::*;
use regex::Regex;
use serde::Deserialize;

use super::prefilter::{Clause, Prefilter, Requirement};
use crate::error::{Error, Result};
use crate::fact::Predicate;
use crate::ontology::{Class, DataSource};

/// The start and end characters of a mention token.
pub const OPEN: char = '⟦';
pub const CLOSE: char = '⟧';

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    language: String,
    #[serde(default)]
    words: RawWords,
    #[serde(default)]
    frameworks: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    citation: Vec<super::citations::RawCitation>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWords {
    #[serde(default)]
    conjunctions: Vec<String>,
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    negations: Vec<String>,
    /// Phrases with a negation word that do not negate ("niet alleen … maar ook").
    #[serde(default)]
    negation_exceptions: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    predicate: String,
    pattern: String,
    /// Group holding the subject(s); absent: `default_subject`.
    subject: Option<String>,
    /// Lexicon id of the subject when the pattern has none (the author's side,
    /// e.g. `eu/eu` for "digital partnerships with …" in EU documents).
    default_subject: Option<String>,
    /// Group holding the object(s).
    object: Option<String>,
    /// Framework: a framework name (`DigitalPartnership`) or `@group`.
    framework: Option<String>,
    /// For attributes (`lengthKm`): the group holding the value.
    value: Option<String>,
    #[serde(default)]
    allow_negation: bool,
    /// `sentence` (default) or `paragraph`.
    scope: Option<String>,
    #[allow(dead_code)]
    note: Option<String>,
}

/// What a rule asserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleTarget {
    Relation(Predicate),
    /// A numeric attribute of the subject (`lengthKm`).
    Attribute(&'static str),
}

/// A rule, checked; its regex is compiled on first use ([`Rule::regex`]).
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub target: RuleTarget,
    /// The expanded pattern, parsed. Compiling a language's rules took
    /// 0.1–0.3 s of CPU, most of a small build; compiled when a sentence
    /// first may match, a rule no sentence needs costs only its parse.
    hir: regex_syntax::hir::Hir,
    regex: OnceLock<std::result::Result<Regex, String>>,
    /// The rule file and the line of the rule, for errors.
    file: PathBuf,
    line: usize,
    /// Literals every match contains: the rule is skipped on sentences
    /// without them (see [`super::prefilter`]).
    pub requirement: Requirement,
    pub subject: Option<String>,
    pub default_subject: Option<String>,
    pub object: Option<String>,
    pub framework: Option<String>,
    pub value: Option<String>,
    pub allow_negation: bool,
    /// Match on whole paragraphs instead of sentences.
    pub paragraph_scope: bool,
    /// Classes kept from each bag group (`{object*:Country}`).
    pub bags: BTreeMap<String, Vec<String>>,
    /// Longest length (characters) of each `{gap}` (group `gapN`).
    pub gaps: Vec<usize>,
}

impl Rule {
    /// The rule's regex, compiled on first use; an error names the rule file
    /// and the rule (a pattern that parses may still exceed the regex size
    /// limit).
    pub fn regex(&self) -> Result<&Regex> {
        self.regex
            .get_or_init(|| super::boundary::compile_hir(self.hir.clone()))
            .as_ref()
            .map_err(|message| Error::Data {
                path: self.file.clone(),
                line: self.line,
                message: format!("rule {}: {message}", self.id),
            })
    }
}

/// The rules and function words of one language.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub language: String,
    pub abbreviations: Vec<String>,
    /// Framework name → phrases of this language naming that kind of partnership.
    pub frameworks: BTreeMap<String, Vec<String>>,
    pub negation: Option<Regex>,
    /// Phrases removed before looking for a negation.
    pub negation_exceptions: Option<Regex>,
    pub rules: Vec<Rule>,
    /// Finds which rules can match a sentence.
    pub prefilter: Prefilter,
    /// Citations of documents known by author and date.
    pub citations: Vec<super::citations::CitationRule>,
    pub file: PathBuf,
}

/// The partnership frameworks of the eval contract.
pub const FRAMEWORKS: &[&str] = &[
    "TradeAndTechnologyCouncil",
    "DigitalPartnership",
    "DigitalDialogue",
    "CyberDialogue",
    "SecurityAndDefencePartnership",
    "DigitalTradeAgreement",
    "FreeTradeAgreement",
    "DigitalEconomyPackage",
    "DigitalAlliance",
    "StrategicPartnership",
    "Other",
];

fn alternation(words: &[String]) -> String {
    let mut w: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.join("|")
}

/// Expands the placeholders of a pattern into a regular expression.
fn expand(
    pattern: &str,
    words: &RawWords,
    bags: &mut BTreeMap<String, Vec<String>>,
    gaps: &mut Vec<usize>,
) -> std::result::Result<String, String> {
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{([A-Za-z]\w*)([+*])?(?::([A-Za-z|]+|\d+))?\}").expect("regex")
    });
    let placeholder = &*PLACEHOLDER;
    // Articles ending in an apostrophe (l', dell', all') stand right before the name.
    let (elided, spaced): (Vec<String>, Vec<String>) = words
        .articles
        .iter()
        .cloned()
        .partition(|a| a.ends_with('\'') || a.ends_with('’'));
    let articles = match (spaced.is_empty(), elided.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!(r"(?:(?:{})\s+)?", alternation(&spaced)),
        (true, false) => format!(r"(?:{})?", alternation(&elided)),
        (false, false) => format!(
            r"(?:(?:{})\s+|(?:{}))?",
            alternation(&spaced),
            alternation(&elided)
        ),
    };
    let conj = alternation(&words.conjunctions);
    let mut out = String::new();
    let mut last = 0;
    for c in placeholder.captures_iter(pattern) {
        let m = c.get(0).expect("match");
        out.push_str(&pattern[last..m.start()]);
        last = m.end();
        let name = &c[1];
        let list = c.get(2).map(|m| m.as_str());
        let arg = c.get(3).map(|a| a.as_str());
        let piece = match (name, arg) {
            // Gaps are unbounded in the regex (a counted repetition of a
            // Unicode class would make the automaton N times larger and the
            // compile slow) and their length is checked after the match.
            ("gap", None) => {
                gaps.push(100);
                format!(r"(?P<gap{}>(?:[^⟦⟧]|⟦[^⟧]*⟧)*?)", gaps.len() - 1)
            }
            ("gap", Some(n)) if n.chars().all(|c| c.is_ascii_digit()) => {
                gaps.push(n.parse().map_err(|_| format!("bad gap length {n}"))?);
                format!(r"(?P<gap{}>(?:[^⟦⟧]|⟦[^⟧]*⟧)*?)", gaps.len() - 1)
            }
            ("neg", None) => format!(r"(?:\b(?:{})\b)", alternation(&words.negations)),
            ("framework", None) => r"(?P<framework>⟦Framework:\d+⟧)".to_string(),
            (group, Some(classes)) => {
                for class in classes.split('|') {
                    if Class::from_local_name(class).is_none()
                        && !matches!(class, "Framework" | "SourceDocument")
                    {
                        return Err(format!("unknown class {class:?} in {{{group}…}}"));
                    }
                }
                let token = format!(r"{articles}⟦(?:{classes}):\d+⟧");
                if list == Some("*") {
                    bags.insert(
                        group.to_string(),
                        classes.split('|').map(str::to_string).collect(),
                    );
                    format!("(?P<{group}>[^⟪⟫]*)")
                } else if list == Some("+") {
                    let sep = if conj.is_empty() {
                        r"\s*,\s*".to_string()
                    } else {
                        format!(r"(?:\s*,\s*(?:(?:{conj})\s+)?|\s+(?:{conj})\s+)")
                    };
                    format!("(?P<{group}>{token}(?:{sep}{token})*)")
                } else {
                    format!("(?P<{group}>{token})")
                }
            }
            _ => return Err(format!("unknown placeholder {}", m.as_str())),
        };
        out.push_str(&piece);
    }
    out.push_str(&pattern[last..]);
    Ok(format!("(?i){out}"))
}

impl RuleSet {
    /// Compiles every rule now (in parallel), so that a broken rule is found
    /// without a sentence that needs it.
    pub fn compile_all(&self) -> Result<()> {
        self.rules.par_iter().try_for_each(|r| r.regex().map(drop))
    }

    /// Loads the `rules/LANG.toml` files of `source` for `languages` (all when
    /// `None`), keyed by language (rules are compiled on first use, or by
    /// [`RuleSet::compile_all`]).
    pub fn load_all(
        source: &DataSource,
        languages: Option<&std::collections::BTreeSet<String>>,
    ) -> Result<BTreeMap<String, RuleSet>> {
        let mut out = BTreeMap::new();
        for (path, text) in source.files("rules/", ".toml")? {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            if let (Some(langs), Some(stem)) = (languages, &stem)
                && !langs.contains(stem)
            {
                continue;
            }
            let set = RuleSet::parse(&path, &text)?;
            out.insert(set.language.clone(), set);
        }
        Ok(out)
    }

    /// Parses and checks one rule file; errors name the file, line and rule.
    pub fn parse(path: &std::path::Path, text: &str) -> Result<RuleSet> {
        let raw: RawFile = toml::from_str(text).map_err(|e| Error::Data {
            path: path.to_path_buf(),
            line: e
                .span()
                .map_or(0, |s| text[..s.start].matches('\n').count() + 1),
            message: e.message().to_string(),
        })?;
        let line_of = |needle: &str| {
            text.find(needle)
                .map_or(0, |p| text[..p].matches('\n').count() + 1)
        };
        for name in raw.frameworks.keys() {
            if !FRAMEWORKS.contains(&name.as_str()) {
                return Err(Error::Data {
                    path: path.to_path_buf(),
                    line: line_of(name),
                    message: format!("unknown framework {name:?}; use one of {FRAMEWORKS:?}"),
                });
            }
        }
        // Rules compile independently: in parallel, keeping their order.
        let compile = |r: RawRule| -> Result<(Rule, Vec<Clause>)> {
            let err = |message: String| Error::Data {
                path: path.to_path_buf(),
                line: line_of(&format!("\"{}\"", r.id)),
                message: format!("rule {}: {message}", r.id),
            };
            let target = match Predicate::from_local_name(&r.predicate) {
                Some(p) => RuleTarget::Relation(p),
                None if r.predicate == "lengthKm" => RuleTarget::Attribute("lengthKm"),
                None => return Err(err(format!("unknown predicate {:?}", r.predicate))),
            };
            let mut bags = BTreeMap::new();
            let mut gaps = Vec::new();
            let source = expand(&r.pattern, &raw.words, &mut bags, &mut gaps).map_err(&err)?;
            let paragraph_scope = match r.scope.as_deref() {
                None | Some("sentence") => false,
                Some("paragraph") => true,
                Some(other) => return Err(err(format!("unknown scope {other:?}"))),
            };
            let hir = regex_syntax::Parser::new()
                .parse(&source)
                .map_err(|e| err(e.to_string()))?;
            let clauses = super::prefilter::clauses_of(&hir);
            let names = super::boundary::capture_names(&hir);
            let named = |g: &str| names.iter().any(|n| n == g);
            for g in [&r.subject, &r.object, &r.value].into_iter().flatten() {
                if !named(g) {
                    return Err(err(format!("no group {g:?} in the pattern")));
                }
            }
            if r.subject.is_none() && r.default_subject.is_none() {
                return Err(err("needs `subject` or `default_subject`".into()));
            }
            if let Some(f) = &r.framework {
                let ok = match f.strip_prefix('@') {
                    Some(g) => named(g),
                    None => FRAMEWORKS.contains(&f.as_str()),
                };
                if !ok {
                    return Err(err(format!("bad framework {f:?}")));
                }
            }
            let rule = Rule {
                requirement: Requirement::default(),
                id: format!("rules/{}/{}", raw.language, r.id),
                target,
                hir,
                regex: OnceLock::new(),
                file: path.to_path_buf(),
                line: line_of(&format!("\"{}\"", r.id)),
                subject: r.subject,
                default_subject: r.default_subject,
                object: r.object,
                framework: r.framework,
                value: r.value,
                allow_negation: r.allow_negation,
                paragraph_scope,
                bags,
                gaps,
            };
            Ok((rule, clauses))
        };
        let compiled: Vec<(Rule, Vec<Clause>)> = raw
            .rule
            .into_iter()
            .map(compile)
            .collect::<Result<Vec<_>>>()?;
        let mut prefilter = Prefilter::default();
        let rules: Vec<Rule> = compiled
            .into_iter()
            .map(|(mut rule, clauses)| {
                rule.requirement = prefilter.register(clauses);
                rule
            })
            .collect();
        prefilter.finish();
        let negation = if raw.words.negations.is_empty() {
            None
        } else {
            Some(
                Regex::new(&format!(
                    r"(?i)\b(?:{})\b",
                    alternation(&raw.words.negations)
                ))
                .expect("negation regex"),
            )
        };
        let mut citations = Vec::new();
        for c in raw.citation {
            citations.push(super::citations::CitationRule::compile(
                c,
                &raw.language,
                &raw.words.conjunctions,
                path,
            )?);
        }
        let negation_exceptions = (!raw.words.negation_exceptions.is_empty()).then(|| {
            Regex::new(&format!(
                r"(?i)\b(?:{})\b",
                alternation(&raw.words.negation_exceptions)
            ))
            .expect("negation exceptions regex")
        });
        Ok(RuleSet {
            negation_exceptions,
            citations,
            language: raw.language,
            abbreviations: raw.words.abbreviations,
            frameworks: raw.frameworks,
            negation,
            rules,
            prefilter,
            file: path.to_path_buf(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every rule file of the repository parses and compiles.
    #[test]
    fn all_rule_files_compile() {
        let sets = RuleSet::load_all(&DataSource::Embedded, None).unwrap();
        assert!(
            sets.contains_key("nl"),
            "{:?}",
            sets.keys().collect::<Vec<_>>()
        );
        for (lang, set) in &sets {
            assert_eq!(
                &set.language,
                lang,
                "{}: language field differs from file name",
                set.file.display()
            );
            assert!(!set.rules.is_empty(), "{lang}: no rules");
            set.compile_all().unwrap();
        }
    }

    /// A rule is compiled when first used, and its compile error names the
    /// file, the line and the rule.
    #[test]
    fn rules_compile_on_first_use() {
        let path = std::path::Path::new("rules/xx.toml");
        let rule = |id: &str, pattern: &str| {
            format!(
                "language = \"xx\"\n[[rule]]\nid = \"{id}\"\npredicate = \"funds\"\n\
                 pattern = '''{pattern}'''\ndefault_subject = \"eu/x\"\n"
            )
        };
        let set = RuleSet::parse(path, &rule("big", r"\w{1000}\w{1000}\w{1000}"))
            .expect("parses: the pattern is valid syntax");
        assert!(set.rules[0].regex.get().is_none(), "compiled before use");
        let e = set.compile_all().unwrap_err().to_string();
        assert!(e.starts_with("rules/xx.toml:3: rule rules/xx/big: "), "{e}");
        let set = RuleSet::parse(path, &rule("a", "fund")).unwrap();
        assert!(set.rules[0].regex().unwrap().is_match("Funds"));
    }

    #[test]
    fn bad_rules_are_clear_errors() {
        let path = std::path::Path::new("rules/xx.toml");
        let cases = [
            (
                "language = \"xx\"\n[[rule]]\nid = \"a\"\npredicate = \"likes\"\npattern = \"x\"\ndefault_subject = \"eu/x\"\n",
                "unknown predicate",
            ),
            (
                "language = \"xx\"\n[[rule]]\nid = \"a\"\npredicate = \"funds\"\npattern = \"{o:Planet}\"\ndefault_subject = \"eu/x\"\n",
                "unknown class",
            ),
            (
                "language = \"xx\"\n[[rule]]\nid = \"a\"\npredicate = \"funds\"\npattern = \"x\"\n",
                "default_subject",
            ),
            (
                "language = \"xx\"\n[frameworks]\nNiceFriendship = [\"x\"]\n",
                "unknown framework",
            ),
        ];
        for (text, expected) in cases {
            let e = RuleSet::parse(path, text).unwrap_err().to_string();
            assert!(e.contains(expected) && e.contains("xx.toml"), "{e}");
        }
    }
}

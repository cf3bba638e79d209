//! Which relation rules can match a sentence, from literals their matches
//! must contain.
//!
//! A language has 35–60 rules, and running every rule's regex over every
//! sentence was a third of a build's time, although most rules cannot match
//! most sentences: a rule about frameworks needs a `⟦Framework:` token, one
//! about funding the word "fund…" or "financ…". From each pattern's parsed
//! form we derive clauses of literals (every match contains one literal of
//! each clause), look for all literals of a language in one Aho-Corasick pass
//! over the sentence, and run only the rules whose clauses are all met. The
//! derivation only ever widens what a part of a pattern may match, so a rule
//! is never skipped on a sentence it matches (`tests` check this on random
//! sentences); it may still run and find nothing.

use std::collections::{BTreeSet, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Most strings an exact set may hold before it is given up (or a run of a
/// concatenation is closed).
const MAX_SET: usize = 64;
/// Most alternatives of one clause.
const MAX_CLAUSE: usize = 256;
/// Shortest literal worth looking for, in bytes: shorter ones ("in", "a")
/// are in nearly every sentence.
const MIN_LITERAL: usize = 3;
/// Largest character class read as a set of one-character strings.
const MAX_CLASS: usize = 16;

/// Literals each of which may be the one a match contains.
pub type Clause = BTreeSet<String>;

/// The clauses of `pattern` worth looking for (see the module
/// documentation); a pattern that does not parse gives none.
pub fn clauses(pattern: &str) -> Vec<Clause> {
    match regex_syntax::Parser::new().parse(pattern) {
        Ok(hir) => clauses_of(&hir),
        Err(_) => Vec::new(),
    }
}

/// [`clauses`] of a parsed pattern.
pub fn clauses_of(hir: &Hir) -> Vec<Clause> {
    required(hir)
        .into_iter()
        .filter(|c| !c.is_empty() && c.len() <= MAX_CLAUSE)
        .filter(|c| c.iter().all(|l| l.len() >= MIN_LITERAL))
        .collect()
}

/// What a rule needs in a sentence: for every clause, one of its literals
/// (ids into the language's [`Prefilter`]). No clause: the rule always runs.
#[derive(Debug, Clone, Default)]
pub struct Requirement(Vec<Vec<usize>>);

impl Requirement {
    /// Whether every clause has a literal among `present`.
    pub fn met(&self, present: &[bool]) -> bool {
        self.0
            .iter()
            .all(|clause| clause.iter().any(|&i| present[i]))
    }
}

/// The literals of one language's rules, found in one pass over a text.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    literals: Vec<String>,
    ids: HashMap<String, usize>,
    searcher: Option<AhoCorasick>,
}

impl Prefilter {
    /// Gives the literals of `clauses` (from [`clauses`]) their ids.
    pub fn register(&mut self, clauses: Vec<Clause>) -> Requirement {
        let clauses = clauses
            .into_iter()
            .map(|c| {
                c.into_iter()
                    .map(|l| {
                        let next = self.literals.len();
                        *self.ids.entry(l.clone()).or_insert_with(|| {
                            self.literals.push(l);
                            next
                        })
                    })
                    .collect()
            })
            .collect();
        self.searcher = None;
        Requirement(clauses)
    }

    /// Compiles the searcher; call after the last [`Prefilter::register`].
    pub fn finish(&mut self) {
        if self.literals.is_empty() {
            return;
        }
        // ASCII letters compare without case, as `(?i)` does; the folded
        // pattern keeps every other case variant as its own literal.
        self.searcher = Some(
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                // Some hundred literals: a DFA builds in milliseconds and
                // searches several times faster than an NFA.
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.literals)
                .expect("prefilter literals"),
        );
    }

    /// Which literals `text` holds (indexed by literal id).
    pub fn present(&self, text: &str) -> Vec<bool> {
        let mut present = vec![false; self.literals.len()];
        if let Some(ac) = &self.searcher {
            for m in ac.find_overlapping_iter(text) {
                present[m.pattern().as_usize()] = true;
            }
        }
        present
    }
}

/// ASCII letters are compared without case (the searcher is ASCII
/// case-insensitive); every other character as it is.
fn fold(c: char) -> char {
    c.to_ascii_lowercase()
}

/// The strings `hir` can match, up to [`MAX_SET`] of them, or `None` when
/// there are more or they are not a finite set. Zero-width assertions match
/// `""`, which only widens the set.
fn exact(hir: &Hir) -> Option<BTreeSet<String>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(BTreeSet::from([String::new()])),
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0).ok()?;
            Some(BTreeSet::from([s.chars().map(fold).collect()]))
        }
        HirKind::Class(Class::Unicode(c)) => {
            let size: u32 = c
                .ranges()
                .iter()
                .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
                .sum();
            if size as usize > MAX_CLASS {
                return None;
            }
            Some(
                c.iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(|ch| fold(ch).to_string())
                    .collect(),
            )
        }
        HirKind::Class(Class::Bytes(_)) => None,
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Repetition(r) if r.min == 1 && r.max == Some(1) => exact(&r.sub),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(items) => {
            let mut all = BTreeSet::new();
            for item in items {
                all.extend(exact(item)?);
                if all.len() > MAX_SET {
                    return None;
                }
            }
            Some(all)
        }
        HirKind::Concat(items) => {
            let mut acc = BTreeSet::from([String::new()]);
            for item in items {
                acc = product(&acc, &exact(item)?)?;
            }
            Some(acc)
        }
    }
}

/// Every `a + b`, or `None` past [`MAX_SET`].
fn product(a: &BTreeSet<String>, b: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| format!("{x}{y}")))
            .collect(),
    )
}

/// Clauses every match of `hir` meets (see [`Requirement`]).
fn required(hir: &Hir) -> Vec<Clause> {
    if let Some(set) = exact(hir) {
        return if set.iter().any(String::is_empty) {
            Vec::new()
        } else {
            vec![set]
        };
    }
    match hir.kind() {
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Concat(items) => {
            // Runs of items with exact sets make one clause each (their
            // concatenations); the other items give their own clauses.
            let mut out = Vec::new();
            let mut run = BTreeSet::from([String::new()]);
            let close = |run: &mut BTreeSet<String>, out: &mut Vec<Clause>| {
                if !run.iter().any(String::is_empty) {
                    out.push(std::mem::take(run));
                }
                *run = BTreeSet::from([String::new()]);
            };
            for item in items {
                match exact(item) {
                    Some(set) => match product(&run, &set) {
                        Some(joined) => run = joined,
                        None => {
                            close(&mut run, &mut out);
                            run = set;
                        }
                    },
                    None => {
                        close(&mut run, &mut out);
                        out.extend(required(item));
                    }
                }
            }
            close(&mut run, &mut out);
            out
        }
        HirKind::Alternation(items) => {
            // A match is one branch's: the best clause of each branch,
            // together, is met by every match.
            let mut union = Clause::new();
            for item in items {
                let best = required(item)
                    .into_iter()
                    .filter(|c| c.iter().all(|l| l.len() >= MIN_LITERAL))
                    .max_by_key(|c| {
                        (
                            c.iter().map(String::len).min().unwrap_or(0),
                            std::cmp::Reverse(c.len()),
                        )
                    });
                match best {
                    Some(c) => union.extend(c),
                    None => return Vec::new(),
                }
            }
            vec![union]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(pattern: &str) -> Vec<Vec<String>> {
        let mut p = Prefilter::default();
        let r = p.register(super::clauses(pattern));
        r.0.iter()
            .map(|c| c.iter().map(|&i| p.literals[i].clone()).collect())
            .collect()
    }

    #[test]
    fn clauses_of_patterns() {
        assert_eq!(
            clauses(r"(?i)fund(?:s|ed)?\s+by\s+⟦(?:Country|Region):[0-9]+⟧"),
            vec![
                vec!["fund".to_string()],
                vec!["⟦country:".to_string(), "⟦region:".to_string()],
                vec!["⟧".to_string()]
            ]
        );
        // A branch without a literal: nothing is required.
        assert!(clauses(r"(?i)with\s+\w+|\w+").is_empty());
        // Optional parts require nothing.
        assert!(clauses(r"(?i)(?:signed\s+)?\w+").is_empty());
        // One clause from the branches together.
        assert_eq!(
            clauses(r"(?i)(?:signed\s+\w+|\w+\s+concluded)"),
            vec![vec![
                "concluded".to_string(),
                "signed".to_string(),
                "ſigned".to_string()
            ]]
        );
        // Short literals are not looked for.
        assert!(clauses(r"(?i)in\s+\w+").is_empty());
    }

    #[test]
    fn case_variants_are_kept() {
        // `k` and `s` also match the Kelvin sign and the long s under (?i).
        let c = clauses(r"(?i)ask");
        assert_eq!(c.len(), 1);
        assert!(
            c[0].contains(&"ask".to_string()) && c[0].len() == 4,
            "{c:?}"
        );
        let mut p = Prefilter::default();
        let r = p.register(super::clauses(r"(?i)über"));
        p.finish();
        assert!(r.met(&p.present("ÜBER")));
        assert!(r.met(&p.present("über")));
        assert!(!r.met(&p.present("uber")));
    }
}

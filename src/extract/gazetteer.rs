//! The `Gazetteer`: finds lexicon names in normalised text with Aho-Corasick,
//! at word boundaries, longest match first, with the case policy of
//! `ontology/lexicon/README.md`; for a document language with inflection
//! rules, also the case forms of its names (`Japonii`, `Ιαπωνίας`).

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;

/// How the case of a name constrains the text it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CasePolicy {
    /// No lower-case letters in the name (`EU`, `NAVO`, `5G`): exact case.
    Exact,
    /// Has lower-case letters and starts with an upper-case one (`Raad`,
    /// `Raad van Europa`): every letter upper-case in the name must be
    /// upper-case in the text, unless the text is all capitals (a heading).
    Capitalised,
    /// Starts with a lower-case letter or a digit: any case.
    Any,
}

impl CasePolicy {
    fn of(name: &str) -> CasePolicy {
        if !name.chars().any(char::is_lowercase) {
            CasePolicy::Exact
        } else if name.chars().next().is_some_and(char::is_uppercase) {
            CasePolicy::Capitalised
        } else {
            CasePolicy::Any
        }
    }
}

#[derive(Debug, Clone)]
struct Pattern {
    entity: usize,
    name: String,
    policy: CasePolicy,
    /// Index in `Gazetteer::inflections` of the case that made this form.
    inflection: Option<u16>,
}

/// One name found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// Byte range in the searched text.
    pub range: Range<usize>,
    /// Index of the entity in the lexicon.
    pub entity: usize,
    /// The inflection that made the matched form, when it is not a name of
    /// the lexicon itself (see [`Gazetteer::inflection`]).
    pub inflection: Option<u16>,
}

/// Most names searched with a DFA (see [`Gazetteer::new`]).
const DFA_NAMES: usize = 1000;

/// An Aho-Corasick automaton over the names of a set of languages.
pub struct Gazetteer {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    /// Labels of the inflections (`pl:gen`).
    inflections: Vec<String>,
}

/// Folds text for matching without changing byte offsets: each character is
/// lower-cased when its lower-case form is one character of the same UTF-8
/// length (all letters of the EU's scripts) and final sigma becomes sigma.
/// (Names with an apostrophe are matched in both its forms, `'` and `’`.)
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] appending to `out`.
fn fold_into(text: &str, out: &mut String) {
    // ASCII runs (most of the text of most languages) are copied lower-cased
    // in one step; other characters one by one.
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        if ascii > 0 {
            let (run, tail) = rest.split_at(ascii);
            let start = out.len();
            out.push_str(run);
            out[start..].make_ascii_lowercase();
            rest = tail;
            continue;
        }
        let c = rest.chars().next().expect("non-empty");
        rest = &rest[c.len_utf8()..];
        fold_char(c, out);
    }
}

fn fold_char(c: char, out: &mut String) {
    let f = match c {
        _ if c.is_ascii() => c.to_ascii_lowercase(),
        'ς' => 'σ',
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        }
    };
    out.push(f);
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Gazetteer {
    /// Builds the automaton over the names in `languages` (all languages when
    /// empty). Two entities with the same name in one language is an error.
    pub fn new(lexicon: &Lexicon, languages: &[&str]) -> Result<Gazetteer> {
        let mut patterns = Vec::new();
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for (i, e) in lexicon.entities.iter().enumerate() {
            for (lang, names) in &e.names {
                if !languages.is_empty() && !languages.contains(&lang.as_str()) {
                    continue;
                }
                for name in names {
                    let name = name.trim();
                    if name.is_empty() {
                        continue;
                    }
                    let key = (lang.clone(), name.to_string());
                    match seen.get(&key) {
                        Some(&j) if j != i => {
                            return Err(Error::Data {
                                path: e.file.clone(),
                                line: 0,
                                message: format!(
                                    "name {name:?} ({lang}) given to both {} and {}",
                                    lexicon.entities[j].id, e.id
                                ),
                            });
                        }
                        Some(_) => continue,
                        None => {
                            seen.insert(key, i);
                        }
                    }
                    let mut variants = vec![name.to_string()];
                    if name.contains('\'') {
                        variants.push(name.replace('\'', "\u{2019}"));
                    }
                    if name.contains('\u{2019}') {
                        variants.push(name.replace('\u{2019}', "'"));
                    }
                    for v in variants {
                        patterns.push(Pattern {
                            entity: i,
                            policy: CasePolicy::of(&v),
                            name: v,
                            inflection: None,
                        });
                    }
                }
            }
        }
        let mut inflections = Vec::new();
        if !languages.is_empty() {
            inflected_patterns(lexicon, languages, &mut patterns, &mut inflections);
        }
        let folded: Vec<String> = patterns.iter().map(|p| fold(&p.name)).collect();
        // A contiguous NFA builds in milliseconds for tens of thousands of
        // names, where a DFA would take seconds and much memory for no
        // measurable gain. A few hundred names (a language's framework
        // phrases) make a small DFA, which steps through text with one table
        // look-up a byte: ~1.5% of a build's CPU less.
        let kind = if folded.len() <= DFA_NAMES {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(kind))
            .build(&folded)
            .map_err(|e| Error::Other(format!("building the gazetteer: {e}")))?;
        Ok(Gazetteer {
            automaton,
            patterns,
            inflections,
        })
    }

    /// The inflection (`pl:gen`) that made the form `m` matched, or `None`
    /// for a name of the lexicon as listed.
    pub fn inflection(&self, m: &NameMatch) -> Option<&str> {
        m.inflection.map(|i| self.inflections[i as usize].as_str())
    }

    /// Number of name patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// Whether there are no names at all.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The names found in `text`: at word boundaries, respecting each name's
    /// case policy, overlapping matches resolved longest first, in text order.
    pub fn find(&self, text: &str) -> Vec<NameMatch> {
        resolve(self.candidates(text))
    }

    /// The names found inside `range` of `text` other than the one spanning
    /// all of it: the parties named in "EU-India Trade and Technology Council".
    pub fn find_within(&self, text: &str, range: std::ops::Range<usize>) -> Vec<NameMatch> {
        // Only the name itself is searched: its ends are word boundaries.
        let len = range.len();
        resolve(
            self.candidates(&text[range.clone()])
                .into_iter()
                .filter(|c| c.range != (0..len))
                .map(|c| NameMatch {
                    range: c.range.start + range.start..c.range.end + range.start,
                    ..c
                })
                .collect(),
        )
    }

    /// Every valid match, overlapping ones included.
    fn candidates(&self, text: &str) -> Vec<NameMatch> {
        let folded = fold(text);
        let mut candidates: Vec<NameMatch> = Vec::new();
        for m in self.automaton.find_overlapping_iter(&folded) {
            let (s, e) = (m.start(), m.end());
            if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
                continue;
            }
            if text[..s].chars().next_back().is_some_and(is_word_char)
                || text[e..].chars().next().is_some_and(is_word_char)
            {
                continue;
            }
            let p = &self.patterns[m.pattern().as_usize()];
            let span = &text[s..e];
            let ok = match p.policy {
                CasePolicy::Exact => span == p.name,
                CasePolicy::Capitalised => {
                    !span.chars().any(char::is_lowercase)
                        || p.name
                            .chars()
                            .zip(span.chars())
                            .all(|(n, t)| !n.is_uppercase() || t.is_uppercase())
                }
                CasePolicy::Any => true,
            };
            if ok {
                candidates.push(NameMatch {
                    range: s..e,
                    entity: p.entity,
                    inflection: p.inflection,
                });
            }
        }
        candidates
    }
}

/// Adds the inflected forms of the names in `languages` (those with rules)
/// as patterns, with their labels in `labels`. A form is left out when it is
/// a name of another entity in any language, a form of another entity's name
/// too, a stop word of its language, or excluded by the rules.
fn inflected_patterns(
    lexicon: &Lexicon,
    languages: &[&str],
    patterns: &mut Vec<Pattern>,
    labels: &mut Vec<String>,
) {
    let ruled: Vec<&str> = languages
        .iter()
        .copied()
        .filter(|l| lexicon.inflection.language(l).is_some())
        .collect();
    if ruled.is_empty() {
        return;
    }
    let stopwords: HashSet<String> = ruled
        .iter()
        .filter_map(|l| crate::document::language::table().languages.get(*l))
        .flat_map(|d| d.stopwords.iter().map(|w| fold(w)))
        .collect();
    // Proposed forms in lexicon order; a form proposed for two entities is
    // ambiguous and dropped.
    let mut proposed: Vec<(String, usize, String, u16)> = Vec::new();
    let mut proposer: HashMap<String, Option<usize>> = HashMap::new();
    for lang in ruled {
        let rules = lexicon.inflection.language(lang).expect("filtered above");
        let first_label = labels.len();
        labels.extend(rules.case_names().map(|c| format!("{lang}:{c}")));
        for (i, e) in lexicon.entities.iter().enumerate() {
            let Some(names) = e.names.get(lang) else {
                continue;
            };
            for name in names {
                for v in rules.variants(name.trim(), e.class) {
                    let f = fold(&v.form);
                    if rules.excludes(&f) || stopwords.contains(&f) {
                        continue;
                    }
                    let index = first_label + v.case;
                    proposer
                        .entry(f.clone())
                        .and_modify(|o| {
                            if *o != Some(i) {
                                *o = None
                            }
                        })
                        .or_insert(Some(i));
                    proposed.push((f, i, v.form, index as u16));
                }
            }
        }
    }
    // A form that is another entity's name in any language is left out. The
    // same entity's name in another language (Czech `Japonska` is Slovenian
    // for Japan) is kept: that language's names are not loaded.
    let mut buf = String::new();
    for (j, e) in lexicon.entities.iter().enumerate() {
        for name in e.names.values().flatten() {
            buf.clear();
            fold_into(name.trim(), &mut buf);
            if let Some(o) = proposer.get_mut(buf.as_str())
                && *o != Some(j)
            {
                *o = None;
            }
        }
    }
    let mut added: HashSet<(String, usize)> = HashSet::new();
    for (f, i, form, index) in proposed {
        if proposer.get(&f) == Some(&Some(i)) && added.insert((f, i)) {
            patterns.push(Pattern {
                entity: i,
                policy: CasePolicy::of(&form),
                name: form,
                inflection: Some(index),
            });
        }
    }
}

/// Resolves overlapping matches: longest first, then leftmost, a name as
/// listed before an inflected form; keeps those not overlapping a kept one;
/// returns them in text order.
fn resolve(mut candidates: Vec<NameMatch>) -> Vec<NameMatch> {
    {
        candidates.sort_by(|a, b| {
            (b.range.len(), a.range.start, a.entity, a.inflection).cmp(&(
                a.range.len(),
                b.range.start,
                b.entity,
                b.inflection,
            ))
        });
        // Kept ranges are disjoint, keyed by start: a candidate overlaps one
        // only if it overlaps the last kept range starting before its end.
        let mut kept: std::collections::BTreeMap<usize, NameMatch> = Default::default();
        for c in candidates {
            let clear = kept
                .range(..c.range.end)
                .next_back()
                .is_none_or(|(_, k)| k.range.end <= c.range.start);
            if clear {
                kept.insert(c.range.start, c);
            }
        }
        kept.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Entity;
    use crate::ontology::Class;

    fn lexicon(entries: &[(&str, &[&str])]) -> Lexicon {
        let mut lex = Lexicon::default();
        for (id, names) in entries {
            lex.entities.push(Entity {
                id: id.to_string(),
                class: Class::EUBody,
                label: id.to_string(),
                authority: None,
                iso: None,
                identifier: None,
                names: [(
                    "xx".to_string(),
                    names.iter().map(|s| s.to_string()).collect(),
                )]
                .into(),
                file: "test.toml".into(),
            });
        }
        lex
    }

    fn found(g: &Gazetteer, lex: &Lexicon, text: &str) -> Vec<(String, String)> {
        g.find(text)
            .into_iter()
            .map(|m| (text[m.range].to_string(), lex.entities[m.entity].id.clone()))
            .collect()
    }

    #[test]
    fn case_policy_boundaries_and_longest_match() {
        let lex = lexicon(&[
            ("eu", &["EU", "Europese Unie"]),
            ("council", &["Raad"]),
            ("euco", &["Europese Raad"]),
            ("hr", &["hoge vertegenwoordiger"]),
            ("fac", &["Raad Buitenlandse Zaken"]),
        ]);
        let g = Gazetteer::new(&lex, &[]).unwrap();
        let t = "De Raad en de Europese Raad vragen de Hoge Vertegenwoordiger, de \
                 EU-lidstaten en de RAAD BUITENLANDSE ZAKEN om raad; eu-burgers niet.";
        let got = found(&g, &lex, t);
        let ids: Vec<&str> = got.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["council", "euco", "hr", "eu", "fac"], "{got:?}");
        // `raad` (advice) and `eu-burgers` are not mentions; `Raden` is not `Raad`.
        assert!(found(&g, &lex, "de Raden van bestuur").is_empty());
        // Every capital of a multi-word name counts: `Europese raad` is not it.
        let got = found(&g, &lex, "een Europese raad van wijzen");
        assert!(got.iter().all(|(_, id)| id != "euco"), "{got:?}");
    }

    #[test]
    fn inflected_forms_match_unless_they_collide() {
        let mut lex = lexicon(&[
            ("jpn", &["Japonia"]),
            ("council", &["Rada"]),
            // A name that is also a form of another name ("Rady" of "Rada").
            ("rady", &["Rady"]),
            // Two names with the same form: "Kuby" of "Kuba" and of "Kubo".
            ("kuba", &["Kuba"]),
            ("kubo", &["Kubo"]),
            ("nato", &["NATO"]),
        ]);
        lex.inflection = crate::extract::inflection::Inflection::parse(
            r#"
[xx]
exclude = ["Japonią"]
[[xx.case]]
name = "gen"
rules = [{ end = "ia", to = ["ii"] }, { end = "a", to = ["y"] }, { end = "o", to = ["y"] }]
[[xx.case]]
name = "inst"
rules = [{ end = "a", to = ["ą"] }, { end = "", to = ["em"] }]
"#,
        )
        .unwrap();
        let g = Gazetteer::new(&lex, &["xx"]).unwrap();
        let t = "Rząd Japonii, Rady i Kuby rozmawia z Radą, z Japonią i z NATOem.";
        let got: Vec<(String, String, Option<&str>)> = g
            .find(t)
            .into_iter()
            .map(|m| {
                (
                    t[m.range.clone()].to_string(),
                    lex.entities[m.entity].id.clone(),
                    g.inflection(&m),
                )
            })
            .collect();
        let want = [
            ("Japonii", "jpn", Some("xx:gen")),
            ("Rady", "rady", None),
            ("Radą", "council", Some("xx:inst")),
        ];
        let want: Vec<(String, String, Option<&str>)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
            .collect();
        assert_eq!(got, want);
        // Without a language the forms are not added (the language is unknown).
        let all = Gazetteer::new(&lex, &[]).unwrap();
        assert!(all.find("Rząd Japonii").is_empty());
    }

    #[test]
    fn fold_keeps_offsets() {
        for s in ["ÀÉÎÕÜ Straße ΣΟΦΊΑΣ İstanbul ﬁ", "Ελλάδα ΕΛΛΆΔΑ", "ŁÓDŹ"]
        {
            assert_eq!(fold(s).len(), s.len());
        }
        assert_eq!(fold("ΟΔΟΣ"), "οδοσ");
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crate::ontology::DataSource;

    /// Build time and size of the gazetteer of each language, with and
    /// without inflection: `cargo test --release --lib gazetteer_build_time
    /// -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn gazetteer_build_time() {
        let lex = Lexicon::load(&DataSource::Embedded).unwrap();
        let mut plain = lex.clone();
        plain.inflection = Default::default();
        for lang in ["nl", "da", "de", "pl", "cs", "fi", "el", "sv"] {
            for (what, l) in [("plain", &plain), ("inflected", &lex)] {
                let t = std::time::Instant::now();
                let g = Gazetteer::new(l, &[lang, "en"]).unwrap();
                println!(
                    "{lang} {what:9} {:6} patterns {:7.2} ms",
                    g.len(),
                    t.elapsed().as_secs_f64() * 1000.0
                );
            }
        }
        if let Ok(lang) = std::env::var("DUMP_VARIANTS") {
            let g = Gazetteer::new(&lex, &[lang.as_str()]).unwrap();
            for p in g.patterns.iter().filter(|p| p.inflection.is_some()) {
                println!(
                    "{}\t{}\t{}",
                    lex.entities[p.entity].id,
                    p.name,
                    g.inflections[p.inflection.unwrap() as usize]
                );
            }
        }
    }
}

//! Applies the relation rules of a document's language to its sentences.
//!
//! Each sentence becomes an analysis string in which entity mentions and
//! framework phrases are tokens (`⟦Country:3⟧`); a footnote whose marker stands
//! in the sentence is inlined in brackets at the marker, so that "digital
//! partnerships¹³" with footnote 13 "With Japan, Korea and Canada." reads as
//! one sentence: `⟦Framework:0⟧ ⟪Met ⟦Country:1⟧, ⟦Country:2⟧ en ⟦Country:3⟧.⟫`.
//! Rules (see [`super::rules`]) are matched on that string.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::document::{Document, ParagraphKind};
use crate::fact::{Evidence, Fact};

use super::gazetteer::Gazetteer;
use super::rules::{CLOSE, OPEN, RuleSet, RuleTarget};
use super::sentence::sentences;

/// An entity mention found in a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub paragraph: usize,
    /// Byte range in the paragraph's normalised text.
    pub range: Range<usize>,
    pub iri: String,
    /// Class local name (`Country`, `Document`, …).
    pub class: &'static str,
}

/// A numeric attribute found by a rule (`lengthKm`).
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeFact {
    pub subject: String,
    pub name: &'static str,
    pub value: f64,
    pub evidence: Evidence,
}

/// What a token in the analysis string stands for.
#[derive(Debug, Clone)]
enum Token {
    Entity(usize),
    Framework(String),
}

/// The analysis string of one sentence and what its tokens stand for.
struct Analysis {
    text: String,
    tokens: Vec<Token>,
    /// Paragraphs whose text was used (the sentence's, and inlined footnotes').
    footnotes: Vec<usize>,
}

/// Finds framework phrases: a gazetteer whose "entities" are frameworks.
pub struct FrameworkFinder {
    gazetteer: Gazetteer,
    names: Vec<String>,
}

impl FrameworkFinder {
    /// Builds the finder for the framework phrases of `rules`.
    pub fn new(rules: &RuleSet) -> crate::error::Result<FrameworkFinder> {
        let mut lex = crate::lexicon::Lexicon::default();
        let mut names = Vec::new();
        for (name, phrases) in &rules.frameworks {
            lex.entities.push(crate::lexicon::Entity {
                id: format!("framework/{name}"),
                class: crate::ontology::Class::Partnership,
                label: name.clone(),
                authority: None,
                iso: None,
                identifier: None,
                names: [(rules.language.clone(), phrases.clone())].into(),
                file: rules.file.clone(),
            });
            names.push(name.clone());
        }
        Ok(FrameworkFinder {
            gazetteer: Gazetteer::new(&lex, &[])?,
            names,
        })
    }

    /// The framework phrases in `text`, with their ranges, in text order.
    pub fn find_ranges(&self, text: &str) -> Vec<(Range<usize>, String)> {
        self.find(text)
    }

    fn find(&self, text: &str) -> Vec<(Range<usize>, String)> {
        self.gazetteer
            .find(text)
            .into_iter()
            .map(|m| (m.range, self.names[m.entity].clone()))
            .collect()
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The items of `sorted` (by range start) that start inside `within`, or
/// that may overlap it when `reach` is the longest item: a slice found by
/// binary search, so that a paragraph of many sentences is not quadratic.
fn window<'a, T>(
    sorted: &'a [T],
    range_of: impl Fn(&T) -> &Range<usize>,
    within: &Range<usize>,
    reach: usize,
) -> &'a [T] {
    let lo = sorted.partition_point(|t| range_of(t).start < within.start.saturating_sub(reach));
    let hi = sorted.partition_point(|t| range_of(t).start < within.end);
    &sorted[lo..hi.max(lo)]
}

/// Appends the analysis text of `text[range]` of paragraph `p` to `out`.
/// `mentions` and `frameworks` are sorted by start; `longest` is the length
/// of the longest mention.
fn append_piece(
    out: &mut Analysis,
    text: &str,
    range: Range<usize>,
    (mentions, longest): (&[(usize, &Mention)], usize),
    frameworks: &[(Range<usize>, String)],
) {
    let mut items: Vec<(Range<usize>, Token, &str)> = Vec::new();
    let inside = |r: &Range<usize>| r.start >= range.start && r.end <= range.end;
    // A framework phrase that is an entity's name or contains one
    // ("pakketten voor de digitale economie", "dialogues on cybersecurity",
    // "Trade and Technology Council") is read as the framework; an entity name
    // that extends beyond a framework phrase wins.
    for (r, name) in window(frameworks, |f| &f.0, &range, 0) {
        if inside(r)
            && window(mentions, |m| &m.1.range, r, longest)
                .iter()
                .all(|(_, m)| {
                    !overlaps(&m.range, r) || (m.range.start >= r.start && m.range.end <= r.end)
                })
        {
            items.push((r.clone(), Token::Framework(name.clone()), "Framework"));
        }
    }
    let frameworks_here = items.len();
    for (i, m) in window(mentions, |m| &m.1.range, &range, 0) {
        if inside(&m.range)
            && !items[..frameworks_here]
                .iter()
                .any(|(ir, _, _)| overlaps(ir, &m.range))
            && items[frameworks_here..]
                .last()
                .is_none_or(|(ir, _, _)| !overlaps(ir, &m.range))
        {
            items.push((m.range.clone(), Token::Entity(*i), m.class));
        }
    }
    items.sort_by_key(|(r, _, _)| r.start);
    let mut pos = range.start;
    for (r, token, class) in items {
        out.text.push_str(&text[pos..r.start]);
        out.text
            .push_str(&format!("{OPEN}{class}:{}{CLOSE}", out.tokens.len()));
        out.tokens.push(token);
        pos = r.end;
    }
    out.text.push_str(&text[pos..range.end]);
}

/// Token indices in a captured group, keeping only tokens of `classes` when given.
fn token_indices_of(s: &str, classes: Option<&Vec<String>>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len_utf8()..];
        let Some(close) = after.find(CLOSE) else {
            break;
        };
        if let Some((class, n)) = after[..close].rsplit_once(':')
            && let Ok(n) = n.parse()
            && classes.is_none_or(|cs| cs.iter().any(|c| c == class))
        {
            out.push(n);
        }
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out
}

/// Token indices in a captured group.
fn token_indices(s: &str) -> Vec<usize> {
    token_indices_of(s, None)
}

/// Parses a number as printed (`11 700`, `11.700`, `11,700`, `2 000,5`).
fn parse_number(s: &str) -> Option<f64> {
    let digits: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .collect();
    // A separator followed by exactly three digits is a thousands separator.
    let mut clean = String::new();
    let chars: Vec<char> = digits.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '.' || *c == ',' {
            let tail = chars[i + 1..]
                .iter()
                .take_while(|d| d.is_ascii_digit())
                .count();
            let rest = chars.len() - i - 1;
            if tail == 3 && (rest == 3 || chars.get(i + 4).is_some_and(|d| *d == '.' || *d == ','))
            {
                continue;
            }
            clean.push('.');
        } else {
            clean.push(*c);
        }
    }
    clean.parse().ok()
}

/// For each paragraph, the paragraph that introduces the list it is an item
/// of: the nearest earlier paragraph ending with `:`, when every paragraph in
/// between (footnotes aside) is a numbered, lettered or bulleted item.
fn lead_ins(doc: &Document) -> Vec<Option<usize>> {
    let mut out = vec![None; doc.paragraphs.len()];
    let mut current: Option<(usize, Option<char>)> = None;
    for p in &doc.paragraphs {
        if p.kind == ParagraphKind::Footnote || p.kind == ParagraphKind::Header {
            continue;
        }
        // Items of one list share a label style: 1) 2) 3), a) b), or bullets.
        let style = p.label.as_deref().map(|l| {
            if l.chars().all(|c| c.is_ascii_digit()) {
                '1'
            } else if l.chars().all(char::is_alphabetic) {
                'a'
            } else {
                l.chars().next().unwrap_or('-')
            }
        });
        let is_item = p.kind == ParagraphKind::ListItem || style.is_some();
        match (&mut current, is_item) {
            (Some((_, list_style)), true) if list_style.is_none() || *list_style == style => {
                *list_style = style;
                out[p.index] = current.map(|(l, _)| l);
            }
            _ => current = None,
        }
        if p.text.trim_end().ends_with(':') {
            current = Some((p.index, None));
        }
    }
    out
}

/// Applies `rules` to every sentence of `doc`. `mentions` are all entity
/// mentions of the document; `resolve` gives the IRI of a lexicon id. Fails
/// only when a rule needed here does not compile.
pub fn find_relations(
    doc: &Document,
    mentions: &[Mention],
    rules: &RuleSet,
    frameworks: &FrameworkFinder,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> crate::error::Result<(Vec<Fact>, Vec<AttributeFact>)> {
    let mut facts = BTreeSet::new();
    let mut attributes = Vec::new();
    let by_para: Vec<Vec<(usize, &Mention)>> = {
        let mut v: Vec<Vec<(usize, &Mention)>> = vec![Vec::new(); doc.paragraphs.len()];
        for (i, m) in mentions.iter().enumerate() {
            if let Some(slot) = v.get_mut(m.paragraph) {
                slot.push((i, m));
            }
        }
        // Sorted by start (stable: the first found wins a tie) for `window`.
        for slot in &mut v {
            slot.sort_by_key(|(_, m)| m.range.start);
        }
        v
    };
    let longest: Vec<usize> = by_para
        .iter()
        .map(|ms| ms.iter().map(|(_, m)| m.range.len()).max().unwrap_or(0))
        .collect();
    let fw_by_para: Vec<Vec<(Range<usize>, String)>> = doc
        .paragraphs
        .iter()
        .map(|p| {
            let mut found = frameworks.find(&p.text);
            found.sort_by_key(|(r, _)| r.start);
            found
        })
        .collect();
    let lead_in = lead_ins(doc);
    for p in &doc.paragraphs {
        if p.kind == ParagraphKind::Header {
            continue;
        }
        let mut first_unit = true;
        let mut units: Vec<(Range<usize>, bool)> = sentences(&p.text, &rules.abbreviations)
            .into_iter()
            .map(|r| (r, false))
            .collect();
        if rules.rules.iter().any(|r| r.paragraph_scope) && !p.text.is_empty() {
            units.push((0..p.text.len(), true));
        }
        for (sent, whole) in units {
            let mut a = Analysis {
                text: String::new(),
                tokens: Vec::new(),
                footnotes: Vec::new(),
            };
            // The first sentence of a list item is read after the sentence that
            // introduces the list ("Investments include:"), which it completes.
            if first_unit
                && !whole
                && let Some(l) = lead_in[p.index].and_then(|l| doc.paragraphs.get(l))
            {
                append_piece(
                    &mut a,
                    &l.text,
                    0..l.text.len(),
                    (&by_para[l.index], longest[l.index]),
                    &fw_by_para[l.index],
                );
                a.text.push(' ');
            }
            if !whole {
                first_unit = false;
            }
            let mut pos = sent.start;
            let mut refs: Vec<_> = p
                .footnote_refs
                .iter()
                .filter(|r| r.at > sent.start && r.at <= sent.end)
                .collect();
            refs.sort_by_key(|r| r.at);
            for r in refs {
                let Some(f) = r.footnote.and_then(|f| doc.paragraphs.get(f)) else {
                    continue;
                };
                append_piece(
                    &mut a,
                    &p.text,
                    pos..r.at,
                    (&by_para[p.index], longest[p.index]),
                    &fw_by_para[p.index],
                );
                a.text.push_str(" ⟪");
                append_piece(
                    &mut a,
                    &f.text,
                    0..f.text.len(),
                    (&by_para[f.index], longest[f.index]),
                    &fw_by_para[f.index],
                );
                a.text.push_str("⟫ ");
                a.footnotes.push(f.index);
                pos = r.at;
            }
            append_piece(
                &mut a,
                &p.text,
                pos..sent.end,
                (&by_para[p.index], longest[p.index]),
                &fw_by_para[p.index],
            );
            let orig = p.original_range_in(sent.clone(), &doc.text);
            let evidence_for = |rule: &str, tokens: &[usize]| -> Vec<Evidence> {
                let mut ev = vec![Evidence {
                    paragraph: p.index,
                    start: orig.start,
                    end: orig.end,
                    rule: rule.to_string(),
                }];
                for &t in tokens {
                    if let Some(Token::Entity(i)) = a.tokens.get(t) {
                        let m = &mentions[*i];
                        if m.paragraph != p.index {
                            let f = &doc.paragraphs[m.paragraph];
                            let e = Evidence {
                                paragraph: f.index,
                                start: f.original.start,
                                end: f.original.end,
                                rule: rule.to_string(),
                            };
                            if !ev.contains(&e) {
                                ev.push(e);
                            }
                        }
                    }
                }
                ev
            };
            // (implicit subject?, fact) for this unit: a rule that names the
            // subject ("CALLS ON the Commission … in cooperation with X") wins
            // over one that assumes the author's side for the same object.
            let mut unit_facts: Vec<(bool, Fact)> = Vec::new();
            let present = rules.prefilter.present(&a.text);
            let rules_here = rules.rules.iter().filter(|r| {
                if r.paragraph_scope != whole {
                    return false;
                }
                let may_match = r.requirement.met(&present);
                // Debug builds (the tests) check the prefilter never skips a
                // rule that matches.
                debug_assert!(
                    may_match || r.regex().is_ok_and(|x| !x.is_match(&a.text)),
                    "prefilter skipped {} on {:?}",
                    r.id,
                    a.text
                );
                may_match
            });
            for rule in rules_here {
                for c in rule.regex()?.captures_iter(&a.text) {
                    if rule.gaps.iter().enumerate().any(|(i, max)| {
                        c.name(&format!("gap{i}"))
                            .is_some_and(|g| g.as_str().chars().count() > *max)
                    }) {
                        continue;
                    }
                    // A negation anywhere in the clause up to the end of the
                    // match; in a paragraph-wide unit the clause starts no
                    // earlier than the sentence the match starts in.
                    let whole_match = c.get(0).expect("match");
                    let upto = &a.text[..whole_match.end()];
                    let mut clause_start = upto.rfind(';').map_or(0, |i| i + 1);
                    if whole {
                        let sentence = a.text[..whole_match.start()]
                            .rfind(". ")
                            .map_or(0, |i| i + 2);
                        clause_start = clause_start.max(sentence);
                    }
                    let clause = &upto[clause_start..];
                    let clause = match &rules.negation_exceptions {
                        Some(x) => x.replace_all(clause, " ").into_owned(),
                        None => clause.to_string(),
                    };
                    if !rule.allow_negation
                        && rules.negation.as_ref().is_some_and(|n| n.is_match(&clause))
                    {
                        continue;
                    }
                    let group = |g: &Option<String>| -> Vec<usize> {
                        g.as_ref()
                            .and_then(|g| c.name(g).map(|m| (g, m)))
                            .map(|(g, m)| token_indices_of(m.as_str(), rule.bags.get(g)))
                            .unwrap_or_default()
                    };
                    let entity = |t: usize| match a.tokens.get(t) {
                        Some(Token::Entity(i)) => Some(mentions[*i].iri.clone()),
                        _ => None,
                    };
                    let mut subjects: Vec<String> = group(&rule.subject)
                        .into_iter()
                        .filter_map(entity)
                        .collect();
                    let implicit = subjects.is_empty();
                    if implicit && let Some(d) = rule.default_subject.as_deref().and_then(resolve) {
                        subjects.push(d);
                    }
                    let object_tokens = group(&rule.object);
                    let mut all_tokens = group(&rule.subject);
                    all_tokens.extend(&object_tokens);
                    let evidence = evidence_for(&rule.id, &all_tokens);
                    match &rule.target {
                        RuleTarget::Attribute(name) => {
                            let Some(v) = rule
                                .value
                                .as_ref()
                                .and_then(|g| c.name(g))
                                .and_then(|m| parse_number(m.as_str()))
                            else {
                                continue;
                            };
                            for s in &subjects {
                                attributes.push(AttributeFact {
                                    subject: s.clone(),
                                    name,
                                    value: v,
                                    evidence: evidence[0].clone(),
                                });
                            }
                        }
                        RuleTarget::Relation(predicate) => {
                            let framework = match rule.framework.as_deref() {
                                Some(f) => match f.strip_prefix('@') {
                                    Some(g) => c
                                        .name(g)
                                        .map(|m| token_indices(m.as_str()))
                                        .and_then(|t| t.first().copied())
                                        .and_then(|t| match a.tokens.get(t) {
                                            Some(Token::Framework(n)) => Some(n.clone()),
                                            _ => None,
                                        }),
                                    None => Some(f.to_string()),
                                },
                                None => None,
                            };
                            let objects: Vec<String> =
                                object_tokens.into_iter().filter_map(entity).collect();
                            for s in &subjects {
                                for o in &objects {
                                    if s == o {
                                        continue;
                                    }
                                    for e in &evidence {
                                        unit_facts.push((
                                            implicit,
                                            Fact {
                                                subject: s.clone(),
                                                predicate: *predicate,
                                                object: o.clone(),
                                                framework: framework.clone(),
                                                evidence: e.clone(),
                                            },
                                        ));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (implicit, f) in &unit_facts {
                if *implicit
                    && unit_facts
                        .iter()
                        .any(|(i, g)| !i && g.predicate == f.predicate && g.object == f.object)
                {
                    continue;
                }
                facts.insert(f.clone());
            }
        }
    }
    Ok((facts.into_iter().collect(), attributes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_printed() {
        assert_eq!(parse_number("11 700"), Some(11700.0));
        assert_eq!(parse_number("11.700"), Some(11700.0));
        assert_eq!(parse_number("11,700"), Some(11700.0));
        assert_eq!(parse_number("2 000,5"), Some(2000.5));
        assert_eq!(parse_number("1.234.567"), Some(1234567.0));
        assert_eq!(parse_number("12,5"), Some(12.5));
    }

    #[test]
    fn tokens_in_groups() {
        assert_eq!(
            token_indices("⟦Country:3⟧, ⟦Region:12⟧ en ⟦Country:4⟧"),
            [3, 12, 4]
        );
    }
}

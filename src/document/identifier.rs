//! Formal identifiers of EU documents found in text, in any EU language.
//!
//! Three families are recognised, in this order (a later family never matches
//! inside an earlier one's match, so the "2022/2065" of an act is not also read as
//! a Council document):
//!
//! 1. **EU acts**: regulations, directives and decisions, written with the act word
//!    of any EU language ("Regulation", "Verordening", "règlement", "κανονισμός",
//!    "rozporządzenia", …, from `ontology/languages.toml`), an authority in brackets
//!    or after the number ("(EU)", "(UE)", "(ΕΕ)", "/EG", "(GBVB)"), and the number in
//!    the new ("2022/2065") or old ("No 1049/2001", "2000/31/EC") style. Hungarian
//!    puts the act word after the number ("az (EU) 2022/2065 rendelet"). A bare
//!    "(EU) 2022/1925" joined to a preceding act by "and"/"en"/"und"/… takes its
//!    type. Canonical form is English: `Regulation (EU) 2022/2065`,
//!    `Regulation (EC) No 1049/2001`, `Directive 2000/31/EC`,
//!    `Decision (CFSP) 2019/797`. ELI and CELEX numbers are derived.
//! 2. **Commission documents**: `COM(2025) 140 final`, `JOIN(…)`, `SWD(…)`,
//!    `C(2024) 1181`, also `COM (2025) 140` and `COM/2025/140`. The canonical form is
//!    `KIND(YEAR) NUMBER`, followed by ` final` exactly when the text prints "final";
//!    [`DocIdentifier::variants`] gives the other spelling, and the slug ignores it.
//! 3. **Council documents**: `15315/1/25 REV 1`, `11088/23`, `14928/25 ADD 1`,
//!    `ST 9876 2024 INIT`. The number has 3–5 digits, the year 2 (1990–2049). The
//!    canonical form is `NUMBER/YY`, or `NUMBER/R/YY REV R` for revision R (also when
//!    only one of "/R/" and "REV R" is printed), followed by any `ADD n`/`COR n`.
//!    Not taken: numbers glued to other digits or slashes (dates `12/03/2025`, URL
//!    paths, `2023/0123(COD)`), numbers after a page or Official Journal mark
//!    (`p. 123/45`, `L 119/1`), and numbers followed by `%`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::language::{fold, table};

/// Kind of a formal document identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// A Council document ("15315/1/25 REV 1").
    CouncilDocument,
    /// A Commission document ("COM(2025) 140 final").
    Com,
    /// A joint document of the Commission and the High Representative ("JOIN(…)").
    Join,
    /// A staff working document ("SWD(…)").
    Swd,
    /// A Commission act or decision numbered "C(2024) 1181".
    CommissionAct,
    /// An EU regulation.
    Regulation,
    /// An EU directive.
    Directive,
    /// An EU decision.
    Decision,
}

impl IdKind {
    /// Stable lower-case name, used in IRIs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::CouncilDocument => "council-document",
            IdKind::Com => "com",
            IdKind::Join => "join",
            IdKind::Swd => "swd",
            IdKind::CommissionAct => "commission-act",
            IdKind::Regulation => "regulation",
            IdKind::Directive => "directive",
            IdKind::Decision => "decision",
        }
    }

    /// Whether this is a legal act (regulation, directive, decision).
    pub fn is_act(self) -> bool {
        matches!(
            self,
            IdKind::Regulation | IdKind::Directive | IdKind::Decision
        )
    }

    /// English act word for the canonical form.
    fn act_word(self) -> &'static str {
        match self {
            IdKind::Regulation => "Regulation",
            IdKind::Directive => "Directive",
            _ => "Decision",
        }
    }
}

/// How an act number was printed, which decides its canonical English form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActStyle {
    /// "(EU) 2022/2065": authority in brackets, year first.
    Bracketed,
    /// "(EC) No 1049/2001": authority in brackets, number first.
    Numbered,
    /// "2000/31/EC": year first, authority after the number.
    Suffixed,
}

/// A formal identifier of an EU document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocIdentifier {
    pub kind: IdKind,
    /// Canonical English form (see the module documentation).
    pub canonical: String,
    /// Four-digit year.
    pub year: u16,
    /// Document or act number.
    pub number: u32,
    /// Revision of a Council document ("REV 1").
    pub revision: Option<u32>,
    /// Addenda and corrigenda of a Council document, as printed: ("ADD", 1).
    pub parts: Vec<(String, u32)>,
    /// Canonical authorities of an act ("EU", "EC", "CFSP", "Euratom").
    pub authorities: Vec<String>,
    /// Number style of an act; `None` for other kinds.
    pub style: Option<ActStyle>,
    /// Whether a Commission document was printed with "final".
    pub final_printed: bool,
}

impl DocIdentifier {
    /// European Legislation Identifier of an act,
    /// e.g. `http://data.europa.eu/eli/reg/2022/2065/oj`; `None` for other kinds.
    pub fn eli(&self) -> Option<String> {
        let kind = match self.kind {
            IdKind::Regulation => "reg",
            IdKind::Directive => "dir",
            IdKind::Decision => "dec",
            _ => return None,
        };
        Some(format!(
            "http://data.europa.eu/eli/{kind}/{}/{}/oj",
            self.year, self.number
        ))
    }

    /// CELEX number: `32022R2065` for acts (sector 3, R/L/D), `52025DC0140` for
    /// COM, `52025JC0130` for JOIN and `52024SC0012` for SWD documents (sector 5);
    /// `None` for Council documents and C(…) documents, whose CELEX depends on
    /// what the document is.
    pub fn celex(&self) -> Option<String> {
        let (sector, code) = match self.kind {
            IdKind::Regulation => ('3', "R"),
            IdKind::Directive => ('3', "L"),
            IdKind::Decision => ('3', "D"),
            IdKind::Com => ('5', "DC"),
            IdKind::Join => ('5', "JC"),
            IdKind::Swd => ('5', "SC"),
            IdKind::CouncilDocument | IdKind::CommissionAct => return None,
        };
        Some(format!("{sector}{}{code}{:04}", self.year, self.number))
    }

    /// IRI-safe lower-case key: `com-2025-140`, `st-15315-2025-rev1`,
    /// `st-9876-2024-add1`, `reg-2022-2065`, `dir-2000-31`, `dec-2019-797`.
    /// Spellings of the same document ("final" or not, old or new style) share it.
    pub fn slug(&self) -> String {
        match self.kind {
            IdKind::CouncilDocument => {
                let mut s = format!("st-{}-{}", self.number, self.year);
                if let Some(r) = self.revision {
                    s.push_str(&format!("-rev{r}"));
                }
                for (p, n) in &self.parts {
                    s.push_str(&format!("-{}{n}", p.to_lowercase()));
                }
                s
            }
            IdKind::Com | IdKind::Join | IdKind::Swd | IdKind::CommissionAct => {
                let k = match self.kind {
                    IdKind::Com => "com",
                    IdKind::Join => "join",
                    IdKind::Swd => "swd",
                    _ => "c",
                };
                format!("{k}-{}-{}", self.year, self.number)
            }
            IdKind::Regulation | IdKind::Directive | IdKind::Decision => {
                let k = match self.kind {
                    IdKind::Regulation => "reg",
                    IdKind::Directive => "dir",
                    _ => "dec",
                };
                format!("{k}-{}-{}", self.year, self.number)
            }
        }
    }

    /// Other common spellings of the same identifier, canonical first: with and
    /// without "final" for Commission documents; without "REV" and in the
    /// `ST NUMBER YEAR` form for Council documents; the canonical form alone for acts.
    pub fn variants(&self) -> Vec<String> {
        let mut out = vec![self.canonical.clone()];
        match self.kind {
            IdKind::Com | IdKind::Join | IdKind::Swd | IdKind::CommissionAct => {
                let base = self
                    .canonical
                    .strip_suffix(" final")
                    .unwrap_or(&self.canonical);
                out.push(if self.final_printed {
                    base.to_string()
                } else {
                    format!("{base} final")
                });
            }
            IdKind::CouncilDocument => {
                let yy = self.year % 100;
                if let Some(r) = self.revision {
                    out.push(format!("{}/{r}/{yy:02}", self.number));
                }
                let mut st = format!("ST {} {}", self.number, self.year);
                match self.revision {
                    Some(r) => st.push_str(&format!(" REV {r}")),
                    None if self.parts.is_empty() => st.push_str(" INIT"),
                    None => {}
                }
                for (p, n) in &self.parts {
                    st.push_str(&format!(" {p} {n}"));
                }
                out.push(st);
            }
            _ => {}
        }
        out
    }
}

/// An identifier found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentifierMatch {
    /// Byte range of the whole identifier in the text, act word included.
    pub range: Range<usize>,
    pub id: DocIdentifier,
}

/// Finds all formal identifiers in `text`, in text order, without overlaps.
pub fn find_identifiers(text: &str) -> Vec<IdentifierMatch> {
    let mut out = find_acts(text);
    for m in find_commission(text).into_iter().chain(find_council(text)) {
        if !out.iter().any(|o| overlaps(&o.range, &m.range)) {
            out.push(m);
        }
    }
    out.sort_by_key(|m| (m.range.start, m.range.end));
    out
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Compiled lookup data for act words, authorities and marks.
struct Acts {
    /// Folded act word → kind.
    words: HashMap<String, IdKind>,
    /// Folded compound prefixes ("durchfuhrungs").
    prefixes: Vec<String>,
    /// Folded words allowed between act word and number.
    qualifiers: Vec<String>,
    /// Folded act words that may follow the number (Hungarian).
    words_after: HashMap<String, IdKind>,
    /// Folded conjunctions.
    conjunctions: Vec<String>,
    /// Upper-cased authority spelling → canonical codes (two when ambiguous).
    authorities: HashMap<String, Vec<String>>,
    /// Folded page / Official Journal marks.
    page_marks: Vec<String>,
    bracketed: Regex,
    suffixed: Regex,
    bare: Regex,
    commission: Regex,
    council: Regex,
    council_st: Regex,
}

fn acts() -> &'static Acts {
    static ACTS: OnceLock<Acts> = OnceLock::new();
    ACTS.get_or_init(|| {
        let t = table();
        let mut words = HashMap::new();
        let mut words_after = HashMap::new();
        let mut prefixes = Vec::new();
        let mut qualifiers = Vec::new();
        let mut conjunctions = Vec::new();
        for data in t.languages.values() {
            for (list, kind) in [
                (&data.regulation, IdKind::Regulation),
                (&data.directive, IdKind::Directive),
                (&data.decision, IdKind::Decision),
            ] {
                for w in list {
                    words.insert(fold(w), kind);
                    if data.act_word_after {
                        words_after.insert(fold(w), kind);
                    }
                }
            }
            prefixes.extend(data.act_prefixes.iter().map(|p| fold(p)));
            qualifiers.extend(data.act_qualifiers.iter().map(|q| fold(q)));
            conjunctions.extend(data.conjunctions.iter().map(|c| fold(c)));
        }
        let mut authorities: HashMap<String, Vec<String>> = HashMap::new();
        for (code, spellings) in &t.authorities {
            for s in spellings {
                authorities
                    .entry(s.to_uppercase())
                    .or_default()
                    .push(code.clone());
            }
        }
        let mut marks: Vec<&String> = t.number_marks.iter().collect();
        marks.sort_by_key(|m| std::cmp::Reverse(m.len()));
        let marks = marks
            .iter()
            .map(|m| regex::escape(m))
            .collect::<Vec<_>>()
            .join("|");
        let auth = r"\p{L}{2,8}";
        let re = |s: &str| Regex::new(s).expect("identifier regex");
        Acts {
            words,
            prefixes,
            qualifiers,
            words_after,
            conjunctions,
            authorities,
            page_marks: t.page_marks.iter().map(|m| fold(m)).collect(),
            bracketed: re(&format!(
                r"\(\s*({auth}(?:\s*,\s*{auth})*)\s*\)\s*(?:((?i:{marks}))\s*)?(\d{{1,5}})\s*/\s*(\d{{1,5}})"
            )),
            suffixed: re(&format!(r"(\d{{1,5}})\s*/\s*(\d{{1,5}})\s*/\s*({auth})")),
            bare: re(r"(\d{4})/(\d{1,5})"),
            commission: re(
                r"\b(COM|JOIN|SWD|C)(?:\s?\(\s?(\d{4})\s?\)\s?|/(\d{4})/)(\d{1,5})(\s+final\b)?",
            ),
            council: re(
                r"(\d{3,5})/(?:(\d{1,2})/)?(\d{2})((?:\s*(?:REV|ADD|COR|AMD)\.?\s*\d{1,2}\b)*)",
            ),
            council_st: re(
                r"\bST\s+(\d{3,5})(?:\s+|/)(\d{4}|\d{2})\b((?:\s+(?:INIT|(?:REV|ADD|COR|AMD)\.?\s*\d{1,2}\b))*)",
            ),
        }
    })
}

fn prev_char(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn next_char(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// The word (run of letters) ending at `end` (after skipping spaces before `end`),
/// as (start, end).
fn word_before(text: &str, end: usize) -> Option<(usize, usize)> {
    let trimmed = text[..end].trim_end();
    let w_end = trimmed.len();
    let w_start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map(|(i, _)| i)?;
    Some((w_start, w_end))
}

/// The words (runs of letters) after `start`, up to `n` of them, as byte ranges.
fn words_after(text: &str, start: usize, n: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<usize> = None;
    for (i, c) in text[start..].char_indices() {
        let i = start + i;
        if c.is_alphabetic() {
            cur.get_or_insert(i);
        } else if let Some(s) = cur.take() {
            out.push((s, i));
            if out.len() == n {
                return out;
            }
        }
    }
    if let Some(s) = cur {
        out.push((s, text.len()));
    }
    out.truncate(n);
    out
}

/// Whether `year` is a plausible four-digit act year.
fn act_year(n: u32) -> bool {
    (1952..=2100).contains(&n)
}

/// Resolves authority spellings to canonical codes; `None` if one is unknown.
fn resolve_authorities(list: &str, year: u32) -> Option<Vec<String>> {
    let a = acts();
    let mut out = Vec::new();
    for part in list.split(',') {
        let codes = a.authorities.get(&part.trim().to_uppercase())?;
        let code = if codes.len() == 1 {
            codes[0].clone()
        } else if year >= 2010 && codes.iter().any(|c| c == "EU") {
            "EU".to_string()
        } else if codes.iter().any(|c| c == "EC") {
            "EC".to_string()
        } else {
            codes[0].clone()
        };
        out.push(code);
    }
    Some(out)
}

/// The act kind named by the folded `word`, allowing a compound prefix.
fn act_kind_of(word: &str) -> Option<IdKind> {
    let a = acts();
    let w = fold(word);
    if let Some(k) = a.words.get(&w) {
        return Some(*k);
    }
    a.prefixes.iter().find_map(|p| {
        w.strip_prefix(p.as_str())
            .and_then(|rest| a.words.get(rest.trim_start_matches('-')))
            .copied()
    })
}

/// Looks for the act word before `core_start`, skipping up to four qualifier words
/// ("d'exécution", "delegato"). Returns (kind, start of the act word).
fn act_word_before(text: &str, core_start: usize) -> Option<(IdKind, usize)> {
    let a = acts();
    let mut end = core_start;
    for _ in 0..5 {
        let (s, e) = word_before(text, end)?;
        let w = &text[s..e];
        if let Some(k) = act_kind_of(w) {
            return Some((k, s));
        }
        if !a.qualifiers.contains(&fold(w)) {
            return None;
        }
        // Allow an apostrophe between words ("d'exécution", "ta' Implimentazzjoni").
        end = text[..s].trim_end_matches(['\'', '’']).len();
    }
    None
}

/// Looks for a post-positioned act word (Hungarian) within six words after `end`.
fn act_word_after(text: &str, end: usize) -> Option<(IdKind, usize)> {
    let a = acts();
    if a.words_after.is_empty() {
        return None;
    }
    // Stop at sentence punctuation.
    let limit = text[end..]
        .find(['.', ';', ':', '(', ')'])
        .map_or(text.len(), |i| end + i);
    words_after(&text[..limit], end, 6)
        .into_iter()
        .find_map(|(s, e)| a.words_after.get(&fold(&text[s..e])).map(|k| (*k, e)))
}

/// Whether the gap between two acts is only spaces, commas and conjunctions.
fn is_list_gap(gap: &str) -> bool {
    let a = acts();
    let gap = fold(gap);
    gap.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .all(|w| a.conjunctions.iter().any(|c| c == w))
        && gap.len() <= 12
}

/// A candidate act number before its type is known.
struct Core {
    range: Range<usize>,
    year: u32,
    number: u32,
    authorities: Vec<String>,
    style: ActStyle,
}

fn find_acts(text: &str) -> Vec<IdentifierMatch> {
    let a = acts();
    let mut cores: Vec<Core> = Vec::new();
    let digit_glued = |r: &Range<usize>| {
        prev_char(text, r.start).is_some_and(|c| c.is_ascii_digit() || c == '/')
            || next_char(text, r.end).is_some_and(|c| c.is_ascii_digit())
    };
    for c in a.bracketed.captures_iter(text) {
        let r = c.get(0).expect("match").range();
        if next_char(text, r.end).is_some_and(|ch| ch.is_ascii_digit() || ch == '/') {
            continue;
        }
        let (x, y): (u32, u32) = (c[3].parse().unwrap_or(0), c[4].parse().unwrap_or(0));
        let numbered = c.get(2).is_some() || (!act_year(x) && act_year(y));
        let (year, number) = if numbered { (y, x) } else { (x, y) };
        if !act_year(year) || number == 0 {
            continue;
        }
        let Some(authorities) = resolve_authorities(&c[1], year) else {
            continue;
        };
        let style = if numbered {
            ActStyle::Numbered
        } else {
            ActStyle::Bracketed
        };
        cores.push(Core {
            range: r,
            year,
            number,
            authorities,
            style,
        });
    }
    for c in a.suffixed.captures_iter(text) {
        let r = c.get(0).expect("match").range();
        if digit_glued(&r) || next_char(text, r.end).is_some_and(char::is_alphanumeric) {
            continue;
        }
        if cores.iter().any(|k| overlaps(&k.range, &r)) {
            continue;
        }
        let (x, y): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        // Directives and decisions: year first; Hungarian old regulations
        // ("1049/2001/EK rendelet"): number first.
        let (year, number, style) = if act_year(x) {
            (x, y, ActStyle::Suffixed)
        } else if act_year(y) {
            (y, x, ActStyle::Numbered)
        } else {
            continue;
        };
        if number == 0 {
            continue;
        }
        let Some(authorities) = resolve_authorities(&c[3], year) else {
            continue;
        };
        cores.push(Core {
            range: r,
            year,
            number,
            authorities,
            style,
        });
    }
    for c in a.bare.captures_iter(text) {
        let r = c.get(0).expect("match").range();
        if digit_glued(&r) || next_char(text, r.end).is_some_and(|ch| ch == '/') {
            continue;
        }
        if cores.iter().any(|k| overlaps(&k.range, &r)) {
            continue;
        }
        let (year, number): (u32, u32) = (c[1].parse().unwrap_or(0), c[2].parse().unwrap_or(0));
        // Without an authority only the post-2015 numbering ("2022/2065") is
        // unambiguous, and only with an act word right before it (checked below).
        if !(2015..=2100).contains(&year) || number == 0 {
            continue;
        }
        cores.push(Core {
            range: r,
            year,
            number,
            authorities: vec!["EU".to_string()],
            style: ActStyle::Bracketed,
        });
    }
    cores.sort_by_key(|c| c.range.start);

    let mut out: Vec<IdentifierMatch> = Vec::new();
    for core in cores {
        let bare = core.authorities == ["EU"]
            && !text[core.range.clone()].contains('(')
            && core.style == ActStyle::Bracketed;
        let found = if let Some((kind, start)) = act_word_before(text, core.range.start) {
            Some((kind, start..core.range.end))
        } else if bare {
            None
        } else if let Some((kind, end)) = act_word_after(text, core.range.end) {
            Some((kind, core.range.start..end))
        } else {
            out.last()
                .filter(|prev| {
                    prev.range.end <= core.range.start
                        && is_list_gap(&text[prev.range.end..core.range.start])
                })
                .map(|prev| (prev.id.kind, core.range.clone()))
        };
        let Some((kind, range)) = found else {
            continue;
        };
        if out.last().is_some_and(|p| overlaps(&p.range, &range)) {
            continue;
        }
        let auth = core.authorities.join(", ");
        let word = kind.act_word();
        let (year, number) = (core.year, core.number);
        let canonical = match core.style {
            ActStyle::Bracketed => format!("{word} ({auth}) {year}/{number}"),
            ActStyle::Numbered => format!("{word} ({auth}) No {number}/{year}"),
            ActStyle::Suffixed => format!("{word} {year}/{number}/{auth}"),
        };
        out.push(IdentifierMatch {
            range,
            id: DocIdentifier {
                kind,
                canonical,
                year: year as u16,
                number,
                revision: None,
                parts: Vec::new(),
                authorities: core.authorities,
                style: Some(core.style),
                final_printed: false,
            },
        });
    }
    out
}

fn find_commission(text: &str) -> Vec<IdentifierMatch> {
    let a = acts();
    let mut out = Vec::new();
    for c in a.commission.captures_iter(text) {
        let r = c.get(0).expect("match").range();
        let num_end = c.get(4).expect("number").end();
        if next_char(text, num_end).is_some_and(|ch| ch.is_ascii_digit()) {
            continue;
        }
        let (kind, label) = match &c[1] {
            "COM" => (IdKind::Com, "COM"),
            "JOIN" => (IdKind::Join, "JOIN"),
            "SWD" => (IdKind::Swd, "SWD"),
            _ => (IdKind::CommissionAct, "C"),
        };
        let year: u32 = c
            .get(2)
            .or(c.get(3))
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(0);
        let number: u32 = c[4].parse().unwrap_or(0);
        if !(1958..=2100).contains(&year) || number == 0 {
            continue;
        }
        let final_printed = c.get(5).is_some();
        let mut canonical = format!("{label}({year}) {number}");
        if final_printed {
            canonical.push_str(" final");
        }
        out.push(IdentifierMatch {
            range: r,
            id: DocIdentifier {
                kind,
                canonical,
                year: year as u16,
                number,
                revision: None,
                parts: Vec::new(),
                authorities: Vec::new(),
                style: None,
                final_printed,
            },
        });
    }
    out
}

/// Parses "REV 1 ADD 2 COR 1" into (revision, other parts).
fn council_suffixes(s: &str) -> (Option<u32>, Vec<(String, u32)>) {
    let mut rev = None;
    let mut parts = Vec::new();
    let toks: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == '.')
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        // "REV1" or "REV 1".
        let (word, num) = match t.find(|c: char| c.is_ascii_digit()) {
            Some(p) => (&t[..p], t[p..].parse::<u32>().ok()),
            None => {
                let n = toks.get(i + 1).and_then(|n| n.parse::<u32>().ok());
                if n.is_some() {
                    i += 1;
                }
                (t, n)
            }
        };
        if let Some(n) = num {
            match word {
                "REV" => rev = Some(n),
                "ADD" | "COR" | "AMD" => parts.push((word.to_string(), n)),
                _ => {}
            }
        }
        i += 1;
    }
    (rev, parts)
}

/// Converts a two-digit Council year (1990–2049) to four digits.
fn council_year(yy: u32) -> Option<u32> {
    match yy {
        0..=49 => Some(2000 + yy),
        90..=99 => Some(1900 + yy),
        _ => None,
    }
}

fn council_id(
    number: u32,
    year: u32,
    slash_rev: Option<u32>,
    suffix: &str,
) -> Option<DocIdentifier> {
    let (printed_rev, parts) = council_suffixes(suffix);
    let revision = slash_rev.or(printed_rev).filter(|r| *r > 0);
    let yy = year % 100;
    let mut canonical = match revision {
        Some(r) => format!("{number}/{r}/{yy:02} REV {r}"),
        None => format!("{number}/{yy:02}"),
    };
    for (p, n) in &parts {
        canonical.push_str(&format!(" {p} {n}"));
    }
    Some(DocIdentifier {
        kind: IdKind::CouncilDocument,
        canonical,
        year: year as u16,
        number,
        revision,
        parts,
        authorities: Vec::new(),
        style: None,
        final_printed: false,
    })
}

fn find_council(text: &str) -> Vec<IdentifierMatch> {
    let a = acts();
    let mut out: Vec<IdentifierMatch> = Vec::new();
    for c in a.council_st.captures_iter(text) {
        let r = c.get(0).expect("match").range();
        let number: u32 = c[1].parse().unwrap_or(0);
        let y: u32 = c[2].parse().unwrap_or(0);
        let year = if c[2].len() == 4 {
            Some(y)
        } else {
            council_year(y)
        };
        let Some(year) = year.filter(|y| (1990..=2049).contains(y)) else {
            continue;
        };
        if let Some(id) = council_id(number, year, None, &c[3]) {
            out.push(IdentifierMatch { range: r, id });
        }
    }
    for c in a.council.captures_iter(text) {
        let whole = c.get(0).expect("match");
        let num = c.get(1).expect("number");
        let year_m = c.get(3).expect("year");
        if out.iter().any(|o| overlaps(&o.range, &whole.range())) {
            continue;
        }
        // Glued to other digits, slashes or decimal points: part of a date, a URL,
        // a procedure number or a longer number.
        if prev_char(text, num.start())
            .is_some_and(|ch| ch.is_ascii_digit() || matches!(ch, '/' | '.' | ',' | '-'))
        {
            continue;
        }
        if next_char(text, year_m.end())
            .is_some_and(|ch| ch.is_ascii_digit() || ch.is_alphabetic() || matches!(ch, '/' | '-'))
        {
            continue;
        }
        if next_char(text, year_m.end()) == Some('.')
            && text[year_m.end() + 1..]
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_digit())
        {
            continue;
        }
        if text[whole.end()..].trim_start().starts_with(['%', '‰']) {
            continue;
        }
        if num.as_str().starts_with('0') {
            continue;
        }
        // After a page or Official Journal mark ("p. 123/45", "OJ C 202/47"), or
        // right after an act word ("Directive 2000/31"): not a Council document.
        let mark_end = text[..num.start()].trim_end().trim_end_matches('.').len();
        if let Some((s, e)) = word_before(text, mark_end) {
            let w = fold(&text[s..e]);
            let dotted = format!("{w}.");
            if a.page_marks.iter().any(|m| *m == w || *m == dotted) {
                continue;
            }
        }
        if word_before(text, num.start()).is_some_and(|(s, e)| act_kind_of(&text[s..e]).is_some()) {
            continue;
        }
        let number: u32 = num.as_str().parse().unwrap_or(0);
        let slash_rev: Option<u32> = c.get(2).and_then(|m| m.as_str().parse().ok());
        let Some(year) = year_m.as_str().parse().ok().and_then(council_year) else {
            continue;
        };
        let suffix = c.get(4).map_or("", |m| m.as_str());
        // "2022/10/17" with no REV printed is a date, not revision 10 of a document.
        if slash_rev.is_some() && (1990..=2100).contains(&number) && !suffix.contains("REV") {
            continue;
        }
        if let Some(id) = council_id(number, year, slash_rev, suffix) {
            let end = if suffix.trim().is_empty() {
                year_m.end()
            } else {
                whole.end()
            };
            out.push(IdentifierMatch {
                range: num.start()..end,
                id,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        find_identifiers(text)
            .into_iter()
            .map(|m| m.id.canonical)
            .collect()
    }

    fn one(text: &str) -> IdentifierMatch {
        let mut v = find_identifiers(text);
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v.remove(0)
    }

    #[test]
    fn council_documents() {
        let m = one("Brussels, 4 March 2025 (OR. fr) 15315/1/25 REV 1 CYBER 12");
        assert_eq!(m.id.canonical, "15315/1/25 REV 1");
        assert_eq!(m.id.slug(), "st-15315-2025-rev1");
        assert_eq!(m.id.revision, Some(1));
        assert_eq!(m.id.year, 2025);
        assert_eq!(m.id.eli(), None);
        assert_eq!(m.id.celex(), None);
        // Split over lines, then joined.
        assert_eq!(ids("15315/1/25\nREV 1"), ["15315/1/25 REV 1"]);
        // Revision given only by the slash, or only by REV.
        assert_eq!(ids("see 9001/2/24."), ["9001/2/24 REV 2"]);
        assert_eq!(ids("document 9001/24 REV 2"), ["9001/2/24 REV 2"]);
        assert_eq!(
            ids("as set out in doc. 10289/23, the guidelines"),
            ["10289/23"]
        );
        assert_eq!(ids("Addendum: 7777/25 ADD 1"), ["7777/25 ADD 1"]);
        let m = one("ST 9876 2024 INIT");
        assert_eq!(m.id.canonical, "9876/24");
        assert_eq!(m.id.slug(), "st-9876-2024");
        assert_eq!(m.range, 0..17);
        assert_eq!(ids("ST 9876 2024 REV 1"), ["9876/1/24 REV 1"]);
        assert_eq!(ids("ST 5432/25"), ["5432/25"]);
        assert_eq!(one("ST 5432 2025 ADD 2").id.slug(), "st-5432-2025-add2");
        // Range covers the number and its suffix only.
        let text = "nr. vorig doc.: 14928/25";
        let m = one(text);
        assert_eq!(&text[m.range.clone()], "14928/25");
        let m = one("Vedr.: 501/99 REV 3 og andet");
        assert_eq!(m.id.canonical, "501/3/99 REV 3");
        assert_eq!(m.id.year, 1999);
    }

    #[test]
    fn council_variants() {
        let m = one("15315/1/25 REV 1");
        assert_eq!(
            m.id.variants(),
            ["15315/1/25 REV 1", "15315/1/25", "ST 15315 2025 REV 1"]
        );
        assert_eq!(
            one("11088/23").id.variants(),
            ["11088/23", "ST 11088 2023 INIT"]
        );
    }

    #[test]
    fn council_false_positives() {
        for text in [
            "adopted on 12/03/2025 in Brussels",
            "on 1/3/2025",
            "an increase of 125/25 % over the period",
            "https://example.eu/press/2022/10/17/news",
            "procedure 2023/0123(COD)",
            "OJ L 119/1 and OJ C 202/47",
            "see p. 123/45 of the report",
            "a ratio of 3/4 or 12/25",
            "value 1.234/25 and 12345/678",
            "version 4.512/22.1",
            "ISBN 978-92-76-12345-6, doi:10.2759/123456",
            "interest rate 0125/25",
            "tel. +32 2 281/61 11",
            "published on 2022/10/17 online",
        ] {
            assert!(ids(text).is_empty(), "{text}: {:?}", ids(text));
        }
    }

    #[test]
    fn commission_documents() {
        let m = one("Mededeling over het actieplan, COM(2025) 165 final.");
        assert_eq!(m.id.kind, IdKind::Com);
        assert_eq!(m.id.canonical, "COM(2025) 165 final");
        assert_eq!(m.id.slug(), "com-2025-165");
        assert_eq!(m.id.celex().as_deref(), Some("52025DC0165"));
        assert_eq!(m.id.variants(), ["COM(2025) 165 final", "COM(2025) 165"]);
        let m = one("COM(2025) 217 van 28.5.2025");
        assert_eq!(m.id.canonical, "COM(2025) 217");
        assert_eq!(m.id.variants(), ["COM(2025) 217", "COM(2025) 217 final"]);
        assert_eq!(ids("JOIN(2025) 130 final"), ["JOIN(2025) 130 final"]);
        assert_eq!(
            one("JOIN(2025) 9 final").id.celex().as_deref(),
            Some("52025JC0009")
        );
        assert_eq!(
            one("SWD(2024) 12 final").id.celex().as_deref(),
            Some("52024SC0012")
        );
        let m = one("Recommandation C(2024) 1181 final du 26 février 2024");
        assert_eq!(m.id.kind, IdKind::CommissionAct);
        assert_eq!(m.id.canonical, "C(2024) 1181 final");
        assert_eq!(m.id.slug(), "c-2024-1181");
        assert_eq!(m.id.celex(), None);
        assert_eq!(ids("C(2024) 1181"), ["C(2024) 1181"]);
        // Spaces and the EUR-Lex slash form.
        assert_eq!(ids("COM (2025) 140 final"), ["COM(2025) 140 final"]);
        assert_eq!(ids("COM/2023/20 final"), ["COM(2023) 20 final"]);
        // "finalised" is not "final"; a letter glued before C is not an identifier.
        assert_eq!(ids("COM(2020) 67 finalised"), ["COM(2020) 67"]);
        assert!(ids("ABC(2024) 1181 and C(24) 11").is_empty());
    }

    #[test]
    fn acts_in_many_languages() {
        let cases = [
            ("Regulation (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            (
                "de Verordening (EU) 2022/2065 inzake",
                "Regulation (EU) 2022/2065",
            ),
            ("forordning (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Verordnung (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("le règlement (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("el Reglamento (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("il regolamento (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("rozporządzenie (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            (
                "rozporządzenia Parlamentu Europejskiego i Rady (UE) 2022/2065",
                "Regulation (EU) 2022/2065",
            ),
            (
                "Nařízení Evropského parlamentu a Rady (EU) 2022/2065",
                "Regulation (EU) 2022/2065",
            ),
            ("Regulamento (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("förordning (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("asetus (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("nařízení (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("nariadenie (EÚ) 2022/2065", "Regulation (EU) 2022/2065"),
            ("nariadenia (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Uredba (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("uredbo (EU) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Regula (ES) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Reglamentas (ES) 2022/2065", "Regulation (EU) 2022/2065"),
            ("määrus (EL) 2022/2065", "Regulation (EU) 2022/2065"),
            ("κανονισμός (ΕΕ) 2022/2065", "Regulation (EU) 2022/2065"),
            ("ΚΑΝΟΝΙΣΜΟΣ (ΕΕ) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Регламент (ЕС) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Regulamentul (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Regolament (UE) 2022/2065", "Regulation (EU) 2022/2065"),
            ("Rialachán (AE) 2022/2065", "Regulation (EU) 2022/2065"),
            (
                "az (EU) 2022/2065 európai parlamenti és tanácsi rendelet",
                "Regulation (EU) 2022/2065",
            ),
            ("Directive (EU) 2022/2555", "Directive (EU) 2022/2555"),
            ("Richtlijn 2000/31/EG", "Directive 2000/31/EC"),
            ("Richtlinie 2000/31/EG", "Directive 2000/31/EC"),
            ("direktiv 2000/31/EF", "Directive 2000/31/EC"),
            ("la directive 2000/31/CE", "Directive 2000/31/EC"),
            ("směrnice 2000/31/ES", "Directive 2000/31/EC"),
            ("dyrektywy 2000/31/WE", "Directive 2000/31/EC"),
            ("οδηγία 2000/31/ΕΚ", "Directive 2000/31/EC"),
            ("a 2000/31/EK irányelv", "Directive 2000/31/EC"),
            ("Decision (CFSP) 2019/797", "Decision (CFSP) 2019/797"),
            ("Besluit (GBVB) 2019/797", "Decision (CFSP) 2019/797"),
            ("Beschluss (GASP) 2019/797", "Decision (CFSP) 2019/797"),
            ("décision (PESC) 2019/797", "Decision (CFSP) 2019/797"),
            ("decyzja Rady (WPZiB) 2019/797", "Decision (CFSP) 2019/797"),
            (
                "rozhodnutí Rady (SZBP) 2019/797",
                "Decision (CFSP) 2019/797",
            ),
            ("decyzja (WPZiB) 2019/797", "Decision (CFSP) 2019/797"),
            (
                "Regulation (EC) No 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            (
                "Verordening (EG) nr. 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            (
                "Verordnung (EU) Nr. 1025/2012",
                "Regulation (EU) No 1025/2012",
            ),
            (
                "règlement (CE) nº 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            (
                "Reglamento (CE) n.º 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            ("nařízení (ES) č. 1049/2001", "Regulation (EC) No 1049/2001"),
            ("Uredba (EZ) br. 1049/2001", "Regulation (EC) No 1049/2001"),
            (
                "κανονισμού (ΕΚ) αριθ. 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            ("Регламент (ЕО) № 1049/2001", "Regulation (EC) No 1049/2001"),
            ("asetus (EY) N:o 1049/2001", "Regulation (EC) No 1049/2001"),
            (
                "Regolament (KE) Nru 1049/2001",
                "Regulation (EC) No 1049/2001",
            ),
            ("az 1049/2001/EK rendelet", "Regulation (EC) No 1049/2001"),
            (
                "Regulation (EU, Euratom) 2018/1046",
                "Regulation (EU, Euratom) 2018/1046",
            ),
            (
                "Durchführungsverordnung (EU) 2019/1793",
                "Regulation (EU) 2019/1793",
            ),
            (
                "uitvoeringsbesluit (EU) 2023/1795",
                "Decision (EU) 2023/1795",
            ),
            (
                "règlement d'exécution (UE) 2019/1793",
                "Regulation (EU) 2019/1793",
            ),
            (
                "regolamento delegato (UE) 2023/2772",
                "Regulation (EU) 2023/2772",
            ),
            (
                "Reglamento de Ejecución (UE) 2019/1793",
                "Regulation (EU) 2019/1793",
            ),
            (
                "Regulation 2024/1689 on artificial intelligence",
                "Regulation (EU) 2024/1689",
            ),
        ];
        let mut wrong = Vec::new();
        for (text, want) in cases {
            let got = ids(text);
            let ok = if want.is_empty() {
                got.is_empty()
            } else {
                got == [want]
            };
            if !ok {
                wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn act_eli_celex_and_slug() {
        let m = one("Verordening (EU) 2022/2065");
        assert_eq!(m.range, 0.."Verordening (EU) 2022/2065".len());
        assert_eq!(m.id.kind, IdKind::Regulation);
        assert_eq!(
            m.id.eli().as_deref(),
            Some("http://data.europa.eu/eli/reg/2022/2065/oj")
        );
        assert_eq!(m.id.celex().as_deref(), Some("32022R2065"));
        assert_eq!(m.id.slug(), "reg-2022-2065");
        let m = one("Richtlijn 2000/31/EG");
        assert_eq!(
            m.id.eli().as_deref(),
            Some("http://data.europa.eu/eli/dir/2000/31/oj")
        );
        assert_eq!(m.id.celex().as_deref(), Some("32000L0031"));
        assert_eq!(m.id.slug(), "dir-2000-31");
        let m = one("Besluit (GBVB) 2019/797");
        assert_eq!(m.id.celex().as_deref(), Some("32019D0797"));
        assert_eq!(
            m.id.eli().as_deref(),
            Some("http://data.europa.eu/eli/dec/2019/797/oj")
        );
        assert_eq!(m.id.slug(), "dec-2019-797");
        let m = one("Verordening (EG) nr. 1049/2001");
        assert_eq!(m.id.celex().as_deref(), Some("32001R1049"));
        assert_eq!(m.id.slug(), "reg-2001-1049");
        assert_eq!(m.id.style, Some(ActStyle::Numbered));
    }

    #[test]
    fn lists_of_acts_share_the_act_word() {
        assert_eq!(
            ids("Regulations (EU) 2022/2065 and (EU) 2022/1925 apply"),
            ["Regulation (EU) 2022/2065", "Regulation (EU) 2022/1925"]
        );
        assert_eq!(
            ids("richtlijnen 2002/58/EG en 2009/136/EG"),
            ["Directive 2002/58/EC", "Directive 2009/136/EC"]
        );
        // Without a list joining them, a bare number is not an act.
        assert_eq!(
            ids("Verordening (EU) 2022/2065. Zie ook (EU) 2022/1925."),
            ["Regulation (EU) 2022/2065"]
        );
    }

    #[test]
    fn act_numbers_are_not_council_documents_and_vice_versa() {
        // Without an act word, "(EU) 2022/2065" is nothing, and its digits are not
        // read as a Council document "2022/20".
        assert!(ids("see (EU) 2022/2065 above").is_empty());
        assert!(ids("the period 2021/2027").is_empty());
        // Mixed sentence.
        assert_eq!(
            ids("Verordening (EU) 2024/2847 (doc. 12345/24) en COM(2022) 454 final"),
            [
                "Regulation (EU) 2024/2847",
                "12345/24",
                "COM(2022) 454 final"
            ]
        );
        // A bare year/number pair before 2015 needs an authority.
        assert!(ids("Directive 2000/31 on e-commerce").is_empty());
    }

    #[test]
    fn seed_identifiers() {
        let path = format!(
            "{}/seeds/003_71cdc3d23886349a.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).expect("seed 003");
        let found: std::collections::BTreeSet<String> = find_identifiers(&text)
            .into_iter()
            .map(|m| m.id.canonical)
            .collect();
        for want in [
            "COM(2025) 148 final",
            "COM(2025) 30 final",
            "COM(2025) 217",
            "JOIN(2025) 130 final",
            "JOIN(2025) 9 final",
            "7371/22",
            "Regulation (EU) 2024/2847",
            "Regulation (EU) 2022/2065",
            "Directive 2000/31/EC",
            "Regulation (EU) 2016/679",
            "COM(2017) 134 final",
        ] {
            assert!(found.contains(want), "missing {want}; found {found:?}");
        }
        // No Council-document reading of act or date digits.
        for f in &found {
            if let Some((n, _)) = f.split_once('/')
                && n.chars().all(|c| c.is_ascii_digit())
            {
                assert!(n.len() >= 3 && !n.starts_with("20"), "suspicious {f}");
            }
        }
    }
}

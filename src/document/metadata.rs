//! Document metadata read from the text: formal identifier, date, title and type.
//!
//! Everything is read from the *header block*: the cover-note and title lines at
//! the top of the document, before the body starts (see [`header_block`]). Words
//! that differ by language (month names, the "Subject:" label, the "previous
//! document" label, names of Council conclusions and communications) come from
//! `ontology/languages.toml`, so the same code reads all 24 EU languages.
//!
//! - **identifier**: the first formal identifier (Council document, COM/JOIN/SWD,
//!   C(…), or an act at the start of a heading) standing on its own in the header,
//!   skipping numbers introduced by a label ("nr. vorig doc.: 14928/25",
//!   "Nr. Vordok.:", "Prev. doc.:"), numbers in brackets or in the subject line,
//!   and footnotes.
//! - **date**: the date line ("Brussel, 20 november 2025", "Briselē, 2025. gada
//!   20. novembrī", "d.d.: 26 juni 2023"): the first header paragraph that is a
//!   date plus at most a few words; failing that, the first full date in the header.
//! - **title**: the subject line ("Betreft:", "Subject:", "Objet:", …) with any
//!   dash-led continuation line; failing that, the first heading-like line.
//! - **doc_type**: from the identifier kind, refined by genre phrases ("Council
//!   conclusions", "Rådets konklusioner", "JOINT COMMUNICATION", …).
//!
//! [`find_dates`] finds full dates (day, month, year) in any text: month names in
//! all 24 languages with their inflected forms, the Hungarian, Lithuanian and
//! Latvian year-first orders, and numeric `12.3.2026`, `12/03/2026`, `2026-03-12`,
//! `2026.03.12.`, `12.III.2026`. Numeric dates are read day first (EU usage).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::identifier::{DocIdentifier, IdKind, find_identifiers};
use super::language::{fold, fold_with_map, table};
use super::paragraph::{Paragraph, ParagraphKind};

/// A calendar date (proleptic Gregorian), printed as ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// A valid date, or `None` (month outside 1–12, day outside the month, year
    /// outside 1900–2100, the range in which EU documents are dated).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > Date::days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Number of days in `month` (1–12) of `year`; 0 for an invalid month.
    pub fn days_in_month(year: u16, month: u8) -> u8 {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        }
    }

    /// Parses ISO 8601 `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?;
        let m = it.next()?;
        let d = it.next()?;
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }
}

/// The kind of document, as far as the text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocType {
    CouncilConclusions,
    CouncilDocument,
    Communication,
    JointCommunication,
    StaffWorkingDocument,
    CommissionDecision,
    Regulation,
    Directive,
    Decision,
    Other,
}

impl DocType {
    /// Stable lower-case name, used in IRIs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::CouncilConclusions => "council-conclusions",
            DocType::CouncilDocument => "council-document",
            DocType::Communication => "communication",
            DocType::JointCommunication => "joint-communication",
            DocType::StaffWorkingDocument => "staff-working-document",
            DocType::CommissionDecision => "commission-decision",
            DocType::Regulation => "regulation",
            DocType::Directive => "directive",
            DocType::Decision => "decision",
            DocType::Other => "other",
        }
    }
}

/// Metadata of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The document's own formal identifier, when printed in its header.
    pub identifier: Option<DocIdentifier>,
    /// The date of the document.
    pub date: Option<Date>,
    /// The subject line or first heading, whitespace collapsed.
    pub title: Option<String>,
    pub doc_type: DocType,
}

/// Most paragraphs the header block may hold.
const HEADER_MAX: usize = 30;
/// A body paragraph longer than this (in characters) starts the body.
const BODY_MIN_CHARS: usize = 150;
/// A paragraph up to this long (in characters) may carry the document identifier
/// even when not marked as a header.
const ID_LINE_MAX_CHARS: usize = 80;
/// A date line: the date plus at most this many characters and words.
const DATE_LINE_MAX_CHARS: usize = 40;
const DATE_LINE_MAX_WORDS: usize = 5;

/// Reads identifier, date, title and type of a document from its paragraphs.
/// `language` (ISO 639-1) resolves month names that differ between languages.
pub fn read_metadata(paragraphs: &[Paragraph], language: &str) -> Metadata {
    let block = header_block(paragraphs);
    let identifier = find_own_identifier(&block);
    let date = find_header_date(&block, language);
    let title = find_title(&block);
    let doc_type = doc_type(identifier.as_ref(), title.as_deref(), &block);
    Metadata {
        identifier,
        date,
        title,
        doc_type,
    }
}

/// The header block: paragraphs from the top (footnotes skipped) until the body
/// starts, which is at the first of: an annex heading ("ANNEX", "BIJLAGE", …); a
/// non-header paragraph numbered "1.", "I.", "a)"; a non-header body or list
/// paragraph longer than 150 characters that is not a "Label: value" line; or
/// after 30 paragraphs. Paragraphs marked [`ParagraphKind::Header`] are always in.
pub fn header_block(paragraphs: &[Paragraph]) -> Vec<&Paragraph> {
    let mut out = Vec::new();
    for p in paragraphs {
        if out.len() >= HEADER_MAX {
            break;
        }
        let text = p.text.trim();
        if p.kind == ParagraphKind::Footnote || text.is_empty() {
            continue;
        }
        if p.kind != ParagraphKind::Header {
            if is_annex_heading(text) || is_numbered(p) {
                break;
            }
            let long = text.chars().count() > BODY_MIN_CHARS;
            if long
                && matches!(p.kind, ParagraphKind::Body | ParagraphKind::ListItem)
                && !is_label_line(text)
            {
                break;
            }
        }
        out.push(p);
    }
    out
}

/// Whether the paragraph starts with a point number ("1.", "12)", "IV.", "b)").
fn is_numbered(p: &Paragraph) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^(?:\d{1,3}|[IVXLC]{1,6}|[a-z])[.)]\s").expect("numbered regex")
    });
    let by_label = p.label.as_deref().is_some_and(|l| {
        !l.is_empty()
            && (l.chars().all(|c| c.is_ascii_digit())
                || l.chars().all(|c| "IVXLC".contains(c))
                || (l.len() == 1 && l.chars().all(|c| c.is_ascii_lowercase())))
    });
    by_label || re.is_match(&p.text)
}

/// Whether the text is an annex heading ("ANNEX", "BIJLAGE I", "ANLAGE").
fn is_annex_heading(text: &str) -> bool {
    let f = fold(text);
    let words: Vec<&str> = f.split_whitespace().collect();
    if words.is_empty() || words.len() > 3 {
        return false;
    }
    table()
        .languages
        .values()
        .flat_map(|l| &l.annex_words)
        .any(|w| fold(w) == words[0])
}

/// Whether the text starts with a short "Label:" (a colon within the first 40
/// characters, after at most four words).
fn is_label_line(text: &str) -> bool {
    let head: String = text.chars().take(40).collect();
    head.find(':')
        .is_some_and(|i| head[..i].split_whitespace().count() <= 4)
}

/// Folded labels of all languages, longest first.
fn folded_labels(pick: fn(&super::language::LanguageData) -> &Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = table()
        .languages
        .values()
        .flat_map(|l| pick(l).iter().map(|s| fold(s)))
        .collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.len()));
    v.dedup();
    v
}

fn reference_labels() -> &'static [String] {
    static V: OnceLock<Vec<String>> = OnceLock::new();
    V.get_or_init(|| folded_labels(|l| &l.reference_labels))
}

fn subject_labels() -> &'static [String] {
    static V: OnceLock<Vec<String>> = OnceLock::new();
    V.get_or_init(|| folded_labels(|l| &l.subject_labels))
}

/// Whether an identifier preceded by `before` (same paragraph) is a reference to
/// another document: introduced by a "Label:" or a reference label ("doc."), or
/// opened by a bracket.
fn is_reference(before: &str) -> bool {
    let b = before.trim_end();
    if b.ends_with([':', '(', '[']) {
        return true;
    }
    let f = fold(b);
    reference_labels().iter().any(|l| {
        f.strip_suffix(l.as_str())
            .is_some_and(|rest| !rest.chars().next_back().is_some_and(char::is_alphabetic))
    })
}

/// Byte offset in `text` just after a subject label and its colon, if any.
fn subject_start(text: &str) -> Option<usize> {
    let (f, map) = fold_with_map(text);
    let mut best: Option<usize> = None;
    for label in subject_labels() {
        let mut from = 0;
        while let Some(i) = f[from..].find(label.as_str()).map(|i| from + i) {
            from = i + label.len();
            let starts_word = f[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            let after = &f[i + label.len()..];
            let trimmed = after.trim_start();
            if starts_word && trimmed.starts_with(':') {
                let colon = f.len() - trimmed.len();
                let pos = map[colon + 1];
                if best.is_none_or(|b| pos < b) {
                    best = Some(pos);
                }
                break;
            }
        }
    }
    best
}

fn find_own_identifier(block: &[&Paragraph]) -> Option<DocIdentifier> {
    for p in block {
        let text = &p.text;
        let subject = subject_start(text);
        let short = text.chars().count() <= ID_LINE_MAX_CHARS;
        for m in find_identifiers(text) {
            let at_start = text[..m.range.start].trim().is_empty();
            if m.id.kind.is_act() && !at_start {
                continue;
            }
            if !(p.kind == ParagraphKind::Header || short || at_start) {
                continue;
            }
            if subject.is_some_and(|s| s <= m.range.start) {
                continue;
            }
            if is_reference(&text[..m.range.start]) {
                continue;
            }
            return Some(m.id);
        }
    }
    None
}

fn find_header_date(block: &[&Paragraph], language: &str) -> Option<Date> {
    let lang = Some(language);
    for p in block {
        for (r, d) in find_dates_in(&p.text, lang) {
            let residue = format!("{} {}", &p.text[..r.start], &p.text[r.end..]);
            let residue = residue.trim();
            if residue.chars().count() <= DATE_LINE_MAX_CHARS
                && residue.split_whitespace().count() <= DATE_LINE_MAX_WORDS
            {
                return Some(d);
            }
        }
    }
    block
        .iter()
        .find_map(|p| find_dates_in(&p.text, lang).first().map(|(_, d)| *d))
}

/// Collapses runs of whitespace to single spaces and trims.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn starts_with_dash(s: &str) -> bool {
    s.trim_start().starts_with(['-', '–', '—'])
}

fn find_title(block: &[&Paragraph]) -> Option<String> {
    for (i, p) in block.iter().enumerate() {
        let Some(start) = subject_start(&p.text) else {
            continue;
        };
        let mut title = collapse(&p.text[start..]);
        for q in &block[i + 1..] {
            if starts_with_dash(&q.text) && q.text.chars().count() <= 200 {
                title.push(' ');
                title.push_str(&collapse(&q.text));
            } else {
                break;
            }
        }
        if !title.is_empty() {
            return Some(title);
        }
    }
    // No subject line: the first heading-like line, preferring marked headings and
    // mixed-case text over all-capitals cover lines ("EUROPEAN COMMISSION").
    let candidates: Vec<&&Paragraph> = block.iter().filter(|p| is_title_like(p)).collect();
    let pick = candidates
        .iter()
        .find(|p| p.kind == ParagraphKind::Heading && !mostly_upper(&p.text))
        .or_else(|| candidates.iter().find(|p| !mostly_upper(&p.text)))
        .or_else(|| {
            candidates
                .iter()
                .find(|p| p.kind == ParagraphKind::Heading && !is_genre_line(&p.text))
        });
    pick.map(|p| collapse(&p.text))
}

/// A line that could be a title: 3+ words, at most 300 characters, no date, no
/// identifier, not a "Label:" line, not ending like a sentence fragment.
fn is_title_like(p: &Paragraph) -> bool {
    let t = p.text.trim();
    let words = t.split_whitespace().count();
    words >= 3
        && t.chars().count() <= 300
        && !t.ends_with([':', ';', ','])
        && !is_label_line(t)
        && !starts_with_dash(t)
        && find_dates(t).is_empty()
        && find_identifiers(t).is_empty()
}

/// Whether at least 60% of the letters are capitals.
fn mostly_upper(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    letters > 0 && upper * 10 >= letters * 6
}

/// Folded phrases of one genre in all languages.
fn genre_phrases(which: Genre) -> &'static [String] {
    static V: OnceLock<[Vec<String>; 3]> = OnceLock::new();
    let all = V.get_or_init(|| {
        [
            folded_labels(|l| &l.conclusions),
            folded_labels(|l| &l.communication),
            folded_labels(|l| &l.joint_communication),
        ]
    });
    &all[which as usize]
}

#[derive(Clone, Copy)]
enum Genre {
    Conclusions = 0,
    Communication = 1,
    JointCommunication = 2,
}

/// Whether the text starts with a communication genre phrase.
fn is_genre_line(text: &str) -> bool {
    let f = fold(text);
    let f = f.trim_start();
    genre_phrases(Genre::JointCommunication)
        .iter()
        .chain(genre_phrases(Genre::Communication))
        .any(|g| f.starts_with(g.as_str()))
}

fn doc_type(id: Option<&DocIdentifier>, title: Option<&str>, block: &[&Paragraph]) -> DocType {
    let conclusions = || {
        let phrases = genre_phrases(Genre::Conclusions);
        title
            .into_iter()
            .chain(block.iter().map(|p| p.text.as_str()))
            .any(|t| {
                let f = fold(t);
                phrases.iter().any(|c| f.contains(c.as_str()))
            })
    };
    let starts_with = |genre: Genre| {
        let phrases = genre_phrases(genre);
        block.iter().any(|p| {
            let f = fold(&p.text);
            let f = f.trim_start();
            phrases.iter().any(|g| {
                f.strip_prefix(g.as_str())
                    .is_some_and(|rest| !rest.starts_with(char::is_alphabetic))
            })
        })
    };
    match id.map(|i| i.kind) {
        Some(IdKind::Com) => DocType::Communication,
        Some(IdKind::Join) => DocType::JointCommunication,
        Some(IdKind::Swd) => DocType::StaffWorkingDocument,
        Some(IdKind::CommissionAct) => DocType::CommissionDecision,
        Some(IdKind::Regulation) => DocType::Regulation,
        Some(IdKind::Directive) => DocType::Directive,
        Some(IdKind::Decision) => DocType::Decision,
        Some(IdKind::CouncilDocument) if conclusions() => DocType::CouncilConclusions,
        Some(IdKind::CouncilDocument) => DocType::CouncilDocument,
        None if conclusions() => DocType::CouncilConclusions,
        None if starts_with(Genre::JointCommunication) => DocType::JointCommunication,
        None if starts_with(Genre::Communication) => DocType::Communication,
        None => DocType::Other,
    }
}

/// Compiled date patterns and the month lookup.
struct DateFinder {
    /// Folded month form → (language, month) for every language using it.
    months: HashMap<String, Vec<(String, u8)>>,
    /// Folded ambiguous form → default month.
    defaults: HashMap<String, u8>,
    patterns: Vec<(Pattern, Regex)>,
}

/// The order of the captured parts of a date pattern.
#[derive(Clone, Copy, Debug)]
enum Pattern {
    /// day, month word, year
    DayMonthYear,
    /// month word, day, year
    MonthDayYear,
    /// year, month word, day (Hungarian, Lithuanian)
    YearMonthDay,
    /// year, day, month word (Latvian "2025. gada 20. novembrī")
    YearDayMonth,
    /// day, month number, year
    NumericDmy,
    /// year, month number, day
    NumericYmd,
    /// day, Roman month, year
    RomanDmy,
}

fn date_finder() -> &'static DateFinder {
    static F: OnceLock<DateFinder> = OnceLock::new();
    F.get_or_init(|| {
        let t = table();
        let mut months: HashMap<String, Vec<(String, u8)>> = HashMap::new();
        let mut alternatives: Vec<String> = Vec::new();
        for (code, data) in &t.languages {
            for (i, forms) in data.months.iter().enumerate() {
                for form in forms {
                    let folded = fold(form);
                    let entry = months.entry(folded.clone()).or_default();
                    if !entry.iter().any(|(c, _)| c == code) {
                        entry.push((code.clone(), i as u8 + 1));
                    }
                    alternatives.push(form.to_lowercase());
                    alternatives.push(folded);
                }
            }
        }
        alternatives.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        alternatives.dedup();
        let month = alternatives
            .iter()
            .map(|a| {
                a.split_whitespace()
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect::<Vec<_>>()
            .join("|");
        let day = r"(\d{1,2})(?:\.|º|ª|er|st|nd|rd|th)?";
        let re = |s: String| Regex::new(&s).expect("date regex");
        let patterns = vec![
            (
                Pattern::DayMonthYear,
                re(format!(
                    r"(?i)\b{day}\s*(?:de\s+|ta['’]?\s*)?({month})\b\.?,?\s*(?:de\s+|del\s+)?(\d{{4}})\b"
                )),
            ),
            (
                Pattern::MonthDayYear,
                re(format!(
                    r"(?i)\b({month})\s+(\d{{1,2}})(?:st|nd|rd|th)?,\s*(\d{{4}})\b"
                )),
            ),
            (
                Pattern::YearMonthDay,
                re(format!(
                    r"(?i)\b(\d{{4}})(?:\.|\s*m\.)\s*({month})\s+(\d{{1,2}})\b"
                )),
            ),
            (
                Pattern::YearDayMonth,
                re(format!(
                    r"(?i)\b(\d{{4}})\.\s*gada\s+(\d{{1,2}})\.\s*({month})\b"
                )),
            ),
            (
                Pattern::NumericDmy,
                re(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b".to_string()),
            ),
            (
                Pattern::NumericDmy,
                re(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b".to_string()),
            ),
            (
                Pattern::NumericYmd,
                re(r"\b(\d{4})-(\d{2})-(\d{2})\b".to_string()),
            ),
            (
                Pattern::NumericYmd,
                re(r"\b(\d{4})\.\s?(\d{1,2})\.\s?(\d{1,2})\.".to_string()),
            ),
            (
                Pattern::RomanDmy,
                re(
                    r"\b(\d{1,2})(?:\.\s?|\s)(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)(?:\.\s?|\s)(\d{4})\b"
                        .to_string(),
                ),
            ),
        ];
        let defaults = t
            .dates
            .ambiguous_default
            .iter()
            .map(|(k, v)| (fold(k), *v))
            .collect();
        DateFinder {
            months,
            defaults,
            patterns,
        }
    })
}

/// Month number of a month word; `language` decides between languages that use
/// the same word for different months (Croatian "listopad" is October).
/// The month (1–12) a month word names, in `language` when given.
pub fn month_of(word: &str, language: Option<&str>) -> Option<u8> {
    let f = date_finder();
    let key = fold(&collapse(word));
    let entries = f.months.get(&key)?;
    if let Some(lang) = language
        && let Some((_, m)) = entries.iter().find(|(c, _)| c == lang)
    {
        return Some(*m);
    }
    let first = entries[0].1;
    if entries.iter().all(|(_, m)| *m == first) {
        return Some(first);
    }
    if let Some(m) = f.defaults.get(&key) {
        return Some(*m);
    }
    // Majority among the languages using the word.
    let mut counts: HashMap<u8, usize> = HashMap::new();
    for (_, m) in entries {
        *counts.entry(*m).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(m, n)| (*n, std::cmp::Reverse(*m)))
        .map(|(m, _)| m)
}

fn roman_month(s: &str) -> Option<u8> {
    const R: [&str; 12] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    R.iter().position(|r| *r == s).map(|i| i as u8 + 1)
}

/// Finds full dates (day, month and year) in `text`, without a language hint.
pub fn find_dates(text: &str) -> Vec<(Range<usize>, Date)> {
    find_dates_in(text, None)
}

/// Finds full dates in `text`; `language` (ISO 639-1) resolves month words that
/// mean different months in different languages. Results are in text order and
/// do not overlap; invalid dates (31 February) are dropped.
pub fn find_dates_in(text: &str, language: Option<&str>) -> Vec<(Range<usize>, Date)> {
    let f = date_finder();
    let mut found: Vec<(Range<usize>, Date)> = Vec::new();
    for (pattern, re) in &f.patterns {
        for c in re.captures_iter(text) {
            let r = c.get(0).expect("match").range();
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u16>().ok());
            let parts = match pattern {
                Pattern::DayMonthYear => (num(3), month_of(&c[2], language).map(u16::from), num(1)),
                Pattern::MonthDayYear => (num(3), month_of(&c[1], language).map(u16::from), num(2)),
                Pattern::YearMonthDay => (num(1), month_of(&c[2], language).map(u16::from), num(3)),
                Pattern::YearDayMonth => (num(1), month_of(&c[3], language).map(u16::from), num(2)),
                Pattern::NumericDmy => {
                    // Not part of a longer dotted or slashed number.
                    let before = text[..r.start].chars().next_back();
                    let after = text[r.end..].chars().take(2).collect::<Vec<_>>();
                    let glued_before = before.is_some_and(|ch| matches!(ch, '.' | '/' | ','));
                    let glued_after = matches!(after.as_slice(), ['.' | '/', d, ..] if d.is_ascii_digit())
                        || after.first() == Some(&'/');
                    if glued_before || glued_after {
                        continue;
                    }
                    (num(3), num(2), num(1))
                }
                Pattern::NumericYmd => {
                    let after = text[r.end..].chars().take(2).collect::<Vec<_>>();
                    if matches!(after.as_slice(), ['-' | '.', d, ..] if d.is_ascii_digit()) {
                        continue;
                    }
                    (num(1), num(2), num(3))
                }
                Pattern::RomanDmy => (num(3), roman_month(&c[2]).map(u16::from), num(1)),
            };
            let (Some(y), Some(m), Some(d)) = parts else {
                continue;
            };
            let (Ok(m), Ok(d)) = (u8::try_from(m), u8::try_from(d)) else {
                continue;
            };
            if let Some(date) = Date::new(y, m, d) {
                found.push((r, date));
            }
        }
    }
    // Keep the earliest, then longest, of overlapping matches.
    found.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<(Range<usize>, Date)> = Vec::new();
    for (r, d) in found {
        if out.last().is_none_or(|(last, _)| last.end <= r.start) {
            out.push((r, d));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs of a text, one per non-empty line, whitespace collapsed, all of
    /// kind `Body` (the worst case: no layout information at all). Offsets are
    /// approximate (start of the line), which these tests do not need.
    fn paras(text: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let t = collapse(line);
            if t.is_empty() {
                continue;
            }
            out.push(Paragraph {
                index: out.len(),
                kind: ParagraphKind::Body,
                label: None,
                segments: vec![(0, start)],
                original: start..offset,
                text: t,
                footnote_refs: Vec::new(),
            });
        }
        out
    }

    /// Like [`paras`], with the first `n` paragraphs marked as header.
    fn paras_with_header(text: &str, n: usize) -> Vec<Paragraph> {
        let mut v = paras(text);
        for p in v.iter_mut().take(n) {
            p.kind = ParagraphKind::Header;
        }
        v
    }

    fn seed(name: &str) -> String {
        let path = format!("{}/seeds/{name}.txt", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date::new(y, m, day).expect("valid test date")
    }

    fn dates(text: &str) -> Vec<String> {
        find_dates(text)
            .into_iter()
            .map(|(_, d)| d.to_string())
            .collect()
    }

    #[test]
    fn date_validation() {
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2025, 4, 31).is_none());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 0, 1).is_none());
        assert!(Date::new(2025, 1, 0).is_none());
        assert_eq!(Date::parse_iso("2025-11-20"), Some(d(2025, 11, 20)));
        assert_eq!(Date::parse_iso("2025-02-30"), None);
        assert_eq!(d(2026, 3, 2).to_string(), "2026-03-02");
    }

    #[test]
    fn dates_in_all_languages() {
        let cases = [
            ("Brussel, 20 november 2025", "2025-11-20"),
            ("Bruxelles, den 20. november 2025", "2025-11-20"),
            ("Brüssel, den 20. November 2025", "2025-11-20"),
            ("Brussels, 20 November 2025", "2025-11-20"),
            ("Bruxelles, le 1er décembre 2025", "2025-12-01"),
            ("Bruselas, 20 de noviembre de 2025", "2025-11-20"),
            ("Bruxelas, 3 de março de 2026", "2026-03-03"),
            ("Bruxelles, 14 febbraio 2024", "2024-02-14"),
            ("Bryssel den 7 maj 2024", "2024-05-07"),
            ("Bruksela, 20 listopada 2025 r.", "2025-11-20"),
            ("V Bruselu dne 20. listopadu 2025", "2025-11-20"),
            ("V Bruseli 20. novembra 2025", "2025-11-20"),
            ("V Bruslju, 20. novembra 2025", "2025-11-20"),
            ("Bryssel 20. marraskuuta 2025", "2025-11-20"),
            ("Brüssel, 20. november 2025", "2025-11-20"),
            ("Brüssel, 5. märtsil 2025", "2025-03-05"),
            ("Brüsszel, 2025. november 20.", "2025-11-20"),
            ("Briuselis, 2025 m. lapkričio 20 d.", "2025-11-20"),
            ("Briselē, 2025. gada 20. novembrī", "2025-11-20"),
            ("Βρυξέλλες, 20 Νοεμβρίου 2025", "2025-11-20"),
            ("ΒΡΥΞΕΛΛΕΣ, 20 ΝΟΕΜΒΡΙΟΥ 2025", "2025-11-20"),
            ("Брюксел, 20 ноември 2025 г.", "2025-11-20"),
            ("Bruxelles, 20 noiembrie 2025", "2025-11-20"),
            ("Brussell, 20 ta' Novembru 2025", "2025-11-20"),
            ("Brussell, 2 ta’ Ġunju 2025", "2025-06-02"),
            ("An Bhruiséil, 20 Samhain 2025", "2025-11-20"),
            ("An Bhruiséil, 9 Meán Fómhair 2024", "2024-09-09"),
            ("Bruxelles, 20. studenoga 2025.", "2025-11-20"),
            ("adopted on November 20, 2025 by", "2025-11-20"),
            ("Brussels, 4.6.2025", "2025-06-04"),
            ("op 12.3.2026 vastgesteld", "2026-03-12"),
            ("dne 20. 11. 2025", "2025-11-20"),
            ("le 12/03/2026", "2026-03-12"),
            ("dated 2026-03-12", "2026-03-12"),
            ("2026.03.12. napján", "2026-03-12"),
            ("z dnia 12.III.2026", "2026-03-12"),
        ];
        let mut wrong = Vec::new();
        for (text, want) in cases {
            let got = dates(text);
            if got != [want] {
                wrong.push(format!("{text:?}: {got:?}, want {want}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn date_ranges_and_several_dates() {
        let text = "de conclusies van de Raad van 18 juni 2022 en 26 juni 2023 over";
        let found = find_dates(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].0.clone()], "18 juni 2022");
        assert_eq!(found[1].1, d(2023, 6, 26));
        let text = "Brüsszel, 2025. november 20.";
        let (r, _) = &find_dates(text)[0];
        assert_eq!(&text[r.clone()], "2025. november 20");
    }

    #[test]
    fn ambiguous_month_words_follow_the_language() {
        // "listopad" is October in Croatian, November in Czech and Polish.
        let hr = find_dates_in("Bruxelles, 15. listopada 2025.", Some("hr"));
        assert_eq!(hr[0].1, d(2025, 10, 15));
        let pl = find_dates_in("Bruksela, 15 listopada 2025 r.", Some("pl"));
        assert_eq!(pl[0].1, d(2025, 11, 15));
        assert_eq!(dates("15 listopada 2025"), ["2025-11-15"]);
        // Every month word meaning different months in different languages has a
        // default in the table.
        let f = date_finder();
        for (word, entries) in &f.months {
            let first = entries[0].1;
            if entries.iter().any(|(_, m)| *m != first) {
                assert!(
                    f.defaults.contains_key(word),
                    "no default for {word}: {entries:?}"
                );
            }
        }
    }

    #[test]
    fn date_false_positives() {
        for text in [
            "30 februari 2025",
            "31 April 2024",
            "29.2.2023",
            "2025-13-01",
            "20 november",
            "van april 2024",
            "version 1.2.2025.4",
            "section 12.3.2026/7",
            "figures 1.12.2025.5 and 3/4/20255",
            "15315/1/25 REV 1",
            "COM(2025) 140 final",
            "Regulation (EU) 2022/2065",
            "in May 2025 and in mai 2024",
            "between 10 and 12 2025 figures",
        ] {
            assert!(dates(text).is_empty(), "{text}: {:?}", dates(text));
        }
    }

    #[test]
    fn seed_000_dutch_council_conclusions() {
        let m = read_metadata(&paras(&seed("000_564bb4f72c4e6f0b")), "nl");
        let id = m.identifier.expect("identifier");
        assert_eq!(id.canonical, "15315/1/25 REV 1");
        assert_eq!(m.date, Some(d(2025, 11, 20)));
        assert_eq!(
            m.title.as_deref(),
            Some(
                "Conclusies over het bevorderen van de internationale digitale strategie voor de Europese Unie - Conclusies van de Raad (20 november 2025)"
            )
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn seed_001_dutch_conclusions_without_own_number() {
        let m = read_metadata(&paras(&seed("001_6c080212c9899d65")), "nl");
        // Only the previous document (10526/23) is in the header; the own number
        // appears in page footers, which are not header text.
        assert_eq!(m.identifier, None);
        assert_eq!(m.date, Some(d(2023, 6, 26)));
        assert!(
            m.title
                .as_deref()
                .is_some_and(|t| t
                    .starts_with("Conclusies van de Raad over de digitale diplomatie van de EU")),
            "{:?}",
            m.title
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn seed_002_danish_and_004_german() {
        let m = read_metadata(&paras(&seed("002_e4aa9a8df6e4c856")), "da");
        assert_eq!(m.identifier.expect("id").canonical, "15315/1/25 REV 1");
        assert_eq!(m.date, Some(d(2025, 11, 20)));
        assert_eq!(
            m.title.as_deref(),
            Some(
                "Konklusioner om fremme af den internationale digitale strategi for Den Europæiske Union – Rådets konklusioner (20. november 2025)"
            )
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);

        let m = read_metadata(&paras(&seed("004_4503f24d105d4ed2")), "de");
        assert_eq!(m.identifier.expect("id").canonical, "15315/1/25 REV 1");
        assert_eq!(m.date, Some(d(2025, 11, 20)));
        assert!(
            m.title
                .as_deref()
                .is_some_and(|t| t.starts_with("Schlussfolgerungen zum Thema"))
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn seed_003_joint_communication_body_only() {
        let m = read_metadata(&paras(&seed("003_71cdc3d23886349a")), "nl");
        // The text has no cover page: no own number and no date; footnotes cite
        // COM documents with dates, which must not be taken.
        assert_eq!(m.identifier, None);
        assert_eq!(m.date, None);
        assert_eq!(
            m.title.as_deref(),
            Some("Een internationale digitale strategie voor de Europese Unie")
        );
        assert_eq!(m.doc_type, DocType::Other);
    }

    #[test]
    fn seeds_through_the_normaliser() {
        for (file, lang, id, date) in [
            (
                "000_564bb4f72c4e6f0b",
                "nl",
                Some("15315/1/25 REV 1"),
                Some(d(2025, 11, 20)),
            ),
            ("001_6c080212c9899d65", "nl", None, Some(d(2023, 6, 26))),
            (
                "002_e4aa9a8df6e4c856",
                "da",
                Some("15315/1/25 REV 1"),
                Some(d(2025, 11, 20)),
            ),
            ("003_71cdc3d23886349a", "nl", None, None),
            (
                "004_4503f24d105d4ed2",
                "de",
                Some("15315/1/25 REV 1"),
                Some(d(2025, 11, 20)),
            ),
        ] {
            let m = read_metadata(&crate::document::normalise::normalise(&seed(file)), lang);
            assert_eq!(m.identifier.map(|i| i.canonical).as_deref(), id, "{file}");
            assert_eq!(m.date, date, "{file}");
            assert!(m.title.is_some(), "{file}");
            let want = if file.starts_with("003") {
                DocType::Other
            } else {
                DocType::CouncilConclusions
            };
            assert_eq!(m.doc_type, want, "{file}");
        }
    }

    #[test]
    fn english_cover_note_with_previous_document() {
        let text = "\
Council of the European Union
Brussels, 3 March 2025
(OR. en)
6789/25
CYBER 45
OUTCOME OF PROCEEDINGS
From: General Secretariat of the Council
To: Delegations
No. prev. doc.: 6001/25
Subject: Council conclusions on cyber capacity building in the Western Balkans
Delegations will find in the annex the Council conclusions on cyber capacity building in the Western Balkans, approved by the Council at its meeting held on 28 February 2025.
";
        let m = read_metadata(&paras(text), "en");
        assert_eq!(
            m.identifier.map(|i| i.canonical).as_deref(),
            Some("6789/25")
        );
        assert_eq!(m.date, Some(d(2025, 3, 3)));
        assert_eq!(
            m.title.as_deref(),
            Some("Council conclusions on cyber capacity building in the Western Balkans")
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn previous_document_is_never_the_identifier() {
        for (text, lang) in [
            (
                "Prev. doc.: 6001/25\nSubject: Draft conclusions on space",
                "en",
            ),
            (
                "Réf. doc. préc. 6001/25\nObjet: Projet de conclusions",
                "fr",
            ),
            ("forrige dok. nr.: 6001/25\nVedr.: Udkast", "da"),
            ("Nr. Vordok.: 6001/25\nBetr.: Entwurf", "de"),
            ("(doc. 6001/25)\nAsunto: Proyecto", "es"),
        ] {
            let m = read_metadata(&paras(text), lang);
            assert_eq!(m.identifier, None, "{text}");
        }
    }

    #[test]
    fn merged_header_paragraph() {
        // A normaliser that keeps the whole cover in one header paragraph.
        let text = "Bruxelles, le 5 mai 2025 (OR. en) 8123/2/25 REV 2 TELECOM 12 RÉSULTATS DES TRAVAUX Origine: Secrétariat général du Conseil Destinataire: délégations N° doc. préc.: 7999/25 Objet: Conclusions du Conseil sur la connectivité internationale\nLes délégations trouveront en annexe les conclusions du Conseil sur la connectivité internationale, approuvées par le Conseil lors de sa session du 30 avril 2025.";
        let m = read_metadata(&paras_with_header(text, 1), "fr");
        assert_eq!(
            m.identifier.map(|i| i.canonical).as_deref(),
            Some("8123/2/25 REV 2")
        );
        assert_eq!(m.date, Some(d(2025, 5, 5)));
        assert_eq!(
            m.title.as_deref(),
            Some("Conclusions du Conseil sur la connectivité internationale")
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn commission_cover_page() {
        let text = "\
EUROPEAN COMMISSION
HIGH REPRESENTATIVE OF THE UNION FOR FOREIGN AFFAIRS AND SECURITY POLICY
Brussels, 4.6.2025
JOIN(2025) 140 final
JOINT COMMUNICATION TO THE EUROPEAN PARLIAMENT AND THE COUNCIL
A global strategy for secure submarine connectivity
1. INTRODUCTION
The Union relies on secure cables, as stated in COM(2023) 20 final of 20.6.2023.
";
        let m = read_metadata(&paras(text), "en");
        let id = m.identifier.expect("identifier");
        assert_eq!(id.canonical, "JOIN(2025) 140 final");
        assert_eq!(m.date, Some(d(2025, 6, 4)));
        assert_eq!(
            m.title.as_deref(),
            Some("A global strategy for secure submarine connectivity")
        );
        assert_eq!(m.doc_type, DocType::JointCommunication);
    }

    #[test]
    fn communication_without_number_is_typed_by_its_genre_line() {
        let text = "MITTEILUNG DER KOMMISSION AN DAS EUROPÄISCHE PARLAMENT UND DEN RAT\nEine Strategie für digitale Partnerschaften\n";
        let m = read_metadata(&paras(text), "de");
        assert_eq!(m.identifier, None);
        assert_eq!(m.doc_type, DocType::Communication);
        assert_eq!(
            m.title.as_deref(),
            Some("Eine Strategie für digitale Partnerschaften")
        );
        let text =
            "WSPÓLNY KOMUNIKAT DO PARLAMENTU EUROPEJSKIEGO I RADY\nStrategia na rzecz łączności\n";
        assert_eq!(
            read_metadata(&paras(text), "pl").doc_type,
            DocType::JointCommunication
        );
    }

    #[test]
    fn headers_in_other_languages() {
        let cases: [(&str, &str, &str, Date, &str); 6] = [
            (
                "Rada Unii Europejskiej\nBruksela, 12 listopada 2025 r.\n(OR. en)\n14001/25\nPoprz. dok. nr: 13900/25\nDotyczy: Konkluzje Rady w sprawie dyplomacji cyfrowej\n",
                "pl",
                "14001/25",
                d(2025, 11, 12),
                "Konkluzje Rady w sprawie dyplomacji cyfrowej",
            ),
            (
                "Συμβούλιο της Ευρωπαϊκής Ένωσης\nΒρυξέλλες, 12 Νοεμβρίου 2025\n14001/25\nΘέμα: Συμπεράσματα του Συμβουλίου για την ψηφιακή διπλωματία\n",
                "el",
                "14001/25",
                d(2025, 11, 12),
                "Συμπεράσματα του Συμβουλίου για την ψηφιακή διπλωματία",
            ),
            (
                "Az Európai Unió Tanácsa\nBrüsszel, 2025. november 12.\n14001/25\nTárgy: A Tanács következtetései a digitális diplomáciáról\n",
                "hu",
                "14001/25",
                d(2025, 11, 12),
                "A Tanács következtetései a digitális diplomáciáról",
            ),
            (
                "Eiropas Savienības Padome\nBriselē, 2025. gada 12. novembrī\n14001/1/25\nREV 1\nTemats: Padomes secinājumi par digitālo diplomātiju\n",
                "lv",
                "14001/1/25 REV 1",
                d(2025, 11, 12),
                "Padomes secinājumi par digitālo diplomātiju",
            ),
            (
                "Europos Sąjungos Taryba\nBriuselis, 2025 m. lapkričio 12 d.\n14001/25\nDalykas: Tarybos išvados dėl skaitmeninės diplomatijos\n",
                "lt",
                "14001/25",
                d(2025, 11, 12),
                "Tarybos išvados dėl skaitmeninės diplomatijos",
            ),
            (
                "Vijeće Europske unije\nBruxelles, 12. listopada 2025.\n14001/25\nPredmet: Zaključci Vijeća o digitalnoj diplomaciji\n",
                "hr",
                "14001/25",
                d(2025, 10, 12),
                "Zaključci Vijeća o digitalnoj diplomaciji",
            ),
        ];
        for (text, lang, id, date, title) in cases {
            let m = read_metadata(&paras(text), lang);
            assert_eq!(
                m.identifier.map(|i| i.canonical).as_deref(),
                Some(id),
                "{lang}"
            );
            assert_eq!(m.date, Some(date), "{lang}");
            assert_eq!(m.title.as_deref(), Some(title), "{lang}");
            assert_eq!(m.doc_type, DocType::CouncilConclusions, "{lang}");
        }
    }

    #[test]
    fn footnote_numbers_and_body_numbers_are_not_identifiers() {
        let mut ps = paras(
            "Council conclusions on space security\n1. The Council recalls its conclusions set out in doc. 9876/24 of 12 May 2024.\n¹ See 9876/24.\n",
        );
        ps[2].kind = ParagraphKind::Footnote;
        let m = read_metadata(&ps, "en");
        assert_eq!(m.identifier, None);
        assert_eq!(m.date, None);
        assert_eq!(
            m.title.as_deref(),
            Some("Council conclusions on space security")
        );
        assert_eq!(m.doc_type, DocType::CouncilConclusions);
    }

    #[test]
    fn empty_document() {
        let m = read_metadata(&[], "en");
        assert_eq!(
            m,
            Metadata {
                identifier: None,
                date: None,
                title: None,
                doc_type: DocType::Other
            }
        );
    }
}

//! Citations of documents known by author and date rather than by number:
//! "de conclusies van de Raad van 18 juni 2022 en 26 juni 2023 over …",
//! "Schlussfolgerungen des Europäischen Rates vom April 2024". Patterns are
//! data (`[[citation]]` in `ontology/rules/LANG.toml`); each date gives one
//! cited document, named by its author and date so that every language
//! version of a citing text reaches the same node.

use std::ops::Range;

use regex::Regex;
use serde::Deserialize;

use crate::document::language;
use crate::document::metadata::month_of;
use crate::error::{Error, Result};
use crate::vocab::ID;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCitation {
    pub id: String,
    /// Lexicon id of the author (`eu/council`).
    pub author: String,
    /// English name of the kind of document, for the label ("Council conclusions").
    pub label: String,
    /// Pattern on the paragraph text; `{dates}` stands for one or more dates.
    pub pattern: String,
    #[allow(dead_code)]
    pub note: Option<String>,
}

/// A compiled citation rule.
#[derive(Debug, Clone)]
pub struct CitationRule {
    pub id: String,
    pub author: String,
    pub label: String,
    regex: Regex,
    date: Regex,
    language: String,
}

/// One document cited by author and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatedCitation {
    pub iri: String,
    /// English label ("Council conclusions of 18 June 2022").
    pub label: String,
    /// The citation as the text words it, for this one date.
    pub surface: String,
    /// Byte range in the paragraph text.
    pub range: Range<usize>,
    pub rule: String,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_pattern(lang: &str) -> String {
    let mut months: Vec<String> = language::table()
        .languages
        .get(lang)
        .map(|l| {
            l.months
                .iter()
                .flatten()
                .map(|m| regex::escape(m))
                .collect()
        })
        .unwrap_or_default();
    months.sort_by_key(|m| std::cmp::Reverse(m.len()));
    let months = if months.is_empty() {
        MONTHS_EN.join("|")
    } else {
        months.join("|")
    };
    // "18 juni 2022", "18. Juni 2022", "18 de junho de 2022", "18 czerwca 2022 r.", "april 2024"
    format!(
        r"(?:\d{{1,2}}\.?\s+(?:de\s+|del\s+)?)?\b(?:{months})\s+(?:de\s+|del\s+)?\d{{4}}(?:\s*r\.)?"
    )
}

impl CitationRule {
    /// Compiles a citation rule of `lang` with that language's conjunctions.
    pub fn compile(
        raw: RawCitation,
        lang: &str,
        conjunctions: &[String],
        path: &std::path::Path,
    ) -> Result<CitationRule> {
        let date = date_pattern(lang);
        let conj: Vec<String> = conjunctions.iter().map(|c| regex::escape(c)).collect();
        let joiner = if conj.is_empty() {
            r"\s*,\s*".to_string()
        } else {
            format!(r"(?:\s*,\s*|\s+(?:{})\s+)(?:\w{{1,4}}\s+)?", conj.join("|"))
        };
        let dates = format!("(?P<dates>{date}(?:{joiner}{date})*)");
        let source = format!("(?i){}", raw.pattern.replace("{dates}", &dates));
        let err = |m: String| Error::Data {
            path: path.to_path_buf(),
            line: 0,
            message: format!("citation {}: {m}", raw.id),
        };
        if !raw.pattern.contains("{dates}") {
            return Err(err("pattern needs {dates}".into()));
        }
        let regex = super::boundary::compile(&source).map_err(err)?;
        Ok(CitationRule {
            id: format!("rules/{lang}/{}", raw.id),
            author: raw.author,
            label: raw.label,
            regex,
            date: Regex::new(&format!("(?i){date}")).expect("date regex"),
            language: lang.to_string(),
        })
    }

    /// The dated citations in `text`.
    pub fn find(&self, text: &str) -> Vec<DatedCitation> {
        let mut out = Vec::new();
        for c in self.regex.captures_iter(text) {
            let whole = c.get(0).expect("match");
            let Some(dates) = c.name("dates") else {
                continue;
            };
            let head = &text[whole.start()..dates.start()];
            let tail = &text[dates.end()..whole.end()];
            for d in self.date.find_iter(dates.as_str()) {
                let s = d.as_str();
                let words: Vec<&str> = s
                    .split_whitespace()
                    .filter(|w| !matches!(w.to_lowercase().as_str(), "de" | "del" | "r."))
                    .map(|w| w.trim_end_matches("r."))
                    .filter(|w| !w.is_empty())
                    .collect();
                let (day, month_word, year) = match words.as_slice() {
                    [d, m, y] => (d.trim_end_matches('.').parse::<u8>().ok(), *m, *y),
                    [m, y] => (None, *m, *y),
                    _ => continue,
                };
                let (Some(month), Ok(year)) = (
                    month_of(month_word, Some(&self.language)),
                    year.parse::<u16>(),
                ) else {
                    continue;
                };
                let when = match day {
                    Some(day) => format!("{year:04}-{month:02}-{day:02}"),
                    None => format!("{year:04}-{month:02}"),
                };
                let english = match day {
                    Some(day) => format!("{day} {} {year}", MONTHS_EN[month as usize - 1]),
                    None => format!("{} {year}", MONTHS_EN[month as usize - 1]),
                };
                let author_slug = self.author.rsplit('/').next().unwrap_or(&self.author);
                let kind = self.label.to_lowercase().replace(' ', "-");
                out.push(DatedCitation {
                    iri: format!("{ID}document/{kind}-{author_slug}-{when}"),
                    label: format!("{} of {english}", self.label),
                    surface: format!("{head}{s}{tail}").trim().to_string(),
                    range: whole.range(),
                    rule: self.id.clone(),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(lang: &str, conj: &[&str], pattern: &str) -> CitationRule {
        CitationRule::compile(
            RawCitation {
                id: "t".into(),
                author: "eu/council".into(),
                label: "Council conclusions".into(),
                pattern: pattern.into(),
                note: None,
            },
            lang,
            &conj.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            std::path::Path::new("t.toml"),
        )
        .unwrap()
    }

    #[test]
    fn one_citation_per_date_with_its_own_surface() {
        let r = rule(
            "fr",
            &["et"],
            r"\bconclusions\s+du\s+Conseil\s+du\s+{dates}(?:\s+sur\s+[^;.]+)?",
        );
        let t = "rappelant les conclusions du Conseil du 3 mars 2021 et du 9 octobre 2023 sur la diplomatie numérique; autre";
        let got = r.find(t);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].label, "Council conclusions of 3 March 2021");
        assert_eq!(
            got[0].surface,
            "conclusions du Conseil du 3 mars 2021 sur la diplomatie numérique"
        );
        assert!(
            got[1]
                .iri
                .ends_with("council-conclusions-council-2023-10-09"),
            "{}",
            got[1].iri
        );
        let pt = rule("pt", &["e"], r"\bconclusões\s+do\s+Conselho\s+de\s+{dates}");
        let got =
            pt.find("as conclusões do Conselho de 18 de junho de 2022 e de 26 de junho de 2023");
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].label, "Council conclusions of 26 June 2023");
        let month_only = r.find("les conclusions du Conseil du avril 2019");
        assert_eq!(month_only[0].label, "Council conclusions of April 2019");
        assert!(
            r.find("les conclusions du Conseil du mois dernier")
                .is_empty()
        );
    }
}

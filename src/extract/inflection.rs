//! Inflection of lexicon names: ending-replacement rules per language and
//! grammatical case, read from `ontology/inflection.toml`, that turn a name as
//! the lexicon lists it (`Japonia`, `Unia Europejska`, `Ιαπωνία`, `Kiina`)
//! into the forms texts use (`Japonii`, `Unii Europejskiej`, `Ιαπωνίας`,
//! `Kiinassa`). The gazetteer adds these forms as extra patterns of the
//! entity, so names in case forms are found without listing every form.
//!
//! The rules are data, not a stemmer: each case is an ordered list of
//! `{ end, to }` rules; the first whose ending the word has replaces it with
//! each of the `to` forms. Over-generation is cheap (a form that no text uses
//! never matches); forms that could be another entity's name or a common word
//! are dropped by the gazetteer (see `ontology/lexicon/README.md`).

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::ontology::{Class, DataSource};

/// The rules of all languages.
#[derive(Debug, Clone, Default)]
pub struct Inflection {
    languages: BTreeMap<String, LanguageRules>,
}

/// How one language inflects names.
#[derive(Debug, Clone)]
pub struct LanguageRules {
    /// Words shorter than this (in characters) are never inflected.
    min_length: usize,
    /// Which words of a multi-word name take the case ending.
    multiword: Vec<WordChoice>,
    /// Names of more words than this are not inflected word by word with
    /// `All` (long titles end in complements that keep their case).
    all_max_words: Option<usize>,
    /// Whether `A`, `O`, `U` in endings follow vowel harmony and `V` repeats
    /// the stem's last vowel (Finnish).
    vowel_harmony: bool,
    /// Folded forms never added as variants (common words).
    exclude: HashSet<String>,
    cases: Vec<Case>,
}

/// Which words of a multi-word name are inflected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum WordChoice {
    /// Every inflectable word, with the same case (adjective and noun agree:
    /// `Unia Europejska` → `Unii Europejskiej`).
    All,
    /// The first inflectable word only (`Rada Unii Europejskiej` →
    /// `Rady Unii Europejskiej`).
    First,
    /// The last inflectable word only (`Euroopan unioni` → `Euroopan unionin`).
    Last,
}

/// One grammatical case (or a group of cases sharing a stem).
#[derive(Debug, Clone)]
struct Case {
    name: String,
    /// Only names of entities of these classes (all when empty).
    classes: Vec<Class>,
    /// Only names of at most this many words.
    max_words: Option<usize>,
    rules: Vec<Rule>,
}

/// Replace the ending `end` (folded) by each of `to`.
#[derive(Debug, Clone)]
struct Rule {
    end: String,
    /// When set, the character before the ending must be one of these.
    after: Option<String>,
    to: Vec<String>,
    /// Remove acute accents from the stem (Greek accent shift:
    /// `Βέλγιο` → `Βελγίου`).
    unaccent: bool,
}

/// An inflected form of a name, with the case that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub form: String,
    /// The case that made it: index in [`LanguageRules::case_names`].
    pub case: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default = "default_min_length")]
    min_length: usize,
    #[serde(default = "default_multiword")]
    multiword: Vec<WordChoice>,
    all_max_words: Option<usize>,
    #[serde(default)]
    vowel_harmony: bool,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    case: Vec<RawCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    #[serde(default)]
    classes: Vec<String>,
    max_words: Option<usize>,
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    end: String,
    after: Option<String>,
    to: Vec<String>,
    #[serde(default)]
    unaccent: bool,
}

fn default_min_length() -> usize {
    4
}

fn default_multiword() -> Vec<WordChoice> {
    vec![WordChoice::All]
}

/// Most variants one name may give per case (a bound on the product of the
/// forms of its words).
const MAX_PER_CASE: usize = 32;

impl Inflection {
    /// Loads `inflection.toml` of `source`; no file means no inflection.
    pub fn load(source: &DataSource) -> Result<Inflection> {
        let files = source.files("inflection.toml", ".toml")?;
        match files.into_iter().next() {
            Some((path, text)) => Inflection::parse(&text).map_err(|(line, message)| Error::Data {
                path,
                line,
                message,
            }),
            None => Ok(Inflection::default()),
        }
    }

    /// Parses the TOML text; errors give (line, message).
    pub fn parse(text: &str) -> std::result::Result<Inflection, (usize, String)> {
        let raw: BTreeMap<String, RawLanguage> = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map_or(0, |s| text[..s.start].matches('\n').count() + 1);
            (line, e.message().to_string())
        })?;
        let line_of = |needle: &str| {
            text.find(needle)
                .map_or(0, |p| text[..p].matches('\n').count() + 1)
        };
        let mut languages = BTreeMap::new();
        for (lang, r) in raw {
            let mut cases = Vec::new();
            for c in r.case {
                let mut classes = Vec::new();
                for name in &c.classes {
                    classes.push(Class::from_local_name(name).ok_or_else(|| {
                        (
                            line_of(&format!("[[{lang}.case]]")),
                            format!("{lang} case {}: unknown class {name:?}", c.name),
                        )
                    })?);
                }
                let rules = c
                    .rules
                    .into_iter()
                    .map(|r| Rule {
                        end: fold(&r.end),
                        after: r.after.map(|a| fold(&a)),
                        to: r.to,
                        unaccent: r.unaccent,
                    })
                    .collect();
                cases.push(Case {
                    name: c.name,
                    classes,
                    max_words: c.max_words,
                    rules,
                });
            }
            languages.insert(
                lang,
                LanguageRules {
                    min_length: r.min_length,
                    multiword: r.multiword,
                    all_max_words: r.all_max_words,
                    vowel_harmony: r.vowel_harmony,
                    exclude: r.exclude.iter().map(|w| fold(w)).collect(),
                    cases,
                },
            );
        }
        Ok(Inflection { languages })
    }

    /// The rules of `lang`, if it has any.
    pub fn language(&self, lang: &str) -> Option<&LanguageRules> {
        self.languages.get(lang)
    }

    /// Whether no language has rules.
    pub fn is_empty(&self) -> bool {
        self.languages.is_empty()
    }
}

impl LanguageRules {
    /// The names of the cases (`gen`, `inst`, …), in the order of the data.
    pub fn case_names(&self) -> impl Iterator<Item = &str> {
        self.cases.iter().map(|c| c.name.as_str())
    }

    /// Whether `form` (folded) is listed as never to be added.
    pub fn excludes(&self, folded: &str) -> bool {
        self.exclude.contains(folded)
    }

    /// The inflected forms of `name`, a name of an entity of `class`, in
    /// every case; forms equal to the name itself are left out. Acronyms and
    /// other words without lower-case letters, words with digits, and words
    /// shorter than `min_length` are never inflected.
    pub fn variants(&self, name: &str, class: Class) -> Vec<Variant> {
        let words: Vec<&str> = name.split(' ').collect();
        let inflectable: Vec<usize> = (0..words.len())
            .filter(|&i| self.inflectable(words[i]))
            .collect();
        if inflectable.is_empty() {
            return Vec::new();
        }
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let mut out: Vec<Variant> = Vec::new();
        for (case_index, case) in self.cases.iter().enumerate() {
            if !case.classes.is_empty() && !case.classes.contains(&class) {
                continue;
            }
            if case.max_words.is_some_and(|m| words.len() > m) {
                continue;
            }
            let mut choices: Vec<&[usize]> = Vec::new();
            for choice in &self.multiword {
                if *choice == WordChoice::All && self.all_max_words.is_some_and(|m| words.len() > m)
                {
                    continue;
                }
                let positions = match choice {
                    WordChoice::All => &inflectable[..],
                    WordChoice::First => &inflectable[..1],
                    WordChoice::Last => &inflectable[inflectable.len() - 1..],
                };
                if !choices.contains(&positions) {
                    choices.push(positions);
                }
            }
            for positions in choices {
                let mut forms: Vec<Vec<String>> = vec![Vec::new(); words.len()];
                for &i in positions {
                    forms[i] = self.word_forms(words[i], &folded[i], case);
                }
                let mut built: Vec<String> = vec![String::new()];
                for (i, w) in words.iter().enumerate() {
                    let options: Vec<&str> = if forms[i].is_empty() {
                        vec![*w]
                    } else {
                        forms[i].iter().map(String::as_str).collect()
                    };
                    let mut next = Vec::with_capacity(built.len() * options.len());
                    for b in &built {
                        for o in &options {
                            if next.len() == MAX_PER_CASE {
                                break;
                            }
                            let mut s = b.clone();
                            if i > 0 {
                                s.push(' ');
                            }
                            s.push_str(o);
                            next.push(s);
                        }
                    }
                    built = next;
                }
                for form in built {
                    if form != name && !out.iter().any(|v| v.form == form) {
                        out.push(Variant {
                            form,
                            case: case_index,
                        });
                    }
                }
            }
        }
        out
    }

    fn inflectable(&self, word: &str) -> bool {
        word.chars().count() >= self.min_length
            && word.chars().any(char::is_lowercase)
            && !word.chars().any(|c| c.is_ascii_digit())
    }

    /// The forms of one word in `case`: from the first rule whose ending it
    /// has; none when no rule applies.
    fn word_forms(&self, word: &str, folded: &str, case: &Case) -> Vec<String> {
        for rule in &case.rules {
            let Some(stem_folded) = folded.strip_suffix(rule.end.as_str()) else {
                continue;
            };
            if stem_folded.is_empty() {
                continue;
            }
            if let Some(after) = &rule.after
                && !stem_folded
                    .chars()
                    .next_back()
                    .is_some_and(|c| after.contains(c))
            {
                continue;
            }
            // `fold` keeps byte lengths, so the stem of the word is as long
            // as the folded stem.
            let mut stem = word[..stem_folded.len()].to_string();
            if rule.unaccent {
                stem = unaccent(&stem);
            }
            return rule
                .to
                .iter()
                .map(|t| {
                    let t = if self.vowel_harmony {
                        harmonise(t, word, &stem)
                    } else {
                        t.clone()
                    };
                    format!("{stem}{t}")
                })
                .collect();
        }
        Vec::new()
    }
}

/// Lower-cases for comparing endings, with the same byte lengths as the
/// gazetteer's folding.
fn fold(s: &str) -> String {
    super::gazetteer::fold(s)
}

/// Removes acute accents and tonos (Greek accent shift).
fn unaccent(s: &str) -> String {
    s.nfd()
        .filter(|&c| c != '\u{301}' && c != '\u{341}')
        .nfc()
        .collect()
}

/// Finnish vowel harmony: `A`/`O`/`U` become `a`/`o`/`u` when the word's last
/// part (after a hyphen) has a back vowel, `ä`/`ö`/`y` otherwise; `V` is the
/// stem's last vowel (illative `Kiina` → `Kiinaan`).
fn harmonise(ending: &str, word: &str, stem: &str) -> String {
    let part = word.rsplit('-').next().unwrap_or(word).to_lowercase();
    let back = part.chars().any(|c| matches!(c, 'a' | 'o' | 'u'));
    let last_vowel = stem
        .to_lowercase()
        .chars()
        .rev()
        .find(|c| "aeiouyäö".contains(*c))
        .unwrap_or('a');
    ending
        .chars()
        .map(|c| match (c, back) {
            ('A', true) => 'a',
            ('A', false) => 'ä',
            ('O', true) => 'o',
            ('O', false) => 'ö',
            ('U', true) => 'u',
            ('U', false) => 'y',
            ('V', _) => last_vowel,
            (c, _) => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules shipped in `ontology/inflection.toml`.
    fn shipped() -> Inflection {
        Inflection::load(&DataSource::Embedded).unwrap()
    }

    fn forms(inf: &Inflection, lang: &str, name: &str, class: Class) -> Vec<String> {
        inf.language(lang)
            .unwrap()
            .variants(name, class)
            .into_iter()
            .map(|v| v.form)
            .collect()
    }

    fn case_of(inf: &Inflection, lang: &str, name: &str, form: &str) -> Option<String> {
        let rules = inf.language(lang).unwrap();
        let names: Vec<&str> = rules.case_names().collect();
        rules
            .variants(name, Class::Country)
            .into_iter()
            .find(|v| v.form == form)
            .map(|v| names[v.case].to_string())
    }

    #[test]
    fn shipped_rules_make_the_expected_forms() {
        let inf = shipped();
        // (language, name, class, forms that must be among the variants)
        let table: &[(&str, &str, Class, &[&str])] = &[
            (
                "pl",
                "Japonia",
                Class::Country,
                &["Japonii", "Japonię", "Japonią"],
            ),
            (
                "pl",
                "Unia Europejska",
                Class::EUBody,
                &["Unii Europejskiej", "Unię Europejską", "Unią Europejską"],
            ),
            (
                "pl",
                "Korea Południowa",
                Class::Country,
                &["Korei Południowej", "Koreą Południową"],
            ),
            (
                "pl",
                "Francja",
                Class::Country,
                &["Francji", "Francję", "Francją"],
            ),
            (
                "pl",
                "Kanada",
                Class::Country,
                &["Kanady", "Kanadzie", "Kanadą"],
            ),
            (
                "pl",
                "Egipt",
                Class::Country,
                &["Egiptu", "Egiptem", "Egipcie"],
            ),
            ("pl", "Meksyk", Class::Country, &["Meksyku", "Meksykiem"]),
            (
                "pl",
                "Republika Angoli",
                Class::Country,
                &["Republiki Angoli", "Republiką Angoli"],
            ),
            (
                "cs",
                "Japonsko",
                Class::Country,
                &["Japonska", "Japonsku", "Japonskem"],
            ),
            (
                "cs",
                "Čína",
                Class::Country,
                &["Číny", "Číně", "Čínu", "Čínou"],
            ),
            (
                "cs",
                "Evropská unie",
                Class::EUBody,
                &[
                    "Evropské unie",
                    "Evropské unii",
                    "Evropskou unii",
                    "Evropskou unií",
                ],
            ),
            ("cs", "Egypt", Class::Country, &["Egyptu", "Egyptem"]),
            ("cs", "Kolumbie", Class::Country, &["Kolumbii", "Kolumbií"]),
            (
                "fi",
                "Japani",
                Class::Country,
                &[
                    "Japanin",
                    "Japanissa",
                    "Japanista",
                    "Japania",
                    "Japaniin",
                    "Japanille",
                ],
            ),
            (
                "fi",
                "Kiina",
                Class::Country,
                &["Kiinan", "Kiinassa", "Kiinaa", "Kiinaan"],
            ),
            (
                "fi",
                "Etelä-Afrikka",
                Class::Country,
                &["Etelä-Afrikan", "Etelä-Afrikassa"],
            ),
            (
                "fi",
                "Intia",
                Class::Country,
                &["Intian", "Intiassa", "Intiaa"],
            ),
            (
                "fi",
                "Kazakstan",
                Class::Country,
                &["Kazakstanin", "Kazakstanissa"],
            ),
            (
                "fi",
                "Euroopan unioni",
                Class::EUBody,
                &["Euroopan unionin", "Euroopan unionissa"],
            ),
            (
                "fi",
                "Etelä-Korea",
                Class::Country,
                &["Etelä-Korean", "Etelä-Koreassa"],
            ),
            ("fi", "Tšekki", Class::Country, &["Tšekin", "Tšekissä"]),
            ("el", "Ιαπωνία", Class::Country, &["Ιαπωνίας"]),
            ("el", "Κίνα", Class::Country, &["Κίνας"]),
            ("el", "Βέλγιο", Class::Country, &["Βελγίου"]),
            ("el", "Καναδάς", Class::Country, &["Καναδά"]),
            (
                "el",
                "Ευρωπαϊκή Ένωση",
                Class::EUBody,
                &["Ευρωπαϊκής Ένωσης"],
            ),
            (
                "el",
                "Ηνωμένο Βασίλειο",
                Class::Country,
                &["Ηνωμένου Βασιλείου"],
            ),
            (
                "el",
                "Δημοκρατία της Κορέας",
                Class::Country,
                &["Δημοκρατίας της Κορέας"],
            ),
            ("sv", "Japan", Class::Country, &["Japans"]),
            (
                "sv",
                "revisionsrätt",
                Class::EUBody,
                &["revisionsrätten", "revisionsrättens"],
            ),
            (
                "da",
                "Kommission",
                Class::EUBody,
                &["Kommissionen", "Kommissionens"],
            ),
            ("da", "Indien", Class::Country, &["Indiens"]),
            ("de", "Japan", Class::Country, &["Japans"]),
            (
                "de",
                "Europäische Union",
                Class::EUBody,
                &["Europäischen Union"],
            ),
        ];
        let mut failures = Vec::new();
        for (lang, name, class, want) in table {
            let got = forms(&inf, lang, name, *class);
            for w in *want {
                if !got.iter().any(|g| g == w) {
                    failures.push(format!("{lang} {name}: no {w} in {got:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn words_that_are_not_inflected() {
        let inf = shipped();
        // Acronyms and names in capitals, short words, names with digits.
        for (lang, name) in [
            ("pl", "NATO"),
            ("pl", "UE"),
            ("cs", "OSN"),
            ("fi", "YK"),
            ("el", "ΝΑΤΟ"),
            ("pl", "G7"),
            ("de", "EU"),
        ] {
            assert!(
                forms(&inf, lang, name, Class::Forum).is_empty(),
                "{lang} {name}"
            );
        }
        // Danish and Swedish definite forms only for bodies, not countries.
        assert!(!forms(&inf, "da", "Japan", Class::Country).contains(&"Japanen".to_string()));
        // German: no genitive -s after a sibilant.
        assert!(
            !forms(&inf, "de", "Schweiz", Class::Country)
                .iter()
                .any(|f| f.ends_with("zs"))
        );
        // Long titles: only the head word (Polish `all_max_words = 3`).
        let pl = forms(
            &inf,
            "pl",
            "Europejski Fundusz Rozwoju Regionalnego",
            Class::Initiative,
        );
        assert!(
            pl.contains(&"Europejskiego Fundusz Rozwoju Regionalnego".to_string()),
            "{pl:?}"
        );
        assert!(
            pl.iter()
                .all(|f| f.ends_with(" Fundusz Rozwoju Regionalnego")),
            "{pl:?}"
        );
        // Greek articles inside a name stay as they are.
        let el = forms(&inf, "el", "Δημοκρατία της Κορέας", Class::Country);
        assert!(el.iter().all(|f| f.contains(" της ")), "{el:?}");
    }

    #[test]
    fn case_names_and_harmony() {
        let inf = shipped();
        assert_eq!(
            case_of(&inf, "pl", "Japonia", "Japonią").as_deref(),
            Some("inst")
        );
        assert_eq!(
            case_of(&inf, "pl", "Japonia", "Japonii").as_deref(),
            Some("gen")
        );
        // Front vowels take -ssä, back vowels -ssa.
        let fi = forms(&inf, "fi", "Syyria", Class::Country);
        assert!(fi.contains(&"Syyriassa".to_string()), "{fi:?}");
        let fi = forms(&inf, "fi", "Kenia", Class::Country);
        assert!(fi.contains(&"Keniassa".to_string()), "{fi:?}");
        let fi = forms(&inf, "fi", "Tšekki", Class::Country);
        assert!(fi.contains(&"Tšekissä".to_string()), "{fi:?}");
        assert!(!fi.contains(&"Tšekissa".to_string()), "{fi:?}");
    }

    #[test]
    fn parse_rules_and_errors() {
        let inf = Inflection::parse(
            r#"
[xx]
min_length = 3
multiword = ["first"]
[[xx.case]]
name = "gen"
rules = [
  { end = "a", to = ["y"] },
  { end = "", after = "bcd", to = ["u", "a"] },
]
"#,
        )
        .unwrap();
        let xx = inf.language("xx").unwrap();
        let f: Vec<String> = xx
            .variants("Rada Kraj", Class::Country)
            .into_iter()
            .map(|v| v.form)
            .collect();
        assert_eq!(f, ["Rady Kraj"]);
        let f: Vec<String> = xx
            .variants("Kab", Class::Country)
            .into_iter()
            .map(|v| v.form)
            .collect();
        assert_eq!(f, ["Kabu", "Kaba"]);
        // `after` not met: no form.
        assert!(xx.variants("Kaz", Class::Country).is_empty());
        let err = Inflection::parse("[xx]\nmin_length = \"four\"\n").unwrap_err();
        assert_eq!(err.0, 2, "{err:?}");
        let err = Inflection::parse(
            "[xx]\n[[xx.case]]\nname = \"gen\"\nclasses = [\"Planet\"]\nrules = []\n",
        )
        .unwrap_err();
        assert!(err.1.contains("Planet"), "{err:?}");
    }

    #[test]
    fn unaccent_strips_tonos_only() {
        assert_eq!(unaccent("Βέλγ"), "Βελγ");
        assert_eq!(unaccent("Ευρωπαϊκ"), "Ευρωπαϊκ");
    }
}

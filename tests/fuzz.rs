//! Property tests (proptest) of reading and extraction on generated text:
//! arbitrary Unicode, arbitrary bytes, and text mixing fragments typical of
//! PDF-extracted policy documents in several languages (hyphenated line
//! breaks, page headers, footnote markers, bullets, form feeds, CRLF, odd
//! spaces, the brackets the extractor uses internally for tokens, combining
//! accents, RTL marks, emoji, letters whose case mapping changes their
//! length, lexicon names, dates).
//!
//! Properties: nothing panics; every paragraph's original range and every
//! fact's evidence span lies within the text, on character boundaries;
//! extraction is deterministic. `PROPTEST_CASES` sets the number of cases
//! (256 by default).

use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use policygraph::document::source::{self, SourceFile};
use policygraph::document::{Document, normalise::normalise};
use policygraph::extract::Extractor;
use policygraph::fact::Predicate;
use policygraph::lexicon::Lexicon;
use policygraph::ontology::DataSource;
use proptest::prelude::*;
use proptest::sample::select;

/// The extractor with the embedded data, made once per test binary.
fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        let lexicon = Lexicon::load(&DataSource::Embedded).expect("embedded lexicon");
        Extractor::new(lexicon, &DataSource::Embedded).expect("extractor")
    })
}

/// The 24 official languages of the EU (what `--language` accepts).
const LANGUAGES: &[&str] = &[
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it", "lt", "lv",
    "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
];

/// Pieces of text as PDF extraction leaves them, written for these tests.
const FRAGMENTS: &[&str] = &[
    // Layout.
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "\t",
    "\u{c}",
    "\u{a0}",
    "\u{202f}",
    "\u{2009}",
    "   ",
    " ",
    " ",
    " ",
    "coope-\nratie",
    "Zusammen-\narbeit",
    "sama-\r\nrbete",
    "digi-\n\ntal",
    "15315/25   EN 3\n",
    "\n15315/1/25 REV 1   nl/ab   4\nRELEX.1.B   NL\n",
    "\u{c}12\n",
    "- 7 -\n",
    "ANNEX\n",
    "BIJLAGE\n",
    // Footnotes and numbering.
    "¹",
    "²³",
    "\n1 ",
    "\n12 Verordening (EU) 2022/2065 van het Europees Parlement.\n",
    "\n3 Regulation (EU) 2024/1689 on artificial intelligence.\n",
    "COM(2023) 442 final",
    "JOIN(2025) 140",
    "[1]",
    "\n– ",
    "\n- ",
    "\n• ",
    "\n(a) ",
    "\n(iv) ",
    "\n1. ",
    "\n9. ",
    "a)",
    // The extractor's own token brackets.
    "⟦",
    "⟧",
    "⟪",
    "⟫",
    "⟦Country:3⟧",
    "⟦Framework:0⟧",
    "⟪Met ",
    // Scripts, marks, case mapping that changes byte length.
    "e\u{301}",
    "a\u{308}\u{304}",
    "\u{200f}",
    "\u{200e}",
    "\u{202e}",
    "\u{200b}",
    "\u{feff}",
    "\u{ad}",
    "😀",
    "🇪🇺",
    "👩‍💻",
    "İ",
    "ı",
    "ß",
    "ẞ",
    "ǅ",
    "ﬁ",
    "ΐ",
    "Ω",
    "K",
    "Å",
    "ς",
    "العربية",
    "עברית",
    "中文",
    "Ελληνικά",
    "Европейски съюз",
    "Čeština",
    // Lexicon names and phrases in several languages.
    "Japan",
    "JAPAN",
    "japan",
    "Japon",
    "Japonii",
    "EU",
    "the EU",
    "EU-",
    "de Europese Unie",
    "Europäische Union",
    "Den Europæiske Union",
    "Unii Europejskiej",
    "Ευρωπαϊκή Ένωση",
    "Global Gateway",
    "BELLA",
    "EllaLink",
    "2Africa",
    "de Commissie",
    "the Commission",
    "die Kommission",
    "Komisja",
    "the European Investment Bank",
    "Kenia",
    "Kenya",
    "Ghana",
    "India",
    "Brazilië",
    "Brasilien",
    "Republic of Korea",
    "Singapore",
    "Latin America and the Caribbean",
    "ITU",
    "OECD",
    "Digital Partnership",
    "digitale partnerschappen met",
    "signed a digital partnership with",
    "Handels- und Technologierat",
    "is financed by",
    "wordt gefinancierd door",
    "connects",
    "verbindt",
    "reports to",
    "brengt verslag uit aan",
    " en ",
    " and ",
    " und ",
    " og ",
    " i ",
    ", ",
    ". ",
    "; ",
    ": ",
    "\"",
    "«",
    "»",
    "„",
    "“",
    "(",
    ")",
    // Numbers and dates.
    "2022/2065",
    "15 juni 2023",
    "18 November 2024",
    "20. november 2025",
    "1.1.2026",
    "2025",
    "(OR. en)",
    "12",
    "0",
];

/// Text built from fragments and made-up words.
fn structured() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => select(FRAGMENTS).prop_map(str::to_owned),
            1 => "[a-zA-Zà-ÿĀ-ž]{1,12} ",
            1 => any::<char>().prop_map(String::from),
        ],
        0..160,
    )
    .prop_map(|v| v.concat())
}

/// Running headers written for these tests, repeated on every page so that
/// the normaliser's page-furniture detection comes into play.
const HEADERS: &[&str] = &[
    "14211/24   AB/cd   7\nRELEX.2.A   EN",
    "JOIN(2025) 140 final",
    "PE-CONS 12/25",
    "www.consilium.europa.eu",
    "Rådets konklusioner om digital diplomati",
];

/// A paged document: pages of lines made of fragments, each page with the
/// same running header and a page number, pages split by form feeds.
fn paged() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(
        prop_oneof![
            3 => select(FRAGMENTS).prop_map(str::to_owned),
            2 => "[a-zA-Zà-ÿĀ-ž]{1,12} ",
        ],
        0..16,
    )
    .prop_map(|v| v.concat());
    (
        select(HEADERS),
        prop::collection::vec(prop::collection::vec(line, 1..14), 1..7),
        any::<bool>(),
    )
        .prop_map(|(header, pages, form_feeds)| {
            let mut out = String::new();
            for (n, lines) in pages.iter().enumerate() {
                out.push_str(header);
                out.push('\n');
                out.push_str(&lines.join("\n"));
                out.push_str(&format!("\n{}\n", n + 1));
                if form_feeds {
                    out.push('\u{c}');
                }
            }
            out
        })
}

/// Arbitrary Unicode (any scalar value, controls included).
fn arbitrary() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..300).prop_map(String::from_iter)
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![arbitrary(), structured(), paged()]
}

fn language() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![Just(None), select(LANGUAGES).prop_map(Some)]
}

/// Asserts that `range` lies within `text`, on character boundaries.
fn within(text: &str, range: Range<usize>, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what}: {range:?} outside 0..{}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what}: {range:?} not on character boundaries of {text:?}"
    );
    Ok(())
}

fn read(text: &str, language: Option<&str>) -> Document {
    let src = SourceFile {
        path: PathBuf::from("fuzz.txt"),
        text: text.to_owned(),
    };
    Document::read(src, "fuzz".into(), language)
}

/// The structured generator must reach the extractor's interesting paths:
/// a good share of its texts must give facts, or the properties above would
/// test little.
#[test]
fn structured_text_gives_facts() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = structured();
    let (mut with_facts, mut with_relations, total) = (0, 0, 200);
    for _ in 0..total {
        let text = strategy.new_tree(&mut runner).unwrap().current();
        let facts = extractor().extract(&read(&text, None)).unwrap().facts;
        with_facts += usize::from(!facts.is_empty());
        with_relations += usize::from(
            facts
                .iter()
                .any(|f| !matches!(f.predicate, Predicate::Mentions)),
        );
    }
    println!(
        "of {total} structured texts, {with_facts} give facts, {with_relations} relations or citations"
    );
    assert!(with_facts * 4 >= total, "{with_facts} of {total}");
    assert!(with_relations * 20 >= total, "{with_relations} of {total}");
}

/// The default configuration (which reads `PROPTEST_CASES`), with failing
/// cases kept in `tests/fuzz.proptest-regressions` (the default place needs a
/// `src/lib.rs` beside the test file) and replayed first on every run.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn normalised_paragraphs_map_into_the_text(text in text()) {
        let paragraphs = normalise(&text);
        for (i, p) in paragraphs.iter().enumerate() {
            prop_assert_eq!(p.index, i);
            within(&text, p.original.clone(), "paragraph")?;
            // Whitespace collapsed to single ASCII spaces, none at the ends.
            prop_assert!(
                !p.text.contains("  ")
                    && !p.text.starts_with(' ')
                    && !p.text.ends_with(' ')
                    && !p.text.chars().any(|c| c.is_whitespace() && c != ' '),
                "whitespace left in {:?}",
                p.text
            );
            // Every position of the normalised text maps into the paragraph's
            // original range, in order.
            let mut last = p.original.start;
            for (i, _) in p.text.char_indices() {
                let at = p.original_offset(i);
                prop_assert!(
                    p.original.start <= at && at <= p.original.end,
                    "offset {at} of {i} outside {:?}",
                    p.original
                );
                prop_assert!(at >= last, "offset {at} of {i} before {last}");
                last = at;
            }
            within(&text, p.original_range_in(0..p.text.len(), &text), "paragraph text")?;
        }
        // File order.
        for w in paragraphs.windows(2) {
            prop_assert!(w[0].original.start <= w[1].original.start, "{:?} then {:?}", w[0].original, w[1].original);
        }
    }

    #[test]
    fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        match source::decode(&bytes) {
            Ok(text) => prop_assert!(!text.trim().is_empty()),
            Err(message) => prop_assert!(!message.is_empty()),
        }
    }

    #[test]
    fn documents_read_within_the_text(text in text(), language in language()) {
        let doc = read(&text, language);
        prop_assert_eq!(&doc.text, &text);
        if let Some(l) = language {
            prop_assert_eq!(doc.lang(), l);
        }
        for p in &doc.paragraphs {
            within(&text, p.original.clone(), "paragraph")?;
        }
    }

    #[test]
    fn extraction_is_within_the_text_and_deterministic(
        text in text(),
        language in language(),
    ) {
        let doc = read(&text, language);
        let first = extractor().extract(&doc).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for f in &first.facts {
            let e = &f.evidence;
            within(&text, e.start..e.end, &format!("evidence of {f:?}"))?;
            prop_assert!(e.paragraph < doc.paragraphs.len());
        }
        let again = extractor()
            .extract(&read(&text, language))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&first.facts, &again.facts);
        prop_assert_eq!(&first.cited, &again.cited);
    }
}

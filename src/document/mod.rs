//! Reading documents: source files → normalised paragraphs with offsets → metadata.

pub mod identifier;
pub mod language;
pub mod metadata;
pub mod normalise;
pub mod paragraph;
pub mod source;

pub use metadata::{Date, DocType};
pub use paragraph::{FootnoteRef, Paragraph, ParagraphKind};

use std::path::PathBuf;

use language::LanguageGuess;
use metadata::Metadata;
use source::SourceFile;

/// A source document read and normalised: what every extractor works on.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file it was read from.
    pub path: PathBuf,
    /// Short unique key for IRIs and named graphs (the file stem, made IRI-safe).
    pub key: String,
    /// The original text (UTF-8, as in the file minus a BOM).
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    pub language: LanguageGuess,
    /// The language given with `--language`, which overrides detection.
    pub language_forced: bool,
    pub metadata: Metadata,
}

impl Document {
    /// Normalises `source`, detects its language (unless `language` is given)
    /// and reads its metadata.
    pub fn read(source: SourceFile, key: String, language: Option<&str>) -> Document {
        let paragraphs = normalise::normalise(&source.text);
        let body: String = paragraphs
            .iter()
            .filter(|p| p.kind != ParagraphKind::Header)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let mut guess = language::detect(if body.trim().is_empty() {
            &source.text
        } else {
            &body
        });
        let forced = language.is_some();
        if let Some(code) = language {
            guess.code = code.to_string();
            guess.sure = true;
        }
        let metadata = metadata::read_metadata(&paragraphs, &guess.code);
        Document {
            path: source.path,
            key,
            text: source.text,
            paragraphs,
            language: guess,
            language_forced: forced,
            metadata,
        }
    }

    /// The document's language code (ISO 639-1).
    pub fn lang(&self) -> &str {
        &self.language.code
    }
}

/// Makes a file stem usable as an IRI segment: ASCII letters, digits, `-`, `_`, `.`.
pub fn key_of(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let key: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() { "doc".into() } else { key }
}

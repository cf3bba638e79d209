//! Reading documents: source files → normalised paragraphs with offsets → metadata.

pub mod language;
pub mod metadata;
pub mod normalise;
pub mod paragraph;
pub mod source;

pub use metadata::{Date, DocType};
pub use paragraph::{FootnoteRef, Paragraph, ParagraphKind};

//! Normaliser (being written).
use super::Paragraph;
/// Normalises text.
pub fn normalise(_text: &str) -> Vec<Paragraph> { Vec::new() }

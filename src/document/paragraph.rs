//! A `Paragraph`: one unit of normalised text (body point, heading, list item or
//! footnote) with a map from its bytes back to byte offsets in the original file.

use std::ops::Range;

/// What role a paragraph plays in the document layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParagraphKind {
    /// Cover-note and header block (addressee, subject line, document numbers).
    Header,
    /// A section heading ("II. Partnerschappen en allianties…", "1. INLEIDING").
    Heading,
    /// Running body text, including numbered points ("9. ROEPT OP…").
    Body,
    /// An item of a dashed or lettered list ("- het strategisch kompas…").
    ListItem,
    /// A footnote, separated from the body and linked to its marker.
    Footnote,
}

impl ParagraphKind {
    /// Stable lower-case name, used in IRIs and output.
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Header => "header",
            ParagraphKind::Heading => "heading",
            ParagraphKind::Body => "body",
            ParagraphKind::ListItem => "item",
            ParagraphKind::Footnote => "footnote",
        }
    }
}

/// A footnote marker found in a paragraph's text and removed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FootnoteRef {
    /// The marker as printed, normalised to ASCII digits ("1", "12").
    pub marker: String,
    /// Byte offset in the paragraph's normalised `text` where the marker stood.
    pub at: usize,
    /// Index (in the document's paragraph list) of the footnote paragraph, when found.
    pub footnote: Option<usize>,
}

/// One normalised paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Position in the document's paragraph list (0-based).
    pub index: usize,
    pub kind: ParagraphKind,
    /// The number or marker printed at its start ("9", "a", "-"), or the footnote
    /// number for footnotes; `None` when unnumbered.
    pub label: Option<String>,
    /// Normalised text: lines joined, hyphenation undone, whitespace collapsed to
    /// single spaces, footnote markers and page furniture removed, no leading or
    /// trailing space. Numbered-point labels stay in the text.
    pub text: String,
    /// Offset map: `segments[i] = (text_byte, original_byte)`; sorted by
    /// `text_byte`; from `text_byte` on, bytes advance one-for-one in both until
    /// the next segment. Characters inserted by normalisation (a space for a
    /// line break) map to the original position of what they replace.
    pub segments: Vec<(usize, usize)>,
    /// Byte range of the whole paragraph in the original file.
    pub original: Range<usize>,
    /// Footnote markers found in this paragraph.
    pub footnote_refs: Vec<FootnoteRef>,
}

impl Paragraph {
    /// Byte offset in the original file of byte `pos` of `text` (`pos` may equal
    /// `text.len()`, which maps to the end of the paragraph's last character).
    pub fn original_offset(&self, pos: usize) -> usize {
        if pos >= self.text.len() {
            return self.original.end;
        }
        let i = match self.segments.binary_search_by(|s| s.0.cmp(&pos)) {
            Ok(i) => i,
            Err(0) => return self.original.start,
            Err(i) => i - 1,
        };
        let (t, o) = self.segments[i];
        o + (pos - t)
    }

    /// Byte range in the original file covered by `range` of `text`.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        if range.is_empty() {
            let at = self.original_offset(range.start);
            return at..at;
        }
        let start = self.original_offset(range.start);
        // End: one past the last byte of the last character of the range.
        let last = self.text[..range.end]
            .char_indices()
            .next_back()
            .map(|(i, _)| i)
            .unwrap_or(range.start);
        let last_len = self.text[last..].chars().next().map_or(1, char::len_utf8);
        let end = self.original_offset(last) + last_len;
        start..end.max(start)
    }

    /// Like [`Paragraph::original_range`], widened to character boundaries of
    /// `original_text` (a space that replaced a multi-byte space maps into it).
    pub fn original_range_in(&self, range: Range<usize>, original_text: &str) -> Range<usize> {
        let r = self.original_range(range);
        let mut start = r.start.min(original_text.len());
        while !original_text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = r.end.min(original_text.len()).max(start);
        while !original_text.is_char_boundary(end) {
            end += 1;
        }
        start..end
    }
}

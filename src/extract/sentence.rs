//! Sentence (and clause) boundaries in a normalised paragraph, for the scope of
//! relation rules. A boundary is `.`, `!`, `?` or `;` followed by a space and a
//! capital, digit, quote or bracket, except after a known abbreviation of the
//! language (`doc.`, `nr.`, `z.B.`) or a single initial.

use std::ops::Range;

/// Splits `text` into sentence ranges (trimmed, non-empty, in order).
pub fn sentences(text: &str, abbreviations: &[String]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?' | b';') && is_boundary(text, i, abbreviations) {
            push(&mut out, text, start, i + 1);
            start = i + 1;
        }
        i += 1;
    }
    push(&mut out, text, start, text.len());
    out
}

fn push(out: &mut Vec<Range<usize>>, text: &str, start: usize, end: usize) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if start + lead < end - trail {
        out.push(start + lead..end - trail);
    }
}

fn is_boundary(text: &str, i: usize, abbreviations: &[String]) -> bool {
    let rest = &text[i + 1..];
    let mut chars = rest.chars();
    if chars.next() != Some(' ') {
        return false;
    }
    let Some(next) = chars.next() else {
        return false;
    };
    if !(next.is_uppercase() || next.is_ascii_digit() || "\"“„«(‘'–-".contains(next)) {
        return false;
    }
    if text.as_bytes()[i] != b'.' {
        return true;
    }
    // The word before the full stop.
    let before = &text[..i];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(')
        .map_or(0, |p| p + 1);
    let word = &before[word_start..];
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return false; // an initial: "J. Smith"
    }
    let lower = word.to_lowercase();
    !abbreviations
        .iter()
        .any(|a| a.trim_end_matches('.') == lower)
}

#[cfg(test)]
mod tests {
    use super::sentences;

    #[test]
    fn splits_on_sentence_and_clause_ends_but_not_abbreviations() {
        let abbr = vec!["doc".to_string(), "nr".to_string(), "z.b".to_string()];
        let t = "De Raad STEUNT het plan (doc. 1234/24); ONDERSTREEPT de rol. Zie nr. 5 en z.B. Art. 3. Klaar";
        let got: Vec<&str> = sentences(t, &abbr).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            [
                "De Raad STEUNT het plan (doc. 1234/24);",
                "ONDERSTREEPT de rol.",
                "Zie nr. 5 en z.B. Art.",
                "3.",
                "Klaar"
            ]
        );
    }
}

//! Compiling rule patterns so that they run on the fast engine.
//!
//! A Unicode word boundary `\b` stops the regex crate's lazy DFA at the first
//! non-ASCII byte of the text, and every text we match holds non-ASCII bytes
//! (the `⟦Class:n⟧` mention tokens, accented letters), so every pattern with a
//! `\b` fell back to the slow backtracking engines: a third of a build's time.
//! Next to an ASCII character of the pattern (`\bwith\b`, `\b(?:and|or)`), an
//! ASCII boundary decides the same except when a non-ASCII letter is glued to
//! the ASCII word in the text ("méd" against `\bd`), which does not happen
//! between the words our rules look for. Boundaries next to non-ASCII
//! characters (`\büber`, `żaden\b`) stay Unicode, where ASCII would be wrong.

use regex::Regex;
use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

/// Compiles `pattern` with the word boundaries next to ASCII pattern
/// characters made ASCII boundaries (see the module documentation).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|e| e.to_string())?;
    compile_hir(hir)
}

/// [`compile`] for a parsed pattern.
pub fn compile_hir(hir: Hir) -> Result<Regex, String> {
    Regex::new(&ascii_boundaries(hir).to_string()).map_err(|e| e.to_string())
}

/// The names of the capture groups of `hir`.
pub fn capture_names(hir: &Hir) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![hir];
    while let Some(h) = stack.pop() {
        match h.kind() {
            HirKind::Capture(c) => {
                names.extend(c.name.as_deref().map(str::to_string));
                stack.push(&c.sub);
            }
            HirKind::Repetition(r) => stack.push(&r.sub),
            HirKind::Concat(v) | HirKind::Alternation(v) => stack.extend(v.iter()),
            _ => {}
        }
    }
    names
}

/// Rewrites the word boundaries of `hir` that touch an ASCII-only edge.
fn ascii_boundaries(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Concat(items) => {
            let items: Vec<Hir> = items.into_iter().map(ascii_boundaries).collect();
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let ascii = match item.kind() {
                    HirKind::Look(Look::WordUnicode) => Some(Look::WordAscii),
                    HirKind::Look(Look::WordUnicodeNegate) => Some(Look::WordAsciiNegate),
                    _ => None,
                };
                match ascii {
                    Some(look)
                        if sure_ascii(edge_of(items[i + 1..].iter(), true))
                            || sure_ascii(edge_of(items[..i].iter().rev(), false)) =>
                    {
                        out.push(Hir::look(look));
                    }
                    _ => out.push(item.clone()),
                }
            }
            Hir::concat(out)
        }
        HirKind::Alternation(items) => {
            Hir::alternation(items.into_iter().map(ascii_boundaries).collect())
        }
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(ascii_boundaries(*r.sub)),
            ..r
        }),
        HirKind::Capture(c) => Hir::capture(Capture {
            sub: Box::new(ascii_boundaries(*c.sub)),
            ..c
        }),
        kind => rebuild(kind),
    }
}

fn rebuild(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
        HirKind::Repetition(r) => Hir::repetition(r),
        HirKind::Capture(c) => Hir::capture(c),
        HirKind::Concat(v) => Hir::concat(v),
        HirKind::Alternation(v) => Hir::alternation(v),
    }
}

/// What can stand at one edge of a match: whether every character there is
/// ASCII, and whether the match can be empty (the edge then lies beyond).
#[derive(Clone, Copy)]
struct Edge {
    ascii: bool,
    may_be_empty: bool,
}

fn sure_ascii(e: Edge) -> bool {
    e.ascii && !e.may_be_empty
}

/// The edge of a sequence, read from its first item (`front`) or last.
fn edge_of<'a>(items: impl Iterator<Item = &'a Hir>, front: bool) -> Edge {
    let mut ascii = true;
    for item in items {
        let e = edge(item, front);
        ascii &= e.ascii;
        if !e.may_be_empty {
            return Edge {
                ascii,
                may_be_empty: false,
            };
        }
    }
    Edge {
        ascii,
        may_be_empty: true,
    }
}

/// Case-insensitive `s` and `k` bring in `ſ` (U+017F) and the Kelvin sign
/// (U+212A), which never stand in our texts: they do not make an edge
/// non-ASCII.
fn ascii_char(c: char) -> bool {
    c.is_ascii() || c == '\u{17F}' || c == '\u{212A}'
}

fn edge(hir: &Hir, front: bool) -> Edge {
    let solid = |ascii| Edge {
        ascii,
        may_be_empty: false,
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Edge {
            ascii: true,
            may_be_empty: true,
        },
        HirKind::Literal(l) => {
            let byte = if front { l.0.first() } else { l.0.last() };
            match byte {
                Some(b) => solid(b.is_ascii()),
                None => Edge {
                    ascii: true,
                    may_be_empty: true,
                },
            }
        }
        HirKind::Class(Class::Unicode(c)) => solid(
            c.iter()
                .all(|r| r.end().is_ascii() || (r.start() == r.end() && ascii_char(r.start()))),
        ),
        HirKind::Class(Class::Bytes(c)) => solid(c.iter().all(|r| r.end() < 0x80)),
        HirKind::Repetition(r) => {
            let e = edge(&r.sub, front);
            Edge {
                ascii: e.ascii,
                may_be_empty: r.min == 0 || e.may_be_empty,
            }
        }
        HirKind::Capture(c) => edge(&c.sub, front),
        HirKind::Concat(items) => {
            if front {
                edge_of(items.iter(), true)
            } else {
                edge_of(items.iter().rev(), false)
            }
        }
        HirKind::Alternation(items) => {
            let edges: Vec<Edge> = items.iter().map(|h| edge(h, front)).collect();
            Edge {
                ascii: edges.iter().all(|e| e.ascii),
                may_be_empty: edges.iter().any(|e| e.may_be_empty),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::compile;

    #[test]
    fn ascii_edges_get_ascii_boundaries() {
        let r = compile(r"(?i)\b(?:with|together with)\s+⟦Country:\d+⟧").unwrap();
        assert!(r.as_str().contains(r"(?-u:\b)"), "{}", r.as_str());
        assert!(r.is_match("cooperation WITH ⟦Country:3⟧"));
        assert!(!r.is_match("notwith ⟦Country:3⟧"));
    }

    #[test]
    fn non_ascii_edges_keep_unicode_boundaries() {
        // An ASCII boundary before "ü" would never match after a space.
        let r = compile(r"(?i)\büber\b").unwrap();
        assert!(r.as_str().contains(r"\b[Üü]"), "{}", r.as_str());
        assert!(r.is_match("Gespräche über Daten"));
        assert!(!r.is_match("darüber"));
        let r = compile(r"(?i)\b(?:nie|żaden)\b").unwrap();
        assert!(r.is_match("nie ma"));
        assert!(r.is_match("żaden kraj"));
        assert!(!r.is_match("bożaden"));
    }

    #[test]
    fn same_matches_and_groups_as_the_plain_pattern() {
        let pattern = r"(?i)(?P<a>⟦Country:\d+⟧)\s+(?:and|og|und)\b\s+(?P<b>⟦Region:\d+⟧)";
        let fast = compile(pattern).unwrap();
        let plain = regex::Regex::new(pattern).unwrap();
        for text in [
            "⟦Country:1⟧ and ⟦Region:2⟧, ⟦Country:3⟧ og ⟦Region:4⟧",
            "⟦Country:1⟧ andere ⟦Region:2⟧ für ⟦Country:5⟧ UND ⟦Region:6⟧",
        ] {
            let f: Vec<_> = fast
                .captures_iter(text)
                .map(|c| c["b"].to_string())
                .collect();
            let p: Vec<_> = plain
                .captures_iter(text)
                .map(|c| c["b"].to_string())
                .collect();
            assert_eq!(f, p, "{text}");
        }
    }
}

//! Names in case forms (`ontology/inflection.toml`) on sentences written for
//! the test (not from the seeds): `tests/inflection/LANG.tsv` lists sentences,
//! the entities each must mention and those it must not. Each sentence is
//! built as its own document with the real binary and `--language LANG`.
//!
//! Columns: `sentence<TAB>mentioned<TAB>not mentioned`, entities by lexicon
//! id separated by spaces (`-` for none). A mentioned id may require how it
//! was found: `country/jpn=pl:inst` (that inflection), `country/jpn+` (some
//! inflection), otherwise any evidence counts.

mod common;

use common::check_mention_table;

macro_rules! languages {
    ($($name:ident),*) => { $( #[test] fn $name() { check_mention_table("tests/inflection", stringify!($name)); } )* };
}

languages!(pl, cs, fi, el, sv, da, de);

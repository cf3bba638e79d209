//! Names of EU bodies, regions, technologies and fora in languages without
//! inflection rules (`ontology/lexicon/*.toml`), on sentences written for the
//! test (not from the seeds): `tests/names/LANG.tsv` lists sentences, the
//! entities each must mention and those it must not. Each sentence is built
//! as its own document with the real binary and `--language LANG`, so a
//! missing name, a wrong case form or a shorter name winning over a longer
//! one (`Uniunea` inside `Uniunea Africană`) fails the test.
//!
//! Columns: `sentence<TAB>mentioned<TAB>not mentioned`, entities by lexicon
//! id separated by spaces (`-` for none).

mod common;

use common::check_mention_table;

macro_rules! languages {
    ($($name:ident),*) => { $( #[test] fn $name() { check_mention_table("tests/names", stringify!($name)); } )* };
}

languages!(ro, hu, sk, hr, bg, lt, lv, et);

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

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const ID: &str = "https://w3id.org/policygraph/id/";

/// Builds every sentence of `tests/names/LANG.tsv` and compares the entities
/// each one mentions with the expected and the forbidden ones.
fn check_language(lang: &str) {
    let path = root().join(format!("tests/names/{lang}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let dir = tempdir();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    // name → (sentence, mentioned, not mentioned)
    let mut cases: BTreeMap<String, (String, Vec<String>, Vec<String>)> = BTreeMap::new();
    let ids = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|t| *t != "-")
            .map(str::to_string)
            .collect()
    };
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 3,
            "{}:{}: expected sentence<TAB>mentioned<TAB>not mentioned",
            path.display(),
            n + 1
        );
        let name = format!("s{:03}", n + 1);
        std::fs::write(docs.join(format!("{name}.txt")), cols[0]).unwrap();
        cases.insert(name, (cols[0].to_string(), ids(cols[1]), ids(cols[2])));
    }
    let store = dir.path().join("store");
    ok(&run(&[
        "build",
        docs.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--language",
        lang,
        "--quiet",
    ]));
    let q = "SELECT ?src ?o WHERE { GRAPH ?g { ?d dcterms:source ?src ; pg:mentions ?o } }";
    let o = run(&[
        "query",
        q,
        "--store",
        store.to_str().unwrap(),
        "--format",
        "tsv",
    ]);
    ok(&o);
    // name → entity ids
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in stdout(&o).lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let src = cols[0].trim_matches('"');
        let name = std::path::Path::new(src)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let id = cols[1]
            .trim_matches(['<', '>'])
            .strip_prefix(ID)
            .unwrap_or(cols[1])
            .to_string();
        found.entry(name).or_default().insert(id);
    }
    let mut failures = Vec::new();
    for (name, (sentence, want, not)) in &cases {
        let got = found.remove(name).unwrap_or_default();
        let mut problems = Vec::new();
        for w in want {
            if !got.contains(w) {
                problems.push(format!("{w} not mentioned"));
            }
        }
        for n in not {
            if got.contains(n) {
                problems.push(format!("{n} mentioned"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{lang} {name}: {sentence}\n    {}\n    found: {got:?}",
                problems.join("; "),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sentences wrong:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

macro_rules! languages {
    ($($name:ident),*) => { $( #[test] fn $name() { check_language(stringify!($name)); } )* };
}

languages!(ro, hu, sk, hr, bg, lt, lv, et);

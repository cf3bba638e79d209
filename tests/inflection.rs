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

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const ID: &str = "https://w3id.org/policygraph/id/";

fn check_language(lang: &str) {
    let path = root().join(format!("tests/inflection/{lang}.tsv"));
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
    let q = "SELECT ?src ?o ?rule WHERE { GRAPH ?g { ?d dcterms:source ?src ; pg:mentions ?o . \
             ?st rdf:subject ?d ; rdf:predicate pg:mentions ; rdf:object ?o ; pg:evidence ?ev . \
             ?ev pg:rule ?rule } }";
    let o = run(&[
        "query",
        q,
        "--store",
        store.to_str().unwrap(),
        "--format",
        "tsv",
    ]);
    ok(&o);
    // name → entity id → evidence rules
    let mut found: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
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
        let rule = cols[2].trim_matches('"').to_string();
        found
            .entry(name)
            .or_default()
            .entry(id)
            .or_default()
            .insert(rule);
    }
    let mut failures = Vec::new();
    for (name, (sentence, want, not)) in &cases {
        let got = found.remove(name).unwrap_or_default();
        let mut problems = Vec::new();
        for w in want {
            let (id, how) = match w.split_once('=') {
                Some((id, case)) => (id, Some(format!("lexicon+inflection:{case}/{id}"))),
                None => match w.strip_suffix('+') {
                    Some(id) => (id, Some("lexicon+inflection:".to_string())),
                    None => (w.as_str(), None),
                },
            };
            match (got.get(id), how) {
                (None, _) => problems.push(format!("{id} not mentioned")),
                (Some(rules), Some(how)) if !rules.iter().any(|r| r.starts_with(&how)) => {
                    problems.push(format!("{id} found by {rules:?}, expected {how}…"))
                }
                _ => {}
            }
        }
        for n in not {
            if let Some(rules) = got.get(n) {
                problems.push(format!("{n} mentioned ({rules:?})"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{lang} {name}: {sentence}\n    {}\n    found: {:?}",
                problems.join("; "),
                got.keys().collect::<Vec<_>>()
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

languages!(pl, cs, fi, el, sv, da, de);

//! Every language's relation rules on sentences written for the test (not from
//! the seeds): `tests/rules/LANG.tsv` lists sentences and the relation facts
//! each must give, exactly (`-` for none: negation, a third party's relation,
//! a mere list). Each sentence is built as its own document with the real
//! binary and `--language LANG`.
//!
//! Expected facts: `predicate subject object [framework]`, by lexicon id
//! (`partnersWith eu/european-union country/jpn DigitalPartnership`), several
//! separated by ` ; `. `lengthKm cable/medusa 8760` for lengths.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

const ID: &str = "https://w3id.org/policygraph/id/";
const PG: &str = "https://w3id.org/policygraph/ontology#";

fn check_language(lang: &str) {
    let path = root().join(format!("tests/rules/{lang}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (sentence, facts) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("{}:{}: expected sentence<TAB>facts", path.display(), n + 1));
        let name = format!("s{:03}", n + 1);
        let facts: BTreeSet<String> = facts
            .split(" ; ")
            .map(str::trim)
            .filter(|f| !f.is_empty() && *f != "-")
            .map(str::to_string)
            .collect();
        expected.insert(name, (sentence.to_string(), facts));
    }
    let q = "SELECT ?src ?s ?p ?o ?f WHERE { GRAPH ?g { ?d dcterms:source ?src . \
             { ?s ?p ?o . VALUES ?p { pg:partnersWith pg:funds pg:reportsTo pg:connects pg:participatesIn } \
               OPTIONAL { ?r pg:party ?s, ?o ; pg:framework ?f } } \
             UNION { ?s pg:lengthKm ?o . BIND(pg:lengthKm AS ?p) } } }";
    let documents = expected
        .iter()
        .map(|(name, e)| (name.as_str(), e.0.as_str()));
    let rows = build_and_select(documents, lang, q);
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for line in &rows {
        let cols: Vec<&str> = line.split('\t').collect();
        let strip = |s: &str| -> String {
            let s = s.trim_matches(['<', '>']);
            let s = s
                .strip_prefix(ID)
                .or_else(|| s.strip_prefix(PG))
                .unwrap_or(s);
            // Literals: "8760"^^<…decimal> → 8760
            s.split("^^").next().unwrap().trim_matches('"').to_string()
        };
        let src = cols[0].trim_matches('"');
        let name = std::path::Path::new(src)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let mut fact = format!("{} {} {}", strip(cols[2]), strip(cols[1]), strip(cols[3]));
        if let Some(f) = cols.get(4).filter(|f| !f.is_empty()) {
            fact.push(' ');
            fact.push_str(&strip(f));
        }
        found.entry(name).or_default().insert(fact);
    }
    let mut failures = Vec::new();
    for (name, (sentence, want)) in &expected {
        let mut got = found.remove(name).unwrap_or_default();
        // A partnersWith fact found with a framework is also listed without.
        let with_fw: Vec<String> = got
            .iter()
            .filter(|f| f.split(' ').count() == 4)
            .map(|f| f.rsplit_once(' ').unwrap().0.to_string())
            .collect();
        for f in with_fw {
            if !want.contains(&f) {
                got.remove(&f);
            }
        }
        if &got != want {
            failures.push(format!(
                "{lang} {name}: {sentence}\n    expected: {want:?}\n    found:    {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} sentences wrong:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}

macro_rules! languages {
    ($($name:ident),*) => { $( #[test] fn $name() { check_language(stringify!($name)); } )* };
}

languages!(nl, da, de, en, fr, es, it, pl, pt);

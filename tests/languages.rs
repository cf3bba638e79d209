//! One work across its translations, and links to authority identifiers, on
//! the seeds graph: the facts of a work say which language versions state
//! them (`stats`, `explain`), and every country, EU body, language and EU act
//! of the export links to an identifier of the right form.

mod common;

use common::*;
use regex::Regex;

/// Rows of a saved-or-inline query as CSV (header dropped).
fn rows(store: &std::path::Path, sparql: &str) -> Vec<Vec<String>> {
    let o = run(&[
        "query",
        sparql,
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    ok(&o);
    stdout(&o)
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn work_facts_name_the_languages_that_state_them() {
    let store = gold_store();
    // Every fact of the Dutch, Danish and German versions of 15315/1/25 REV 1
    // is attached to the work, with the language of each version stating it.
    let facts = rows(
        store,
        "SELECT ?wf (GROUP_CONCAT(DISTINCT STR(?l); SEPARATOR=' ') AS ?langs) WHERE { \
           ?wf a pg:WorkFact ; pg:work ?w ; dcterms:language ?l . \
           ?w dcterms:identifier \"15315/1/25 REV 1\" } GROUP BY ?wf",
    );
    assert!(facts.len() > 50, "{} work facts", facts.len());
    let in_all = facts
        .iter()
        .filter(|r| {
            let mut l: Vec<&str> = r[1].split(' ').collect();
            l.sort();
            l == ["da", "de", "nl"]
        })
        .count();
    // Cross-lingual agreement: nearly every fact is found in all three.
    assert!(
        in_all as f64 / facts.len() as f64 >= 0.95,
        "{in_all} of {} facts in all three versions",
        facts.len()
    );
    // Each work fact is supported by statements of the versions, with evidence.
    let unsupported = rows(
        store,
        "SELECT ?wf WHERE { ?wf a pg:WorkFact . \
           FILTER NOT EXISTS { ?wf pg:supportedBy ?st . ?st a rdf:Statement ; pg:evidence ?e } }",
    );
    assert!(unsupported.is_empty(), "{unsupported:?}");

    let o = run(&["stats", "--store", store.to_str().unwrap()]);
    ok(&o);
    let out = stdout(&o);
    // GROUP_CONCAT gives the languages in no fixed order.
    let three =
        Regex::new(r"15315/1/25 REV 1 +(da|de|nl) (da|de|nl) (da|de|nl) +all +\d+").unwrap();
    assert!(
        out.contains("Works in several languages") && three.is_match(&out),
        "{out}"
    );
    let o = run(&[
        "explain",
        "Global Gateway",
        "--store",
        store.to_str().unwrap(),
    ]);
    ok(&o);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| {
            l.contains("15315/1/25 REV 1: id:work/st-15315-2025-rev1 pg:mentions id:initiative/global-gateway")
        })
        .unwrap_or_else(|| panic!("{out}"));
    let mut langs: Vec<&str> = line
        .rsplit_once('[')
        .map(|(_, l)| l.trim_end_matches(']').split(' ').collect())
        .unwrap_or_default();
    langs.sort();
    assert_eq!(langs, ["da", "de", "nl"], "{line}");
}

#[test]
fn exports_link_to_authority_identifiers() {
    let store = seeds_store();
    // (what, SPARQL selecting ?x ?id, pattern each ?id must match, least rows)
    let cases: &[(&str, &str, &str, usize)] = &[
        (
            "countries",
            "SELECT ?x ?id WHERE { ?x a pg:Country ; skos:exactMatch ?id }",
            r"^http://publications\.europa\.eu/resource/authority/country/[A-Z]{3}$",
            10,
        ),
        (
            "country codes",
            "SELECT ?x ?id WHERE { ?x a pg:Country ; skos:notation ?id }",
            r"^[A-Z]{3}$",
            10,
        ),
        (
            "EU bodies",
            "SELECT ?x ?id WHERE { ?x a pg:EUBody ; skos:exactMatch ?id }",
            r"^http://publications\.europa\.eu/resource/authority/corporate-body/[A-Z0-9_]+$",
            3,
        ),
        (
            "document languages",
            "SELECT ?x ?id WHERE { ?x a pg:SourceDocument ; dcterms:language ?l ; ?p ?id . \
               FILTER(STRSTARTS(STR(?id), 'http://publications.europa.eu/resource/authority/language/')) }",
            r"^http://publications\.europa\.eu/resource/authority/language/[A-Z]{3}$",
            5,
        ),
        (
            "EU acts (ELI)",
            "SELECT ?x ?id WHERE { ?x skos:exactMatch ?id . FILTER(STRSTARTS(STR(?id), 'http://data.europa.eu/eli/')) }",
            r"^http://data\.europa\.eu/eli/(reg|dir|dec|reg_impl|reg_del|dec_impl)/\d{4}/\d+/oj$",
            3,
        ),
        (
            "EU acts and preparatory documents (CELEX)",
            "SELECT ?x ?id WHERE { ?x pg:celex ?id }",
            r"^[1-9]\d{4}[A-Z]{1,2}\d{4}$",
            3,
        ),
    ];
    for (what, sparql, pattern, least) in cases {
        let re = Regex::new(pattern).unwrap();
        let found = rows(store, sparql);
        assert!(found.len() >= *least, "{what}: only {} rows", found.len());
        for r in &found {
            assert!(re.is_match(&r[1]), "{what}: {} -> {}", r[0], r[1]);
        }
    }
    // Every country of the graph has its authority link.
    let missing = rows(
        store,
        "SELECT ?x WHERE { ?x a pg:Country . FILTER NOT EXISTS { ?x skos:exactMatch ?id } }",
    );
    assert!(
        missing.is_empty(),
        "countries without authority IRI: {missing:?}"
    );
}

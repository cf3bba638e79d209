//! Saved queries (`queries/*.rq`) parse, run, and those about facts the seeds
//! state return rows; ad-hoc queries in every result format.

mod common;

use common::*;

/// Saved queries that must return rows on the seeds graph.
const MUST_HAVE_ROWS: &[&str] = &[
    "documents",
    "entities",
    "entities-per-document",
    "citations",
    "evidence",
];

#[test]
fn every_saved_query_runs() {
    let store = seeds_store().to_str().unwrap().to_string();
    let o = run(&["query", "--list"]);
    ok(&o);
    let names: Vec<String> = stdout(&o)
        .lines()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(names.len() >= 8, "{names:?}");
    for name in &names {
        let o = run(&["query", name, "--store", &store, "--format", "csv"]);
        ok(&o);
        let rows = stdout(&o).lines().count().saturating_sub(1);
        if MUST_HAVE_ROWS.contains(&name.as_str()) {
            assert!(rows > 0, "{name}: no rows");
        }
        // The same file through --file gives the same answer.
        let path = format!("queries/{name}.rq");
        let o2 = run(&[
            "query", "--file", &path, "--store", &store, "--format", "csv",
        ]);
        ok(&o2);
        assert_eq!(stdout(&o), stdout(&o2), "{name}");
    }
}

#[test]
fn result_formats() {
    let store = seeds_store().to_str().unwrap().to_string();
    let q = "SELECT ?d ?lang WHERE { ?d a pg:SourceDocument ; dcterms:language ?lang } ORDER BY ?d";
    let cases: &[(&str, &str)] = &[
        ("csv", "d,lang"),
        ("tsv", "?d\t?lang"),
        ("json", "\"vars\""),
        ("xml", "<sparql"),
        ("table", "lang"),
    ];
    for (format, needle) in cases {
        let o = run(&["query", q, "--store", &store, "--format", format]);
        ok(&o);
        assert!(stdout(&o).contains(needle), "{format}: {}", stdout(&o));
    }
    let o = run(&[
        "query",
        "CONSTRUCT { ?d a pg:SourceDocument } WHERE { ?d a pg:SourceDocument }",
        "--store",
        &store,
    ]);
    ok(&o);
    assert!(stdout(&o).contains("SourceDocument"));
    let o = run(&[
        "query",
        "ASK { ?d a pg:SourceDocument }",
        "--store",
        &store,
        "--format",
        "json",
    ]);
    ok(&o);
    assert!(stdout(&o).contains("true"));
    let o = run(&["query", "SELECT WHERE {", "--store", &store]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("query"), "{}", stderr(&o));
}

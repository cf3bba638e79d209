//! The command line as a user meets it: help on every command, exit codes,
//! clear errors for bad input with the store left untouched, idempotent builds.

mod common;

use common::*;
use std::fs;

#[test]
fn every_command_has_help() {
    for cmd in ["build", "query", "export", "stats", "explain"] {
        let o = run(&[cmd, "--help"]);
        ok(&o);
        assert!(
            stdout(&o).contains("Usage: policygraph"),
            "{cmd}: {}",
            stdout(&o)
        );
    }
    ok(&run(&["--help"]));
    ok(&run(&["--version"]));
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[&[&str]] = &[
        &["frobnicate"],
        &["build", "--no-such-flag"],
        &["export", "--format", "docx", "--store", "/nonexistent"],
        &["query", "no-such-saved-query", "--store", "/nonexistent"],
        &[
            "build",
            "seeds",
            "--language",
            "xx",
            "--store",
            "/nonexistent",
        ],
    ];
    for args in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}: no message");
    }
}

#[test]
fn missing_store_is_a_clear_error() {
    let dir = tempdir();
    let store = dir.path().join("nothing-here");
    let o = run(&["stats", "--store", store.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("policygraph build"), "{}", stderr(&o));
}

/// Each bad input: a clear error naming the file and place, exit 1, and the
/// store built before is unchanged (strict) or holds the good files (default).
#[test]
fn bad_inputs_give_clear_errors_and_keep_the_store() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n \n", "empty file"),
        (
            "latin1.txt",
            b"Conclusions du Conseil\nsur la s\xe9curit\xe9\n",
            "line 2, column 9",
        ),
        ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary file"),
        (
            "utf16.txt",
            b"\xff\xfeR\x00a\x00a\x00d\x00\x00\xd8",
            "surrogate",
        ),
    ];
    for (name, bytes, expected) in cases {
        let dir = tempdir();
        let store = dir.path().join("store");
        let s = store.to_str().unwrap();
        ok(&run(&[
            "build",
            "seeds/000_564bb4f72c4e6f0b.txt",
            "--store",
            s,
            "--quiet",
        ]));
        let before = dump(&store);
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        fs::write(input.join(name), bytes).unwrap();
        fs::copy(
            root().join("seeds/002_e4aa9a8df6e4c856.txt"),
            input.join("good.txt"),
        )
        .unwrap();

        // --strict: nothing written, error names the file and the place.
        let o = run(&["build", input.to_str().unwrap(), "--store", s, "--strict"]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(name) && err.contains(expected),
            "{name}: {err}"
        );
        assert_eq!(before, dump(&store), "{name}: store changed");

        // Default: the bad file is reported and skipped, the good one is built.
        let o = run(&["build", input.to_str().unwrap(), "--store", s]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stderr(&o).contains(name), "{name}: {}", stderr(&o));
        let o = run(&["query", "documents", "--store", s, "--format", "csv"]);
        ok(&o);
        let out = stdout(&o);
        assert!(
            out.contains("good.txt") && !out.contains(name),
            "{name}: {out}"
        );
    }
}

#[test]
fn nothing_readable_leaves_the_store_untouched() {
    let dir = tempdir();
    let store = dir.path().join("store");
    let s = store.to_str().unwrap();
    ok(&run(&[
        "build",
        "seeds/000_564bb4f72c4e6f0b.txt",
        "--store",
        s,
        "--quiet",
    ]));
    let before = dump(&store);
    let input = dir.path().join("bad.txt");
    fs::write(&input, b"\x00\x01").unwrap();
    let o = run(&["build", input.to_str().unwrap(), "--store", s]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(before, dump(&store));
    let o = run(&[
        "build",
        dir.path().join("missing").to_str().unwrap(),
        "--store",
        s,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("missing"), "{}", stderr(&o));
    assert_eq!(before, dump(&store));
}

#[test]
fn rebuild_is_idempotent() {
    let dir = tempdir();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    ok(&run(&[
        "build",
        "seeds",
        "--store",
        a.to_str().unwrap(),
        "--quiet",
    ]));
    ok(&run(&[
        "build",
        "seeds",
        "--store",
        b.to_str().unwrap(),
        "--quiet",
    ]));
    let first = dump(&a);
    assert!(first.len() > 100_000);
    assert_eq!(first, dump(&b));
    ok(&run(&[
        "build",
        "seeds",
        "--store",
        a.to_str().unwrap(),
        "--quiet",
    ]));
    assert_eq!(first, dump(&a));
}

#[test]
fn build_prints_a_summary() {
    let dir = tempdir();
    let store = dir.path().join("s");
    let o = run(&["build", "seeds", "--store", store.to_str().unwrap()]);
    ok(&o);
    let out = stdout(&o);
    assert!(out.contains("5 documents"), "{out}");
    assert!(out.contains("mentions"), "{out}");
}

#[test]
fn stats_counts_classes_predicates_documents() {
    let o = run(&["stats", "--store", seeds_store().to_str().unwrap()]);
    ok(&o);
    let out = stdout(&o);
    for needle in [
        "Entities per class",
        "pg:EUBody",
        "pg:mentions",
        "Documents",
        "000_564bb4f72c4e6f0b.txt",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
}

#[test]
fn explain_shows_evidence() {
    let store = seeds_store().to_str().unwrap().to_string();
    for name in ["NATO", "navo", "https://w3id.org/policygraph/id/forum/nato"] {
        let o = run(&["explain", name, "--store", &store]);
        ok(&o);
        let out = stdout(&o);
        assert!(out.contains("pg:mentions"), "{name}: {out}");
        assert!(
            out.contains("NAVO") && out.contains("chars"),
            "{name}: {out}"
        );
    }
    let o = run(&["explain", "No Such Entity", "--store", &store]);
    assert_eq!(o.status.code(), Some(1));
}

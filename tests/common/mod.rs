//! Setup helpers shared by the integration tests: run the real binary, make
//! temporary stores, and build the seeds graph once per test binary.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Path of the `policygraph` binary built for these tests.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_policygraph")
}

/// Repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `policygraph ARGS` in the repository root.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(root())
        .env_remove("POLICYGRAPH_STORE")
        .output()
        .expect("run policygraph")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command succeeded, showing its output otherwise.
pub fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// The seeds that have gold facts (the eval contract builds from these only).
pub const GOLD_SEEDS: &[&str] = &[
    "seeds/000_564bb4f72c4e6f0b.txt",
    "seeds/002_e4aa9a8df6e4c856.txt",
    "seeds/003_71cdc3d23886349a.txt",
    "seeds/004_4503f24d105d4ed2.txt",
];

/// A store built once (per test binary) from all of `seeds/`.
pub fn seeds_store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let dir = tempdir();
            let store = dir.path().join("store");
            ok(&run(&[
                "build",
                "seeds",
                "--store",
                store.to_str().unwrap(),
                "--quiet",
            ]));
            (dir, store)
        })
        .1
}

/// A store built once (per test binary) from the gold seeds only.
pub fn gold_store() -> &'static Path {
    static STORE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let dir = tempdir();
            let store = dir.path().join("store");
            let mut args = vec!["build", "--store", store.to_str().unwrap(), "--quiet"];
            args.extend_from_slice(GOLD_SEEDS);
            ok(&run(&args));
            (dir, store)
        })
        .1
}

/// Path of `../shared/eval/` (the scorer and gold facts).
pub fn eval_dir() -> PathBuf {
    root().join("../shared/eval")
}

/// Runs a command (not policygraph), panicking with a clear message if the
/// tool is missing: the tests need it (`.ci/run` installs it).
pub fn tool(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{program} is needed by this test (see .ci/run): {e}"))
}

/// The whole store as N-Quads (whatever the backend), for comparing states.
pub fn dump(store: &Path) -> Vec<u8> {
    let o = run(&[
        "export",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "nq",
    ]);
    ok(&o);
    o.stdout
}

/// Runs `policygraph ARGS` like [`run`], but kills it and fails the test when
/// it runs longer than `limit`: a hang must be a failure, not a stuck CI.
pub fn run_within(args: &[&str], limit: std::time::Duration) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(root())
        .env_remove("POLICYGRAPH_STORE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run policygraph");
    // Pipes are drained by threads so that a chatty child cannot block.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for policygraph") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "policygraph {args:?} still running after {limit:?} (hang?); stderr:\n{}",
                String::from_utf8_lossy(&err.join().unwrap_or_default())
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// Number of quads in the named graphs of `store`, by a SPARQL count.
pub fn quad_count(store: &Path) -> usize {
    let o = run(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    ok(&o);
    let out = stdout(&o);
    out.lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("no count in {out:?}"))
}

/// The whole store as sorted N-Quads lines (for comparing contents whatever
/// order the backend gives).
pub fn sorted_dump(store: &Path) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8(dump(store))
        .expect("N-Quads are UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

/// Copies the directory tree `from` to `to` (files and folders only).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Number of entries in `dir`.
pub fn count_entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// Checks a table of sentences in `lang` (`FOLDER/LANG.tsv`, columns
/// `sentence<TAB>mentioned<TAB>not mentioned`, lexicon ids separated by spaces,
/// `-` for none): each sentence is built as its own document with `--language
/// LANG`, and must mention the first ids and not the second. A mentioned id may
/// require how it was found: `country/jpn=pl:inst` (that inflection),
/// `country/jpn+` (some inflection).
pub fn check_mention_table(folder: &str, lang: &str) {
    let path = root().join(format!("{folder}/{lang}.tsv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
        cases.insert(name, (cols[0].to_string(), ids(cols[1]), ids(cols[2])));
    }
    let q = "SELECT ?src ?o ?rule WHERE { GRAPH ?g { ?d dcterms:source ?src ; pg:mentions ?o . \
             ?st rdf:subject ?d ; rdf:predicate pg:mentions ; rdf:object ?o ; pg:evidence ?ev . \
             ?ev pg:rule ?rule } }";
    let documents = cases.iter().map(|(name, c)| (name.as_str(), c.0.as_str()));
    // name → entity id → evidence rules
    let mut found: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for line in build_and_select(documents, lang, q) {
        let cols: Vec<&str> = line.split('\t').collect();
        let src = cols[0].trim_matches('"');
        let name = std::path::Path::new(src)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let id = cols[1]
            .trim_matches(['<', '>'])
            .strip_prefix("https://w3id.org/policygraph/id/")
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

/// Builds the store `store` from `docs` with `--quiet` and the `extra`
/// options; fails the test when the build fails.
pub fn build_quiet(docs: &Path, store: &Path, extra: &[&str]) {
    let mut args = vec![
        "build",
        docs.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    ok(&run(&args));
}

/// Writes each `(name, text)` as `name.txt`, builds them with `--language
/// lang` and runs the SELECT `query` on the store: its TSV rows, without the
/// header.
pub fn build_and_select<'a>(
    documents: impl IntoIterator<Item = (&'a str, &'a str)>,
    lang: &str,
    query: &str,
) -> Vec<String> {
    let dir = tempdir();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in documents {
        std::fs::write(docs.join(format!("{name}.txt")), text).unwrap();
    }
    let store = dir.path().join("store");
    build_quiet(&docs, &store, &["--language", lang]);
    let o = run(&[
        "query",
        query,
        "--store",
        store.to_str().unwrap(),
        "--format",
        "tsv",
    ]);
    ok(&o);
    stdout(&o).lines().skip(1).map(str::to_string).collect()
}

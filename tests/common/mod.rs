//! Setup helpers shared by the integration tests: run the real binary, make
//! temporary stores, and build the seeds graph once per test binary.

#![allow(dead_code)]

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

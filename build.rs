//! Embeds the data files of `ontology/` and `queries/` in the binary, so that the
//! tool works from any directory; `--ontology DIR` can still override them.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (name, dir, exts) in [
        (
            "ONTOLOGY_FILES",
            "ontology",
            &["toml", "ttl", "jsonld", "tsv"][..],
        ),
        ("SAVED_QUERIES", "queries", &["rq"][..]),
    ] {
        let base = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &base, exts, &mut files);
        files.sort();
        writeln!(code, "/// Files of `{dir}/` (relative path, contents).").unwrap();
        writeln!(code, "pub static {name}: &[(&str, &str)] = &[").unwrap();
        for (rel, abs) in files {
            println!("cargo:rerun-if-changed={abs}");
            writeln!(code, "    ({rel:?}, include_str!({abs:?})),").unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
    code_hash(Path::new(&root));
}

/// Sets `POLICYGRAPH_CODE_HASH`, a hash of the sources and the lock file: a
/// store's cached parts are reused only by the program that made them.
fn code_hash(root: &Path) {
    let mut files = Vec::new();
    collect(root, &root.join("src"), &["rs"], &mut files);
    files.push((
        "Cargo.lock".into(),
        root.join("Cargo.lock").to_string_lossy().into(),
    ));
    files.sort();
    // FNV-1a, 64 bits: enough to tell versions apart, and no build dependency.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        let bytes = std::fs::read(abs).unwrap_or_default();
        for b in rel.as_bytes().iter().chain(&bytes) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=POLICYGRAPH_CODE_HASH={h:016x}");
}

fn collect(base: &Path, dir: &Path, exts: &[&str], out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(base, &path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}

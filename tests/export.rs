//! Every export format parses in rdflib and in `rapper` (Raptor) and gives the
//! same triples; DOT renders with Graphviz.

mod common;

use common::*;

/// (format, file extension, rdflib format, rapper input syntax or "").
const FORMATS: &[(&str, &str, &str, &str)] = &[
    ("nt", "nt", "nt", "ntriples"),
    ("nq", "nq", "nquads", "nquads"),
    ("ttl", "ttl", "turtle", "turtle"),
    ("trig", "trig", "trig", "trig"),
    ("rdfxml", "rdf", "xml", "rdfxml"),
    ("jsonld", "jsonld", "json-ld", ""),
];

fn rdflib_digest(path: &str, fmt: &str) -> String {
    let o = tool("python3", &["tests/tools/rdf_check.py", path, fmt]);
    ok(&o);
    stdout(&o).trim().to_string()
}

#[test]
fn all_formats_parse_and_agree() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let mut digests = Vec::new();
    for (format, ext, rdflib_fmt, rapper_fmt) in FORMATS {
        // Format given by name, and by the output file's extension.
        let by_name = dir.path().join(format!("by-name.{ext}"));
        ok(&run(&[
            "export",
            "--store",
            &store,
            "--format",
            format,
            "-o",
            by_name.to_str().unwrap(),
        ]));
        let by_ext = dir.path().join(format!("by-ext.{ext}"));
        ok(&run(&[
            "export",
            "--store",
            &store,
            "-o",
            by_ext.to_str().unwrap(),
        ]));
        assert_eq!(
            std::fs::read(&by_name).unwrap(),
            std::fs::read(&by_ext).unwrap(),
            "{format}: --format and extension differ"
        );
        let d = rdflib_digest(by_name.to_str().unwrap(), rdflib_fmt);
        digests.push((format.to_string(), d.clone()));
        if !rapper_fmt.is_empty() {
            let o = tool(
                "rapper",
                &[
                    "-q",
                    "-i",
                    rapper_fmt,
                    "-o",
                    "ntriples",
                    by_name.to_str().unwrap(),
                ],
            );
            ok(&o);
            let nt = dir.path().join(format!("rapper-{format}.nt"));
            std::fs::write(&nt, &o.stdout).unwrap();
            assert_eq!(
                rdflib_digest(nt.to_str().unwrap(), "nt"),
                d,
                "{format}: rapper and rdflib read different triples"
            );
        }
    }
    let (first, d0) = &digests[0];
    let count: usize = d0.split(' ').next().unwrap().parse().unwrap();
    assert!(count > 1000, "only {count} triples");
    for (f, d) in &digests[1..] {
        assert_eq!(d, d0, "{f} and {first} hold different triples");
    }
}

#[test]
fn export_to_stdout_defaults_to_nquads() {
    let o = run(&["export", "--store", seeds_store().to_str().unwrap()]);
    ok(&o);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with('<') && first.trim_end().ends_with("> ."),
        "{first}"
    );
    assert!(
        first.matches("> <").count() + first.matches("> \"").count() >= 2,
        "{first}"
    );
}

#[test]
fn dot_renders_with_graphviz() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let cases: &[&[&str]] = &[
        &[],
        &[
            "--predicate",
            "mentions",
            "--document",
            "000_564bb4f72c4e6f0b",
        ],
        &[
            "--predicate",
            "mentions",
            "--class",
            "Forum",
            "--class",
            "SourceDocument",
        ],
        &["--predicate", "cites"],
    ];
    for (i, extra) in cases.iter().enumerate() {
        let dot = dir.path().join(format!("g{i}.dot"));
        let mut args = vec![
            "export",
            "--store",
            &store,
            "--format",
            "dot",
            "-o",
            dot.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ok(&run(&args));
        let text = std::fs::read_to_string(&dot).unwrap();
        assert!(text.starts_with("digraph"), "{text}");
        assert!(text.contains("Legend"), "{extra:?}: no legend");
        let svg = dir.path().join(format!("g{i}.svg"));
        let o = tool(
            "dot",
            &["-Tsvg", dot.to_str().unwrap(), "-o", svg.to_str().unwrap()],
        );
        ok(&o);
        assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    }
    let o = run(&[
        "export",
        "--store",
        &store,
        "--format",
        "dot",
        "--predicate",
        "likes",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

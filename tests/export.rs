//! Every export format parses in rdflib and in `rapper` (Raptor) and gives the
//! same triples; JSON-LD is compact and expands (pyld, rdflib) to the same
//! quads as N-Quads; DOT renders with Graphviz.

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

/// The JSON-LD export is compact (the published context inline, short keys,
/// one object per node and named graph) and expands, in pyld and in rdflib, to
/// exactly the quads of the N-Quads export, named graphs included.
#[test]
fn jsonld_is_compact_and_expands_to_the_nquads() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let (jsonld, nq) = (dir.path().join("g.jsonld"), dir.path().join("g.nq"));
    for f in [&jsonld, &nq] {
        ok(&run(&[
            "export",
            "--store",
            &store,
            "-o",
            f.to_str().unwrap(),
        ]));
    }
    let o = tool(
        "python3",
        &[
            "tests/tools/jsonld_check.py",
            jsonld.to_str().unwrap(),
            nq.to_str().unwrap(),
            "ontology/context.jsonld",
        ],
    );
    ok(&o);
    let report = stdout(&o);
    let quads: usize = report.split(' ').nth(1).unwrap().parse().unwrap();
    assert!(quads > 1000, "{report}");
    let text = std::fs::read_to_string(&jsonld).unwrap();
    for key in [
        "\"label\": {\"en\"",
        "\"mentions\": ",
        "\"evidence\": ",
        "\"type\": \"pg:",
    ] {
        assert!(text.contains(key), "no {key} in the JSON-LD export");
    }
    // A broken copy (one label changed) must not pass the check.
    let broken = dir.path().join("broken.jsonld");
    std::fs::write(&broken, text.replacen("\"en\": \"", "\"en\": \"X", 1)).unwrap();
    let o = tool(
        "python3",
        &[
            "tests/tools/jsonld_check.py",
            broken.to_str().unwrap(),
            nq.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success(), "a changed label passed the check");
}

/// `--format dcat` describes the dataset in DCAT-AP 3 (checked in rdflib by
/// SPARQL ASK on the mandatory properties), with a data service only when the
/// endpoint is given; without any access URL it is a usage error.
#[test]
fn dcat_description_has_the_mandatory_properties() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let endpoint = "http://localhost:7878/query";
    let cases: &[(&[&str], Option<&str>)] = &[
        (&["--endpoint", endpoint], Some(endpoint)),
        (
            &["--download-url", "https://data.example.eu/policygraph/"],
            None,
        ),
        (
            &[
                "--endpoint",
                endpoint,
                "--download-url",
                "https://data.example.eu/policygraph",
                "--publisher",
                "Digital diplomacy unit",
            ],
            Some(endpoint),
        ),
    ];
    for (i, (extra, service)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("catalog{i}.ttl"));
        let mut args = vec![
            "export",
            "--store",
            &store,
            "--format",
            "dcat",
            "-o",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ok(&run(&args));
        let mut check = vec!["tests/tools/dcat_check.py", out.to_str().unwrap()];
        check.extend(service.iter());
        let o = tool("python3", &check);
        ok(&o);
        // One distribution per RDF export format.
        assert_eq!(stdout(&o).trim(), "ok 6", "{extra:?}");
    }
    let o = run(&["export", "--store", &store, "--format", "dcat"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--endpoint"), "{}", stderr(&o));
    let o = run(&[
        "export",
        "--store",
        &store,
        "--format",
        "dcat",
        "--endpoint",
        "not a url",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// `--format svg` and `png` render the picture through Graphviz; without `dot`
/// on the PATH the error names Graphviz and how to install it.
#[test]
fn svg_and_png_are_rendered_by_graphviz() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let cases: &[(&str, &[u8])] = &[("svg", b"<svg"), ("png", b"\x89PNG\r\n")];
    for (format, magic) in cases {
        let by_ext = dir.path().join(format!("picture.{format}"));
        ok(&run(&[
            "export",
            "--store",
            &store,
            "-o",
            by_ext.to_str().unwrap(),
        ]));
        let bytes = std::fs::read(&by_ext).unwrap();
        assert!(
            bytes.windows(magic.len()).take(400).any(|w| w == *magic),
            "{format}: not a {format} file"
        );
        let o = run(&["export", "--store", &store, "--format", format]);
        ok(&o);
        assert_eq!(o.stdout, bytes, "{format}: stdout and file differ");
        let o = std::process::Command::new(bin())
            .args(["export", "--store", &store, "--format", format])
            .current_dir(root())
            .env("PATH", "")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{format} without dot");
        let err = stderr(&o);
        assert!(
            err.contains("Graphviz") && err.contains("apt-get install graphviz"),
            "{err}"
        );
    }
    let svg = std::fs::read_to_string(dir.path().join("picture.svg")).unwrap();
    for class in ["Country", "Forum", "EUBody", "Legend", "partnersWith"] {
        assert!(svg.contains(class), "no {class} in the picture");
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

//! `policygraph validate` against the SHACL shapes of `ontology/shapes.ttl`,
//! checked against pySHACL: the seeds graph conforms in both; graphs broken on
//! purpose fail in both with the same results (focus node, path, constraint)
//! and the expected one among them; the interpreter's SHACL Core subset gives
//! pySHACL's results on a small graph of its own, and refuses what it does
//! not support.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use policygraph::vocab::PREFIXES;

const PG: &str = "https://w3id.org/policygraph/ontology#";
const SKOS_PREF: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";

/// (focus, path, constraint) with IRIs shortened as `policygraph validate` prints them.
type Row = (String, String, String);

fn short(iri: &str) -> String {
    if let Some(rest) = iri.strip_prefix('^') {
        return format!("^{}", short(rest));
    }
    for (p, ns) in PREFIXES {
        if let Some(local) = iri.strip_prefix(ns)
            && !local.is_empty()
        {
            return format!("{p}:{local}");
        }
    }
    format!("<{iri}>")
}

/// The results `policygraph validate` prints (empty when it conforms).
fn ours(args: &[&str]) -> (Option<i32>, BTreeSet<Row>, String) {
    let mut all = vec!["validate"];
    all.extend_from_slice(args);
    let o = run(&all);
    let out = stdout(&o);
    let rows = out
        .lines()
        .skip(1)
        .filter(|l| l.contains('\t'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                format!("{}ConstraintComponent", f[2]),
            )
        })
        .collect();
    (o.status.code(), rows, format!("{out}{}", stderr(&o)))
}

/// pySHACL's verdict and results for each data file.
fn pyshacl(shapes: &str, files: &[&Path]) -> BTreeMap<String, (bool, BTreeSet<Row>)> {
    let mut args = vec!["tests/tools/shacl_check.py", shapes];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = tool("python3", &args);
    ok(&o);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    json.as_object()
        .unwrap()
        .iter()
        .map(|(file, r)| {
            let rows = r["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    let f = |i: usize| row[i].as_str().unwrap().to_string();
                    let path = if f(1).is_empty() {
                        String::new()
                    } else {
                        short(&f(1))
                    };
                    (short(&f(0)), path, f(2))
                })
                .collect();
            (file.clone(), (r["conforms"].as_bool().unwrap(), rows))
        })
        .collect()
}

/// Splits an N-Quads line into subject, predicate and the rest.
fn parts(line: &str) -> (&str, &str, &str) {
    let mut it = line.splitn(3, ' ');
    (
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
        it.next().unwrap_or(""),
    )
}

fn iri(s: &str) -> &str {
    s.trim_start_matches('<').trim_end_matches('>')
}

/// The first line with predicate `pred` whose subject and rest pass `pick`.
fn find<'a>(lines: &'a [String], pred: &str, pick: impl Fn(&str, &str) -> bool) -> &'a str {
    lines
        .iter()
        .find(|l| {
            let (s, p, rest) = parts(l);
            p == format!("<{pred}>") && pick(s, rest)
        })
        .unwrap_or_else(|| panic!("no {pred} line to break"))
}

/// An edit of the exported graph: the new lines and the result it must cause.
type Edit = fn(&[String]) -> (Vec<String>, Row);

fn entity_label(lines: &[String]) -> &str {
    find(lines, SKOS_PREF, |s, rest| {
        s.contains("/id/") && rest.contains("\"@en") && rest.contains("graph/entities")
    })
}

const CASES: &[(&str, Edit)] = &[
    ("entity without preferred label", |lines| {
        let l = entity_label(lines);
        let focus = short(iri(parts(l).0));
        (
            lines.iter().filter(|x| *x != l).cloned().collect(),
            (
                focus,
                "skos:prefLabel".into(),
                "MinCountConstraintComponent".into(),
            ),
        )
    }),
    ("entity with a second English preferred label", |lines| {
        let l = entity_label(lines).to_string();
        let focus = short(iri(parts(&l).0));
        let mut out = lines.to_vec();
        out.push(l.replacen("\"@en", " (alias)\"@en", 1));
        (
            out,
            (
                focus,
                "skos:prefLabel".into(),
                "MaxCountConstraintComponent".into(),
            ),
        )
    }),
    ("entity whose preferred label is not English", |lines| {
        let l = entity_label(lines);
        let focus = short(iri(parts(l).0));
        (
            lines
                .iter()
                .map(|x| {
                    if x == l {
                        x.replacen("\"@en", "\"@fr", 1)
                    } else {
                        x.clone()
                    }
                })
                .collect(),
            (
                focus,
                "skos:prefLabel".into(),
                "LanguageInConstraintComponent".into(),
            ),
        )
    }),
    ("fact without evidence", |lines| {
        let stmt = parts(find(lines, &format!("{PG}evidence"), |_, _| true))
            .0
            .to_string();
        let prefix = format!("{stmt} <{PG}evidence> ");
        (
            lines
                .iter()
                .filter(|x| !x.starts_with(&prefix))
                .cloned()
                .collect(),
            (
                short(iri(&stmt)),
                "pg:evidence".into(),
                "MinCountConstraintComponent".into(),
            ),
        )
    }),
    ("framework outside the list", |lines| {
        let l = find(lines, &format!("{PG}framework"), |_, _| true);
        let (s, p, rest) = parts(l);
        let graph = rest.split_once(' ').unwrap().1;
        let broken = format!("{s} {p} <{PG}FriendshipTreaty> {graph}");
        let focus = short(iri(s));
        (
            lines
                .iter()
                .map(|x| if x == l { broken.clone() } else { x.clone() })
                .collect(),
            (focus, "pg:framework".into(), "InConstraintComponent".into()),
        )
    }),
    ("cable that connects nothing", |lines| {
        let cable = parts(find(lines, &format!("{PG}connects"), |_, _| true))
            .0
            .to_string();
        let prefix = format!("{cable} <{PG}connects> ");
        (
            lines
                .iter()
                .filter(|x| !x.starts_with(&prefix))
                .cloned()
                .collect(),
            (
                short(iri(&cable)),
                "pg:connects".into(),
                "QualifiedMinCountConstraintComponent".into(),
            ),
        )
    }),
    ("source document without source", |lines| {
        let l = find(lines, "http://purl.org/dc/terms/source", |_, _| true);
        let focus = short(iri(parts(l).0));
        (
            lines.iter().filter(|x| *x != l).cloned().collect(),
            (
                focus,
                "dcterms:source".into(),
                "MinCountConstraintComponent".into(),
            ),
        )
    }),
    ("paragraph index that is not an integer", |lines| {
        let l = find(lines, &format!("{PG}index"), |_, _| true);
        let focus = short(iri(parts(l).0));
        (
            lines
                .iter()
                .map(|x| {
                    if x == l {
                        x.replacen("\"^^", ".5\"^^", 1)
                    } else {
                        x.clone()
                    }
                })
                .collect(),
            (
                focus,
                "pg:index".into(),
                "DatatypeConstraintComponent".into(),
            ),
        )
    }),
];

#[test]
fn seeds_conform_and_broken_graphs_fail_in_both() {
    let store = seeds_store().to_str().unwrap().to_string();
    let dir = tempdir();
    let nq = dir.path().join("seeds.nq");
    ok(&run(&[
        "export",
        "--store",
        &store,
        "-o",
        nq.to_str().unwrap(),
    ]));
    let jsonld = dir.path().join("seeds.jsonld");
    ok(&run(&[
        "export",
        "--store",
        &store,
        "-o",
        jsonld.to_str().unwrap(),
    ]));

    // The seeds graph conforms: the store, its N-Quads and JSON-LD exports.
    for args in [
        vec!["--store", store.as_str()],
        vec!["--data", nq.to_str().unwrap()],
        vec!["--data", jsonld.to_str().unwrap()],
    ] {
        let (code, rows, out) = ours(&args);
        assert_eq!(code, Some(0), "{args:?}: {out}");
        assert!(rows.is_empty() && out.starts_with("conforms:"), "{out}");
        let checked: usize = out
            .split(", ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(checked > 1000, "only {checked} focus nodes: {out}");
    }

    // Broken copies.
    let text = std::fs::read_to_string(&nq).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for (i, (name, edit)) in CASES.iter().enumerate() {
        let (broken, row) = edit(&lines);
        assert_ne!(broken, lines, "{name}: nothing changed");
        let path = dir.path().join(format!("case{i}.nq"));
        std::fs::write(&path, broken.join("\n") + "\n").unwrap();
        files.push(path);
        expected.push(row);
    }
    let mut paths: Vec<&Path> = vec![nq.as_path()];
    paths.extend(files.iter().map(|p| p.as_path()));
    let theirs = pyshacl("ontology/shapes.ttl", &paths);
    let (conforms, rows) = &theirs[nq.to_str().unwrap()];
    assert!(
        *conforms && rows.is_empty(),
        "pySHACL: seeds do not conform: {rows:?}"
    );
    for (((name, _), path), want) in CASES.iter().zip(&files).zip(&expected) {
        let (code, rows, out) = ours(&["--data", path.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{name}: {out}");
        assert!(rows.contains(want), "{name}: {want:?} not in\n{out}");
        let (conforms, py_rows) = &theirs[path.to_str().unwrap()];
        assert!(!conforms, "{name}: pySHACL says it conforms");
        assert_eq!(&rows, py_rows, "{name}: policygraph and pySHACL disagree");
    }
}

/// Shapes and data of their own (a small graph of trade agreements) that use
/// every construct the interpreter supports; its results must be pySHACL's.
#[test]
fn interpreter_agrees_with_pyshacl_on_every_construct() {
    let dir = tempdir();
    let shapes = dir.path().join("shapes.ttl");
    std::fs::write(
        &shapes,
        r#"@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/trade#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:AgreementShape a sh:NodeShape ;
    sh:targetClass ex:Agreement ;
    sh:nodeKind sh:IRI ;
    sh:property [ sh:path ex:title ; sh:minCount 1 ; sh:uniqueLang true ; sh:languageIn ("en" "fr") ] ;
    sh:property [ sh:path ex:signed ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
    sh:property [ sh:path ex:party ; sh:minCount 2 ; sh:class ex:Country ;
        sh:qualifiedValueShape [ sh:hasValue ex:EU ] ; sh:qualifiedMinCount 1 ] ;
    sh:property [ sh:path ex:status ; sh:in ( ex:InForce ex:Signed ) ; sh:hasValue ex:InForce ] .
ex:CountryShape a sh:NodeShape ;
    sh:targetObjectsOf ex:party ;
    sh:property [ sh:path [ sh:inversePath ex:party ] ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
    sh:property [ sh:path ex:code ; sh:maxCount 1 ; sh:nodeKind sh:Literal ] .
ex:EUShape a sh:NodeShape ;
    sh:targetNode ex:EU ;
    sh:class ex:Country ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:Unused a sh:NodeShape ; sh:deactivated true ; sh:targetClass ex:Country ;
    sh:property [ sh:path ex:never ; sh:minCount 1 ] .
"#,
    )
    .unwrap();
    let data = dir.path().join("data.ttl");
    std::fs::write(
        &data,
        r#"@prefix ex: <https://example.org/trade#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:MemberState rdfs:subClassOf ex:Country .
ex:EU a ex:Country ; ex:code "EU" .
ex:CL a ex:Country ; ex:code "CL", "CHL" .
ex:NZ a ex:Country ; ex:code ex:NZcode .
ex:IE a ex:MemberState ; ex:code "IE" .
ex:Mercosur a ex:Bloc .
ex:eu-chile a ex:Agreement ;
    ex:title "Advanced Framework Agreement"@en, "Accord-cadre avancé"@fr ;
    ex:signed "2023-12-13"^^xsd:date ;
    ex:party ex:EU, ex:CL ;
    ex:status ex:InForce .
ex:eu-nz a ex:Agreement ;
    ex:title "Free Trade Agreement"@en, "FTA"@en, "Vrijhandelsovereenkomst"@nl ;
    ex:signed "2023-07-09"^^xsd:date, "9 July 2023" ;
    ex:party ex:NZ ;
    ex:status ex:Ratifying .
ex:eu-mercosur a ex:Agreement ;
    ex:title "Partnership Agreement" ;
    ex:party ex:Mercosur, ex:EU ;
    ex:status ex:Signed .
_:draft a ex:Agreement ; ex:title "Draft"@en ; ex:party ex:EU, ex:IE ; ex:status ex:InForce .
"#,
    )
    .unwrap();
    let (code, rows, out) = ours(&[
        "--data",
        data.to_str().unwrap(),
        "--shapes",
        shapes.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1), "{out}");
    let theirs = pyshacl(shapes.to_str().unwrap(), &[data.as_path()]);
    let (_, py_rows) = &theirs[data.to_str().unwrap()];
    // Blank node focus nodes are named differently: compare them as "_:".
    let blank = |rows: &BTreeSet<Row>| -> BTreeSet<Row> {
        rows.iter()
            .map(|(f, p, c)| {
                let f = if f.starts_with("_:") || f.starts_with("<_:") {
                    "_:".to_string()
                } else {
                    f.clone()
                };
                (f, p.clone(), c.clone())
            })
            .collect()
    };
    assert_eq!(blank(&rows), blank(py_rows), "{out}");
    let components: BTreeSet<&str> = rows.iter().map(|r| r.2.as_str()).collect();
    for c in [
        "MinCount",
        "MaxCount",
        "Class",
        "Datatype",
        "NodeKind",
        "In",
        "HasValue",
        "LanguageIn",
        "UniqueLang",
        "QualifiedMinCount",
    ] {
        assert!(
            components.contains(format!("{c}ConstraintComponent").as_str()),
            "no {c} result in\n{out}"
        );
    }
}

#[test]
fn unsupported_shapes_are_refused_by_name() {
    let dir = tempdir();
    let cases = [
        ("sh:or", "sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] )"),
        (
            "sh:pattern",
            "sh:property [ sh:path ex:code ; sh:pattern \"^[A-Z]+$\" ]",
        ),
        (
            "sh:path",
            "sh:property [ sh:path ( ex:party ex:code ) ; sh:minCount 1 ]",
        ),
        (
            "sh:sparql",
            "sh:sparql [ sh:select \"SELECT $this WHERE {}\" ]",
        ),
    ];
    for (name, body) in cases {
        let shapes = dir.path().join("bad.ttl");
        std::fs::write(
            &shapes,
            format!(
                "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n\
                 ex:S a sh:NodeShape ; sh:targetClass ex:A ; {body} .\n"
            ),
        )
        .unwrap();
        let o = run(&[
            "validate",
            "--data",
            "ontology/policygraph.ttl",
            "--shapes",
            shapes.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("bad.ttl"), "{name}: {}", stderr(&o));
    }
    let o = run(&["validate", "--data", "README.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// The frameworks the shapes accept are exactly those the ontology defines.
#[test]
fn framework_list_is_the_ontologys() {
    let read = |path: &str, query: &str| -> BTreeSet<String> {
        let store = oxigraph::store::Store::new().unwrap();
        store
            .load_from_reader(
                oxigraph::io::RdfFormat::Turtle,
                std::fs::read(root().join(path)).unwrap().as_slice(),
            )
            .unwrap();
        let q = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(query)
            .unwrap();
        let oxigraph::sparql::QueryResults::Solutions(rows) = q.on_store(&store).execute().unwrap()
        else {
            panic!("not a SELECT")
        };
        rows.map(|r| r.unwrap().get("f").unwrap().to_string())
            .collect()
    };
    let ontology = read(
        "ontology/policygraph.ttl",
        "SELECT ?f WHERE { ?f a <https://w3id.org/policygraph/ontology#Framework> }",
    );
    let shapes = read(
        "ontology/shapes.ttl",
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?f WHERE { \
         ?p sh:path <https://w3id.org/policygraph/ontology#framework> ; sh:in/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?f }",
    );
    assert!(ontology.len() >= 5, "{ontology:?}");
    assert_eq!(ontology, shapes);
}

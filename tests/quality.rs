//! Quality floor: the seeds graph scored by `../shared/eval/evaluate.py` must
//! not fall below the levels last reached (`tests/quality-floor.tsv`). Raise
//! the floor when extraction improves; never lower it to make a change pass.

mod common;

use common::*;

#[test]
fn seeds_graph_meets_the_quality_floor() {
    let dir = tempdir();
    let out = dir.path().join("seeds.nq");
    ok(&run(&[
        "export",
        "--store",
        gold_store().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]));
    let eval = eval_dir();
    let o = tool(
        "python3",
        &[
            eval.join("evaluate.py").to_str().unwrap(),
            "--graph",
            out.to_str().unwrap(),
            "--gold",
            eval.join("gold").to_str().unwrap(),
            "--json",
        ],
    );
    ok(&o);
    let scores: serde_json::Value = serde_json::from_slice(&o.stdout).expect("evaluate.py JSON");
    let floor = std::fs::read_to_string(root().join("tests/quality-floor.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in floor
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (predicate, metric, min): (&str, &str, f64) =
            (cols[0], cols[1], cols[2].parse().unwrap());
        let value = if predicate == "relations" {
            scores["total"]["relations"][metric].as_f64()
        } else {
            scores["predicates"][predicate][metric].as_f64()
        }
        .unwrap_or(0.0);
        checked += 1;
        if value + 1e-9 < min {
            failures.push(format!("{predicate} {metric}: {value:.3} < floor {min:.3}"));
        }
    }
    assert!(checked >= 10, "floor file lists only {checked} scores");
    assert!(
        failures.is_empty(),
        "quality fell below the floor:\n{}",
        failures.join("\n")
    );
}

//! Graphviz DOT pictures of the graph, built with petgraph: entities as nodes
//! shaped and coloured by class, relations as labelled edges, a legend, and
//! filters (class, predicate, document) so that a large graph stays readable.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::{Error, Result};
use crate::fact::Predicate;
use crate::query;
use crate::store::Store;
use crate::vocab::PG;

/// Which part of the graph to draw.
#[derive(Debug, Clone, Default)]
pub struct DotFilter {
    /// Classes of nodes to keep (local names); all when empty.
    pub classes: Vec<String>,
    /// Predicates of edges to keep (local names); when empty, the relations
    /// between actors, places and initiatives (all but `mentions` and `cites`,
    /// which link documents and would crowd the picture; ask for them by name).
    pub predicates: Vec<String>,
    /// Source documents to draw (file name, stem or path suffix); all when empty.
    pub documents: Vec<String>,
}

/// Shape and colour of each class, and of nodes without a known class.
fn style(class: &str) -> (&'static str, &'static str) {
    match class {
        "Country" => ("ellipse", "#a6cee3"),
        "Region" => ("ellipse", "#8dd3c7"),
        "Forum" => ("hexagon", "#b2df8a"),
        "EUBody" => ("box", "#fdbf6f"),
        "Initiative" => ("component", "#fb9a99"),
        "Cable" => ("cds", "#cab2d6"),
        "Partnership" => ("octagon", "#ffff99"),
        "Document" => ("note", "#dddddd"),
        "SourceDocument" => ("folder", "#ffffff"),
        "Technology" => ("diamond", "#dfc27d"),
        _ => ("plaintext", "#ffffff"),
    }
}

/// Colour of the edges of each predicate (one colour per relation, shown in the legend).
fn edge_color(predicate: &str) -> &'static str {
    match predicate {
        "partnersWith" => "#1f78b4",
        "participatesIn" => "#33a02c",
        "funds" => "#e31a1c",
        "connects" => "#6a3d9a",
        "reportsTo" => "#ff7f00",
        "cites" => "#555555",
        "mentions" => "#aaaaaa",
        _ => "#000000",
    }
}

/// Predicates drawn without direction (`a partnersWith b` is `b partnersWith a`).
fn symmetric(predicate: &str) -> bool {
    predicate == "partnersWith"
}

/// Above this many edges, edges are told apart by colour (see the legend)
/// instead of each carrying its label.
const MAX_LABELLED_EDGES: usize = 40;

#[derive(Debug, Clone)]
struct Node {
    label: String,
    class: String,
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', " ")
}

fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// Renders DOT text with Graphviz (`dot -T<kind>`, kind `svg` or `png`) into
/// `out`; a clear error names Graphviz and how to install it when `dot` is
/// not on the PATH.
pub fn render(dot: &[u8], kind: &str, out: &mut dyn Write) -> Result<()> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg(format!("-T{kind}"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::Other(format!(
                    "--format {kind} needs Graphviz's `dot` program, which is not on the PATH: \
                     install Graphviz (`apt-get install graphviz`, `brew install graphviz`, \
                     https://graphviz.org/download/) or export `--format dot` and render it elsewhere"
                ))
            } else {
                Error::Other(format!("running Graphviz `dot`: {e}"))
            }
        })?;
    // Feed stdin from a thread so that a large picture cannot deadlock the pipes.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .map_err(|e| Error::Other(format!("running Graphviz `dot`: {e}")))?;
    let fed = feeder.join().expect("stdin thread");
    if !output.status.success() {
        return Err(Error::Other(format!(
            "Graphviz `dot -T{kind}` failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    fed.map_err(|e| Error::Other(format!("writing to Graphviz `dot`: {e}")))?;
    out.write_all(&output.stdout)
        .map_err(|e| Error::Other(format!("writing {kind}: {e}")))
}

/// Writes the filtered graph as DOT; returns the number of edges.
pub fn write_dot(store: &Store, filter: &DotFilter, out: &mut dyn Write) -> Result<usize> {
    let predicates: Vec<String> = if filter.predicates.is_empty() {
        Predicate::ALL
            .iter()
            .filter(|p| !matches!(p, Predicate::Mentions | Predicate::Cites))
            .map(|p| p.local_name().to_string())
            .collect()
    } else {
        for p in &filter.predicates {
            if Predicate::from_local_name(p).is_none() {
                return Err(Error::Usage(format!(
                    "unknown predicate {p:?}; use one of: {}",
                    Predicate::ALL.map(|p| p.local_name()).join(", ")
                )));
            }
        }
        filter.predicates.clone()
    };
    let values: String = predicates.iter().map(|p| format!("pg:{p} ")).collect();
    let sparql = format!(
        "SELECT ?s ?p ?o ?src WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} \
         OPTIONAL {{ GRAPH ?g {{ ?d dcterms:source ?src }} }} }}"
    );
    let mut edges: BTreeSet<(String, String, String)> = BTreeSet::new();
    if let QueryResults::Solutions(rows) = query::run(store, &sparql)? {
        for row in rows {
            let row = row.map_err(|e| Error::Query(e.to_string()))?;
            if !filter.documents.is_empty() {
                let src = match row.get("src") {
                    Some(Term::Literal(l)) => l.value().to_string(),
                    _ => String::new(),
                };
                if !filter
                    .documents
                    .iter()
                    .any(|d| src.ends_with(d.as_str()) || src.ends_with(&format!("{d}.txt")))
                {
                    continue;
                }
            }
            let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
                (row.get("s"), row.get("p"), row.get("o"))
            else {
                continue;
            };
            let (mut a, p, mut b) = (
                s.as_str().to_string(),
                local(p.as_str()).to_string(),
                o.as_str().to_string(),
            );
            if symmetric(&p) && b < a {
                std::mem::swap(&mut a, &mut b);
            }
            edges.insert((a, p, b));
        }
    }
    // Labels and classes of the nodes.
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let info = "SELECT ?n ?label ?class WHERE { \
        { ?n skos:prefLabel ?label FILTER(lang(?label) = 'en') } UNION { ?n dcterms:source ?label } \
        OPTIONAL { ?n a ?class } }";
    if let QueryResults::Solutions(rows) = query::run(store, info)? {
        for row in rows {
            let row = row.map_err(|e| Error::Query(e.to_string()))?;
            let (Some(Term::NamedNode(n)), Some(Term::Literal(l))) =
                (row.get("n"), row.get("label"))
            else {
                continue;
            };
            let class = match row.get("class") {
                Some(Term::NamedNode(c)) if c.as_str().starts_with(PG) => {
                    local(c.as_str()).to_string()
                }
                _ => String::new(),
            };
            let label = if class == "SourceDocument" {
                local(l.value()).to_string()
            } else {
                l.value().to_string()
            };
            let entry = nodes.entry(n.as_str().to_string()).or_insert(Node {
                label,
                class: class.clone(),
            });
            if entry.class.is_empty() {
                entry.class = class;
            }
        }
    }
    let node_of = |iri: &str| -> Node {
        nodes.get(iri).cloned().unwrap_or(Node {
            label: local(iri).to_string(),
            class: String::new(),
        })
    };
    let mut graph: DiGraph<(String, Node), String> = DiGraph::new();
    let mut index: BTreeMap<String, NodeIndex> = BTreeMap::new();
    for (s, p, o) in &edges {
        let (sn, on) = (node_of(s), node_of(o));
        let keep = |class: &String| filter.classes.is_empty() || filter.classes.contains(class);
        if !(keep(&sn.class) && keep(&on.class)) {
            continue;
        }
        let si = *index
            .entry(s.clone())
            .or_insert_with(|| graph.add_node((s.clone(), sn)));
        let oi = *index
            .entry(o.clone())
            .or_insert_with(|| graph.add_node((o.clone(), on)));
        graph.add_edge(si, oi, p.clone());
    }
    let io = |e: std::io::Error| Error::Other(format!("writing DOT: {e}"));
    let mut s = String::new();
    s.push_str("digraph policygraph {\n");
    s.push_str("  graph [rankdir=LR, overlap=false, splines=true, nodesep=0.12, ranksep=1.4, fontname=\"Helvetica\", label=\"policygraph\", labelloc=t];\n");
    s.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n");
    // Nodes grouped in one cluster per class.
    let mut by_class: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
    for i in graph.node_indices() {
        by_class
            .entry(graph[i].1.class.clone())
            .or_default()
            .push(i);
    }
    for (class, members) in &by_class {
        let (shape, color) = style(class);
        let name = if class.is_empty() { "Other" } else { class };
        s.push_str(&format!(
            "  subgraph \"cluster_{name}\" {{\n    label=\"{name}\"; style=dashed; color=\"#999999\";\n"
        ));
        for &i in members {
            s.push_str(&format!(
                "    n{} [label=\"{}\", shape={shape}, fillcolor=\"{color}\", tooltip=\"{}\"];\n",
                i.index(),
                esc(&graph[i].1.label),
                esc(&graph[i].0)
            ));
        }
        s.push_str("  }\n");
    }
    let labelled = graph.edge_count() <= MAX_LABELLED_EDGES;
    let mut drawn: BTreeSet<&str> = BTreeSet::new();
    for e in graph.edge_indices() {
        let (a, b) = graph.edge_endpoints(e).expect("edge");
        let p = graph[e].as_str();
        drawn.insert(p);
        let label = if labelled {
            format!(", label=\"{}\"", esc(p))
        } else {
            String::new()
        };
        let dir = if symmetric(p) { ", dir=none" } else { "" };
        s.push_str(&format!(
            "  n{} -> n{} [color=\"{}\"{dir}{label}, tooltip=\"{}\"];\n",
            a.index(),
            b.index(),
            edge_color(p),
            esc(p)
        ));
    }
    // Legend: one sample node per class drawn.
    s.push_str(
        "  subgraph cluster_legend {\n    label=\"Legend\"; style=solid; color=\"#333333\";\n",
    );
    for class in by_class.keys() {
        let (shape, color) = style(class);
        let name = if class.is_empty() { "Other" } else { class };
        s.push_str(&format!(
            "    \"legend_{name}\" [label=\"{name}\", shape={shape}, fillcolor=\"{color}\"];\n"
        ));
    }
    // One sample edge per relation drawn, in its colour.
    for p in &drawn {
        let dir = if symmetric(p) { ", dir=none" } else { "" };
        s.push_str(&format!(
            "    \"legend_{p}_a\" [label=\"\", shape=point, width=0.05];\n    \"legend_{p}_b\" [label=\"\", shape=point, width=0.05];\n    \"legend_{p}_a\" -> \"legend_{p}_b\" [label=\"{p}\", color=\"{}\", fontcolor=\"{}\"{dir}];\n",
            edge_color(p),
            edge_color(p)
        ));
    }
    s.push_str("  }\n}\n");
    out.write_all(s.as_bytes()).map_err(io)?;
    Ok(graph.edge_count())
}

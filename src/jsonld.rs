//! Compact JSON-LD for portals: the quads of the store written with the
//! published context (`ontology/context.jsonld`, inlined in the output so that
//! offline consumers need nothing else), one `@graph` per named graph and one
//! object per node, keyed by the context's short terms (`label`, `mentions`,
//! `evidence`) with IRIs as compact IRIs (`id:country/jpn`, `pg:Country`).
//!
//! Every value goes under the term of its predicate whose coercion fits it
//! (`@type: @id` for IRIs, a datatype, a language map); a value no term fits
//! is written under the predicate's compact IRI as an explicit value object,
//! so that expansion gives back exactly the quads written. Nodes referenced
//! once in their graph (a Web Annotation's target and selectors, a statement's
//! evidence) are embedded in the node that refers to them.
//!
//! Written by hand rather than by a JSON-LD library: Oxigraph's serializer
//! writes expanded JSON-LD, and compaction needs a JSON-LD processor (none
//! well kept in Rust); writing from the quads with the context's term table is
//! small and exact, and the tests check expansion with pyld and rdflib.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term};

use crate::error::{Error, Result};
use crate::ontology::DataSource;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// How a term of the context reads its values.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coercion {
    /// No coercion: strings are plain literals, objects are value or node objects.
    None,
    /// `"@type": "@id"`: strings are IRIs.
    Id,
    /// `"@type": DATATYPE`: strings are literals of that datatype.
    Datatype(String),
    /// `"@container": "@language"`: a map from language tag (or `@none`) to strings.
    LanguageMap,
}

/// One term of the context (kept under the IRI it stands for): its name and coercion.
#[derive(Debug, Clone)]
struct TermDef {
    name: String,
    coercion: Coercion,
}

/// The published JSON-LD context, read into a term table.
#[derive(Debug, Clone)]
pub struct Context {
    /// The context object, as published (keys in file order).
    raw: Json,
    /// (prefix, namespace), longest namespace first.
    prefixes: Vec<(String, String)>,
    /// Terms by the IRI they stand for, in file order.
    terms: HashMap<String, Vec<TermDef>>,
    /// The alias of `@type` (`type`), if any.
    type_key: String,
}

impl Context {
    /// The context of `ontology/context.jsonld` (built in, or from `--ontology DIR`).
    pub fn load(source: &DataSource) -> Result<Context> {
        let (path, text) = source.file("context.jsonld")?;
        Context::parse(&text).map_err(|message| Error::Input { path, message })
    }

    /// Reads a context document (`{"@context": {...}}`). Only the features the
    /// writer uses are accepted, so that what it writes is what the context says.
    fn parse(text: &str) -> std::result::Result<Context, String> {
        let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let obj = doc
            .get("@context")
            .ok_or("no \"@context\" object")?
            .as_object()
            .ok_or("\"@context\" is not an object")?;
        let raw = match serde_json::from_str::<Json>(text).map_err(|e| e.to_string())? {
            Json::Obj(entries) => entries
                .into_iter()
                .find(|(k, _)| k == "@context")
                .map(|(_, v)| v)
                .ok_or("no \"@context\" object")?,
            _ => return Err("not a JSON object".into()),
        };
        let mut prefixes = Vec::new();
        for (k, v) in obj {
            if let Some(ns) = v.as_str()
                && !k.starts_with('@')
                && !ns.starts_with('@')
                && ns.ends_with(['#', '/'])
            {
                prefixes.push((k.clone(), ns.to_string()));
            }
        }
        prefixes.sort_by_key(|(_, ns)| std::cmp::Reverse(ns.len()));
        let expand = |s: &str| -> String {
            if let Some((p, local)) = s.split_once(':')
                && let Some((_, ns)) = prefixes.iter().find(|(q, _)| q == p)
            {
                return format!("{ns}{local}");
            }
            s.to_string()
        };
        let mut terms: HashMap<String, Vec<TermDef>> = HashMap::new();
        let mut type_key = "@type".to_string();
        for (k, v) in obj {
            match (k.as_str(), v) {
                ("@version", _) => {}
                (k, _) if k.starts_with('@') => {
                    return Err(format!("unsupported context keyword {k:?}"));
                }
                (_, serde_json::Value::String(s)) if s == "@type" => type_key = k.clone(),
                (_, serde_json::Value::String(s)) if s.starts_with('@') => {
                    return Err(format!("{k:?}: unsupported keyword alias {s:?}"));
                }
                (_, serde_json::Value::String(s)) => {
                    if !prefixes.iter().any(|(p, _)| p == k) {
                        let iri = expand(s);
                        terms.entry(iri).or_default().push(TermDef {
                            name: k.clone(),
                            coercion: Coercion::None,
                        });
                    }
                }
                (_, serde_json::Value::Object(def)) => {
                    let mut iri = None;
                    let mut coercion = Coercion::None;
                    for (dk, dv) in def {
                        let dv = dv
                            .as_str()
                            .ok_or_else(|| format!("{k:?}: {dk} is not a string"))?;
                        match (dk.as_str(), dv) {
                            ("@id", _) => iri = Some(expand(dv)),
                            ("@type", "@id") => coercion = Coercion::Id,
                            ("@type", t) if !t.starts_with('@') => {
                                coercion = Coercion::Datatype(expand(t));
                            }
                            ("@container", "@language") => coercion = Coercion::LanguageMap,
                            _ => return Err(format!("{k:?}: unsupported {dk} {dv:?}")),
                        }
                    }
                    let iri = iri.ok_or_else(|| format!("{k:?}: no @id"))?;
                    terms.entry(iri).or_default().push(TermDef {
                        name: k.clone(),
                        coercion,
                    });
                }
                _ => return Err(format!("{k:?}: unsupported term definition")),
            }
        }
        Ok(Context {
            raw,
            prefixes,
            terms,
            type_key,
        })
    }

    /// An IRI as a compact IRI (`pg:Country`) when a prefix fits, else whole.
    fn compact_iri(&self, iri: &str) -> String {
        for (p, ns) in &self.prefixes {
            if let Some(local) = iri.strip_prefix(ns.as_str())
                && !local.is_empty()
                && !local.starts_with("//")
            {
                return format!("{p}:{local}");
            }
        }
        iri.to_string()
    }

    fn term(&self, iri: &str, pred: impl Fn(&Coercion) -> bool) -> Option<&TermDef> {
        self.terms.get(iri)?.iter().find(|t| pred(&t.coercion))
    }
}

/// A JSON value with keys kept in the order written.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Str(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn is_scalar(&self) -> bool {
        !matches!(self, Json::Arr(_) | Json::Obj(_))
    }

    /// Pretty-prints with two-space indentation; short arrays of scalars and
    /// small value objects stay on one line.
    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Json::Str(s) => out.push_str(&serde_json::to_string(s).expect("string")),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Num(f) => out.push_str(&serde_json::to_string(f).expect("number")),
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Arr(_) | Json::Obj(_) if self.inline_len().is_some_and(|n| n < 80) => {
                self.write_inline(out)
            }
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&"  ".repeat(indent + 1));
                    item.write(out, indent + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    out.push_str(&"  ".repeat(indent + 1));
                    out.push_str(&serde_json::to_string(k).expect("key"));
                    out.push_str(": ");
                    v.write(out, indent + 1);
                }
                out.push('\n');
                out.push_str(&"  ".repeat(indent));
                out.push('}');
            }
        }
    }

    /// Length on one line, if this is a flat array of scalars or an object of scalars.
    fn inline_len(&self) -> Option<usize> {
        let scalar_len = |j: &Json| -> Option<usize> {
            match j {
                Json::Str(s) => Some(s.len() + 2),
                Json::Int(i) => Some(i.to_string().len()),
                Json::Num(_) => Some(24),
                Json::Null | Json::Bool(_) => Some(5),
                _ => None,
            }
        };
        match self {
            Json::Arr(items) => items
                .iter()
                .map(|i| scalar_len(i).map(|n| n + 2))
                .sum::<Option<usize>>()
                .map(|n| n + 2),
            Json::Obj(entries) if entries.iter().all(|(_, v)| v.is_scalar()) => entries
                .iter()
                .map(|(k, v)| scalar_len(v).map(|n| n + k.len() + 6))
                .sum::<Option<usize>>()
                .map(|n| n + 2),
            _ => None,
        }
    }

    fn write_inline(&self, out: &mut String) {
        match self {
            Json::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out, 0);
                }
                out.push(']');
            }
            Json::Obj(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&serde_json::to_string(k).expect("key"));
                    out.push_str(": ");
                    v.write(out, 0);
                }
                out.push('}');
            }
            _ => self.write(out, 0),
        }
    }
}

/// Reads JSON keeping the order of keys (`serde_json::Value` sorts them), so
/// that the context is written out as published.
impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Json, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("JSON")
            }
            fn visit_bool<E>(self, b: bool) -> std::result::Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, i: i64) -> std::result::Result<Json, E> {
                Ok(Json::Int(i))
            }
            fn visit_u64<E: serde::de::Error>(self, u: u64) -> std::result::Result<Json, E> {
                i64::try_from(u)
                    .map(Json::Int)
                    .map_err(|_| E::custom("number too large"))
            }
            fn visit_f64<E>(self, f: f64) -> std::result::Result<Json, E> {
                Ok(Json::Num(f))
            }
            fn visit_str<E>(self, s: &str) -> std::result::Result<Json, E> {
                Ok(Json::Str(s.to_string()))
            }
            fn visit_unit<E>(self) -> std::result::Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Arr(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry()? {
                    entries.push((k, v));
                }
                Ok(Json::Obj(entries))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Key of a subject or graph name (`<iri>` or `_:id`) for grouping and ordering.
fn node_key(n: &NamedOrBlankNode) -> String {
    n.to_string()
}

/// The JSON-LD `@id` of a node: a compact IRI or a blank node identifier.
fn node_id(ctx: &Context, n: &NamedOrBlankNode) -> String {
    match n {
        NamedOrBlankNode::NamedNode(n) => ctx.compact_iri(n.as_str()),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// One graph's nodes: subject key → (subject, its (predicate, object) pairs).
type Nodes = BTreeMap<String, (NamedOrBlankNode, Vec<(String, Term)>)>;

/// Writes `quads` as compact JSON-LD with the context inlined; returns the
/// number of quads written.
pub fn write_jsonld(ctx: &Context, quads: &[Quad], out: &mut dyn Write) -> Result<usize> {
    // Group by graph (default graph first), then by subject.
    let mut graphs: BTreeMap<Option<String>, (Option<NamedOrBlankNode>, Nodes)> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut count = 0;
    for q in quads {
        if !seen.insert(q.to_string()) {
            continue;
        }
        count += 1;
        let name: Option<NamedOrBlankNode> = match &q.graph_name {
            GraphName::DefaultGraph => None,
            GraphName::NamedNode(n) => Some(n.clone().into()),
            GraphName::BlankNode(b) => Some(b.clone().into()),
        };
        let entry = graphs
            .entry(name.as_ref().map(node_key))
            .or_insert_with(|| (name, Nodes::new()));
        entry
            .1
            .entry(node_key(&q.subject))
            .or_insert_with(|| (q.subject.clone(), Vec::new()))
            .1
            .push((q.predicate.as_str().to_string(), q.object.clone()));
    }
    let mut top: Vec<Json> = Vec::new();
    let mut default_nodes: Vec<(String, Json)> = Vec::new();
    let mut named: Vec<(String, NamedOrBlankNode, Vec<Json>)> = Vec::new();
    for (key, (name, nodes)) in &graphs {
        let rendered = render_graph(ctx, nodes);
        match (key, name) {
            (Some(key), Some(name)) => named.push((
                key.clone(),
                name.clone(),
                rendered.into_iter().map(|(_, j)| j).collect(),
            )),
            _ => default_nodes.extend(rendered),
        }
    }
    // A named graph whose name is also a node of the default graph shares its object.
    for (key, name, members) in named {
        let graph_entry = ("@graph".to_string(), Json::Arr(members));
        if let Some(pos) = default_nodes.iter().position(|(k, _)| *k == key) {
            if let Json::Obj(entries) = &mut default_nodes[pos].1 {
                entries.push(graph_entry);
            }
        } else {
            default_nodes.push((
                key,
                Json::Obj(vec![
                    ("@id".to_string(), Json::Str(node_id(ctx, &name))),
                    graph_entry,
                ]),
            ));
        }
    }
    top.extend(default_nodes.into_iter().map(|(_, j)| j));
    let doc = Json::Obj(vec![
        ("@context".to_string(), ctx.raw.clone()),
        ("@graph".to_string(), Json::Arr(top)),
    ]);
    let mut text = String::new();
    doc.write(&mut text, 0);
    text.push('\n');
    out.write_all(text.as_bytes())
        .map_err(|e| Error::Other(format!("writing JSON-LD: {e}")))?;
    Ok(count)
}

/// The top-level node objects of one graph, nodes referenced once embedded.
fn render_graph<'a>(ctx: &Context, nodes: &'a Nodes) -> Vec<(String, Json)> {
    // Who refers to each node of this graph (by object position).
    let mut refs: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
    for (key, (_, props)) in nodes {
        for (_, o) in props {
            if let Some(ok) = object_key(o)
                && let Some((ok, _)) = nodes.get_key_value(&ok)
            {
                refs.entry(ok.as_str()).or_default().push(key.as_str());
            }
        }
    }
    // A node is embedded in its referrer when that is its only reference.
    let parent: HashMap<&'a str, &'a str> = refs
        .iter()
        .filter(|(n, r)| r.len() == 1 && r[0] != **n)
        .map(|(n, r)| (*n, r[0]))
        .collect();
    let mut done: BTreeSet<&'a str> = BTreeSet::new();
    let roots: Vec<&'a str> = nodes
        .keys()
        .map(String::as_str)
        .filter(|k| !parent.contains_key(k))
        .collect();
    // Nodes that only refer to one another in a ring: the richest becomes a root.
    let mut rings: Vec<&'a str> = nodes
        .keys()
        .map(String::as_str)
        .filter(|k| in_ring(k, &parent))
        .collect();
    rings.sort_by_key(|k| (std::cmp::Reverse(nodes[*k].1.len()), *k));
    let mut out = Vec::new();
    for k in roots.into_iter().chain(rings) {
        if !done.contains(k) {
            out.push((
                k.to_string(),
                render_node(ctx, nodes, &parent, k, &mut done),
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Whether following the single referrers up from `k` comes back to `k`:
/// nodes that only refer to one another in a ring have no root to embed them.
fn in_ring(k: &str, parent: &HashMap<&str, &str>) -> bool {
    let mut cur = k;
    for _ in 0..=parent.len() {
        match parent.get(cur) {
            Some(p) if *p == k => return true,
            Some(p) => cur = p,
            None => return false,
        }
    }
    false
}

fn object_key(o: &Term) -> Option<String> {
    match o {
        Term::NamedNode(n) => Some(node_key(&n.clone().into())),
        Term::BlankNode(b) => Some(node_key(&b.clone().into())),
        Term::Literal(_) => None,
    }
}

/// One node object: `@id`, `type`, then each property under its term.
fn render_node<'a>(
    ctx: &Context,
    nodes: &'a Nodes,
    parent: &HashMap<&'a str, &'a str>,
    key: &'a str,
    done: &mut BTreeSet<&'a str>,
) -> Json {
    done.insert(key);
    let (subject, props) = &nodes[key];
    let mut entries: Vec<(String, Json)> = vec![("@id".into(), Json::Str(node_id(ctx, subject)))];
    // Values per output key, keeping language maps apart.
    let mut plain: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    let mut lang_maps: BTreeMap<String, BTreeMap<String, Vec<Json>>> = BTreeMap::new();
    let mut types: Vec<Json> = Vec::new();
    let mut sorted: Vec<&(String, Term)> = props.iter().collect();
    sorted.sort_by_key(|(p, o)| (p.clone(), o.to_string()));
    for (p, o) in sorted {
        if p == RDF_TYPE
            && let Term::NamedNode(t) = o
        {
            types.push(Json::Str(ctx.compact_iri(t.as_str())));
            continue;
        }
        match o {
            Term::NamedNode(_) | Term::BlankNode(_) => {
                let ok = object_key(o).expect("node");
                let id = match o {
                    Term::NamedNode(n) => ctx.compact_iri(n.as_str()),
                    Term::BlankNode(b) => format!("_:{}", b.as_str()),
                    Term::Literal(_) => unreachable!(),
                };
                let embedded = match nodes.get_key_value(&ok) {
                    Some((k, _))
                        if parent.get(k.as_str()) == Some(&key) && !done.contains(k.as_str()) =>
                    {
                        Some(render_node(ctx, nodes, parent, k.as_str(), done))
                    }
                    _ => None,
                };
                match (ctx.term(p, |c| *c == Coercion::Id), embedded) {
                    (Some(t), Some(e)) => plain.entry(t.name.clone()).or_default().push(e),
                    (Some(t), None) => plain.entry(t.name.clone()).or_default().push(Json::Str(id)),
                    (None, Some(e)) => plain.entry(ctx.compact_iri(p)).or_default().push(e),
                    (None, None) => plain
                        .entry(ctx.compact_iri(p))
                        .or_default()
                        .push(Json::Obj(vec![("@id".into(), Json::Str(id))])),
                }
            }
            Term::Literal(l) => {
                let (key, value) = literal(ctx, p, l);
                match value {
                    LitValue::Lang(lang, s) => lang_maps
                        .entry(key)
                        .or_default()
                        .entry(lang)
                        .or_default()
                        .push(Json::Str(s)),
                    LitValue::Json(j) => plain.entry(key).or_default().push(j),
                }
            }
        }
    }
    if !types.is_empty() {
        entries.push((ctx.type_key.clone(), one_or_many(types)));
    }
    let mut keyed: BTreeMap<String, Json> = BTreeMap::new();
    for (k, v) in plain {
        keyed.insert(k, one_or_many(v));
    }
    for (k, m) in lang_maps {
        keyed.insert(
            k,
            Json::Obj(m.into_iter().map(|(l, v)| (l, one_or_many(v))).collect()),
        );
    }
    // Short terms first, then compact IRIs (fallbacks), each alphabetically.
    let mut keyed: Vec<(String, Json)> = keyed.into_iter().collect();
    keyed.sort_by_key(|(k, _)| (k.contains(':'), k.to_lowercase()));
    entries.extend(keyed);
    Json::Obj(entries)
}

fn one_or_many(mut v: Vec<Json>) -> Json {
    if v.len() == 1 {
        v.pop().expect("one")
    } else {
        Json::Arr(v)
    }
}

/// Where a literal goes: a language map entry, or a JSON value under a key.
enum LitValue {
    Lang(String, String),
    Json(Json),
}

/// The key and value of a literal object of predicate `p`.
fn literal(ctx: &Context, p: &str, l: &Literal) -> (String, LitValue) {
    let value = l.value().to_string();
    let plain = |s: String| LitValue::Json(Json::Str(s));
    if let Some(lang) = l.language() {
        if let Some(t) = ctx.term(p, |c| *c == Coercion::LanguageMap) {
            return (t.name.clone(), LitValue::Lang(lang.to_string(), value));
        }
        let obj = Json::Obj(vec![
            ("@value".into(), Json::Str(value)),
            ("@language".into(), Json::Str(lang.to_string())),
        ]);
        let key = ctx
            .term(p, |c| *c == Coercion::None)
            .map_or_else(|| ctx.compact_iri(p), |t| t.name.clone());
        return (key, LitValue::Json(obj));
    }
    let dt = l.datatype().as_str().to_string();
    if dt == format!("{XSD}string") {
        if let Some(t) = ctx.term(p, |c| *c == Coercion::None) {
            return (t.name.clone(), plain(value));
        }
        if let Some(t) = ctx.term(p, |c| *c == Coercion::LanguageMap) {
            return (t.name.clone(), LitValue::Lang("@none".into(), value));
        }
        return (ctx.compact_iri(p), plain(value));
    }
    if let Some(t) = ctx.term(p, |c| *c == Coercion::Datatype(dt.clone())) {
        return (t.name.clone(), LitValue::Json(native(&dt, value)));
    }
    let obj = Json::Obj(vec![
        ("@value".into(), Json::Str(value)),
        ("@type".into(), Json::Str(ctx.compact_iri(&dt))),
    ]);
    let key = ctx
        .term(p, |c| *c == Coercion::None)
        .map_or_else(|| ctx.compact_iri(p), |t| t.name.clone());
    (key, LitValue::Json(obj))
}

/// A literal of a coerced datatype as JSON: a number or boolean when its
/// lexical form is the one JSON-LD would give back, else the lexical string.
fn native(dt: &str, value: String) -> Json {
    let canonical_int = value == "0"
        || (value
            .strip_prefix('-')
            .unwrap_or(&value)
            .chars()
            .all(|c| c.is_ascii_digit())
            && !value.strip_prefix('-').unwrap_or(&value).starts_with('0')
            && !value.strip_prefix('-').unwrap_or(&value).is_empty());
    if dt == format!("{XSD}integer")
        && canonical_int
        && let Ok(i) = value.parse::<i64>()
        && i.abs() < (1 << 53)
    {
        return Json::Int(i);
    }
    if dt == format!("{XSD}boolean") && (value == "true" || value == "false") {
        return Json::Bool(value == "true");
    }
    Json::Str(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_file_reads_and_compacts() {
        let ctx = Context::load(&DataSource::Embedded).unwrap();
        assert_eq!(ctx.type_key, "type");
        assert_eq!(
            ctx.compact_iri("https://w3id.org/policygraph/id/country/jpn"),
            "id:country/jpn"
        );
        assert_eq!(
            ctx.compact_iri("https://example.org/x"),
            "https://example.org/x"
        );
        let t = ctx
            .term("https://w3id.org/policygraph/ontology#mentions", |c| {
                *c == Coercion::Id
            })
            .unwrap();
        assert_eq!(t.name, "mentions");
    }

    /// Quads that need every path of the writer: blank nodes, a ring of single
    /// references, strings and odd datatypes under coerced terms, a default
    /// graph node that also names a graph. Oxigraph's JSON-LD parser must read
    /// back the same quads (up to blank node labels).
    #[test]
    fn tricky_quads_round_trip_through_oxigraph() {
        let nq = r#"
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/policygraph/ontology#Country> <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#prefLabel> "Kosovo"@en <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#prefLabel> "XK" <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#altLabel> "Kosova"@sq <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#altLabel> "Kosovo*"@en <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#notation> "XK"@en <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://www.w3.org/2004/02/skos/core#exactMatch> "not an IRI" <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <http://purl.org/dc/terms/date> "2008-02-17T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <https://w3id.org/policygraph/ontology#index> "007"^^<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <https://w3id.org/policygraph/ontology#index> "12"^^<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <https://example.org/vocab/population> "1800000"^^<http://www.w3.org/2001/XMLSchema#integer> <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/country/xk> <https://example.org/vocab/near> _:b1 <https://w3id.org/policygraph/id/graph/entities> .
_:b1 <http://www.w3.org/2004/02/skos/core#prefLabel> "Balkans"@en <https://w3id.org/policygraph/id/graph/entities> .
<https://w3id.org/policygraph/id/a> <https://w3id.org/policygraph/ontology#party> <https://w3id.org/policygraph/id/b> <https://w3id.org/policygraph/id/graph/x> .
<https://w3id.org/policygraph/id/b> <https://w3id.org/policygraph/ontology#party> <https://w3id.org/policygraph/id/a> <https://w3id.org/policygraph/id/graph/x> .
<https://w3id.org/policygraph/id/b> <https://w3id.org/policygraph/ontology#party> <https://w3id.org/policygraph/id/b> <https://w3id.org/policygraph/id/graph/x> .
<https://w3id.org/policygraph/id/graph/x> <http://purl.org/dc/terms/source> "x.txt" .
<https://w3id.org/policygraph/id/other> <https://w3id.org/policygraph/ontology#languageSure> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> .
"#;
        let quads: Vec<Quad> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
                .for_slice(nq.as_bytes())
                .collect::<std::result::Result<_, _>>()
                .unwrap();
        let ctx = Context::load(&DataSource::Embedded).unwrap();
        let mut out = Vec::new();
        assert_eq!(write_jsonld(&ctx, &quads, &mut out).unwrap(), quads.len());
        let text = String::from_utf8(out).unwrap();
        let back: Vec<Quad> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            })
            .for_slice(text.as_bytes())
            .collect::<std::result::Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        // Blank node labels may change: compare with them blanked out.
        let norm = |qs: &[Quad]| -> BTreeSet<String> {
            qs.iter()
                .map(|q| {
                    let s = q.to_string();
                    regex::Regex::new(r"_:[A-Za-z0-9]+")
                        .unwrap()
                        .replace_all(&s, "_:b")
                        .into_owned()
                })
                .collect()
        };
        assert_eq!(norm(&back), norm(&quads), "{text}");
        // Short keys where the context has a fitting term; compact IRIs otherwise.
        for needle in [
            r#""label": {"@none": "XK", "en": "Kosovo"}"#,
            r#""index": ["007", 12]"#,
            r#""skos:exactMatch": "not an IRI""#,
            r#""notation": {"@value": "XK", "@language": "en"}"#,
            r#""https://example.org/vocab/population": {"@value": "1800000", "@type": "xsd:integer"}"#,
            r#""@id": "id:b", "party": [ {"@id": "id:a", "party": "id:b"}, "id:b" ]"#,
        ] {
            let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(compact.contains(needle), "{needle} not in\n{text}");
        }
    }

    #[test]
    fn native_values_only_when_lossless() {
        let int = format!("{XSD}integer");
        assert!(matches!(native(&int, "42".into()), Json::Int(42)));
        assert!(matches!(native(&int, "0".into()), Json::Int(0)));
        assert!(matches!(native(&int, "-7".into()), Json::Int(-7)));
        assert!(matches!(native(&int, "007".into()), Json::Str(_)));
        assert!(matches!(native(&int, "+7".into()), Json::Str(_)));
        assert!(matches!(native(&int, "".into()), Json::Str(_)));
        let b = format!("{XSD}boolean");
        assert!(matches!(native(&b, "true".into()), Json::Bool(true)));
        assert!(matches!(native(&b, "1".into()), Json::Str(_)));
    }

    #[test]
    fn unsupported_context_features_are_refused() {
        for bad in [
            r#"{"@context": {"@vocab": "http://x/"}}"#,
            r#"{"@context": {"a": {"@id": "http://x/a", "@container": "@list"}}}"#,
            r#"{"@context": {"a": {"@reverse": "http://x/a"}}}"#,
        ] {
            assert!(Context::parse(bad).is_err(), "{bad}");
        }
    }
}

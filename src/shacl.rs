//! A small SHACL Core interpreter: reads a shapes graph (Turtle) into plain
//! data, turns each constraint into one SPARQL query over an Oxigraph store
//! (the union of its graphs), and collects the validation results.
//!
//! Supported: node shapes with `sh:targetClass`, `sh:targetNode`,
//! `sh:targetSubjectsOf`, `sh:targetObjectsOf` (and implicit class targets);
//! property shapes whose `sh:path` is a predicate or `[ sh:inversePath P ]`;
//! `sh:minCount`, `sh:maxCount`, `sh:class`, `sh:datatype`, `sh:nodeKind`,
//! `sh:in`, `sh:hasValue`, `sh:languageIn`, `sh:uniqueLang`, and
//! `sh:qualifiedValueShape` (a shape of value constraints) with
//! `sh:qualifiedMinCount`/`sh:qualifiedMaxCount`; `sh:message`,
//! `sh:severity`, `sh:deactivated`. Anything else in the `sh:` namespace is
//! refused with an error naming it, rather than silently ignored.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store as OxStore;

use crate::error::{Error, Result};

/// The SHACL namespace.
pub const SH: &str = "http://www.w3.org/ns/shacl#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whose values a node shape checks.
#[derive(Debug, Clone)]
enum Target {
    Class(NamedNode),
    Node(Term),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// A property path: a predicate, or its inverse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(NamedNode),
}

impl Path {
    /// The SPARQL triple pattern from `from` along the path to `to`.
    fn pattern(&self, from: &str, to: &str) -> String {
        match self {
            Path::Predicate(p) => format!("{from} {p} {to} ."),
            Path::Inverse(p) => format!("{to} {p} {from} ."),
        }
    }
}

/// A constraint on each value node on its own.
#[derive(Debug, Clone)]
enum ValueCheck {
    Class(NamedNode),
    Datatype(NamedNode),
    NodeKind(NamedNode),
    In(Vec<Term>),
    LanguageIn(Vec<String>),
    HasValue(Term),
}

impl ValueCheck {
    /// The SPARQL expression true when `v` satisfies the constraint.
    fn expr(&self, v: &str) -> String {
        match self {
            ValueCheck::Class(c) => format!("EXISTS {{ {v} a/<{RDFS}subClassOf>* {c} }}"),
            ValueCheck::Datatype(d) => {
                let well_formed = match d.as_str().strip_prefix(XSD) {
                    Some(
                        "integer" | "decimal" | "boolean" | "double" | "float" | "dateTime"
                        | "date",
                    ) => format!(" && COALESCE(isLiteral({d}(STR({v}))), false)"),
                    _ => String::new(),
                };
                format!("(isLiteral({v}) && sameTerm(datatype({v}), {d}){well_formed})")
            }
            ValueCheck::NodeKind(k) => match k.as_str().strip_prefix(SH).unwrap_or("") {
                "IRI" => format!("isIRI({v})"),
                "BlankNode" => format!("isBlank({v})"),
                "Literal" => format!("isLiteral({v})"),
                "BlankNodeOrIRI" => format!("(isBlank({v}) || isIRI({v}))"),
                "BlankNodeOrLiteral" => format!("(isBlank({v}) || isLiteral({v}))"),
                _ => format!("(isIRI({v}) || isLiteral({v}))"),
            },
            ValueCheck::In(terms) if terms.is_empty() => "false".into(),
            ValueCheck::In(terms) => {
                let alts: Vec<String> = terms
                    .iter()
                    .map(|t| format!("sameTerm({v}, {t})"))
                    .collect();
                format!("({})", alts.join(" || "))
            }
            ValueCheck::LanguageIn(langs) => {
                let alts: Vec<String> = langs
                    .iter()
                    .map(|l| format!("langMatches(lang({v}), {})", quote(l)))
                    .collect();
                format!("(isLiteral({v}) && ({}))", alts.join(" || "))
            }
            ValueCheck::HasValue(t) => format!("sameTerm({v}, {t})"),
        }
    }

    /// Local name of the SHACL constraint component.
    fn component(&self) -> &'static str {
        match self {
            ValueCheck::Class(_) => "ClassConstraintComponent",
            ValueCheck::Datatype(_) => "DatatypeConstraintComponent",
            ValueCheck::NodeKind(_) => "NodeKindConstraintComponent",
            ValueCheck::In(_) => "InConstraintComponent",
            ValueCheck::LanguageIn(_) => "LanguageInConstraintComponent",
            ValueCheck::HasValue(_) => "HasValueConstraintComponent",
        }
    }

    /// What a violating value lacks, for the message.
    fn describe(&self) -> String {
        match self {
            ValueCheck::Class(c) => format!("not an instance of {}", short_iri(c)),
            ValueCheck::Datatype(d) => format!("not a well-formed {} literal", short_iri(d)),
            ValueCheck::NodeKind(k) => format!("not of node kind {}", short_iri(k)),
            ValueCheck::In(terms) => format!(
                "not one of {}",
                terms.iter().map(short).collect::<Vec<_>>().join(" ")
            ),
            ValueCheck::LanguageIn(l) => format!("not in language {}", l.join(", ")),
            ValueCheck::HasValue(t) => format!("not {}", short(t)),
        }
    }
}

/// A constraint of a property shape.
#[derive(Debug, Clone)]
enum Check {
    Value(ValueCheck),
    HasValue(Term),
    MinCount(u64),
    MaxCount(u64),
    UniqueLang,
    Qualified {
        checks: Vec<ValueCheck>,
        min: Option<u64>,
        max: Option<u64>,
    },
}

/// A property shape: a path and constraints on the values along it.
#[derive(Debug, Clone)]
struct PropertyShape {
    path: Path,
    checks: Vec<Check>,
    message: Option<String>,
    severity: String,
}

/// A node shape: targets, constraints on the focus node, property shapes.
#[derive(Debug, Clone)]
struct NodeShape {
    id: String,
    targets: Vec<Target>,
    checks: Vec<ValueCheck>,
    properties: Vec<PropertyShape>,
    message: Option<String>,
    severity: String,
}

/// A shapes graph, read.
#[derive(Debug, Clone)]
pub struct Shapes {
    shapes: Vec<NodeShape>,
}

/// One validation result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub focus: Term,
    pub path: Option<Path>,
    /// Local name of the constraint component (`MinCountConstraintComponent`).
    pub component: &'static str,
    /// The shape's `sh:message` (if any) and what was found.
    pub message: String,
    /// Local name of the severity (`Violation`, `Warning`, `Info`).
    pub severity: String,
    /// The shape (IRI or blank node) the result comes from.
    pub shape: String,
}

impl Violation {
    /// Sort key: focus node, path, constraint, message.
    fn key(&self) -> (String, String, &'static str, String, String) {
        let path = match &self.path {
            None => String::new(),
            Some(Path::Predicate(p)) => p.to_string(),
            Some(Path::Inverse(p)) => format!("^{p}"),
        };
        (
            self.focus.to_string(),
            path,
            self.component,
            self.message.clone(),
            self.shape.clone(),
        )
    }
}

/// A term as `prefix:local` when one of our prefixes fits (for messages).
pub fn short(t: &Term) -> String {
    if let Term::NamedNode(n) = t {
        for (p, ns) in crate::vocab::PREFIXES.iter().chain(&[("sh", SH)]) {
            if let Some(local) = n.as_str().strip_prefix(ns)
                && !local.is_empty()
            {
                return format!("{p}:{local}");
            }
        }
    }
    t.to_string()
}

fn short_iri(n: &NamedNode) -> String {
    short(&n.clone().into())
}

fn quote(s: &str) -> String {
    oxigraph::model::Literal::new_simple_literal(s).to_string()
}

fn sh(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{local}"))
}

/// Reads the shapes graph: parses `text` and checks every `sh:` construct.
struct Reader<'a> {
    graph: Graph,
    origin: &'a str,
}

impl Shapes {
    /// Reads a Turtle shapes graph; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Shapes> {
        let mut graph = Graph::new();
        for t in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
            let t: oxigraph::model::Triple = t
                .map_err(|e| Error::Other(format!("{origin}: {e}")))?
                .into();
            graph.insert(&t);
        }
        let r = Reader { graph, origin };
        let mut ids: Vec<NamedOrBlankNode> = Vec::new();
        let node_shape = sh("NodeShape");
        for t in r.graph.iter() {
            let p = t.predicate.as_str();
            let is_target = [
                "targetClass",
                "targetNode",
                "targetSubjectsOf",
                "targetObjectsOf",
            ]
            .iter()
            .any(|l| p == format!("{SH}{l}"));
            if is_target || (p == rdf::TYPE.as_str() && t.object == node_shape.as_ref().into()) {
                ids.push(t.subject.into_owned());
            }
        }
        ids.sort_by_key(ToString::to_string);
        ids.dedup();
        let mut shapes = Vec::new();
        for id in &ids {
            if let Some(s) = r.node_shape(id.as_ref())? {
                shapes.push(s);
            }
        }
        Ok(Shapes { shapes })
    }

    /// Number of node shapes that are checked.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether there is no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Validates the union of the graphs of `store`; results sorted.
    pub fn validate(&self, store: &OxStore) -> Result<Vec<Violation>> {
        let mut out = Vec::new();
        for shape in &self.shapes {
            shape.validate(store, &mut out)?;
        }
        out.sort_by_cached_key(Violation::key);
        out.dedup();
        Ok(out)
    }

    /// Number of distinct focus nodes the shapes target in `store`.
    pub fn focus_count(&self, store: &OxStore) -> Result<usize> {
        let mut n = 0;
        for shape in &self.shapes {
            let q = format!(
                "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
                shape.target_pattern()
            );
            for row in select(store, &q)? {
                if let Some(Term::Literal(l)) = row.first().and_then(|t| t.clone()) {
                    n += l.value().parse::<usize>().unwrap_or(0);
                }
            }
        }
        Ok(n)
    }
}

/// Constraints on each value, read alike on node and property shapes.
const VALUE_CONSTRAINTS: &[&str] = &[
    "class",
    "datatype",
    "nodeKind",
    "in",
    "languageIn",
    "hasValue",
];

/// Predicates a shape may carry that do not constrain anything.
const ANNOTATIONS: &[&str] = &[
    "message",
    "severity",
    "deactivated",
    "name",
    "description",
    "order",
    "group",
];

impl Reader<'_> {
    fn objects(&self, s: NamedOrBlankNodeRef<'_>, local: &str) -> Vec<Term> {
        self.graph
            .objects_for_subject_predicate(s, &sh(local))
            .map(TermRef::into_owned)
            .collect()
    }

    fn one(&self, s: NamedOrBlankNodeRef<'_>, local: &str) -> Result<Option<Term>> {
        let mut v = self.objects(s, local);
        if v.len() > 1 {
            return Err(self.error(s, &format!("more than one sh:{local}")));
        }
        Ok(v.pop())
    }

    fn error(&self, s: NamedOrBlankNodeRef<'_>, what: &str) -> Error {
        Error::Other(format!("{}: shape {s}: {what}", self.origin))
    }

    fn iri(&self, s: NamedOrBlankNodeRef<'_>, local: &str, t: &Term) -> Result<NamedNode> {
        match t {
            Term::NamedNode(n) => Ok(n.clone()),
            _ => Err(self.error(s, &format!("sh:{local} must be an IRI, not {t}"))),
        }
    }

    fn count(&self, s: NamedOrBlankNodeRef<'_>, local: &str) -> Result<Option<u64>> {
        match self.one(s, local)? {
            None => Ok(None),
            Some(Term::Literal(l)) => l
                .value()
                .parse()
                .map(Some)
                .map_err(|_| self.error(s, &format!("sh:{local} {l} is not a count"))),
            Some(t) => Err(self.error(s, &format!("sh:{local} {t} is not a count"))),
        }
    }

    /// The members of an RDF list.
    fn list(&self, s: NamedOrBlankNodeRef<'_>, head: &Term) -> Result<Vec<Term>> {
        let mut out = Vec::new();
        let mut cur = head.clone();
        let nil: Term = rdf::NIL.into_owned().into();
        while cur != nil {
            let node = match &cur {
                Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
                Term::BlankNode(b) => NamedOrBlankNodeRef::from(b.as_ref()),
                Term::Literal(_) => return Err(self.error(s, "malformed RDF list")),
            };
            let first = self.graph.object_for_subject_predicate(node, rdf::FIRST);
            let rest = self.graph.object_for_subject_predicate(node, rdf::REST);
            let (Some(first), Some(rest)) = (first, rest) else {
                return Err(self.error(s, "malformed RDF list"));
            };
            out.push(first.into_owned());
            cur = rest.into_owned();
            if out.len() > 100_000 {
                return Err(self.error(s, "RDF list too long or cyclic"));
            }
        }
        Ok(out)
    }

    /// Refuses any `sh:` predicate on `s` that is not in `allowed`.
    fn only(&self, s: NamedOrBlankNodeRef<'_>, allowed: &[&str]) -> Result<()> {
        for t in self.graph.triples_for_subject(s) {
            if let Some(local) = t.predicate.as_str().strip_prefix(SH)
                && !allowed.contains(&local)
                && !VALUE_CONSTRAINTS.contains(&local)
                && !ANNOTATIONS.contains(&local)
            {
                return Err(self.error(
                    s,
                    &format!("unsupported SHACL construct sh:{local} (policygraph validate reads the SHACL Core subset described in README.md)"),
                ));
            }
        }
        Ok(())
    }

    fn deactivated(&self, s: NamedOrBlankNodeRef<'_>) -> Result<bool> {
        Ok(matches!(self.one(s, "deactivated")?, Some(Term::Literal(l)) if l.value() == "true"))
    }

    fn message(&self, s: NamedOrBlankNodeRef<'_>) -> Option<String> {
        self.objects(s, "message")
            .into_iter()
            .find_map(|t| match t {
                Term::Literal(l) if matches!(l.language(), None | Some("en")) => {
                    Some(l.value().to_string())
                }
                _ => None,
            })
    }

    fn severity(&self, s: NamedOrBlankNodeRef<'_>) -> Result<String> {
        match self.one(s, "severity")? {
            None => Ok("Violation".into()),
            Some(t) => Ok(self
                .iri(s, "severity", &t)?
                .as_str()
                .strip_prefix(SH)
                .unwrap_or(t.to_string().as_str())
                .to_string()),
        }
    }

    /// The value constraints on `s` (shared by node shapes, property shapes and
    /// qualified value shapes).
    fn value_checks(&self, s: NamedOrBlankNodeRef<'_>) -> Result<Vec<ValueCheck>> {
        let mut out = Vec::new();
        for t in self.objects(s, "class") {
            out.push(ValueCheck::Class(self.iri(s, "class", &t)?));
        }
        for t in self.objects(s, "datatype") {
            out.push(ValueCheck::Datatype(self.iri(s, "datatype", &t)?));
        }
        for t in self.objects(s, "nodeKind") {
            let k = self.iri(s, "nodeKind", &t)?;
            let kinds = [
                "IRI",
                "BlankNode",
                "Literal",
                "BlankNodeOrIRI",
                "BlankNodeOrLiteral",
                "IRIOrLiteral",
            ];
            if !kinds.iter().any(|l| k.as_str() == format!("{SH}{l}")) {
                return Err(self.error(s, &format!("unknown sh:nodeKind {k}")));
            }
            out.push(ValueCheck::NodeKind(k));
        }
        for t in self.objects(s, "in") {
            let members = self.list(s, &t)?;
            if members.iter().any(|m| matches!(m, Term::BlankNode(_))) {
                return Err(self.error(s, "blank nodes in sh:in are not supported"));
            }
            out.push(ValueCheck::In(members));
        }
        for t in self.objects(s, "languageIn") {
            let mut langs = Vec::new();
            for m in self.list(s, &t)? {
                match m {
                    Term::Literal(l) => langs.push(l.value().to_string()),
                    _ => return Err(self.error(s, "sh:languageIn members must be strings")),
                }
            }
            out.push(ValueCheck::LanguageIn(langs));
        }
        Ok(out)
    }

    fn node_shape(&self, s: NamedOrBlankNodeRef<'_>) -> Result<Option<NodeShape>> {
        self.only(
            s,
            &[
                "targetClass",
                "targetNode",
                "targetSubjectsOf",
                "targetObjectsOf",
                "property",
            ],
        )?;
        if self.deactivated(s)? {
            return Ok(None);
        }
        let mut targets = Vec::new();
        for t in self.objects(s, "targetClass") {
            targets.push(Target::Class(self.iri(s, "targetClass", &t)?));
        }
        for t in self.objects(s, "targetNode") {
            targets.push(Target::Node(t));
        }
        for t in self.objects(s, "targetSubjectsOf") {
            targets.push(Target::SubjectsOf(self.iri(s, "targetSubjectsOf", &t)?));
        }
        for t in self.objects(s, "targetObjectsOf") {
            targets.push(Target::ObjectsOf(self.iri(s, "targetObjectsOf", &t)?));
        }
        // Implicit class target: a shape that is also a class.
        if let NamedOrBlankNodeRef::NamedNode(n) = s {
            let is_class = [format!("{RDFS}Class"), format!("{OWL}Class")]
                .iter()
                .any(|c| {
                    self.graph.contains(oxigraph::model::TripleRef::new(
                        s,
                        rdf::TYPE,
                        &NamedNode::new_unchecked(c.as_str()),
                    ))
                });
            if is_class {
                targets.push(Target::Class(n.into_owned()));
            }
        }
        let mut checks = self.value_checks(s)?;
        for t in self.objects(s, "hasValue") {
            checks.push(ValueCheck::HasValue(t));
        }
        let mut properties = Vec::new();
        for p in self.objects(s, "property") {
            let node = match &p {
                Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
                Term::BlankNode(b) => NamedOrBlankNodeRef::from(b.as_ref()),
                Term::Literal(_) => return Err(self.error(s, "sh:property must be a shape")),
            };
            if let Some(ps) = self.property_shape(node)? {
                properties.push(ps);
            }
        }
        Ok(Some(NodeShape {
            id: s.to_string(),
            targets,
            checks,
            properties,
            message: self.message(s),
            severity: self.severity(s)?,
        }))
    }

    fn property_shape(&self, s: NamedOrBlankNodeRef<'_>) -> Result<Option<PropertyShape>> {
        self.only(
            s,
            &[
                "path",
                "minCount",
                "maxCount",
                "uniqueLang",
                "qualifiedValueShape",
                "qualifiedMinCount",
                "qualifiedMaxCount",
                "qualifiedValueShapesDisjoint",
            ],
        )?;
        if self.deactivated(s)? {
            return Ok(None);
        }
        let path = match self.one(s, "path")? {
            Some(Term::NamedNode(p)) => Path::Predicate(p),
            Some(Term::BlankNode(b)) => {
                let node = NamedOrBlankNodeRef::from(b.as_ref());
                self.only(node, &["inversePath"])?;
                match self.one(node, "inversePath")? {
                    Some(Term::NamedNode(p)) => Path::Inverse(p),
                    _ => {
                        return Err(self.error(
                            s,
                            "unsupported sh:path (only a predicate or [ sh:inversePath predicate ])",
                        ));
                    }
                }
            }
            _ => return Err(self.error(s, "a property shape needs one sh:path")),
        };
        let mut checks: Vec<Check> = self
            .value_checks(s)?
            .into_iter()
            .map(Check::Value)
            .collect();
        for t in self.objects(s, "hasValue") {
            checks.push(Check::HasValue(t));
        }
        if let Some(n) = self.count(s, "minCount")? {
            checks.push(Check::MinCount(n));
        }
        if let Some(n) = self.count(s, "maxCount")? {
            checks.push(Check::MaxCount(n));
        }
        if matches!(self.one(s, "uniqueLang")?, Some(Term::Literal(l)) if l.value() == "true") {
            checks.push(Check::UniqueLang);
        }
        if matches!(self.one(s, "qualifiedValueShapesDisjoint")?, Some(Term::Literal(l)) if l.value() == "true")
        {
            return Err(self.error(
                s,
                "unsupported SHACL construct sh:qualifiedValueShapesDisjoint true",
            ));
        }
        if let Some(q) = self.one(s, "qualifiedValueShape")? {
            let node = match &q {
                Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
                Term::BlankNode(b) => NamedOrBlankNodeRef::from(b.as_ref()),
                Term::Literal(_) => {
                    return Err(self.error(s, "sh:qualifiedValueShape must be a shape"));
                }
            };
            self.only(node, VALUE_CONSTRAINTS)?;
            let mut qchecks = self.value_checks(node)?;
            for t in self.objects(node, "hasValue") {
                qchecks.push(ValueCheck::HasValue(t));
            }
            let (min, max) = (
                self.count(s, "qualifiedMinCount")?,
                self.count(s, "qualifiedMaxCount")?,
            );
            if min.is_none() && max.is_none() {
                return Err(self.error(
                    s,
                    "sh:qualifiedValueShape without sh:qualifiedMinCount or sh:qualifiedMaxCount",
                ));
            }
            checks.push(Check::Qualified {
                checks: qchecks,
                min,
                max,
            });
        }
        Ok(Some(PropertyShape {
            path,
            checks,
            message: self.message(s),
            severity: self.severity(s)?,
        }))
    }
}

/// Runs a SELECT query with the union of all graphs as the default graph;
/// each row holds the values of the projected variables in order.
fn select(store: &OxStore, text: &str) -> Result<Vec<Vec<Option<Term>>>> {
    let mut q = SparqlEvaluator::new()
        .parse_query(text)
        .map_err(|e| Error::Query(format!("{e} in generated query {text}")))?;
    q.dataset_mut().set_default_graph_as_union();
    let results = q
        .on_store(store)
        .execute()
        .map_err(|e| Error::Query(e.to_string()))?;
    let QueryResults::Solutions(rows) = results else {
        return Err(Error::Query("generated query is not a SELECT".into()));
    };
    let vars: Vec<String> = rows
        .variables()
        .iter()
        .map(|v| v.as_str().to_string())
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let row = row.map_err(|e| Error::Query(e.to_string()))?;
        out.push(vars.iter().map(|v| row.get(v.as_str()).cloned()).collect());
    }
    Ok(out)
}

impl NodeShape {
    /// A group graph pattern binding `?this` to each focus node once.
    fn target_pattern(&self) -> String {
        if self.targets.is_empty() {
            return "FILTER(false)".into();
        }
        let alts: Vec<String> = self
            .targets
            .iter()
            .map(|t| match t {
                Target::Class(c) => format!("{{ ?this a/<{RDFS}subClassOf>* {c} }}"),
                Target::Node(n) => format!("{{ VALUES ?this {{ {n} }} }}"),
                Target::SubjectsOf(p) => format!("{{ ?this {p} ?_t }}"),
                Target::ObjectsOf(p) => format!("{{ ?_t {p} ?this }}"),
            })
            .collect();
        format!(
            "{{ SELECT DISTINCT ?this WHERE {{ {} }} }}",
            alts.join(" UNION ")
        )
    }

    fn validate(&self, store: &OxStore, out: &mut Vec<Violation>) -> Result<()> {
        let target = self.target_pattern();
        let result = |focus: Term,
                      path: Option<Path>,
                      component: &'static str,
                      detail: String,
                      message: &Option<String>,
                      severity: &str| Violation {
            focus,
            path,
            component,
            message: match message {
                Some(m) => format!("{m} ({detail})"),
                None => detail,
            },
            severity: severity.to_string(),
            shape: self.id.clone(),
        };
        for c in &self.checks {
            let q = format!(
                "SELECT DISTINCT ?this WHERE {{ {target} FILTER(!({})) }}",
                c.expr("?this")
            );
            for row in select(store, &q)? {
                if let Some(focus) = row[0].clone() {
                    let detail = format!("the node is {}", c.describe());
                    out.push(result(
                        focus,
                        None,
                        c.component(),
                        detail,
                        &self.message,
                        &self.severity,
                    ));
                }
            }
        }
        for p in &self.properties {
            let message = p.message.as_ref().or(self.message.as_ref()).cloned();
            let along = p.path.pattern("?this", "?v");
            let path_name = match &p.path {
                Path::Predicate(n) => short_iri(n),
                Path::Inverse(n) => format!("^{}", short_iri(n)),
            };
            for c in &p.checks {
                let (q, component) = match c {
                    Check::Value(v) => (
                        format!(
                            "SELECT DISTINCT ?this ?v WHERE {{ {target} {along} FILTER(!({})) }}",
                            v.expr("?v")
                        ),
                        v.component(),
                    ),
                    Check::HasValue(t) => (
                        format!(
                            "SELECT DISTINCT ?this WHERE {{ {target} FILTER NOT EXISTS {{ {} }} }}",
                            p.path.pattern("?this", &t.to_string())
                        ),
                        "HasValueConstraintComponent",
                    ),
                    Check::MinCount(n) => (
                        format!(
                            "SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} OPTIONAL {{ {along} }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
                        ),
                        "MinCountConstraintComponent",
                    ),
                    Check::MaxCount(n) => (
                        format!(
                            "SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} {along} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})"
                        ),
                        "MaxCountConstraintComponent",
                    ),
                    Check::UniqueLang => (
                        format!(
                            "SELECT ?this ?lang WHERE {{ {target} {along} FILTER(isLiteral(?v) && lang(?v) != \"\") BIND(LCASE(lang(?v)) AS ?lang) }} GROUP BY ?this ?lang HAVING (COUNT(DISTINCT ?v) > 1)"
                        ),
                        "UniqueLangConstraintComponent",
                    ),
                    Check::Qualified { checks, min, max } => {
                        let all: Vec<String> = checks.iter().map(|v| v.expr("?v")).collect();
                        let fits = if all.is_empty() {
                            "true".to_string()
                        } else {
                            all.join(" && ")
                        };
                        let mut having = Vec::new();
                        if let Some(n) = min {
                            having.push(format!("?n < {n}"));
                        }
                        if let Some(n) = max {
                            having.push(format!("?n > {n}"));
                        }
                        let q = format!(
                            "SELECT ?this ?n WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} OPTIONAL {{ {along} FILTER({fits}) }} }} GROUP BY ?this }} FILTER({}) }}",
                            having.join(" || ")
                        );
                        for row in select(store, &q)? {
                            let Some(focus) = row[0].clone() else {
                                continue;
                            };
                            let n = count_of(&row[1]);
                            let component = if min.is_some_and(|m| n < m) {
                                "QualifiedMinCountConstraintComponent"
                            } else {
                                "QualifiedMaxCountConstraintComponent"
                            };
                            let wanted: Vec<String> = checks
                                .iter()
                                .map(|v| v.describe().replacen("not ", "", 1))
                                .collect();
                            let detail = format!(
                                "{n} value(s) of {path_name} that are {}; wanted {}{}",
                                wanted.join(" and "),
                                min.map(|m| format!("at least {m}")).unwrap_or_default(),
                                max.map(|m| format!(
                                    "{}at most {m}",
                                    if min.is_some() { ", " } else { "" }
                                ))
                                .unwrap_or_default()
                            );
                            out.push(result(
                                focus,
                                Some(p.path.clone()),
                                component,
                                detail,
                                &message,
                                &p.severity,
                            ));
                        }
                        continue;
                    }
                };
                for row in select(store, &q)? {
                    let Some(focus) = row[0].clone() else {
                        continue;
                    };
                    let detail = match c {
                        Check::Value(v) => format!(
                            "value {} of {path_name} is {}",
                            row[1].as_ref().map(short).unwrap_or_default(),
                            v.describe()
                        ),
                        Check::HasValue(t) => format!("no value {} of {path_name}", short(t)),
                        Check::MinCount(n) => format!(
                            "{} value(s) of {path_name}; at least {n} required",
                            count_of(&row[1])
                        ),
                        Check::MaxCount(n) => format!(
                            "{} values of {path_name}; at most {n} allowed",
                            count_of(&row[1])
                        ),
                        Check::UniqueLang => format!(
                            "more than one value of {path_name} in language {}",
                            row[1]
                                .as_ref()
                                .map(|t| match t {
                                    Term::Literal(l) => l.value().to_string(),
                                    t => t.to_string(),
                                })
                                .unwrap_or_default()
                        ),
                        Check::Qualified { .. } => unreachable!("handled above"),
                    };
                    out.push(result(
                        focus,
                        Some(p.path.clone()),
                        component,
                        detail,
                        &message,
                        &p.severity,
                    ));
                }
            }
        }
        Ok(())
    }
}

fn count_of(t: &Option<Term>) -> u64 {
    match t {
        Some(Term::Literal(l)) => l.value().parse().unwrap_or(0),
        _ => 0,
    }
}

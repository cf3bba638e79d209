//! From documents and their facts to RDF quads: one named graph per source
//! document, one for the descriptions of the entities they mention, one for
//! the ontology.
//!
//! Each relation fact is asserted (`s p o`) and reified as an `rdf:Statement`
//! whose `pg:evidence` are W3C Web Annotations: the annotation's body is the
//! statement, its target the span of the source file, selected by an
//! `oa:TextPositionSelector` (character offsets in the original file) and an
//! `oa:TextQuoteSelector` (the exact text), with `pg:rule` naming the rule or
//! lexicon entry and `prov:wasDerivedFrom` the paragraph.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::vocab::{rdf, xsd};
use std::io::Write;

use hashbrown::HashTable;
use oxigraph::model::{Literal, LiteralRef, NamedNode, Term, TermRef};
use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::extract::{CitedDocument, Extraction, Extractor, document_iri};
use crate::fact::{Evidence, Fact};
use crate::ontology::{Class, DataSource};
use crate::vocab::{DCTERMS, EU_AUTHORITY, ID, OA, PG, PROV, SKOS, ontology_graph};

/// One named graph held in memory: its name and its triples as N-Triples
/// text, each once.
#[derive(Debug, Default)]
pub struct Graph {
    /// The graph's IRI.
    pub name: String,
    pub ntriples: String,
    /// Number of triples (quads, with the graph name).
    pub quads: usize,
}

/// Writes the triples of one named graph as N-Triples lines to `out` as they
/// are made, dropping repeats: a document's graph goes straight into its part
/// file, so memory holds neither the graph's text nor a `Quad` per triple
/// (a 6 MB document makes 175 MB of text). Repeats are known by a 128-bit
/// hash of each line written (16 bytes a line; a collision, which would drop
/// a triple, is as likely as two random UUIDs being equal).
pub struct QuadSink<W: Write> {
    name: String,
    out: W,
    quads: usize,
    line: String,
    seen: HashTable<u128>,
    /// Inside [`QuadSink::unique`]: lines skip the repeat check.
    known_unique: bool,
    /// The first write error; reported by [`QuadSink::finish`].
    error: Option<std::io::Error>,
}

/// The object of a quad, written without building an oxigraph term.
enum Object<'a> {
    Iri(&'a str),
    Term(TermRef<'a>),
}

fn nn(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

impl QuadSink<Vec<u8>> {
    /// A sink that keeps the graph in memory.
    pub fn in_memory(graph: &str) -> QuadSink<Vec<u8>> {
        QuadSink::new(graph, Vec::new())
    }

    /// The graph written.
    pub fn into_graph(self) -> Graph {
        let name = self.name.clone();
        let (out, quads) = self.finish().expect("writing to memory");
        Graph {
            name,
            ntriples: String::from_utf8(out).expect("N-Triples written from str"),
            quads,
        }
    }
}

impl<W: Write> QuadSink<W> {
    /// A sink writing the triples of graph `graph` to `out`.
    pub fn new(graph: &str, out: W) -> QuadSink<W> {
        QuadSink {
            name: graph.to_string(),
            out,
            quads: 0,
            line: String::new(),
            seen: HashTable::new(),
            known_unique: false,
            error: None,
        }
    }

    /// Runs `f` with writes the caller knows are never made again (nor were
    /// before): they skip the repeat check and take no memory, which keeps
    /// a huge document's sink small (most of a graph is such lines: one
    /// statement per fact, one annotation per evidence). Debug builds check
    /// every line anyway and panic on a repeat.
    pub fn unique<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let outer = std::mem::replace(&mut self.known_unique, true);
        let r = f(self);
        self.known_unique = outer;
        r
    }

    /// The writer and the number of triples written, or the first write
    /// error.
    pub fn finish(self) -> std::io::Result<(W, usize)> {
        match self.error {
            Some(e) => Err(e),
            None => Ok((self.out, self.quads)),
        }
    }

    fn write(&mut self, s: &str, p: &str, o: Object<'_>) {
        use std::fmt::Write;
        let line = &mut self.line;
        line.clear();
        line.push('<');
        line.push_str(s);
        line.push_str("> <");
        line.push_str(p);
        line.push_str("> ");
        match o {
            Object::Iri(o) => {
                line.push('<');
                line.push_str(o);
                line.push('>');
            }
            Object::Term(TermRef::Literal(l)) => {
                push_quoted(line, l.value());
                if let Some(lang) = l.language() {
                    line.push('@');
                    line.push_str(lang);
                } else if l.datatype() != xsd::STRING {
                    line.push_str("^^<");
                    line.push_str(l.datatype().as_str());
                    line.push('>');
                }
            }
            Object::Term(t) => {
                write!(line, "{t}").expect("writing to a String");
            }
        }
        line.push_str(" .\n");
        if !(self.known_unique && cfg!(not(debug_assertions))) {
            let hash = twox_hash::XxHash3_128::oneshot(line.as_bytes());
            let low = hash as u64;
            if self.seen.find(low, |&h| h == hash).is_some() {
                debug_assert!(!self.known_unique, "a line known unique repeats: {line}");
                return;
            }
            self.seen.insert_unique(low, hash, |&h| h as u64);
        }
        self.quads += 1;
        if self.error.is_none()
            && let Err(e) = self.out.write_all(line.as_bytes())
        {
            self.error = Some(e);
        }
    }

    fn add(&mut self, s: &str, p: &str, o: impl Into<Term>) {
        let o = o.into();
        self.write(s, p, Object::Term(o.as_ref()));
    }

    fn iri(&mut self, s: &str, p: &str, o: &str) {
        self.write(s, p, Object::Iri(o));
    }

    fn literal(&mut self, s: &str, p: &str, o: LiteralRef<'_>) {
        self.write(s, p, Object::Term(TermRef::Literal(o)));
    }

    fn string(&mut self, s: &str, p: &str, o: &str) {
        self.literal(s, p, LiteralRef::new_simple_literal(o));
    }

    fn lang(&mut self, s: &str, p: &str, o: &str, lang: &str) {
        match Literal::new_language_tagged_literal(o, lang) {
            Ok(l) => self.literal(s, p, l.as_ref()),
            Err(_) => self.string(s, p, o),
        }
    }

    fn int(&mut self, s: &str, p: &str, o: usize) {
        let value = o.to_string();
        self.literal(s, p, LiteralRef::new_typed_literal(&value, xsd::INTEGER));
    }
}

/// Appends `value` as an N-Triples string literal, escaped as Oxigraph
/// escapes it (`oxrdf::literal::print_quoted_str`), copying the runs that need
/// no escape at once (paragraph texts are long).
fn push_quoted(line: &mut String, value: &str) {
    use std::fmt::Write;
    line.push('"');
    let mut rest = value;
    loop {
        // Escapes start at ASCII controls, `"`, `\\`, DEL, or U+FFFE/U+FFFF
        // (UTF-8 EF BF BE/BF).
        let stop = rest
            .bytes()
            .position(|b| b < 0x20 || b == b'"' || b == b'\\' || b == 0x7f || b == 0xef);
        let Some(i) = stop else {
            line.push_str(rest);
            break;
        };
        line.push_str(&rest[..i]);
        let c = rest[i..].chars().next().expect("a char starts here");
        match c {
            '\u{8}' => line.push_str("\\b"),
            '\t' => line.push_str("\\t"),
            '\n' => line.push_str("\\n"),
            '\u{C}' => line.push_str("\\f"),
            '\r' => line.push_str("\\r"),
            '"' => line.push_str("\\\""),
            '\\' => line.push_str("\\\\"),
            '\0'..='\u{1F}' | '\u{7F}' | '\u{FFFE}' | '\u{FFFF}' => {
                write!(line, "\\u{:04X}", u32::from(c)).expect("writing to a String");
            }
            _ => line.push(c),
        }
        rest = &rest[i + c.len_utf8()..];
    }
    line.push('"');
}

/// Short stable hash (hex) of a string, for IRIs of facts.
pub fn short_hash(s: &str) -> String {
    let digest = Sha256::digest(s.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a document's bytes, hex.
pub fn content_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Character offsets from byte offsets, with a sparse index (one entry every
/// 512 bytes) so that many look-ups in a large file stay cheap.
pub struct CharIndex<'a> {
    text: &'a str,
    marks: Vec<usize>,
}

const CHAR_INDEX_STEP: usize = 512;

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> CharIndex<'a> {
        let mut marks = vec![0];
        let mut next = CHAR_INDEX_STEP;
        for (chars, (i, _)) in text.char_indices().enumerate() {
            while i >= next {
                marks.push(chars);
                next += CHAR_INDEX_STEP;
            }
        }
        CharIndex { text, marks }
    }

    /// Character offset of byte offset `byte` (a char boundary).
    pub fn char_offset(&self, byte: usize) -> usize {
        let byte = byte.min(self.text.len());
        let block = byte / CHAR_INDEX_STEP;
        let (base_byte, base_chars) = match self.marks.get(block) {
            Some(&c) => (block * CHAR_INDEX_STEP, c),
            None => (0, 0),
        };
        // `base_byte` may fall inside a character: the mark counts the
        // characters before the next boundary, so count from there.
        let mut start = base_byte;
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        base_chars + self.text[start..byte.max(start)].chars().count()
    }
}

/// The quads of one source document's named graph.
pub fn document_quads<W: Write>(doc: &Document, ex: &Extraction, g: &mut QuadSink<W>) {
    let doc_iri = document_iri(&doc.key);
    let pg = |l: &str| format!("{PG}{l}");
    let dc = |l: &str| format!("{DCTERMS}{l}");
    g.iri(&doc_iri, rdf::TYPE.as_str(), &pg("SourceDocument"));
    g.string(&doc_iri, &dc("source"), &doc.path.to_string_lossy());
    g.string(&doc_iri, &pg("contentHash"), &content_hash(&doc.text));
    g.add(
        &doc_iri,
        &dc("language"),
        Literal::new_typed_literal(doc.lang(), xsd::LANGUAGE),
    );
    let lang_auth = crate::vocab::language_authority(doc.lang());
    if let Some(code) = lang_auth {
        g.iri(
            &doc_iri,
            &pg("languageAuthority"),
            &format!("{EU_AUTHORITY}language/{code}"),
        );
    }
    g.add(
        &doc_iri,
        &pg("languageDetected"),
        Literal::new_typed_literal(
            if doc.language_forced { "false" } else { "true" },
            xsd::BOOLEAN,
        ),
    );
    g.add(
        &doc_iri,
        &pg("languageSure"),
        Literal::new_typed_literal(doc.language.sure.to_string(), xsd::BOOLEAN),
    );
    let m = &doc.metadata;
    let work = m
        .identifier
        .as_ref()
        .map(|id| format!("{ID}work/{}", id.slug()));
    if let (Some(id), Some(work)) = (&m.identifier, &work) {
        g.string(&doc_iri, &dc("identifier"), &id.canonical);
        g.iri(work, rdf::TYPE.as_str(), &pg("Work"));
        g.string(work, &dc("identifier"), &id.canonical);
        g.iri(
            work,
            "http://data.europa.eu/eli/ontology#is_realized_by",
            &doc_iri,
        );
        g.iri(
            &doc_iri,
            "http://data.europa.eu/eli/ontology#realizes",
            work,
        );
    }
    if let Some(date) = m.date {
        g.add(
            &doc_iri,
            &dc("date"),
            Literal::new_typed_literal(date.to_string(), xsd::DATE),
        );
    }
    if let Some(title) = &m.title {
        g.lang(&doc_iri, &dc("title"), title, doc.lang());
    }
    g.string(&doc_iri, &pg("documentType"), &format!("{:?}", m.doc_type));

    let mut facts_out = FactWriter::new(doc, &doc_iri);
    let chars = &facts_out.chars;
    for p in &doc.paragraphs {
        let piri = format!("{doc_iri}/p{}", p.index);
        g.unique(|g| {
            g.iri(&piri, rdf::TYPE.as_str(), &pg("Paragraph"));
            g.iri(&piri, &dc("isPartOf"), &doc_iri);
            g.string(&piri, &pg("kind"), p.kind.as_str());
            g.int(&piri, &pg("index"), p.index);
            if let Some(label) = &p.label {
                g.string(&piri, &pg("label"), label);
            }
            g.int(&piri, &iris().start, chars.char_offset(p.original.start));
            g.int(&piri, &iris().end, chars.char_offset(p.original.end));
            g.string(&piri, rdf::VALUE.as_str(), &p.text);
        });
        // A footnote may be referred to twice from one paragraph.
        for r in &p.footnote_refs {
            if let Some(f) = r.footnote {
                g.iri(&piri, &pg("footnote"), &format!("{doc_iri}/p{f}"));
            }
        }
    }

    // Group evidence by fact.
    let mut by_fact: BTreeMap<(&str, &str, String), Vec<&Fact>> = BTreeMap::new();
    for f in &ex.facts {
        by_fact
            .entry((&f.subject, &f.object, f.predicate.iri()))
            .or_default()
            .push(f);
    }
    for ((s, o, p), facts) in by_fact {
        g.unique(|g| g.iri(s, &p, o));
        let evidence: Vec<&Evidence> = facts.iter().map(|f| &f.evidence).collect();
        let stmt = facts_out.statement(g, (s, &p, nn(o).into()), &evidence);
        if let Some(work) = &work {
            work_fact(g, work, &doc_iri, doc.lang(), (s, &p, o), &stmt);
        }
        let frameworks: BTreeSet<&str> = facts
            .iter()
            .filter_map(|f| f.framework.as_deref())
            .collect();
        for fw in frameworks {
            let r = format!(
                "{ID}partnership/{}--{}--{}",
                slug(s),
                slug(o),
                fw.to_lowercase()
            );
            g.iri(&r, rdf::TYPE.as_str(), &pg("Partnership"));
            g.iri(&r, &pg("party"), s);
            g.iri(&r, &pg("party"), o);
            g.iri(&r, &pg("framework"), &pg(fw));
            g.iri(&r, &format!("{PROV}wasDerivedFrom"), &stmt);
        }
    }
    // Attributes, with their evidence, one statement per value.
    let mut by_attr: BTreeMap<(&str, &str, String), Vec<&Evidence>> = BTreeMap::new();
    for a in &ex.attributes {
        by_attr
            .entry((&a.subject, a.name, format!("{}", a.value)))
            .or_default()
            .push(&a.evidence);
    }
    for ((s, name, value), evidence) in by_attr {
        let lit = Literal::new_typed_literal(value, xsd::DECIMAL);
        g.unique(|g| g.add(s, &pg(name), lit.clone()));
        facts_out.statement(g, (s, &pg(name), lit.into()), &evidence);
    }
}

/// The part of an IRI after `id/`, made one segment (`country-jpn`).
/// The fact `(s, p, o)` of a language version attached to its work: one node
/// per work and fact (the same IRI from every version, so the versions'
/// graphs together say which languages support it), with `pg:supportedBy`
/// the version's statement and `dcterms:language` the version's language.
/// What the version says of itself (mentions, cites) the work says.
fn work_fact<W: Write>(
    g: &mut QuadSink<W>,
    work: &str,
    doc_iri: &str,
    lang: &str,
    (s, p, o): (&str, &str, &str),
    stmt: &str,
) {
    let subject = if s == doc_iri { work } else { s };
    let node = format!("{work}/fact/{}", short_hash(&format!("{subject} {p} {o}")));
    let v = iris();
    g.iri(&node, rdf::TYPE.as_str(), &v.work_fact);
    g.iri(&node, rdf::SUBJECT.as_str(), subject);
    g.iri(&node, rdf::PREDICATE.as_str(), p);
    g.iri(&node, rdf::OBJECT.as_str(), o);
    g.iri(&node, &v.work, work);
    g.iri(&node, &v.supported_by, stmt);
    g.literal(
        &node,
        &v.language,
        LiteralRef::new_typed_literal(lang, xsd::LANGUAGE),
    );
}

fn slug(iri: &str) -> String {
    iri.strip_prefix(ID).unwrap_or(iri).replace('/', "-")
}

/// IRIs written for every fact and evidence, made once.
struct Iris {
    derived_from: String,
    evidence: String,
    evidence_class: String,
    has_body: String,
    rule: String,
    has_target: String,
    has_source: String,
    has_selector: String,
    position_selector: String,
    start: String,
    end: String,
    quote_selector: String,
    exact: String,
    work_fact: String,
    work: String,
    supported_by: String,
    language: String,
}

fn iris() -> &'static Iris {
    static IRIS: std::sync::LazyLock<Iris> = std::sync::LazyLock::new(|| Iris {
        derived_from: format!("{PROV}wasDerivedFrom"),
        evidence: format!("{PG}evidence"),
        evidence_class: format!("{PG}Evidence"),
        has_body: format!("{OA}hasBody"),
        rule: format!("{PG}rule"),
        has_target: format!("{OA}hasTarget"),
        has_source: format!("{OA}hasSource"),
        has_selector: format!("{OA}hasSelector"),
        position_selector: format!("{OA}TextPositionSelector"),
        start: format!("{OA}start"),
        end: format!("{OA}end"),
        quote_selector: format!("{OA}TextQuoteSelector"),
        exact: format!("{OA}exact"),
        work_fact: format!("{PG}WorkFact"),
        work: format!("{PG}work"),
        supported_by: format!("{PG}supportedBy"),
        language: format!("{DCTERMS}language"),
    });
    &IRIS
}

/// Writes the statements of one document's facts with their evidence.
struct FactWriter<'a> {
    doc: &'a Document,
    doc_iri: &'a str,
    chars: CharIndex<'a>,
    /// Short hash of each rule name, for evidence IRIs.
    rule_tags: HashMap<&'a str, String>,
    /// Hashes of the IRIs of the annotations written (an annotation serves
    /// every fact its rule found in its span).
    annotated: HashSet<u128>,
}

impl<'a> FactWriter<'a> {
    fn new(doc: &'a Document, doc_iri: &'a str) -> FactWriter<'a> {
        FactWriter {
            doc,
            doc_iri,
            chars: CharIndex::new(&doc.text),
            rule_tags: HashMap::new(),
            annotated: HashSet::new(),
        }
    }

    /// Reifies `s p o` as an `rdf:Statement` with one Web Annotation per
    /// evidence; returns the statement's IRI.
    fn statement<W: Write>(
        &mut self,
        g: &mut QuadSink<W>,
        (s, p, o): (&str, &str, Term),
        evidence: &[&'a Evidence],
    ) -> String {
        let v = iris();
        let (doc, doc_iri) = (self.doc, self.doc_iri);
        let stmt = format!(
            "{ID}fact/{}/{}",
            doc.key,
            short_hash(&format!("{s} {p} {o}"))
        );
        // One statement per fact, one link each way per evidence, one
        // annotation per evidence of the document: lines never repeated.
        g.unique(|g| {
            g.iri(&stmt, rdf::TYPE.as_str(), rdf::STATEMENT.as_str());
            g.iri(&stmt, rdf::SUBJECT.as_str(), s);
            g.iri(&stmt, rdf::PREDICATE.as_str(), p);
            g.add(&stmt, rdf::OBJECT.as_str(), o);
            g.iri(&stmt, &v.derived_from, doc_iri);
            let mut seen = BTreeSet::new();
            let mut node = String::new();
            for e in evidence {
                if !seen.insert((e.start, e.end, e.rule.as_str())) {
                    continue;
                }
                let tag = self
                    .rule_tags
                    .entry(e.rule.as_str())
                    .or_insert_with(|| short_hash(&e.rule)[..8].to_string());
                let ev = format!("{ID}evidence/{}/{}-{}-{tag}", doc.key, e.start, e.end);
                g.iri(&stmt, &v.evidence, &ev);
                g.iri(&ev, &v.has_body, &stmt);
                if !self
                    .annotated
                    .insert(twox_hash::XxHash3_128::oneshot(ev.as_bytes()))
                {
                    continue;
                }
                g.iri(&ev, rdf::TYPE.as_str(), &v.evidence_class);
                g.string(&ev, &v.rule, &e.rule);
                node.clear();
                node.push_str(doc_iri);
                node.push_str("/p");
                node.push_str(&e.paragraph.to_string());
                g.iri(&ev, &v.derived_from, &node);
                let target = format!("{ev}#target");
                g.iri(&ev, &v.has_target, &target);
                g.iri(&target, &v.has_source, doc_iri);
                node.clear();
                node.push_str(&ev);
                node.push_str("#position");
                g.iri(&target, &v.has_selector, &node);
                g.iri(&node, rdf::TYPE.as_str(), &v.position_selector);
                g.int(&node, &v.start, self.chars.char_offset(e.start));
                g.int(&node, &v.end, self.chars.char_offset(e.end));
                node.clear();
                node.push_str(&ev);
                node.push_str("#quote");
                g.iri(&target, &v.has_selector, &node);
                g.iri(&node, rdf::TYPE.as_str(), &v.quote_selector);
                g.string(&node, &v.exact, doc.text.get(e.start..e.end).unwrap_or(""));
            }
        });
        stmt
    }
}

/// Descriptions of every entity the documents mention or relate: class,
/// English label, names per language, authority links.
pub fn entity_quads(
    extractor: &Extractor,
    used: &BTreeSet<String>,
    cited: &BTreeMap<String, Vec<CitedDocument>>,
) -> Graph {
    let mut g = QuadSink::in_memory(&crate::vocab::entities_graph());
    let pref = format!("{SKOS}prefLabel");
    let alt = format!("{SKOS}altLabel");
    let mut described: BTreeSet<String> = BTreeSet::new();
    for (i, e) in extractor.lexicon.entities.iter().enumerate() {
        let iri = extractor.entity_iri(i);
        if !used.contains(iri) {
            continue;
        }
        described.insert(iri.to_string());
        g.iri(iri, rdf::TYPE.as_str(), &e.class.iri());
        g.lang(iri, &pref, &e.label, "en");
        let mut seen = BTreeSet::new();
        seen.insert(("en".to_string(), e.label.clone()));
        for (lang, names) in &e.names {
            for n in names {
                if seen.insert((lang.clone(), n.clone())) {
                    g.lang(iri, &alt, n, lang);
                }
            }
        }
        if let Some(a) = &e.authority {
            g.iri(
                iri,
                &format!("{SKOS}exactMatch"),
                &format!("{EU_AUTHORITY}{a}"),
            );
        }
        if let Some(iso) = &e.iso {
            g.string(iri, &format!("{SKOS}notation"), iso);
        }
        if let Some(id) = &e.identifier {
            g.string(iri, &format!("{DCTERMS}identifier"), id);
        }
    }
    for (iri, forms) in cited {
        let Some(c) = forms.first() else {
            continue;
        };
        if !described.contains(iri) {
            g.iri(iri, rdf::TYPE.as_str(), &Class::Document.iri());
            g.lang(iri, &pref, &c.label, "en");
            if let Some(id) = &c.identifier {
                g.string(iri, &format!("{DCTERMS}identifier"), id);
            }
        }
        let mut printed: BTreeSet<&str> = BTreeSet::new();
        for f in forms {
            printed.extend(f.printed.iter().map(String::as_str));
        }
        for p in printed {
            g.string(iri, &alt, p);
        }
        if let Some(eli) = &c.eli {
            g.iri(iri, &format!("{SKOS}exactMatch"), eli);
        }
        if let Some(celex) = &c.celex {
            g.string(iri, &format!("{PG}celex"), celex);
        }
    }
    g.into_graph()
}

/// The ontology (`ontology/policygraph.ttl`) as quads in its own graph.
pub fn ontology_quads(source: &DataSource) -> Result<Graph> {
    let (path, text) = source.file("policygraph.ttl")?;
    let mut out = Graph {
        name: ontology_graph(),
        ..Graph::default()
    };
    for t in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(text.as_bytes())
    {
        let t = t.map_err(|e| Error::Input {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out.ntriples.push_str(&format!("{t} .\n"));
        out.quads += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line_of(o: LiteralRef<'_>) -> String {
        let mut g = QuadSink::in_memory("http://example.org/g");
        g.literal("http://example.org/s", "http://example.org/p", o);
        g.into_graph().ntriples
    }

    proptest! {
        /// Character offsets from the sparse index equal counting from the
        /// start, at every boundary, whatever the characters' widths.
        #[test]
        fn char_offsets_are_exact(text in "[a€é😀\u{0394}]{0,3000}") {
            let index = CharIndex::new(&text);
            for (chars, (byte, _)) in text.char_indices().enumerate() {
                prop_assert_eq!(index.char_offset(byte), chars, "byte {}", byte);
            }
            prop_assert_eq!(index.char_offset(text.len()), text.chars().count());
        }

        /// Literals are written as Oxigraph writes them, whatever they hold.
        #[test]
        fn literals_are_written_as_oxigraph_writes_them(
            value in "(\\PC|[\\x00-\\x1f\\x7f\"\\\\\u{fffe}\u{ffff}\u{feff}é€😀])*",
        ) {
            for lit in [
                Literal::new_simple_literal(&value),
                Literal::new_language_tagged_literal_unchecked(&value, "fr"),
                Literal::new_typed_literal(&value, xsd::INTEGER),
            ] {
                let expected = format!(
                    "<http://example.org/s> <http://example.org/p> {lit} .\n"
                );
                prop_assert_eq!(line_of(lit.as_ref()), expected);
            }
        }
    }
}

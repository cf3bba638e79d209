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

use std::collections::{BTreeMap, BTreeSet};

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, Quad, Term};
use sha2::{Digest, Sha256};

use crate::document::Document;
use crate::error::{Error, Result};
use crate::extract::{CitedDocument, Extraction, Extractor, document_iri};
use crate::fact::{Evidence, Fact};
use crate::ontology::{Class, DataSource};
use crate::vocab::{DCTERMS, EU_AUTHORITY, ID, OA, PG, PROV, SKOS, ontology_graph};

/// The N-Quads of one named graph, each quad once.
#[derive(Debug, Default)]
pub struct Graph {
    pub nquads: String,
    pub quads: usize,
}

/// Writes the quads of one named graph as N-Quads text, dropping repeats: a
/// document's graph goes straight to its part file, without a `Quad` object
/// per statement (a third of the memory and time of a build went there).
pub struct QuadSink {
    /// The graph name as written (`<iri>`).
    graph: String,
    out: Graph,
    /// 128-bit hashes of the lines written (a collision, which would drop a
    /// quad, is as likely as guessing a random UUID).
    seen: std::collections::HashSet<u128>,
}

fn nn(iri: &str) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn hash128(line: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let mut a = std::hash::DefaultHasher::new();
    let mut b = std::hash::DefaultHasher::new();
    0u8.hash(&mut b);
    line.hash(&mut a);
    line.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

impl QuadSink {
    pub fn new(graph: &str) -> QuadSink {
        QuadSink {
            graph: format!("<{graph}>"),
            out: Graph::default(),
            seen: std::collections::HashSet::new(),
        }
    }

    /// The graph written.
    pub fn finish(self) -> Graph {
        self.out
    }

    fn add(&mut self, s: &str, p: &str, o: impl Into<Term>) {
        let line = format!("<{s}> <{p}> {} {} .\n", o.into(), self.graph);
        if self.seen.insert(hash128(&line)) {
            self.out.nquads.push_str(&line);
            self.out.quads += 1;
        }
    }

    fn iri(&mut self, s: &str, p: &str, o: &str) {
        self.add(s, p, nn(o));
    }

    fn string(&mut self, s: &str, p: &str, o: &str) {
        self.add(s, p, Literal::new_simple_literal(o));
    }

    fn lang(&mut self, s: &str, p: &str, o: &str, lang: &str) {
        match Literal::new_language_tagged_literal(o, lang) {
            Ok(l) => self.add(s, p, l),
            Err(_) => self.string(s, p, o),
        }
    }

    fn int(&mut self, s: &str, p: &str, o: usize) {
        self.add(
            s,
            p,
            Literal::new_typed_literal(o.to_string(), xsd::INTEGER),
        );
    }
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
/// 4 KiB) so that many look-ups in a large file stay cheap.
pub struct CharIndex<'a> {
    text: &'a str,
    marks: Vec<usize>,
}

const CHAR_INDEX_STEP: usize = 4096;

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
        // `base_byte` may fall inside a character: count from the next boundary.
        let mut start = base_byte;
        while !self.text.is_char_boundary(start) {
            start += 1;
        }
        let extra = usize::from(start != base_byte);
        base_chars + extra + self.text[start..byte.max(start)].chars().count()
    }
}

/// The quads of one source document's named graph.
pub fn document_quads(doc: &Document, ex: &Extraction) -> Graph {
    let doc_iri = document_iri(&doc.key);
    let mut g = QuadSink::new(&format!("{ID}graph/{}", doc.key));
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

    let chars = CharIndex::new(&doc.text);
    for p in &doc.paragraphs {
        let piri = format!("{doc_iri}/p{}", p.index);
        g.iri(&piri, rdf::TYPE.as_str(), &pg("Paragraph"));
        g.iri(&piri, &dc("isPartOf"), &doc_iri);
        g.string(&piri, &pg("kind"), p.kind.as_str());
        g.int(&piri, &pg("index"), p.index);
        if let Some(label) = &p.label {
            g.string(&piri, &pg("label"), label);
        }
        g.int(
            &piri,
            &format!("{OA}start"),
            chars.char_offset(p.original.start),
        );
        g.int(
            &piri,
            &format!("{OA}end"),
            chars.char_offset(p.original.end),
        );
        g.string(&piri, rdf::VALUE.as_str(), &p.text);
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
        g.iri(s, &p, o);
        let evidence: Vec<&Evidence> = facts.iter().map(|f| &f.evidence).collect();
        let stmt = statement(
            &mut g,
            doc,
            &doc_iri,
            &chars,
            s,
            &p,
            nn(o).into(),
            &evidence,
        );
        if let Some(work) = &work {
            work_fact(&mut g, work, &doc_iri, doc.lang(), (s, &p, o), &stmt);
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
        g.add(s, &pg(name), lit.clone());
        statement(
            &mut g,
            doc,
            &doc_iri,
            &chars,
            s,
            &pg(name),
            lit.into(),
            &evidence,
        );
    }
    g.finish()
}

/// The part of an IRI after `id/`, made one segment (`country-jpn`).
/// The fact `(s, p, o)` of a language version attached to its work: one node
/// per work and fact (the same IRI from every version, so the versions'
/// graphs together say which languages support it), with `pg:supportedBy`
/// the version's statement and `dcterms:language` the version's language.
/// What the version says of itself (mentions, cites) the work says.
fn work_fact(
    g: &mut QuadSink,
    work: &str,
    doc_iri: &str,
    lang: &str,
    (s, p, o): (&str, &str, &str),
    stmt: &str,
) {
    let subject = if s == doc_iri { work } else { s };
    let node = format!("{work}/fact/{}", short_hash(&format!("{subject} {p} {o}")));
    g.iri(&node, rdf::TYPE.as_str(), &format!("{PG}WorkFact"));
    g.iri(&node, rdf::SUBJECT.as_str(), subject);
    g.iri(&node, rdf::PREDICATE.as_str(), p);
    g.iri(&node, rdf::OBJECT.as_str(), o);
    g.iri(&node, &format!("{PG}work"), work);
    g.iri(&node, &format!("{PG}supportedBy"), stmt);
    g.add(
        &node,
        &format!("{DCTERMS}language"),
        Literal::new_typed_literal(lang, xsd::LANGUAGE),
    );
}

fn slug(iri: &str) -> String {
    iri.strip_prefix(ID).unwrap_or(iri).replace('/', "-")
}

/// Reifies `s p o` as an `rdf:Statement` with one Web Annotation per evidence;
/// returns the statement's IRI.
#[allow(clippy::too_many_arguments)]
fn statement(
    g: &mut QuadSink,
    doc: &Document,
    doc_iri: &str,
    chars: &CharIndex<'_>,
    s: &str,
    p: &str,
    o: Term,
    evidence: &[&Evidence],
) -> String {
    let stmt = format!(
        "{ID}fact/{}/{}",
        doc.key,
        short_hash(&format!("{s} {p} {o}"))
    );
    g.iri(&stmt, rdf::TYPE.as_str(), rdf::STATEMENT.as_str());
    g.iri(&stmt, rdf::SUBJECT.as_str(), s);
    g.iri(&stmt, rdf::PREDICATE.as_str(), p);
    g.add(&stmt, rdf::OBJECT.as_str(), o);
    g.iri(&stmt, &format!("{PROV}wasDerivedFrom"), doc_iri);
    let mut seen = BTreeSet::new();
    for e in evidence {
        if !seen.insert((e.start, e.end, e.rule.as_str())) {
            continue;
        }
        let ev = format!(
            "{ID}evidence/{}/{}-{}-{}",
            doc.key,
            e.start,
            e.end,
            &short_hash(&e.rule)[..8]
        );
        g.iri(&stmt, &format!("{PG}evidence"), &ev);
        g.iri(&ev, rdf::TYPE.as_str(), &format!("{PG}Evidence"));
        g.iri(&ev, &format!("{OA}hasBody"), &stmt);
        g.string(&ev, &format!("{PG}rule"), &e.rule);
        g.iri(
            &ev,
            &format!("{PROV}wasDerivedFrom"),
            &format!("{doc_iri}/p{}", e.paragraph),
        );
        let target = format!("{ev}#target");
        g.iri(&ev, &format!("{OA}hasTarget"), &target);
        g.iri(&target, &format!("{OA}hasSource"), doc_iri);
        let pos = format!("{ev}#position");
        g.iri(&target, &format!("{OA}hasSelector"), &pos);
        g.iri(
            &pos,
            rdf::TYPE.as_str(),
            &format!("{OA}TextPositionSelector"),
        );
        g.int(&pos, &format!("{OA}start"), chars.char_offset(e.start));
        g.int(&pos, &format!("{OA}end"), chars.char_offset(e.end));
        let quote = format!("{ev}#quote");
        g.iri(&target, &format!("{OA}hasSelector"), &quote);
        g.iri(
            &quote,
            rdf::TYPE.as_str(),
            &format!("{OA}TextQuoteSelector"),
        );
        g.string(
            &quote,
            &format!("{OA}exact"),
            doc.text.get(e.start..e.end).unwrap_or(""),
        );
    }
    stmt
}

/// Descriptions of every entity the documents mention or relate: class,
/// English label, names per language, authority links.
pub fn entity_quads(
    extractor: &Extractor,
    used: &BTreeSet<String>,
    cited: &BTreeMap<String, Vec<CitedDocument>>,
) -> Graph {
    let mut g = QuadSink::new(&crate::vocab::entities_graph());
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
    g.finish()
}

/// The ontology (`ontology/policygraph.ttl`) as quads in its own graph.
pub fn ontology_quads(source: &DataSource) -> Result<Graph> {
    let (path, text) = source.file("policygraph.ttl")?;
    let graph = nn(&ontology_graph());
    let mut out = Graph::default();
    for t in oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
        .for_slice(text.as_bytes())
    {
        let t = t.map_err(|e| Error::Input {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let q = Quad::new(t.subject, t.predicate, t.object, graph.clone());
        out.nquads.push_str(&format!("{q} .\n"));
        out.quads += 1;
    }
    Ok(out)
}

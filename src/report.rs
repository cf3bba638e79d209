//! `stats` and `explain`: what the graph holds, counted, and what it knows
//! about one entity, with the evidence of each fact.

use std::io::Write;

use oxigraph::sparql::QueryResults;

use crate::error::{Error, Result};
use crate::query::{self, short, write_table};
use crate::store::Store;

/// Runs a SELECT and returns its rows as strings (compact terms).
pub fn select(store: &Store, sparql: &str) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    match query::run(store, sparql)? {
        QueryResults::Solutions(rows) => {
            let vars: Vec<String> = rows
                .variables()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect();
            let vs = rows.variables().to_vec();
            let mut out = Vec::new();
            for row in rows {
                let row = row.map_err(|e| Error::Query(e.to_string()))?;
                out.push(
                    vs.iter()
                        .map(|v| row.get(v).map(short).unwrap_or_default())
                        .collect(),
                );
            }
            Ok((vars, out))
        }
        _ => Err(Error::Query("expected a SELECT query".into())),
    }
}

fn section(out: &mut dyn Write, title: &str, store: &Store, sparql: &str) -> Result<()> {
    let (header, rows) = select(store, sparql)?;
    let io = |e: std::io::Error| Error::Other(format!("writing: {e}"));
    writeln!(out, "\n{title}").map_err(io)?;
    write_table(out, &header, &rows).map_err(io)
}

/// Prints counts per class, predicate, rule and document.
pub fn stats(store: &Store, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Other(format!("writing: {e}"));
    writeln!(
        out,
        "store: {} ({} quads)",
        store.path.display(),
        store.len()?
    )
    .map_err(io)?;
    section(
        out,
        "Entities per class",
        store,
        "SELECT ?class (COUNT(DISTINCT ?e) AS ?entities) WHERE { \
           GRAPH <https://w3id.org/policygraph/id/graph/entities> { ?e a ?class } } \
         GROUP BY ?class ORDER BY DESC(?entities) ?class",
    )?;
    section(
        out,
        "Facts per predicate",
        store,
        "SELECT ?predicate (COUNT(DISTINCT ?fact) AS ?facts) (COUNT(?ev) AS ?evidence) WHERE { \
           ?fact a rdf:Statement ; rdf:predicate ?predicate ; pg:evidence ?ev } \
         GROUP BY ?predicate ORDER BY ?predicate",
    )?;
    section(
        out,
        "Evidence per rule (top 30)",
        store,
        "SELECT ?rule (COUNT(?ev) AS ?evidence) WHERE { ?ev a pg:Evidence ; pg:rule ?r . \
           BIND(IF(STRSTARTS(?r, 'lexicon/'), 'lexicon/* (entity names)', ?r) AS ?rule) } \
         GROUP BY ?rule ORDER BY DESC(?evidence) LIMIT 30",
    )?;
    section(
        out,
        "Documents",
        store,
        "SELECT ?source ?lang ?identifier ?date (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?fact) AS ?facts) WHERE { \
           ?d a pg:SourceDocument ; dcterms:source ?source ; dcterms:language ?lang . \
           OPTIONAL { ?d dcterms:identifier ?identifier } OPTIONAL { ?d dcterms:date ?date } \
           OPTIONAL { ?d pg:mentions ?e } \
           OPTIONAL { ?fact a rdf:Statement ; prov:wasDerivedFrom ?d } } \
         GROUP BY ?source ?lang ?identifier ?date ORDER BY ?source",
    )?;
    section(
        out,
        "Works in several languages: facts by how many of their versions state them",
        store,
        "SELECT ?identifier ?languages ?supported_in (COUNT(DISTINCT ?wf) AS ?facts) WHERE { \
           { SELECT ?work (COUNT(DISTINCT ?v) AS ?versions) \
                    (GROUP_CONCAT(DISTINCT STR(?l); SEPARATOR=' ') AS ?languages) \
             WHERE { ?work eli:is_realized_by ?v . ?v dcterms:language ?l } GROUP BY ?work } \
           FILTER(?versions > 1) \
           ?work dcterms:identifier ?identifier . \
           { SELECT ?wf ?work (GROUP_CONCAT(DISTINCT STR(?fl); SEPARATOR=' ') AS ?found) \
                    (COUNT(DISTINCT ?fl) AS ?n) \
             WHERE { ?wf a pg:WorkFact ; pg:work ?work ; dcterms:language ?fl } GROUP BY ?wf ?work } \
           BIND(IF(?n = ?versions, 'all', ?found) AS ?supported_in) } \
         GROUP BY ?identifier ?languages ?supported_in ORDER BY ?identifier DESC(?facts)",
    )?;
    Ok(())
}

/// Finds the IRIs of entities whose IRI, label, name or identifier is `name`
/// (case-insensitive).
pub fn resolve(store: &Store, name: &str) -> Result<Vec<String>> {
    let lit = name.replace('\\', "\\\\").replace('"', "\\\"");
    let iri_clause = if name.starts_with("http://") || name.starts_with("https://") {
        format!("{{ BIND(<{name}> AS ?e) ?e ?p ?o }} UNION")
    } else if let Some((p, l)) = name
        .split_once(':')
        .filter(|(p, _)| crate::vocab::PREFIXES.iter().any(|(q, _)| q == p))
    {
        format!("{{ BIND({p}:{l} AS ?e) ?e ?p ?o }} UNION")
    } else {
        String::new()
    };
    let sparql = format!(
        "SELECT DISTINCT ?e WHERE {{ {iri_clause} {{ ?e skos:prefLabel|skos:altLabel|dcterms:identifier|skos:notation ?l \
           FILTER(LCASE(STR(?l)) = LCASE(\"{lit}\")) }} }} ORDER BY ?e"
    );
    let (_, rows) = select(store, &sparql)?;
    Ok(rows.into_iter().map(|r| expand(&r[0])).collect())
}

fn expand(short: &str) -> String {
    for (p, ns) in crate::vocab::PREFIXES {
        if let Some(l) = short.strip_prefix(&format!("{p}:")) {
            return format!("{ns}{l}");
        }
    }
    short.trim_matches(['<', '>']).to_string()
}

/// Prints what the graph knows about an entity: class, names, links, and every
/// fact about it with its evidence (document, paragraph, span, quote, rule).
pub fn explain(store: &Store, name: &str, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Other(format!("writing: {e}"));
    let found = resolve(store, name)?;
    let Some(iri) = found.first() else {
        return Err(Error::Other(format!(
            "no entity called {name:?} in the graph (try a label, an identifier or an IRI; `policygraph query entities` lists them)"
        )));
    };
    if found.len() > 1 {
        writeln!(
            out,
            "{} entities match {name:?}; showing the first: {}",
            found.len(),
            found.join(", ")
        )
        .map_err(io)?;
    }
    writeln!(out, "{iri}").map_err(io)?;
    let (_, rows) = select(
        store,
        &format!(
            "SELECT ?p ?o WHERE {{ <{iri}> ?p ?o FILTER(?p != skos:altLabel && ?p != pg:mentions) }} ORDER BY ?p ?o"
        ),
    )?;
    for r in &rows {
        writeln!(out, "  {:<20} {}", r[0], r[1]).map_err(io)?;
    }
    let (_, names) = select(
        store,
        &format!(
            "SELECT (GROUP_CONCAT(DISTINCT CONCAT(STR(?n), IF(LANG(?n) != '', CONCAT('@', LANG(?n)), '')); SEPARATOR=', ') AS ?names) \
             WHERE {{ <{iri}> skos:altLabel ?n }}"
        ),
    )?;
    if let Some(n) = names.first().filter(|n| !n[0].is_empty()) {
        writeln!(out, "  names: {}", n[0]).map_err(io)?;
    }
    let (_, facts) = select(
        store,
        &format!(
            "SELECT ?s ?p ?o ?source ?para ?start ?end ?quote ?rule WHERE {{ \
               ?fact a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; pg:evidence ?ev . \
               FILTER(?s = <{iri}> || ?o = <{iri}>) \
               ?ev pg:rule ?rule ; prov:wasDerivedFrom ?pnode ; oa:hasTarget ?t . \
               ?t oa:hasSource ?doc ; oa:hasSelector ?pos, ?q . \
               ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end . \
               ?q a oa:TextQuoteSelector ; oa:exact ?quote . \
               ?doc dcterms:source ?source . \
               OPTIONAL {{ ?pnode pg:label ?plabel }} ?pnode pg:kind ?kind . \
               BIND(CONCAT(?kind, IF(BOUND(?plabel), CONCAT(' ', ?plabel), '')) AS ?para) \
             }} ORDER BY ?p ?s ?o ?source ?start"
        ),
    )?;
    let mut last = String::new();
    let mut shown = 0;
    for f in &facts {
        let head = format!("{} {} {}", f[0], f[1], f[2]);
        if head != last {
            writeln!(out, "\n{head}").map_err(io)?;
            last = head;
            shown = 0;
        }
        shown += 1;
        if shown <= 5 {
            writeln!(
                out,
                "  {} [{}] chars {}-{} ({}): \"{}\"",
                f[3],
                f[4],
                f[5],
                f[6],
                f[8],
                f[7].split_whitespace().collect::<Vec<_>>().join(" ")
            )
            .map_err(io)?;
        } else if shown == 6 {
            writeln!(out, "  …").map_err(io)?;
        }
    }
    if facts.is_empty() {
        writeln!(out, "\n(no facts with evidence)").map_err(io)?;
    }
    // Facts of works: which language versions state each.
    let (_, works) = select(
        store,
        &format!(
            "SELECT ?id ?s ?p ?o (GROUP_CONCAT(DISTINCT STR(?l); SEPARATOR=' ') AS ?langs) WHERE {{ \
               ?wf a pg:WorkFact ; pg:work ?w ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; \
                   dcterms:language ?l . ?w dcterms:identifier ?id . \
               FILTER(?s = <{iri}> || ?o = <{iri}>) \
             }} GROUP BY ?id ?s ?p ?o ORDER BY ?id ?p ?s ?o"
        ),
    )?;
    if !works.is_empty() {
        writeln!(out, "\nin works (languages of the versions that state it):").map_err(io)?;
        for w in &works {
            writeln!(out, "  {}: {} {} {}  [{}]", w[0], w[1], w[2], w[3], w[4]).map_err(io)?;
        }
    }
    Ok(())
}

/// Prints how a document was read: language guess, metadata, paragraphs.
pub fn inspect(doc: &crate::document::Document, out: &mut dyn Write) -> Result<()> {
    let io = |e: std::io::Error| Error::Other(format!("writing: {e}"));
    let l = &doc.language;
    writeln!(
        out,
        "{}: language {} (score {:.3}{}{})",
        doc.path.display(),
        l.code,
        l.score,
        l.runner_up
            .as_ref()
            .map(|(c, s)| format!(", runner-up {c} {s:.3}"))
            .unwrap_or_default(),
        if l.sure { "" } else { ", unsure" }
    )
    .map_err(io)?;
    let m = &doc.metadata;
    writeln!(
        out,
        "identifier: {}\ndate: {}\ntype: {:?}\ntitle: {}",
        m.identifier
            .as_ref()
            .map_or("-".into(), |i| i.canonical.clone()),
        m.date.map_or("-".into(), |d| d.to_string()),
        m.doc_type,
        m.title.as_deref().unwrap_or("-")
    )
    .map_err(io)?;
    for p in &doc.paragraphs {
        let refs: Vec<String> = p
            .footnote_refs
            .iter()
            .map(|r| {
                format!(
                    "{}->{}",
                    r.marker,
                    r.footnote.map_or("?".into(), |f| f.to_string())
                )
            })
            .collect();
        writeln!(
            out,
            "\n[{}] {} {}{} bytes {}..{}\n{}",
            p.index,
            p.kind.as_str(),
            p.label.as_deref().unwrap_or(""),
            if refs.is_empty() {
                String::new()
            } else {
                format!(" footnotes {}", refs.join(" "))
            },
            p.original.start,
            p.original.end,
            p.text
        )
        .map_err(io)?;
    }
    Ok(())
}

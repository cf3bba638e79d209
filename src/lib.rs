//! `policygraph`: reads EU policy documents and builds a knowledge graph of who
//! the EU partners with, funds, reports to and cites, with evidence for every fact.
//!
//! Data flows one way: [`document`] (source files → normalised paragraphs with
//! offsets → metadata) → `extract` (entities and relations, each with evidence)
//! → `graph` (facts as RDF quads) → `store` (Oxigraph) → `query` / `export`.

pub mod document;

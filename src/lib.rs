//! `policygraph`: reads EU policy documents and builds a knowledge graph of who
//! the EU partners with, funds, reports to and cites, with evidence for every fact.
//!
//! Data flows one way, one module per step:
//! [`document`] (source files → normalised paragraphs with offsets → metadata)
//! → [`extract`] (lexicon names and rules → facts with [`fact::Evidence`])
//! → [`graph`] (facts as RDF quads, one named graph per document)
//! → [`store`] (Oxigraph) → [`query`], [`export`], [`report`].
//! [`pipeline`] runs the build; [`cli`] maps the command line onto it.

pub mod cli;
pub mod dcat;
pub mod document;
pub mod dot;
pub mod error;
pub mod export;
pub mod extract;
pub mod fact;
pub mod format;
pub mod graph;
pub mod jsonld;
pub mod lexicon;
pub mod ontology;
pub mod pipeline;
pub mod progress;
pub mod query;
pub mod report;
pub mod serve;
pub mod shacl;
pub mod store;
pub mod validate;
pub mod vocab;

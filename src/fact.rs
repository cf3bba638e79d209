//! Facts with their evidence: what the extractors produce and the graph stores.

use crate::vocab::PG;

/// The predicates of the eval contract that relate two nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Predicate {
    Mentions,
    PartnersWith,
    Funds,
    ReportsTo,
    Connects,
    ParticipatesIn,
    Cites,
}

impl Predicate {
    pub const ALL: [Predicate; 7] = [
        Predicate::Mentions,
        Predicate::PartnersWith,
        Predicate::Funds,
        Predicate::ReportsTo,
        Predicate::Connects,
        Predicate::ParticipatesIn,
        Predicate::Cites,
    ];

    /// Local name in the ontology.
    pub fn local_name(self) -> &'static str {
        match self {
            Predicate::Mentions => "mentions",
            Predicate::PartnersWith => "partnersWith",
            Predicate::Funds => "funds",
            Predicate::ReportsTo => "reportsTo",
            Predicate::Connects => "connects",
            Predicate::ParticipatesIn => "participatesIn",
            Predicate::Cites => "cites",
        }
    }

    pub fn iri(self) -> String {
        format!("{PG}{}", self.local_name())
    }

    pub fn from_local_name(s: &str) -> Option<Predicate> {
        Predicate::ALL.into_iter().find(|p| p.local_name() == s)
    }
}

/// Where a fact was found: a span of the original file, in a paragraph, and
/// the rule or lexicon entry that found it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Evidence {
    /// Index of the paragraph in the document.
    pub paragraph: usize,
    /// Byte range in the original file.
    pub start: usize,
    pub end: usize,
    /// Rule id (`lexicon/eu/commission`, `rules/nl/funds-passive`).
    pub rule: String,
}

/// One extracted fact: `subject predicate object`, by IRI, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fact {
    pub subject: String,
    pub predicate: Predicate,
    pub object: String,
    /// For `partnersWith`: the kind of partnership (`DigitalPartnership`), when
    /// the text names one.
    pub framework: Option<String>,
    pub evidence: Evidence,
}

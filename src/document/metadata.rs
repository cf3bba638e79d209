//! Document metadata read from the text: formal identifier, date, title and type.
//!
//! Implemented in `metadata.rs`; language detection lives in `language.rs`.

/// A calendar date (proleptic Gregorian), printed as ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The kind of document, as far as the text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocType {
    CouncilConclusions,
    CouncilDocument,
    Communication,
    JointCommunication,
    StaffWorkingDocument,
    CommissionDecision,
    Regulation,
    Directive,
    Decision,
    Other,
}

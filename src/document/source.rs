//! Source files (being written).

//! Language detection (being written).

//! Problem 2, why a directed graphical model is normalized: every check of the chapter.
//!
//! One test binary per chapter, one module per part of it, so that a cold
//! `cargo test` links five binaries rather than one per file.

mod continuous;
mod errors;
mod exercises;
mod marginal;
mod mutants;
mod network;
mod props;
mod source;
mod strata;

pub use checks::scaled;

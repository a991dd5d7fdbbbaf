//! Problem 3, the conditionals of a restricted Boltzmann machine: every check of the chapter.
//!
//! One test binary per chapter, one module per part of it, so that a cold
//! `cargo test` links five binaries rather than one per file.

mod conditionals;
mod errata;
mod errors;
mod exercises;
mod gibbs;
mod grad;
mod mutants;
mod props;
mod train;
mod worked;

pub use checks::{scaled, Misses};

//! Problem 4, denoising a binary image with an Ising model: every check of the chapter.
//!
//! One test binary per chapter, one module per part of it, so that a cold
//! `cargo test` links five binaries rather than one per file.

mod cut;
mod errors;
mod exercises;
mod experiment;
mod gibbs;
mod model;
mod mutants;
mod props;

pub use checks::{scaled, Misses};

//! Problem 1, backpropagation through a convolutional network: every check of the chapter.
//!
//! One test binary per chapter, one module per part of it, so that a cold
//! `cargo test` links five binaries rather than one per file.

mod errors;
mod exercises;
mod layers;
mod mutants;
mod padding;
mod props;
mod random;
mod train;
mod xent;

pub use checks::{scaled, Misses};

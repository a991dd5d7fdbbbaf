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

/// The number of cases of a property test: `n`, times the factor in the
/// environment variable `PROPTEST_SCALE` (a long run: `PROPTEST_SCALE=20
/// cargo test --test <chapter> props`), 1 when it is unset.
pub fn scaled(n: u32) -> u32 {
    let factor = std::env::var("PROPTEST_SCALE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    n.saturating_mul(factor)
}

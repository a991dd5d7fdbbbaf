//! The checking toolkit and the stable numerics: every check of the chapter *How this book checks its claims*.
//!
//! One test binary per chapter, one module per part of it, so that a cold
//! `cargo test` links five binaries rather than one per file.

mod numerics;
mod props;
mod reference;
mod toolkit;

pub use checks::scaled;

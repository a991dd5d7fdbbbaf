//! The book's prelude: what every listing of the book assumes, so that a
//! listing copied into a fresh crate compiles.
//!
//! `use verified_dl::prelude::*;` brings the error type and its helpers
//! ([`crate::error`]) and the imports below. A reader who copies listings
//! rather than depending on the crate downloads `prelude.rs` from the
//! Notation chapter instead: the same error module with the same imports,
//! generated from this file and `code/error.rs`.

#[doc(no_inline)]
pub use crate::error::*;

// ANCHOR: imports
// The imports every listing assumes.
#[doc(no_inline)]
pub use ndarray::prelude::*;
#[doc(no_inline)]
pub use ndarray::{IntoDimension, Zip};
#[doc(no_inline)]
pub use rand::{Rng, RngExt, SeedableRng};
// ANCHOR_END: imports

//! The tools that build the book *Four Derivations, Verified*, kept apart
//! from the reader's crate `verified_dl`, which holds only the math and the
//! checking toolkit the chapters show.
//!
//! | module | what it does |
//! |---|---|
//! | [`captions`] | the mdBook preprocessor: listing captions and measured numbers |
//! | [`chapters`] | reads the book's sources: chapters, labels, listings, fences, errata |
//! | [`lint`] | the structural rules of the book, as one function that lists every breach |
//! | [`ledger`] | the ledger appendix, from the records the checks leave |
//! | [`errata`] | the errata appendix, from the chapters' erratum blocks |
//! | [`listings`] | the book's listings as mdBook renders them, what each uses, the prelude |
//! | [`measured`] | the numbers tests measured, quoted in the prose as `{{#measured name}}` |
//! | [`items`] | the item a listing shows and its API page |
//! | [`typed`] | the rule against measured numbers typed into the prose |
//! | [`figures`] | every figure of the book, drawn from the crate's experiments |
//! | [`runner`] | the local runner behind the examples' Run buttons, and the preprocessor that makes them editable |
//!
//! The binary `book` (`cargo run -p book-tools -- <command>`) runs them.
#![forbid(unsafe_code)]

pub mod captions;
pub mod chapters;
pub mod errata;
pub mod figures;
pub mod items;
pub mod ledger;
pub mod lint;
pub mod listings;
pub mod measured;
pub mod runner;
pub mod typed;

use std::path::{Path, PathBuf};

/// The root of the book: the workspace folder that holds `book.toml`.
pub fn book_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

//! The book's figures, drawn by code, deterministically from fixed seeds.
//!
//! Every figure is a [`Figure`]: a path under `src/` and the bytes of the
//! file. `cargo run --bin book -- figures` writes them all; the test
//! `tests/figures.rs` fails when a committed figure differs from what the
//! code makes now.

pub mod plot;
pub mod raster;

pub use plot::{Plot, Series};

/// One file of the book, made by code.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Path relative to the book's `src/` folder, e.g. `figures/checking/fd-error.svg`.
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

impl Figure {
    /// A figure from an SVG document.
    pub fn svg(path: &str, svg: String) -> Figure {
        Figure {
            path: path.to_string(),
            bytes: svg.into_bytes(),
        }
    }
}

/// Every figure of the book, in a fixed order.
pub fn all() -> Vec<Figure> {
    let mut figures = Vec::new();
    figures.extend(crate::check::figures::figures());
    figures.extend(crate::conv::figures());
    figures.extend(crate::bayesnet::figures());
    figures.extend(crate::rbm::figures());
    figures.extend(crate::ising::figures());
    figures
}

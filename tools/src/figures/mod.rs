//! The book's figures, drawn by code, deterministically from fixed seeds.
//!
//! Every figure is a [`Figure`]: a path under `src/` and the bytes of the
//! file. `cargo run -p book-tools -- figures` writes them all; the test
//! `tools/tests/figures.rs` fails when a committed figure differs from what the
//! code makes now.

pub mod bayesnet;
pub mod checking;
pub mod conv;
pub mod draw;
pub mod ising;
pub mod plot;
pub mod raster;
pub mod rbm;

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
    figures.extend(checking::figures());
    figures.extend(conv::figures());
    figures.extend(bayesnet::figures());
    figures.extend(rbm::figures());
    figures.extend(ising::figures());
    figures
}

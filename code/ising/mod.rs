//! Problem 4: denoising a binary image with an Ising model.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

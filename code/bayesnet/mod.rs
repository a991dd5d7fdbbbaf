//! Problem 2: why a directed graphical model is normalized.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

//! The figures of the chapter on directed graphical models.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

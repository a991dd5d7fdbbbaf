//! Figures of the chapter: Bishop's figure 8.30 and beyond.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

//! Problem 3: the conditionals of a restricted Boltzmann machine.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

//! Problem 1: backpropagation through a small convolutional network.

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

//! Problem 3: the conditionals of a restricted Boltzmann machine.
//!
//! * [`model`]: the RBM, its energy, its factorized conditionals, free
//!   energies, exact partition function, log-likelihood and gradient, and
//!   block Gibbs sampling;
//! * [`bars_stripes`]: the bars-and-stripes data set;
//! * [`brute`]: brute-force references over every (v, h) pair, for the checks;
//! * [`train`]: gradient ascent with the exact gradient, CD-k and PCD;
//! * [`source`]: the source's formulas as written, for the errata.

pub mod bars_stripes;
pub mod brute;
pub mod model;
pub mod source;
pub mod train;

pub use model::{Gradient, Moments, Rbm};

use crate::figures::Figure;

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    Vec::new()
}

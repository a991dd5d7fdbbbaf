//! Ancestral sampling: draw each node after its parents, from its table row.

use super::network::BayesNet;
use super::order::parents_after_order;
use super::prob::Prob;
use crate::error::Result;
use rand::{Rng, RngExt};

// ANCHOR: bayes_sampler
/// Draws joint samples from a network, parents before children.
#[derive(Debug, Clone)]
pub struct AncestralSampler<'a, T> {
    net: &'a BayesNet<T>,
    parents_first: Vec<usize>,
}

impl<'a, T: Prob> AncestralSampler<'a, T> {
    /// The sampler of `net`. It visits the nodes in the proof's order
    /// reversed, so each node's parents are drawn before it.
    pub fn new(net: &'a BayesNet<T>) -> Result<Self> {
        let mut parents_first = parents_after_order(net.parent_lists())?;
        parents_first.reverse();
        Ok(AncestralSampler { net, parents_first })
    }

    /// One joint sample: `x_k ~ p(x_k | pa_k)` for each node in turn, by
    /// inverting the cumulative sum of the row at a uniform `u` in [0, 1)
    /// drawn from `rng` (any random number generator will do).
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<usize> {
        let mut x = vec![0; self.net.len()];
        for &k in &self.parents_first {
            // The parents of k are drawn already, so x is valid where it is read.
            let row = self.net.table_at(k).row(self.net.row_at(k, &x));
            let u: f64 = rng.random();
            let mut cumulative = 0.0;
            // If rounding leaves u above the last cumulative sum, take the
            // last value of positive probability.
            let mut value = (0..row.len())
                .rev()
                .find(|&v| row[v].to_f64() > 0.0)
                .unwrap_or(0);
            for (v, p) in row.iter().enumerate() {
                cumulative += p.to_f64();
                if u < cumulative {
                    value = v;
                    break;
                }
            }
            x[k] = value;
        }
        x
    }
}
// ANCHOR_END: bayes_sampler

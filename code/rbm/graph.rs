//! The graph of an RBM: the visible and the hidden units are its nodes, and
//! each nonzero weight W_ij is an edge between visible unit i and hidden unit
//! j. There is no edge inside a layer, which is what "restricted" means. The
//! chapter's diagrams are drawn from these functions.

use crate::error::{Error, Result};
use crate::rbm::model::Rbm;

// ANCHOR: rbm_graph
/// An edge of the bipartite graph of an RBM, between visible unit `visible`
/// and hidden unit `hidden` (0-based: math index i is `visible + 1`), with
/// the weight W_ij that joins them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// The visible unit, 0-based.
    pub visible: usize,
    /// The hidden unit, 0-based.
    pub hidden: usize,
    /// Its weight W_ij, never zero.
    pub weight: f64,
}

impl Rbm {
    /// The edges of the machine's graph: one for each nonzero W_ij, row by row.
    /// No edge joins two units of one layer: the energy has no v_i v_k and no
    /// h_j h_k term.
    pub fn edges(&self) -> Vec<Edge> {
        self.w()
            .indexed_iter()
            .filter(|&(_, &weight)| weight != 0.0)
            .map(|((visible, hidden), &weight)| Edge {
                visible,
                hidden,
                weight,
            })
            .collect()
    }

    /// The visible units that hidden units `j` and `k` (0-based, j != k) are
    /// both joined to: the middle units of every path h_j - v_i - h_k. Since
    /// the graph has no hidden-hidden edge, every path between two hidden units
    /// passes through visible units, so once v is observed nothing connects them.
    pub fn shared_visible(&self, j: usize, k: usize) -> Result<Vec<usize>> {
        for (what, unit) in [("hidden unit j", j), ("hidden unit k", k)] {
            if unit >= self.n_h() {
                return Err(Error::BadSize {
                    what: what.to_string(),
                    value: unit,
                    constraint: format!(
                        "a hidden unit of a machine with {} is below it",
                        self.n_h()
                    ),
                });
            }
        }
        if j == k {
            return Err(Error::BadSize {
                what: "hidden unit k".to_string(),
                value: k,
                constraint: "two different hidden units: k differs from j".to_string(),
            });
        }
        let w = self.w();
        Ok((0..self.n_v())
            .filter(|&i| w[(i, j)] != 0.0 && w[(i, k)] != 0.0)
            .collect())
    }
}
// ANCHOR_END: rbm_graph

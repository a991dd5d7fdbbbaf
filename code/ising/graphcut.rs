//! The exact MAP configuration as a minimum s-t cut (Greig, Porteous and
//! Seheult, 1989).

use super::maxflow::Graph;
use super::model::{energy_unchecked, ensure_spins, Params, MAX_PARAM};
use crate::error::{ensure_allocatable, ensure_finite, ensure_finite_scalar, Error, Result};
use ndarray::{Array2, ArrayView2};

// ANCHOR: ising_field
/// The largest magnitude of a field c_i = alpha - eta y_i that [`cut_graph`]
/// accepts: |alpha| + |eta| for parameters within [`MAX_PARAM`].
pub const MAX_FIELD: f64 = 2.0 * MAX_PARAM;

/// The field c_i = alpha - eta y_i of each pixel: the energy is
/// E(x) = sum_i c_i x_i - beta sum_{(i,j)} x_i x_j.
pub fn field(y: ArrayView2<i8>, params: &Params) -> Array2<f64> {
    y.mapv(|yi| params.alpha() - params.eta() * f64::from(yi))
}
// ANCHOR_END: ising_field

// ANCHOR: ising_cut_graph
/// The graph whose s-t cuts are the configurations of the energy
/// E(x) = sum_i c_i x_i - beta sum_{(i,j)} x_i x_j, with `beta >= 0`:
/// pixel i is on the source side when x_i = +1, on the sink side when x_i = -1.
///
/// * arc s -> i, cut when x_i = -1: capacity 2 max(-c_i, 0);
/// * arc i -> t, cut when x_i = +1: capacity 2 max(c_i, 0);
/// * arcs i -> j and j -> i for each neighbour pair, one cut when x_i != x_j: capacity 2 beta.
///
/// Returns the graph and the constant K with E(x) = cut(x) + K,
/// K = -sum_i |c_i| - beta * (number of pairs). An error names `beta` if it
/// is negative or above [`MAX_PARAM`], and `c` if an entry is not finite or
/// larger than [`MAX_FIELD`] in magnitude (the field of parameters within
/// range), so that no capacity or sum of capacities overflows, and `c` if
/// the graph would have more than [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS)
/// arcs (about 4 rows cols: images up to 2^26 pixels, 8192 x 8192).
pub fn cut_graph(c: ArrayView2<f64>, beta: f64) -> Result<(Graph, f64)> {
    ensure_finite_scalar("beta", beta)?;
    if beta < 0.0 {
        return Err(Error::BadValue {
            what: "beta".to_string(),
            index: vec![],
            value: beta,
            allowed: "beta >= 0 (the energy is submodular only then)".to_string(),
        });
    }
    if beta > MAX_PARAM {
        return Err(Error::OutOfRange {
            what: "beta".to_string(),
            value: beta,
            range: format!("[0, {MAX_PARAM:e}] (MAX_PARAM)"),
        });
    }
    let (rows, cols) = c.dim();
    // fewer than 4 rows cols arcs, each an entry of the graph's arrays
    ensure_allocatable("c", &[4, rows, cols])?;
    let n = rows * cols; // cannot overflow: checked above
    ensure_finite("c", &c)?;
    if let Some(((r, col), &ci)) = c.indexed_iter().find(|(_, ci)| ci.abs() > MAX_FIELD) {
        return Err(Error::BadValue {
            what: "c".to_string(),
            index: vec![r, col],
            value: ci,
            allowed: format!("|c| <= {MAX_FIELD:e} (|alpha| + |eta| at most, see MAX_PARAM)"),
        });
    }
    // cannot overflow: rows cols <= MAX_ELEMENTS
    let n_pairs = rows * cols.saturating_sub(1) + rows.saturating_sub(1) * cols;
    let mut graph = Graph::with_capacity(n, n_pairs)?;
    let mut constant = 0.0;
    for ((r, col), &ci) in c.indexed_iter() {
        graph.add_terminal(r * cols + col, 2.0 * (-ci).max(0.0), 2.0 * ci.max(0.0))?;
        constant -= ci.abs();
    }
    // the neighbour pairs in the order of `pairs`: across, then down
    for r in 0..rows {
        for col in 0..cols {
            let i = r * cols + col;
            if col + 1 < cols {
                graph.add_edge(i, i + 1, 2.0 * beta, 2.0 * beta)?;
            }
            if r + 1 < rows {
                graph.add_edge(i, i + cols, 2.0 * beta, 2.0 * beta)?;
            }
        }
    }
    constant -= beta * n_pairs as f64;
    Ok((graph, constant))
}
// ANCHOR_END: ising_cut_graph

// ANCHOR: ising_checkerboard
/// sigma_i = (-1)^(r + c): +1 on the "white squares" of the grid, -1 on the others.
/// Neighbours always have opposite signs, because the grid graph is bipartite.
pub fn checkerboard(r: usize, c: usize) -> i8 {
    if r % 2 == c % 2 {
        1
    } else {
        -1
    }
}
// ANCHOR_END: ising_checkerboard

// ANCHOR: ising_map_graph_cut
/// The exact MAP estimate: the configuration of least energy and that energy.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEstimate {
    /// The configuration of least energy E(x, y) given y.
    pub x: Array2<i8>,
    /// Its energy E(x, y), computed from x (not from the cut).
    pub energy: f64,
}

/// The configuration of least energy E(x, y) (the MAP estimate of x given y),
/// exactly, by one maximum flow, with its energy.
///
/// For `beta >= 0` the energy is submodular and [`cut_graph`] represents it.
/// For `beta < 0` it is not, but on the grid the substitution
/// x_i = sigma_i x'_i ([`checkerboard`]) turns it into the energy of x' with
/// field sigma_i c_i and coupling -beta > 0, whose minimum the cut finds.
pub fn map_graph_cut(y: ArrayView2<i8>, params: &Params) -> Result<MapEstimate> {
    // the size of the graph before the scan of y; cut_graph would name c
    ensure_allocatable("y", &[4, y.nrows(), y.ncols()])?;
    ensure_spins("y", y)?;
    let mut c = field(y, params);
    let flip = params.beta() < 0.0;
    if flip {
        for ((r, col), ci) in c.indexed_iter_mut() {
            *ci *= f64::from(checkerboard(r, col));
        }
    }
    let (mut graph, _) = cut_graph(c.view(), params.beta().abs())?;
    graph.max_flow();
    let cols = y.ncols();
    let mut x = Array2::<i8>::zeros(y.dim());
    for ((r, col), xi) in x.indexed_iter_mut() {
        // source side: x'_i = +1; then undo the substitution if there was one
        let side = if graph.in_source_set(r * cols + col)? {
            1
        } else {
            -1
        };
        *xi = if flip {
            side * checkerboard(r, col)
        } else {
            side
        };
    }
    let energy = energy_unchecked(x.view(), y, params);
    Ok(MapEstimate { x, energy })
}
// ANCHOR_END: ising_map_graph_cut

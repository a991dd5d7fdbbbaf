//! The Ising model of a binary image: pixels, neighbour pairs, the energy
//! (Bishop's (8.42)) and the local energy difference of one pixel.
//!
//! A configuration is an `Array2<i8>` whose entries are `-1` or `+1`; `x` is
//! the clean image we infer, `y` the noisy image we observe.

use crate::error::{ensure_allocatable, ensure_shape, Error, Result, MAX_ELEMENTS};
use ndarray::{Array2, ArrayView2};

// ANCHOR: ising_params
/// The largest magnitude of a parameter: `|alpha|, |beta|, |eta| <= 1e100`.
///
/// Within it every number the chapter computes from the parameters stays
/// finite, for any image that fits in memory (fewer than 2^64 pixels): an
/// energy is at most (|alpha| + 2 |beta| + |eta|) times the number of pixels,
/// below 4e100 * 2^64 < 1e121; a local difference at most
/// 2 |alpha| + 8 |beta| + 2 |eta| <= 1.2e101; a capacity of the cut graph at most
/// 2 (|alpha| + |eta|) <= 4e100, far below [`MAX_CAPACITY`](super::maxflow::MAX_CAPACITY).
/// Useful parameters are of order one (Bishop's are 0, 1 and 2.1).
pub const MAX_PARAM: f64 = 1e100;

/// The three parameters of the energy: `alpha` (the bias, which Bishop
/// writes h), `beta` (coupling of neighbours) and `eta` (coupling of each
/// pixel to its observation).
///
/// The fields are private: [`Params::new`] checks them once, and every
/// function that takes a `&Params` can rely on them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    alpha: f64,
    beta: f64,
    eta: f64,
}

impl Params {
    /// The parameters, or an error naming the first one that is not finite
    /// ([`Error::NonFinite`]) or outside [-[`MAX_PARAM`], [`MAX_PARAM`]]
    /// ([`Error::OutOfRange`]).
    pub fn new(alpha: f64, beta: f64, eta: f64) -> Result<Params> {
        for (what, value) in [("alpha", alpha), ("beta", beta), ("eta", eta)] {
            if !value.is_finite() {
                return Err(Error::NonFinite {
                    what: what.to_string(),
                    index: vec![],
                    value,
                });
            }
            if value.abs() > MAX_PARAM {
                return Err(Error::OutOfRange {
                    what: what.to_string(),
                    value,
                    range: format!(
                        "[-{MAX_PARAM:e}, {MAX_PARAM:e}] (MAX_PARAM: beyond it energies may overflow)"
                    ),
                });
            }
        }
        Ok(Params { alpha, beta, eta })
    }

    /// Bishop's parameters of figure 8.30: `alpha = 0`, `beta = 1.0`, `eta = 2.1`.
    pub fn bishop() -> Params {
        Params {
            alpha: 0.0,
            beta: 1.0,
            eta: 2.1,
        }
    }

    /// The weight of `sum_i x_i`; `alpha > 0` favours `x_i = -1`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The weight of `sum_{i,j} x_i x_j` over neighbour pairs; `beta > 0` favours agreement.
    pub fn beta(&self) -> f64 {
        self.beta
    }

    /// The weight of `sum_i x_i y_i`; `eta > 0` favours `x_i = y_i`.
    pub fn eta(&self) -> f64 {
        self.eta
    }
}
// ANCHOR_END: ising_params

// ANCHOR: ising_spins
/// Checks that every entry of `x` is -1 or +1, naming `what` and the index otherwise.
pub(crate) fn ensure_spins(what: &str, x: ArrayView2<i8>) -> Result<()> {
    if x.is_empty() {
        return Err(Error::BadSize {
            what: what.to_string(),
            value: 0,
            constraint: "an image needs at least one pixel".to_string(),
        });
    }
    // a fast scan first; the index is found only when a bad entry exists
    if x.iter().all(|&v| v == 1 || v == -1) {
        return Ok(());
    }
    match x.indexed_iter().find(|&(_, &v)| v != 1 && v != -1) {
        Some(((r, c), &v)) => Err(Error::BadValue {
            what: what.to_string(),
            index: vec![r, c],
            value: f64::from(v),
            allowed: "-1 or +1".to_string(),
        }),
        None => Ok(()),
    }
}

/// Checks `x` and `y` are spin images of the same shape.
pub(crate) fn ensure_pair(x: ArrayView2<i8>, y: ArrayView2<i8>) -> Result<()> {
    ensure_spins("x", x)?;
    ensure_spins("y", y)?;
    ensure_shape("x", y.shape(), x.shape())
}

/// Checks that pixel `(r, c)` lies in a grid of shape `dim`.
pub(crate) fn ensure_pixel(dim: (usize, usize), r: usize, c: usize) -> Result<()> {
    if r >= dim.0 {
        return Err(Error::BadSize {
            what: "r".to_string(),
            value: r,
            constraint: format!("r < rows = {}", dim.0),
        });
    }
    if c >= dim.1 {
        return Err(Error::BadSize {
            what: "c".to_string(),
            value: c,
            constraint: format!("c < cols = {}", dim.1),
        });
    }
    Ok(())
}
// ANCHOR_END: ising_spins

// ANCHOR: ising_pairs
/// Checks that a `rows` x `cols` grid can be allocated: at most
/// [`MAX_ELEMENTS`] pixels, and each side at most [`MAX_ELEMENTS`] (an empty
/// grid with a side of `usize::MAX` is refused too: ndarray cannot shape it,
/// and a loop over its rows would not end). Returns the number of pixels.
pub(crate) fn ensure_grid(rows: usize, cols: usize) -> Result<usize> {
    for (what, side) in [("rows", rows), ("cols", cols)] {
        if side > MAX_ELEMENTS {
            return Err(Error::TooLarge {
                what: what.to_string(),
                value: side as u128,
                limit: MAX_ELEMENTS as u128,
            });
        }
    }
    ensure_allocatable("rows * cols", &[rows, cols])
}

/// A pixel `(r, c)`: its row and column, 0-based.
pub type Pixel = (usize, usize);

/// The neighbour pairs of a `rows` x `cols` grid, each unordered pair once:
/// `((r, c), (r, c + 1))` across and `((r, c), (r + 1, c))` down, in
/// row-major order. There are `rows (cols - 1) + (rows - 1) cols` of them.
/// An error if the grid has more than [`MAX_ELEMENTS`] / 2 pixels.
pub fn pairs(rows: usize, cols: usize) -> Result<Vec<(Pixel, Pixel)>> {
    let n = ensure_grid(rows, cols)?;
    if n > MAX_ELEMENTS / 2 {
        return Err(Error::TooLarge {
            what: "rows * cols".to_string(),
            value: n as u128,
            limit: (MAX_ELEMENTS / 2) as u128,
        });
    }
    let mut out = Vec::with_capacity(2 * rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols {
                out.push(((r, c), (r, c + 1)));
            }
            if r + 1 < rows {
                out.push(((r, c), (r + 1, c)));
            }
        }
    }
    Ok(out)
}
// ANCHOR_END: ising_pairs

// ANCHOR: ising_energy
/// The energy (8.42) of Bishop's PRML,
///
/// E(x, y) = alpha sum_i x_i - beta sum_{(i,j)} x_i x_j - eta sum_i x_i y_i,
///
/// the middle sum over the 4-neighbour pairs of the grid, each pair once.
pub fn energy(x: ArrayView2<i8>, y: ArrayView2<i8>, params: &Params) -> Result<f64> {
    ensure_pair(x, y)?;
    Ok(energy_unchecked(x, y, params))
}

/// [`energy`] without the checks of its inputs.
pub(crate) fn energy_unchecked(x: ArrayView2<i8>, y: ArrayView2<i8>, params: &Params) -> f64 {
    let (rows, cols) = x.dim();
    let (mut field, mut coupling, mut data) = (0i64, 0i64, 0i64);
    for r in 0..rows {
        for c in 0..cols {
            let xi = i64::from(x[(r, c)]);
            field += xi;
            data += xi * i64::from(y[(r, c)]);
            if c + 1 < cols {
                coupling += xi * i64::from(x[(r, c + 1)]); // pair across, counted once
            }
            if r + 1 < rows {
                coupling += xi * i64::from(x[(r + 1, c)]); // pair down, counted once
            }
        }
    }
    params.alpha() * field as f64 - params.beta() * coupling as f64 - params.eta() * data as f64
}
// ANCHOR_END: ising_energy

// ANCHOR: ising_neighbour_sum
/// The sum of the (up to four) neighbours of pixel `(r, c)`: fewer at edges
/// (three) and corners (two). The caller ensures `(r, c)` lies in the grid.
#[inline]
pub(crate) fn neighbour_sum(x: ArrayView2<i8>, r: usize, c: usize) -> i32 {
    let (rows, cols) = x.dim();
    let mut s = 0i32;
    if r > 0 {
        s += i32::from(x[(r - 1, c)]);
    }
    if r + 1 < rows {
        s += i32::from(x[(r + 1, c)]);
    }
    if c > 0 {
        s += i32::from(x[(r, c - 1)]);
    }
    if c + 1 < cols {
        s += i32::from(x[(r, c + 1)]);
    }
    s
}
// ANCHOR_END: ising_neighbour_sum

// ANCHOR: ising_local_diff
/// The local energy difference at pixel m = `(r, c)`,
///
/// E(x_m = +1, rest) - E(x_m = -1, rest) = 2 alpha - 2 beta sum_{j in N(m)} x_j - 2 eta y_m,
///
/// which depends only on the neighbours of m and on y_m (Bishop, exercise 8.13).
#[inline]
pub(crate) fn local_diff_unchecked(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    r: usize,
    c: usize,
) -> f64 {
    2.0 * params.alpha()
        - 2.0 * params.beta() * f64::from(neighbour_sum(x, r, c))
        - 2.0 * params.eta() * f64::from(y[(r, c)])
}

/// `local_diff_unchecked` with its inputs checked (pixel inside the grid).
pub fn local_diff(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    (r, c): (usize, usize),
) -> Result<f64> {
    ensure_pair(x, y)?;
    ensure_pixel(x.dim(), r, c)?;
    Ok(local_diff_unchecked(x, y, params, r, c))
}
// ANCHOR_END: ising_local_diff

/// The change of energy when pixel m flips: E(x with x_m negated) - E(x) = -x_m * local_diff.
pub fn flip_diff(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    (r, c): (usize, usize),
) -> Result<f64> {
    let d = local_diff(x, y, params, (r, c))?; // checks the pixel before it is read
    Ok(-f64::from(x[(r, c)]) * d)
}

/// The fraction of pixels where `a` and `b` agree (same shapes required).
pub fn agreement(a: ArrayView2<i8>, b: ArrayView2<i8>) -> Result<f64> {
    ensure_pair(a, b)?;
    let same = a.iter().zip(b.iter()).filter(|(p, q)| p == q).count();
    Ok(same as f64 / a.len() as f64)
}

/// The spin image `x` as gray levels for a figure: +1 (ink) black, -1 white.
pub fn to_gray(x: ArrayView2<i8>) -> Array2<f64> {
    x.mapv(|v| (1.0 - f64::from(v)) / 2.0)
}

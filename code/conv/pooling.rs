//! Max pooling of the source's network: a `p`x`p` window at stride `t` (a
//! [`Pool`]), its forward and backward passes with one tie rule for both, and
//! the pooling margin that tells when finite differences see the true gradient.

use ndarray::{Array3, ArrayView2, ArrayView3, Axis};

use super::size::Pool;
use crate::error::{ensure_finite, ensure_shape, Error, Result};

// ANCHOR: window_argmax
/// The position (row, col) of the maximum of the `p` x `p` window of `y` that
/// starts at row `m t`, column `n t` (0-based window (m, n), stride `t`); the
/// caller makes sure that the window lies inside `y`.
///
/// Tie rule: the first maximum in row-major order wins (a later entry must be
/// strictly larger to replace it), the rule of the major frameworks' max-pooling kernels.
pub(crate) fn window_argmax(y: ArrayView2<f64>, m: usize, n: usize, pool: Pool) -> (usize, usize) {
    let (p, t) = (pool.p(), pool.t());
    let mut best = (m * t, n * t);
    for i in 0..p {
        for j in 0..p {
            let (u, v) = (m * t + i, n * t + j);
            if y[[u, v]] > y[best] {
                best = (u, v);
            }
        }
    }
    best
}

/// The shape `[maps, rows, cols]` of the pooled maps of `y` (shape
/// `[maps, rows, cols]`).
pub(crate) fn pool_shape(y: (usize, usize, usize), pool: Pool) -> Result<[usize; 3]> {
    Ok([y.0, pool.out_size(y.1)?, pool.out_size(y.2)?])
}
// ANCHOR_END: window_argmax

// ANCHOR: max_pool_forward
/// Max pooling of every map of `y` with a `p` x `p` window and stride `t`
/// (the source uses t = 1):
///
/// P^c_{m,n} = max_{i,j=1..p} Y^c_{(m-1)t+i, (n-1)t+j}.
pub fn max_pool_forward(y: ArrayView3<f64>, pool: Pool) -> Result<Array3<f64>> {
    let [maps, rows, cols] = pool_shape(y.dim(), pool)?;
    ensure_finite("pool input Y", &y)?;
    let mut out = Array3::zeros((maps, rows, cols));
    for c in 0..maps {
        let yc = y.index_axis(Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                out[[c, m, n]] = yc[window_argmax(yc, m, n, pool)];
            }
        }
    }
    Ok(out)
}
// ANCHOR_END: max_pool_forward

// ANCHOR: max_pool_backward
/// The pooling gradient: every window passes its gradient to the entry that
/// won it, so an entry collects the gradients of all windows it won:
///
/// dL/dY^c_{u,v} = sum_{(m,n) : argmax of window (m,n) = (u,v)} dL/dP^c_{m,n}.
pub fn max_pool_backward(
    y: ArrayView3<f64>,
    dp: ArrayView3<f64>,
    pool: Pool,
) -> Result<Array3<f64>> {
    let expected = pool_shape(y.dim(), pool)?;
    ensure_shape("pool output gradient dL/dP", &expected, dp.shape())?;
    ensure_finite("pool input Y", &y)?;
    ensure_finite("pool output gradient dL/dP", &dp)?;
    let [maps, rows, cols] = expected;
    let mut dy = Array3::zeros(y.raw_dim());
    for c in 0..maps {
        let yc = y.index_axis(Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                let (u, v) = window_argmax(yc, m, n, pool);
                dy[[c, u, v]] += dp[[c, m, n]];
            }
        }
    }
    // an entry collects the gradients of several windows: their sum can overflow
    if !dy.iter().all(|v: &f64| v.is_finite()) {
        return Err(Error::OutOfRange {
            what: "pool output gradient dL/dP".into(),
            value: dp.iter().fold(0.0f64, |a, v| a.max(v.abs())),
            range: "entries small enough that their sums stay below f64::MAX".into(),
        });
    }
    Ok(dy)
}
// ANCHOR_END: max_pool_backward

// ANCHOR: pool_margin
/// The smallest gap, over all pooling windows, between the winning entry and
/// the best other entry of its window (infinity if every window has one
/// entry, p = 1: there is no other entry). Finite differences of step eps see
/// the true pooling gradient only if no perturbation can change a winner,
/// that is if this margin exceeds the largest change eps can cause in Y.
///
/// Errors if `y` is not finite, or if a gap overflows (entries of opposite
/// sign near f64::MAX).
pub fn pool_margin(y: ArrayView3<f64>, pool: Pool) -> Result<f64> {
    let [maps, rows, cols] = pool_shape(y.dim(), pool)?;
    ensure_finite("pool input Y", &y)?;
    let (p, t) = (pool.p(), pool.t());
    let mut margin = f64::INFINITY;
    for c in 0..maps {
        let yc = y.index_axis(Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                let best = window_argmax(yc, m, n, pool);
                for i in 0..p {
                    for j in 0..p {
                        let (u, v) = (m * t + i, n * t + j);
                        if (u, v) != best {
                            margin = margin.min(yc[best] - yc[[u, v]]);
                        }
                    }
                }
            }
        }
    }
    if p > 1 && !margin.is_finite() {
        return Err(Error::OutOfRange {
            what: "pool input Y".into(),
            value: y.iter().fold(0.0f64, |a, v| a.max(v.abs())),
            range: "entries whose differences stay below f64::MAX".into(),
        });
    }
    Ok(margin)
}
// ANCHOR_END: pool_margin

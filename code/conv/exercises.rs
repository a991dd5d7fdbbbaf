//! The code the chapter's exercises ask for: average pooling, forward and
//! backward, and the gradients of a 1 x 1 convolution as two matrix products.
//! Each is checked in `tests/conv/exercises.rs` against an independent
//! computation (finite differences, and the general convolution's loops).

use ndarray::{Array2, Array3, ArrayView2, ArrayView3};

use super::convolution::ensure_no_overflow;
use super::size::Pool;
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};

// ANCHOR: avg_pool
/// Average pooling of every map of `y` with a `p` x `p` window at stride `t`:
///
/// A^c_{m,n} = (1 / p^2) sum_{i,j=1..p} Y^c_{(m-1)t+i, (n-1)t+j}.
pub fn avg_pool_forward(y: ArrayView3<f64>, pool: Pool) -> Result<Array3<f64>> {
    let (maps, rows, cols) = y.dim();
    let (q_rows, q_cols) = (pool.out_size(rows)?, pool.out_size(cols)?);
    ensure_finite("pool input Y", &y)?;
    let (p, t) = (pool.p(), pool.t());
    let scale = 1.0 / (p as f64 * p as f64);
    let a = Array3::from_shape_fn((maps, q_rows, q_cols), |(c, m, n)| {
        let mut sum = 0.0;
        for i in 0..p {
            for j in 0..p {
                sum += y[[c, m * t + i, n * t + j]];
            }
        }
        scale * sum
    });
    ensure_no_overflow("pool input Y", &y, &a)?;
    Ok(a)
}

/// The gradient of [`avg_pool_forward`] for maps of shape `y_dim`
/// `(maps, rows, cols)`: every window spreads its gradient evenly over its
/// p^2 entries, and an entry adds up the shares of all windows that contain it:
///
/// dL/dY^c_{u,v} = (1 / p^2) sum_{(m,n) : window (m,n) contains (u,v)} dL/dA^c_{m,n}.
pub fn avg_pool_backward(
    dp: ArrayView3<f64>,
    y_dim: (usize, usize, usize),
    pool: Pool,
) -> Result<Array3<f64>> {
    let (maps, rows, cols) = y_dim;
    ensure_allocatable("pool input shape", &[rows, cols])?;
    ensure_allocatable("pool input shape", &[maps, rows, cols])?;
    let expected = [maps, pool.out_size(rows)?, pool.out_size(cols)?];
    ensure_shape("pool output gradient dL/dA", &expected, dp.shape())?;
    ensure_finite("pool output gradient dL/dA", &dp)?;
    let (p, t) = (pool.p(), pool.t());
    let share = 1.0 / (p as f64 * p as f64);
    let mut dy = Array3::zeros((maps, rows, cols));
    for ((c, m, n), &g) in dp.indexed_iter() {
        for i in 0..p {
            for j in 0..p {
                dy[[c, m * t + i, n * t + j]] += share * g;
            }
        }
    }
    ensure_no_overflow("pool output gradient dL/dA", &dp, &dy)?;
    Ok(dy)
}
// ANCHOR_END: avg_pool

// ANCHOR: conv1x1_backward
/// The gradients of a 1 x 1 convolution Y^f = sum_c W_{f,c} X^c of one image
/// `x` (`[channels, rows, cols]`) by the filters `w` (`[filters, channels]`),
/// from dL/dY `dy` (`[filters, rows, cols]`). With every map laid out as a row,
/// X a `[channels, rows cols]` matrix and G a `[filters, rows cols]` one, the
/// layer is the product Y = W X, so
///
/// dL/dW = G X^T,    dL/dX = W^T G.
///
/// Returns (dL/dW, dL/dX).
pub fn conv1x1_backward(
    x: ArrayView3<f64>,
    w: ArrayView2<f64>,
    dy: ArrayView3<f64>,
) -> Result<(Array2<f64>, Array3<f64>)> {
    let (channels, rows, cols) = x.dim();
    let filters = w.nrows();
    ensure_shape("1x1 filters W", &[filters, channels], w.shape())?;
    ensure_shape(
        "1x1 output gradient dL/dY",
        &[filters, rows, cols],
        dy.shape(),
    )?;
    ensure_finite("1x1 input X", &x)?;
    ensure_finite("1x1 filters W", &w)?;
    ensure_finite("1x1 output gradient dL/dY", &dy)?;
    let positions = rows * cols; // at most the length of x, which exists
    let x_mat = Array2::from_shape_vec((channels, positions), x.iter().copied().collect())
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let g_mat = Array2::from_shape_vec((filters, positions), dy.iter().copied().collect())
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let dw = g_mat.dot(&x_mat.t());
    let dx = w
        .t()
        .dot(&g_mat)
        .into_shape_with_order((channels, rows, cols))
        .map_err(|e| Error::Invalid(e.to_string()))?;
    ensure_no_overflow("1x1 output gradient dL/dY", &dy, &dw)?;
    ensure_no_overflow("1x1 output gradient dL/dY", &dy, &dx)?;
    Ok((dw, dx))
}
// ANCHOR_END: conv1x1_backward

//! The fast path: the general convolution as matrix products (im2col).
//!
//! Every window of the input becomes one column of a matrix `cols` with
//! `channels kh kw` rows and `batch out_rows out_cols` columns; the filters
//! become a matrix `[filters, channels kh kw]`; the convolution is then one
//! matrix product, and so are both gradients.

use ndarray::{Array2, Array4, ArrayView1, ArrayView2, ArrayView4, Axis};

use super::general::{conv2d_shape, ConvGrads};
use crate::error::{ensure_finite, ensure_shape, Result};

// ANCHOR: im2col
/// The matrix of windows: cols[(c kh + a) kw + b, (i out_rows + m) out_cols + n] = X_{i,c,m s+a,n s+b}
/// (0-based indices).
pub fn im2col(
    x: ArrayView4<f64>,
    kh: usize,
    kw: usize,
    s: usize,
    out: (usize, usize),
) -> Array2<f64> {
    let (batch, channels, _, _) = x.dim();
    let (rows, cols) = out;
    let mut m_cols = Array2::zeros((channels * kh * kw, batch * rows * cols));
    for c in 0..channels {
        for a in 0..kh {
            for b in 0..kw {
                let r = (c * kh + a) * kw + b;
                let mut row = m_cols.row_mut(r);
                for i in 0..batch {
                    for m in 0..rows {
                        for n in 0..cols {
                            row[(i * rows + m) * cols + n] = x[[i, c, m * s + a, n * s + b]];
                        }
                    }
                }
            }
        }
    }
    m_cols
}

/// The adjoint of [`im2col`]: adds every entry of `m_cols` back to the input
/// position it was copied from.
pub fn col2im(
    m_cols: ArrayView2<f64>,
    x_shape: (usize, usize, usize, usize),
    kh: usize,
    kw: usize,
    s: usize,
    out: (usize, usize),
) -> Array4<f64> {
    let (batch, channels, _, _) = x_shape;
    let (rows, cols) = out;
    let mut dx = Array4::zeros(x_shape);
    for c in 0..channels {
        for a in 0..kh {
            for b in 0..kw {
                let row = m_cols.row((c * kh + a) * kw + b);
                for i in 0..batch {
                    for m in 0..rows {
                        for n in 0..cols {
                            dx[[i, c, m * s + a, n * s + b]] += row[(i * rows + m) * cols + n];
                        }
                    }
                }
            }
        }
    }
    dx
}
// ANCHOR_END: im2col

/// The same matrix in row-major layout (a product may come back column-major,
/// and only a row-major array reshapes in row-major order without a copy).
fn standard(a: Array2<f64>) -> Array2<f64> {
    if a.is_standard_layout() {
        a
    } else {
        a.as_standard_layout().into_owned()
    }
}

/// The filters as a matrix `[filters, channels kh kw]` (row-major, so no copy
/// when W is already in standard layout).
fn filter_matrix(w: ArrayView4<f64>) -> Array2<f64> {
    let (filters, channels, kh, kw) = w.dim();
    w.as_standard_layout()
        .into_owned()
        .into_shape_with_order((filters, channels * kh * kw))
        .expect("a standard-layout array reshapes")
}

// ANCHOR: conv2d_forward_fast
/// [`super::general::conv2d_forward`] by one matrix product: Y = W_mat cols + b.
pub fn conv2d_forward_fast(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    s: usize,
) -> Result<Array4<f64>> {
    let [batch, filters, rows, cols] = conv2d_shape(x.shape(), w.shape(), s)?;
    ensure_shape("conv bias b", &[filters], bias.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv bias b", &bias)?;
    let (_, _, kh, kw) = w.dim();
    let m_cols = im2col(x, kh, kw, s, (rows, cols));
    let mut y_mat = filter_matrix(w).dot(&m_cols); // [filters, batch rows cols]
    for (f, mut row) in y_mat.axis_iter_mut(Axis(0)).enumerate() {
        row += bias[f];
    }
    // [filters, batch, rows, cols] -> [batch, filters, rows, cols]
    let y = standard(y_mat)
        .into_shape_with_order((filters, batch, rows, cols))
        .expect("one column per output position")
        .permuted_axes([1, 0, 2, 3]);
    Ok(y.as_standard_layout().into_owned())
}
// ANCHOR_END: conv2d_forward_fast

// ANCHOR: conv2d_backward_fast
/// [`super::general::conv2d_backward`] by matrix products:
/// dW_mat = dY_mat cols^T, db = row sums of dY_mat, dX = col2im(W_mat^T dY_mat).
pub fn conv2d_backward_fast(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    s: usize,
) -> Result<ConvGrads> {
    let expected = conv2d_shape(x.shape(), w.shape(), s)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    let [batch, filters, rows, cols] = expected;
    let (_, _, kh, kw) = w.dim();
    let m_cols = im2col(x, kh, kw, s, (rows, cols));
    // [batch, filters, rows, cols] -> [filters, batch rows cols]
    let dy_mat = dy
        .permuted_axes([1, 0, 2, 3])
        .as_standard_layout()
        .into_owned()
        .into_shape_with_order((filters, batch * rows * cols))
        .expect("one column per output position");
    let dw = standard(dy_mat.dot(&m_cols.t()))
        .into_shape_with_order(w.raw_dim())
        .expect("one entry per filter weight");
    let db = dy_mat.sum_axis(Axis(1));
    let d_cols = filter_matrix(w).t().dot(&dy_mat);
    let dx = col2im(d_cols.view(), x.dim(), kh, kw, s, (rows, cols));
    Ok(ConvGrads {
        x: dx,
        w: dw,
        b: db,
    })
}
// ANCHOR_END: conv2d_backward_fast

//! The fast path: the general convolution as matrix products (im2col).
//!
//! Every window of the input becomes one column of a matrix `cols` with
//! `channels kh kw` rows and `batch out_rows out_cols` columns; the filters
//! become a matrix `[filters, channels kh kw]`; the convolution is then one
//! matrix product, and so are both gradients.

use ndarray::{Array2, Array4, ArrayView1, ArrayView2, ArrayView4, Axis};

use super::general::{conv2d_shape, ConvGrads};
use super::size::ensure_finite;
use crate::error::{ensure_shape, Result};

// ANCHOR: im2col
/// The matrix of windows: cols[(c kh + a) kw + b, (i out_rows + m) out_cols + n] = X_{i,c,m s+a,n s+b}
/// (0-based indices). Row r of the matrix is the input seen through filter
/// tap (c, a, b) at every output position, so each row is filled by strided
/// copies out of the row-major input.
pub fn im2col(
    x: ArrayView4<f64>,
    kh: usize,
    kw: usize,
    s: usize,
    out: (usize, usize),
) -> Array2<f64> {
    let (batch, channels, h, w) = x.dim();
    let (rows, cols) = out;
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let mut data = Vec::with_capacity(channels * kh * kw * batch * rows * cols);
    for c in 0..channels {
        for a in 0..kh {
            for b in 0..kw {
                for i in 0..batch {
                    for m in 0..rows {
                        let start = ((i * channels + c) * h + m * s + a) * w + b;
                        // X_{i,c,m s+a, n s+b} for n = 0..cols: every s-th entry from `start`
                        let src = &xs[start..start + (cols - 1) * s + 1];
                        if s == 1 {
                            data.extend_from_slice(src);
                        } else {
                            data.extend(src.iter().step_by(s));
                        }
                    }
                }
            }
        }
    }
    Array2::from_shape_vec((channels * kh * kw, batch * rows * cols), data)
        .expect("one entry per tap and output position")
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
    let (batch, channels, h, w) = x_shape;
    let (rows, cols) = out;
    let m_cols = m_cols.as_standard_layout();
    let mut dx = Array4::zeros(x_shape);
    let dxs = dx
        .as_slice_mut()
        .expect("a new array is in standard layout");
    for (r, row) in m_cols.axis_iter(Axis(0)).enumerate() {
        let (c, a, b) = (r / (kh * kw), (r / kw) % kh, r % kw);
        let row = row
            .to_slice()
            .expect("rows of a standard-layout matrix are contiguous");
        for i in 0..batch {
            for m in 0..rows {
                let base = ((i * channels + c) * h + m * s + a) * w + b;
                let src = &row[(i * rows + m) * cols..(i * rows + m + 1) * cols];
                let dst = &mut dxs[base..base + (cols - 1) * s + 1];
                for (d, &v) in dst.iter_mut().step_by(s).zip(src) {
                    *d += v;
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
    let y_mat = standard(filter_matrix(w).dot(&m_cols)); // [filters, batch rows cols]
                                                         // [filters, batch rows cols] -> [batch, filters, rows, cols], one block per (i, f), plus the bias
    let ys = y_mat.as_slice().expect("standard layout");
    let block = rows * cols;
    let mut y = Array4::zeros((batch, filters, rows, cols));
    let out = y.as_slice_mut().expect("a new array is in standard layout");
    for i in 0..batch {
        for f in 0..filters {
            let src = &ys[(f * batch + i) * block..(f * batch + i + 1) * block];
            let dst = &mut out[(i * filters + f) * block..(i * filters + f + 1) * block];
            for (d, &v) in dst.iter_mut().zip(src) {
                *d = v + bias[f];
            }
        }
    }
    Ok(y)
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
    // [batch, filters, rows, cols] -> [filters, batch rows cols], one block copy per (i, f)
    let dy = dy.as_standard_layout();
    let dys = dy.as_slice().expect("standard layout");
    let block = rows * cols;
    let mut dy_mat = Array2::zeros((filters, batch * block));
    for (f, mut row) in dy_mat.axis_iter_mut(Axis(0)).enumerate() {
        let row = row
            .as_slice_mut()
            .expect("rows of a standard-layout matrix are contiguous");
        for i in 0..batch {
            let src = &dys[(i * filters + f) * block..(i * filters + f + 1) * block];
            row[i * block..(i + 1) * block].copy_from_slice(src);
        }
    }
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

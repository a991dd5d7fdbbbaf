//! The fast path: the general convolution as matrix products (im2col).
//!
//! Every window of the input becomes one column of a matrix `cols` with
//! `channels kh kw` rows and `batch out_rows out_cols` columns; the filters
//! become a matrix `[filters, channels kh kw]`; the convolution is then one
//! matrix product, and so are both gradients.

use ndarray::linalg::general_mat_mul;
use ndarray::{Array1, Array2, Array4, ArrayView1, ArrayView2, ArrayView4, Axis, Slice};

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
/// [`super::general::conv2d_forward`] by matrix products, one per image:
/// Y_i = W_mat cols_i + b, written straight into the output (whose map of
/// image i is, in row-major order, the matrix `[filters, rows cols]`).
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
    let w_mat = filter_matrix(w);
    let block = rows * cols;
    let mut y = Array4::zeros((batch, filters, rows, cols));
    for i in 0..batch {
        let cols_i = m_cols.slice_axis(Axis(1), Slice::from(i * block..(i + 1) * block));
        let mut y_i = y
            .index_axis_mut(Axis(0), i)
            .into_shape_with_order((filters, block))
            .expect("a map of a standard-layout array is contiguous");
        for (f, mut row) in y_i.axis_iter_mut(Axis(0)).enumerate() {
            row.fill(bias[f]);
        }
        general_mat_mul(1.0, &w_mat, &cols_i, 1.0, &mut y_i);
    }
    Ok(y)
}
// ANCHOR_END: conv2d_forward_fast

// ANCHOR: conv2d_backward_fast
/// [`super::general::conv2d_backward`] by matrix products, per image i with
/// G_i = dL/dY_i as a `[filters, rows cols]` matrix:
/// dW_mat = sum_i G_i cols_i^T, db = row sums of the G_i, dX = col2im(W_mat^T G_i for every i).
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
    let (_, channels, kh, kw) = w.dim();
    let m_cols = im2col(x, kh, kw, s, (rows, cols));
    let w_mat = filter_matrix(w);
    let dy = dy.as_standard_layout();
    let block = rows * cols;
    let mut dw_mat = Array2::zeros((filters, channels * kh * kw));
    let mut db = Array1::zeros(filters);
    let mut d_cols = Array2::zeros(m_cols.raw_dim());
    for i in 0..batch {
        let range = Slice::from(i * block..(i + 1) * block);
        let g_i = dy
            .index_axis(Axis(0), i)
            .into_shape_with_order((filters, block))
            .expect("a map of a standard-layout array is contiguous");
        let cols_i = m_cols.slice_axis(Axis(1), range);
        general_mat_mul(1.0, &g_i, &cols_i.t(), 1.0, &mut dw_mat);
        db += &g_i.sum_axis(Axis(1));
        let mut d_cols_i = d_cols.slice_axis_mut(Axis(1), range);
        general_mat_mul(1.0, &w_mat.t(), &g_i, 0.0, &mut d_cols_i);
    }
    let dw = dw_mat
        .into_shape_with_order(w.raw_dim())
        .expect("one entry per filter weight");
    let dx = col2im(d_cols.view(), x.dim(), kh, kw, s, (rows, cols));
    Ok(ConvGrads {
        x: dx,
        w: dw,
        b: db,
    })
}
// ANCHOR_END: conv2d_backward_fast

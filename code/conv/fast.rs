//! The fast path: the general convolution as matrix products (im2col).
//!
//! Every window of the input becomes one column of a matrix `cols` with
//! `channels kh kw` rows, one column per output position; the filters become
//! a matrix `[filters, channels kh kw]`; the convolution is then a matrix
//! product, and so are both gradients. The columns are made a block of output
//! rows at a time, so that the block stays in cache while it is multiplied.

use std::ops::Range;

use ndarray::linalg::general_mat_mul;
use ndarray::{
    Array1, Array2, Array4, ArrayView1, ArrayView2, ArrayView3, ArrayView4, ArrayViewMut3, Axis,
    Slice,
};

use super::general::{check_backward, check_forward, ConvGrads};
use crate::error::Result;

/// Entries of one block of the window matrix: 2^14 f64, 128 KiB, which stays
/// in a core's L2 cache next to the filters and the block of the output.
pub const BLOCK_ENTRIES: usize = 1 << 14;

/// The output rows of one block: as many as fit in [`BLOCK_ENTRIES`], at least one.
fn block_rows(taps: usize, cols: usize) -> usize {
    (BLOCK_ENTRIES / (taps * cols).max(1)).max(1)
}

// ANCHOR: im2col
/// The window matrix of one image `x` (`[channels, h, w]`) for the output
/// rows `m_range`: cols[(c kh + a) kw + b, (m - m_range.start) out_cols + n] = X_{c, m s + a, n s + b}
/// (0-based). Row (c, a, b) of the matrix is the image seen through that
/// filter tap at every output position, so it is filled by strided copies
/// out of the row-major input (plain memory copies when s = 1).
pub fn im2col(
    x: ArrayView3<f64>,
    (kh, kw): (usize, usize),
    s: usize,
    m_range: Range<usize>,
    cols: usize,
) -> Array2<f64> {
    let (channels, h, w) = x.dim();
    let x = x.as_standard_layout();
    let xs = x.as_slice().expect("standard layout");
    let mut data = vec![0.0; channels * kh * kw * m_range.len() * cols];
    let mut dst_rows = data.chunks_exact_mut(cols.max(1));
    for c in 0..channels {
        for a in 0..kh {
            for b in 0..kw {
                for m in m_range.clone() {
                    let start = (c * h + m * s + a) * w + b;
                    // X_{c, m s + a, n s + b} for n = 0..cols: every s-th entry from `start`
                    let src = &xs[start..start + (cols - 1) * s + 1];
                    let dst = dst_rows.next().expect("one row per tap and output row");
                    if s == 1 {
                        dst.copy_from_slice(src);
                    } else {
                        for (d, v) in dst.iter_mut().zip(src.iter().step_by(s)) {
                            *d = *v;
                        }
                    }
                }
            }
        }
    }
    Array2::from_shape_vec((channels * kh * kw, m_range.len() * cols), data)
        .expect("one entry per tap and output position")
}

/// The adjoint of [`im2col`]: adds every entry of `m_cols` onto the pixel of
/// `dx` (`[channels, h, w]`, in standard layout) it was copied from.
pub fn col2im(
    m_cols: ArrayView2<f64>,
    mut dx: ArrayViewMut3<f64>,
    (kh, kw): (usize, usize),
    s: usize,
    m_range: Range<usize>,
    cols: usize,
) {
    let (_, h, w) = dx.dim();
    let m_cols = m_cols.as_standard_layout();
    let dxs = dx
        .as_slice_mut()
        .expect("a new array is in standard layout");
    for (r, row) in m_cols.axis_iter(Axis(0)).enumerate() {
        let (c, a, b) = (r / (kh * kw), (r / kw) % kh, r % kw);
        let row = row
            .to_slice()
            .expect("rows of a standard-layout matrix are contiguous");
        for (j, m) in m_range.clone().enumerate() {
            let base = (c * h + m * s + a) * w + b;
            let src = &row[j * cols..(j + 1) * cols];
            let dst = &mut dxs[base..base + (cols - 1) * s + 1];
            if s == 1 {
                for (d, &v) in dst.iter_mut().zip(src) {
                    *d += v;
                }
            } else {
                for (d, &v) in dst.iter_mut().step_by(s).zip(src) {
                    *d += v;
                }
            }
        }
    }
}
// ANCHOR_END: im2col

/// The filters as a matrix `[filters, channels kh kw]` (row-major).
fn filter_matrix(w: ArrayView4<f64>) -> Array2<f64> {
    let (filters, channels, kh, kw) = w.dim();
    w.as_standard_layout()
        .into_owned()
        .into_shape_with_order((filters, channels * kh * kw))
        .expect("a standard-layout array reshapes")
}

// ANCHOR: conv2d_forward_fast
/// [`super::general::conv2d_forward`] by matrix products, one per image and
/// block of output rows: Y_i = W_mat cols_i + b, written straight into the
/// output (whose map of image i is, in row-major order, the matrix
/// `[filters, rows cols]`).
pub fn conv2d_forward_fast(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    s: usize,
) -> Result<Array4<f64>> {
    let [batch, filters, rows, cols] = check_forward(x, w, bias, s)?;
    let (_, channels, kh, kw) = w.dim();
    let w_mat = filter_matrix(w);
    let step = block_rows(channels * kh * kw, cols);
    let mut y = Array4::zeros((batch, filters, rows, cols));
    for i in 0..batch {
        let x_i = x.index_axis(Axis(0), i);
        let mut y_i = y
            .index_axis_mut(Axis(0), i)
            .into_shape_with_order((filters, rows * cols))
            .expect("a map of a standard-layout array is contiguous");
        for (f, mut row) in y_i.axis_iter_mut(Axis(0)).enumerate() {
            row.fill(bias[f]);
        }
        for m0 in (0..rows).step_by(step) {
            let m_range = m0..(m0 + step).min(rows);
            let block = Slice::from(m_range.start * cols..m_range.end * cols);
            let cols_block = im2col(x_i, (kh, kw), s, m_range, cols);
            general_mat_mul(
                1.0,
                &w_mat,
                &cols_block,
                1.0,
                &mut y_i.slice_axis_mut(Axis(1), block),
            );
        }
    }
    Ok(y)
}
// ANCHOR_END: conv2d_forward_fast

// ANCHOR: conv2d_backward_fast
/// [`super::general::conv2d_backward`] by matrix products, per image i and
/// block of output rows, with G the block of dL/dY_i as a `[filters, positions]` matrix:
/// dW_mat += G cols^T, db += row sums of G, dX_i += col2im(W_mat^T G).
pub fn conv2d_backward_fast(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    s: usize,
) -> Result<ConvGrads> {
    let [batch, filters, rows, cols] = check_backward(x, w, dy, s)?;
    let (_, channels, kh, kw) = w.dim();
    let taps = channels * kh * kw;
    let w_mat = filter_matrix(w);
    let step = block_rows(taps, cols);
    let dy = dy.as_standard_layout();
    let mut dw_mat = Array2::zeros((filters, taps));
    let mut db = Array1::zeros(filters);
    let mut dx = Array4::zeros(x.raw_dim());
    let mut d_cols_buffer = Array2::zeros((taps, step * cols));
    for i in 0..batch {
        let x_i = x.index_axis(Axis(0), i);
        let g_i = dy
            .index_axis(Axis(0), i)
            .into_shape_with_order((filters, rows * cols))
            .expect("a map of a standard-layout array is contiguous");
        db += &g_i.sum_axis(Axis(1));
        for m0 in (0..rows).step_by(step) {
            let m_range = m0..(m0 + step).min(rows);
            let positions = Slice::from(0..m_range.len() * cols);
            let g = g_i.slice_axis(
                Axis(1),
                Slice::from(m_range.start * cols..m_range.end * cols),
            );
            let cols_block = im2col(x_i, (kh, kw), s, m_range.clone(), cols);
            general_mat_mul(1.0, &g, &cols_block.t(), 1.0, &mut dw_mat);
            let mut d_cols = d_cols_buffer.slice_axis_mut(Axis(1), positions);
            general_mat_mul(1.0, &w_mat.t(), &g, 0.0, &mut d_cols);
            col2im(
                d_cols.view(),
                dx.index_axis_mut(Axis(0), i),
                (kh, kw),
                s,
                m_range,
                cols,
            );
        }
    }
    let dw = dw_mat
        .into_shape_with_order(w.raw_dim())
        .expect("one entry per filter weight");
    Ok(ConvGrads {
        x: dx,
        w: dw,
        b: db,
    })
}
// ANCHOR_END: conv2d_backward_fast

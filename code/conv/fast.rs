//! The fast path: the general convolution as matrix products (im2col).
//!
//! Every window of the input becomes one column of a matrix `cols` with
//! `channels kh kw` rows, one column per output position; the filters become
//! a matrix `[filters, channels kh kw]`; the convolution is then a matrix
//! product, and so are both gradients. The columns are made a block of output
//! rows at a time, so that the block stays in cache while it is multiplied.

use std::ops::Range;

use ndarray::{
    Array1, Array2, Array4, ArrayView1, ArrayView2, ArrayView3, ArrayView4, ArrayViewMut3, Axis,
};

use super::convolution::ensure_no_overflow;
use super::general::{check_backward, check_forward, ensure_grads_finite, Conv2d, ConvGrads};
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};

// ANCHOR: block_rows
/// Entries of one block of the window matrix: 2^14 f64, 128 KiB, which stays
/// in a core's L2 cache next to the filters and the block of the output.
pub const BLOCK_ENTRIES: usize = 1 << 14;

/// The output rows of one block: as many as fit in [`BLOCK_ENTRIES`], at least one.
pub(crate) fn block_rows(taps: usize, cols: usize) -> usize {
    (BLOCK_ENTRIES / taps.saturating_mul(cols).max(1)).max(1)
}

/// The filters as a matrix `[filters, channels kh kw]` (row-major).
pub(crate) fn filter_matrix(w: ArrayView4<f64>) -> Array2<f64> {
    let (filters, channels, kh, kw) = w.dim();
    Array2::from_shape_vec(
        (filters, channels * kh * kw),
        w.iter().copied().collect(), // row-major order
    )
    .unwrap_or_default() // cannot fail: W has filters channels kh kw entries
}
// ANCHOR_END: block_rows

// ANCHOR: im2col
/// The window matrix of one image `x` (`[channels, h, w]`) for the output
/// rows `m_range`: cols[(c kh + a) kw + b, (m - m_range.start) out_cols + n] = X_{c, m s + a, n s + b}
/// (0-based). Row (c, a, b) of the matrix is the image seen through that
/// filter tap at every output position, so it is filled by strided copies
/// out of the row-major input (plain memory copies when s = 1). The caller
/// has checked that every window lies inside `x` and that `cols` >= 1.
pub(crate) fn im2col_block(
    x: ArrayView3<f64>,
    (kh, kw): (usize, usize),
    s: usize,
    m_range: std::ops::Range<usize>,
    cols: usize,
) -> Array2<f64> {
    let (channels, h, w) = x.dim();
    let x = x.as_standard_layout();
    let xs = x.as_slice().unwrap_or_default(); // cannot fail: standard layout
    let mut data = vec![0.0; channels * kh * kw * m_range.len() * cols];
    let mut dst_rows = data.chunks_exact_mut(cols);
    for c in 0..channels {
        for a in 0..kh {
            for b in 0..kw {
                for m in m_range.clone() {
                    let start = (c * h + m * s + a) * w + b;
                    // X_{c, m s + a, n s + b} for n = 0..cols: every s-th entry from `start`
                    let src = &xs[start..start + (cols - 1) * s + 1];
                    let Some(dst) = dst_rows.next() else { break }; // one row per tap and output row
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
    // cannot fail: one entry per tap and output position
    Array2::from_shape_vec((channels * kh * kw, m_range.len() * cols), data).unwrap_or_default()
}

/// The adjoint of [`im2col_block`]: adds every entry of `m_cols` onto the
/// pixel of `dx` (`[channels, h, w]`, in standard layout) it was copied from.
pub(crate) fn col2im_block(
    m_cols: ArrayView2<f64>,
    mut dx: ArrayViewMut3<f64>,
    (kh, kw): (usize, usize),
    s: usize,
    m_range: std::ops::Range<usize>,
    cols: usize,
) {
    let (_, h, w) = dx.dim();
    let m_cols = m_cols.as_standard_layout();
    let Some(dxs) = dx.as_slice_mut() else { return }; // the caller passes a standard layout
    for (r, row) in m_cols.axis_iter(Axis(0)).enumerate() {
        let (c, a, b) = (r / (kh * kw), (r / kw) % kh, r % kw);
        let Some(row) = row.to_slice() else { return }; // rows of a standard layout are contiguous
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

/// Checks the geometry of a window matrix: kernel and stride at least 1,
/// `cols` >= 1 output columns and the rows `m_range` all inside an image of
/// `h` x `w`; returns the number of rows, channels kh kw, of the matrix.
fn check_windows(
    (channels, h, w): (usize, usize, usize),
    (kh, kw): (usize, usize),
    s: usize,
    m_range: &Range<usize>,
    cols: usize,
) -> Result<usize> {
    for (what, value) in [
        ("kernel rows kh", kh),
        ("kernel columns kw", kw),
        ("stride s", s),
        ("output columns cols", cols),
    ] {
        if value == 0 {
            return Err(Error::BadSize {
                what: what.into(),
                value,
                constraint: "must be at least 1".into(),
            });
        }
    }
    // the last window of each axis must end inside the image: (last - 1) s + k <= size
    let reach = |last: usize, k: usize| {
        last.checked_sub(1)
            .map_or(Some(0), |l| l.checked_mul(s)?.checked_add(k))
    };
    if m_range.start > m_range.end {
        return Err(Error::BadSize {
            what: "output rows m_range (its start)".into(),
            value: m_range.start,
            constraint: format!("must not exceed its end {}", m_range.end),
        });
    }
    if !m_range.is_empty() && reach(m_range.end, kh).is_none_or(|r| r > h) {
        return Err(Error::BadSize {
            what: "output rows m_range (its end)".into(),
            value: m_range.end,
            constraint: format!(
                "windows of {kh} rows at stride {s} must end inside the {h} image rows"
            ),
        });
    }
    if reach(cols, kw).is_none_or(|r| r > w) {
        return Err(Error::BadSize {
            what: "output columns cols".into(),
            value: cols,
            constraint: format!(
                "windows of {kw} columns at stride {s} must end inside the {w} image columns"
            ),
        });
    }
    let taps = ensure_allocatable("window matrix taps channels kh kw", &[channels, kh, kw])?;
    ensure_allocatable("window matrix", &[taps, m_range.len(), cols])?;
    Ok(taps)
}

/// The window matrix of one image `x` (`[channels, h, w]`) for the output
/// rows `m_range` and `cols` output columns, filters of `kernel` = (kh, kw)
/// at stride `s`: cols[(c kh + a) kw + b, (m - m_range.start) cols + n] =
/// X_{c, m s + a, n s + b} (0-based). Errors unless every window lies inside
/// `x`, the sizes are at least 1, and `x` is finite.
pub fn im2col(
    x: ArrayView3<f64>,
    kernel: (usize, usize),
    s: usize,
    m_range: Range<usize>,
    cols: usize,
) -> Result<Array2<f64>> {
    check_windows(x.dim(), kernel, s, &m_range, cols)?;
    ensure_finite("image x", &x)?;
    Ok(im2col_block(x, kernel, s, m_range, cols))
}

/// The adjoint of [`im2col`]: adds every entry of `m_cols` onto the pixel of
/// `dx` it was copied from. Errors unless the geometry is that of [`im2col`],
/// `m_cols` has the shape of its window matrix, both arrays are finite, and
/// the sums stay finite (then `dx` is left as it was).
pub fn col2im(
    m_cols: ArrayView2<f64>,
    mut dx: ArrayViewMut3<f64>,
    kernel: (usize, usize),
    s: usize,
    m_range: Range<usize>,
    cols: usize,
) -> Result<()> {
    let taps = check_windows(dx.dim(), kernel, s, &m_range, cols)?;
    ensure_shape(
        "window matrix m_cols",
        &[taps, m_range.len() * cols],
        m_cols.shape(),
    )?;
    ensure_finite("window matrix m_cols", &m_cols)?;
    ensure_finite("image gradient dx", &dx)?;
    let mut out = dx.as_standard_layout().into_owned();
    col2im_block(m_cols, out.view_mut(), kernel, s, m_range, cols);
    ensure_no_overflow("window matrix m_cols", &m_cols, &out)?;
    dx.assign(&out);
    Ok(())
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
    let [batch, filters, rows, cols] = check_forward(x, w, bias, Conv2d::new(s, 0)?)?;
    let (_, channels, kh, kw) = w.dim();
    let w_mat = filter_matrix(w);
    let step = block_rows(channels * kh * kw, cols);
    ensure_allocatable(
        "window matrix of a block",
        &[channels * kh * kw, step, cols],
    )?;
    let mut y = Array4::zeros((batch, filters, rows, cols));
    for i in 0..batch {
        let x_i = x.index_axis(Axis(0), i);
        let mut y_i = y
            .index_axis_mut(Axis(0), i)
            .into_shape_with_order((filters, rows * cols))
            // cannot fail: a map of a standard-layout array is contiguous
            .map_err(|e| Error::Invalid(e.to_string()))?;
        for (f, mut row) in y_i.axis_iter_mut(Axis(0)).enumerate() {
            row.fill(bias[f]);
        }
        for m0 in (0..rows).step_by(step) {
            let m_range = m0..(m0 + step).min(rows);
            let block = ndarray::Slice::from(m_range.start * cols..m_range.end * cols);
            let cols_block = im2col_block(x_i, (kh, kw), s, m_range, cols);
            ndarray::linalg::general_mat_mul(
                1.0,
                &w_mat,
                &cols_block,
                1.0,
                &mut y_i.slice_axis_mut(Axis(1), block),
            );
        }
    }
    ensure_no_overflow("conv input X", &x, &y)?;
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
    let [batch, filters, rows, cols] = check_backward(x, w, dy, Conv2d::new(s, 0)?)?;
    let (_, channels, kh, kw) = w.dim();
    let taps = channels * kh * kw;
    let w_mat = filter_matrix(w);
    let step = block_rows(taps, cols);
    ensure_allocatable("window matrix of a block", &[taps, step, cols])?;
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
            // cannot fail: a map of a standard-layout array is contiguous
            .map_err(|e| Error::Invalid(e.to_string()))?;
        db += &g_i.sum_axis(Axis(1));
        for m0 in (0..rows).step_by(step) {
            let m_range = m0..(m0 + step).min(rows);
            let positions = ndarray::Slice::from(0..m_range.len() * cols);
            let g = g_i.slice_axis(
                Axis(1),
                ndarray::Slice::from(m_range.start * cols..m_range.end * cols),
            );
            let cols_block = im2col_block(x_i, (kh, kw), s, m_range.clone(), cols);
            ndarray::linalg::general_mat_mul(1.0, &g, &cols_block.t(), 1.0, &mut dw_mat);
            let mut d_cols = d_cols_buffer.slice_axis_mut(Axis(1), positions);
            ndarray::linalg::general_mat_mul(1.0, &w_mat.t(), &g, 0.0, &mut d_cols);
            col2im_block(
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
        // cannot fail: one entry per filter weight
        .map_err(|e| Error::Invalid(e.to_string()))?;
    let grads = ConvGrads {
        x: dx,
        w: dw,
        b: db,
    };
    ensure_grads_finite(dy.view(), &grads)?;
    Ok(grads)
}
// ANCHOR_END: conv2d_backward_fast

//! The convolutional layer of the source's network, one image at a time:
//! `k`x`k` filters at stride `s`, the forward pass, dL/dW, and dL/dX both by
//! the loops of its formula and as a full correlation of the dilated output
//! gradient with the flipped filters. Each pass is the formula of the chapter
//! written out index by index (math index `i` is code index `i - 1`).

use ndarray::{Array2, Array3, ArrayView2, ArrayView3};

use super::size::conv_out_size;
use crate::error::ensure_finite;
use crate::error::{ensure_shape, Error, Result};

/// The output shape `[filters, rows, cols]` of a convolution of an input of
/// shape `x` by filters of shape `w = [filters, k, k]` with stride `s`.
fn conv_shape(x: &[usize], w: &[usize], s: usize) -> Result<[usize; 3]> {
    if w[0] == 0 {
        return Err(Error::BadSize {
            what: "number of filters".into(),
            value: 0,
            constraint: "must be at least 1".into(),
        });
    }
    Ok([
        w[0],
        conv_out_size(x[0], w[1], s)?,
        conv_out_size(x[1], w[2], s)?,
    ])
}

// ANCHOR: conv_forward
/// Convolution (valid, stride `s`) of one image `x` (d x d) with the filters
/// `w[c]` (k x k):
///
/// Y^c_{m,n} = sum_{a,b=1}^{k} X_{(m-1)s+a, (n-1)s+b} W^c_{a,b}.
pub fn conv_forward(x: ArrayView2<f64>, w: ArrayView3<f64>, s: usize) -> Result<Array3<f64>> {
    let [filters, rows, cols] = conv_shape(x.shape(), w.shape(), s)?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    let (_, kh, kw) = w.dim();
    let mut y = Array3::zeros((filters, rows, cols));
    for c in 0..filters {
        for m in 0..rows {
            for n in 0..cols {
                let mut sum = 0.0;
                for a in 0..kh {
                    for b in 0..kw {
                        sum += x[[m * s + a, n * s + b]] * w[[c, a, b]];
                    }
                }
                y[[c, m, n]] = sum;
            }
        }
    }
    Ok(y)
}
// ANCHOR_END: conv_forward

// ANCHOR: conv_backward_w
/// The gradient of the loss with respect to the filters, from the gradient
/// `dy` with respect to the output:
///
/// dL/dW^c_{a,b} = sum_{m,n} dL/dY^c_{m,n} X_{(m-1)s+a, (n-1)s+b}.
pub fn conv_backward_w(
    x: ArrayView2<f64>,
    dy: ArrayView3<f64>,
    k: usize,
    s: usize,
) -> Result<Array3<f64>> {
    let filters = dy.shape()[0];
    let expected = conv_shape(x.shape(), &[filters, k, k], s)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    let [_, rows, cols] = expected;
    let mut dw = Array3::zeros((filters, k, k));
    for c in 0..filters {
        for a in 0..k {
            for b in 0..k {
                let mut sum = 0.0;
                for m in 0..rows {
                    for n in 0..cols {
                        sum += dy[[c, m, n]] * x[[m * s + a, n * s + b]];
                    }
                }
                dw[[c, a, b]] = sum;
            }
        }
    }
    Ok(dw)
}
// ANCHOR_END: conv_backward_w

// ANCHOR: window_range
/// The 0-based output positions `m` whose window contains input position `u`:
/// those with 0 <= u - m s < k, i.e. ceil((u - k + 1) / s) <= m <= floor(u / s),
/// clipped to the `out` positions that exist.
pub(crate) fn windows_containing(
    u: usize,
    k: usize,
    s: usize,
    out: usize,
) -> std::ops::Range<usize> {
    let lo = if u + 1 > k {
        (u + 1 - k).div_ceil(s)
    } else {
        0
    };
    let hi = (u / s + 1).min(out);
    lo..hi.max(lo)
}
// ANCHOR_END: window_range

/// The checks both forms of dL/dX make: dL/dY has the shape of the output
/// for a d x d input (returned) and the inputs are finite.
fn check_backward_x(
    w: ArrayView3<f64>,
    dy: ArrayView3<f64>,
    d: (usize, usize),
    s: usize,
) -> Result<[usize; 3]> {
    let expected = conv_shape(&[d.0, d.1], w.shape(), s)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    Ok(expected)
}

// ANCHOR: conv_backward_x
/// The gradient of the loss with respect to the input, which the source omits:
///
/// dL/dX_{u,v} = sum_c sum_{m,n} dL/dY^c_{m,n} W^c_{u-(m-1)s, v-(n-1)s},
///
/// where only the terms whose filter index lies in 1..=k exist. Input rows and
/// columns that no window reaches (when s does not divide d - k) get zero.
pub fn conv_backward_x(
    w: ArrayView3<f64>,
    dy: ArrayView3<f64>,
    d: (usize, usize),
    s: usize,
) -> Result<Array2<f64>> {
    let expected = check_backward_x(w, dy, d, s)?;
    let [filters, rows, cols] = expected;
    let (_, kh, kw) = w.dim();
    let mut dx = Array2::zeros(d);
    for u in 0..d.0 {
        for v in 0..d.1 {
            let mut sum = 0.0;
            for c in 0..filters {
                for m in windows_containing(u, kh, s, rows) {
                    for n in windows_containing(v, kw, s, cols) {
                        sum += dy[[c, m, n]] * w[[c, u - m * s, v - n * s]];
                    }
                }
            }
            dx[[u, v]] = sum;
        }
    }
    Ok(dx)
}
// ANCHOR_END: conv_backward_x

// ANCHOR: dilate
/// Inserts `s - 1` zeros between neighbouring entries of `g`: the result has
/// size ((rows - 1) s + 1) x ((cols - 1) s + 1) and holds g_{m,n} at ((m-1)s+1, (n-1)s+1).
///
/// Errors if `g` is empty or `s` is 0.
pub fn dilate(g: ArrayView2<f64>, s: usize) -> Result<Array2<f64>> {
    let (rows, cols) = g.dim();
    ensure_nonempty("dilated matrix", rows, cols)?;
    if s == 0 {
        return Err(Error::BadSize {
            what: "dilation stride s".into(),
            value: s,
            constraint: "must be at least 1".into(),
        });
    }
    let mut out = Array2::zeros(((rows - 1) * s + 1, (cols - 1) * s + 1));
    for m in 0..rows {
        for n in 0..cols {
            out[[m * s, n * s]] = g[[m, n]];
        }
    }
    Ok(out)
}

/// Errors unless a matrix has at least one row and one column.
fn ensure_nonempty(what: &str, rows: usize, cols: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(Error::BadSize {
            what: format!("number of rows or columns of the {what}"),
            value: 0,
            constraint: format!("both must be at least 1, found {rows} x {cols}"),
        });
    }
    Ok(())
}
// ANCHOR_END: dilate

// ANCHOR: full_correlation
/// The full correlation of `g` with `h`: the valid correlation of `g` padded
/// with `k - 1` zeros on every side, of size (rows + k - 1) x (cols + k - 1):
///
/// (g full-corr h)_{u,v} = sum_{a,b} g_{u+a-k+1, v+b-k+1} h_{a,b} (absent entries of g are 0).
///
/// Errors if `g` or `h` is empty.
pub fn full_correlation(g: ArrayView2<f64>, h: ArrayView2<f64>) -> Result<Array2<f64>> {
    let (rows, cols) = g.dim();
    let (kh, kw) = h.dim();
    ensure_nonempty("correlated matrix", rows, cols)?;
    ensure_nonempty("correlation kernel", kh, kw)?;
    let mut out = Array2::zeros((rows + kh - 1, cols + kw - 1));
    for u in 0..rows + kh - 1 {
        for v in 0..cols + kw - 1 {
            let mut sum = 0.0;
            for a in 0..kh {
                for b in 0..kw {
                    // g index (u + a - (kh - 1), v + b - (kw - 1)), if inside g
                    let (gu, gv) = (u + a, v + b);
                    if gu >= kh - 1 && gv >= kw - 1 && gu - (kh - 1) < rows && gv - (kw - 1) < cols
                    {
                        sum += g[[gu - (kh - 1), gv - (kw - 1)]] * h[[a, b]];
                    }
                }
            }
            out[[u, v]] = sum;
        }
    }
    Ok(out)
}
// ANCHOR_END: full_correlation

// ANCHOR: conv_backward_x_full
/// dL/dX as the source's network would compute it with one more convolution:
/// for every filter, the full correlation of the dilated output gradient with
/// the filter turned by 180 degrees, summed over filters, then padded with
/// zeros up to d x d (the rows and columns that no window reaches).
pub fn conv_backward_x_full(
    w: ArrayView3<f64>,
    dy: ArrayView3<f64>,
    d: (usize, usize),
    s: usize,
) -> Result<Array2<f64>> {
    let expected = check_backward_x(w, dy, d, s)?;
    let (_, kh, kw) = w.dim();
    let mut dx = Array2::zeros(d);
    for c in 0..expected[0] {
        let flipped = Array2::from_shape_fn((kh, kw), |(a, b)| w[[c, kh - 1 - a, kw - 1 - b]]);
        let dilated = dilate(dy.index_axis(ndarray::Axis(0), c), s)?;
        let g = full_correlation(dilated.view(), flipped.view())?;
        for ((u, v), &guv) in g.indexed_iter() {
            dx[[u, v]] += guv;
        }
    }
    Ok(dx)
}
// ANCHOR_END: conv_backward_x_full

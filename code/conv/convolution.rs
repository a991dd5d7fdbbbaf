//! The convolutional layer of the source's network, one image at a time:
//! `k`x`k` filters at stride `s` (a [`Conv`]), the forward pass, dL/dW, and
//! dL/dX both by the loops of its formula and as a full correlation of the
//! dilated output gradient with the flipped filters. Each pass is the formula
//! of the chapter written out index by index (math index `i` is code index
//! `i - 1`).

use ndarray::{Array2, Array3, ArrayBase, ArrayView2, ArrayView3, Axis, Dimension};

use super::size::Conv;
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};

// ANCHOR: ensure_no_overflow
/// Checks that a result computed from finite inputs is finite. A sum of
/// products of finite numbers can still overflow (entries of 1e300 do), and
/// once a partial sum is infinite it never becomes finite again, so a finite
/// result means that nothing overflowed. The error names the argument `what`
/// and its entry of largest magnitude, the one the caller must make smaller.
pub(crate) fn ensure_no_overflow<S, T, D, E>(
    what: &str,
    input: &ArrayBase<S, D>,
    output: &ArrayBase<T, E>,
) -> Result<()>
where
    S: ndarray::Data<Elem = f64>,
    T: ndarray::Data<Elem = f64>,
    D: Dimension,
    E: Dimension,
{
    if output.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    let largest = input.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    Err(Error::OutOfRange {
        what: what.to_string(),
        value: largest,
        range: "entries small enough that the result stays below f64::MAX".into(),
    })
}
// ANCHOR_END: ensure_no_overflow

// ANCHOR: conv_checks
/// The output shape `[filters, rows, cols]` of a convolution of an input of
/// shape `x` by filters of shape `w`, which must be `[filters, k, k]`.
pub(crate) fn conv_shape(
    x: (usize, usize),
    w: (usize, usize, usize),
    conv: Conv,
) -> Result<[usize; 3]> {
    if w.0 == 0 {
        return Err(Error::BadSize {
            what: "number of filters (axis 0 of W)".into(),
            value: 0,
            constraint: "must be at least 1".into(),
        });
    }
    ensure_shape(
        "conv filters W",
        &[w.0, conv.k(), conv.k()],
        &[w.0, w.1, w.2],
    )?;
    let shape = [w.0, conv.out_size(x.0)?, conv.out_size(x.1)?];
    ensure_allocatable("conv output Y", &shape)?;
    Ok(shape)
}

/// The checks both forms of dL/dX make: the input size `d` can be allocated,
/// dL/dY has the shape of the output for a d x d input (returned), and the
/// inputs are finite.
pub(crate) fn check_backward_x(
    w: ArrayView3<f64>,
    dy: ArrayView3<f64>,
    d: (usize, usize),
    conv: Conv,
) -> Result<[usize; 3]> {
    ensure_allocatable("input size d", &[d.0, d.1])?;
    let expected = conv_shape(d, w.dim(), conv)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    Ok(expected)
}
// ANCHOR_END: conv_checks

// ANCHOR: conv_forward
/// Convolution (valid, stride `s`) of one image `x` (d x d) with the filters
/// `w[c]` (k x k):
///
/// Y^c_{m,n} = sum_{a,b=1}^{k} X_{(m-1)s+a, (n-1)s+b} W^c_{a,b}.
pub fn conv_forward(x: ArrayView2<f64>, w: ArrayView3<f64>, conv: Conv) -> Result<Array3<f64>> {
    let [filters, rows, cols] = conv_shape(x.dim(), w.dim(), conv)?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    let (k, s) = (conv.k(), conv.s());
    let mut y = Array3::zeros((filters, rows, cols));
    // every index is in range: conv_shape checked the sizes
    for c in 0..filters {
        for m in 0..rows {
            for n in 0..cols {
                let mut sum = 0.0;
                for a in 0..k {
                    for b in 0..k {
                        sum += x[[m * s + a, n * s + b]] * w[[c, a, b]];
                    }
                }
                y[[c, m, n]] = sum;
            }
        }
    }
    ensure_no_overflow("conv input X", &x, &y)?;
    Ok(y)
}
// ANCHOR_END: conv_forward

// ANCHOR: conv_backward_w
/// The gradient of the loss with respect to the filters, from the gradient
/// `dy` with respect to the output:
///
/// dL/dW^c_{a,b} = sum_{m,n} dL/dY^c_{m,n} X_{(m-1)s+a, (n-1)s+b}.
pub fn conv_backward_w(x: ArrayView2<f64>, dy: ArrayView3<f64>, conv: Conv) -> Result<Array3<f64>> {
    let (k, s) = (conv.k(), conv.s());
    let filters = dy.dim().0;
    let expected = conv_shape(x.dim(), (filters, k, k), conv)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    let [_, rows, cols] = expected;
    let mut dw = Array3::zeros((filters, k, k));
    // every index is in range: the shapes were checked above
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
    ensure_no_overflow("conv output gradient dL/dY", &dy, &dw)?;
    Ok(dw)
}
// ANCHOR_END: conv_backward_w

// ANCHOR: window_range
/// The 0-based output positions `m` whose window contains input position `u`:
/// those with 0 <= u - m s < k, i.e. ceil((u - k + 1) / s) <= m <= floor(u / s),
/// clipped to the `out` positions that exist. (`k` and `s` are at least 1.)
pub(crate) fn windows_containing(
    u: usize,
    k: usize,
    s: usize,
    out: usize,
) -> std::ops::Range<usize> {
    let lo = if u >= k { (u - k + 1).div_ceil(s) } else { 0 };
    let hi = (u / s + 1).min(out);
    lo..hi.max(lo)
}
// ANCHOR_END: window_range

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
    conv: Conv,
) -> Result<Array2<f64>> {
    let [filters, rows, cols] = check_backward_x(w, dy, d, conv)?;
    let (k, s) = (conv.k(), conv.s());
    let mut dx = Array2::zeros(d);
    // every index is in range: windows_containing keeps u - m s below k
    for u in 0..d.0 {
        for v in 0..d.1 {
            let mut sum = 0.0;
            for c in 0..filters {
                for m in windows_containing(u, k, s, rows) {
                    for n in windows_containing(v, k, s, cols) {
                        sum += dy[[c, m, n]] * w[[c, u - m * s, v - n * s]];
                    }
                }
            }
            dx[[u, v]] = sum;
        }
    }
    ensure_no_overflow("conv output gradient dL/dY", &dy, &dx)?;
    Ok(dx)
}
// ANCHOR_END: conv_backward_x

// ANCHOR: dilate
/// Errors unless a matrix has at least one row and one column.
pub(crate) fn ensure_nonempty(what: &str, rows: usize, cols: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(Error::BadSize {
            what: what.to_string(),
            value: 0,
            constraint: format!("needs at least one row and one column, found {rows} x {cols}"),
        });
    }
    Ok(())
}

/// Inserts `s - 1` zeros between neighbouring entries of `g`: the result has
/// size ((rows - 1) s + 1) x ((cols - 1) s + 1) and holds g_{m,n} at ((m-1)s+1, (n-1)s+1).
///
/// Errors if `g` is empty or not finite, if `s` is 0, or if the result is too large.
pub fn dilate(g: ArrayView2<f64>, s: usize) -> Result<Array2<f64>> {
    let (rows, cols) = g.dim();
    ensure_nonempty("dilated matrix g", rows, cols)?;
    if s == 0 {
        return Err(Error::BadSize {
            what: "dilation stride s".into(),
            value: s,
            constraint: "must be at least 1".into(),
        });
    }
    ensure_finite("dilated matrix g", &g)?;
    let side = |n: usize| {
        (n - 1)
            .checked_mul(s)
            .and_then(|v| v.checked_add(1))
            .ok_or_else(|| Error::Overflow {
                what: "dilation stride s".into(),
                operands: vec![n - 1, s],
            })
    };
    let shape = [side(rows)?, side(cols)?];
    ensure_allocatable("dilation stride s", &shape)?;
    let mut out = Array2::zeros((shape[0], shape[1]));
    for m in 0..rows {
        for n in 0..cols {
            out[[m * s, n * s]] = g[[m, n]];
        }
    }
    Ok(out)
}
// ANCHOR_END: dilate

// ANCHOR: full_correlation
/// The full correlation of `g` with `h`: the valid correlation of `g` padded
/// with `k - 1` zeros on every side, of size (rows + k - 1) x (cols + k - 1):
///
/// (g full-corr h)_{u,v} = sum_{a,b} g_{u+a-k+1, v+b-k+1} h_{a,b} (absent entries of g are 0).
///
/// Errors if `g` or `h` is empty or not finite, or if the result is too large.
pub fn full_correlation(g: ArrayView2<f64>, h: ArrayView2<f64>) -> Result<Array2<f64>> {
    let (rows, cols) = g.dim();
    let (kh, kw) = h.dim();
    ensure_nonempty("correlated matrix g", rows, cols)?;
    ensure_nonempty("correlation kernel h", kh, kw)?;
    ensure_finite("correlated matrix g", &g)?;
    ensure_finite("correlation kernel h", &h)?;
    // both are at most isize::MAX, as the lengths of arrays that exist
    let (out_rows, out_cols) = (rows + kh - 1, cols + kw - 1);
    ensure_allocatable("full correlation of g and h", &[out_rows, out_cols])?;
    let mut out = Array2::zeros((out_rows, out_cols));
    for u in 0..out_rows {
        for v in 0..out_cols {
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
    ensure_no_overflow("correlated matrix g", &g, &out)?;
    Ok(out)
}
// ANCHOR_END: full_correlation

// ANCHOR: rot180
/// The matrix `h` turned by 180 degrees: entry (a, b) of the result is entry
/// (k+1-a, l+1-b) of the k x l matrix `h` (1-based), the flipped filter of
/// (conv.dX-full).
pub fn rot180(h: ArrayView2<f64>) -> Array2<f64> {
    let (k, l) = h.dim();
    Array2::from_shape_fn((k, l), |(a, b)| h[[k - 1 - a, l - 1 - b]])
}
// ANCHOR_END: rot180

// ANCHOR: conv_backward_x_full
/// dL/dX as the source's network would compute it with one more convolution:
/// for every filter, the full correlation of the dilated output gradient with
/// the filter turned by 180 degrees, summed over filters, then padded with
/// zeros up to d x d (the rows and columns that no window reaches).
pub fn conv_backward_x_full(
    w: ArrayView3<f64>,
    dy: ArrayView3<f64>,
    d: (usize, usize),
    conv: Conv,
) -> Result<Array2<f64>> {
    let [filters, _, _] = check_backward_x(w, dy, d, conv)?;
    let mut dx = Array2::zeros(d);
    for c in 0..filters {
        let flipped = rot180(w.index_axis(Axis(0), c));
        let dilated = dilate(dy.index_axis(Axis(0), c), conv.s())?;
        let g = full_correlation(dilated.view(), flipped.view())?;
        // g has side (M - 1) s + k <= d, so every (u, v) lies in dx
        for ((u, v), &guv) in g.indexed_iter() {
            dx[[u, v]] += guv;
        }
    }
    ensure_no_overflow("conv output gradient dL/dY", &dy, &dx)?;
    Ok(dx)
}
// ANCHOR_END: conv_backward_x_full

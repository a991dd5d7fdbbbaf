//! The layers of the source's network, one image at a time: convolution with
//! any number of `k`x`k` filters and stride `s`, max pooling, flatten, a fully
//! connected layer, softmax and cross-entropy. Each backward pass is the
//! formula of the chapter written out index by index (math index `i` is code
//! index `i - 1`).

use ndarray::{Array1, Array2, Array3, ArrayView1, ArrayView2, ArrayView3};

use super::size::{conv_out_size, pool_out_size};
use crate::error::ensure_finite;
use crate::error::{ensure_shape, Error, Result};
use crate::numerics::{log_softmax, softmax};

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

// ANCHOR: window_argmax
/// The position (row, col) of the maximum of the `p` x `p` window of `y` that
/// starts at row `m t`, column `n t` (0-based window (m, n), stride `t`).
///
/// Tie rule: the first maximum in row-major order wins (a later entry must be
/// strictly larger to replace it), the rule of the major frameworks' max-pooling kernels.
pub(crate) fn window_argmax(
    y: ArrayView2<f64>,
    m: usize,
    n: usize,
    p: usize,
    t: usize,
) -> (usize, usize) {
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
// ANCHOR_END: window_argmax

fn pool_shape(y: &[usize], p: usize, t: usize) -> Result<[usize; 3]> {
    Ok([y[0], pool_out_size(y[1], p, t)?, pool_out_size(y[2], p, t)?])
}

// ANCHOR: max_pool_forward
/// Max pooling of every map of `y` with a `p` x `p` window and stride `t`
/// (the source uses t = 1):
///
/// P^c_{m,n} = max_{i,j=1..p} Y^c_{(m-1)t+i, (n-1)t+j}.
pub fn max_pool_forward(y: ArrayView3<f64>, p: usize, t: usize) -> Result<Array3<f64>> {
    let [maps, rows, cols] = pool_shape(y.shape(), p, t)?;
    ensure_finite("pool input Y", &y)?;
    let mut out = Array3::zeros((maps, rows, cols));
    for c in 0..maps {
        let yc = y.index_axis(ndarray::Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                out[[c, m, n]] = yc[window_argmax(yc, m, n, p, t)];
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
    p: usize,
    t: usize,
) -> Result<Array3<f64>> {
    let expected = pool_shape(y.shape(), p, t)?;
    ensure_shape("pool output gradient dL/dP", &expected, dp.shape())?;
    ensure_finite("pool input Y", &y)?;
    ensure_finite("pool output gradient dL/dP", &dp)?;
    let [maps, rows, cols] = expected;
    let mut dy = Array3::zeros(y.raw_dim());
    for c in 0..maps {
        let yc = y.index_axis(ndarray::Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                let (u, v) = window_argmax(yc, m, n, p, t);
                dy[[c, u, v]] += dp[[c, m, n]];
            }
        }
    }
    Ok(dy)
}
// ANCHOR_END: max_pool_backward

// ANCHOR: flatten_index
/// The 0-based position in the flat vector of entry (c, m, n) of maps of
/// size rows x cols: row-major order, c (rows cols) + m cols + n.
/// (`rows` and `cols` are at least 1 for every map this crate makes.)
pub fn flat_index(c: usize, m: usize, n: usize, rows: usize, cols: usize) -> usize {
    c * rows * cols + m * cols + n
}

/// The inverse of [`flat_index`]: the map, row and column of flat position `i`.
pub fn unflat_index(i: usize, rows: usize, cols: usize) -> (usize, usize, usize) {
    (i / (rows * cols), (i % (rows * cols)) / cols, i % cols)
}
// ANCHOR_END: flatten_index

// ANCHOR: flatten
/// F_{flat_index(c,m,n)} = P^c_{m,n}.
pub fn flatten(p: ArrayView3<f64>) -> Array1<f64> {
    let (maps, rows, cols) = p.dim();
    let mut f = Array1::zeros(maps * rows * cols);
    for c in 0..maps {
        for m in 0..rows {
            for n in 0..cols {
                f[flat_index(c, m, n, rows, cols)] = p[[c, m, n]];
            }
        }
    }
    f
}

/// The inverse of [`flatten`], which is also its backward pass:
/// dL/dP^c_{m,n} = dL/dF_{flat_index(c,m,n)}.
pub fn unflatten(f: ArrayView1<f64>, shape: (usize, usize, usize)) -> Result<Array3<f64>> {
    let (maps, rows, cols) = shape;
    ensure_shape("flat vector", &[maps * rows * cols], f.shape())?;
    Ok(Array3::from_shape_fn(shape, |(c, m, n)| {
        f[flat_index(c, m, n, rows, cols)]
    }))
}
// ANCHOR_END: flatten

// ANCHOR: fc
/// The fully connected layer z = V f + b.
pub fn fc_forward(
    v: ArrayView2<f64>,
    b: ArrayView1<f64>,
    f: ArrayView1<f64>,
) -> Result<Array1<f64>> {
    ensure_shape("fully connected input f", &[v.ncols()], f.shape())?;
    ensure_shape("fully connected bias b", &[v.nrows()], b.shape())?;
    ensure_finite("fully connected input f", &f)?;
    Ok(v.dot(&f) + b)
}

/// The gradients of the fully connected layer, from dL/dz:
/// dL/dV_{j,i} = dL/dz_j f_i, dL/db_j = dL/dz_j, dL/df_i = sum_j V_{j,i} dL/dz_j.
pub fn fc_backward(
    v: ArrayView2<f64>,
    f: ArrayView1<f64>,
    dz: ArrayView1<f64>,
) -> Result<(Array2<f64>, Array1<f64>, Array1<f64>)> {
    ensure_shape("fully connected input f", &[v.ncols()], f.shape())?;
    ensure_shape(
        "fully connected output gradient dL/dz",
        &[v.nrows()],
        dz.shape(),
    )?;
    ensure_finite("fully connected output gradient dL/dz", &dz)?;
    let dv = Array2::from_shape_fn(v.dim(), |(j, i)| dz[j] * f[i]);
    Ok((dv, dz.to_owned(), v.t().dot(&dz)))
}
// ANCHOR_END: fc

// ANCHOR: softmax_jacobian
/// The Jacobian of the softmax sigma = softmax(z): d sigma_i / d z_j = sigma_i (delta_ij - sigma_j).
pub fn softmax_jacobian(z: ArrayView1<f64>) -> Array2<f64> {
    let sigma = softmax(z);
    Array2::from_shape_fn((z.len(), z.len()), |(i, j)| {
        sigma[i] * (if i == j { 1.0 } else { 0.0 } - sigma[j])
    })
}

/// The backward pass of the softmax without forming the Jacobian:
/// dL/dz_j = sum_i dL/dsigma_i sigma_i (delta_ij - sigma_j) = sigma_j (g_j - sum_i sigma_i g_i).
pub fn softmax_backward(z: ArrayView1<f64>, g: ArrayView1<f64>) -> Result<Array1<f64>> {
    ensure_shape("softmax output gradient", z.shape(), g.shape())?;
    let sigma = softmax(z);
    let inner = sigma.dot(&g);
    Ok(&sigma * &(&g - inner))
}
// ANCHOR_END: softmax_jacobian

/// How far from 1 the entries of a target distribution may sum: a distribution
/// written in f64 sums to 1 up to a few ulps times its length; 1e-9 accepts any
/// such rounding and rejects any target that is not a distribution.
pub const TARGET_SUM_TOL: f64 = 1e-9;

fn check_target(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<()> {
    ensure_shape("cross-entropy target", z.shape(), target.shape())?;
    ensure_finite("logits z", &z)?;
    for (j, &tj) in target.iter().enumerate() {
        if tj.is_nan() || tj < 0.0 || !tj.is_finite() {
            return Err(Error::BadValue {
                what: "cross-entropy target".into(),
                index: vec![j],
                value: tj,
                allowed: "a finite probability >= 0".into(),
            });
        }
    }
    let sum = target.sum();
    if (sum - 1.0).abs() > TARGET_SUM_TOL {
        return Err(Error::NotNormalized {
            what: "cross-entropy target".into(),
            row: vec![],
            sum,
            tolerance: TARGET_SUM_TOL,
        });
    }
    Ok(())
}

// ANCHOR: cross_entropy
/// The cross-entropy of the softmax of the logits `z` against a target
/// distribution `t`: L = -sum_j t_j ln softmax(z)_j, with ln softmax computed
/// stably (finite for logits of any size).
pub fn cross_entropy(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<f64> {
    check_target(z, target)?;
    let log_sigma = log_softmax(z);
    Ok(-target
        .iter()
        .zip(log_sigma.iter())
        .filter(|(&tj, _)| tj > 0.0)
        .map(|(&tj, &lj)| tj * lj)
        .sum::<f64>())
}

/// The gradient of [`cross_entropy`] with respect to the logits: softmax(z) - t.
pub fn softmax_xent_grad(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<Array1<f64>> {
    check_target(z, target)?;
    Ok(softmax(z) - target)
}
// ANCHOR_END: cross_entropy

/// The one-hot target of class `label` among `classes`.
pub fn one_hot(label: usize, classes: usize) -> Result<Array1<f64>> {
    if label >= classes {
        return Err(Error::BadSize {
            what: "class label".into(),
            value: label,
            constraint: format!("must be below the number of classes {classes}"),
        });
    }
    let mut t = Array1::zeros(classes);
    t[label] = 1.0;
    Ok(t)
}

// ANCHOR: pool_margin
/// The smallest gap, over all pooling windows, between the winning entry and
/// the best other entry of its window (infinity if every window has one
/// entry). Finite differences of step h see the true pooling gradient only if
/// no perturbation can change a winner, that is if this margin exceeds the
/// largest change h can cause in Y.
pub fn pool_margin(y: ArrayView3<f64>, p: usize, t: usize) -> Result<f64> {
    let [maps, rows, cols] = pool_shape(y.shape(), p, t)?;
    let mut margin = f64::INFINITY;
    for c in 0..maps {
        let yc = y.index_axis(ndarray::Axis(0), c);
        for m in 0..rows {
            for n in 0..cols {
                let best = window_argmax(yc, m, n, p, t);
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
    Ok(margin)
}
// ANCHOR_END: pool_margin

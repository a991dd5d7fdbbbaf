//! The source's formulas exactly as it states them (1-based where it is), so
//! that the tests can show where they agree with the truth and where not.
//! Nothing else in the crate uses this module. Each function checks only
//! that its arguments lie where the source's formula can be evaluated at all
//! (sizes that exist, indices from 1); what it returns there is the source's
//! answer, right or wrong.

use ndarray::{Array2, Array3, ArrayView2, ArrayView3};

use crate::error::{ensure_finite, Error, Result};

/// Errors unless 1 <= k <= d.
fn kernel_fits(d: usize, k: usize) -> Result<()> {
    if k == 0 || k > d {
        return Err(Error::BadSize {
            what: "kernel size k".into(),
            value: k,
            constraint: format!("must be between 1 and the input size d = {d}"),
        });
    }
    Ok(())
}

/// Errors if a sum of products of finite entries overflowed (`finite` is
/// false), naming the input and its largest magnitude.
fn finite_sum<S, D>(what: &str, input: &ndarray::ArrayBase<S, D>, finite: bool) -> Result<()>
where
    S: ndarray::Data<Elem = f64>,
    D: ndarray::Dimension,
{
    if finite {
        return Ok(());
    }
    Err(Error::OutOfRange {
        what: what.to_string(),
        value: input.iter().fold(0.0f64, |m, v| m.max(v.abs())),
        range: "entries small enough that the sum stays below f64::MAX".into(),
    })
}

/// The source's size of each convolution output map, (d - k + 1) / 2.
pub fn conv_size_y(d: usize, k: usize) -> Result<f64> {
    kernel_fits(d, k)?;
    Ok(((d - k) as f64 + 1.0) / 2.0)
}

/// The source's size of the convolution's output gradient, (d - k + 1) / s.
pub fn conv_size_dy(d: usize, k: usize, s: usize) -> Result<f64> {
    kernel_fits(d, k)?;
    at_least_one("stride s", s)?;
    Ok(((d - k) as f64 + 1.0) / s as f64)
}

/// The source's size of each pooled map, (d - k + 1) / s - p + 1.
pub fn pool_size(d: usize, k: usize, s: usize, p: usize) -> Result<f64> {
    Ok(conv_size_dy(d, k, s)? - p as f64 + 1.0)
}

/// The source's filter gradient, dL/dW^c_{p,q} = sum_{m,n=1}^{(d-k+1)/s} dL/dY^c_{m,n}
/// X_{(m-1)s+p,(n-1)s+q}, its upper limit read as the largest integer not
/// above (d-k+1)/s (a sum runs over whole indices). Errors unless `x` is
/// square and finite, 1 <= k <= d, s >= 1, and `dy` has the limit's rows
/// and columns at least.
pub fn dw(x: ArrayView2<f64>, dy: ArrayView3<f64>, k: usize, s: usize) -> Result<Array3<f64>> {
    let d = x.nrows();
    if x.ncols() != d {
        return Err(Error::ShapeMismatch {
            what: "input X (square in the source)".into(),
            expected: vec![d, d],
            found: x.shape().to_vec(),
        });
    }
    let limit = conv_size_dy(d, k, s)?.floor() as usize;
    let (filters, rows, cols) = dy.dim();
    if rows < limit || cols < limit {
        return Err(Error::ShapeMismatch {
            what: "output gradient dL/dY".into(),
            expected: vec![filters, limit, limit],
            found: dy.shape().to_vec(),
        });
    }
    ensure_finite("input X", &x)?;
    ensure_finite("output gradient dL/dY", &dy)?;
    // (limit - 1) s + k <= d: floor((d - k + 1)/s) - 1 <= (d - k)/s, so every index exists
    let dw = Array3::from_shape_fn((filters, k, k), |(c, p, q)| {
        let mut sum = 0.0;
        for m in 1..=limit {
            for n in 1..=limit {
                sum += dy[[c, m - 1, n - 1]] * x[[(m - 1) * s + p, (n - 1) * s + q]];
            }
        }
        sum
    });
    finite_sum(
        "output gradient dL/dY",
        &dy,
        dw.iter().all(|v| v.is_finite()),
    )?;
    Ok(dw)
}

/// The source's pooling gradient for one map (stride 1), as written:
///
/// dL/dY_{m,n} = sum_{i,j=1}^{p} dL/dP_{m+i-1,n+j-1} 1((i,j) = argmax_{i,j} Y_{m+i-1,n+j-1}),
///
/// with the argmax over the window that starts at (m, n) (clipped to the map)
/// and the terms whose P index does not exist dropped. Errors unless
/// 1 <= p <= the sides of `y`, and both maps are finite.
pub fn pool_grad(y: ArrayView2<f64>, dp: ArrayView2<f64>, p: usize) -> Result<Array2<f64>> {
    let side = y.nrows().min(y.ncols());
    if p == 0 || p > side {
        return Err(Error::BadSize {
            what: "pool window p".into(),
            value: p,
            constraint: format!("must be between 1 and the map's side {side}"),
        });
    }
    ensure_finite("pool input Y", &y)?;
    ensure_finite("pool output gradient dL/dP", &dp)?;
    let (rows, cols) = y.dim();
    let (q_rows, q_cols) = dp.dim();
    Ok(Array2::from_shape_fn((rows, cols), |(m0, n0)| {
        // 1-based m, n; argmax over i, j in 1..=p with m+i-1 <= rows
        let (m, n) = (m0 + 1, n0 + 1);
        let mut best = (1, 1);
        for i in 1..=p {
            for j in 1..=p {
                if m + i - 1 <= rows
                    && n + j - 1 <= cols
                    && y[[m + i - 2, n + j - 2]] > y[[m + best.0 - 2, n + best.1 - 2]]
                {
                    best = (i, j);
                }
            }
        }
        let mut sum = 0.0;
        for i in 1..=p {
            for j in 1..=p {
                if (i, j) == best && m + i - 1 <= q_rows && n + j - 1 <= q_cols {
                    sum += dp[[m + i - 2, n + j - 2]];
                }
            }
        }
        sum
    }))
}

// ANCHOR: source_flatten
/// Errors unless 1 <= `value` (a 1-based index or a size of at least one).
fn at_least_one(what: &str, value: usize) -> Result<()> {
    if value == 0 {
        return Err(Error::BadSize {
            what: what.to_string(),
            value,
            constraint: "must be at least 1".into(),
        });
    }
    Ok(())
}

/// The source's map from flat index i (1-based) to (map, m, n) (1-based) for
/// maps of side `q`: map = ceil(i / q^2), m = ceil((i - q^2 (map-1)) / q),
/// n = i - q^2 (map-1) - (m-1) q. The ceilings are of exact rationals, so
/// integer ceiling division computes them exactly. Errors unless i, q >= 1
/// and q^2 fits in a usize.
pub fn flat_to_map(i: usize, q: usize) -> Result<(usize, usize, usize)> {
    at_least_one("flat index i", i)?;
    at_least_one("map side q", q)?;
    let q2 = q.checked_mul(q).ok_or_else(|| Error::Overflow {
        what: "map side q".into(),
        operands: vec![q, q],
    })?;
    let map = i.div_ceil(q2);
    let rest = i - q2 * (map - 1); // in 1..=q^2
    let m = rest.div_ceil(q);
    let n = rest - (m - 1) * q;
    Ok((map, m, n))
}

/// The source's inverse map: i = (map - 1) q^2 + (m - 1) q + n (all 1-based).
/// Errors unless map, m, n >= 1, m, n <= q, and i fits in a usize.
pub fn map_to_flat(map: usize, m: usize, n: usize, q: usize) -> Result<usize> {
    at_least_one("map index", map)?;
    for (what, value) in [("row m", m), ("column n", n)] {
        if value == 0 || value > q {
            return Err(Error::BadSize {
                what: what.into(),
                value,
                constraint: format!("must be between 1 and the map side q = {q}"),
            });
        }
    }
    (map - 1)
        .checked_mul(q)
        .and_then(|v| v.checked_mul(q))
        .and_then(|v| v.checked_add((m - 1).checked_mul(q)?.checked_add(n)?))
        .ok_or_else(|| Error::Overflow {
            what: "map index".into(),
            operands: vec![map, q, q],
        })
}
// ANCHOR_END: source_flatten

/// The source's convolution as written, Y_{m,n} = sum_{n=1}^{k} sum_{q=1}^{k}
/// X_{(m-1)s+p,(n-1)s+q} W_{p,q}: the outer sum runs over the name of the
/// output column, so the result cannot depend on that column, and the row
/// offset `p` (1-based) is left free. Returns the value for output row `m`
/// (1-based). Errors unless `w` is square and every index the sum reads exists.
pub fn conv_forward_as_written(
    x: ArrayView2<f64>,
    w: ArrayView2<f64>,
    m: usize,
    p: usize,
    s: usize,
) -> Result<f64> {
    let k = w.nrows();
    at_least_one("kernel size k", k)?;
    at_least_one("row m", m)?;
    at_least_one("stride s", s)?;
    if w.ncols() != k || p == 0 || p > k {
        return Err(Error::BadSize {
            what: "row offset p".into(),
            value: p,
            constraint: format!("must be between 1 and the side of a square filter, {k}"),
        });
    }
    // the largest indices read: row (m-1)s+p, column (k-1)s+k (1-based)
    let row = (m - 1).checked_mul(s).and_then(|v| v.checked_add(p));
    let col = (k - 1).checked_mul(s).and_then(|v| v.checked_add(k));
    match (row, col) {
        (Some(r), Some(c)) if r <= x.nrows() && c <= x.ncols() => {}
        _ => {
            return Err(Error::BadSize {
                what: "row m".into(),
                value: m,
                constraint: format!("the sum must read inside the {:?} input", x.dim()),
            })
        }
    }
    ensure_finite("input X", &x)?;
    ensure_finite("filter W", &w)?;
    let mut sum = 0.0;
    for n in 1..=k {
        for q in 1..=k {
            sum += x[[(m - 1) * s + p - 1, (n - 1) * s + q - 1]] * w[[p - 1, q - 1]];
        }
    }
    finite_sum("input X", &x, sum.is_finite())?;
    Ok(sum)
}

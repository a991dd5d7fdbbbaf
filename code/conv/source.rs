//! The source's formulas exactly as it states them (1-based where it is), so
//! that the tests can show where they agree with the truth and where not.
//! Nothing else in the crate uses this module, and it does not check its
//! input: it panics on sizes that the source's formulas do not cover.

use ndarray::{Array2, Array3, ArrayView2, ArrayView3};

/// The source's size of each convolution output map, (d - k + 1) / 2.
pub fn conv_size_y(d: usize, k: usize) -> f64 {
    (d as f64 - k as f64 + 1.0) / 2.0
}

/// The source's size of the convolution's output gradient, (d - k + 1) / s.
pub fn conv_size_dy(d: usize, k: usize, s: usize) -> f64 {
    (d as f64 - k as f64 + 1.0) / s as f64
}

/// The source's size of each pooled map, (d - k + 1) / s - p + 1.
pub fn pool_size(d: usize, k: usize, s: usize, p: usize) -> f64 {
    conv_size_dy(d, k, s) - p as f64 + 1.0
}

// ANCHOR: source_dw
/// The source's filter gradient, dL/dW^c_{p,q} = sum_{m,n=1}^{(d-k+1)/s} dL/dY^c_{m,n}
/// X_{(m-1)s+p,(n-1)s+q}, its upper limit read as the largest integer not
/// above (d-k+1)/s (a sum runs over whole indices).
pub fn dw(x: ArrayView2<f64>, dy: ArrayView3<f64>, k: usize, s: usize) -> Array3<f64> {
    let d = x.nrows();
    let limit = conv_size_dy(d, k, s).floor() as usize;
    let filters = dy.shape()[0];
    Array3::from_shape_fn((filters, k, k), |(c, p, q)| {
        let mut sum = 0.0;
        for m in 1..=limit {
            for n in 1..=limit {
                sum += dy[[c, m - 1, n - 1]] * x[[(m - 1) * s + p, (n - 1) * s + q]];
            }
        }
        sum
    })
}
// ANCHOR_END: source_dw

// ANCHOR: source_pool_grad
/// The source's pooling gradient for one map (stride 1), as written:
///
/// dL/dY_{m,n} = sum_{i,j=1}^{p} dL/dP_{m+i-1,n+j-1} 1((i,j) = argmax_{i,j} Y_{m+i-1,n+j-1}),
///
/// with the argmax over the window that starts at (m, n) (clipped to the map)
/// and the terms whose P index does not exist dropped.
pub fn pool_grad(y: ArrayView2<f64>, dp: ArrayView2<f64>, p: usize) -> Array2<f64> {
    let (rows, cols) = y.dim();
    let (q_rows, q_cols) = dp.dim();
    Array2::from_shape_fn((rows, cols), |(m0, n0)| {
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
    })
}
// ANCHOR_END: source_pool_grad

// ANCHOR: source_flatten
/// The source's map from flat index i (1-based) to (map, m, n) (1-based) for
/// maps of side `q`: map = ceil(i / q^2), m = ceil((i - q^2 (map-1)) / q),
/// n = i - q^2 (map-1) - (m-1) q. The ceilings are of exact rationals, so
/// integer ceiling division computes them exactly.
pub fn flat_to_map(i: usize, q: usize) -> (usize, usize, usize) {
    let map = i.div_ceil(q * q);
    let rest = i - q * q * (map - 1);
    let m = rest.div_ceil(q);
    let n = rest - (m - 1) * q;
    (map, m, n)
}

/// The source's inverse map: i = (map - 1) q^2 + (m - 1) q + n (all 1-based).
pub fn map_to_flat(map: usize, m: usize, n: usize, q: usize) -> usize {
    (map - 1) * q * q + (m - 1) * q + n
}
// ANCHOR_END: source_flatten

// ANCHOR: source_forward
/// The source's convolution as written, Y_{m,n} = sum_{n=1}^{k} sum_{q=1}^{k}
/// X_{(m-1)s+p,(n-1)s+q} W_{p,q}: the outer sum runs over the name of the
/// output column, so the result cannot depend on that column, and the row
/// offset `p` (1-based) is left free. Returns the value for output row `m` (1-based).
pub fn conv_forward_as_written(
    x: ArrayView2<f64>,
    w: ArrayView2<f64>,
    m: usize,
    p: usize,
    s: usize,
) -> f64 {
    let k = w.nrows();
    let mut sum = 0.0;
    for n in 1..=k {
        for q in 1..=k {
            sum += x[[(m - 1) * s + p - 1, (n - 1) * s + q - 1]] * w[[p - 1, q - 1]];
        }
    }
    sum
}
// ANCHOR_END: source_forward

//! The flatten layer (the index maps between the pooled maps and the flat
//! vector, and its backward pass, unflatten) and the fully connected layer
//! z = V f + b that the softmax needs.

use ndarray::{Array1, Array2, Array3, ArrayView1, ArrayView2, ArrayView3};

use crate::error::ensure_finite;
use crate::error::{ensure_shape, Result};

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

//! The flatten layer (the index maps between the pooled maps and the flat
//! vector, and its backward pass, unflatten) and the fully connected layer
//! z = V f + b that the softmax needs.

use ndarray::{Array1, Array2, Array3, ArrayView1, ArrayView2, ArrayView3};

use super::convolution::ensure_no_overflow;
use crate::error::{checked_product, ensure_finite, ensure_shape, Error, Result};

// ANCHOR: flatten_index
/// The 0-based position in the flat vector of entry (c, m, n) of maps of
/// size rows x cols: row-major order, c (rows cols) + m cols + n.
///
/// Errors unless m < rows and n < cols, or if the position overflows a usize.
pub fn flat_index(c: usize, m: usize, n: usize, rows: usize, cols: usize) -> Result<usize> {
    for (what, value, size) in [("row m", m, rows), ("column n", n, cols)] {
        if value >= size {
            return Err(Error::BadSize {
                what: what.into(),
                value,
                constraint: format!("must be below the map size {size}"),
            });
        }
    }
    let per_map = checked_product("map size rows cols", &[rows, cols])?;
    // m cols + n < rows cols = per_map, so only the product with c can overflow
    c.checked_mul(per_map)
        .and_then(|start| start.checked_add(m * cols + n))
        .ok_or_else(|| Error::Overflow {
            what: "map c".into(),
            operands: vec![c, rows, cols],
        })
}

/// The inverse of [`flat_index`]: the map, row and column of flat position `i`.
///
/// Errors if `rows` or `cols` is 0, or if rows cols overflows a usize.
pub fn unflat_index(i: usize, rows: usize, cols: usize) -> Result<(usize, usize, usize)> {
    for (what, value) in [("map rows", rows), ("map cols", cols)] {
        if value == 0 {
            return Err(Error::BadSize {
                what: what.into(),
                value,
                constraint: "must be at least 1".into(),
            });
        }
    }
    let per_map = checked_product("map size rows cols", &[rows, cols])?;
    Ok((i / per_map, (i % per_map) / cols, i % cols))
}
// ANCHOR_END: flatten_index

// ANCHOR: flatten
/// F_{flat_index(c,m,n)} = P^c_{m,n}: the maps one after another, each row
/// by row, which is ndarray's row-major order. Errors if `p` is not finite.
pub fn flatten(p: ArrayView3<f64>) -> Result<Array1<f64>> {
    ensure_finite("pooled maps P", &p)?;
    Ok(p.iter().copied().collect())
}

/// The inverse of [`flatten`], which is also its backward pass:
/// dL/dP^c_{m,n} = dL/dF_{flat_index(c,m,n)}.
pub fn unflatten(f: ArrayView1<f64>, shape: (usize, usize, usize)) -> Result<Array3<f64>> {
    let (maps, rows, cols) = shape;
    let len = checked_product("unflatten shape", &[maps, rows, cols])?;
    ensure_shape("flat vector f", &[len], f.shape())?;
    ensure_finite("flat vector f", &f)?;
    // cannot fail: f has exactly maps rows cols entries
    Array3::from_shape_vec(shape, f.to_vec()).map_err(|e| Error::Invalid(e.to_string()))
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
    ensure_finite("fully connected weights V", &v)?;
    ensure_finite("fully connected bias b", &b)?;
    ensure_finite("fully connected input f", &f)?;
    let z = v.dot(&f) + b;
    ensure_no_overflow("fully connected input f", &f, &z)?;
    Ok(z)
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
    ensure_finite("fully connected weights V", &v)?;
    ensure_finite("fully connected input f", &f)?;
    ensure_finite("fully connected output gradient dL/dz", &dz)?;
    let dv = Array2::from_shape_fn(v.dim(), |(j, i)| dz[j] * f[i]);
    let df = v.t().dot(&dz);
    ensure_no_overflow("fully connected output gradient dL/dz", &dz, &dv)?;
    ensure_no_overflow("fully connected output gradient dL/dz", &dz, &df)?;
    Ok((dv, dz.to_owned(), df))
}
// ANCHOR_END: fc

//! Grids of spins for the checks: every configuration of a small grid, random
//! grids, and parameters on a grid of quarters (so that energies are exact).

use crate::error::{checked_product, Error, Result};
use ndarray::Array2;
use rand::{Rng, RngExt};

/// The most pixels a grid may have for [`configuration`]: one less than the
/// bits of a `usize` (63 on 64-bit machines), so that the number of
/// configurations, 2^(rows cols), is itself a `usize`. (An enumeration of all
/// of them is practical only up to about 25 pixels.)
pub const MAX_ENUMERATION_PIXELS: usize = usize::BITS as usize - 1;

/// Configuration number `n` of a `rows` x `cols` grid: pixel `i` (row-major)
/// is +1 when bit `i` of `n` is set, -1 otherwise. `n` in `0..2^(rows cols)`
/// runs through every configuration once. An error for an empty grid, a grid
/// of more than [`MAX_ENUMERATION_PIXELS`] pixels, or `n >= 2^(rows cols)`.
pub fn configuration(rows: usize, cols: usize, n: usize) -> Result<Array2<i8>> {
    let pixels = checked_product("rows * cols", &[rows, cols])?;
    if pixels == 0 {
        return Err(Error::BadSize {
            what: "rows * cols".to_string(),
            value: 0,
            constraint: "a configuration needs at least one pixel".to_string(),
        });
    }
    if pixels > MAX_ENUMERATION_PIXELS {
        return Err(Error::TooLarge {
            what: "rows * cols".to_string(),
            value: pixels as u128,
            limit: MAX_ENUMERATION_PIXELS as u128,
        });
    }
    let count = 1usize << pixels; // cannot overflow: pixels < usize::BITS
    if n >= count {
        return Err(Error::BadSize {
            what: "n".to_string(),
            value: n,
            constraint: format!("n < 2^(rows cols) = {count}"),
        });
    }
    Ok(Array2::from_shape_fn((rows, cols), |(r, c)| {
        if n >> (r * cols + c) & 1 == 1 {
            1
        } else {
            -1
        }
    }))
}

/// A grid of independent, uniformly random spins (an error beyond
/// [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS) pixels).
pub fn random_spins<R: Rng + ?Sized>(rng: &mut R, rows: usize, cols: usize) -> Result<Array2<i8>> {
    super::model::ensure_grid(rows, cols)?;
    Ok(Array2::from_shape_simple_fn((rows, cols), || {
        if rng.random::<bool>() {
            1
        } else {
            -1
        }
    }))
}

/// A random multiple of 1/4 in [lo/4, hi/4] (an error if `lo > hi`). Sums and
/// products of a few such numbers with small integers are exact in f64, so
/// energies built from them can be compared with `==`.
pub fn random_quarter<R: Rng + ?Sized>(rng: &mut R, lo: i32, hi: i32) -> Result<f64> {
    if lo > hi {
        return Err(Error::OutOfRange {
            what: "lo".to_string(),
            value: f64::from(lo),
            range: format!("lo <= hi = {hi}"),
        });
    }
    Ok(f64::from(rng.random_range(lo..=hi)) / 4.0)
}

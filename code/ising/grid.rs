//! Grids of spins for the checks: every configuration of a small grid, random
//! grids, and parameters on a grid of quarters (so that energies are exact).

use ndarray::Array2;
use rand::{Rng, RngExt};

/// Configuration number `n` of a `rows` x `cols` grid: pixel `i` (row-major)
/// is +1 when bit `i` of `n` is set, -1 otherwise. `n` in `0..2^(rows cols)`
/// runs through every configuration once.
pub fn configuration(rows: usize, cols: usize, n: usize) -> Array2<i8> {
    Array2::from_shape_fn((rows, cols), |(r, c)| {
        if n >> (r * cols + c) & 1 == 1 {
            1
        } else {
            -1
        }
    })
}

/// A grid of independent, uniformly random spins.
pub fn random_spins<R: Rng + ?Sized>(rng: &mut R, rows: usize, cols: usize) -> Array2<i8> {
    Array2::from_shape_simple_fn((rows, cols), || if rng.random::<bool>() { 1 } else { -1 })
}

/// A random multiple of 1/4 in [lo/4, hi/4]. Sums and products of a few such
/// numbers with small integers are exact in f64, so energies built from them
/// can be compared with `==`.
pub fn random_quarter<R: Rng + ?Sized>(rng: &mut R, lo: i32, hi: i32) -> f64 {
    f64::from(rng.random_range(lo..=hi)) / 4.0
}

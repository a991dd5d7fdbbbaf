//! The code the chapter's exercises ask for: ICM in another visiting order,
//! and the energy change of flipping a whole region at once.

use super::icm::{sweep_until_still, update, Icm};
use super::model::{ensure_grid, ensure_pair, ensure_spins, Params, Pixel};
use crate::error::{ensure_shape, Result};
use ndarray::ArrayView2;

// ANCHOR: ising_order
/// The order in which an ICM sweep visits the pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Rows top to bottom, each left to right: the order of [`icm_sweep`](super::icm::icm_sweep).
    Raster,
    /// The raster order backwards: rows bottom to top, each right to left.
    ReverseRaster,
    /// First every pixel with r + c even, then every pixel with r + c odd,
    /// each colour in raster order.
    Checkerboard,
}

impl Order {
    /// The pixels of a `rows` x `cols` grid in this order (an error beyond
    /// [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS) pixels).
    pub fn pixels(self, rows: usize, cols: usize) -> Result<Vec<Pixel>> {
        ensure_grid(rows, cols)?;
        let raster = (0..rows).flat_map(|r| (0..cols).map(move |c| (r, c)));
        Ok(match self {
            Order::Raster => raster.collect(),
            Order::ReverseRaster => {
                let mut all: Vec<Pixel> = raster.collect();
                all.reverse();
                all
            }
            Order::Checkerboard => {
                let (even, odd): (Vec<Pixel>, Vec<Pixel>) =
                    raster.partition(|&(r, c)| (r + c) % 2 == 0);
                even.into_iter().chain(odd).collect()
            }
        })
    }
}
// ANCHOR_END: ising_order

// ANCHOR: ising_icm_in_order
/// ICM from `x = y` with sweeps in `order`, until a sweep changes nothing
/// (an error if `max_sweeps` sweeps are not enough).
pub fn icm_in_order(
    y: ArrayView2<i8>,
    params: &Params,
    order: Order,
    max_sweeps: usize,
) -> Result<Icm> {
    ensure_spins("y", y)?;
    let pixels = order.pixels(y.nrows(), y.ncols())?;
    sweep_until_still(y.to_owned(), y, params, max_sweeps, |x| {
        Ok(pixels
            .iter()
            .map(|&(r, c)| usize::from(update(x, y, params, r, c)))
            .sum())
    })
}
// ANCHOR_END: ising_icm_in_order

// ANCHOR: ising_region_flip
/// The change of energy when every pixel of the region D (`region[m]` true)
/// flips at once, by the formula of the exercise:
///
/// E(x with D negated) - E(x) = -2 alpha sum_{i in D} x_i + 2 eta sum_{i in D} x_i y_i
///                              + 2 beta sum_{i in D, j not in D, i ~ j} x_i x_j.
///
/// Pairs inside D and pairs outside it keep their product; only the pairs
/// across D's border change. An error if the shapes differ.
pub fn region_flip_diff(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    region: ArrayView2<bool>,
) -> Result<f64> {
    ensure_pair(x, y)?;
    ensure_shape("region", x.shape(), region.shape())?;
    let (rows, cols) = x.dim();
    let (mut field, mut data, mut border) = (0i64, 0i64, 0i64);
    for ((r, c), _) in region.indexed_iter().filter(|&(_, &inside)| inside) {
        let xi = i64::from(x[(r, c)]);
        field += xi;
        data += xi * i64::from(y[(r, c)]);
        let up = r.checked_sub(1).map(|r| (r, c));
        let left = c.checked_sub(1).map(|c| (r, c));
        let down = (r + 1 < rows).then_some((r + 1, c));
        let right = (c + 1 < cols).then_some((r, c + 1));
        for j in [up, down, left, right].into_iter().flatten() {
            if !region[j] {
                border += xi * i64::from(x[j]); // a pair across the border, met once
            }
        }
    }
    Ok(-2.0 * params.alpha() * field as f64
        + 2.0 * params.eta() * data as f64
        + 2.0 * params.beta() * border as f64)
}
// ANCHOR_END: ising_region_flip

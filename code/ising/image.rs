//! The test image of the chapter, drawn by code, and its noisy copy.

use super::model::{ensure_grid, ensure_spins};
use crate::error::{ensure_allocatable, ensure_finite_scalar, Error, Result};
use ndarray::{Array2, ArrayView2};
use rand::{Rng, RngExt};

// ANCHOR: ising_test_image
/// The distance from point `p` to the segment `a`-`b` (all in the unit square).
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (qx, qy) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    (qx * qx + qy * qy).sqrt()
}

/// The strokes of the letters P, R, M, L as polylines in a unit letter box (x right, y down).
fn letters() -> Vec<Vec<(f64, f64)>> {
    let p = vec![
        (0.0, 1.0),
        (0.0, 0.0),
        (0.7, 0.0),
        (0.95, 0.15),
        (0.95, 0.35),
        (0.7, 0.5),
        (0.0, 0.5),
    ];
    let r = vec![p.clone(), vec![(0.4, 0.5), (0.95, 1.0)]];
    let m = vec![(0.0, 1.0), (0.0, 0.0), (0.5, 0.6), (1.0, 0.0), (1.0, 1.0)];
    let l = vec![(0.0, 0.0), (0.0, 1.0), (0.9, 1.0)];
    let mut out = Vec::new();
    for (k, strokes) in [vec![p], r, vec![m], vec![l]].into_iter().enumerate() {
        // letter k occupies u in [0.50 + 0.12 k, 0.50 + 0.12 k + 0.09], v in [0.60, 0.88]
        let (u0, v0, w, h) = (0.50 + 0.12 * k as f64, 0.60, 0.09, 0.28);
        for stroke in strokes {
            out.push(
                stroke
                    .iter()
                    .map(|&(x, y)| (u0 + w * x, v0 + h * y))
                    .collect(),
            );
        }
    }
    out
}

/// A `rows` x `cols` binary image: +1 (ink) on a disk, a ring, a triangle, a
/// thin bar and the letters PRML; -1 (paper) elsewhere. The shapes are
/// defined in the unit square, so the picture is the same at every size.
/// An error beyond [`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS) pixels.
pub fn test_image(rows: usize, cols: usize) -> Result<Array2<i8>> {
    ensure_grid(rows, cols)?;
    let strokes = letters();
    let image = Array2::from_shape_fn((rows, cols), |(r, c)| {
        // the centre of pixel (r, c) in the unit square: u across, v down
        let (u, v) = (
            (c as f64 + 0.5) / cols as f64,
            (r as f64 + 0.5) / rows as f64,
        );
        let d_disk = ((u - 0.25).powi(2) + (v - 0.25).powi(2)).sqrt();
        let d_ring = ((u - 0.72).powi(2) + (v - 0.25).powi(2)).sqrt();
        let disk = d_disk < 0.16;
        let ring = (0.10..0.17).contains(&d_ring);
        // triangle with apex (0.25, 0.55) and base from (0.07, 0.92) to (0.43, 0.92)
        let triangle = v < 0.92 && v > 0.55 && (u - 0.25).abs() < 0.18 * (v - 0.55) / 0.37;
        let bar = segment_distance((u, v), (0.05, 0.47), (0.95, 0.50)) < 0.012;
        let text = strokes.iter().any(|s| {
            s.windows(2)
                .any(|w| segment_distance((u, v), w[0], w[1]) < 0.018)
        });
        if disk || ring || triangle || bar || text {
            1
        } else {
            -1
        }
    });
    Ok(image)
}
// ANCHOR_END: ising_test_image

// ANCHOR: ising_add_noise
/// A copy of `x` with exactly round(`fraction` * number of pixels) distinct
/// pixels flipped, chosen uniformly by a partial Fisher-Yates shuffle.
pub fn add_noise<R: Rng + ?Sized>(
    x: ArrayView2<i8>,
    fraction: f64,
    rng: &mut R,
) -> Result<Array2<i8>> {
    ensure_finite_scalar("fraction", fraction)?;
    if !(0.0..=1.0).contains(&fraction) {
        return Err(Error::OutOfRange {
            what: "fraction".to_string(),
            value: fraction,
            range: "[0, 1]".to_string(),
        });
    }
    let n = ensure_allocatable("x", x.shape())?;
    ensure_spins("x", x)?;
    // at most n: fraction <= 1 (the min guards the rounding of n as f64)
    let flips = ((fraction * n as f64).round() as usize).min(n);
    let mut order: Vec<usize> = (0..n).collect();
    for k in 0..flips {
        let j = rng.random_range(k..n);
        order.swap(k, j);
    }
    let mut y = x.to_owned();
    let cols = x.ncols();
    for &i in &order[..flips] {
        y[(i / cols, i % cols)] *= -1;
    }
    Ok(y)
}
// ANCHOR_END: ising_add_noise

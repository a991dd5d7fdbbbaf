//! The bars-and-stripes data set: every `side` x `side` binary image whose rows
//! are all constant (bars) or whose columns are all constant (stripes).

use ndarray::Array2;

use crate::error::{Error, Result};

// ANCHOR: bars_and_stripes
/// The distinct bars-and-stripes images of a `side` x `side` grid, one image a
/// row, pixel (r, c) at column r * side + c (row-major), 1 for a set pixel.
///
/// The 2^side bar images set row r when bit r of their number is set; the
/// 2^side stripe images do the same for columns. The empty and the full image
/// are both a bar and a stripe, so they are kept once:
/// 2 * 2^side - 2 images in all (30 for side 4).
pub fn bars_and_stripes(side: usize) -> Result<Array2<f64>> {
    if side == 0 || side > 12 {
        return Err(Error::BadSize {
            what: "side of the bars-and-stripes grid".to_string(),
            value: side,
            constraint: "must be between 1 and 12".to_string(),
        });
    }
    let n = 1usize << side;
    let mut rows: Vec<f64> = Vec::with_capacity((2 * n - 2) * side * side);
    for k in 0..n {
        for r in 0..side {
            for _c in 0..side {
                rows.push(((k >> r) & 1) as f64); // bars: row r is constant
            }
        }
    }
    for k in 1..n - 1 {
        for _r in 0..side {
            for c in 0..side {
                rows.push(((k >> c) & 1) as f64); // stripes: column c is constant
            }
        }
    }
    let count = rows.len() / (side * side);
    Array2::from_shape_vec((count, side * side), rows)
        .map_err(|e| Error::Invalid(format!("bars and stripes of side {side}: {e}")))
}
// ANCHOR_END: bars_and_stripes

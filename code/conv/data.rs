//! A small synthetic image task for training the source's network: noisy
//! images of a short bar that is horizontal, vertical or diagonal.

use ndarray::Array2;
use rand::RngExt;

use crate::check::seeded;
use crate::error::{ensure_allocatable, Error, Result};

// ANCHOR: bars
/// The names of the classes, in label order.
pub const CLASSES: [&str; 3] = ["horizontal", "vertical", "diagonal"];

/// One labelled image.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The d x d image.
    pub x: Array2<f64>,
    /// Its class, an index into [`CLASSES`].
    pub label: usize,
}

/// The largest noise amplitude: the noise is drawn from [-noise, noise),
/// whose width must stay finite; 1e300 leaves room for the bar's 1.
pub const MAX_NOISE: f64 = 1e300;

/// `count` images of size `d` x `d`, from the seed `seed`. Each holds a bar of
/// `len` pixels of value 1 at a random place (horizontal, vertical or along
/// the main diagonal direction, by class, the classes taking turns), plus noise
/// uniform in [-noise, noise] on every pixel. Errors if the bar does not
/// fit, if `noise` is not in [0, MAX_NOISE], or if the images are too many to allocate.
pub fn bars(count: usize, d: usize, len: usize, noise: f64, seed: u64) -> Result<Vec<Example>> {
    if len == 0 || len > d {
        return Err(Error::BadSize {
            what: "bar length".into(),
            value: len,
            constraint: format!("must be between 1 and the image size d = {d}"),
        });
    }
    if !(0.0..=MAX_NOISE).contains(&noise) {
        return Err(Error::OutOfRange {
            what: "noise amplitude".into(),
            value: noise,
            range: format!("[0, {MAX_NOISE:e}]"),
        });
    }
    // refused before anything is allocated: a failed allocation aborts
    ensure_allocatable("count images of d x d", &[count, d, d])?;
    let mut rng = seeded(seed);
    let mut out = Vec::with_capacity(count);
    for e in 0..count {
        let label = e % CLASSES.len();
        let mut x = if noise > 0.0 {
            Array2::from_shape_simple_fn((d, d), || rng.random_range(-noise..noise))
        } else {
            Array2::zeros((d, d))
        };
        // the bar's first pixel, chosen so that the whole bar fits
        let (r_max, c_max) = match label {
            0 => (d, d - len + 1),
            1 => (d - len + 1, d),
            _ => (d - len + 1, d - len + 1),
        };
        let r0 = rng.random_range(0..r_max);
        let c0 = rng.random_range(0..c_max);
        for j in 0..len {
            let (r, c) = match label {
                0 => (r0, c0 + j),
                1 => (r0 + j, c0),
                _ => (r0 + j, c0 + j),
            };
            x[[r, c]] += 1.0;
        }
        out.push(Example { x, label });
    }
    Ok(out)
}
// ANCHOR_END: bars

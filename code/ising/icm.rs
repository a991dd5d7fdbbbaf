//! Iterated conditional modes (Besag, 1986), as Bishop describes it in
//! section 8.3.3: start from x = y, visit the pixels one at a time, and set
//! each to whichever of its two states has the lower energy, the others fixed.

use super::model::{energy_unchecked, ensure_pair, ensure_pixel, local_diff_unchecked, Params};
use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView2};

// ANCHOR: ising_icm_update
/// Sets pixel `(r, c)` to its state of lower energy given all the others and
/// returns true if it changed. With d = E(x_m = +1) - E(x_m = -1): x_m = -1
/// if d > 0, x_m = +1 if d < 0, and unchanged on a tie d = 0, so that no
/// update ever raises the energy and a tie never makes ICM cycle.
#[inline]
pub(crate) fn update(
    x: &mut Array2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    r: usize,
    c: usize,
) -> bool {
    let d = local_diff_unchecked(x.view(), y, params, r, c);
    let best = if d > 0.0 {
        -1
    } else if d < 0.0 {
        1
    } else {
        x[(r, c)]
    };
    let changed = best != x[(r, c)];
    x[(r, c)] = best;
    changed
}

/// One ICM update of pixel `(r, c)`, its inputs checked (which costs a pass
/// over the image: to update many pixels, use [`icm_sweep`]).
pub fn icm_update(
    x: &mut Array2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    (r, c): (usize, usize),
) -> Result<bool> {
    ensure_pair(x.view(), y)?;
    ensure_pixel(x.dim(), r, c)?;
    Ok(update(x, y, params, r, c))
}
// ANCHOR_END: ising_icm_update

// ANCHOR: ising_icm_sweep
/// One raster sweep: rows top to bottom, each row left to right (row-major
/// order, the order of the pixels in memory). Returns the number of pixels changed.
pub fn icm_sweep(x: &mut Array2<i8>, y: ArrayView2<i8>, params: &Params) -> Result<usize> {
    ensure_pair(x.view(), y)?;
    let (rows, cols) = x.dim();
    let mut changed = 0;
    for r in 0..rows {
        for c in 0..cols {
            changed += usize::from(update(x, y, params, r, c));
        }
    }
    Ok(changed)
}
// ANCHOR_END: ising_icm_sweep

// ANCHOR: ising_icm
/// The outcome of ICM.
#[derive(Debug, Clone, PartialEq)]
pub struct Icm {
    /// The final configuration.
    pub x: Array2<i8>,
    /// The number of sweeps made, the last one changing nothing.
    pub sweeps: usize,
    /// The energy before the first sweep and after each sweep.
    pub energies: Vec<f64>,
}

/// ICM from `x0`: raster sweeps until a whole sweep changes no pixel, at most
/// `max_sweeps` of them (an error if that is not enough).
pub fn icm_from(
    x0: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    max_sweeps: usize,
) -> Result<Icm> {
    ensure_pair(x0, y)?;
    sweep_until_still(x0.to_owned(), y, params, max_sweeps, |x| {
        icm_sweep(x, y, params)
    })
}

/// Repeats `sweep` on `x`, which returns how many pixels it changed, until a
/// sweep changes none, recording the energy before the first sweep and
/// after each (an error if `max_sweeps` sweeps are not enough). The
/// arguments were checked by the caller.
pub(crate) fn sweep_until_still(
    mut x: Array2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    max_sweeps: usize,
    mut sweep: impl FnMut(&mut Array2<i8>) -> Result<usize>,
) -> Result<Icm> {
    let mut energies = vec![energy_unchecked(x.view(), y, params)];
    for sweeps in 1..=max_sweeps {
        let changed = sweep(&mut x)?;
        energies.push(energy_unchecked(x.view(), y, params));
        if changed == 0 {
            return Ok(Icm {
                x,
                sweeps,
                energies,
            });
        }
    }
    Err(Error::BadSize {
        what: "max_sweeps".to_string(),
        value: max_sweeps,
        constraint: "too few: ICM was still changing pixels in the last sweep allowed".to_string(),
    })
}

/// ICM started, as Bishop does, from the observation: x = y.
pub fn icm(y: ArrayView2<i8>, params: &Params, max_sweeps: usize) -> Result<Icm> {
    icm_from(y, y, params, max_sweeps)
}
// ANCHOR_END: ising_icm

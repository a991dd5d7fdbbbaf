//! Posterior marginals p(x_m = +1 | y) by Gibbs sampling, and the estimate
//! that maximises each marginal (the maximum posterior marginal, MPM).

use super::model::{ensure_pair, ensure_params, local_diff_unchecked, Params};
use crate::check::Rng;
use crate::error::{Error, Result};
use crate::numerics::sigmoid;
use ndarray::{Array2, ArrayView2};
use rand::RngExt;

// ANCHOR: conditional
/// p(x_m = +1 | all other pixels, y) = sigma(-d), with d = E(x_m = +1) - E(x_m = -1):
/// the two states have probabilities proportional to exp(-E), so their odds are exp(-d).
pub fn conditional_plus(x: ArrayView2<i8>, y: ArrayView2<i8>, params: &Params, r: usize, c: usize) -> f64 {
    sigmoid(-local_diff_unchecked(x, y, params, r, c))
}
// ANCHOR_END: conditional

// ANCHOR: gibbs_sweep
/// One systematic-scan Gibbs sweep in raster order: each pixel drawn from its
/// conditional given the current values of all the others.
pub fn gibbs_sweep(x: &mut Array2<i8>, y: ArrayView2<i8>, params: &Params, rng: &mut Rng) {
    let (rows, cols) = x.dim();
    for r in 0..rows {
        for c in 0..cols {
            let p = conditional_plus(x.view(), y, params, r, c);
            x[(r, c)] = if rng.random::<f64>() < p { 1 } else { -1 };
        }
    }
}
// ANCHOR_END: gibbs_sweep

// ANCHOR: marginals
/// Estimates p(x_m = +1 | y) for every pixel: `burn_in` sweeps from `x0`
/// are discarded, then the average of the indicator x_m = +1 over `samples`
/// sweeps is returned. (Rao-Blackwellised: each sweep adds the conditional
/// probability of +1 rather than the 0/1 draw, which has the same mean and a
/// smaller variance.)
pub fn marginals(
    x0: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    burn_in: usize,
    samples: usize,
    rng: &mut Rng,
) -> Result<Array2<f64>> {
    ensure_pair(x0, y)?;
    ensure_params(params)?;
    if samples == 0 {
        return Err(Error::BadSize {
            what: "the number of Gibbs samples".to_string(),
            value: 0,
            constraint: "at least one sample".to_string(),
        });
    }
    let mut x = x0.to_owned();
    for _ in 0..burn_in {
        gibbs_sweep(&mut x, y, params, rng);
    }
    let (rows, cols) = x.dim();
    let mut sum = Array2::<f64>::zeros((rows, cols));
    for _ in 0..samples {
        for r in 0..rows {
            for c in 0..cols {
                let p = conditional_plus(x.view(), y, params, r, c);
                sum[(r, c)] += p;
                x[(r, c)] = if rng.random::<f64>() < p { 1 } else { -1 };
            }
        }
    }
    Ok(sum / samples as f64)
}
// ANCHOR_END: marginals

// ANCHOR: mpm
/// The maximum posterior marginal estimate: x_m = +1 where p(x_m = +1 | y) > 1/2,
/// -1 where it is below, and the observation y_m on an exact tie.
pub fn mpm(marginals: ArrayView2<f64>, y: ArrayView2<i8>) -> Array2<i8> {
    Array2::from_shape_fn(marginals.dim(), |(r, c)| {
        let p = marginals[(r, c)];
        if p > 0.5 {
            1
        } else if p < 0.5 {
            -1
        } else {
            y[(r, c)]
        }
    })
}
// ANCHOR_END: mpm

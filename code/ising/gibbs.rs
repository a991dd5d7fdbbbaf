//! Posterior marginals p(x_m = +1 | y) by Gibbs sampling, and the estimate
//! that maximises each marginal (the maximum posterior marginal, MPM).

use super::model::{ensure_pair, ensure_pixel, ensure_spins, local_diff, neighbour_sum, Params};
use crate::error::{ensure_finite, ensure_shape, Error, Result};
use crate::numerics::sigmoid;
use ndarray::{Array2, ArrayView2};
use rand::{Rng, RngExt};

/// p(x_m = +1 | all other pixels, y) = sigma(-d), with d = E(x_m = +1) - E(x_m = -1):
/// the two states have probabilities proportional to exp(-E), so their odds are exp(-d).
pub fn conditional_plus(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    (r, c): (usize, usize),
) -> Result<f64> {
    Ok(sigmoid(-local_diff(x, y, params, (r, c))?))
}

// ANCHOR: ising_table
/// The conditional p(x_m = +1 | rest) takes only 18 values: the neighbour sum
/// is one of -4, -2, ..., 4 (fewer at edges, the same set) and y_m is -1 or +1.
/// `Table` holds them, indexed by (neighbour sum + 4, (y_m + 1) / 2), so a
/// sweep costs no exponentials.
#[derive(Debug, Clone)]
pub struct Table([[f64; 2]; 9]);

impl Table {
    /// The 18 conditionals of `params`.
    pub fn new(params: &Params) -> Table {
        let mut t = [[0.0; 2]; 9];
        for (k, row) in t.iter_mut().enumerate() {
            for (yi, entry) in row.iter_mut().enumerate() {
                let s = k as f64 - 4.0;
                let y = 2.0 * yi as f64 - 1.0;
                *entry = sigmoid(
                    -(2.0 * params.alpha() - 2.0 * params.beta() * s - 2.0 * params.eta() * y),
                );
            }
        }
        Table(t)
    }

    /// p(x_m = +1 | rest) at pixel `(r, c)`, inputs checked.
    pub fn at(&self, x: ArrayView2<i8>, y: ArrayView2<i8>, (r, c): (usize, usize)) -> Result<f64> {
        ensure_pair(x, y)?;
        ensure_pixel(x.dim(), r, c)?;
        Ok(self.lookup(x, y, r, c))
    }

    /// [`Table::at`] for a pixel of a checked pair of spin images.
    fn lookup(&self, x: ArrayView2<i8>, y: ArrayView2<i8>, r: usize, c: usize) -> f64 {
        let s = neighbour_sum(x, r, c);
        self.0[(s + 4) as usize][usize::from(y[(r, c)] == 1)]
    }
}
// ANCHOR_END: ising_table

// ANCHOR: ising_gibbs_sweep
/// One systematic-scan Gibbs sweep in raster order: each pixel drawn from its
/// conditional given the current values of all the others.
pub fn gibbs_sweep<R: Rng + ?Sized>(
    x: &mut Array2<i8>,
    y: ArrayView2<i8>,
    table: &Table,
    rng: &mut R,
) -> Result<()> {
    ensure_pair(x.view(), y)?;
    let (rows, cols) = x.dim();
    for r in 0..rows {
        for c in 0..cols {
            let p = table.lookup(x.view(), y, r, c);
            x[(r, c)] = if rng.random::<f64>() < p { 1 } else { -1 };
        }
    }
    Ok(())
}
// ANCHOR_END: ising_gibbs_sweep

// ANCHOR: ising_marginals
/// Checks that at least one Gibbs sample is averaged.
fn ensure_samples(samples: usize) -> Result<()> {
    if samples == 0 {
        return Err(Error::BadSize {
            what: "samples".to_string(),
            value: 0,
            constraint: "at least one sample".to_string(),
        });
    }
    Ok(())
}

/// Estimates p(x_m = +1 | y) for every pixel: `burn_in` sweeps from `x0`
/// are discarded, then the average over `samples` sweeps is returned.
/// (Rao-Blackwellised: each sweep adds the conditional probability of +1 at
/// the moment the pixel is visited rather than the 0/1 draw; under the
/// stationary distribution both have mean p(x_m = +1 | y), the first a
/// smaller variance.)
pub fn marginals<R: Rng + ?Sized>(
    x0: ArrayView2<i8>,
    y: ArrayView2<i8>,
    params: &Params,
    burn_in: usize,
    samples: usize,
    rng: &mut R,
) -> Result<Array2<f64>> {
    ensure_pair(x0, y)?;
    ensure_samples(samples)?;
    let table = Table::new(params);
    let mut x = x0.to_owned();
    for _ in 0..burn_in {
        gibbs_sweep(&mut x, y, &table, rng)?;
    }
    average(&mut x, y, &table, samples, rng)
}

/// Runs `samples` Gibbs sweeps from the state `x` (left at the chain's last
/// state) and returns the Rao-Blackwellised average of p(x_m = +1 | rest).
pub fn average<R: Rng + ?Sized>(
    x: &mut Array2<i8>,
    y: ArrayView2<i8>,
    table: &Table,
    samples: usize,
    rng: &mut R,
) -> Result<Array2<f64>> {
    ensure_pair(x.view(), y)?;
    ensure_samples(samples)?;
    let (rows, cols) = x.dim();
    let mut sum = Array2::<f64>::zeros((rows, cols));
    for _ in 0..samples {
        for r in 0..rows {
            for c in 0..cols {
                let p = table.lookup(x.view(), y, r, c);
                sum[(r, c)] += p;
                x[(r, c)] = if rng.random::<f64>() < p { 1 } else { -1 };
            }
        }
    }
    Ok(sum / samples as f64)
}
// ANCHOR_END: ising_marginals

// ANCHOR: ising_mpm
/// The maximum posterior marginal estimate: x_m = +1 where p(x_m = +1 | y) > 1/2,
/// -1 where it is below, and the observation y_m on an exact tie. An error
/// names `marginals` if an entry is not a probability (NaN, or outside [0, 1]).
pub fn mpm(marginals: ArrayView2<f64>, y: ArrayView2<i8>) -> Result<Array2<i8>> {
    ensure_spins("y", y)?;
    ensure_shape("marginals", y.shape(), marginals.shape())?;
    ensure_finite("marginals", &marginals)?;
    if let Some(((r, c), &p)) = marginals
        .indexed_iter()
        .find(|(_, p)| !(0.0..=1.0).contains(*p))
    {
        return Err(Error::BadValue {
            what: "marginals".to_string(),
            index: vec![r, c],
            value: p,
            allowed: "a probability in [0, 1]".to_string(),
        });
    }
    Ok(Array2::from_shape_fn(marginals.dim(), |(r, c)| {
        let p = marginals[(r, c)];
        if p > 0.5 {
            1
        } else if p < 0.5 {
            -1
        } else {
            y[(r, c)]
        }
    }))
}
// ANCHOR_END: ising_mpm

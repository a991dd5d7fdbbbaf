//! The chapter's experiment: Bishop's figure 8.30 reproduced (with the
//! posterior marginals beyond it), and the restoration accuracy against beta.

use super::gibbs::{marginals, mpm};
use super::graphcut::map_graph_cut;
use super::icm::icm;
use super::image::{add_noise, test_image};
use super::model::{agreement, Params};
use crate::check::seeded;
use crate::error::Result;
use ndarray::Array2;

// ANCHOR: ising_experiment
/// Side of the test image, in pixels.
pub const SIDE: usize = 200;
/// Seed of the 10% of flipped pixels.
pub const NOISE_SEED: u64 = 830;
/// Seed of the Gibbs sampler.
pub const GIBBS_SEED: u64 = 831;
/// Gibbs sweeps discarded before averaging.
pub const BURN_IN: usize = 50;
/// Gibbs sweeps averaged.
pub const SAMPLES: usize = 200;
/// The iterations ICM may take in the experiments; on the images of the
/// chapter it stops after a few sweeps.
pub const ICM_SWEEPS: usize = 1000;

/// Sweeps of the cheaper Gibbs runs of the beta sweep: burn-in and samples.
pub const SWEEP_GIBBS: (usize, usize) = (20, 50);

/// The panels of figure 8.30 and their accuracies.
#[derive(Debug, Clone)]
pub struct Denoising {
    /// The clean image.
    pub x: Array2<i8>,
    /// The noisy observation.
    pub y: Array2<i8>,
    /// ICM's estimate.
    pub icm: Array2<i8>,
    /// The exact MAP estimate.
    pub cut: Array2<i8>,
    /// The posterior marginals p(x_m = +1 | y), by Gibbs sampling.
    pub marginals: Array2<f64>,
    /// The maximum posterior marginal estimate.
    pub mpm: Array2<i8>,
}
// ANCHOR_END: ising_experiment

// ANCHOR: ising_figure_8_30
/// Bishop's figure 8.30: the test image, 10% of its pixels flipped, and the
/// estimates of ICM, of the graph cut and (beyond Bishop) of the maximum
/// posterior marginals, with beta = 1.0, eta = 2.1, alpha = 0.
pub fn figure_8_30() -> Result<Denoising> {
    let x = test_image(SIDE, SIDE)?;
    let y = add_noise(x.view(), 0.1, &mut seeded(NOISE_SEED))?;
    let p = Params::bishop();
    let by_icm = icm(y.view(), &p, ICM_SWEEPS)?.x;
    let cut = map_graph_cut(y.view(), &p)?.x;
    let m = marginals(
        y.view(),
        y.view(),
        &p,
        BURN_IN,
        SAMPLES,
        &mut seeded(GIBBS_SEED),
    )?;
    let mpm = mpm(m.view(), y.view())?;
    Ok(Denoising {
        x,
        y,
        icm: by_icm,
        cut,
        marginals: m,
        mpm,
    })
}
// ANCHOR_END: ising_figure_8_30

impl Denoising {
    /// The fraction of pixels of `estimate` equal to the clean image (an
    /// error if `estimate` is not a spin image of the clean image's shape).
    pub fn restored(&self, estimate: &Array2<i8>) -> Result<f64> {
        agreement(self.x.view(), estimate.view())
    }
}

/// The values of beta of the accuracy plot: 0, 0.1, ..., 3.
pub fn betas() -> Vec<f64> {
    (0..=30).map(|k| f64::from(k) / 10.0).collect()
}

/// The restoration accuracy of ICM, the graph cut and the MPM estimate
/// against beta (eta = 2.1, alpha = 0), on the noisy image of figure 8.30; the
/// MPM at every other beta only, to keep the sampling cheap. An error if `d`
/// (whose fields a caller may have changed) does not hold a clean and a noisy
/// spin image of one shape.
pub fn accuracy_against_beta(d: &Denoising) -> Result<[Vec<(f64, f64)>; 3]> {
    let (mut a_icm, mut a_cut, mut a_mpm) = (Vec::new(), Vec::new(), Vec::new());
    for (k, beta) in betas().into_iter().enumerate() {
        let p = Params::new(0.0, beta, 2.1)?;
        a_icm.push((beta, d.restored(&icm(d.y.view(), &p, ICM_SWEEPS)?.x)?));
        a_cut.push((beta, d.restored(&map_graph_cut(d.y.view(), &p)?.x)?));
        if k % 2 == 0 {
            let (burn_in, samples) = SWEEP_GIBBS;
            let m = marginals(
                d.y.view(),
                d.y.view(),
                &p,
                burn_in,
                samples,
                &mut seeded(GIBBS_SEED + k as u64),
            )?;
            a_mpm.push((beta, d.restored(&mpm(m.view(), d.y.view())?)?));
        }
    }
    Ok([a_icm, a_cut, a_mpm])
}

// ANCHOR: ising_worked_example
/// The 3 x 3 image worked by hand in the chapter, with its parameters
/// alpha = 0, beta = 1, eta = 3/2 (every energy a multiple of 1/2, so exact):
/// a corner of ink whose centre and right-hand pixel were flipped.
pub fn worked_example() -> Result<(Array2<i8>, Params)> {
    let y = ndarray::array![[1, 1, -1], [1, -1, 1], [-1, -1, -1]];
    Ok((y, Params::new(0.0, 1.0, 1.5)?))
}
// ANCHOR_END: ising_worked_example

//! The chapter's experiment on bars and stripes: its settings, the training
//! runs, and what a trained machine believes (exact marginals).

use ndarray::ArrayView2;

use crate::error::Result;
use crate::rbm::bars_stripes::bars_and_stripes;
use crate::rbm::exact::{ensure_enumerable, state};
use crate::rbm::model::Rbm;
use crate::rbm::train::{train, Estimator, Run, Schedule};

// ANCHOR: bas_setup
/// Hidden units of the bars-and-stripes machine. ln Z enumerates the 2^8 = 256
/// hidden states, so one exact log-likelihood costs 256 x 16 softplus terms and
/// four curves of [`BAS_EPOCHS`] epochs stay within a few seconds.
pub const BAS_HIDDEN: usize = 8;
/// Epochs of every training run (one full-batch gradient step each).
pub const BAS_EPOCHS: usize = 2000;
/// Learning rate of every run.
pub const BAS_RATE: f64 = 0.25;
/// The k of CD-k.
pub const BAS_CD_K: usize = 10;
/// Seed of the initial weights and the Gibbs chains (the same for every run).
pub const BAS_SEED: u64 = 1;

/// The estimators compared on bars and stripes, in plotting order.
pub const BAS_ESTIMATORS: [Estimator; 4] = [
    Estimator::Exact,
    Estimator::Cd(1),
    Estimator::Cd(BAS_CD_K),
    Estimator::Pcd(1),
];

/// Trains one machine per estimator on the 4 x 4 bars and stripes.
pub fn bas_runs() -> Result<Vec<(Estimator, Run)>> {
    let data = bars_and_stripes(4)?;
    let schedule = Schedule {
        epochs: BAS_EPOCHS,
        learning_rate: BAS_RATE,
        momentum: 0.0,
        seed: BAS_SEED,
    };
    BAS_ESTIMATORS
        .iter()
        .map(|&e| Ok((e, train(data.view(), BAS_HIDDEN, e, schedule)?)))
        .collect()
}
// ANCHOR_END: bas_setup

// ANCHOR: rbm_model_images
/// ln p(v) = -F(v) - ln Z of every visible state, in state order (exact).
pub fn log_marginals(rbm: &Rbm) -> Result<Vec<f64>> {
    let n_v = rbm.n_v();
    ensure_enumerable("number of visible units", n_v)?;
    let log_z = rbm.log_z()?;
    (0..1usize << n_v)
        .map(|k| Ok(-rbm.free_energy(state(k, n_v)?.view())? - log_z))
        .collect()
}

/// The numbers of the `count` most probable visible states, most probable
/// first (ties in state order).
pub fn most_probable(rbm: &Rbm, count: usize) -> Result<Vec<usize>> {
    let log_p = log_marginals(rbm)?;
    let mut order: Vec<usize> = (0..log_p.len()).collect();
    order.sort_by(|&k, &l| log_p[l].total_cmp(&log_p[k]).then(k.cmp(&l)));
    order.truncate(count);
    Ok(order)
}

/// The probability the machine gives to the rows of `data` together, sum_n p(v_n).
pub fn mass_on(rbm: &Rbm, data: ArrayView2<f64>) -> Result<f64> {
    let log_z = rbm.log_z()?;
    let mut mass = 0.0;
    for v in data.outer_iter() {
        mass += (-rbm.free_energy(v)? - log_z).exp();
    }
    Ok(mass)
}
// ANCHOR_END: rbm_model_images

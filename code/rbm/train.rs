//! Training an RBM by gradient ascent on the log-likelihood, with the model term
//! of the gradient computed exactly or estimated by contrastive divergence.

use ndarray::{Array1, Array2, ArrayView2, Axis};

use rand::{Rng, RngExt};

use crate::check::seeded;
use crate::error::{ensure_allocatable, ensure_shape, Error, Result};
use crate::rbm::model::{ensure_data, Rbm};
use crate::rbm::moments::{Gradient, Moments};

// ANCHOR: rbm_estimator
/// How the model term E_model[v h^T] of the gradient is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimator {
    /// Exactly, by enumerating the smaller layer.
    Exact,
    /// Contrastive divergence CD-k: k Gibbs steps from each data vector.
    Cd(usize),
    /// Persistent contrastive divergence: k Gibbs steps from the chains' last states.
    Pcd(usize),
}

impl Estimator {
    /// The name used in plots and tables: "exact gradient", "CD-1", "PCD-1", ...
    pub fn name(&self) -> String {
        match self {
            Estimator::Exact => "exact gradient".to_string(),
            Estimator::Cd(k) => format!("CD-{k}"),
            Estimator::Pcd(k) => format!("PCD-{k}"),
        }
    }
}
// ANCHOR_END: rbm_estimator

// ANCHOR: rbm_schedule
/// The settings of a training run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// Number of passes over the data.
    pub epochs: usize,
    /// Step size of gradient ascent.
    pub learning_rate: f64,
    /// Momentum mu in [0, 1): each step is mu times the previous step plus
    /// the learning rate times the gradient (Hinton 2010, section 9).
    pub momentum: f64,
    /// Seed of the initial weights and of every Gibbs step.
    pub seed: u64,
}

/// The outcome of a training run.
#[derive(Debug, Clone)]
pub struct Run {
    /// The trained machine.
    pub rbm: Rbm,
    /// The exact average log-likelihood of the data before training (entry 0)
    /// and after every epoch (entry e).
    pub log_likelihood: Vec<f64>,
}
// ANCHOR_END: rbm_schedule

// ANCHOR: rbm_initial
/// Half-width of the uniform distribution of the initial weights: small random
/// weights break the symmetry between hidden units (Hinton 2010, section 8,
/// draws them from a Gaussian of standard deviation 0.01; this uniform has
/// standard deviation 0.029).
pub const INIT_SCALE: f64 = 0.05;

/// The initial machine: weights uniform in [-INIT_SCALE, INIT_SCALE), hidden
/// bias 0, visible bias b_i = ln(q_i / (1 - q_i)) for the fraction q_i of data
/// vectors with v_i = 1, clamped to [0.01, 0.99] (Hinton 2010, section 8).
pub fn initial_rbm<R: Rng + ?Sized>(data: ArrayView2<f64>, n_h: usize, rng: &mut R) -> Result<Rbm> {
    let n_v = data.ncols();
    ensure_data(data, n_v)?;
    ensure_allocatable("weights W", &[n_v, n_h])?;
    ensure_allocatable("hidden bias a: number of hidden units n_h", &[n_h])?;
    let w = Array2::from_shape_simple_fn((n_v, n_h), || rng.random_range(-INIT_SCALE..INIT_SCALE));
    // The fraction of data vectors with v_i = 1 (ensure_data found at least one row).
    let q = data.sum_axis(Axis(0)) / data.nrows() as f64;
    let visible_bias = q.mapv(|qi| {
        let qi = qi.clamp(0.01, 0.99);
        (qi / (1.0 - qi)).ln()
    });
    Rbm::new(w, Array1::zeros(n_h), visible_bias)
}
// ANCHOR_END: rbm_initial

// ANCHOR: rbm_ascend
impl Rbm {
    /// Adds `rate` times `gradient` to the parameters (one step of gradient ascent).
    /// Fails, leaving the parameters unchanged, if a shape differs or a result is not finite.
    pub fn ascend(&mut self, gradient: &Gradient, rate: f64) -> Result<()> {
        ensure_shape("gradient of W", self.w().shape(), gradient.w().shape())?;
        ensure_shape(
            "gradient of the hidden bias a",
            self.hidden_bias().shape(),
            gradient.hidden_bias().shape(),
        )?;
        ensure_shape(
            "gradient of the visible bias b",
            self.visible_bias().shape(),
            gradient.visible_bias().shape(),
        )?;
        if !rate.is_finite() {
            return Err(Error::NonFinite {
                what: "learning rate".to_string(),
                index: vec![],
                value: rate,
            });
        }
        let w = &self.w() + &(rate * &gradient.w());
        let hidden_bias = &self.hidden_bias() + &(rate * &gradient.hidden_bias());
        let visible_bias = &self.visible_bias() + &(rate * &gradient.visible_bias());
        *self = Rbm::new(w, hidden_bias, visible_bias)?;
        Ok(())
    }
}
// ANCHOR_END: rbm_ascend

// ANCHOR: rbm_train
/// The most epochs [`train`] runs: 10^5, fifty times the chapter's runs.
pub const MAX_EPOCHS: usize = 100_000;
/// The most Gibbs steps k of CD-k and PCD-k: 10^4, a thousand times the
/// chapter's CD-10.
pub const MAX_GIBBS_STEPS: usize = 10_000;

/// Trains an RBM with `n_h` hidden units on every row of `data` at once (one
/// gradient step an epoch), with the model term from `estimator`. CD and PCD
/// run one chain per data vector and use the Rao-Blackwellised statistics
/// v_k sigma(W^T v_k + a)^T of the chains' final visible states v_k.
pub fn train(
    data: ArrayView2<f64>,
    n_h: usize,
    estimator: Estimator,
    schedule: Schedule,
) -> Result<Run> {
    if let Estimator::Cd(k) | Estimator::Pcd(k) = estimator {
        if k == 0 {
            return Err(Error::BadSize {
                what: "number of Gibbs steps k".to_string(),
                value: 0,
                constraint: format!("{} needs at least one step", estimator.name()),
            });
        }
        if k > MAX_GIBBS_STEPS {
            return Err(Error::TooLarge {
                what: "number of Gibbs steps k".to_string(),
                value: k as u128,
                limit: MAX_GIBBS_STEPS as u128,
            });
        }
    }
    if schedule.epochs > MAX_EPOCHS {
        return Err(Error::TooLarge {
            what: "epochs".to_string(),
            value: schedule.epochs as u128,
            limit: MAX_EPOCHS as u128,
        });
    }
    if !(schedule.learning_rate.is_finite() && schedule.learning_rate > 0.0) {
        return Err(Error::OutOfRange {
            what: "learning rate".to_string(),
            value: schedule.learning_rate,
            range: "(0, inf), finite".to_string(),
        });
    }
    if !(0.0..1.0).contains(&schedule.momentum) {
        return Err(Error::OutOfRange {
            what: "momentum".to_string(),
            value: schedule.momentum,
            range: "[0, 1)".to_string(),
        });
    }
    let mut rng = seeded(schedule.seed);
    let mut rbm = initial_rbm(data, n_h, &mut rng)?;
    let mut log_likelihood = vec![rbm.log_likelihood(data)?];
    // The persistent chains of PCD start at the data.
    let mut chains: Array2<f64> = data.to_owned();
    let mut step = Gradient::new(
        Array2::zeros((rbm.n_v(), n_h)),
        Array1::zeros(n_h),
        Array1::zeros(rbm.n_v()),
    )?;
    for _ in 0..schedule.epochs {
        let positive = rbm.data_moments(data)?;
        let negative = match estimator {
            Estimator::Exact => rbm.model_moments()?,
            Estimator::Cd(k) => {
                chains.assign(&data);
                chain_moments(&rbm, &mut chains, k, &mut rng)?
            }
            Estimator::Pcd(k) => chain_moments(&rbm, &mut chains, k, &mut rng)?,
        };
        let gradient = positive.minus(&negative)?;
        let (mu, eta) = (schedule.momentum, schedule.learning_rate);
        step = Gradient::new(
            mu * &step.w() + eta * &gradient.w(),
            mu * &step.hidden_bias() + eta * &gradient.hidden_bias(),
            mu * &step.visible_bias() + eta * &gradient.visible_bias(),
        )?;
        rbm.ascend(&step, 1.0)?;
        log_likelihood.push(rbm.log_likelihood(data)?);
    }
    Ok(Run {
        rbm,
        log_likelihood,
    })
}

/// Runs k Gibbs steps on every chain (one chain a row) and returns the average
/// of v sigma(W^T v + a)^T, sigma(W^T v + a) and v over the final states.
fn chain_moments<R: Rng + ?Sized>(
    rbm: &Rbm,
    chains: &mut Array2<f64>,
    k: usize,
    rng: &mut R,
) -> Result<Moments> {
    let mut v = Array1::zeros(rbm.n_v());
    let mut h = Array1::zeros(rbm.n_h());
    for mut chain in chains.outer_iter_mut() {
        v.assign(&chain);
        for _ in 0..k {
            rbm.gibbs_sweep(&mut v, &mut h, rng)?;
        }
        chain.assign(&v);
    }
    rbm.data_moments(chains.view())
}
// ANCHOR_END: rbm_train

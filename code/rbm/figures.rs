//! The figures of the chapter: training curves on bars and stripes.

use crate::error::Result;
use crate::figures::{Figure, Plot, Series};
use crate::rbm::bars_stripes::bars_and_stripes;
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

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let runs = bas_runs().expect("the bars-and-stripes runs use valid settings");
    let mut series: Vec<Series> = runs
        .iter()
        .map(|(e, run)| {
            let points = run
                .log_likelihood
                .iter()
                .enumerate()
                .map(|(epoch, &ll)| (epoch as f64, ll))
                .collect();
            Series::line(&e.name(), points)
        })
        .collect();
    let best = -(30f64.ln());
    series.push(Series::line(
        "best possible, -ln 30",
        vec![(0.0, best), (BAS_EPOCHS as f64, best)],
    ));
    let plot = Plot {
        title: format!("RBM with {BAS_HIDDEN} hidden units on 4x4 bars and stripes"),
        x_label: "epoch (one full-batch step)".to_string(),
        y_label: "exact average log-likelihood (nats)".to_string(),
        series,
        ..Plot::default()
    };
    vec![Figure::svg("figures/rbm/bas-training.svg", plot.to_svg())]
}

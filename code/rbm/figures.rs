//! The figures of the chapter: training curves on bars and stripes.

use ndarray::{Array2, ArrayView2};

use crate::error::Result;
use crate::figures::raster::grayscale_png;
use crate::figures::{Figure, Plot, Series};
use crate::rbm::bars_stripes::bars_and_stripes;
use crate::rbm::chain::{chain_total_variation, gibbs_demo_rbm, GIBBS_BURN_IN, GIBBS_CHAIN_SEED};
use crate::rbm::model::{ensure_enumerable, state, Rbm};
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

// ANCHOR: model_images
/// ln p(v) = -F(v) - ln Z of every visible state, in state order (exact).
pub fn log_marginals(rbm: &Rbm) -> Result<Vec<f64>> {
    let n_v = rbm.n_v();
    ensure_enumerable("number of visible units", n_v)?;
    let log_z = rbm.log_z()?;
    (0..1usize << n_v)
        .map(|k| Ok(-rbm.free_energy(state(k, n_v).view())? - log_z))
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
// ANCHOR_END: model_images

/// Draws rows of `side` x `side` images (one image a row of `images`, pixel
/// (r, c) at column r * side + c), on pixels black, separated by gray lines.
fn image_grid(rows: &[Array2<f64>], side: usize) -> Array2<f64> {
    let columns = rows.iter().map(|r| r.nrows()).max().unwrap_or(0);
    let cell = side + 1;
    let mut canvas = Array2::from_elem((rows.len() * cell + 1, columns * cell + 1), 0.75);
    for (row, images) in rows.iter().enumerate() {
        for (col, image) in images.outer_iter().enumerate() {
            for r in 0..side {
                for c in 0..side {
                    canvas[(row * cell + 1 + r, col * cell + 1 + c)] = 1.0 - image[r * side + c];
                }
            }
        }
    }
    canvas
}

/// The total-variation distance of the Gibbs chain (and of the chain with the
/// source's stray constant) from the exact joint against the number of sweeps.
fn gibbs_figure() -> Figure {
    let rbm = gibbs_demo_rbm();
    let stray = Rbm::new(
        rbm.w().to_owned(),
        ndarray::Array1::ones(rbm.n_h()),
        rbm.b().to_owned(),
    )
    .expect("finite parameters");
    // 100, 200, 500, 1000, ..., 100 000 sweeps: prefixes of one chain.
    let checkpoints: Vec<usize> = (2..=5)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10usize.pow(e - 1)))
        .chain([100_000])
        .collect();
    let curve = |sampler: &Rbm| -> Vec<(f64, f64)> {
        let tv =
            chain_total_variation(sampler, &rbm, GIBBS_BURN_IN, &checkpoints, GIBBS_CHAIN_SEED)
                .expect("valid checkpoints");
        checkpoints.iter().map(|&n| n as f64).zip(tv).collect()
    };
    let states = (1usize << (rbm.n_v() + rbm.n_h())) as f64;
    let bound = checkpoints
        .iter()
        .map(|&n| (n as f64, 0.5 * (states / n as f64).sqrt()))
        .collect();
    let plot = Plot {
        title: "Block Gibbs sampling on an RBM with 3 visible and 2 hidden units".to_string(),
        x_label: "sweeps counted, N".to_string(),
        y_label: "total-variation distance from p(v, h)".to_string(),
        log_x: true,
        log_y: true,
        series: vec![
            Series::line("Gibbs chain", curve(&rbm)),
            Series::line("chain with a replaced by 1 (source)", curve(&stray)),
            Series::line("(1/2) sqrt(32 / N), independent draws", bound),
        ],
    };
    Figure::svg("figures/rbm/gibbs-tv.svg", plot.to_svg())
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let runs = bas_runs().expect("the bars-and-stripes runs use valid settings");
    let data = bars_and_stripes(4).expect("side 4 is valid");
    let mut rows = vec![data.clone()];
    for (_, run) in &runs {
        let top = most_probable(&run.rbm, data.nrows()).expect("16 visible units enumerate");
        let mut images = Array2::zeros((top.len(), 16));
        for (n, &k) in top.iter().enumerate() {
            images.row_mut(n).assign(&state(k, 16));
        }
        rows.push(images);
    }
    let images = Figure {
        path: "figures/rbm/bas-most-probable.png".to_string(),
        bytes: grayscale_png(image_grid(&rows, 4).view(), 6),
    };
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
    vec![
        Figure::svg("figures/rbm/bas-training.svg", plot.to_svg()),
        images,
        gibbs_figure(),
    ]
}

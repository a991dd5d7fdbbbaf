//! The figures of the RBM chapter: training curves on bars and stripes, the
//! most probable images of each trained machine, and the Gibbs chain's
//! distance from the exact joint.

use ndarray::Array2;

use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::chain::{
    chain_total_variation, gibbs_demo_rbm, GIBBS_BURN_IN, GIBBS_CHAIN_SEED,
};
use verified_dl::rbm::exact::state;
use verified_dl::rbm::experiment::{bas_runs, most_probable, BAS_EPOCHS, BAS_HIDDEN};
use verified_dl::rbm::model::Rbm;

use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

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
        rbm.visible_bias().to_owned(),
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
            images
                .row_mut(n)
                .assign(&state(k, 16).expect("16 units and a state number below 2^16"));
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

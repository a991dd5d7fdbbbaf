//! The figures of the convolution chapter: the training curves, the learned
//! filters and sample images of the training run.

use ndarray::{Array2, Axis};

use verified_dl::conv::experiment::{task_data, training_run, EPOCHS};
use verified_dl::conv::train::Epoch;

use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

/// Lays images side by side, each scaled to [0, 1] by its own range, with a
/// one-pixel white gap between them.
fn tile(images: &[Array2<f64>]) -> Array2<f64> {
    let h = images.iter().map(|x| x.nrows()).max().unwrap_or(0);
    let w: usize = images
        .iter()
        .map(|x| x.ncols() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut out = Array2::from_elem((h, w), 1.0);
    let mut col = 0;
    for x in images {
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let span = (hi - lo).max(1e-12);
        for ((r, c), &v) in x.indexed_iter() {
            out[[r, col + c]] = (v - lo) / span;
        }
        col += x.ncols() + 1;
    }
    out
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let (net, history) = training_run(EPOCHS).expect("the training run's sizes are valid");
    let curve = |f: fn(&Epoch) -> f64| {
        history
            .iter()
            .enumerate()
            .map(|(e, h)| ((e + 1) as f64, f(h)))
            .collect::<Vec<_>>()
    };
    let loss = Plot {
        title: "SGD on the bars task: mean cross-entropy and held-out error rate".into(),
        x_label: "epoch".into(),
        y_label: "loss (nats) / error rate".into(),
        log_y: true,
        series: vec![
            Series::line("training loss", curve(|h| h.train_loss)),
            Series::line("held-out loss", curve(|h| h.test_loss)),
            Series::dots("held-out error rate", curve(|h| 1.0 - h.test_accuracy)),
        ],
        ..Plot::default()
    };
    let filters: Vec<Array2<f64>> = net.w.axis_iter(Axis(0)).map(|w| w.to_owned()).collect();
    let (_, test_set) = task_data().expect("the task's sizes are valid");
    let samples: Vec<Array2<f64>> = (0..6).map(|j| test_set[j].x.clone()).collect();
    vec![
        Figure::svg("figures/conv/loss.svg", loss.to_svg()),
        Figure {
            path: "figures/conv/filters.png".into(),
            bytes: grayscale_png(tile(&filters).view(), 24),
        },
        Figure {
            path: "figures/conv/samples.png".into(),
            bytes: grayscale_png(tile(&samples).view(), 8),
        },
    ]
}

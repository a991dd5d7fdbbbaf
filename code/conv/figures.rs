//! The figures of the chapter: the training curves and the learned filters.

use ndarray::{Array2, Axis};

use super::data::{bars, Example};
use super::network::{Net, Shape};
use super::train::{train, Epoch};
use crate::check::seeded;
use crate::error::Result;
use crate::figures::{raster::grayscale_png, Figure, Plot, Series};

// ANCHOR: task
/// The network of the training run: the source's, with two 3x3 filters,
/// stride 1, a 4x4 pooling window of stride 1, on 8x8 images of three classes.
pub const TASK_SHAPE: Shape = Shape {
    d: 8,
    k: 3,
    s: 1,
    p: 4,
    t: 1,
    filters: 2,
    classes: 3,
};
/// Pixels in each bar.
pub const BAR_LEN: usize = 4;
/// Noise uniform in [-NOISE, NOISE] on every pixel.
pub const NOISE: f64 = 0.2;
/// The SGD learning rate.
pub const LEARNING_RATE: f64 = 0.03;
/// Training images.
pub const TRAIN_IMAGES: usize = 300;
/// Held-out images (from a different seed than the training images).
pub const TEST_IMAGES: usize = 300;

/// The training and held-out images of the run.
pub fn task_data() -> Result<(Vec<Example>, Vec<Example>)> {
    let d = TASK_SHAPE.d;
    Ok((
        bars(TRAIN_IMAGES, d, BAR_LEN, NOISE, 1)?,
        bars(TEST_IMAGES, d, BAR_LEN, NOISE, 2)?,
    ))
}

/// The training run of the chapter: `epochs` epochs from fixed seeds.
pub fn training_run(epochs: usize) -> Result<(Net, Vec<Epoch>)> {
    let (train_set, test_set) = task_data()?;
    let mut net = Net::new(TASK_SHAPE, &mut seeded(3))?;
    let history = train(&mut net, &train_set, &test_set, epochs, LEARNING_RATE, 4)?;
    Ok((net, history))
}
// ANCHOR_END: task

/// Epochs of the chapter's training run.
pub const EPOCHS: usize = 25;

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

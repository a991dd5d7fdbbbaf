//! The chapter's training run: the task, its data and its settings.

use super::data::{bars, Example};
use super::network::{Net, Shape};
use super::size::{Conv, Pool};
use super::train::{train, Epoch};
use crate::check::seeded;
use crate::error::Result;

// ANCHOR: task
/// The network of the training run: the source's, with two 3x3 filters,
/// stride 1, a 4x4 pooling window of stride 1, on 8x8 images of three classes.
pub fn task_shape() -> Result<Shape> {
    Shape::new(8, Conv::new(3, 1)?, Pool::new(4, 1)?, 2, 3)
}
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
    let d = task_shape()?.d();
    Ok((
        bars(TRAIN_IMAGES, d, BAR_LEN, NOISE, 1)?,
        bars(TEST_IMAGES, d, BAR_LEN, NOISE, 2)?,
    ))
}

/// The training run of the chapter: `epochs` epochs from fixed seeds.
pub fn training_run(epochs: usize) -> Result<(Net, Vec<Epoch>)> {
    let (train_set, test_set) = task_data()?;
    let mut net = Net::new(task_shape()?, &mut seeded(3))?;
    let history = train(&mut net, &train_set, &test_set, epochs, LEARNING_RATE, 4)?;
    Ok((net, history))
}
// ANCHOR_END: task

/// Epochs of the chapter's training run.
pub const EPOCHS: usize = 25;

//! Training the source's network by plain stochastic gradient descent.

use super::data::Example;
use super::network::Net;
use crate::check::seeded;
use crate::error::Result;
use rand::seq::SliceRandom;

/// What one epoch of training measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Epoch {
    /// Mean training loss over the epoch's steps (with the parameters as they were at each step).
    pub train_loss: f64,
    /// Mean loss on the held-out images after the epoch.
    pub test_loss: f64,
    /// Fraction of held-out images classified correctly after the epoch.
    pub test_accuracy: f64,
}

/// The mean loss and the accuracy of `net` on `data`.
pub fn evaluate(net: &Net, data: &[Example]) -> Result<(f64, f64)> {
    let mut loss = 0.0;
    let mut correct = 0;
    for e in data {
        loss += net.loss(e.x.view(), e.label)?;
        if net.predict(e.x.view())? == e.label {
            correct += 1;
        }
    }
    let n = data.len().max(1) as f64;
    Ok((loss / n, correct as f64 / n))
}

// ANCHOR: train
/// Trains `net` on `train` for `epochs` epochs of SGD with learning rate `lr`,
/// one image per step, in an order shuffled each epoch from the seed `seed`.
/// Returns the measurements of every epoch.
pub fn train(
    net: &mut Net,
    train: &[Example],
    test: &[Example],
    epochs: usize,
    lr: f64,
    seed: u64,
) -> Result<Vec<Epoch>> {
    let mut rng = seeded(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut history = Vec::with_capacity(epochs);
    for _ in 0..epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for &j in &order {
            let (loss, grads) = net.loss_and_grad(train[j].x.view(), train[j].label)?;
            total += loss;
            net.sgd_step(&grads, lr);
        }
        let (test_loss, test_accuracy) = evaluate(net, test)?;
        history.push(Epoch {
            train_loss: total / train.len().max(1) as f64,
            test_loss,
            test_accuracy,
        });
    }
    Ok(history)
}
// ANCHOR_END: train

//! Training the source's network by plain stochastic gradient descent.

use super::data::Example;
use super::network::{check_learning_rate, Net};
use crate::check::seeded;
use crate::error::{Error, Result};

// ANCHOR: conv_train
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

/// Checks a sum of finite losses, which can overflow only if the losses are
/// near f64::MAX (weights or images near it), naming the images.
fn finite_sum(what: &str, sum: f64) -> Result<f64> {
    if sum.is_finite() {
        Ok(sum)
    } else {
        Err(Error::OutOfRange {
            what: format!("images {what}: their summed loss"),
            value: sum,
            range: "below f64::MAX".into(),
        })
    }
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
    Ok((finite_sum("data", loss)? / n, correct as f64 / n))
}

/// Trains `net` on `train` for `epochs` epochs of SGD with learning rate `lr`,
/// one image per step, in an order shuffled each epoch from the seed `seed`.
/// Returns the measurements of every epoch. Errors if `lr` is not a positive
/// number, or on the first image that does not fit the network.
pub fn train(
    net: &mut Net,
    train: &[Example],
    test: &[Example],
    epochs: usize,
    lr: f64,
    seed: u64,
) -> Result<Vec<Epoch>> {
    use rand::seq::SliceRandom;
    check_learning_rate(lr)?;
    let mut rng = seeded(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut history = Vec::new();
    for _ in 0..epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0;
        for e in order.iter().filter_map(|&j| train.get(j)) {
            let (loss, grads) = net.loss_and_grad(e.x.view(), e.label)?;
            total += loss;
            net.sgd_step(&grads, lr)?;
        }
        let train_loss = finite_sum("train", total)? / train.len().max(1) as f64;
        let (test_loss, test_accuracy) = evaluate(net, test)?;
        history.push(Epoch {
            train_loss,
            test_loss,
            test_accuracy,
        });
    }
    Ok(history)
}
// ANCHOR_END: conv_train

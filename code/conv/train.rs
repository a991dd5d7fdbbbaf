//! Training the source's network by plain stochastic gradient descent: the
//! step (`Net::sgd_step`, with its check of the learning rate), the loop over
//! epochs, and the evaluation on held-out images.

use super::data::Example;
use super::network::{Grads, Net};
use crate::check::seeded;
use crate::error::{ensure_finite, ensure_finite_scalar, ensure_shape, Error, Result};

// ANCHOR: sgd_step
/// Checks a learning rate: finite and positive.
pub(crate) fn check_learning_rate(lr: f64) -> Result<()> {
    ensure_finite_scalar("learning rate lr", lr)?;
    if lr <= 0.0 {
        return Err(Error::OutOfRange {
            what: "learning rate lr".into(),
            value: lr,
            range: "(0, inf): a step against the gradient".into(),
        });
    }
    Ok(())
}

impl Net {
    /// One step of plain stochastic gradient descent: theta <- theta - lr dL/dtheta.
    /// Errors, and leaves the network as it was, if `lr` is not a positive
    /// number, if a gradient has the wrong shape or is not finite, or if a
    /// new weight would overflow.
    pub fn sgd_step(&mut self, g: &Grads, lr: f64) -> Result<()> {
        check_learning_rate(lr)?;
        ensure_shape("gradient dL/dW", self.w.shape(), g.w.shape())?;
        ensure_shape("gradient dL/dV", self.v.shape(), g.v.shape())?;
        ensure_shape("gradient dL/db", self.b.shape(), g.b.shape())?;
        ensure_finite("gradient dL/dW", &g.w)?;
        ensure_finite("gradient dL/dV", &g.v)?;
        ensure_finite("gradient dL/db", &g.b)?;
        let w = &self.w - &(lr * &g.w);
        let v = &self.v - &(lr * &g.v);
        let b = &self.b - &(lr * &g.b);
        for (what, ok) in [
            ("gradient dL/dW", w.iter().all(|x| x.is_finite())),
            ("gradient dL/dV", v.iter().all(|x| x.is_finite())),
            ("gradient dL/db", b.iter().all(|x| x.is_finite())),
        ] {
            if !ok {
                return Err(Error::OutOfRange {
                    what: what.into(),
                    value: lr,
                    range: "steps lr dL/dtheta that keep every weight below f64::MAX".into(),
                });
            }
        }
        (self.w, self.v, self.b) = (w, v, b);
        Ok(())
    }
}
// ANCHOR_END: sgd_step

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

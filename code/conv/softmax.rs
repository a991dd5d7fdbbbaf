//! The softmax layer: its Jacobian and backward pass, the cross-entropy
//! against a target distribution and its gradient, and one-hot targets.

use ndarray::{Array1, Array2, ArrayView1};

use crate::error::ensure_finite;
use crate::error::{ensure_shape, Error, Result};
use crate::numerics::{log_softmax, softmax};

// ANCHOR: softmax_jacobian
/// The Jacobian of the softmax sigma = softmax(z): d sigma_i / d z_j = sigma_i (delta_ij - sigma_j).
pub fn softmax_jacobian(z: ArrayView1<f64>) -> Array2<f64> {
    let sigma = softmax(z);
    Array2::from_shape_fn((z.len(), z.len()), |(i, j)| {
        sigma[i] * (if i == j { 1.0 } else { 0.0 } - sigma[j])
    })
}

/// The backward pass of the softmax without forming the Jacobian:
/// dL/dz_j = sum_i dL/dsigma_i sigma_i (delta_ij - sigma_j) = sigma_j (g_j - sum_i sigma_i g_i).
pub fn softmax_backward(z: ArrayView1<f64>, g: ArrayView1<f64>) -> Result<Array1<f64>> {
    ensure_shape("softmax output gradient", z.shape(), g.shape())?;
    let sigma = softmax(z);
    let inner = sigma.dot(&g);
    Ok(&sigma * &(&g - inner))
}
// ANCHOR_END: softmax_jacobian

/// How far from 1 the entries of a target distribution may sum: a distribution
/// written in f64 sums to 1 up to a few ulps times its length; 1e-9 accepts any
/// such rounding and rejects any target that is not a distribution.
pub const TARGET_SUM_TOL: f64 = 1e-9;

fn check_target(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<()> {
    ensure_shape("cross-entropy target", z.shape(), target.shape())?;
    ensure_finite("logits z", &z)?;
    for (j, &tj) in target.iter().enumerate() {
        if tj.is_nan() || tj < 0.0 || !tj.is_finite() {
            return Err(Error::BadValue {
                what: "cross-entropy target".into(),
                index: vec![j],
                value: tj,
                allowed: "a finite probability >= 0".into(),
            });
        }
    }
    let sum = target.sum();
    if (sum - 1.0).abs() > TARGET_SUM_TOL {
        return Err(Error::NotNormalized {
            what: "cross-entropy target".into(),
            row: vec![],
            sum,
            tolerance: TARGET_SUM_TOL,
        });
    }
    Ok(())
}

// ANCHOR: cross_entropy
/// The cross-entropy of the softmax of the logits `z` against a target
/// distribution `t`: L = -sum_j t_j ln softmax(z)_j, with ln softmax computed
/// stably (finite for logits of any size).
pub fn cross_entropy(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<f64> {
    check_target(z, target)?;
    let log_sigma = log_softmax(z);
    Ok(-target
        .iter()
        .zip(log_sigma.iter())
        .filter(|(&tj, _)| tj > 0.0)
        .map(|(&tj, &lj)| tj * lj)
        .sum::<f64>())
}

/// The gradient of [`cross_entropy`] with respect to the logits: softmax(z) - t.
pub fn softmax_xent_grad(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<Array1<f64>> {
    check_target(z, target)?;
    Ok(softmax(z) - target)
}
// ANCHOR_END: cross_entropy

/// The one-hot target of class `label` among `classes`.
pub fn one_hot(label: usize, classes: usize) -> Result<Array1<f64>> {
    if label >= classes {
        return Err(Error::BadSize {
            what: "class label".into(),
            value: label,
            constraint: format!("must be below the number of classes {classes}"),
        });
    }
    let mut t = Array1::zeros(classes);
    t[label] = 1.0;
    Ok(t)
}

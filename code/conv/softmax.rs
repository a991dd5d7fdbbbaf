//! The softmax layer: its Jacobian and backward pass, the cross-entropy
//! against a target distribution and its gradient, and one-hot targets.

use ndarray::{Array1, Array2, ArrayView1};

use super::convolution::ensure_no_overflow;
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};
use crate::numerics::softmax;

// ANCHOR: softmax_jacobian
/// The Jacobian of the softmax sigma = softmax(z): d sigma_i / d z_j = sigma_i (delta_ij - sigma_j).
///
/// Errors if `z` is not finite or the K x K matrix is too large.
pub fn softmax_jacobian(z: ArrayView1<f64>) -> Result<Array2<f64>> {
    ensure_finite("logits z", &z)?;
    ensure_allocatable(
        "softmax Jacobian (length of z squared)",
        &[z.len(), z.len()],
    )?;
    let sigma = softmax(z);
    Ok(Array2::from_shape_fn((z.len(), z.len()), |(i, j)| {
        sigma[i] * (if i == j { 1.0 } else { 0.0 } - sigma[j])
    }))
}

/// The backward pass of the softmax without forming the Jacobian:
/// dL/dz_j = sum_i dL/dsigma_i sigma_i (delta_ij - sigma_j) = sigma_j (g_j - sum_i sigma_i g_i).
pub fn softmax_backward(z: ArrayView1<f64>, g: ArrayView1<f64>) -> Result<Array1<f64>> {
    ensure_shape("softmax output gradient g", z.shape(), g.shape())?;
    ensure_finite("logits z", &z)?;
    ensure_finite("softmax output gradient g", &g)?;
    let sigma = softmax(z);
    let inner = sigma.dot(&g);
    let dz = &sigma * &(&g - inner);
    ensure_no_overflow("softmax output gradient g", &g, &dz)?;
    Ok(dz)
}
// ANCHOR_END: softmax_jacobian

// ANCHOR: cross_entropy
/// How far from 1 the entries of a target may sum: a distribution written in
/// f64 sums to 1 up to its length times an ulp (the tests measure it for
/// lengths up to 1000, all far inside 1e-9). A target is accepted when its entries are
/// finite and non-negative and their sum is within 1e-9 of 1; so a vector
/// that sums to 1 + 1e-10, not quite a distribution, is accepted too.
pub const TARGET_SUM_TOL: f64 = 1e-9;

/// Checks that the logits are finite and the target is a distribution of their length.
pub(crate) fn check_target(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<()> {
    ensure_shape("cross-entropy target", z.shape(), target.shape())?;
    ensure_finite("logits z", &z)?;
    for (j, &tj) in target.iter().enumerate() {
        if !(tj.is_finite() && tj >= 0.0) {
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

/// The cross-entropy of the softmax of the logits `z` against a target
/// distribution `t`: L = -sum_j t_j ln softmax(z)_j = sum_j t_j (lse(z) - z_j).
///
/// With the largest logit z_top, lse(z) - z_j = (z_top - z_j) + ln(1 + S),
/// S = sum_{i != top} e^{z_i - z_top}: two terms that are never negative,
/// every exponential at most 1, and ln(1 + S) by `ln_1p`, which keeps its
/// digits when S is tiny (a confident, right prediction: the loss of logits
/// (20, 0) for class 1 is ln(1 + e^-20), about 2.06e-9, to the last digits).
/// Errors if the loss itself overflows (logits that differ by more than f64::MAX).
pub fn cross_entropy(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<f64> {
    check_target(z, target)?;
    let mut top = 0;
    for (j, &zj) in z.iter().enumerate() {
        if zj > z[top] {
            top = j;
        }
    }
    let z_top = z[top];
    let rest: f64 = z
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != top)
        .map(|(_, &zi)| (zi - z_top).exp())
        .sum();
    let tail = rest.ln_1p();
    let loss: f64 = target
        .iter()
        .zip(z.iter())
        .filter(|&(&tj, _)| tj > 0.0)
        .map(|(&tj, &zj)| tj * ((z_top - zj) + tail))
        .sum();
    if !loss.is_finite() {
        return Err(Error::OutOfRange {
            what: "logits z".into(),
            value: z.iter().fold(0.0f64, |a, v| a.max(v.abs())),
            range: "logits whose differences stay below f64::MAX".into(),
        });
    }
    Ok(loss)
}

/// The gradient of [`cross_entropy`] with respect to the logits: softmax(z) - t.
pub fn softmax_xent_grad(z: ArrayView1<f64>, target: ArrayView1<f64>) -> Result<Array1<f64>> {
    check_target(z, target)?;
    Ok(softmax(z) - target)
}
// ANCHOR_END: cross_entropy

// ANCHOR: one_hot
/// The one-hot target of class `label` among `classes`.
pub fn one_hot(label: usize, classes: usize) -> Result<Array1<f64>> {
    if label >= classes {
        return Err(Error::BadSize {
            what: "class label".into(),
            value: label,
            constraint: format!("must be below the number of classes {classes}"),
        });
    }
    ensure_allocatable("number of classes", &[classes])?;
    let mut t = Array1::zeros(classes);
    t[label] = 1.0;
    Ok(t)
}
// ANCHOR_END: one_hot

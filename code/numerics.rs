//! Numerically stable elementary functions shared by the chapters.
//!
//! Each function here is exact in the sense of floating point: it never forms
//! `exp(x)` for a large positive `x`, so it neither overflows nor loses the
//! answer for inputs of any size (the tests use plus and minus 1000).

use ndarray::{Array1, ArrayView1};

// ANCHOR: sigmoid
/// The logistic function sigma(x) = 1 / (1 + e^{-x}), stable for every x.
///
/// For x >= 0 it evaluates 1 / (1 + e^{-x}), where e^{-x} <= 1; for x < 0 it
/// evaluates e^{x} / (1 + e^{x}), where e^{x} < 1. Neither branch overflows.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
// ANCHOR_END: sigmoid

// ANCHOR: softplus
/// softplus(x) = ln(1 + e^x), stable for every x.
///
/// Uses ln(1 + e^x) = max(x, 0) + ln(1 + e^{-|x|}); the second term lies in
/// (0, ln 2] and is computed with `ln_1p` so that it stays accurate when tiny.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}
// ANCHOR_END: softplus

// ANCHOR: log_sum_exp
/// ln sum_i e^{x_i}, stable for every input: the largest entry is factored out.
///
/// Returns negative infinity for an empty slice (the sum of no terms is 0), and
/// the maximum itself when it is infinite.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + x.iter().map(|&xi| (xi - m).exp()).sum::<f64>().ln()
}
// ANCHOR_END: log_sum_exp

// ANCHOR: softmax
/// softmax(z)_i = e^{z_i} / sum_j e^{z_j}, computed as e^{z_i - max z} / sum_j e^{z_j - max z}.
pub fn softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = z.mapv(|zi| (zi - m).exp());
    let s = e.sum();
    e / s
}
// ANCHOR_END: softmax

/// ln softmax(z)_i = z_i - ln sum_j e^{z_j}, without forming the softmax.
pub fn log_softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let lse = log_sum_exp(&z.to_vec());
    z.mapv(|zi| zi - lse)
}

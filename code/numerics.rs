//! Numerically stable elementary functions shared by the chapters.
//!
//! None of them forms `exp(x)` for a large positive `x`, so they neither
//! overflow nor lose the answer for inputs of any size. Each states its
//! documented range and accuracy; `tests/check/numerics.rs` checks them at the
//! ends of that range against a double-double reference computed another way.
//! NaN in, NaN out: a NaN input is never turned into a finite number.

use ndarray::{Array1, ArrayView1};

// ANCHOR: sigmoid
/// The logistic function sigma(x) = 1 / (1 + e^{-x}), stable for every x.
///
/// For x >= 0 it evaluates 1 / (1 + e^{-x}), where e^{-x} <= 1; for x < 0 it
/// evaluates e^{x} / (1 + e^{x}), where e^{x} < 1. Neither branch overflows.
///
/// Range: every f64; sigmoid(+inf) = 1, sigmoid(-inf) = 0, NaN gives NaN.
/// Accuracy: a few ulp wherever the result is a normal number (x > -708);
/// below, the result is subnormal or 0 and its error is below 2^-1074.
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
///
/// Range: every f64; softplus(+inf) = inf, softplus(-inf) = 0, NaN gives NaN.
/// Accuracy: a few ulp wherever the result is a normal number (x > -708).
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}
// ANCHOR_END: softplus

// ANCHOR: log_sum_exp
/// ln sum_i e^{x_i}, stable for every input: the largest entry is factored out.
///
/// Range: any slice. The empty sum is 0, so an empty slice gives -inf; a NaN
/// entry gives NaN; an entry of +inf gives +inf; if every entry is -inf the
/// sum is 0 and the result is -inf. Accuracy: for finite entries the error is
/// within a few ulp of max(|m|, ln n), m the largest entry, n the length.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    if x.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !m.is_finite() {
        return m;
    }
    m + x.iter().map(|&xi| (xi - m).exp()).sum::<f64>().ln()
}
// ANCHOR_END: log_sum_exp

// ANCHOR: softmax
/// softmax(z)_i = e^{z_i} / sum_j e^{z_j}, computed as e^{z_i - max z} / sum_j e^{z_j - max z}.
///
/// Range: any vector without NaN (a NaN entry makes every entry NaN). Entries
/// of +inf share the whole mass equally, the limit of large finite logits;
/// if every entry is -inf the softmax is undefined and is NaN. Accuracy: each
/// entry to a few ulp times max(1, |z_i - max z|), relative (the rounding of
/// z_i - max z is amplified by that factor in the exponential).
pub fn softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if z.iter().any(|v| v.is_nan()) || m == f64::NEG_INFINITY {
        return z.mapv(|_| f64::NAN);
    }
    if m == f64::INFINITY {
        let winners = z.iter().filter(|&&v| v == m).count() as f64;
        return z.mapv(|zi| if zi == m { 1.0 / winners } else { 0.0 });
    }
    let e = z.mapv(|zi| (zi - m).exp());
    let s = e.sum();
    e / s
}
// ANCHOR_END: softmax

// ANCHOR: log_softmax
/// ln softmax(z)_i = (z_i - m) - ln sum_j e^{z_j - m}, m = max z, without
/// forming the softmax.
///
/// Subtracting m first keeps the digits of z_i - m, which the form
/// z_i - (m + ln sum) would round away when |m| is large (at z = (1e308,
/// 1e308) it gives 0 instead of -ln 2). Range and special values as for
/// [`softmax`] (+inf entries get -ln(count), the others -inf). Accuracy: a few
/// ulp of max(|z_i - m|, ln n).
pub fn log_softmax(z: ArrayView1<f64>) -> Array1<f64> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if z.iter().any(|v| v.is_nan()) || m == f64::NEG_INFINITY {
        return z.mapv(|_| f64::NAN);
    }
    if m == f64::INFINITY {
        let winners = z.iter().filter(|&&v| v == m).count() as f64;
        return z.mapv(|zi| {
            if zi == m {
                -winners.ln()
            } else {
                f64::NEG_INFINITY
            }
        });
    }
    let log_sum = z.iter().map(|&zj| (zj - m).exp()).sum::<f64>().ln();
    z.mapv(|zi| (zi - m) - log_sum)
}
// ANCHOR_END: log_softmax

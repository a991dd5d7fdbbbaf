//! The stable elementary functions of `verified_dl::numerics`, at ordinary
//! and at extreme inputs (plus and minus 1000, where a naive e^x overflows).
//! The RBM chapter relies on them with weights of size 100.

use ndarray::{array, Array1};
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, EXACT_TOL};
use verified_dl::numerics::{log_softmax, log_sum_exp, sigmoid, softmax, softplus};
use verified_dl::verify;

#[test]
fn sigmoid_is_finite_and_exact_at_the_extremes() {
    assert_eq!(sigmoid(1000.0), 1.0);
    assert_eq!(sigmoid(-1000.0), 0.0);
    // e^{-1000} underflows, but sigma(-700) = e^{-700}/(1+e^{-700}) is representable.
    assert!(rel_err(sigmoid(-700.0) / (-700f64).exp(), 1.0) < EXACT_TOL);
    // The naive e^x / (1 + e^x) gives inf / inf = NaN at x = 1000.
    let naive = |x: f64| x.exp() / (1.0 + x.exp());
    assert!(naive(1000.0).is_nan());
}

#[test]
fn softplus_is_the_log_of_one_plus_exp() {
    // (check.softplus): softplus(x) = ln(1 + e^x) where the naive form is exact
    // enough to compare, and softplus(x) - softplus(-x) = x everywhere.
    let xs: Vec<f64> = (-300..=300).map(|i| i as f64 * 0.1).collect();
    let mut worst = 0.0f64;
    for &x in &xs {
        worst = worst.max(rel_err(softplus(x), x.exp().ln_1p()));
        worst = worst.max(rel_err(softplus(x) - softplus(-x), x));
    }
    verify!(
        "check.softplus",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        xs.len()
    );
    assert_eq!(softplus(1000.0), 1000.0);
    assert!(softplus(-1000.0) >= 0.0 && softplus(-1000.0) < 1e-300);
    assert!(rel_err(softplus(-30.0), (-30f64).exp()) < 1e-12);
    // The naive form overflows.
    assert!((1000f64).exp().ln_1p().is_infinite());
}

#[test]
fn log_sum_exp_factors_out_the_maximum() {
    // (check.lse): lse(x + c) = lse(x) + c, and lse of equal entries is x + ln n.
    let x = [1000.0, 1000.0, 999.0];
    let expected = 1000.0 + (2.0 + (-1f64).exp()).ln();
    assert!(rel_err(log_sum_exp(&x), expected) < EXACT_TOL);
    let y = [-1000.0, -1000.0];
    assert!(rel_err(log_sum_exp(&y), -1000.0 + 2f64.ln()) < EXACT_TOL);
    let mut worst = 0.0f64;
    let mut cases = 0;
    for c in [-1000.0, -10.0, 0.0, 10.0, 1000.0] {
        let z = [0.5, -1.25, 2.0, 0.0];
        let shifted: Vec<f64> = z.iter().map(|v| v + c).collect();
        worst = worst.max(rel_err(log_sum_exp(&shifted), log_sum_exp(&z) + c));
        cases += 1;
    }
    verify!("check.lse", Method::FloatingPoint, EXACT_TOL, worst, cases);
    assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    assert_eq!(log_sum_exp(&[f64::INFINITY, 0.0]), f64::INFINITY);
}

#[test]
fn softmax_sums_to_one_at_extreme_logits() {
    let z: Array1<f64> = array![1000.0, -1000.0, 999.0, 0.0];
    let p = softmax(z.view());
    assert!(p.iter().all(|v| v.is_finite()));
    assert!((p.sum() - 1.0).abs() < EXACT_TOL);
    let e = (-1f64).exp();
    assert!(rel_err(p[0], 1.0 / (1.0 + e)) < EXACT_TOL);
    assert!(rel_err(p[2], e / (1.0 + e)) < EXACT_TOL);
    let lp = log_softmax(z.view());
    assert!(rel_err(lp[1], -2000.0 - (1.0 + e).ln()) < EXACT_TOL);
    assert!(lp.iter().all(|v| v.is_finite()));
}

/// The plain relative error |a - b| / |b| (b nonzero): in the tails the values
/// are tiny, and an absolute error would hide a wrong exponent.
fn relative(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// The inputs: -1000 to 1000 in steps of 0.5, plus the extremes.
fn grid() -> Vec<f64> {
    (-2000..=2000).map(|i| i as f64 * 0.5).collect()
}

#[test]
fn sigmoid_is_stable_and_accurate_up_to_1000() {
    // The naive quotient e^x / (1 + e^x) is inf / inf = NaN at x = 1000.
    assert!((1000f64.exp() / (1.0 + 1000f64.exp())).is_nan());
    assert_eq!(sigmoid(1000.0), 1.0);
    // sigma(-1000) = e^{-1000} / (1 + e^{-1000}) ~ 5e-435 is below the smallest
    // subnormal double (4.9e-324): 0 is its correctly rounded value.
    assert_eq!(sigmoid(-1000.0), 0.0);
    let mut worst = 0.0f64;
    let mut previous = 0.0;
    for x in grid() {
        let s = sigmoid(x);
        assert!(
            s.is_finite() && (0.0..=1.0).contains(&s) && s >= previous,
            "sigma({x}) = {s}"
        );
        previous = s;
        // 1 / (1 + e^{-x}) is accurate to a few ulps wherever e^{-x} does not
        // overflow (x >= -709); compare relatively, so the tail counts.
        if x >= -700.0 {
            worst = worst.max(relative(s, 1.0 / (1.0 + (-x).exp())));
        }
    }
    verify!(
        "check.sigmoid",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        grid().len()
    );
}

#[test]
fn sigmoid_of_minus_x_is_one_minus_sigmoid_of_x() {
    let mut worst = 0.0f64;
    for x in grid() {
        worst = worst.max((sigmoid(x) + sigmoid(-x) - 1.0).abs());
    }
    verify!(
        "check.sigmoid-symmetry",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        grid().len()
    );
}

#[test]
fn softplus_is_stable_and_accurate_up_to_1000() {
    // The naive ln(1 + e^x) overflows to infinity at x = 1000.
    assert!((1.0 + 1000f64.exp()).ln().is_infinite());
    assert_eq!(softplus(1000.0), 1000.0);
    // softplus(-1000) ~ e^{-1000} ~ 5e-435 rounds to 0.
    assert_eq!(softplus(-1000.0), 0.0);
    let mut worst = relative(softplus(0.0), 2f64.ln());
    for x in grid() {
        let sp = softplus(x);
        assert!(
            sp.is_finite() && sp >= 0.0 && sp >= x,
            "softplus({x}) = {sp}"
        );
        // softplus(x) - softplus(-x) = x: ln(1 + e^x) - ln(1 + e^{-x}) = ln e^x.
        worst = worst.max((sp - softplus(-x) - x).abs() / x.abs().max(1.0));
        // In the left tail softplus(x) = e^x (1 - e^x / 2 + ...): relative error
        // of e^x below 1e-17 once x <= -40, so e^x is a reference there.
        if (-700.0..=-40.0).contains(&x) {
            worst = worst.max(relative(sp, x.exp()));
        }
        // In the right tail softplus(x) = x + e^{-x} (1 - ...), likewise.
        if (40.0..=700.0).contains(&x) {
            worst = worst.max(relative(sp, x + (-x).exp()));
        }
    }
    verify!(
        "check.softplus",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        grid().len()
    );
}

#[test]
fn log_sum_exp_is_stable_and_accurate_up_to_1000() {
    let ln2 = 2f64.ln();
    // The naive ln(e^1000 + e^1000) is infinite, ln(e^-1000 + e^-1000) = ln 0 = -inf.
    assert!((2.0 * 1000f64.exp()).ln().is_infinite());
    assert_eq!((2.0 * (-1000f64).exp()).ln(), f64::NEG_INFINITY);
    let cases: [(&[f64], f64); 6] = [
        (&[1000.0, 1000.0], 1000.0 + ln2),
        (&[-1000.0, -1000.0], -1000.0 + ln2),
        (&[1000.0, -1000.0], 1000.0),
        (&[-1000.0, -999.0], -999.0 + softplus(-1.0)),
        (&[-1000.0], -1000.0),
        (&[1000.0, 1000.0, 1000.0, 1000.0], 1000.0 + 2.0 * ln2),
    ];
    let mut worst = 0.0f64;
    for (x, expected) in cases {
        let found = log_sum_exp(x);
        worst = worst.max(relative(found, expected));
    }
    // Shift invariance: lse(x + c) = lse(x) + c, for c = +-1000.
    let x: Vec<f64> = (0..20).map(|i| (i as f64 * 0.37).sin() * 5.0).collect();
    let base = log_sum_exp(&x);
    for c in [-1000.0, 1000.0] {
        let shifted: Vec<f64> = x.iter().map(|&xi| xi + c).collect();
        worst = worst.max(relative(log_sum_exp(&shifted), base + c));
    }
    assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    verify!("check.lse", Method::FloatingPoint, EXACT_TOL, worst, 8);
}

//! The stable elementary functions of `verified_dl::numerics`, at ordinary
//! and at extreme inputs (plus and minus 1000, where a naive e^x overflows).
//! The RBM chapter relies on them with weights of size 100.

use ndarray::{array, Array1};
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, EXACT_TOL};
use verified_dl::numerics::{log_softmax, log_sum_exp, sigmoid, softmax, softplus};
use verified_dl::verify;

use super::reference::{self, ulps};

/// The accuracy the numerics promise: a few units in the last place. Four
/// allows the two or three roundings of each formula (an exp, a sum, a
/// division or a log), each within half an ulp, plus the error of exp and
/// ln_1p in the platform's libm.
const ULP_TOL: f64 = 4.0;

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

/// Fails if softplus differs from ln(1 + e^x) by more than `EXACT_TOL`
/// relatively for |x| ≤ 30 (where the naive form is accurate), or the identity
/// softplus(x) − softplus(−x) = x fails there: a missing max(x, 0) term or a
/// wrong sign in the exponent breaks it by order one.
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

/// Fails if lse(x + c) − c differs from lse(x) by more than `EXACT_TOL` for a
/// shift c from −1000 to 1000: an implementation that does not subtract the
/// maximum overflows to ∞ or underflows to −∞ at the large shifts.
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

/// Fails if σ(x) is more than `ULP_TOL` ulps from the double-double reference
/// anywhere on the grid from −1000 to 1000 or at the ends of the range, or is
/// not finite, in [0, 1] and nondecreasing: the naive e^x/(1+e^x) (NaN at 1000)
/// and the cancelling (1+tanh(x/2))/2 (wrong in the left tail) are both caught.
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
        // Against the double-double reference wherever the result is a
        // normal number (x > -708), in ulps, so the tail counts in full.
        if x > -708.0 {
            worst = worst.max(ulps(s, reference::sigmoid(x)));
        }
    }
    // the ends of the documented range
    let ends = [-707.5, -1e-300, 0.0, 1e-300, 36.0, 37.0, 709.0];
    for x in ends {
        worst = worst.max(ulps(sigmoid(x), reference::sigmoid(x)));
    }
    assert_eq!(sigmoid(f64::INFINITY), 1.0);
    assert_eq!(sigmoid(f64::NEG_INFINITY), 0.0);
    assert_eq!(sigmoid(f64::MAX), 1.0);
    assert_eq!(sigmoid(f64::MIN), 0.0);
    assert!(sigmoid(f64::NAN).is_nan());
    // below -708 the result is subnormal: its absolute error is below the
    // smallest subnormal, 2^-1074
    for x in [-708.5, -720.0, -740.0, -744.0] {
        assert!(
            (sigmoid(x) - x.exp()).abs() <= f64::from_bits(1),
            "sigma({x})"
        );
    }
    verify!(
        "check.sigmoid",
        Method::Reference,
        ULP_TOL,
        worst,
        grid().len() + ends.len()
    );
}

/// Fails if σ(−x) and 1 − σ(x) differ by more than `EXACT_TOL` at any grid
/// point: a sign slip in either branch of the stable formula breaks it by order
/// one.
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

/// Fails if softplus(x) − softplus(−x) differs from x, or softplus(x) from the
/// double-double reference by more than `ULP_TOL` ulps, anywhere up to ±1000;
/// ln(1 + e^x) written directly is infinite from 710 on.
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
    }
    // Identity and symmetry hold; now the values, against the reference, in
    // ulps, wherever the result is a normal number.
    let mut worst_ulps = 0.0f64;
    let mut cases = 0;
    for x in grid()
        .into_iter()
        .chain([-707.5, -40.5, -1e-300, 1e-300, 40.5, 709.0])
    {
        if x > -708.0 {
            worst_ulps = worst_ulps.max(ulps(softplus(x), reference::softplus(x)));
            cases += 1;
        }
    }
    assert!(
        worst <= EXACT_TOL,
        "softplus(x) - softplus(-x) = x fails by {worst:e}"
    );
    assert_eq!(softplus(f64::INFINITY), f64::INFINITY);
    assert_eq!(softplus(f64::NEG_INFINITY), 0.0);
    assert_eq!(softplus(f64::MAX), f64::MAX);
    assert!(softplus(f64::NAN).is_nan());
    verify!(
        "check.softplus",
        Method::Reference,
        ULP_TOL,
        worst_ulps,
        cases
    );
}

/// Fails if ln(e^1000 + e^1000) is not 1000 + ln 2 (and the like, down to
/// −1000) within `EXACT_TOL`: the naive form gives ∞ and −∞ there.
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

/// Random vectors, seeded: entries spread over a few units around offsets
/// from -1e300 to 1e300, where the digits of z_i - m are what is at stake.
fn random_logits() -> Vec<Vec<f64>> {
    use rand::RngExt;
    let mut rng = verified_dl::check::seeded(1701);
    let mut out = Vec::new();
    for offset in [0.0, -700.0, 700.0, 1e10, -1e10, 1e300, -1e300] {
        for n in 1..=6 {
            for _ in 0..20 {
                out.push(
                    (0..n)
                        .map(|_| offset + rng.random_range(-30.0..30.0))
                        .collect(),
                );
            }
        }
    }
    out
}

/// log_sum_exp against the double-double reference, in ulps of the larger
/// of |m| and ln n (its documented accuracy), and its special values.
/// Fails if lse of a seeded random vector around an offset from −1e300 to 1e300
/// is more than `ULP_TOL` ulps of max(|m|, ln n) from the double-double
/// reference, or if a NaN entry does not give NaN or an empty slice −∞.
#[test]
fn log_sum_exp_matches_the_reference_to_a_few_ulp() {
    let mut worst = 0.0f64;
    let cases = random_logits();
    for x in &cases {
        let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let scale = m.abs().max((x.len() as f64).ln());
        worst =
            worst.max((log_sum_exp(x) - reference::log_sum_exp(x)).abs() / reference::ulp(scale));
    }
    assert!(log_sum_exp(&[f64::NAN]).is_nan());
    assert!(log_sum_exp(&[1.0, f64::NAN, f64::INFINITY]).is_nan());
    assert_eq!(
        log_sum_exp(&[f64::NEG_INFINITY, f64::NEG_INFINITY]),
        f64::NEG_INFINITY
    );
    assert_eq!(log_sum_exp(&[f64::INFINITY, -1.0]), f64::INFINITY);
    assert_eq!(log_sum_exp(&[f64::MAX, f64::MAX]), f64::MAX);
    verify!("check.lse", Method::Reference, ULP_TOL, worst, cases.len());
}

/// The worst error of `found` against the reference log-softmax of `z`, in
/// ulps of max(|z_i - m|, ln n) (the documented accuracy).
fn log_softmax_error(found: &[f64], z: &[f64]) -> f64 {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let n = (z.len() as f64).ln();
    found
        .iter()
        .zip(reference::log_softmax(z))
        .zip(z)
        .map(|((&f, exact), &zi)| {
            let scale = (zi - m).abs().max(n);
            (f - exact.to_f64()).abs() / reference::ulp(scale)
        })
        .fold(0.0, f64::max)
}

/// log_softmax against the reference, entry by entry; the naive
/// z_i - (m + ln sum), which rounds z_i - m away at large |m|, is shown to fail.
#[test]
fn log_softmax_keeps_the_digits_of_z_minus_m() {
    let naive = |z: &[f64]| -> Vec<f64> {
        let lse = log_sum_exp(z);
        z.iter().map(|&zi| zi - lse).collect()
    };
    let cases = random_logits();
    let mut worst = 0.0f64;
    let mut naive_worst = 0.0f64;
    for z in &cases {
        let found = log_softmax(ndarray::ArrayView1::from(z.as_slice()));
        worst = worst.max(log_softmax_error(&found.to_vec(), z));
        naive_worst = naive_worst.max(log_softmax_error(&naive(z), z));
    }
    assert!(worst <= ULP_TOL, "log_softmax is {worst} ulps off");
    // the broken kernel: at offsets of 1e10 it is a million ulps off
    assert!(
        naive_worst > 1e6,
        "the naive form was expected to fail, it is {naive_worst} ulps off"
    );
    let ln2 = 2f64.ln();
    let at_max = log_softmax(array![1e308, 1e308].view());
    assert!(at_max.iter().all(|&v| ulps(v, -ln2) <= ULP_TOL), "{at_max}");
    assert_eq!(
        log_softmax(array![f64::INFINITY, 0.0].view()),
        array![0.0, f64::NEG_INFINITY]
    );
    assert!(log_softmax(array![f64::NAN, 0.0].view())
        .iter()
        .all(|v| v.is_nan()));
    assert!(log_softmax(array![f64::NEG_INFINITY].view())
        .iter()
        .all(|v| v.is_nan()));
}

/// softmax at the ends of its range: +inf logits share the mass, NaN and an
/// all -inf vector give NaN, never a finite wrong answer; its entries match
/// e^(reference log-softmax) to a few ulp times max(1, |z_i - m|), relative:
/// the rounding of z_i - m, half an ulp of it, is amplified by |z_i - m| in
/// the exponential, the condition number of e^x.
#[test]
fn softmax_at_the_ends_of_its_range() {
    assert_eq!(softmax(array![f64::INFINITY, 0.0].view()), array![1.0, 0.0]);
    assert_eq!(
        softmax(array![f64::INFINITY, 3.0, f64::INFINITY].view()),
        array![0.5, 0.0, 0.5]
    );
    assert!(softmax(array![f64::NAN, 0.0].view())
        .iter()
        .all(|v| v.is_nan()));
    assert!(softmax(array![f64::NEG_INFINITY, f64::NEG_INFINITY].view())
        .iter()
        .all(|v| v.is_nan()));
    assert_eq!(softmax(array![1e308, 1e308].view()), array![0.5, 0.5]);
    let mut worst = 0.0f64;
    for z in random_logits() {
        let p = softmax(ndarray::ArrayView1::from(z.as_slice()));
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for ((&pi, l), &zi) in p.iter().zip(reference::log_softmax(&z)).zip(&z) {
            if l.hi > -700.0 {
                let condition = (zi - m).abs().max(1.0);
                worst = worst.max(ulps(pi, reference::Dd::exp(l).to_f64()) / condition);
            }
        }
    }
    assert!(worst <= ULP_TOL, "softmax is {worst} ulps off");
}

/// The reference itself, against constants known to more digits than a
/// double holds: e = 2.71828182845904523536028747135..., ln 10 =
/// 2.30258509299404568401799145468..., e^-700 = 9.85967654375977e-305
/// (their digits split into double-double by hand). The reference need only
/// be far better than half an ulp of a double (1.1e-16 relative); it is held
/// to 1e-27, eleven orders of magnitude below that.
#[test]
fn the_reference_knows_its_constants() {
    use reference::Dd;
    let e = Dd::exp(Dd::from(1.0));
    assert_eq!(e.hi, std::f64::consts::E);
    assert!((e.lo - 1.445_646_891_729_250_2e-16).abs() < 1e-27, "{e:?}");
    let ln10 = Dd::ln(Dd::from(10.0));
    assert_eq!(ln10.hi, std::f64::consts::LN_10);
    assert!(
        (ln10.lo - (-2.170_756_223_382_249e-16)).abs() < 1e-27,
        "{ln10:?}"
    );
    assert!(
        ulps(
            Dd::exp(Dd::from(-700.0)).to_f64(),
            9.859_676_543_759_77e-305
        ) <= 1.0
    );
    // exp and ln are inverse to double-double precision while e^x and its low
    // part are normal numbers (near e^-708 the low part is subnormal and the
    // reference keeps only about 19 digits, still far below an ulp of the result)
    for x in [-600.0, -3.7, 0.1, 1.5, 42.0, 700.0] {
        let back = Dd::ln(Dd::exp(Dd::from(x)));
        let err = (back.sub(Dd::from(x))).to_f64().abs();
        assert!(
            err <= 1e-27 * x.abs().max(1.0),
            "ln(exp({x})) is off by {err:e}"
        );
    }
}

/// The ulp check can fail: sigmoid written as (1 + tanh(x/2)) / 2, a correct
/// identity, cancels in the left tail and is caught at once.
#[test]
fn a_sigmoid_that_cancels_is_caught() {
    let broken = |x: f64| 0.5 * (1.0 + (0.5 * x).tanh());
    let worst = [-30.0, -20.0, -10.0]
        .iter()
        .map(|&x| ulps(broken(x), reference::sigmoid(x)))
        .fold(0.0, f64::max);
    assert!(
        worst > 1e3 * ULP_TOL,
        "the broken sigmoid is only {worst} ulps off"
    );
}

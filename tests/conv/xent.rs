//! Problem 1, the cross-entropy against an exact reference: ln(1 + e^-a)
//! computed in double-double arithmetic (about 32 digits), for margins a
//! between the two logits up to 700, where e^-a is about 1e-304.

use ndarray::array;
use verified_dl::conv::softmax::{cross_entropy, one_hot};

/// A double-double number hi + lo, |lo| <= ulp(hi) / 2.
#[derive(Clone, Copy, Debug)]
struct Dd(f64, f64);

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd(s, (a - (s - bb)) + (b - bb))
}

fn quick_two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    Dd(s, b - (s - a))
}

fn add(x: Dd, y: Dd) -> Dd {
    let s = two_sum(x.0, y.0);
    let t = two_sum(x.1, y.1);
    let r = quick_two_sum(s.0, s.1 + t.0);
    quick_two_sum(r.0, r.1 + t.1)
}

fn mul(x: Dd, y: Dd) -> Dd {
    let p = x.0 * y.0;
    let e = x.0.mul_add(y.0, -p); // exact error of the product
    quick_two_sum(p, e + (x.0 * y.1 + x.1 * y.0))
}

fn div(x: Dd, y: Dd) -> Dd {
    let q1 = x.0 / y.0;
    let r = add(x, mul(y, Dd(-q1, 0.0)));
    let q2 = r.0 / y.0;
    let r = add(r, mul(y, Dd(-q2, 0.0)));
    let q3 = r.0 / y.0;
    add(quick_two_sum(q1, q2), Dd(q3, 0.0))
}

/// e^{-a} for 0 <= a <= 745: the Taylor series of e^{-a/1024} (|a/1024| < 0.73,
/// and the division by a power of two is exact), squared ten times; each
/// squaring doubles the relative error, which stays near 1e-29.
fn exp_neg(a: f64) -> Dd {
    let r = Dd(-a / 1024.0, 0.0);
    let (mut sum, mut term) = (Dd(1.0, 0.0), Dd(1.0, 0.0));
    for n in 1..60 {
        term = div(mul(term, r), Dd(n as f64, 0.0));
        sum = add(sum, term);
        if term.0.abs() < 1e-36 {
            break;
        }
    }
    for _ in 0..10 {
        sum = mul(sum, sum);
    }
    sum
}

/// ln(1 + x) for 0 <= x <= 1: 2 atanh(y) with y = x / (2 + x) <= 1/3, by its
/// series 2 sum_k y^{2k+1} / (2k+1), whose terms shrink by 9 at least.
fn ln_1p(x: Dd) -> Dd {
    let y = div(x, add(Dd(2.0, 0.0), x));
    let y2 = mul(y, y);
    let (mut sum, mut power) = (Dd(0.0, 0.0), y);
    for k in 0..80 {
        let term = div(power, Dd((2 * k + 1) as f64, 0.0));
        sum = add(sum, term);
        if term.0.abs() <= sum.0.abs() * 1e-34 {
            break;
        }
        power = mul(power, y2);
    }
    mul(sum, Dd(2.0, 0.0))
}

/// Relative error of an f64 against a double-double reference.
fn rel(value: f64, reference: Dd) -> f64 {
    let diff = add(Dd(value, 0.0), Dd(-reference.0, -reference.1));
    (diff.0 / reference.0).abs()
}

/// The largest relative error accepted, 4 f64::EPSILON = 8u with u = 2^-53
/// the unit round-off: e^-a and ln_1p each round once (the platform's exp
/// and ln_1p are within one ulp), so 8u allows both and the final sum, and
/// nothing less accurate.
const XENT_TOL: f64 = 4.0 * f64::EPSILON;

#[test]
fn cross_entropy_keeps_its_digits_against_a_double_double_reference() {
    let first = one_hot(0, 2).unwrap();
    let second = one_hot(1, 2).unwrap();
    let mut worst = 0.0f64;
    let mut cases = 0;
    // margins a = 0 to 700: every 1/8 (exact in binary), and a few others
    let margins = (0..=5600).map(|j| j as f64 / 8.0).chain([
        1e-300,
        1e-20,
        1e-8,
        0.1,
        0.3,
        2.0f64.sqrt(),
        36.7,
        699.99,
    ]);
    for a in margins {
        let tail = ln_1p(exp_neg(a)); // ln(1 + e^-a)
                                      // logits (a, 0), class 1: the confident, right answer, L = ln(1 + e^-a)
        let right = cross_entropy(array![a, 0.0].view(), first.view()).unwrap();
        // logits (0, -a), class 2: the wrong answer, L = a + ln(1 + e^-a)
        let wrong = cross_entropy(array![0.0, -a].view(), second.view()).unwrap();
        assert!(right >= 0.0 && wrong >= 0.0, "a = {a}: {right} {wrong}");
        let (e1, e2) = (rel(right, tail), rel(wrong, add(Dd(a, 0.0), tail)));
        assert!(e1 <= XENT_TOL && e2 <= XENT_TOL, "a = {a}: {e1:e} {e2:e}");
        worst = worst.max(e1).max(e2);
        cases += 2;
    }
    println!(
        "cross-entropy against double-double: worst relative error {worst:e} over {cases} cases"
    );
    verified_dl::record!("conv.xent.double-double.worst", worst);
    verified_dl::record!("conv.xent.double-double.cases", cases as f64);
}

#[test]
fn cross_entropy_of_the_probe_cases() {
    // logits (20, 0), class 1: ln(1 + e^-20) = 2.0611536203e-9
    let l = cross_entropy(array![20.0, 0.0].view(), one_hot(0, 2).unwrap().view()).unwrap();
    assert!(rel(l, ln_1p(exp_neg(20.0))) <= XENT_TOL, "{l:e}");
    assert!((l - 2.0611536203e-9).abs() < 1e-19, "{l:e}");
    // (35, 0): about 6.31e-16, positive
    let l = cross_entropy(array![35.0, 0.0].view(), one_hot(0, 2).unwrap().view()).unwrap();
    assert!(rel(l, ln_1p(exp_neg(35.0))) <= XENT_TOL && (l - 6.31e-16).abs() < 1e-18);
    // two equal logits of 1e17: ln 2, not the -0.0 of 1e17 - (1e17 + ln 2)
    let l = cross_entropy(array![1e17, 1e17].view(), one_hot(0, 2).unwrap().view()).unwrap();
    assert!(rel(l, ln_1p(Dd(1.0, 0.0))) <= XENT_TOL, "{l}");
    // and the double-double reference itself: ln 2 to the last bit of f64
    assert_eq!(ln_1p(Dd(1.0, 0.0)).0, std::f64::consts::LN_2);
}

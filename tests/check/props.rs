//! Property tests of every public function of the checking toolkit, the
//! stable numerics and the error helpers: arbitrary shapes and values (0, 1,
//! usize::MAX, NaN, +-inf, +-1e308, subnormals among them) give an error or
//! a sane answer, never a panic, and the answer matches an independent
//! computation where there is one: four properties of 2,500 cases each.
//! A test fails if a `pub fn` of these
//! modules is missing from `PUBLIC_API`.

use ndarray::{Array1, Array2, ArrayD, IxDyn};
use proptest::prelude::*;
use verified_dl::check::ledger::{Entry, Measured, Method};
use verified_dl::check::{compare, compare_arrays, gradient, jacobian, rel_err, seeded, uniform};
use verified_dl::error::{
    checked_pow2, checked_product, ensure_allocatable, ensure_finite, ensure_finite_scalar,
    ensure_shape, MAX_ELEMENTS,
};
use verified_dl::numerics::{log_softmax, log_sum_exp, sigmoid, softmax, softplus};
use verified_dl::Error;

/// Every public function and method of `code/check/`, `code/numerics.rs`
/// and `code/error.rs`.
const PUBLIC_API: &[&str] = &[
    "check::rel_err",
    "check::Report::within",
    "check::Report::max",
    "check::compare",
    "check::compare_arrays",
    "check::gradient",
    "check::jacobian",
    "check::seeded",
    "check::uniform",
    "check::ledger::Method::from_name",
    "check::ledger::Method::name",
    "check::ledger::Entry::to_line",
    "check::ledger::Entry::from_line",
    "check::ledger::test_name",
    "check::ledger::record",
    "check::ledger::Measured::to_line",
    "check::ledger::Measured::from_line",
    "check::ledger::record_measured",
    "check::study::f",
    "check::study::df",
    "check::study::d3f",
    "check::study::d2f",
    "check::study::central",
    "check::study::forward",
    "check::study::central_error_model",
    "check::study::optimal_central_step",
    "check::study::steps",
    "check::study::study",
    "numerics::sigmoid",
    "numerics::softplus",
    "numerics::log_sum_exp",
    "numerics::softmax",
    "numerics::log_softmax",
    "error::Error::argument",
    "error::ensure_finite",
    "error::ensure_finite_scalar",
    "error::checked_product",
    "error::ensure_allocatable",
    "error::checked_pow2",
    "error::ensure_shape",
];

#[test]
fn public_api_lists_every_public_function() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../code");
    let files = [
        "check/mod.rs",
        "check/ledger.rs",
        "check/study.rs",
        "numerics.rs",
        "error.rs",
        "prelude.rs",
    ];
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("pub fn ") else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            assert!(
                PUBLIC_API.iter().any(|p| p.ends_with(&format!("::{name}"))),
                "code/{file}: pub fn {name} is missing from PUBLIC_API"
            );
        }
    }
}

/// Values that break naive code: zeros, ones, the extremes, NaN, infinities,
/// subnormals, and ordinary numbers.
fn hostile() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(-0.0),
        Just(1.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1e308),
        Just(-1e308),
        Just(f64::MIN_POSITIVE / 4.0),
        Just(f64::MAX),
        -1e3..1e3f64,
        any::<f64>(),
    ]
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(0usize),
        Just(1),
        Just(usize::MAX),
        Just(1 << 40),
        0usize..6
    ]
}

/// The probe cases: each call, the variant it must return and the argument
/// it must name.
#[test]
fn bad_input_is_an_error_that_names_the_argument() {
    let x = Array1::from(vec![1.0, 2.0]);
    let f = |v: &Array1<f64>| v.sum();
    let g = |v: &Array1<f64>| v.clone();
    let mut rng = seeded(1);
    let cases: Vec<(&str, Error, &str)> = vec![
        (
            "gradient(eps = 0)",
            gradient(f, &x, 0.0).unwrap_err(),
            "finite-difference step eps",
        ),
        (
            "gradient(eps = NaN)",
            gradient(f, &x, f64::NAN).unwrap_err(),
            "finite-difference step eps",
        ),
        (
            "gradient(eps = -1)",
            gradient(f, &x, -1.0).unwrap_err(),
            "finite-difference step eps",
        ),
        (
            "jacobian(eps = inf)",
            jacobian(g, &x, f64::INFINITY).unwrap_err(),
            "finite-difference step eps",
        ),
        (
            "uniform(lo = NaN)",
            uniform(&mut rng, 3, f64::NAN, 1.0).unwrap_err(),
            "lower bound lo",
        ),
        (
            "uniform(hi = inf)",
            uniform(&mut rng, 3, 0.0, f64::INFINITY).unwrap_err(),
            "upper bound hi",
        ),
        (
            "uniform(-1e308, 1e308)",
            uniform(&mut rng, 3, -1e308, 1e308).unwrap_err(),
            "the width hi - lo",
        ),
        (
            "uniform(2^40 entries)",
            uniform(&mut rng, 1usize << 40, 0.0, 1.0).unwrap_err(),
            "the shape",
        ),
        (
            "checked_product",
            checked_product("dims", &[usize::MAX, 2]).unwrap_err(),
            "dims",
        ),
        ("checked_pow2", checked_pow2("n", 64).unwrap_err(), "n"),
        (
            "ensure_allocatable",
            ensure_allocatable("a", &[1 << 20, 1 << 20]).unwrap_err(),
            "a",
        ),
        (
            "ensure_finite_scalar",
            ensure_finite_scalar("beta", f64::NAN).unwrap_err(),
            "beta",
        ),
        (
            "ensure_shape",
            ensure_shape("w", &[2, 3], &[3, 2]).unwrap_err(),
            "w",
        ),
    ];
    for (call, err, argument) in &cases {
        assert_eq!(err.argument(), Some(*argument), "{call}: {err}");
    }
    assert!(matches!(cases[0].1, Error::OutOfRange { .. }));
    assert!(matches!(cases[4].1, Error::NonFinite { .. }));
    assert!(matches!(cases[7].1, Error::TooLarge { .. }));
    assert!(matches!(cases[8].1, Error::Overflow { .. }));
    assert!(matches!(cases[9].1, Error::Overflow { .. }));
    assert!(matches!(cases[10].1, Error::TooLarge { .. }));
    assert!(matches!(cases[12].1, Error::ShapeMismatch { .. }));
    // a scalar is reported without an index
    assert_eq!(cases[11].1.to_string(), "beta is not finite: NaN");
    // the Jacobian of a function whose output changes length is an error, not a panic
    let mut calls = 0;
    let changing = |v: &Array1<f64>| {
        calls += 1;
        Array1::zeros(if calls == 1 { 2 } else { 3 }) + v.sum()
    };
    assert!(matches!(
        jacobian(changing, &x, 1e-5).unwrap_err(),
        Error::ShapeMismatch { .. }
    ));
    // arrays of different shapes are never close
    let a = Array2::<f64>::zeros((2, 3));
    let b = Array2::<f64>::zeros((3, 2));
    let r = compare_arrays(&a, &b);
    assert!(r.worst.is_infinite() && !r.within(f64::MAX) && r.count == 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(2500)))]

    #[test]
    fn numerics_never_panic_and_stay_in_range(x in hostile(), z in proptest::collection::vec(hostile(), 0..6)) {
        let s = sigmoid(x);
        prop_assert!(s.is_nan() == x.is_nan() && (x.is_nan() || (0.0..=1.0).contains(&s)));
        let sp = softplus(x);
        prop_assert!(sp.is_nan() == x.is_nan() && (x.is_nan() || sp >= 0.0));
        let lse = log_sum_exp(&z);
        let any_nan = z.iter().any(|v| v.is_nan());
        prop_assert_eq!(lse.is_nan(), any_nan);
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !any_nan && m.is_finite() {
            // the largest term bounds it below, n times it above
            prop_assert!(lse >= m && lse <= m + (z.len() as f64).ln() + 1e-12 * m.abs().max(1.0));
        }
        let za = Array1::from(z.clone());
        let p = softmax(za.view());
        let lp = log_softmax(za.view());
        let all_neg_inf = z.iter().all(|&v| v == f64::NEG_INFINITY);
        if any_nan || all_neg_inf {
            prop_assert!(p.iter().all(|v| v.is_nan()) && lp.iter().all(|v| v.is_nan()));
        } else {
            prop_assert!(p.iter().all(|v| (0.0..=1.0).contains(v)));
            prop_assert!((p.sum() - 1.0).abs() <= 1e-12 * z.len() as f64);
            prop_assert!(lp.iter().all(|v| *v <= 0.0));
        }
    }

    #[test]
    fn error_helpers_agree_with_u128_arithmetic(dims in proptest::collection::vec(size(), 0..4), n in prop_oneof![0usize..70, Just(usize::MAX)]) {
        let exact: Option<u128> = dims.iter().try_fold(1u128, |acc, &d| acc.checked_mul(d as u128));
        match checked_product("dims", &dims) {
            Ok(p) => prop_assert_eq!(Some(p as u128), exact),
            Err(e) => {
                let overflow = matches!(e, Error::Overflow { .. });
                prop_assert!(overflow);
                prop_assert!(exact.is_none_or(|v| v > usize::MAX as u128));
            }
        }
        match ensure_allocatable("dims", &dims) {
            Ok(p) => prop_assert!(p <= MAX_ELEMENTS && Some(p as u128) == exact),
            Err(_) => prop_assert!(exact.is_none_or(|v| v > MAX_ELEMENTS as u128)),
        }
        match checked_pow2("n", n) {
            Ok(p) => prop_assert_eq!(p as u128, 1u128 << n),
            Err(_) => prop_assert!(n >= usize::BITS as usize),
        }
        let shape: Vec<usize> = dims.iter().map(|&d| d.min(3)).collect();
        let a = ArrayD::from_elem(IxDyn(&shape), 1.0);
        prop_assert!(ensure_finite("a", &a).is_ok());
        prop_assert!(ensure_shape("a", &shape, a.shape()).is_ok());
    }

    #[test]
    fn the_toolkit_never_panics(eps in hostile(), lo in hostile(), hi in hostile(), n in size(), a in hostile(), b in hostile()) {
        let x = Array1::from(vec![0.5, -1.0]);
        let quadratic = |v: &Array1<f64>| v.mapv(|t| t * t).sum();
        match gradient(quadratic, &x, eps) {
            Ok(g) => {
                prop_assert!(eps > 0.0 && eps.is_finite());
                // the central difference of a quadratic is exact up to round-off
                if eps < 1e3 && eps > 1e-6 {
                    prop_assert!(compare_arrays(&x.mapv(|t| 2.0 * t), &g).within(1e-6));
                }
            }
            Err(e) => {
                let out_of_range = matches!(e, Error::OutOfRange { .. });
                prop_assert!(out_of_range);
            }
        }
        let _ = jacobian(|v: &Array1<f64>| v.clone(), &x, eps);
        match uniform(&mut seeded(7), n, lo, hi) {
            Ok(u) => {
                prop_assert_eq!(u.len(), n);
                let in_range = u.iter().all(|&v| if lo < hi { v >= lo && v < hi } else { v == lo });
                prop_assert!(in_range);
            }
            Err(e) => prop_assert!(e.argument().is_some()),
        }
        let r = rel_err(a, b);
        prop_assert_eq!(r.is_nan(), a.is_nan() || b.is_nan());
        prop_assert!(r.is_nan() || r >= 0.0);
        prop_assert_eq!(r == 0.0, a == b);
        let e1 = compare(ArrayD::from_elem(IxDyn(&[2]), a).view(), ArrayD::from_elem(IxDyn(&[2]), b).view());
        prop_assert!(e1.count == 2);
    }

    #[test]
    fn ledger_lines_read_back(worst in hostile(), cases in any::<usize>(), value in hostile()) {
        let entry = Entry {
            label: "a.b".into(),
            test: "t".into(),
            method: Method::Property,
            tolerance: 1.0,
            worst,
            cases,
        };
        let back = Entry::from_line(&entry.to_line());
        if worst.is_nan() {
            prop_assert!(back.is_some_and(|b| b.worst.is_nan()));
        } else {
            prop_assert_eq!(back, Some(entry));
        }
        let m = Measured { name: "x.y".into(), value, test: "t".into() };
        let back = Measured::from_line(&m.to_line());
        prop_assert!(back.is_some_and(|b| b.value == value || (value.is_nan() && b.value.is_nan())));
        for method in Method::ALL {
            prop_assert_eq!(Method::from_name(method.name()), Some(method));
        }
        prop_assert!(Entry::from_line("not\ta\tline").is_none());
    }
}

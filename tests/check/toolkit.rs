//! Checks of the checking toolkit itself (chapter *How this book checks its claims*).
//!
//! The toolkit must pass right gradients and catch wrong ones: a test that
//! only ever saw right gradients could not tell a working checker from one
//! that always says yes.

use ndarray::{Array1, Array2};
use verified_dl::check::ledger::Method;
use verified_dl::check::study::{self, UNIT_ROUNDOFF};
use verified_dl::check::{
    compare_arrays, gradient, jacobian, rel_err, seeded, uniform, EXACT_TOL, FD_STEP, FD_TOL,
};
use verified_dl::verify;

/// The bound on the error of the truncation model eps^2 f'''/6 for eps <= 1e-2:
/// the next term of the Taylor series, eps^4 |f^(5)| / 120, is at most
/// eps^2 |f^(5)| / (20 |f'''|) ~ 4.6e-5 of it for e^x sin x at x = 1.
const TRUNCATION_MODEL_TOL: f64 = 1e-4;

// f(x) = sum_i sin(x_i) x_{i+1} (cyclic), whose gradient mixes neighbouring indices.
fn chain(x: &Array1<f64>) -> f64 {
    let n = x.len();
    (0..n).map(|i| x[i].sin() * x[(i + 1) % n]).sum()
}

fn chain_grad(x: &Array1<f64>, shift: usize) -> Array1<f64> {
    let n = x.len();
    Array1::from_shape_fn(n, |j| {
        let i = (j + shift) % n;
        // d/dx_i [sin(x_i) x_{i+1} + sin(x_{i-1}) x_i]
        x[i].cos() * x[(i + 1) % n] + x[(i + n - 1) % n].sin()
    })
}

#[test]
fn gradient_passes_a_right_gradient_and_catches_an_off_by_one() {
    let mut rng = seeded(1);
    let mut worst = 0.0f64;
    let mut worst_wrong = f64::INFINITY;
    for _ in 0..50 {
        let x = uniform(&mut rng, 7, -2.0, 2.0).unwrap();
        let fd = gradient(chain, &x, FD_STEP).unwrap();
        worst = worst.max(compare_arrays(&chain_grad(&x, 0), &fd).worst);
        worst_wrong = worst_wrong.min(compare_arrays(&chain_grad(&x, 1), &fd).worst);
    }
    assert!(worst < FD_TOL, "right gradient rejected: {worst:e}");
    assert!(
        worst_wrong > 1e-2,
        "off-by-one gradient accepted: {worst_wrong:e}"
    );
}

#[test]
fn gradient_catches_a_factor_of_two() {
    let mut rng = seeded(2);
    let x = uniform(&mut rng, 5, -1.0, 1.0).unwrap();
    let f = |x: &Array1<f64>| x.mapv(|v| v * v).sum() / 2.0; // gradient x
    let fd = gradient(f, &x, FD_STEP).unwrap();
    assert!(compare_arrays(&x, &fd).worst < FD_TOL);
    assert!(compare_arrays(&(&x * 2.0), &fd).worst > 0.1);
}

#[test]
fn gradient_and_jacobian_catch_a_transposed_matrix() {
    let mut rng = seeded(3);
    let a: Array2<f64> = uniform(&mut rng, (4, 4), -1.0, 1.0).unwrap();
    let x: Array2<f64> = uniform(&mut rng, (4, 4), -1.0, 1.0).unwrap();
    // f(X) = sum_ij A_ij X_ij^2 / 2 + tr(A X): gradient A o X + A^T.
    let f = |x: &Array2<f64>| (&a * &x.mapv(|v| v * v)).sum() / 2.0 + a.dot(x).diag().sum();
    let fd = gradient(f, &x, FD_STEP).unwrap();
    let right = &a * &x + a.t();
    let wrong = &a * &x + &a;
    assert!(compare_arrays(&right, &fd).worst < FD_TOL);
    assert!(compare_arrays(&wrong, &fd).worst > 1e-2);

    // The Jacobian of v -> A v is A; its transpose is caught.
    let v: Array1<f64> = uniform(&mut rng, 4, -1.0, 1.0).unwrap();
    let jac = jacobian(|v: &Array1<f64>| a.dot(v), &v, FD_STEP).unwrap();
    assert!(compare_arrays(&a, &jac).worst < FD_TOL);
    assert!(compare_arrays(&a.t().to_owned(), &jac).worst > 1e-2);
}

#[test]
fn jacobian_orders_rows_by_output_and_columns_by_input() {
    // f(x) = (x0, 2 x1, 3 x2, x0 x1): a non-square Jacobian with known entries.
    let x = Array1::from(vec![0.5, -1.5, 2.0]);
    let f = |x: &Array1<f64>| Array1::from(vec![x[0], 2.0 * x[1], 3.0 * x[2], x[0] * x[1]]);
    let jac = jacobian(f, &x, FD_STEP).unwrap();
    let expected = Array2::from_shape_vec(
        (4, 3),
        vec![1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 3.0, x[1], x[0], 0.0],
    )
    .unwrap();
    assert!(compare_arrays(&expected, &jac).worst < FD_TOL);
}

#[test]
fn compare_reports_the_worst_entry_and_its_index() {
    let e = Array2::from_shape_vec((2, 3), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    let mut a = e.clone();
    a[(1, 2)] = 6.5;
    a[(0, 1)] = 2.1;
    let r = compare_arrays(&e, &a);
    assert_eq!(r.index, vec![1, 2]);
    assert_eq!((r.expected, r.actual, r.count), (6.0, 6.5, 6));
    assert!((r.worst - 0.5 / 6.5).abs() < EXACT_TOL);
    // A NaN is the worst of all, whatever else differs.
    a[(0, 0)] = f64::NAN;
    assert!(compare_arrays(&e, &a).worst.is_nan());
    assert!(!compare_arrays(&e, &a).within(1.0));
}

#[test]
fn rel_err_is_relative_above_one_and_absolute_below() {
    assert_eq!(rel_err(1e6, 1e6 + 1.0), 1.0 / (1e6 + 1.0));
    // Two tiny numbers apart by round-off are 2e-17 apart, not 200%.
    assert!((rel_err(1e-17, 3e-17) - 2e-17).abs() < 1e-30);
    assert_eq!(rel_err(0.0, 0.0), 0.0);
    assert_eq!(rel_err(-2.0, 2.0), 2.0);
    assert_eq!(rel_err(f64::INFINITY, f64::INFINITY), 0.0);
    assert_eq!(rel_err(0.3, 0.1 + 0.2), rel_err(0.1 + 0.2, 0.3));
}

/// Fails if the measured truncation error (D_ε f − f′)/ε² of `study::central`
/// differs from f‴/6 by more than `TRUNCATION_MODEL_TOL` relatively at any of
/// the four steps: a one-sided quotient, a missing factor 2 in the denominator,
/// or a wrong derivative in `study` would each miss by a factor of order one.
#[test]
fn central_difference_truncation_error_is_eps_squared_f3_over_6() {
    // (check.central-diff): (D_eps f - f') / eps^2 -> f'''/6.
    let x = 1.0;
    let mut worst = 0.0f64;
    let epsilons = [1e-3, 2e-3, 5e-3, 1e-2];
    for &eps in &epsilons {
        let measured = (study::central(study::f, x, eps) - study::df(x)) / (eps * eps);
        worst = worst.max(rel_err(study::d3f(x) / 6.0, measured) / (study::d3f(x) / 6.0).abs());
    }
    // ANCHOR: verify_line
    verify!(
        "check.central-diff",
        Method::FloatingPoint,
        TRUNCATION_MODEL_TOL,
        worst,
        epsilons.len()
    );
    // ANCHOR_END: verify_line
}

/// Fails if at any step ε ≤ 1e-8 the error of the central difference exceeds
/// four times u|f|/ε: an evaluation of f that loses more than a couple of ulps,
/// or a quotient that divides by ε instead of 2ε, breaks it.
#[test]
fn central_difference_round_off_stays_below_u_f_over_eps() {
    // (check.roundoff): for small eps the error is round-off, at most about u |f| / eps.
    let x = 1.0;
    let rows: Vec<_> = study::study()
        .into_iter()
        .filter(|r| r.eps <= 1e-8)
        .collect();
    let ratio = rows
        .iter()
        .map(|r| r.central / (UNIT_ROUNDOFF * study::f(x).abs() / r.eps))
        .fold(0.0f64, f64::max);
    // Each of f(x+eps), f(x-eps) carries a rounding error of a few u |f|; the ratio
    // to the one-u model stays below 4 (measured ~1.7).
    verify!("check.roundoff", Method::Property, 4.0, ratio, rows.len());
}

/// Fails if the step with the smallest measured error is more than a factor
/// of 4 from ε* = (3u|f|/|f‴|)^(1/3), as it would be if
/// `optimal_central_step` had the wrong exponent or constant, or if the
/// quotient were first order (its minimum lies near √u, hundreds of times
/// smaller).
#[test]
fn the_best_step_is_near_the_cube_root_of_3u() {
    // (check.optimal-step): the measured minimum of the error lies within a
    // factor of 4 of eps* = (3 u |f| / |f'''|)^(1/3), and the error at FD_STEP
    // is far below FD_TOL.
    let x = 1.0;
    let eps_star = study::optimal_central_step(study::f(x).abs(), study::d3f(x).abs());
    let rows = study::study();
    let best = rows
        .iter()
        .min_by(|a, b| a.central.total_cmp(&b.central))
        .unwrap();
    let factor = (best.eps / eps_star).max(eps_star / best.eps);
    verify!(
        "check.optimal-step",
        Method::Property,
        4.0,
        factor,
        rows.len()
    );
    let at_step = (study::central(study::f, x, FD_STEP) - study::df(x)).abs();
    assert!(at_step < 1e-9, "error at FD_STEP: {at_step:e}");
    assert!(FD_TOL > 100.0 * at_step);
    // The forward difference, first order, bottoms out near eps ~ sqrt(u), far
    // above the central one: the chapter quotes both minima and their ratio.
    let forward_best = rows
        .iter()
        .min_by(|a, b| a.forward.total_cmp(&b.forward))
        .unwrap();
    let ratio = forward_best.forward / best.central;
    assert!(
        ratio > 100.0,
        "forward minimum only {ratio} times the central one"
    );
    assert!(
        (1e-9..1e-7).contains(&forward_best.eps),
        "forward minimum at eps = {:e}",
        forward_best.eps
    );
    verified_dl::record!("check.study.central-min-eps", best.eps);
    verified_dl::record!("check.study.central-min", best.central);
    verified_dl::record!("check.study.forward-min-eps", forward_best.eps);
    verified_dl::record!("check.study.forward-over-central", ratio);
}

#[test]
fn uniform_draws_in_its_range_and_an_empty_range_is_constant() {
    let mut rng = seeded(4);
    let a: Array2<f64> = uniform(&mut rng, (20, 30), -0.5, 2.0).unwrap();
    assert!(a.iter().all(|&v| (-0.5..2.0).contains(&v)));
    // The draws cover the range: some in each quarter of it.
    for q in 0..4 {
        let lo = -0.5 + 2.5 * q as f64 / 4.0;
        assert!(a.iter().any(|&v| v >= lo && v < lo + 0.625));
    }
    // The same seed gives the same numbers.
    assert_eq!(a, uniform(&mut seeded(4), (20, 30), -0.5, 2.0).unwrap());
    let c: Array1<f64> = uniform(&mut rng, 5, 0.25, 0.25).unwrap();
    assert!(c.iter().all(|&v| v == 0.25));
}

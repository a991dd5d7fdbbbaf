//! Problem 3: the gradient of the exact log-likelihood (data term minus model
//! term) against central finite differences of the exact log-likelihood.

use ndarray::{Array1, Array2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{compare_arrays, gradient, seeded, uniform, FD_STEP, FD_TOL};
use verified_dl::rbm::Rbm;

/// Fails if an entry of the exact gradient (data minus model moments) for W, a or b differs from
/// central differences of `log_likelihood` at `FD_STEP` by more than `FD_TOL`, on 27 machines of
/// both orientations (16 × 3 and 3 × 9 among them): the model term added or left out, or σ(Wᵀv)
/// without the hidden bias in the data term, would miss.
#[test]
fn gradient_matches_finite_differences_of_the_exact_log_likelihood() {
    let mut rng = seeded(11);
    // Both orientations of the enumeration (n_v < n_h, n_v > n_h, a tie) and a
    // bars-and-stripes-sized machine with 16 visible units.
    let mut shapes: Vec<(usize, usize)> = (0..24)
        .map(|m| crate::conditionals::layer_shape(&mut rng, m, 6))
        .collect();
    shapes.extend([(16, 3), (3, 9), (5, 5)]);
    crate::conditionals::layer_coverage("rbm.coverage.grad", &shapes);
    let (mut worst_w, mut worst_a, mut worst_b, mut cases) = (0.0f64, 0.0f64, 0.0f64, 0);
    for &(n_v, n_h) in &shapes {
        let w = uniform(&mut rng, (n_v, n_h), -1.0, 1.0).unwrap();
        let a = uniform(&mut rng, n_h, -1.0, 1.0).unwrap();
        let b = uniform(&mut rng, n_v, -1.0, 1.0).unwrap();
        let rows = rng.random_range(1..=6);
        let data =
            Array2::from_shape_simple_fn(
                (rows, n_v),
                || if rng.random::<bool>() { 1.0 } else { 0.0 },
            );
        let rbm = Rbm::new(w.clone(), a.clone(), b.clone()).unwrap();
        let g = rbm.gradient(data.view()).unwrap();
        let ll = |w: &Array2<f64>, a: &Array1<f64>, b: &Array1<f64>| {
            Rbm::new(w.clone(), a.clone(), b.clone())
                .unwrap()
                .log_likelihood(data.view())
                .unwrap()
        };
        let fd_w = gradient(|w| ll(w, &a, &b), &w, FD_STEP).unwrap();
        let fd_a = gradient(|a| ll(&w, a, &b), &a, FD_STEP).unwrap();
        let fd_b = gradient(|b| ll(&w, &a, b), &b, FD_STEP).unwrap();
        worst_w = worst_w.max(compare_arrays(&fd_w, &g.w().to_owned()).worst);
        worst_a = worst_a.max(compare_arrays(&fd_a, &g.hidden_bias().to_owned()).worst);
        worst_b = worst_b.max(compare_arrays(&fd_b, &g.visible_bias().to_owned()).worst);
        cases += 1;
    }
    verified_dl::verify!(
        "rbm.grad-w",
        Method::FiniteDifferences,
        FD_TOL,
        worst_w,
        cases
    );
    verified_dl::verify!(
        "rbm.grad-a",
        Method::FiniteDifferences,
        FD_TOL,
        worst_a,
        cases
    );
    verified_dl::verify!(
        "rbm.grad-b",
        Method::FiniteDifferences,
        FD_TOL,
        worst_b,
        cases
    );
}

#[test]
fn a_gradient_without_the_model_term_fails_the_check() {
    // The data term alone is not the gradient: the check above would catch it.
    let mut rng = seeded(12);
    let w = uniform(&mut rng, (4, 3), -1.0, 1.0).unwrap();
    let a = uniform(&mut rng, 3, -1.0, 1.0).unwrap();
    let b = uniform(&mut rng, 4, -1.0, 1.0).unwrap();
    let data =
        Array2::from_shape_vec((2, 4), vec![1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0]).unwrap();
    let rbm = Rbm::new(w.clone(), a.clone(), b.clone()).unwrap();
    let data_term = rbm.data_moments(data.view()).unwrap();
    let fd_w = gradient(
        |w| {
            Rbm::new(w.clone(), a.clone(), b.clone())
                .unwrap()
                .log_likelihood(data.view())
                .unwrap()
        },
        &w,
        FD_STEP,
    )
    .unwrap();
    let error = compare_arrays(&fd_w, &data_term.vh().to_owned()).worst;
    assert!(
        error > 0.01,
        "data term alone within {error:e} of the gradient"
    );
    verified_dl::record!("rbm.grad.data-term-only", error);
}

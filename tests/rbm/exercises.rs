//! The solutions of the chapter's exercises, each against an independent
//! computation (brute force over every state, finite differences, quadrature),
//! and each check shown to reject a plausible wrong answer.

use ndarray::{Array1, Array2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{
    compare_arrays, gradient, rel_err, seeded, uniform, EXACT_TOL, FD_STEP, FD_TOL,
};
use verified_dl::numerics::log_sum_exp;
use verified_dl::rbm::brute;
use verified_dl::rbm::exact::state;
use verified_dl::rbm::exercises::{
    free_energy_gradient, gaussian_energy, gaussian_log_p_v_given_h, gaussian_visible_mean,
    one_hidden_log_z,
};
use verified_dl::rbm::Rbm;

use crate::conditionals::random_rbm;

/// Tolerance of the Gaussian exercise's quadrature. The trapezoid rule on a
/// grid of step 0.1 integrates a Gaussian of unit variance with an error
/// below e^{-2 pi^2 / 0.1^2}, nothing in f64, and the grid reaches 12
/// standard deviations beyond the mean, where the density is e^{-72}; what
/// is left is the rounding of sums of up to 10^5 terms, and of the
/// variance E[(v - m)^2] formed from them, well within 10^-10.
const QUADRATURE_TOL: f64 = 1e-10;

/// ln Z summed over the 2^{n_h} hidden states by the test itself, from the
/// free energies F(h): the sum of the exercise, `terms` of them.
fn log_z_over_hidden(rbm: &Rbm, terms: usize) -> f64 {
    let minus_f: Vec<f64> = (0..terms)
        .map(|l| {
            -rbm.free_energy_hidden(state(l, rbm.n_h()).unwrap().view())
                .unwrap()
        })
        .collect();
    log_sum_exp(&minus_f)
}

/// Fails if ln Σ_h e^{−F(h)} over the 2^{n_h} hidden states (from `free_energy_hidden`) differs
/// from the log-sum-exp of all 2^{n_v + n_h} entries of the brute-force table by more than
/// `EXACT_TOL` relatively, on 40 machines of both orientations; or if the slip of summing only half
/// the hidden states ever comes within `EXACT_TOL`, or the table has the wrong number of terms.
#[test]
fn exercise_the_terms_of_z() {
    let mut rng = seeded(301);
    let (mut worst, mut cases, mut half_caught) = (0.0f64, 0, 0);
    for m in 0..40 {
        let (n_v, n_h) = crate::conditionals::layer_shape(&mut rng, m, 7);
        let rbm = random_rbm(&mut rng, n_v, n_h, [0.1, 1.0, 3.0][m % 3]);
        let table = brute::minus_energy_table(&rbm).unwrap();
        // the double sum has 2^{n_v + n_h} terms
        assert_eq!(table.len(), 1 << (n_v + n_h));
        let truth = log_sum_exp(&table.iter().copied().collect::<Vec<f64>>());
        // the sum over one layer has 2^{n_h} of them, and gives the same ln Z
        worst = worst.max(rel_err(log_z_over_hidden(&rbm, 1 << n_h), truth));
        // a plausible slip, summing half the states, misses it
        if rel_err(log_z_over_hidden(&rbm, 1 << (n_h - 1)), truth) > EXACT_TOL {
            half_caught += 1;
        }
        cases += 1;
    }
    assert_eq!(half_caught, cases, "every half sum must miss ln Z");
    verified_dl::record!("rbm.ex-terms.mutant-caught", half_caught as f64);
    verified_dl::verify!("rbm.ex-terms", Method::Exhaustive, EXACT_TOL, worst, cases);
}

/// Fails if ln p(h | v) of the transposed machine (Wᵀ, the two biases exchanged) differs from the
/// brute-force ln p(v | h) of the original by more than `EXACT_TOL` relatively for any v, on 60
/// machines; or if fewer than 10 of them are square, or on a square one the wrong transpose that
/// keeps each bias with its letter comes within `EXACT_TOL`.
#[test]
fn exercise_p_v_given_h_by_symmetry() {
    let mut rng = seeded(302);
    let (mut worst, mut cases, mut swapped_caught, mut square) = (0.0f64, 0, 0, 0);
    for m in 0..60 {
        let (n_v, n_h) = crate::conditionals::layer_shape(&mut rng, m, 6);
        let rbm = random_rbm(&mut rng, n_v, n_h, [0.5, 2.0, 8.0][m % 3]);
        // The transposed machine: its visible layer is the original hidden layer.
        let t = Rbm::new(
            rbm.w().t().to_owned(),
            rbm.visible_bias().to_owned(),
            rbm.hidden_bias().to_owned(),
        )
        .unwrap();
        // The wrong transpose keeps each bias with its letter (possible only when square).
        let wrong = (n_v == n_h).then(|| {
            Rbm::new(
                rbm.w().t().to_owned(),
                rbm.hidden_bias().to_owned(),
                rbm.visible_bias().to_owned(),
            )
            .unwrap()
        });
        let h_state = rng.random_range(0..1usize << n_h);
        let h = state(h_state, n_h).unwrap();
        let truth = brute::log_p_v_given_h(&rbm, h.view()).unwrap();
        let mut wrong_worst = 0.0f64;
        for (k, &log_p) in truth.iter().enumerate() {
            let v = state(k, n_v).unwrap();
            let by_symmetry = t.log_prob_h_given_v(v.view(), h.view()).unwrap();
            worst = worst.max(rel_err(by_symmetry, log_p));
            if let Some(wrong) = &wrong {
                wrong_worst = wrong_worst.max(rel_err(
                    wrong.log_prob_h_given_v(v.view(), h.view()).unwrap(),
                    log_p,
                ));
            }
            cases += 1;
        }
        if wrong.is_some() {
            square += 1;
            if wrong_worst > EXACT_TOL {
                swapped_caught += 1;
            }
        }
    }
    assert!(square >= 10, "{square} square machines");
    assert_eq!(
        swapped_caught, square,
        "the transpose that keeps the biases must fail"
    );
    verified_dl::record!("rbm.ex-v-given-h.mutant-caught", swapped_caught as f64);
    verified_dl::verify!(
        "rbm.ex-v-given-h",
        Method::Exhaustive,
        EXACT_TOL,
        worst,
        cases
    );
}

/// Fails if `one_hidden_log_z` differs from brute-force ln Z over all 2^{n_v + 1} pairs, or F(v) =
/// −bᵀv − ln(1 + e^{wᵀv + a}) written out differs from brute-force −ln Σ_h e^{−E(v, h)}, by more
/// than `EXACT_TOL` relatively, on 40 machines with n_v = 1 to 8; or if the slip Z = e^{Σb} + e^{a
/// + Σ(b + w)} (each 1 + lost) ever passes.
#[test]
fn exercise_one_hidden_unit_by_hand() {
    let mut rng = seeded(303);
    let (mut worst, mut cases, mut caught) = (0.0f64, 0, 0);
    for m in 0..40 {
        let n_v = 1 + m % 8;
        let rbm = random_rbm(&mut rng, n_v, 1, [0.5, 2.0, 20.0][m % 3]);
        let (w, a, b) = (rbm.w(), rbm.hidden_bias()[0], rbm.visible_bias());
        // ln Z in closed form against the sum over all 2^{n_v + 1} pairs
        let truth = brute::log_z(&rbm).unwrap();
        worst = worst.max(rel_err(one_hidden_log_z(&rbm).unwrap(), truth));
        // the slip "Z = e^{sum b} + e^{a + sum (b + w)}" (the 1 + of each factor lost)
        let slip = log_sum_exp(&[b.sum(), a + b.sum() + w.sum()]);
        if rel_err(slip, truth) > EXACT_TOL {
            caught += 1;
        }
        // F(v) = -b^T v - ln(1 + e^{w^T v + a}), written out, against -ln sum_h e^{-E(v, h)}
        for k in 0..1usize << n_v {
            let v = state(k, n_v).unwrap();
            let x = w.column(0).dot(&v) + a;
            let by_hand = -b.dot(&v) - log_sum_exp(&[0.0, x]);
            worst = worst.max(rel_err(
                by_hand,
                brute::free_energy(&rbm, v.view()).unwrap(),
            ));
        }
        cases += 1;
    }
    assert_eq!(caught, cases);
    verified_dl::record!("rbm.ex-one-hidden.mutant-caught", caught as f64);
    verified_dl::verify!(
        "rbm.ex-one-hidden",
        Method::Exhaustive,
        EXACT_TOL,
        worst,
        cases
    );
}

/// Fails if ∂F/∂W, ∂F/∂a or ∂F/∂b from `free_energy_gradient` differs from central differences of
/// `free_energy` at `FD_STEP` by more than `FD_TOL`, on 30 machines up to 6 × 6 with entries in
/// [−1, 1]; or if the sign slip ∂F/∂a = +σ(x) ever passes: a missing minus, or σ(x) without the
/// hidden bias, would miss.
#[test]
fn exercise_free_energy_gradient() {
    let mut rng = seeded(304);
    let (mut worst, mut cases, mut caught) = (0.0f64, 0, 0);
    for _ in 0..30 {
        let (n_v, n_h) = (rng.random_range(1..=6), rng.random_range(1..=6));
        let w = uniform(&mut rng, (n_v, n_h), -1.0, 1.0).unwrap();
        let a = uniform(&mut rng, n_h, -1.0, 1.0).unwrap();
        let b = uniform(&mut rng, n_v, -1.0, 1.0).unwrap();
        let v = Array1::from_shape_simple_fn(n_v, || if rng.random::<bool>() { 1.0 } else { 0.0 });
        let f = |w: &Array2<f64>, a: &Array1<f64>, b: &Array1<f64>| {
            Rbm::new(w.clone(), a.clone(), b.clone())
                .unwrap()
                .free_energy(v.view())
                .unwrap()
        };
        let g = free_energy_gradient(
            &Rbm::new(w.clone(), a.clone(), b.clone()).unwrap(),
            v.view(),
        )
        .unwrap();
        let fd_w = gradient(|w| f(w, &a, &b), &w, FD_STEP).unwrap();
        let fd_a = gradient(|a| f(&w, a, &b), &a, FD_STEP).unwrap();
        let fd_b = gradient(|b| f(&w, &a, b), &b, FD_STEP).unwrap();
        let errs = [
            compare_arrays(&fd_w, &g.w().to_owned()).worst,
            compare_arrays(&fd_a, &g.hidden_bias().to_owned()).worst,
            compare_arrays(&fd_b, &g.visible_bias().to_owned()).worst,
        ];
        worst = errs.iter().fold(worst, |m, &e| m.max(e));
        // the slip of the sign, d F / d a = +sigma(x), misses the differences
        if compare_arrays(&fd_a, &(-&g.hidden_bias().to_owned())).worst > FD_TOL {
            caught += 1;
        }
        cases += 1;
    }
    assert_eq!(caught, cases);
    verified_dl::record!("rbm.ex-free-energy-gradient.mutant-caught", caught as f64);
    verified_dl::verify!(
        "rbm.ex-free-energy-gradient",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        cases
    );
}

/// What the trapezoid rule on a grid finds for p(v | h) of a Gaussian-visible
/// machine: ln of the integral of e^{-E(v, h)}, the mean and the covariance,
/// and the normalized log density at each grid point (in the grid's order).
struct Quadrature {
    log_integral: f64,
    mean: Vec<f64>,
    covariance: Vec<Vec<f64>>,
    points: Vec<(Array1<f64>, f64)>,
}

fn quadrature(rbm: &Rbm, h: &Array1<f64>, step: f64, reach: f64) -> Quadrature {
    let n = rbm.n_v();
    let per_axis = (2.0 * reach / step).round() as usize + 1;
    let mut points = Vec::new();
    let mut index = vec![0usize; n];
    loop {
        let v = Array1::from_shape_fn(n, |i| -reach + index[i] as f64 * step);
        let minus_e = -gaussian_energy(rbm, v.view(), h.view()).unwrap();
        points.push((v, minus_e));
        let mut d = 0;
        while d < n {
            index[d] += 1;
            if index[d] < per_axis {
                break;
            }
            index[d] = 0;
            d += 1;
        }
        if d == n {
            break;
        }
    }
    let logs: Vec<f64> = points.iter().map(|(_, m)| *m).collect();
    let log_integral = log_sum_exp(&logs) + n as f64 * step.ln();
    let weight = |m: f64| (m - log_integral).exp() * step.powi(n as i32);
    let mean: Vec<f64> = (0..n)
        .map(|i| points.iter().map(|(v, m)| v[i] * weight(*m)).sum())
        .collect();
    let covariance = (0..n)
        .map(|i| {
            (0..n)
                .map(|k| {
                    points
                        .iter()
                        .map(|(v, m)| (v[i] - mean[i]) * (v[k] - mean[k]) * weight(*m))
                        .sum()
                })
                .collect()
        })
        .collect();
    let points = points
        .into_iter()
        .map(|(v, m)| (v, m - log_integral))
        .collect();
    Quadrature {
        log_integral,
        mean,
        covariance,
        points,
    }
}

/// Fails if the trapezoid quadrature (step 0.1) of e^{−E(v, h)} from `gaussian_energy` gives a mean
/// other than `gaussian_visible_mean` (b + W h), a covariance other than the identity, a ln
/// integral other than the closed form, or a log density other than `gaussian_log_p_v_given_h`, by
/// more than `QUADRATURE_TOL`; or if the slips mean b − W h or variance 2 ever pass.
#[test]
fn exercise_gaussian_visible_units() {
    let mut rng = seeded(305);
    let (mut worst, mut cases) = (0.0f64, 0);
    let (mut mean_caught, mut variance_caught, mut tried, mut states) = (0, 0, 0, 0);
    for m in 0..8 {
        let (n_v, n_h) = (1 + m % 2, 1 + m % 3);
        let rbm = random_rbm(&mut rng, n_v, n_h, 1.0);
        // every mean b + W h lies within sum |b| + sum |W| of 0; reach 12 further
        let reach = rbm.visible_bias().mapv(f64::abs).sum() + rbm.w().mapv(f64::abs).sum() + 12.0;
        for l in 0..1usize << n_h {
            let h = state(l, n_h).unwrap();
            let q = quadrature(&rbm, &h, 0.1, reach);
            let mu = gaussian_visible_mean(&rbm, h.view()).unwrap();
            // the wrong mean b - W h, a plausible slip of the sign
            let wrong_mu = &rbm.visible_bias() - &rbm.w().dot(&h);
            let mut wrong_mean = 0.0f64;
            for i in 0..n_v {
                worst = worst.max(rel_err(q.mean[i], mu[i]));
                wrong_mean = wrong_mean.max(rel_err(q.mean[i], wrong_mu[i]));
                for k in 0..n_v {
                    let identity = if i == k { 1.0 } else { 0.0 };
                    worst = worst.max((q.covariance[i][k] - identity).abs());
                }
            }
            // the closed form of the integral, (2 pi)^{n/2} e^{|b + W h|^2/2 - |b|^2/2 + a^T h}
            let b = rbm.visible_bias();
            let closed = 0.5 * n_v as f64 * (2.0 * std::f64::consts::PI).ln() + 0.5 * mu.dot(&mu)
                - 0.5 * b.dot(&b)
                + h.dot(&rbm.hidden_bias());
            worst = worst.max(rel_err(q.log_integral, closed));
            // the log density at every 97th grid point
            let mut wrong_variance = 0.0f64;
            for (v, log_p) in q.points.iter().step_by(97) {
                let got = gaussian_log_p_v_given_h(&rbm, v.view(), h.view()).unwrap();
                worst = worst.max(rel_err(got, *log_p));
                // variance 2 instead of 1
                let d = v - &mu;
                let wide = -0.25 * d.dot(&d) - 0.5 * n_v as f64 * (4.0 * std::f64::consts::PI).ln();
                wrong_variance = wrong_variance.max(rel_err(wide, *log_p));
                cases += 1;
            }
            // the sign slip changes the mean only where W h is not zero
            if rbm.w().dot(&h).iter().any(|&x| x != 0.0) {
                tried += 1;
                if wrong_mean > QUADRATURE_TOL {
                    mean_caught += 1;
                }
            }
            states += 1;
            if wrong_variance > QUADRATURE_TOL {
                variance_caught += 1;
            }
        }
    }
    assert!(tried >= 10, "{tried} states with W h != 0");
    assert_eq!(mean_caught, tried, "the mean b - W h must fail");
    assert_eq!(variance_caught, states, "the variance 2 must fail");
    verified_dl::record!(
        "rbm.ex-gaussian.mutant-caught",
        (mean_caught + variance_caught) as f64
    );
    verified_dl::verify!(
        "rbm.ex-gaussian",
        Method::Quadrature,
        QUADRATURE_TOL,
        worst,
        cases
    );
}

/// ln [p(11) p(00) / (p(10) p(01))] of hidden units 1 and 2 given v, from a
/// table of ln p(h | v) (up to a constant) over the hidden state numbers.
fn log_odds_ratio(log_p: &[f64], n_h: usize) -> f64 {
    let mut pair = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for (l, &lp) in log_p.iter().enumerate() {
        pair[l & 1][(l >> 1) & 1].push(lp);
    }
    assert_eq!(pair[0][0].len(), 1 << (n_h - 2));
    let m = |a: usize, b: usize| log_sum_exp(&pair[a][b]);
    m(1, 1) + m(0, 0) - m(1, 0) - m(0, 1)
}

/// Fails if the log odds ratio ln[p(11) p(00) / (p(10) p(01))] of hidden units 1 and 2 under the
/// brute-force p(h | v) differs from 0 by more than `EXACT_TOL` (an energy coupling hidden units
/// would make it nonzero), or if with u h_1 h_2 added to −E it is not u; or if any coupled ratio
/// looks like 0.
#[test]
fn exercise_a_hidden_hidden_coupling() {
    let mut rng = seeded(306);
    let (mut worst, mut cases, mut caught) = (0.0f64, 0, 0);
    for m in 0..40 {
        let (n_v, n_h) = (rng.random_range(1..=4), 2 + m % 3);
        let rbm = random_rbm(&mut rng, n_v, n_h, [0.5, 2.0][m % 2]);
        let u = rng.random_range(-3.0..3.0);
        let v = state(rng.random_range(0..1usize << n_v), n_v).unwrap();
        // The RBM: p(h | v) by brute force from its energy; the ratio is 0.
        let rbm_log_p = brute::log_p_h_given_v(&rbm, v.view()).unwrap();
        worst = worst.max(log_odds_ratio(&rbm_log_p, n_h).abs());
        // The same machine with u h_1 h_2 added to the exponent, by brute force.
        let coupled: Vec<f64> = (0..1usize << n_h)
            .map(|l| {
                let h = state(l, n_h).unwrap();
                -rbm.energy(v.view(), h.view()).unwrap() + u * h[0] * h[1]
            })
            .collect();
        let ratio = log_odds_ratio(&coupled, n_h);
        worst = worst.max(rel_err(ratio, u));
        // The wrong belief that the coupled units stay independent given v.
        if rel_err(ratio, 0.0) > EXACT_TOL {
            caught += 1;
        }
        cases += 1;
    }
    assert_eq!(caught, cases);
    verified_dl::record!("rbm.ex-coupling.mutant-caught", caught as f64);
    verified_dl::verify!(
        "rbm.ex-coupling",
        Method::Exhaustive,
        EXACT_TOL,
        worst,
        cases
    );
}

//! Problem 3: block Gibbs sampling reaches the exact joint p(v, h).

use ndarray::Array1;
use verified_dl::check::ledger::Method;
use verified_dl::check::{seeded, uniform};
use verified_dl::rbm::brute;
use verified_dl::rbm::Rbm;

/// Sweeps of the chain that are counted (after [`BURN_IN`]).
const SWEEPS: usize = 400_000;
/// Sweeps discarded at the start, so the chain forgets its fixed first state.
const BURN_IN: usize = 1_000;
/// Tolerance of the total-variation distance between the chain's histogram
/// over the K = 2^(n_v + n_h) = 32 joint states and the exact p(v, h).
///
/// For N independent draws, E[TV] = 1/2 sum_s E|p^_s - p_s| <= 1/2 sum_s
/// sqrt(p_s (1 - p_s) / N) <= 1/2 sqrt(K / N) = 0.0045 at N = 400 000 (the last
/// step by Cauchy-Schwarz). Successive sweeps are correlated, which shrinks
/// the effective N; 0.015 allows an integrated autocorrelation time of 10.
const TV_TOL: f64 = 0.015;

/// The histogram of the pairs (v, h) visited by a chain, as frequencies indexed
/// like `brute::log_joint_table` (visible state k, hidden state l).
fn chain_histogram(rbm: &Rbm, seed: u64) -> Vec<Vec<f64>> {
    let (n_v, n_h) = (rbm.n_v(), rbm.n_h());
    let mut counts = vec![vec![0.0; 1 << n_h]; 1 << n_v];
    let mut rng = seeded(seed);
    let mut v = Array1::zeros(n_v);
    for sweep in 0..BURN_IN + SWEEPS {
        // h ~ p(h | v), then v ~ p(v | h): (v, h) after the step is a draw of p(v, h).
        let h = rbm.sample_h_given_v(v.view(), &mut rng).unwrap();
        v = rbm.sample_v_given_h(h.view(), &mut rng).unwrap();
        if sweep >= BURN_IN {
            let k: usize = v.iter().enumerate().map(|(i, &x)| (x as usize) << i).sum();
            let l: usize = h.iter().enumerate().map(|(j, &x)| (x as usize) << j).sum();
            counts[k][l] += 1.0 / SWEEPS as f64;
        }
    }
    counts
}

fn total_variation(rbm: &Rbm, histogram: &[Vec<f64>]) -> f64 {
    let table = brute::log_joint_table(rbm).unwrap();
    let mut tv = 0.0;
    for (k, row) in histogram.iter().enumerate() {
        for (l, &f) in row.iter().enumerate() {
            tv += 0.5 * (f - table[(k, l)].exp()).abs();
        }
    }
    tv
}

fn small_rbm() -> Rbm {
    let mut rng = seeded(21);
    Rbm::new(
        uniform(&mut rng, (3, 2), -2.0, 2.0),
        uniform(&mut rng, 2, -1.0, 1.0),
        uniform(&mut rng, 3, -1.0, 1.0),
    )
    .unwrap()
}

#[test]
fn gibbs_chain_reaches_the_exact_joint() {
    let rbm = small_rbm();
    let tv = total_variation(&rbm, &chain_histogram(&rbm, 22));
    println!("total variation after {SWEEPS} sweeps: {tv:.5}");
    verified_dl::verify!("rbm.gibbs", Method::Sampling, TV_TOL, tv, SWEEPS);
}

#[test]
fn gibbs_chain_with_the_sources_stray_constant_misses_the_joint() {
    // The same chain with the hidden bias a replaced by 1, as in the source's
    // sigma((W^T v + 1)_j): it converges, but to another distribution.
    let rbm = small_rbm();
    let stray = Rbm::new(
        rbm.w().to_owned(),
        Array1::ones(rbm.n_h()),
        rbm.b().to_owned(),
    )
    .unwrap();
    let tv = total_variation(&rbm, &chain_histogram(&stray, 22));
    println!("total variation of the stray-constant chain: {tv:.5}");
    // It fails the very check the correct chain passes.
    assert!(tv > TV_TOL, "stray chain within {tv} of the joint");
    verified_dl::verify!(
        "erratum.rbm-stray-constant",
        Method::Property,
        0.0,
        0.0,
        SWEEPS
    );
}

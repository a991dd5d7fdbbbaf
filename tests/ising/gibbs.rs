//! Checks of the posterior p(x | y) = exp(-E(x, y)) / Z: the conditional of
//! one pixel, and the marginals estimated by Gibbs sampling, against
//! enumeration of every configuration.

use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, seeded, EXACT_TOL};
use verified_dl::ising::gibbs::{average, conditional_plus, gibbs_sweep, marginals, mpm, Table};
use verified_dl::ising::grid::{configuration, random_spins};
use verified_dl::ising::model::{energy, Params};
use verified_dl::numerics::log_sum_exp;
use verified_dl::Error;

/// Tolerance of a Gibbs marginal estimated from [`SWEEPS`] sweeps of a 3 x 3
/// grid. The standard error of a mean of N correlated draws with variance at
/// most 1/4 and integrated autocorrelation time tau is sqrt(tau / (4 N));
/// with N = 1 000 000 it is 0.0005 sqrt(tau). The test measures the standard
/// error by batch means and asserts that this tolerance is at least four of
/// them, so a correct sampler fails it with probability below 1e-4 per
/// pixel, while a wrong conditional moves them much further: doubling beta
/// (pairs counted twice) moves the largest marginal of the three parameter
/// sets of the test by 0.06, 0.43 and 0.49.
const GIBBS_TOL: f64 = 0.01;
/// Sweeps averaged by the Gibbs test.
const SWEEPS: usize = 1_000_000;

/// p(x_m = +1 | y) for every pixel, by summing exp(-E) over all configurations.
fn exact_marginals(y: &Array2<i8>, p: &Params) -> Array2<f64> {
    let (rows, cols) = y.dim();
    let configs: Vec<(Array2<i8>, f64)> = (0..(1usize << (rows * cols)))
        .map(|n| {
            let x = configuration(rows, cols, n).unwrap();
            let e = energy(x.view(), y.view(), p).unwrap();
            (x, -e)
        })
        .collect();
    let log_z = log_sum_exp(&configs.iter().map(|(_, l)| *l).collect::<Vec<_>>());
    let mut m = Array2::<f64>::zeros((rows, cols));
    for (x, l) in &configs {
        let w = (l - log_z).exp();
        for ((r, c), &v) in x.indexed_iter() {
            if v == 1 {
                m[(r, c)] += w;
            }
        }
    }
    m
}

/// A conditional kernel: p(x_m = +1 | the other pixels, y) at m = `(r, c)`.
pub(super) type Conditional = fn(ArrayView2<i8>, ArrayView2<i8>, &Params, (usize, usize)) -> f64;

/// The crate's (ising.conditional), computed from the local difference.
pub(super) fn crate_conditional(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    conditional_plus(x, y, p, m).unwrap()
}

/// The crate's (ising.conditional), read from the sampler's table.
fn crate_table(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) -> f64 {
    Table::new(p).at(x, y, m).unwrap()
}

/// The check of (ising.conditional): `k` against
/// exp(-E+) / (exp(-E+) + exp(-E-)) from the two full energies, at every
/// pixel of 300 random grids up to 5 x 5 with random real parameters.
/// Returns the worst relative error and the pixels checked.
pub(super) fn check_conditional(k: Conditional) -> (f64, usize) {
    let mut rng = seeded(4201);
    let (mut worst, mut cases) = (0.0f64, 0);
    for trial in 0..300 {
        let (rows, cols) = (1 + trial % 5, 1 + (trial / 5) % 5);
        let (x, y) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
        );
        let p = Params::new(
            rng.random_range(-2.0..2.0),
            rng.random_range(-2.0..2.0),
            rng.random_range(-2.0..2.0),
        )
        .unwrap();
        for r in 0..rows {
            for c in 0..cols {
                let mut plus = x.clone();
                plus[(r, c)] = 1;
                let mut minus = x.clone();
                minus[(r, c)] = -1;
                let (ep, em) = (
                    energy(plus.view(), y.view(), &p).unwrap(),
                    energy(minus.view(), y.view(), &p).unwrap(),
                );
                // p(+1 | rest) = exp(-E+) / (exp(-E+) + exp(-E-)), from the two full energies
                let truth = 1.0 / (1.0 + (ep - em).exp());
                worst = worst.max(rel_err(truth, k(x.view(), y.view(), &p, (r, c))));
                cases += 1;
            }
        }
    }
    (worst, cases)
}

/// Fails if `conditional_plus` or the sampler's `Table` is more than `EXACT_TOL` relatively from
/// exp(−E₊) / (exp(−E₊) + exp(−E₋)), from the two full energies, at any pixel of 300 random grids
/// up to 5 × 5 with real parameters: σ(+Δ) for σ(−Δ), or Δ halved (the mutants), is far outside.
#[test]
fn conditional_is_the_sigmoid_of_minus_the_local_difference() {
    let (worst, cases) = check_conditional(crate_conditional);
    let (worst_table, cases_table) = check_conditional(crate_table);
    assert_eq!(cases, cases_table);
    verified_dl::verify!(
        "ising.conditional",
        Method::FloatingPoint,
        EXACT_TOL,
        worst.max(worst_table),
        cases
    );
}

/// Fails if a Gibbs marginal over 1 000 000 sweeps of a random 3 × 3 image is more than
/// `GIBBS_TOL` = 0.01 from the exact one by enumeration, or its batch-means standard error exceeds
/// `GIBBS_TOL`/4, for three parameter sets: σ(+Δ) for σ(−Δ) moves a marginal by over 0.44 for any
/// y, pairs counted twice (β doubled) by over 0.017 in the first set.
#[test]
fn gibbs_marginals_match_enumeration() {
    let mut rng = seeded(4202);
    let (mut worst, mut worst_se, mut cases) = (0.0f64, 0.0f64, 0);
    for &(alpha, beta, eta) in &[(0.25, 0.5, 0.75), (0.0, 1.0, 0.5), (-0.5, -0.75, 1.0)] {
        let p = Params::new(alpha, beta, eta).unwrap();
        let y = random_spins(&mut rng, 3, 3).unwrap();
        let exact = exact_marginals(&y, &p);
        // one chain cut into 20 batches of SWEEPS / 20 sweeps: the spread of the batch means gives the standard error
        let table = Table::new(&p);
        let mut sampler = seeded(4203);
        let mut x = y.clone();
        for _ in 0..100 {
            gibbs_sweep(&mut x, y.view(), &table, &mut sampler).unwrap(); // burn-in
        }
        let batches = 20;
        let means: Vec<Array2<f64>> = (0..batches)
            .map(|_| average(&mut x, y.view(), &table, SWEEPS / batches, &mut sampler).unwrap())
            .collect();
        let mean = means
            .iter()
            .fold(Array2::<f64>::zeros((3, 3)), |a, m| a + m)
            / batches as f64;
        for ((r, c), &e) in exact.indexed_iter() {
            let var = means
                .iter()
                .map(|m| (m[(r, c)] - mean[(r, c)]).powi(2))
                .sum::<f64>()
                / (batches - 1) as f64;
            let se = (var / batches as f64).sqrt();
            assert!(
                GIBBS_TOL >= 4.0 * se,
                "pixel ({r}, {c}): standard error {se}"
            );
            worst = worst.max((mean[(r, c)] - e).abs());
            worst_se = worst_se.max(se);
            cases += 1;
        }
    }
    println!("worst error {worst:.2e}, largest standard error {worst_se:.2e}");
    verified_dl::verify!("ising.marginals", Method::Sampling, GIBBS_TOL, worst, cases);
    verified_dl::record!("ising.marginals.largest-standard-error", worst_se);
    verified_dl::record!("ising.marginals.sweeps", SWEEPS as f64);
}

#[test]
fn gibbs_rejects_bad_input() {
    let y = Array2::<i8>::ones((2, 2));
    let p = Params::bishop();
    assert!(matches!(
        marginals(y.view(), y.view(), &p, 0, 0, &mut seeded(1)),
        Err(Error::BadSize { value: 0, .. })
    ));
    let x = Array2::<i8>::ones((2, 3));
    assert!(matches!(
        marginals(x.view(), y.view(), &p, 0, 1, &mut seeded(1)),
        Err(Error::ShapeMismatch { .. })
    ));
    // the lower-level kernels check their inputs too
    let table = Table::new(&p);
    let mut bad = y.clone();
    bad[(0, 1)] = 5; // a neighbour sum outside -4..=4 would index past the table
    assert!(matches!(
        table.at(bad.view(), y.view(), (0, 0)),
        Err(Error::BadValue { value, .. }) if value == 5.0
    ));
    assert!(matches!(
        table.at(y.view(), y.view(), (2, 0)),
        Err(Error::BadSize { value: 2, .. })
    ));
    assert!(matches!(
        gibbs_sweep(&mut bad, y.view(), &table, &mut seeded(1)),
        Err(Error::BadValue { .. })
    ));
    let mut wide = x.clone();
    assert!(matches!(
        average(&mut wide, y.view(), &table, 1, &mut seeded(1)),
        Err(Error::ShapeMismatch { .. })
    ));
    assert!(matches!(
        conditional_plus(y.view(), y.view(), &p, (0, 9)),
        Err(Error::BadSize { value: 9, .. })
    ));
    let m = Array2::<f64>::zeros((2, 3));
    assert!(matches!(
        mpm(m.view(), y.view()),
        Err(Error::ShapeMismatch { .. })
    ));
}

/// When eta > |alpha| + 4 |beta|, every conditional p(x_m = +1 | rest) lies on
/// y_m's side of 1/2 whatever the neighbours (-Delta_m has the sign of y_m,
/// |2 alpha - 2 beta S| <= 2 |alpha| + 8 |beta| < 2 eta), so their average, the
/// marginal the sampler returns, does too, and the MPM estimate is y after
/// any chain from any start. Random grids, parameters and starts, up to 6 x 6.
#[test]
fn mpm_is_y_when_eta_exceeds_alpha_plus_four_beta() {
    let mut rng = seeded(4204);
    let mut cases = 0;
    for trial in 0..200 {
        let (rows, cols) = (1 + trial % 6, 1 + (trial / 6) % 6);
        let (x0, y) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
        );
        let (alpha, beta) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        let eta = f64::abs(alpha) + 4.0 * f64::abs(beta) + rng.random_range(0.01..1.0);
        let p = Params::new(alpha, beta, eta).unwrap();
        let m = marginals(x0.view(), y.view(), &p, 2, 5, &mut rng).unwrap();
        assert_eq!(mpm(m.view(), y.view()).unwrap(), y, "{p:?}");
        cases += 1;
    }
    verified_dl::record!("ising.mpm-is-y.cases", cases as f64);
}

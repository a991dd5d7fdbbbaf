//! Checks of the continuous case: Gauss-Hermite rules and a linear-Gaussian DAG.

use verified_dl::bayesnet::gaussian::LinearGaussian;
use verified_dl::bayesnet::quadrature::gauss_hermite;
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, EXACT_TOL};
use verified_dl::Error;

/// Tolerance of the Gaussian total and of the proof's step under quadrature:
/// met by the 60-point rule with room (the totals recorded by
/// `linear_gaussian_integrates_to_one` are below 1e-12), while a density off
/// by a constant factor (a missing 1/sqrt(2 pi), a sigma for a sigma^2) is
/// off by order one, as `tests/bayesnet/mutants.rs` shows.
const QUAD_TOL: f64 = 1e-10;
/// Nodes per axis of the tensor-product rule. The error falls geometrically
/// with the number of nodes, more slowly the more correlated the variables:
/// 40 nodes bring the three-node example to 5e-14 but the correlated pair
/// only to 1e-8; 60 bring both below 1e-12.
const NODES: usize = 60;

/// The chapter's linear-Gaussian example (code indices; parents come after):
/// x_2 ~ N(0.5, 1.2^2), x_1 | x_2 ~ N(0.8 x_2 - 0.3, 0.7^2),
/// x_0 | x_1, x_2 ~ N(-0.6 x_1 + 0.4 x_2 + 1, 0.9^2).
fn three_nodes() -> LinearGaussian {
    LinearGaussian::new(
        vec![vec![1, 2], vec![2], vec![]],
        vec![vec![-0.6, 0.4], vec![0.8], vec![]],
        vec![1.0, -0.3, 0.5],
        vec![0.9, 0.7, 1.2],
    )
    .unwrap()
}

/// x_1 ~ N(-1, 0.5^2), x_0 | x_1 ~ N(1.5 x_1 + 2, 0.4^2): a strongly correlated pair.
fn two_nodes() -> LinearGaussian {
    LinearGaussian::new(
        vec![vec![1], vec![]],
        vec![vec![1.5], vec![]],
        vec![2.0, -1.0],
        vec![0.4, 0.5],
    )
    .unwrap()
}

/// `int t^m e^{-t^2} dt`: 0 for odd m, Gamma((m+1)/2) for even m, by
/// M_0 = sqrt(pi), M_{m+2} = (m+1)/2 M_m.
fn hermite_moment(m: usize) -> f64 {
    if m % 2 == 1 {
        return 0.0;
    }
    (0..m / 2).fold(std::f64::consts::PI.sqrt(), |acc, i| {
        acc * (2 * i + 1) as f64 / 2.0
    })
}

/// Fails if the n-point rule (n = 1 to 30) misses a moment ∫ tᵐ e^{−t²} dt of
/// degree m < 2n by more than `EXACT_TOL` of max(1, Σ wᵢ|tᵢ|ᵐ), or its degree-2n
/// moment is not short by n! √π / 2ⁿ within `EXACT_TOL`: weights or nodes off by
/// 1e-9, two weights swapped, or a node dropped (mutants.rs) are all caught.
#[test]
fn gauss_hermite_is_exact_to_degree_2n_minus_1() {
    let mut worst = 0.0f64;
    let mut cases = 0usize;
    let mut beyond = 0usize;
    let mut odd = 0usize;
    for n in 1..=30 {
        let (t, w) = gauss_hermite(n).unwrap();
        assert_eq!(t.len(), n);
        assert!(
            t.windows(2).all(|p| p[0] > p[1]),
            "n = {n}: nodes must decrease"
        );
        assert!(w.iter().all(|&wi| wi > 0.0));
        let quad = |m: usize| -> f64 {
            t.iter()
                .zip(&w)
                .map(|(&ti, &wi)| wi * ti.powi(m as i32))
                .sum()
        };
        for m in 0..2 * n {
            // Odd moments are 0 by cancellation of terms as large as
            // sum_i w_i |t_i|^m, so the error is measured against that size.
            let size: f64 = t
                .iter()
                .zip(&w)
                .map(|(&ti, &wi)| wi * ti.abs().powi(m as i32))
                .sum();
            worst = worst.max((quad(m) - hermite_moment(m)).abs() / size.max(1.0));
            cases += 1;
            odd += m % 2;
        }
        // Degree 2n is the first the rule gets wrong, by exactly n! sqrt(pi) / 2^n:
        // this catches a rule with one node too few or too many.
        let factorial: f64 = (1..=n).map(|i| i as f64).product();
        let error = factorial * std::f64::consts::PI.sqrt() / 2f64.powi(n as i32);
        assert!(
            (quad(2 * n) - hermite_moment(2 * n)).abs() > 0.5 * error,
            "n = {n}"
        );
        worst = worst.max(rel_err(quad(2 * n), hermite_moment(2 * n) - error));
        assert!(worst <= EXACT_TOL, "n = {n}: {worst:e}");
        cases += 1;
        beyond += 1;
    }
    assert_eq!(cases, beyond + (1..=30).map(|n| 2 * n).sum::<usize>());
    verified_dl::record!(
        "bayesnet.gauss-hermite.exact-moments",
        (cases - beyond) as f64
    );
    verified_dl::record!("bayesnet.gauss-hermite.degree-2n", beyond as f64);
    // Odd moments (0 by cancellation) and even ones (Gamma((m+1)/2)).
    let exact = cases - beyond;
    crate::strata::assert_quarter("gauss-hermite", "odd", odd, exact);
    crate::strata::assert_quarter("gauss-hermite", "even", exact - odd, exact);
    println!("worst {worst:e} over {cases} moments");
    verified_dl::verify!(
        "bayes.gauss-hermite",
        Method::Quadrature,
        EXACT_TOL,
        worst,
        cases
    );
}

/// Fails if the 60-point tensor Gauss-Hermite total of the three-node example or
/// the correlated pair is more than `QUAD_TOL` from 1 (or 40 points are not enough
/// for the three nodes but are for the pair): a wrong constant in a factor (σ² for
/// σ, no 1/√(2π)) or a missing factor moves it by order one, as mutants.rs shows.
#[test]
fn linear_gaussian_integrates_to_one() {
    let mut worst = 0.0f64;
    let mut deviations = Vec::new();
    for model in [three_nodes(), two_nodes()] {
        let total = model.total_by_gauss_hermite(NODES).unwrap();
        println!("{} nodes: total - 1 = {:e}", model.len(), total - 1.0);
        worst = worst.max((total - 1.0).abs());
        deviations.push(total - 1.0);
    }
    // The check can fail: a rule too coarse for the correlated pair misses by far more.
    let coarse = (two_nodes().total_by_gauss_hermite(6).unwrap() - 1.0).abs();
    assert!(coarse > 1e-3);
    // Why 60 nodes: 40 are enough for the three nodes, not for the pair.
    let three_40 = (three_nodes().total_by_gauss_hermite(40).unwrap() - 1.0).abs();
    let pair_40 = (two_nodes().total_by_gauss_hermite(40).unwrap() - 1.0).abs();
    assert!(three_40 <= QUAD_TOL && pair_40 > QUAD_TOL);
    verified_dl::verify!(
        "bayes.gaussian-total",
        Method::Quadrature,
        QUAD_TOL,
        worst,
        deviations.len()
    );
    verified_dl::record!("bayesnet.gaussian.three-minus-one", deviations[0]);
    verified_dl::record!("bayesnet.gaussian.pair-minus-one", deviations[1]);
    verified_dl::record!("bayesnet.gaussian.three-40", three_40);
    verified_dl::record!("bayesnet.gaussian.pair-40", pair_40);
    verified_dl::record!("bayesnet.gaussian.pair-6", coarse);
}

/// Fails if ∫ p(x_k | pa_k) dx_k, by the 60-point rule on the axis of x_k's
/// marginal at 200 parent values for each of the 3 nodes, is more than `QUAD_TOL`
/// from 1: σ² for σ or a missing 1/√(2π) in the normalizing constant is off by
/// order one (mutants.rs).
#[test]
fn each_conditional_integrates_to_one_on_a_fixed_axis() {
    // The continuous step of the proof: int p(x_k | pa_k) dx_k = 1 for every
    // value of the parents, here on the fixed axis of x_k's marginal.
    let model = three_nodes();
    let (mean, cov) = model.moments().unwrap();
    let mut worst = 0.0f64;
    let mut cases = 0usize;
    let mut rng = verified_dl::check::seeded(30);
    const PARENT_VALUES: usize = 200;
    let mut by_parents = [0usize; 3];
    for _ in 0..PARENT_VALUES {
        let x = verified_dl::check::uniform(&mut rng, 3, -2.0, 2.0).unwrap();
        let x: Vec<f64> = x
            .iter()
            .zip(&mean)
            .zip(cov.diag())
            .map(|((&u, &m), &v)| m + u * v.sqrt())
            .collect();
        for k in 0..3 {
            let total = model
                .conditional_total(k, &x, NODES, mean[k], cov[(k, k)].sqrt())
                .unwrap();
            worst = worst.max((total - 1.0).abs());
            cases += 1;
            // three_nodes(): node 0 has parents [1, 2], node 1 has [2], node 2 none.
            by_parents[[2, 1, 0][k]] += 1;
        }
    }
    // A root (the prior), one parent and two parents: each a third.
    for (name, n) in ["root", "one-parent", "two-parents"].iter().zip(by_parents) {
        crate::strata::assert_quarter("gaussian-step", name, n, cases);
    }
    verified_dl::verify!(
        "bayes.gaussian-step",
        Method::Quadrature,
        QUAD_TOL,
        worst,
        cases
    );
    verified_dl::record!("bayesnet.gaussian.parent-values", PARENT_VALUES as f64);
}

#[test]
fn moments_of_the_example() {
    // By hand: E x_2 = 0.5, Var x_2 = 1.44; E x_1 = 0.8 * 0.5 - 0.3 = 0.1,
    // Var x_1 = 0.64 * 1.44 + 0.49 = 1.4116, Cov(x_1, x_2) = 0.8 * 1.44 = 1.152;
    // E x_0 = -0.06 + 0.2 + 1 = 1.14, Cov(x_0, x_2) = -0.6 * 1.152 + 0.4 * 1.44 = -0.1152,
    // Cov(x_0, x_1) = -0.6 * 1.4116 + 0.4 * 1.152 = -0.38616,
    // Var x_0 = 0.36 * 1.4116 + 0.16 * 1.44 - 2 * 0.24 * 1.152 + 0.81 = 0.995616.
    let (mean, cov) = three_nodes().moments().unwrap();
    let expected_mean = [1.14, 0.1, 0.5];
    let expected_cov = [
        [0.995616, -0.38616, -0.1152],
        [-0.38616, 1.4116, 1.152],
        [-0.1152, 1.152, 1.44],
    ];
    for i in 0..3 {
        assert!(
            rel_err(mean[i], expected_mean[i]) <= EXACT_TOL,
            "mean {i}: {}",
            mean[i]
        );
        for j in 0..3 {
            assert!(
                rel_err(cov[(i, j)], expected_cov[i][j]) <= EXACT_TOL,
                "cov {i},{j}: {}",
                cov[(i, j)]
            );
        }
    }
}

#[test]
fn correlation_of_the_pair() {
    // By hand: Var x_1 = 0.25, Cov(x_0, x_1) = 1.5 * 0.25 = 0.375,
    // Var x_0 = 2.25 * 0.25 + 0.16 = 0.7225 (sd 0.85), so the correlation is
    // 0.375 / (0.5 * 0.85) = 15/17.
    let (_, cov) = two_nodes().moments().unwrap();
    let corr = cov[(0, 1)] / (cov[(0, 0)] * cov[(1, 1)]).sqrt();
    assert!(rel_err(corr, 15.0 / 17.0) <= EXACT_TOL, "{corr}");
    verified_dl::record!("bayesnet.gaussian.pair-correlation", corr);
}

#[test]
fn bad_continuous_input_is_an_error() {
    assert!(matches!(
        gauss_hermite(0),
        Err(Error::BadSize { value: 0, .. })
    ));
    let cyclic = LinearGaussian::new(
        vec![vec![1], vec![0]],
        vec![vec![1.0], vec![1.0]],
        vec![0.0; 2],
        vec![1.0; 2],
    );
    assert_eq!(cyclic.unwrap_err(), Error::Cycle { nodes: vec![0, 1] });
    let zero_sigma =
        LinearGaussian::new(vec![vec![]], vec![vec![]], vec![0.0], vec![0.0]).unwrap_err();
    assert!(
        zero_sigma
            .to_string()
            .contains("standard deviation at index [0] is 0"),
        "{zero_sigma}"
    );
    let nan_weight = LinearGaussian::new(
        vec![vec![1], vec![]],
        vec![vec![f64::NAN], vec![]],
        vec![0.0; 2],
        vec![1.0; 2],
    );
    assert!(matches!(nan_weight, Err(Error::NonFinite { .. })));
    let short = LinearGaussian::new(
        vec![vec![1], vec![]],
        vec![vec![], vec![]],
        vec![0.0; 2],
        vec![1.0; 2],
    );
    assert!(matches!(short, Err(Error::ShapeMismatch { .. })));
    assert!(three_nodes().total_by_gauss_hermite(1000).is_err());
}

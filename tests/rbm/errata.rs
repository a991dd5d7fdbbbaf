//! Problem 3: each wrong line of the source, computed as written, fails on a
//! concrete machine. The machine: one visible unit, two hidden units,
//! W = [[2, 1]], a = (-1, 0), b = (0.5), and v = (1), so that
//! x = W^T v + a = (1, 1).

use ndarray::{array, Array1};
use verified_dl::check::ledger::Method;
use verified_dl::numerics::sigmoid;
use verified_dl::rbm::brute;
use verified_dl::rbm::exact::state;
use verified_dl::rbm::source;
use verified_dl::rbm::Rbm;

/// Smallest gap between the source's value and the truth that counts as a
/// disagreement: far above round-off (1e-16), far below the gaps found (> 0.1).
const GAP: f64 = 0.01;

/// Tolerance of the comparison of a computed value with its closed form on the
/// machine below: each side is a few `exp`, `sigmoid` and products of numbers of
/// order 1, each within a few ulps (2.2e-16) of exact, so 1e-14 (about 45 ulps)
/// is ample, and far below the gaps the errata show.
const CLOSED_FORM_TOL: f64 = 1e-14;

/// The relative error of `got` against the closed form `want`, asserted within
/// [`CLOSED_FORM_TOL`].
fn closed_form(what: &str, got: f64, want: f64) -> f64 {
    let err = (got - want).abs() / want.abs().max(1.0);
    assert!(
        err <= CLOSED_FORM_TOL,
        "{what}: {got} vs closed form {want}"
    );
    err
}

/// The logistic function written out, 1 / (1 + e^-x), independent of the crate's.
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn machine() -> (Rbm, Array1<f64>) {
    let rbm = Rbm::new(array![[2.0, 1.0]], array![-1.0, 0.0], array![0.5]).unwrap();
    (rbm, array![1.0])
}

/// Fails if the source's p(v, h)/p(h) (`source::joint_over_p_h`) differs at any of the four h from
/// brute-force p(v = 1 | h) or from σ(0.5 + 2h_1 + h_2), or its sum over h from σ(0.5) + σ(2.5) +
/// σ(1.5) + σ(3.5), by more than `CLOSED_FORM_TOL`; or if it lies within `GAP` of p(h | v), or its
/// sum within `GAP` of 1, as it would if the line were right.
#[test]
fn erratum_rbm_denominator() {
    let (rbm, v) = machine();
    let truth = brute::p_h_given_v(&rbm, v.view()).unwrap();
    let mut total = 0.0;
    let mut gap = 0.0f64;
    let mut worst = 0.0f64;
    let mut wrong_at_zero = f64::NAN;
    for (l, &truth_l) in truth.iter().enumerate() {
        let h = state(l, 2).unwrap();
        let wrong = source::joint_over_p_h(&rbm, v.view(), h.view()).unwrap();
        println!("h = {h}: p(v,h)/p(h) = {wrong:.4}, p(h|v) = {truth_l:.4}");
        gap = gap.max((wrong - truth_l).abs());
        // What the line computes is the other conditional, p(v = 1 | h) =
        // sigma(b + W h) = sigma(0.5 + 2 h_1 + h_2).
        let p_v_given_h = brute::p_v_given_h(&rbm, h.view()).unwrap()[1];
        worst = worst.max(closed_form("p(v | h)", wrong, p_v_given_h));
        worst = worst.max(closed_form(
            "sigma(b + W h)",
            wrong,
            logistic(0.5 + 2.0 * h[0] + h[1]),
        ));
        if l == 0 {
            wrong_at_zero = wrong;
        }
        total += wrong;
    }
    println!("sum over h of p(v,h)/p(h) = {total:.4}");
    // By hand: at h = (0, 0) the line gives sigma(0.5), the truth is
    // sigma(-x_1) sigma(-x_2) = sigma(-1)^2, and the sum over h is
    // sigma(0.5) + sigma(2.5) + sigma(1.5) + sigma(3.5).
    worst = worst.max(closed_form("wrong at h = 0", wrong_at_zero, logistic(0.5)));
    worst = worst.max(closed_form(
        "truth at h = 0",
        truth[0],
        logistic(-1.0).powi(2),
    ));
    let sum_by_hand = logistic(0.5) + logistic(2.5) + logistic(1.5) + logistic(3.5);
    worst = worst.max(closed_form("sum over h", total, sum_by_hand));
    // p(v, h) / p(h) is p(v | h): it is not even normalized over h.
    assert!(gap > GAP && (total - 1.0).abs() > GAP);
    verified_dl::verify!(
        "erratum.rbm-denominator",
        Method::Property,
        CLOSED_FORM_TOL,
        worst,
        4
    );
    verified_dl::record!("erratum.rbm-denominator.wrong", wrong_at_zero);
    verified_dl::record!("erratum.rbm-denominator.truth", truth[0]);
    verified_dl::record!("erratum.rbm-denominator.sum", total);
}

/// Fails if the source's Π_j σ(h_j x_j) at h = 0 is not exactly 1/4, or lies within `GAP` of p(h =
/// 0 | v); if its sum over h is not 1/4 + σ(1) + σ(1)² within `CLOSED_FORM_TOL`, or lies within
/// `GAP` of 1; or if the corrected factor σ((2h_j − 1) x_j) of `prob_h_given_v` or brute-force p(h
/// = 0 | v) is not σ(−1)².
#[test]
fn erratum_rbm_sigmoid_argument() {
    let (rbm, v) = machine();
    let truth = brute::p_h_given_v(&rbm, v.view()).unwrap();
    let h = state(0, 2).unwrap(); // h = (0, 0)
    let wrong = source::product_of_sigma_h_x(&rbm, v.view(), h.view()).unwrap();
    println!(
        "prod sigma(h_j x_j) at h = 0: {wrong:.4}; p(h = 0 | v) = {:.4}",
        truth[0]
    );
    assert_eq!(wrong, 0.25); // sigma(0)^2, whatever W, a and b are
    assert!((wrong - truth[0]).abs() > GAP);
    let total: f64 = (0..4)
        .map(|l| source::product_of_sigma_h_x(&rbm, v.view(), state(l, 2).unwrap().view()).unwrap())
        .sum();
    println!("sum over h of prod sigma(h_j x_j) = {total:.4}");
    assert!((total - 1.0).abs() > GAP);
    // By hand, with x = (1, 1): the four products are 1/4, sigma(1)/2 twice and
    // sigma(1)^2, so the sum is 1/4 + sigma(1) + sigma(1)^2.
    let s1 = logistic(1.0);
    let mut worst = closed_form("sum over h", total, 0.25 + s1 + s1 * s1);
    worst = worst.max(closed_form(
        "truth at h = 0",
        truth[0],
        logistic(-1.0).powi(2),
    ));
    // The corrected factor sigma((2 h_j - 1) x_j) gives the truth.
    let corrected = rbm.prob_h_given_v(h.view(), v.view()).unwrap();
    worst = worst.max(closed_form("corrected factor", corrected, truth[0]));
    verified_dl::verify!(
        "erratum.rbm-sigmoid-argument",
        Method::Property,
        CLOSED_FORM_TOL,
        worst,
        4
    );
    verified_dl::record!("erratum.rbm-sigmoid-argument.wrong", wrong);
    verified_dl::record!("erratum.rbm-sigmoid-argument.sum", total);
}

/// Fails if, for x = (1, 1), the source's Σ_{h_i} σ(h_i x_i) is not 1/2 + σ(1), its chain for p(h_1
/// = 1 | v) not σ(1)(1/2 + σ(1)), `p_h_given_v` not σ(1), or σ(−x) + σ(x) not 1, within
/// `CLOSED_FORM_TOL`; or if the sum lies within `GAP` of 1 or the chain within `GAP` of the truth.
#[test]
fn erratum_rbm_unit_sum() {
    let (rbm, v) = machine();
    let x = rbm.hidden_input(v.view()).unwrap();
    let sum = source::unit_sum(x[1]).unwrap();
    let marginal = source::marginal_by_source_chain(x.view(), 0).unwrap();
    let truth = rbm.p_h_given_v(v.view()).unwrap()[0];
    println!(
        "sum_h sigma(h x) = {sum:.4}; chain gives p(h_1 = 1 | v) = {marginal:.4}, truth {truth:.4}"
    );
    assert!((sum - 1.0).abs() > GAP && (marginal - truth).abs() > GAP);
    // By hand, with x = (1, 1): the sum is sigma(0) + sigma(1) = 1/2 + sigma(1),
    // the chain sigma(1) (1/2 + sigma(1)), the truth sigma(1).
    let s1 = logistic(1.0);
    let mut worst = closed_form("x", x[0], 1.0).max(closed_form("x", x[1], 1.0));
    worst = worst.max(closed_form("unit sum", sum, 0.5 + s1));
    worst = worst.max(closed_form("chain", marginal, s1 * (0.5 + s1)));
    worst = worst.max(closed_form("truth", truth, s1));
    // With the corrected factor the sum over h_i is sigma(-x_i) + sigma(x_i) = 1.
    worst = worst.max(closed_form(
        "corrected sum",
        sigmoid(-x[1]) + sigmoid(x[1]),
        1.0,
    ));
    verified_dl::verify!(
        "erratum.rbm-unit-sum",
        Method::Property,
        CLOSED_FORM_TOL,
        worst,
        1
    );
    verified_dl::record!("erratum.rbm-unit-sum.sum", sum);
    verified_dl::record!("erratum.rbm-unit-sum.chain", marginal);
    verified_dl::record!("erratum.rbm-unit-sum.truth", truth);
}

/// Fails if the source's σ((Wᵀv + 1)_j) is not σ(3) and σ(2), or `p_h_given_v` not σ(1) for both
/// units, within `CLOSED_FORM_TOL`, or if the stray value lies within `GAP` of the truth: keeping
/// the hidden bias in `stray_constant`, or dropping it from x, would be caught.
#[test]
fn erratum_rbm_stray_constant() {
    let (rbm, v) = machine();
    let truth = rbm.p_h_given_v(v.view()).unwrap();
    let mut gap = 0.0f64;
    let mut worst = 0.0f64;
    let wrong: Vec<f64> = (0..2)
        .map(|j| source::stray_constant(&rbm, v.view(), j).unwrap())
        .collect();
    for j in 0..2 {
        println!(
            "sigma((W^T v + 1)_{}) = {:.4}, p(h_{} = 1 | v) = {:.4}",
            j + 1,
            wrong[j],
            j + 1,
            truth[j]
        );
        gap = gap.max((wrong[j] - truth[j]).abs());
        // By hand: W^T v + 1 = (3, 2), and x = W^T v + a = (1, 1).
        worst = worst.max(closed_form("stray", wrong[j], logistic([3.0, 2.0][j])));
        worst = worst.max(closed_form("truth", truth[j], logistic(1.0)));
    }
    assert!(gap > GAP);
    verified_dl::verify!(
        "erratum.rbm-stray-constant",
        Method::Property,
        CLOSED_FORM_TOL,
        worst,
        2
    );
    verified_dl::record!("erratum.rbm-stray-constant.wrong", wrong[0]);
    verified_dl::record!("erratum.rbm-stray-constant.truth", truth[0]);
}

/// Fails if the source's Π_j p(h_j | v) at v = 1, h = (1, 1) is not σ(1)², the brute-force joint
/// not e^{2.5}/Z with Z written out by hand, or the product summed over every (v, h) not 2 =
/// 2^{n_v}, within `CLOSED_FORM_TOL`; or if product and joint lie within `GAP` of each other.
#[test]
fn erratum_rbm_joint_product() {
    let (rbm, v) = machine();
    let table = brute::log_joint_table(&rbm).unwrap();
    let h = state(3, 2).unwrap(); // h = (1, 1)
    let product = source::product_named_joint(&rbm, v.view(), h.view()).unwrap();
    let joint = table[(1, 3)].exp();
    println!("prod_j p(h_j | v) = {product:.4}, p(v, h) = {joint:.4}");
    assert!((product - joint).abs() > GAP);
    // By hand: the product is sigma(1)^2; E(v = 1, h = (1, 1)) = -3 - 0.5 + 1 = -2.5,
    // and Z = 2 (1 + e^-1) (v = 0: the hidden biases alone) + e^0.5 (1 + e)^2 (v = 1).
    let z = 2.0 * (1.0 + (-1.0f64).exp()) + 0.5f64.exp() * (1.0 + 1f64.exp()).powi(2);
    let mut worst = closed_form("product", product, logistic(1.0).powi(2));
    worst = worst.max(closed_form("joint", joint, 2.5f64.exp() / z));
    // Summed over every (v, h) the product gives 2^{n_v} = 2: it is p(h | v), a
    // distribution over h for each v, not a joint distribution.
    let total: f64 = (0..2)
        .flat_map(|k| (0..4).map(move |l| (k, l)))
        .map(|(k, l)| {
            source::product_named_joint(
                &rbm,
                state(k, 1).unwrap().view(),
                state(l, 2).unwrap().view(),
            )
            .unwrap()
        })
        .sum();
    println!("sum over (v, h) of prod_j p(h_j | v) = {total:.4}");
    worst = worst.max(closed_form("sum over (v, h)", total, 2.0));
    verified_dl::verify!(
        "erratum.rbm-joint-product",
        Method::Property,
        CLOSED_FORM_TOL,
        worst,
        8
    );
    verified_dl::record!("erratum.rbm-joint-product.sum", total);
    verified_dl::record!("erratum.rbm-joint-product.product", product);
    verified_dl::record!("erratum.rbm-joint-product.joint", joint);
}

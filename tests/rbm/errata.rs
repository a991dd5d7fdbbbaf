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

fn machine() -> (Rbm, Array1<f64>) {
    let rbm = Rbm::new(array![[2.0, 1.0]], array![-1.0, 0.0], array![0.5]).unwrap();
    (rbm, array![1.0])
}

#[test]
fn erratum_rbm_denominator() {
    let (rbm, v) = machine();
    let truth = brute::p_h_given_v(&rbm, v.view()).unwrap();
    let mut total = 0.0;
    let mut gap = 0.0f64;
    for (l, &truth_l) in truth.iter().enumerate() {
        let h = state(l, 2).unwrap();
        let wrong = source::joint_over_p_h(&rbm, v.view(), h.view()).unwrap();
        println!("h = {h}: p(v,h)/p(h) = {wrong:.4}, p(h|v) = {truth_l:.4}");
        gap = gap.max((wrong - truth_l).abs());
        // What the line computes is the other conditional, p(v | h).
        let p_v_given_h = brute::p_v_given_h(&rbm, h.view()).unwrap()[1];
        assert!(
            (wrong - p_v_given_h).abs() < 1e-15,
            "{wrong} vs {p_v_given_h}"
        );
        total += wrong;
    }
    println!("sum over h of p(v,h)/p(h) = {total:.4}");
    // p(v, h) / p(h) is p(v | h): it is not even normalized over h.
    assert!(gap > GAP && (total - 1.0).abs() > GAP);
    verified_dl::verify!("erratum.rbm-denominator", Method::Property, 0.0, 0.0, 4);
}

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
    // The corrected factor sigma((2 h_j - 1) x_j) gives the truth.
    let corrected = rbm.prob_h_given_v(h.view(), v.view()).unwrap();
    assert!((corrected - truth[0]).abs() < 1e-15);
    verified_dl::verify!(
        "erratum.rbm-sigmoid-argument",
        Method::Property,
        0.0,
        0.0,
        4
    );
}

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
    // With the corrected factor the sum over h_i is sigma(-x_i) + sigma(x_i) = 1.
    assert!((sigmoid(-x[1]) + sigmoid(x[1]) - 1.0).abs() < 1e-15);
    verified_dl::verify!("erratum.rbm-unit-sum", Method::Property, 0.0, 0.0, 1);
}

#[test]
fn erratum_rbm_stray_constant() {
    let (rbm, v) = machine();
    let truth = rbm.p_h_given_v(v.view()).unwrap();
    let mut gap = 0.0f64;
    for j in 0..2 {
        let wrong = source::stray_constant(&rbm, v.view(), j).unwrap();
        println!(
            "sigma((W^T v + 1)_{}) = {wrong:.4}, p(h_{} = 1 | v) = {:.4}",
            j + 1,
            j + 1,
            truth[j]
        );
        gap = gap.max((wrong - truth[j]).abs());
    }
    assert!(gap > GAP);
    verified_dl::verify!("erratum.rbm-stray-constant", Method::Property, 0.0, 0.0, 2);
}

#[test]
fn erratum_rbm_joint_product() {
    let (rbm, v) = machine();
    let table = brute::log_joint_table(&rbm).unwrap();
    let h = state(3, 2).unwrap(); // h = (1, 1)
    let product = source::product_named_joint(&rbm, v.view(), h.view()).unwrap();
    let joint = table[(1, 3)].exp();
    println!("prod_j p(h_j | v) = {product:.4}, p(v, h) = {joint:.4}");
    assert!((product - joint).abs() > GAP);
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
    assert!((total - 2.0).abs() < 1e-14);
    verified_dl::verify!("erratum.rbm-joint-product", Method::Property, 0.0, 0.0, 8);
}

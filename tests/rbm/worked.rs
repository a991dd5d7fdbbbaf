//! The worked example of the chapter: the 2 x 2 machine `worked_rbm`, its
//! table of all 16 states, Z, and p(h | v) for v = (1, 0) two ways. Every
//! number the page shows is recorded here, after the assertions that make it
//! true.

use ndarray::array;
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, EXACT_TOL};
use verified_dl::rbm::brute;
use verified_dl::rbm::exact::state;
use verified_dl::rbm::examples::worked_rbm;

/// The name of a state of two units in math order: "10" is unit 1 on, unit 2 off.
fn bits(k: usize) -> String {
    format!("{}{}", k & 1, (k >> 1) & 1)
}

/// 1 / (1 + e^{-x}), written out here rather than taken from the crate.
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Fails if on the 2 × 2 worked machine any −E(v, h) of the table or of `energy` is not exactly the
/// triple sum by hand, or if ln Z, or p(h | v = (1, 0)) as Π σ((2h_j − 1) x_j), from
/// `prob_h_given_v` or by brute force, differs from the table (ln Σ weights, a row over its sum) by
/// more than `EXACT_TOL`, or x = Wᵀv + a is not (1.5, −2), or the table's largest exponent
/// is not 3, at v = (1, 1), h = (1, 0) alone (the page's most probable state).
#[test]
fn worked_example_table_and_conditional() {
    let rbm = worked_rbm().unwrap();
    // The parameters as the page states them.
    let w = [[1.0, -1.0], [2.0, 0.5]];
    let b = [-0.5, 0.0];
    let a = [0.5, -1.0];
    assert_eq!(rbm.w(), array![[1.0, -1.0], [2.0, 0.5]]);
    assert_eq!(rbm.visible_bias(), array![-0.5, 0.0]);
    assert_eq!(rbm.hidden_bias(), array![0.5, -1.0]);

    // -E(v, h) as the triple sum, by hand, and by the crate's table.
    let table = brute::minus_energy_table(&rbm).unwrap();
    let mut worst: f64 = 0.0;
    let mut z = 0.0;
    for k in 0..4 {
        let v = state(k, 2).unwrap();
        for l in 0..4 {
            let h = state(l, 2).unwrap();
            let mut minus_e = 0.0;
            for i in 0..2 {
                for j in 0..2 {
                    minus_e += v[i] * w[i][j] * h[j];
                }
                minus_e += v[i] * b[i];
            }
            for j in 0..2 {
                minus_e += h[j] * a[j];
            }
            // every energy of this machine is a multiple of 1/2, exactly
            assert_eq!((2.0 * minus_e).fract(), 0.0);
            assert_eq!(table[(k, l)], minus_e);
            assert_eq!(-rbm.energy(v.view(), h.view()).unwrap(), minus_e);
            z += minus_e.exp();
        }
    }
    // The page's most probable state, v = (1, 1) with h = (1, 0) (state
    // numbers 3 and 1), is the one largest exponent of the table.
    let top: Vec<(usize, usize)> = (0..4)
        .flat_map(|k| (0..4).map(move |l| (k, l)))
        .filter(|&(k, l)| table[(k, l)] == table.iter().copied().fold(f64::MIN, f64::max))
        .collect();
    assert_eq!(top, vec![(3, 1)]);
    assert_eq!((bits(3), bits(1)), ("11".to_string(), "10".to_string()));
    assert_eq!(table[(3, 1)], 3.0);
    let log_z = rbm.log_z().unwrap();
    worst = worst.max(rel_err(log_z, z.ln()));
    assert!(worst <= EXACT_TOL);
    verified_dl::record!("rbm.worked.z", z);
    for k in 0..4 {
        let mut p_v = 0.0;
        for l in 0..4 {
            let name = format!("v{}.h{}", bits(k), bits(l));
            let weight = table[(k, l)].exp();
            p_v += weight / z;
            verified_dl::record!(&format!("rbm.worked.minus-energy.{name}"), table[(k, l)]);
            verified_dl::record!(&format!("rbm.worked.weight.{name}"), weight);
            verified_dl::record!(&format!("rbm.worked.joint.{name}"), weight / z);
        }
        verified_dl::record!(&format!("rbm.worked.p-v.v{}", bits(k)), p_v);
        verified_dl::record!(&format!("rbm.worked.weight-sum.v{}", bits(k)), p_v * z);
    }

    // p(h | v) for v = (1, 0), state number 1: a row of the table over its sum ...
    let v = array![1.0, 0.0];
    let row: Vec<f64> = (0..4).map(|l| table[(1, l)].exp()).collect();
    let row_sum: f64 = row.iter().sum();
    // ... and the product of sigmoids of x = W^T v + a = (1.5, -2).
    let x = rbm.hidden_input(v.view()).unwrap();
    assert_eq!(x, array![1.5, -2.0]);
    for (j, &xj) in x.iter().enumerate() {
        verified_dl::record!(&format!("rbm.worked.x.{}", j + 1), xj);
        verified_dl::record!(&format!("rbm.worked.sigma.{}", j + 1), logistic(xj));
        verified_dl::record!(&format!("rbm.worked.sigma-minus.{}", j + 1), logistic(-xj));
    }
    let mut cases = 0;
    for (l, &weight) in row.iter().enumerate() {
        let h = state(l, 2).unwrap();
        let by_division = weight / row_sum;
        let by_sigmoids: f64 = (0..2)
            .map(|j| logistic((2.0 * h[j] - 1.0) * x[j]))
            .product();
        let by_crate = rbm.prob_h_given_v(h.view(), v.view()).unwrap();
        let from_brute = brute::p_h_given_v(&rbm, v.view()).unwrap()[l];
        for got in [by_sigmoids, by_crate, from_brute] {
            worst = worst.max((got - by_division).abs() / by_division);
        }
        cases += 1;
        verified_dl::record!(&format!("rbm.worked.division.h{}", bits(l)), by_division);
        verified_dl::record!(&format!("rbm.worked.sigmoids.h{}", bits(l)), by_sigmoids);
    }
    verified_dl::record!("rbm.worked.row-sum", row_sum);
    verified_dl::verify!("rbm.worked", Method::Exhaustive, EXACT_TOL, worst, cases);
}

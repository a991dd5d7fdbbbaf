//! Checks of the solutions of the chapter's exercises, each against an
//! independent computation (the tables' storage, exact enumeration, closed
//! forms), and each shown to reject a plausible wrong answer.

use verified_dl::bayesnet::exercises::hybrid_total;
use verified_dl::bayesnet::joint::configurations;
use verified_dl::bayesnet::random::{random_network, random_rational_network, Shape};
use verified_dl::bayesnet::{example, BayesNet, Prob, Rational, Table};
use verified_dl::check::ledger::Method;
use verified_dl::check::seeded;

/// Exact fraction `n / d`.
fn r(n: i128, d: i128) -> Rational {
    Rational::new(n, d).unwrap()
}

/// A chain `x_0 <- x_1 <- ... <- x_{K-1}` of binary nodes (each node's parent
/// is the next), every table uniform.
fn binary_chain(k: usize) -> BayesNet<f64> {
    let parents = (0..k)
        .map(|i| if i + 1 < k { vec![i + 1] } else { vec![] })
        .collect();
    let tables = (0..k)
        .map(|i| {
            let rows = if i + 1 < k { 2 } else { 1 };
            ndarray::Array2::from_elem((rows, 2), 0.5)
        })
        .collect();
    BayesNet::new(vec![2; k], parents, tables).unwrap()
}

/// The count of the solution, from the arities and parent lists alone;
/// `own_arity: false` is the plausible wrong answer that forgets the node's
/// own values (one entry per row).
fn count_by_formula<T: Prob>(net: &BayesNet<T>, own_arity: bool) -> usize {
    (0..net.len())
        .map(|k| {
            let rows: usize = net
                .parents(k)
                .unwrap()
                .iter()
                .map(|&j| net.arity()[j])
                .product();
            rows * if own_arity { net.arity()[k] } else { 1 }
        })
        .sum()
}

/// Fails if factor_entries is not 4K − 2 for a binary chain of K = 1 to 20 nodes,
/// or not the number of entries the tables of 200 random networks store, or the
/// number of configurations differs from 2^K or an enumeration: 0 failures. The
/// count that forgets a node's own arity is shown to miss on all 200.
#[test]
fn exercise_count_of_table_entries() {
    let mut failures = 0usize;
    let mut cases = 0usize;
    // The sprinkler network: 16 joint entries, 8 + 4 + 4 + 2 = 18 table entries.
    let sprinkler = example::sprinkler().unwrap();
    assert_eq!(sprinkler.configurations().unwrap(), 16);
    assert_eq!(sprinkler.factor_entries().unwrap(), 18);
    // A chain of K binary nodes: 2^K against 4K - 2; the tables are smaller from K = 4.
    for k in 1..=20usize {
        let chain = binary_chain(k);
        failures += usize::from(chain.factor_entries().unwrap() != 4 * k - 2);
        failures += usize::from(chain.configurations().unwrap() != 1 << k);
        failures += usize::from((chain.factor_entries().unwrap() < 1 << k) != (k >= 4));
        cases += 1;
    }
    // Random networks: the count against the entries the tables really hold,
    // and the joint's size against an enumeration of its configurations.
    let mut rng = seeded(70);
    let shape = Shape::new(8, 2, 4, 3, 1 << 12).unwrap();
    let mut wrong_formula_caught = 0usize;
    for _ in 0..200 {
        let net = random_network(&mut rng, shape).unwrap();
        let stored: usize = (0..net.len()).map(|k| net.table(k).unwrap().len()).sum();
        failures += usize::from(net.factor_entries().unwrap() != stored);
        failures += usize::from(count_by_formula(&net, true) != stored);
        let enumerated = configurations(net.arity()).unwrap().count();
        failures += usize::from(net.configurations().unwrap() != enumerated);
        wrong_formula_caught += usize::from(count_by_formula(&net, false) != stored);
        cases += 1;
    }
    // The wrong answer (rows only) fails on every network with a node.
    assert_eq!(wrong_formula_caught, 200);
    verified_dl::verify!(
        "bayes.ex-count",
        Method::Exhaustive,
        0.0,
        failures as f64,
        cases
    );
}

/// Whether `p(x_c = x[c] | every other variable) = value`, from the joint
/// alone: the conditional is `p(x)` over the sum of `p` at every value of
/// `x_c`, the others fixed, so the test is `p(x) = value * that sum`, exactly.
fn conditional_is(net: &BayesNet<Rational>, c: usize, x: &[usize], value: Rational) -> bool {
    let mut y = x.to_vec();
    let mut total = Rational::ZERO;
    for v in 0..net.arity()[c] {
        y[c] = v;
        total = total.add(net.joint(&y).unwrap()).unwrap();
    }
    net.joint(x).unwrap() == value.mul(total).unwrap()
}

/// Fails if, for a childless node of the worked example, the sprinkler network or
/// 30 random rational networks, p(x_c | the rest) from the joint is not exactly the
/// table entry where the rest has positive probability, or no non-leaf differs from
/// its table. A joint that dropped or squared the leaf's factor would be caught.
#[test]
fn exercise_a_leaf_is_conditioned_by_its_table() {
    let mut misses = 0usize;
    let mut cases = 0usize;
    let mut non_leaf_differs = 0usize;
    let mut nets = vec![
        example::worked_example().unwrap(),
        example::sprinkler().unwrap(),
    ];
    let mut rng = seeded(71);
    let shape = Shape::new(6, 2, 3, 2, 1 << 10).unwrap();
    for _ in 0..30 {
        nets.push(random_rational_network(&mut rng, shape, 12).unwrap());
    }
    for net in &nets {
        for c in 0..net.len() {
            let leaf = net.children(c).unwrap().is_empty();
            let mut differs = false;
            for x in configurations(net.arity()).unwrap() {
                // Only where the other variables have positive probability.
                let mut y = x.clone();
                let rest: Vec<Rational> = (0..net.arity()[c])
                    .map(|v| {
                        y[c] = v;
                        net.joint(&y).unwrap()
                    })
                    .collect();
                if rest.iter().all(|p| *p == Rational::ZERO) {
                    continue;
                }
                let table = net.table(c).unwrap()[(net.row(c, &x).unwrap(), x[c])];
                let agrees = conditional_is(net, c, &x, table);
                if leaf {
                    misses += usize::from(!agrees);
                    cases += 1;
                } else {
                    differs |= !agrees;
                }
            }
            non_leaf_differs += usize::from(!leaf && differs);
        }
    }
    // The claim is about leaves: for rain in the worked example (a node with
    // children) the conditional given the rest is not its table.
    let worked = &nets[0];
    let x = [1, 1, 1]; // wet, sprinkler on, rain
    assert!(conditional_is(worked, 2, &x, r(5, 41)));
    assert_eq!(worked.table(2).unwrap()[(0, 1)], r(1, 5));
    // ... and for the leaf, wet grass, it is: p(wet | sprinkler on, rain) = 1.
    assert!(conditional_is(worked, 0, &x, Rational::ONE));
    assert!(non_leaf_differs > 0);
    verified_dl::record!("bayesnet.ex.leaf-networks", nets.len() as f64);
    verified_dl::record!(
        "bayesnet.ex.leaf-non-leaves-differ",
        non_leaf_differs as f64
    );
    verified_dl::verify!(
        "bayes.ex-leaf-conditional",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        cases
    );
}

/// Fails if summing rain out of the worked example's exact joint does not give
/// (43/100, 1/25, 3/25, 41/100), equals the product of the other tables at a fixed
/// rain, or is not their 4/5, 1/5 mixture entry by entry: 0 misses. A sum over
/// the wrong axis, or rain treated as a leaf, would be caught.
#[test]
fn exercise_summing_out_a_node_with_children() {
    let net = example::worked_example().unwrap();
    let joint = Table::joint(&net, &[0, 1, 2]).unwrap();
    // Rain (node 2, a root) summed out first: the true marginal p(x_1, x_2).
    let marginal = joint.sum_out(2).unwrap();
    let expected = [r(43, 100), r(1, 25), r(3, 25), r(41, 100)];
    let mut misses = usize::from(marginal.values() != expected);
    // The product of the remaining tables at a fixed value v of rain,
    // p(x_2 | v) p(x_1 | x_2, v), is a different table at both values.
    let product_at = |v: usize| -> Vec<Rational> {
        configurations(&[2, 2])
            .unwrap()
            .map(|x| {
                let s = net.table(1).unwrap()[(v, x[1])];
                let w = net.table(0).unwrap()[(2 * x[1] + v, x[0])];
                s.mul(w).unwrap()
            })
            .collect()
    };
    let at0 = product_at(0);
    let at1 = product_at(1);
    assert_eq!(at0, [r(1, 2), r(1, 20), Rational::ZERO, r(9, 20)]);
    assert_eq!(at1, [r(3, 20), Rational::ZERO, r(3, 5), r(1, 4)]);
    misses += usize::from(at0 == marginal.values() || at1 == marginal.values());
    // The marginal is their mixture under p(rain): 4/5 at 0 and 1/5 at 1.
    for (i, m) in marginal.values().iter().enumerate() {
        let mixture = r(4, 5)
            .mul(at0[i])
            .unwrap()
            .add(r(1, 5).mul(at1[i]).unwrap())
            .unwrap();
        misses += usize::from(mixture != *m);
    }
    // The network type refuses to remove a node with children.
    assert!(net.without(2).is_err());
    verified_dl::verify!(
        "bayes.ex-nonleaf",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        4
    );
}

/// The tolerance of the hybrid network's quadrature: the same as `QUAD_TOL`
/// of `tests/bayesnet/continuous.rs`, for the same reason (a 60-point rule
/// on a fixed axis reaches round-off, about 1e-15, here, while a density with
/// a wrong constant is off by order one).
const HYBRID_TOL: f64 = 1e-10;

/// The exercise's network: `p(z) = (1/4, 3/4)`, `x | z ~ N(-1, 0.8^2)` or `N(1, 1)`.
const PRIOR: [f64; 2] = [0.25, 0.75];
const MEAN: [f64; 2] = [-1.0, 1.0];
const SIGMA: [f64; 2] = [0.8, 1.0];

/// How the check of the exercise judges a quadrature: total 1 and mean
/// `sum_z p(z) mean_z` within `HYBRID_TOL`.
fn hybrid_check(result: (f64, f64)) -> bool {
    let mean: f64 = PRIOR.iter().zip(&MEAN).map(|(p, m)| p * m).sum();
    (result.0 - 1.0).abs() <= HYBRID_TOL && (result.1 - mean).abs() <= HYBRID_TOL
}

/// A copy of the quadrature of `hybrid_total` with one plausible mistake:
/// `kind` 0 drops the `1/sqrt(2 pi)`, 1 normalizes by `sigma^2` for `sigma`,
/// 2 forgets the prior (sums the components' integrals).
fn hybrid_mutant(kind: u8, n: usize) -> (f64, f64) {
    let (t, w) = verified_dl::bayesnet::quadrature::gauss_hermite(n).unwrap();
    let c: f64 = PRIOR.iter().zip(&MEAN).map(|(p, m)| p * m).sum();
    let var: f64 = (0..2)
        .map(|z| PRIOR[z] * (SIGMA[z] * SIGMA[z] + (MEAN[z] - c).powi(2)))
        .sum();
    let scale = std::f64::consts::SQRT_2 * var.sqrt();
    let (mut total, mut first) = (0.0, 0.0);
    for z in 0..2 {
        for (&ti, &wi) in t.iter().zip(&w) {
            let x = c + scale * ti;
            let u = (x - MEAN[z]) / SIGMA[z];
            let norm = match kind {
                0 => SIGMA[z],
                1 => (2.0 * std::f64::consts::PI).sqrt() * SIGMA[z] * SIGMA[z],
                _ => (2.0 * std::f64::consts::PI).sqrt() * SIGMA[z],
            };
            let prior = if kind == 2 { 1.0 } else { PRIOR[z] };
            let f = prior * wi * (ti * ti).exp() * scale * (-0.5 * u * u).exp() / norm;
            total += f;
            first += f * x;
        }
    }
    (total, first)
}

/// Fails if the 60-point hybrid total is more than `HYBRID_TOL` from 1 or its
/// mean from Σ_z p(z) μ_z, or if a copy without 1/√(2π), with σ² for σ, or without
/// the prior passes that test, or if 10 points do.
#[test]
fn exercise_gaussian_child_of_a_binary_parent() {
    let result = hybrid_total(&PRIOR, &MEAN, &SIGMA, 60).unwrap();
    assert!(hybrid_check(result), "{result:?}");
    let mean: f64 = PRIOR.iter().zip(&MEAN).map(|(p, m)| p * m).sum();
    let worst = (result.0 - 1.0).abs().max((result.1 - mean).abs());
    // The check can fail: each plausible mistake, and too short a rule.
    let mut caught = 0;
    for kind in 0..3 {
        let passes = hybrid_check(hybrid_mutant(kind, 60));
        assert!(!passes, "the mutant of kind {kind} passes");
        caught += 1;
    }
    let short = hybrid_total(&PRIOR, &MEAN, &SIGMA, 10).unwrap();
    assert!(!hybrid_check(short));
    // The leaf first: with one value of z the axis is the component's own and
    // the rule is exact; the total of every component is 1 on its own.
    for z in 0..2 {
        let one = hybrid_total(&[1.0], &MEAN[z..=z], &SIGMA[z..=z], 60).unwrap();
        assert!((one.0 - 1.0).abs() <= HYBRID_TOL && (one.1 - MEAN[z]).abs() <= HYBRID_TOL);
    }
    verified_dl::record!("bayesnet.ex.hybrid-minus-one", (result.0 - 1.0).abs());
    verified_dl::record!("bayesnet.ex.hybrid-short", (short.0 - 1.0).abs());
    verified_dl::record!("bayesnet.ex.hybrid-mutants", caught as f64);
    verified_dl::verify!("bayes.ex-hybrid", Method::Quadrature, HYBRID_TOL, worst, 2);
}

#[test]
fn exercise_functions_name_their_bad_arguments() {
    use verified_dl::Error;
    let ok = |e: &Error, arg: &str| e.argument() == Some(arg);
    let half = [0.5, 0.5];
    let cases: Vec<(Error, &str)> = vec![
        (
            hybrid_total(&half, &[0.0], &[1.0, 1.0], 10).unwrap_err(),
            "means of x given z",
        ),
        (
            hybrid_total(&half, &[0.0, 0.0], &[1.0], 10).unwrap_err(),
            "standard deviations of x given z",
        ),
        (
            hybrid_total(&[], &[], &[], 10).unwrap_err(),
            "number of values of z (prior)",
        ),
        (
            hybrid_total(&[1.5, -0.5], &[0.0; 2], &[1.0; 2], 10).unwrap_err(),
            "prior",
        ),
        (
            hybrid_total(&[f64::NAN, 1.0], &[0.0; 2], &[1.0; 2], 10).unwrap_err(),
            "prior",
        ),
        (
            hybrid_total(&[0.5, 0.6], &[0.0; 2], &[1.0; 2], 10).unwrap_err(),
            "prior",
        ),
        (
            hybrid_total(&half, &[0.0, f64::INFINITY], &[1.0; 2], 10).unwrap_err(),
            "mean of x given z = 1",
        ),
        (
            hybrid_total(&half, &[0.0; 2], &[1.0, 0.0], 10).unwrap_err(),
            "standard deviation of x given z = 1",
        ),
        (
            hybrid_total(&half, &[0.0; 2], &[-1.0, 1.0], 10).unwrap_err(),
            "standard deviation of x given z = 0",
        ),
        (
            hybrid_total(&half, &[0.0; 2], &[1.0; 2], 0).unwrap_err(),
            "number of Gauss-Hermite nodes",
        ),
    ];
    for (e, arg) in &cases {
        assert!(ok(e, arg), "{e:?} should name {arg}");
    }
    assert!(matches!(cases[3].0, Error::BadValue { .. }));
    assert!(matches!(cases[5].0, Error::NotNormalized { .. }));
}

/// Fails if p(wet grass) by elimination or by summing the exact joint is not
/// (47/100, 53/100), the parents' marginals are not (11/20, 9/20) and (4/5, 1/5),
/// or taking the parents as independent gives 53/100 instead of 251/500: 0 misses.
#[test]
fn exercise_marginal_of_the_leaf() {
    let net = example::worked_example().unwrap();
    // By elimination (the crate's marginal) and by brute force over the joint.
    let by_elimination = net.marginal(0).unwrap();
    let mut brute = [Rational::ZERO; 2];
    for x in configurations(net.arity()).unwrap() {
        brute[x[0]] = brute[x[0]].add(net.joint(&x).unwrap()).unwrap();
    }
    let expected = [r(47, 100), r(53, 100)];
    let mut misses = usize::from(by_elimination != expected);
    misses += usize::from(brute != expected);
    // The parents' marginals, p(x_2 = 1) = 9/20 and p(x_3 = 1) = 1/5.
    let sprinkler = net.marginal(1).unwrap();
    let rain = net.marginal(2).unwrap();
    misses += usize::from(sprinkler != [r(11, 20), r(9, 20)]);
    misses += usize::from(rain != [r(4, 5), r(1, 5)]);
    // The plausible wrong answer: the parents taken as independent,
    // sum p(x_1 = 1 | x_2, x_3) p(x_2) p(x_3), is 251/500, not 53/100.
    let mut independent = Rational::ZERO;
    for x in configurations(&[2, 2]).unwrap() {
        let wet = net.table(0).unwrap()[(2 * x[0] + x[1], 1)];
        let term = wet.mul(sprinkler[x[0]]).unwrap().mul(rain[x[1]]).unwrap();
        independent = independent.add(term).unwrap();
    }
    assert_eq!(independent, r(251, 500));
    misses += usize::from(independent == expected[1]);
    verified_dl::verify!(
        "bayes.ex-marginal",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        2
    );
}

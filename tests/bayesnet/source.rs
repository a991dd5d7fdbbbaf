//! The source's argument for problem 2, checked step by step: the errata,
//! and why acyclicity matters.

use ndarray::arr2;
use verified_dl::bayesnet::{example, parents_after_order, proof_steps, BayesNet, Rational, Table};
use verified_dl::check::ledger::Method;
use verified_dl::Error;

fn r(n: i128, d: i128) -> Rational {
    Rational::new(n, d).unwrap()
}

/// The source's justification for summing `first` out first: it is not in
/// the *intersection* of the other nodes' parent sets.
fn source_condition(parents: &[Vec<usize>], first: usize) -> bool {
    let others: Vec<&Vec<usize>> = (0..parents.len())
        .filter(|&k| k != first)
        .map(|k| &parents[k])
        .collect();
    !others.iter().all(|pa| pa.contains(&first))
}

/// The condition the step needs: `first` is in *no* other parent set (the union).
fn union_condition(parents: &[Vec<usize>], first: usize) -> bool {
    parents.iter().all(|pa| !pa.contains(&first))
}

/// Fails if, in the network x_0 → x_1 with x_2 alone, the exact p(x_1 = 0) after
/// summing out x_0 is not 11/20 or the table's p(x_1 = 0 | x_0) are not 9/10 and
/// 1/5, or if summing out x_0 gives the product of the other tables at either x_0.
#[test]
fn erratum_bayes_intersection() {
    // x_0 -> x_1, and x_2 alone. The intersection of the other parent sets,
    // pa_1 ∩ pa_2 = {0} ∩ {} = {}, does not contain node 0, so the source's
    // condition lets node 0 be summed out first; but node 0 is a parent of 1.
    let parents = vec![vec![], vec![0], vec![]];
    let net = BayesNet::new(
        vec![2, 2, 2],
        parents.clone(),
        vec![
            arr2(&[[r(1, 2), r(1, 2)]]),
            arr2(&[[r(9, 10), r(1, 10)], [r(1, 5), r(4, 5)]]),
            arr2(&[[r(1, 3), r(2, 3)]]),
        ],
    )
    .unwrap();
    assert!(source_condition(&parents, 0));
    assert!(!union_condition(&parents, 0));
    // The step the condition is meant to justify:
    // sum_{x_0} p(x_0) p(x_1 | x_0) p(x_2)  =  p(x_1 | x_0) p(x_2)?
    // The left side is p(x_1) p(x_2), a function of (x_1, x_2) only; the
    // right side still depends on x_0, and equals the left at neither value.
    let left = Table::joint(&net, &[0, 1, 2]).unwrap().sum_out(0).unwrap();
    assert_eq!(
        left.get(&[0, 0]).unwrap(),
        r(11, 20).checked_mul(r(1, 3)).unwrap()
    );
    // The numbers the erratum quotes (math x_2 is code node 1): the true
    // p(x_2 = 0) = 1/2 * 9/10 + 1/2 * 1/5 = 11/20, summed from the table
    // left after the sum, against p(x_2 = 0 | x_1) = 9/10 and 1/5.
    let p_x2_0 = left
        .get(&[0, 0])
        .unwrap()
        .checked_add(left.get(&[0, 1]).unwrap())
        .unwrap();
    let given = [net.table(1).unwrap()[(0, 0)], net.table(1).unwrap()[(1, 0)]];
    let quoted = [
        (p_x2_0, r(11, 20)),
        (given[0], r(9, 10)),
        (given[1], r(1, 5)),
    ];
    let misses = quoted.iter().filter(|(got, want)| got != want).count();
    assert_eq!(misses, 0);
    assert!(given.iter().all(|&g| g != p_x2_0));
    let mut wrong_for_every_x0 = true;
    for x0 in 0..2 {
        let right = |x1: usize, x2: usize| {
            net.table(1).unwrap()[(x0, x1)]
                .checked_mul(net.table(2).unwrap()[(0, x2)])
                .unwrap()
        };
        let equal_everywhere =
            (0..2).all(|x1| (0..2).all(|x2| left.get(&[x1, x2]).unwrap() == right(x1, x2)));
        wrong_for_every_x0 &= !equal_everywhere;
    }
    assert!(wrong_for_every_x0);
    // The union condition is what the order guarantees: the first node of the
    // computed order is in no parent set.
    let order = parents_after_order(&parents).unwrap();
    assert!(union_condition(&parents, order[0]));
    verified_dl::verify!(
        "erratum.bayes-intersection",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        quoted.len()
    );
    verified_dl::record!("erratum.bayes-intersection.p-x2", p_x2_0.to_f64());
    verified_dl::record!("erratum.bayes-intersection.given-0", given[0].to_f64());
    verified_dl::record!("erratum.bayes-intersection.given-1", given[1].to_f64());
}

/// Fails if the row sums c(x_1) of the weight g are not exactly 1/2 and 3/2, the
/// nested sum Σ p(x_1) c(x_1) is not 5/4 or equals c(x_1) Σ p(x_1) at some x_1, or
/// with a normalized table in place of g nesting and separating do not both give 1.
#[test]
fn erratum_bayes_separated_integrals() {
    // x_1 -> x_0 (code indices). Replace p(x_0 | x_1) by a weight g(x_0, x_1)
    // whose rows sum to c(x_1) = 1/2 and 3/2: the nested sum is
    // sum_{x_1} p(x_1) c(x_1), while the source's separated product
    // (sum_{x_0} g) * (sum_{x_1} p(x_1)) has no single value: it is c(x_1).
    let g = [[r(1, 4), r(1, 4)], [r(1, 2), r(1, 1)]];
    let p1 = [r(1, 4), r(3, 4)];
    let c = |x1: usize| g[x1][0].checked_add(g[x1][1]).unwrap();
    let nested = (0..2)
        .map(|x1| p1[x1].checked_mul(c(x1)).unwrap())
        .try_fold(Rational::ZERO, |s, t| s.checked_add(t))
        .unwrap();
    assert_eq!(nested, r(5, 4));
    let rest_total = p1[0].checked_add(p1[1]).unwrap();
    for x1 in 0..2 {
        let separated = c(x1).checked_mul(rest_total).unwrap();
        assert_ne!(separated, nested, "at x_1 = {x1}");
    }
    let quoted = [(nested, r(5, 4)), (c(0), r(1, 2)), (c(1), r(3, 2))];
    let misses = quoted.iter().filter(|(got, want)| got != want).count();
    assert_eq!(misses, 0);
    // Under the problem's hypothesis the source's equation is true: with a
    // normalized table in place of g, c(x_1) = 1 for every x_1, and the
    // nested sum equals the separated product at every value of x_1.
    let normalized = [[r(1, 4), r(3, 4)], [r(2, 5), r(3, 5)]];
    let c_norm = |x1: usize| normalized[x1][0].checked_add(normalized[x1][1]).unwrap();
    let nested_norm = (0..2)
        .map(|x1| p1[x1].checked_mul(c_norm(x1)).unwrap())
        .try_fold(Rational::ZERO, |s, t| s.checked_add(t))
        .unwrap();
    for x1 in 0..2 {
        assert_eq!(c_norm(x1).checked_mul(rest_total).unwrap(), nested_norm);
    }
    assert_eq!(nested_norm, Rational::ONE);
    // With a normalized table, c(x_1) = 1 for every x_1 and nesting and
    // separating agree: that, not the form of the integrals, is why the step holds.
    let net = example::sprinkler().unwrap();
    for k in 0..net.len() {
        for row in net.table(k).unwrap().rows() {
            assert_eq!(
                row.iter()
                    .try_fold(Rational::ZERO, |s, &t| s.checked_add(t))
                    .unwrap(),
                Rational::ONE
            );
        }
    }
    verified_dl::verify!(
        "erratum.bayes-separated-integrals",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        quoted.len()
    );
    verified_dl::record!("erratum.bayes-separated-integrals.nested", nested.to_f64());
    verified_dl::record!("erratum.bayes-separated-integrals.c-0", c(0).to_f64());
    verified_dl::record!("erratum.bayes-separated-integrals.c-1", c(1).to_f64());
}

/// Fails if, summing the sprinkler network's 4 variables out in the proof's
/// order, a table left after fewer than 4 sums has every entry 1, the table after
/// 3 sums is not cloudy's prior (1/2, 1/2) exactly, or the one after all 4 is not [1].
#[test]
fn erratum_bayes_integration_variables() {
    // Read literally, dx_1 ... dx_k integrates only the first k variables of
    // the order. For every k < K that leaves a function of the others (their
    // marginal), not the number 1; only k = K gives 1.
    let net = example::sprinkler().unwrap();
    let names: Vec<usize> = (0..net.len()).collect();
    let mut remaining = Table::joint(&net, &names).unwrap();
    let steps = proof_steps(&net).unwrap();
    let mut not_one = 0usize;
    let mut last = Vec::new();
    for (j, step) in steps.iter().enumerate() {
        not_one += usize::from(remaining.values().iter().any(|&v| v != Rational::ONE));
        if j == net.len() - 1 {
            last = remaining.values().to_vec();
        }
        remaining = remaining.sum_out(step.summed).unwrap();
    }
    assert_eq!(remaining.values(), &[Rational::ONE]);
    // Every j < K = 4 leaves a table with an entry other than 1.
    assert_eq!(not_one, net.len());
    // After K - 1 sums what is left is p(x_{I_K}), the prior of "cloudy":
    // (1/2, 1/2), the table of node 3.
    assert_eq!(last, vec![r(1, 2), r(1, 2)]);
    assert_eq!(steps.last().unwrap().summed, 3);
    verified_dl::verify!(
        "erratum.bayes-integration-variables",
        Method::ExactArithmetic,
        0.0,
        (net.len() - not_one) as f64,
        net.len()
    );
    verified_dl::record!(
        "erratum.bayes-integration-variables.not-one",
        not_one as f64
    );
    verified_dl::record!(
        "erratum.bayes-integration-variables.last-0",
        last[0].to_f64()
    );
    verified_dl::record!(
        "erratum.bayes-integration-variables.last-1",
        last[1].to_f64()
    );
}

/// The "factorization" p(a | b) p(b | a) of a two-node cycle, with
/// p(a = b | b) = p(b = a | a) = theta: its sum over (a, b).
fn cyclic_total(theta: Rational) -> Rational {
    let not = Rational::ONE
        .checked_add(Rational::int(-1).checked_mul(theta).unwrap())
        .unwrap();
    let p = |x: usize, given: usize| if x == given { theta } else { not };
    let mut total = Rational::ZERO;
    for a in 0..2 {
        for b in 0..2 {
            total = total
                .checked_add(p(a, b).checked_mul(p(b, a)).unwrap())
                .unwrap();
        }
    }
    total
}

/// Fails if the sum of p(a | b) p(b | a) over the two-node cycle is not exactly
/// 1 + (2θ − 1)² at θ = i/20 (i = 0 to 20), is 1 anywhere but θ = 1/2, or the
/// network type accepts the cycle: leaving a configuration out or taking
/// p(a ≠ b | b) to be θ or 1/2 (mutants.rs) is caught.
#[test]
fn cyclic_factorization_does_not_sum_to_one() {
    // The values the text quotes: Z(9/10) = 1 + (4/5)^2 = 41/25, Z(0) = 2.
    assert_eq!(cyclic_total(r(9, 10)), r(41, 25));
    assert_eq!(cyclic_total(r(0, 1)), r(2, 1));
    verified_dl::record!(
        "bayesnet.cycle.z-nine-tenths",
        cyclic_total(r(9, 10)).to_f64()
    );
    verified_dl::record!("bayesnet.cycle.z-zero", cyclic_total(r(0, 1)).to_f64());
    // Z(theta) = 1 + (2 theta - 1)^2, exactly, on a grid of theta; 1 only at 1/2.
    let mut misses = 0;
    let mut ones = 0usize;
    let mut values = 0usize;
    for i in 0..=20 {
        let theta = r(i, 20);
        let d = r(2 * i - 20, 20);
        let formula = Rational::ONE
            .checked_add(d.checked_mul(d).unwrap())
            .unwrap();
        misses += usize::from(cyclic_total(theta) != formula);
        assert_eq!(cyclic_total(theta) == Rational::ONE, i == 10);
        ones += usize::from(cyclic_total(theta) == Rational::ONE);
        values += 1;
    }
    assert_eq!(ones, 1);
    // The network type refuses the cycle and names its nodes.
    let t = arr2(&[[r(9, 10), r(1, 10)], [r(1, 10), r(9, 10)]]);
    let err = BayesNet::new(vec![2, 2], vec![vec![1], vec![0]], vec![t.clone(), t]).unwrap_err();
    assert_eq!(err, Error::Cycle { nodes: vec![0, 1] });
    verified_dl::verify!(
        "bayes.cycle",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        values
    );
}

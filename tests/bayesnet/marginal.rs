//! The marginal of one node, against brute force and, for the sprinkler
//! network, against fractions worked out by hand.

use verified_dl::bayesnet::joint::configurations;
use verified_dl::bayesnet::random::{random_network, random_rational_network, Shape};
use verified_dl::bayesnet::{example, BayesNet, Prob, Rational};
use verified_dl::check::{rel_err, seeded, EXACT_TOL};

/// `p(x_k)` by brute force: the joint at every configuration, added up by
/// the value of `x_k` (an independent computation: no order, no factors).
fn brute_force<T: Prob>(net: &BayesNet<T>, k: usize) -> Vec<T> {
    let mut sums = vec![T::zero(); net.arity()[k]];
    for x in configurations(net.arity()).unwrap() {
        let p = net.joint(&x).unwrap();
        sums[x[k]] = sums[x[k]].add(p).unwrap();
    }
    sums
}

#[test]
fn marginals_of_the_sprinkler_network_are_the_hand_computed_fractions() {
    // By hand: p(cloudy) = 1/2; p(sprinkler) = 1/2 * 1/2 + 1/2 * 1/10 = 3/10;
    // p(rain) = 1/2 * 1/5 + 1/2 * 4/5 = 1/2; p(wet) = (549/1000 + 7452/10000) / 2
    // = 6471/10000 (given cloudy 0 and 1, summed over sprinkler and rain).
    let net = example::sprinkler().unwrap();
    let r = |n, d| Rational::new(n, d).unwrap();
    let expected = [
        [r(3529, 10000), r(6471, 10000)],
        [r(7, 10), r(3, 10)],
        [r(1, 2), r(1, 2)],
        [r(1, 2), r(1, 2)],
    ];
    for (k, want) in expected.iter().enumerate() {
        assert_eq!(net.marginal(k).unwrap(), want.to_vec(), "node {k}");
        assert_eq!(brute_force(&net, k), want.to_vec(), "node {k}");
    }
    // The check can fail: a network with one entry changed has another marginal.
    let other = BayesNet::new(
        vec![2],
        vec![vec![]],
        vec![ndarray::arr2(&[[r(2, 5), r(3, 5)]])],
    )
    .unwrap();
    assert_ne!(other.marginal(0).unwrap(), vec![r(1, 2), r(1, 2)]);
}

#[test]
fn marginals_agree_with_brute_force_on_random_networks() {
    let shape = Shape::new(8, 2, 4, 3, 1 << 12).unwrap();
    let mut rng = seeded(60);
    let (mut worst, mut cases) = (0.0f64, 0usize);
    let mut roots = 0usize;
    const NETWORKS: usize = 200;
    const RATIONAL_NETWORKS: usize = 50;
    for _ in 0..NETWORKS {
        let net = random_network(&mut rng, shape).unwrap();
        for k in 0..net.len() {
            let m = net.marginal(k).unwrap();
            if net.parents(k).unwrap().is_empty() {
                roots += 1;
            }
            for (a, b) in m.iter().zip(brute_force(&net, k)) {
                worst = worst.max(rel_err(*a, b));
            }
            cases += 1;
        }
    }
    assert!(worst <= EXACT_TOL, "worst {worst:e} over {cases} marginals");
    // Exactly, in rationals.
    let mut rng = seeded(61);
    let mut exact = 0usize;
    for _ in 0..RATIONAL_NETWORKS {
        let net = random_rational_network(&mut rng, Shape::new(6, 2, 3, 3, 1 << 10).unwrap(), 12)
            .unwrap();
        for k in 0..net.len() {
            assert_eq!(net.marginal(k).unwrap(), brute_force(&net, k), "node {k}");
            exact += 1;
        }
    }
    verified_dl::record!("bayesnet.marginal.networks", NETWORKS as f64);
    // Roots (the marginal is the table) and nodes with ancestors to eliminate.
    crate::strata::assert_quarter("marginal", "root", roots, cases);
    crate::strata::assert_quarter("marginal", "with-ancestors", cases - roots, cases);
    verified_dl::record!("bayesnet.marginal.worst", worst);
    verified_dl::record!("bayesnet.marginal.nodes", cases as f64);
    verified_dl::record!(
        "bayesnet.marginal.rational-networks",
        RATIONAL_NETWORKS as f64
    );
    verified_dl::record!("bayesnet.marginal.rational-nodes", exact as f64);
}

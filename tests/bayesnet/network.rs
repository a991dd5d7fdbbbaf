//! Checks of the chapter *Why a directed graphical model is normalized*:
//! the order, the proof's steps, the total by three methods, sampling.

use verified_dl::bayesnet::joint::configurations;
use verified_dl::bayesnet::random::{random_dag, random_network, random_rational_network, Shape};
use verified_dl::bayesnet::sampling::AncestralSampler;
use verified_dl::bayesnet::{
    example, is_parents_after, parents_after_order, proof_steps, total_by_enumeration,
    total_by_steps, BayesNet, Prob, Rational, Table,
};
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, seeded, EXACT_TOL};
use verified_dl::Error;

use crate::strata;

/// The random networks of the proof's checks: up to 12 nodes, arities 2 to 4,
/// at most 3 parents and 2^16 joint configurations a network.
fn shape() -> Shape {
    Shape::new(12, 2, 4, 3, 1 << 16).unwrap()
}
/// How many random networks the proof's steps are checked on.
const NETWORKS: usize = 1000;

/// The worst relative error between a table and the joint of a network on the same variables.
fn worst_against_joint<T: Prob>(table: &Table<T>, net: &BayesNet<T>, names: &[usize]) -> f64 {
    assert_eq!(
        table.vars(),
        names,
        "the table and the network are on different variables"
    );
    let joint = Table::joint(net, names).expect("the sub-network's joint");
    table
        .values()
        .iter()
        .zip(joint.values())
        .map(|(a, b)| rel_err(a.to_f64(), b.to_f64()))
        .fold(0.0, f64::max)
}

/// Fails if, on any of 2000 seeded random DAGs of 1 to 30 nodes, the order puts a
/// parent before its child (by is_parents_after), starts with some node's parent or
/// ends with a node that has parents: 0 failures allowed. The reversed order, the
/// numbering, and counting parents for children (all in mutants.rs) are caught.
#[test]
fn order_puts_parents_after_on_random_dags() {
    let mut rng = seeded(20);
    let mut failures = 0usize;
    let mut cases = 0usize;
    let mut longest_walk_minus_bound = i64::MIN;
    let (mut multi_parent, mut several_childless) = (0usize, 0usize);
    for trial in 0..2000 {
        let n = 1 + trial % 30;
        let parents = random_dag(&mut rng, n, 0.3, n).unwrap();
        let order = parents_after_order(&parents).expect("a DAG has the order");
        failures += usize::from(!is_parents_after(&parents, &order).unwrap());
        // The first node of the order is childless, the last has no parents.
        failures += usize::from(parents.iter().any(|pa| pa.contains(&order[0])));
        failures += usize::from(!parents[order[n - 1]].is_empty());
        // The existence proof's walk: from every node, step to a child until
        // a childless node is reached. Without a cycle no node repeats, so it
        // takes at most n - 1 steps.
        let mut children = vec![Vec::new(); n];
        for (k, pa) in parents.iter().enumerate() {
            for &j in pa {
                children[j].push(k);
            }
        }
        multi_parent += usize::from(parents.iter().any(|pa| pa.len() >= 2));
        several_childless += usize::from(children.iter().filter(|c| c.is_empty()).count() >= 2);
        for start in 0..n {
            let steps = walk_to_childless(&children, start);
            assert!(steps < n, "trial {trial}: {steps} steps on {n} nodes");
            longest_walk_minus_bound = longest_walk_minus_bound.max(steps as i64 - (n as i64 - 1));
        }
        cases += 1;
    }
    // The bound n - 1 is reached, so it cannot be lowered: on a chain of 30
    // nodes the walk from the root visits all 30 in 29 steps.
    let chain30: Vec<Vec<usize>> = (0..30)
        .map(|k| if k < 29 { vec![k + 1] } else { vec![] })
        .collect();
    let mut chain_children = vec![Vec::new(); 30];
    for (k, pa) in chain30.iter().enumerate() {
        for &j in pa {
            chain_children[j].push(k);
        }
    }
    let chain_steps = walk_to_childless(&chain_children, 29);
    assert_eq!(chain_steps, 29);
    assert_eq!(
        longest_walk_minus_bound, 0,
        "some walk should take exactly n - 1 steps"
    );
    // The property fails for a wrong order: reversing a nontrivial one breaks it.
    let chain = vec![vec![1], vec![2], vec![]];
    let mut order = parents_after_order(&chain).unwrap();
    assert_eq!(order, vec![0, 1, 2]);
    order.reverse();
    assert!(!is_parents_after(&chain, &order).unwrap());
    verified_dl::verify!("bayes.order", Method::Property, 0.0, failures as f64, cases);
    verified_dl::record!("bayesnet.order.dags", cases as f64);
    verified_dl::record!("bayesnet.order.failures", failures as f64);
    verified_dl::record!("bayesnet.order.chain-walk", chain_steps as f64);
    strata::assert_quarter("order", "multi-parent", multi_parent, cases);
    strata::assert_quarter("order", "several-childless", several_childless, cases);
}

/// The number of steps of the walk from `start` that goes to the first child
/// until it reaches a childless node (the walk of the existence proof).
fn walk_to_childless(children: &[Vec<usize>], start: usize) -> usize {
    let (mut node, mut steps) = (start, 0);
    while let Some(&child) = children[node].first() {
        node = child;
        steps += 1;
        assert!(steps <= children.len(), "the walk repeats a node: a cycle");
    }
    steps
}

/// Fails if a DAG with an edge added to close a 2-cycle or a longer cycle (1000
/// seeded graphs) gets an order, or an error whose nodes are not a cycle with each
/// node a parent of the next: 0 failures allowed. A cycle of 3 or more listed
/// against its edges is caught, as is anything but 0 → 2 → 1 for a fixed graph.
#[test]
fn cycles_are_found_and_named() {
    // Adding an edge against the hidden order of a DAG closes a cycle; the
    // error must list nodes that really form a directed cycle.
    let mut rng = seeded(21);
    let mut failures = 0usize;
    let mut cases = 0usize;
    let (mut two_cycles, mut long_cycles) = (0usize, 0usize);
    for trial in 0..1000 {
        let n = 2 + trial % 20;
        let mut parents = random_dag(&mut rng, n, 0.4, n).unwrap();
        let order = parents_after_order(&parents).unwrap();
        // order[i] has parents among later nodes. Odd trials: walk from the
        // root order[n - 1] along children to a childless node and close the
        // path with an edge back to the root, a cycle of 3 or more nodes
        // when the path has 2 or more edges. Otherwise, a 2-cycle: make a
        // late node a child of an early one and the early one its child.
        let root = order[n - 1];
        let mut path = vec![root];
        while let Some(child) = (0..n).find(|&k| parents[k].contains(path.last().unwrap())) {
            path.push(child);
        }
        if trial % 2 == 1 && path.len() >= 3 {
            parents[root].push(*path.last().unwrap());
        } else {
            let early = order[0];
            parents[root].push(early);
            if !parents[early].contains(&root) {
                parents[early].push(root);
            }
        }
        match parents_after_order(&parents) {
            Err(Error::Cycle { nodes }) => {
                let closes = (0..nodes.len()).all(|i| {
                    let (from, to) = (nodes[i], nodes[(i + 1) % nodes.len()]);
                    parents[to].contains(&from)
                });
                failures += usize::from(!closes || nodes.is_empty());
                if nodes.len() >= 3 {
                    long_cycles += 1;
                } else {
                    two_cycles += 1;
                }
            }
            _ => failures += 1,
        }
        cases += 1;
    }
    let err = parents_after_order(&[vec![1], vec![2], vec![0], vec![]]).unwrap_err();
    assert_eq!(
        err,
        Error::Cycle {
            nodes: vec![0, 2, 1]
        }
    );
    assert_eq!(
        err.to_string(),
        "the graph has a directed cycle through nodes 0 -> 2 -> 1"
    );
    verified_dl::verify!("bayes.order", Method::Property, 0.0, failures as f64, cases);
    verified_dl::record!("bayesnet.cycles.graphs", cases as f64);
    verified_dl::record!("bayesnet.cycles.failures", failures as f64);
    strata::assert_quarter("cycles", "two-nodes", two_cycles, cases);
    strata::assert_quarter("cycles", "three-or-more", long_cycles, cases);
}

/// Fails if, after any step on 1000 random networks (up to 2^16 configurations),
/// the joint with the summed nodes summed out differs from the product of the
/// remaining tables by more than `EXACT_TOL` relatively, or the final total from 1:
/// summing the next axis, leaving a value out or a wrong stride (mutants.rs) do.
#[test]
fn proof_steps_leave_the_smaller_factorization() {
    let mut rng = seeded(22);
    let (mut worst_step, mut worst_total) = (0.0f64, 0.0f64);
    let (mut steps_checked, mut entries) = (0usize, 0usize);
    let mut largest = 0usize;
    let cases = strata::proof_cases();
    let nets = strata::stratified(&mut rng, NETWORKS, &cases, |r| {
        random_network(r, shape()).unwrap()
    });
    strata::coverage("proof", &nets, &cases);
    for net in &nets {
        let names: Vec<usize> = (0..net.len()).collect();
        let mut remaining = Table::joint(net, &names).unwrap();
        largest = largest.max(remaining.values().len());
        for step in proof_steps(net).unwrap() {
            // Step j: sum the next node of the order out of what remains ...
            remaining = remaining.sum_out(step.summed).unwrap();
            // ... and it is the factorization of the network on the other nodes.
            worst_step = worst_step.max(worst_against_joint(&remaining, &step.rest, &step.names));
            steps_checked += 1;
            entries += remaining.values().len();
        }
        // After K steps nothing remains but the total, the empty network's 1.
        assert!(remaining.vars().is_empty());
        worst_total = worst_total.max(rel_err(remaining.get(&[]).unwrap(), 1.0));
    }
    assert_eq!(
        largest,
        1 << 16,
        "the networks should include the largest allowed"
    );
    println!(
        "{steps_checked} steps, {entries} entries, worst {worst_step:e}, total {worst_total:e}"
    );
    verified_dl::verify!(
        "bayes.sum-out",
        Method::FloatingPoint,
        EXACT_TOL,
        worst_step,
        entries
    );
    verified_dl::verify!(
        "bayes.induction",
        Method::FloatingPoint,
        EXACT_TOL,
        worst_step,
        steps_checked
    );
    verified_dl::verify!(
        "bayes.total",
        Method::FloatingPoint,
        EXACT_TOL,
        worst_total,
        NETWORKS
    );
    verified_dl::record!("bayesnet.proof.networks", NETWORKS as f64);
    verified_dl::record!("bayesnet.proof.steps", steps_checked as f64);
    verified_dl::record!("bayesnet.proof.entries", entries as f64);
    verified_dl::record!("bayesnet.proof.worst-step", worst_step);
    verified_dl::record!("bayesnet.proof.worst-total", worst_total);
}

/// Fails if the sum of the joint over every configuration of any of 1000 random
/// networks is more than `EXACT_TOL` (relative) from 1: a missing factor makes it
/// that node's arity, a squared one puts it below 1 (mutants.rs). A wrong row
/// index keeps the total 1; rows_are_row_major_over_the_parents_as_listed
/// catches that.
#[test]
fn total_by_enumeration_is_one() {
    let mut rng = seeded(23);
    let mut worst = 0.0f64;
    let cases = strata::proof_cases();
    let nets = strata::stratified(&mut rng, NETWORKS, &cases, |r| {
        random_network(r, shape()).unwrap()
    });
    strata::coverage("enumeration", &nets, &cases);
    for net in &nets {
        worst = worst.max(rel_err(total_by_enumeration(net).unwrap(), 1.0));
    }
    verified_dl::verify!(
        "bayes.total",
        Method::Exhaustive,
        EXACT_TOL,
        worst,
        NETWORKS
    );
    verified_dl::record!("bayesnet.enumeration.networks", NETWORKS as f64);
    verified_dl::record!("bayesnet.enumeration.worst", worst);
}

/// `lcm(1, ..., n)` by repeated gcd, in `u128`.
fn lcm_up_to(n: u128) -> u128 {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    (1..=n).fold(1, |l, k| l / gcd(l, k) * k)
}

#[test]
fn denominator_bound_of_the_exact_check() {
    // Every denominator of the exact check divides lcm(1..12)^8 (at most 8
    // nodes, row denominators up to 12): computed exactly in u128, it is
    // 27720^8, between 2^118 and 2^119, so below the 2^127 of i128.
    let lcm = lcm_up_to(12);
    assert_eq!(lcm, 27720);
    let bound = lcm.checked_pow(8).expect("27720^8 fits in u128");
    assert!(
        bound >= 1u128 << 118,
        "27720^8 = {bound} is not below 2^118"
    );
    assert!(bound < 1u128 << 119);
    assert!(bound < i128::MAX as u128);
    let log2 = (bound as f64).log2();
    assert!((118.0..119.0).contains(&log2));
    verified_dl::record!("bayesnet.exact.lcm", lcm as f64);
    verified_dl::record!("bayesnet.exact.log2-bound", log2);
}

/// Fails if, for any of 300 random networks with rational tables (up to 8 nodes,
/// denominators up to 12), the total by enumeration or by the proof's steps is not
/// exactly 1, or a remaining table is not exactly the smaller network's joint: 0
/// misses allowed, so any error in a sum or a factor counts, however small.
#[test]
fn total_is_exactly_one_in_rationals() {
    // Smaller networks: every one of the (up to 4^8) terms is a rational sum.
    let shape = Shape::new(8, 2, 4, 3, 1 << 16).unwrap();
    let mut rng = seeded(24);
    let mut misses = 0usize;
    let mut steps_checked = 0usize;
    let cases = 300;
    let strata_cases = strata::proof_cases();
    let nets = strata::stratified(&mut rng, cases, &strata_cases, |r| {
        random_rational_network(r, shape, 12).unwrap()
    });
    strata::coverage("exact", &nets, &strata_cases);
    for net in &nets {
        misses += usize::from(total_by_enumeration(net).unwrap() != Rational::ONE);
        misses += usize::from(total_by_steps(net).unwrap() != Rational::ONE);
        // Every step of the proof, exactly: the remaining sum *is* the smaller joint.
        let names: Vec<usize> = (0..net.len()).collect();
        let mut remaining = Table::joint(net, &names).unwrap();
        for step in proof_steps(net).unwrap() {
            remaining = remaining.sum_out(step.summed).unwrap();
            misses += usize::from(remaining != Table::joint(&step.rest, &step.names).unwrap());
            steps_checked += 1;
        }
    }
    // The running example, exactly.
    let sprinkler = example::sprinkler().unwrap();
    assert_eq!(total_by_enumeration(&sprinkler).unwrap(), Rational::ONE);
    // A table that is off by 1/100 gives a total that is off: the check can fail.
    let off = BayesNet::new(
        vec![2],
        vec![vec![]],
        vec![ndarray::arr2(&[[
            Rational::new(1, 2).unwrap(),
            Rational::new(51, 100).unwrap(),
        ]])],
    );
    assert!(matches!(off, Err(Error::NotNormalized { .. })));
    verified_dl::verify!(
        "bayes.total",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        2 * cases + 1
    );
    verified_dl::verify!(
        "bayes.sum-out",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        steps_checked
    );
    verified_dl::verify!(
        "bayes.induction",
        Method::ExactArithmetic,
        0.0,
        misses as f64,
        steps_checked
    );
    verified_dl::record!("bayesnet.exact.networks", cases as f64);
    verified_dl::record!("bayesnet.exact.totals", (2 * cases + 1) as f64);
    verified_dl::record!("bayesnet.exact.steps", steps_checked as f64);
    verified_dl::record!("bayesnet.exact.misses", misses as f64);
}

#[test]
fn summing_out_a_root_first_does_not_give_a_factorization() {
    // The direction of the order matters: in the sprinkler network, summing
    // out the root "cloudy" (node 3) first leaves tables of nodes 1 and 2
    // conditioned on a variable that is gone, and the remaining sum is not
    // the product of the other tables at any fixed value of node 3.
    let net = example::sprinkler().unwrap();
    assert!(net.without(3).is_err());
    let joint = Table::joint(&net, &[0, 1, 2, 3]).unwrap();
    let remaining = joint.sum_out(3).unwrap();
    let mut differs = 0usize;
    for c in 0..2 {
        let mut fixed = false;
        for x in configurations(&[2, 2, 2]).unwrap() {
            let full = [x[0], x[1], x[2], c];
            let rest = [0, 1, 2]
                .iter()
                .map(|&k| net.table(k).unwrap()[(net.row(k, &full).unwrap(), full[k])])
                .try_fold(Rational::ONE, |p, q| p.checked_mul(q))
                .unwrap();
            fixed |= remaining.get(&x).unwrap() != rest;
        }
        differs += usize::from(fixed);
    }
    assert_eq!(
        differs, 2,
        "the remaining sum should differ from the rest at both values of node 3"
    );
}

/// Fails if, for any childless node of 300 random networks, the joint with that
/// node summed out differs from the joint of the network without it by more than
/// `EXACT_TOL` relatively, or removing a node with children is not an error naming
/// them. Parent indices not moved down after the removal would break it.
#[test]
fn childless_marginal_is_the_network_without_it() {
    let mut rng = seeded(25);
    let mut worst = 0.0f64;
    let mut cases = 0usize;
    const CHILDLESS_NETWORKS: usize = 300;
    let (mut isolated, mut with_parents) = (0usize, 0usize);
    for trial in 0..CHILDLESS_NETWORKS {
        let net = random_network(&mut rng, Shape::new(8, 2, 4, 3, 1 << 16).unwrap()).unwrap();
        let names: Vec<usize> = (0..net.len()).collect();
        let joint = Table::joint(&net, &names).unwrap();
        // Every childless node, not only the first one of the order.
        for k in (0..net.len()).filter(|&k| net.children(k).unwrap().is_empty()) {
            if net.parents(k).unwrap().is_empty() {
                isolated += 1;
            } else {
                with_parents += 1;
            }
            let rest: Vec<usize> = names.iter().copied().filter(|&j| j != k).collect();
            worst = worst.max(worst_against_joint(
                &joint.sum_out(k).unwrap(),
                &net.without(k).unwrap(),
                &rest,
            ));
            cases += 1;
        }
        // A node with children cannot be removed alone: the error names them.
        if let Some(k) = (0..net.len()).find(|&k| !net.children(k).unwrap().is_empty()) {
            let msg = net.without(k).unwrap_err().to_string();
            assert!(
                msg.contains(&format!("node {k} has children")),
                "trial {trial}: {msg}"
            );
        }
    }
    verified_dl::verify!(
        "bayes.childless",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        cases
    );
    verified_dl::record!("bayesnet.childless.networks", CHILDLESS_NETWORKS as f64);
    // The two kinds of childless node: one with parents (its table is a
    // conditional) and an isolated one (its table is a prior).
    strata::assert_quarter("childless", "with-parents", with_parents, cases);
    strata::assert_quarter("childless", "isolated", isolated, cases);
}

/// Sampling tolerance: under correct sampling the count of a configuration of
/// probability p in N draws has mean N p and standard deviation sqrt(N p (1-p)),
/// so its z-score is close to a standard normal. |z| > 5 has probability
/// 5.7e-7 each; over the 237 cells checked here, about 1.4e-4 in all.
pub(crate) const SAMPLING_Z: f64 = 5.0;

fn worst_z<T: Prob>(net: &BayesNet<T>, draws: usize, seed: u64) -> (f64, usize) {
    let sampler = AncestralSampler::new(net).unwrap();
    let mut rng = seeded(seed);
    worst_z_with(net, draws, |_| sampler.draw(&mut rng))
}

/// The worst |z| over the configurations of `net` in `draws` samples made by
/// `draw` (an impossible configuration drawn is an infinite z), and how many
/// configurations there are.
pub(crate) fn worst_z_with<T: Prob>(
    net: &BayesNet<T>,
    draws: usize,
    mut draw: impl FnMut(usize) -> Vec<usize>,
) -> (f64, usize) {
    let names: Vec<usize> = (0..net.len()).collect();
    let joint = Table::joint(net, &names).unwrap();
    let mut counts = vec![0usize; joint.values().len()];
    for i in 0..draws {
        let x = draw(i);
        let index = x.iter().zip(net.arity()).fold(0, |i, (&v, &a)| i * a + v);
        counts[index] += 1;
    }
    let n = draws as f64;
    let mut worst = 0.0f64;
    for (&c, p) in counts.iter().zip(joint.values()) {
        let p = p.to_f64();
        if p == 0.0 {
            // Impossible configurations are never drawn.
            worst = worst.max(if c == 0 { 0.0 } else { f64::INFINITY });
        } else {
            worst = worst
                .max((c as f64 - n * p).abs() / (n * p * (1.0 - p)).sqrt().max(f64::MIN_POSITIVE));
        }
    }
    (worst, counts.len())
}

/// How many random networks the sampler is checked on, and the draws from each.
const SAMPLED_NETWORKS: usize = 20;
pub(crate) const SAMPLED_DRAWS: usize = 50_000;

/// The cases of the sampling check: a node with several parents (the row
/// index the sampler reads) and a configuration of probability 0 (which
/// must never be drawn).
pub(crate) fn sampling_cases() -> Vec<strata::Case<f64>> {
    vec![
        ("multi-parent", strata::multi_parent::<f64>),
        ("zero-entry", strata::zero_entry::<f64>),
    ]
}

/// The random networks of the sampling check (seed 27; up to 4 nodes,
/// arities 2 and 3), stratified by `sampling_cases`.
pub(crate) fn sampling_networks() -> Vec<BayesNet<f64>> {
    let cases = sampling_cases();
    let mut rng = seeded(27);
    strata::stratified(&mut rng, SAMPLED_NETWORKS, &cases, |r| {
        random_network(r, Shape::new(4, 2, 3, 3, 81).unwrap()).unwrap()
    })
}

/// Fails if any configuration's count among the draws (200,000 from the sprinkler
/// network, 50,000 from each of 20 random ones) is more than `SAMPLING_Z` = 5
/// standard deviations from N p, or a configuration of probability 0 is drawn.
/// Children drawn first, a transposed row index or a shifted inverse CDF are caught.
#[test]
fn ancestral_sampling_reproduces_the_joint() {
    let sprinkler = example::sprinkler().unwrap();
    let (mut worst, mut cells) = worst_z(&sprinkler, 200_000, 26);
    let nets = sampling_networks();
    strata::coverage("sampling", &nets, &sampling_cases());
    for (seed, net) in (100..).zip(&nets) {
        let (z, c) = worst_z(net, SAMPLED_DRAWS, seed);
        worst = worst.max(z);
        cells += c;
    }
    // The test can fail: sampling every node from its first row only (ignoring
    // the parents) does not reproduce the sprinkler network.
    let ignoring = BayesNet::new(
        vec![2, 2, 2, 2],
        vec![vec![], vec![], vec![], vec![]],
        (0..4)
            .map(|k| {
                sprinkler
                    .table(k)
                    .unwrap()
                    .slice(ndarray::s![0..1, ..])
                    .to_owned()
            })
            .collect(),
    )
    .unwrap();
    let joint = Table::joint(&sprinkler, &[0, 1, 2, 3]).unwrap();
    let sampler = AncestralSampler::new(&ignoring).unwrap();
    let mut rng = seeded(28);
    let mut counts = [0usize; 16];
    let draws = 200_000;
    for _ in 0..draws {
        let x = sampler.draw(&mut rng);
        counts[x.iter().fold(0, |i, &v| 2 * i + v)] += 1;
    }
    let wrong = counts
        .iter()
        .zip(joint.values())
        .map(|(&c, p)| {
            let p = p.to_f64();
            let sd = (draws as f64 * p * (1.0 - p)).sqrt();
            if p == 0.0 {
                if c > 0 {
                    f64::INFINITY
                } else {
                    0.0
                }
            } else {
                (c as f64 - draws as f64 * p).abs() / sd
            }
        })
        .fold(0.0, f64::max);
    assert!(
        wrong > SAMPLING_Z,
        "ignoring the parents should be detected, z = {wrong}"
    );
    println!("worst z-score {worst:.3} over {cells} cells");
    verified_dl::verify!("bayes.sampling", Method::Sampling, SAMPLING_Z, worst, cells);
    // The false-alarm rate of the tolerance: P(|Z| > 5) for a standard
    // normal, by Simpson's rule on the density over [5, 45], checked against
    // the Mills-ratio bounds phi(z)/z (1 - 1/z^2) < P(Z > z) < phi(z)/z.
    let phi = |x: f64| (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let (a, b, m) = (SAMPLING_Z, SAMPLING_Z + 40.0, 40_000usize);
    let h = (b - a) / m as f64;
    let upper: f64 = (0..=m)
        .map(|i| {
            let w = if i == 0 || i == m {
                1.0
            } else if i % 2 == 1 {
                4.0
            } else {
                2.0
            };
            w * phi(a + i as f64 * h)
        })
        .sum::<f64>()
        * h
        / 3.0;
    let z = SAMPLING_Z;
    assert!(upper > phi(z) / z * (1.0 - 1.0 / (z * z)) && upper < phi(z) / z);
    let cell = 2.0 * upper;
    let any = 1.0 - (1.0 - cell).powi(cells as i32);
    assert!(any <= cells as f64 * cell);
    verified_dl::record!("bayesnet.sampling.cell-false-alarm", cell);
    verified_dl::record!("bayesnet.sampling.any-false-alarm", any);
    verified_dl::record!("bayesnet.sampling.ignoring-parents-z", wrong);
    verified_dl::record!("bayesnet.sampling.networks", nets.len() as f64);
}

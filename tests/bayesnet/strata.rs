//! Stratified random networks: the cases the derivation is about, each
//! drawn for its share of the networks, counted, and recorded.

use verified_dl::bayesnet::{parents_after_order, BayesNet, Prob};
use verified_dl::check::SeededRng;

/// A named case of the derivation, as a property of a network.
pub(crate) type Case<T> = (&'static str, fn(&BayesNet<T>) -> bool);

/// Some node has two or more parents: its row is a mixed-radix number over
/// several parents, so their order matters.
pub(crate) fn multi_parent<T: Prob>(net: &BayesNet<T>) -> bool {
    net.parent_lists().iter().any(|pa| pa.len() >= 2)
}

/// The first node of the order has parents: the first sum is over a
/// conditional, normalized for every value of its parents, not a prior.
pub(crate) fn conditional_first<T: Prob>(net: &BayesNet<T>) -> bool {
    let order = parents_after_order(net.parent_lists()).unwrap();
    !net.parent_lists()[order[0]].is_empty()
}

/// Two or more childless nodes: the step may sum out any of them.
pub(crate) fn several_childless<T: Prob>(net: &BayesNet<T>) -> bool {
    (0..net.len())
        .filter(|&k| net.children(k).unwrap().is_empty())
        .count()
        >= 2
}

/// Some joint configuration has probability 0 (a table entry is 0).
pub(crate) fn zero_entry<T: Prob>(net: &BayesNet<T>) -> bool {
    (0..net.len()).any(|k| net.table(k).unwrap().iter().any(|p| p.to_f64() == 0.0))
}

/// The cases of the proof's checks.
pub(crate) fn proof_cases<T: Prob>() -> Vec<Case<T>> {
    vec![
        ("multi-parent", multi_parent::<T>),
        ("conditional-first", conditional_first::<T>),
        ("several-childless", several_childless::<T>),
    ]
}

/// The most networks drawn for one stratum before the generator gives up:
/// every case above holds for a fair share of the unstratified networks.
const TRIES: usize = 10_000;

/// `count` networks from `draw`; network `i` is drawn until it falls in
/// case `i mod cases.len()`, so each case has at least `count / cases.len()`
/// of them (rounded down).
pub(crate) fn stratified<T: Prob>(
    rng: &mut SeededRng,
    count: usize,
    cases: &[Case<T>],
    mut draw: impl FnMut(&mut SeededRng) -> BayesNet<T>,
) -> Vec<BayesNet<T>> {
    (0..count)
        .map(|i| {
            let (name, holds) = cases[i % cases.len()];
            (0..TRIES)
                .map(|_| draw(rng))
                .find(holds)
                .unwrap_or_else(|| panic!("no network of case {name} in {TRIES} draws"))
        })
        .collect()
}

/// Counts each case among `nets`, asserts that it holds for at least a
/// quarter of them, and records the count as `bayesnet.coverage.<test>.<case>`.
pub(crate) fn coverage<T: Prob>(test: &str, nets: &[BayesNet<T>], cases: &[Case<T>]) {
    for &(name, holds) in cases {
        let n = nets.iter().filter(|net| holds(net)).count();
        assert_quarter(test, name, n, nets.len());
    }
}

/// Asserts that `n` of `total` is at least a quarter, and records `n`.
pub(crate) fn assert_quarter(test: &str, case: &str, n: usize, total: usize) {
    assert!(
        4 * n >= total,
        "{test}: case {case} has {n} of {total}, under a quarter"
    );
    verified_dl::record!(&format!("bayesnet.coverage.{test}.{case}"), n as f64);
}

//! Checks of the exact MAP estimate: the Boykov-Kolmogorov max-flow against
//! brute force, the cut construction of Greig, Porteous and Seheult, the
//! MAP against exhaustive minimisation, and the reproduction of Bishop's figure 8.30.

use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{seeded, Rng, EXACT_TOL};
use verified_dl::ising::graphcut::{checkerboard, cut_graph, field};
use verified_dl::ising::grid::{configuration, random_quarter, random_spins};
use verified_dl::ising::image::{add_noise, test_image};
use verified_dl::ising::maxflow::Graph;
use verified_dl::ising::model::{energy, pairs, Params};
use verified_dl::ising::{icm, map_graph_cut};
use verified_dl::Error;

use crate::Misses;

/// Tolerance of the comparisons in this file: none. Capacities and
/// parameters are multiples of 1/4 of modest size, so every capacity,
/// residual, flow and energy is exact in f64 and the two sides agree to the bit.
const DYADIC_TOL: f64 = 0.0;

/// The capacities a test put into a graph, recorded by the test itself:
/// (source, sink) for every node, (i -> j, j -> i) for every edge in the order added.
#[derive(Default)]
struct Caps {
    terminal: Vec<(f64, f64)>,
    edges: Vec<(f64, f64)>,
}

/// A random graph on `n` nodes: each pair of nodes gets an edge with probability 0.4.
fn random_graph(rng: &mut Rng, n: usize) -> (Graph, Caps) {
    let mut g = Graph::new(n).unwrap();
    let mut caps = Caps::default();
    for i in 0..n {
        let (s, t) = (
            random_quarter(rng, 0, 20).unwrap(),
            random_quarter(rng, 0, 20).unwrap(),
        );
        let s = if rng.random_bool(0.3) { 0.0 } else { s };
        let t = if rng.random_bool(0.3) { 0.0 } else { t };
        g.add_terminal(i, s, t).unwrap();
        caps.terminal.push((s, t));
        for j in (i + 1)..n {
            if rng.random_bool(0.4) {
                let (a, b) = (
                    random_quarter(rng, 0, 16).unwrap(),
                    random_quarter(rng, 0, 16).unwrap(),
                );
                g.add_edge(i, j, a, b).unwrap();
                caps.edges.push((a, b));
            }
        }
    }
    (g, caps)
}

/// How far the flow of `g` is from a feasible flow of value `flow`: the
/// largest violation of a capacity (on any arc, terminal or not), of
/// conservation at a node, or of the value (flow out of s and into t),
/// relative to the total capacity so that round-off counts as small.
fn infeasibility(g: &Graph, caps: &Caps, flow: f64) -> f64 {
    let (arcs, terminal) = g.flows();
    assert_eq!(
        (arcs.len(), terminal.len()),
        (caps.edges.len(), caps.terminal.len())
    );
    let total: f64 = caps.terminal.iter().map(|&(s, t)| s + t).sum::<f64>()
        + caps.edges.iter().map(|&(a, b)| a + b).sum::<f64>();
    let scale = total.max(1.0);
    let over = |value: f64, lo: f64, hi: f64| (lo - value).max(value - hi).max(0.0);
    let mut worst = 0.0f64;
    let mut balance = vec![0.0; terminal.len()];
    for (i, (&(from_s, to_t), &(s, t))) in terminal.iter().zip(&caps.terminal).enumerate() {
        worst = worst.max(over(from_s, 0.0, s)).max(over(to_t, 0.0, t));
        balance[i] += from_s - to_t;
    }
    for (&(i, j, f), &(a, b)) in arcs.iter().zip(&caps.edges) {
        worst = worst.max(over(f, -b, a)); // f from i to j: at most a forward, at most b backward
        balance[i] -= f;
        balance[j] += f;
    }
    for b in balance {
        worst = worst.max(b.abs());
    }
    let out_of_s: f64 = terminal.iter().map(|t| t.0).sum();
    let into_t: f64 = terminal.iter().map(|t| t.1).sum();
    worst = worst
        .max((out_of_s - flow).abs())
        .max((into_t - flow).abs());
    worst / scale
}

/// Fails if, on 2000 random graphs of 1 to 10 nodes, `max_flow` differs at all (`DYADIC_TOL`) from
/// the least `cut_value` of all 2^n cuts or the cut of its source set, or the flows break a
/// capacity the test recorded, conservation or the value: an augmentation that stops early, or a
/// residual updated on the wrong arc of a pair, is caught.
#[test]
fn max_flow_equals_the_brute_force_minimum_cut() {
    let mut rng = seeded(4101);
    let (mut worst, mut cases) = (0.0f64, 0);
    for trial in 0..2000 {
        let n = 1 + trial % 10;
        let (mut g, caps) = random_graph(&mut rng, n);
        // the minimum over all 2^n cuts
        let mut best = f64::INFINITY;
        for mask in 0..(1usize << n) {
            let side: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
            best = best.min(g.cut_value(&side).unwrap());
        }
        let flow = g.max_flow();
        let side: Vec<bool> = (0..n).map(|i| g.in_source_set(i).unwrap()).collect();
        // the returned partition is a cut of capacity equal to the flow ...
        worst = worst.max((g.cut_value(&side).unwrap() - flow).abs());
        // ... and no cut is smaller
        worst = worst.max((flow - best).abs());
        // the flow is feasible, with the value reported: with the cut above, a certificate of optimality
        worst = worst.max(infeasibility(&g, &caps, flow));
        cases += 1;
    }
    verified_dl::verify!(
        "ising.maxflow",
        Method::Exhaustive,
        DYADIC_TOL,
        worst,
        cases
    );
    verified_dl::record!("ising.maxflow.brute-force-graphs", cases as f64);
    verified_dl::record!("ising.maxflow.brute-force-worst", worst);
}

/// On graphs far too large for brute force, max-flow/min-cut duality is the
/// check: a feasible flow whose value equals the capacity of a cut is a
/// maximum flow, and the cut a minimum cut (every flow is at most every cut).
///
/// Fails if, on the cut graphs of three noisy test images (200², 128², 96²), the cut of the
/// returned source set differs from the flow, or the flows break a capacity written out again,
/// conservation or the value, by more than `EXACT_TOL` relatively: a source set other than what the
/// residual graph reaches from s opens a gap.
#[test]
fn max_flow_is_certified_by_its_cut_on_large_images() {
    let (mut worst, mut cases) = (0.0f64, 0);
    for (side, (alpha, beta, eta), seed) in [
        (
            200,
            (0.0, 1.0, 2.1),
            verified_dl::ising::experiment::NOISE_SEED,
        ),
        (128, (0.3, 0.7, 1.1), 4108),
        (96, (-0.2, 1.9, 0.9), 4109),
    ] {
        let x = test_image(side, side).unwrap();
        let y = add_noise(x.view(), 0.1, &mut seeded(seed)).unwrap();
        let p = Params::new(alpha, beta, eta).unwrap();
        let c = field(y.view(), &p);
        let (mut g, _) = cut_graph(c.view(), p.beta()).unwrap();
        // the capacities of the construction, written out again
        let mut caps = Caps::default();
        for &ci in c.iter() {
            caps.terminal
                .push((2.0 * (-ci).max(0.0), 2.0 * ci.max(0.0)));
        }
        caps.edges = vec![(2.0 * beta, 2.0 * beta); pairs(side, side).unwrap().len()];
        let flow = g.max_flow();
        let side_of: Vec<bool> = (0..side * side)
            .map(|i| g.in_source_set(i).unwrap())
            .collect();
        let gap = (g.cut_value(&side_of).unwrap() - flow).abs() / flow.max(1.0);
        worst = worst.max(gap).max(infeasibility(&g, &caps, flow));
        cases += 1;
    }
    verified_dl::verify!(
        "ising.maxflow",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        cases
    );
    verified_dl::record!("ising.maxflow.large-worst", worst);
    verified_dl::record!("ising.maxflow.large-images", cases as f64);
}

#[test]
fn max_flow_rejects_bad_capacities_and_nodes() {
    let mut g = Graph::new(3).unwrap();
    assert!(matches!(
        g.add_terminal(3, 1.0, 0.0),
        Err(Error::BadSize { value: 3, .. })
    ));
    assert!(
        matches!(g.add_terminal(0, -1.0, 0.0), Err(Error::BadValue { value, .. }) if value == -1.0)
    );
    assert!(matches!(
        g.add_terminal(0, 0.0, f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        g.add_edge(0, 5, 1.0, 1.0),
        Err(Error::BadSize { value: 5, .. })
    ));
    assert!(matches!(
        g.add_edge(1, 1, 1.0, 1.0),
        Err(Error::BadSize { value: 1, .. })
    ));
    assert!(
        matches!(g.add_edge(0, 1, 1.0, -0.5), Err(Error::BadValue { value, .. }) if value == -0.5)
    );
    assert!(matches!(
        g.in_source_set(3),
        Err(Error::BadSize { value: 3, .. })
    ));
    assert!(matches!(
        g.cut_value(&[true]),
        Err(Error::ShapeMismatch { .. })
    ));
    // beta < 0 has no cut graph: its pair capacity 2 beta would be negative
    let c = Array2::<f64>::zeros((2, 2));
    let err = cut_graph(c.view(), -0.5).unwrap_err();
    assert!(
        matches!(&err, Error::BadValue { value, allowed, .. } if *value == -0.5 && allowed.contains("submodular")),
        "{err}"
    );
}

/// A cut construction: the graph of the field `c` and coupling `beta`, and
/// the constant K with E(x) = cut(x) + K.
pub(super) type Construction = fn(ArrayView2<f64>, f64) -> (Graph, f64);

/// The crate's construction (ising.cut), as a [`Construction`].
pub(super) fn crate_cut_graph(c: ArrayView2<f64>, beta: f64) -> (Graph, f64) {
    cut_graph(c, beta).unwrap()
}

/// The check of (ising.cut): for 60 random problems of shapes up to 4 x 4,
/// the cut of every configuration plus the constant against its energy.
/// Returns the worst difference, the configurations and the problems.
pub(super) fn check_cut(build: Construction) -> (f64, usize, usize) {
    let mut rng = seeded(4103);
    let (mut worst, mut cases, mut problems) = (0.0f64, 0, 0);
    for trial in 0..60 {
        problems += 1;
        let (rows, cols) = (1 + trial % 4, 1 + (trial / 4) % 4);
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            random_quarter(&mut rng, -8, 8).unwrap(),
            random_quarter(&mut rng, 0, 8).unwrap(),
            random_quarter(&mut rng, -8, 8).unwrap(),
        )
        .unwrap();
        let (g, k) = build(field(y.view(), &p).view(), p.beta());
        for n in 0..(1usize << (rows * cols)) {
            let x = configuration(rows, cols, n).unwrap();
            let side: Vec<bool> = x.iter().map(|&v| v == 1).collect();
            let e = energy(x.view(), y.view(), &p).unwrap();
            worst = worst.max((g.cut_value(&side).unwrap() + k - e).abs());
            cases += 1;
        }
    }
    (worst, cases, problems)
}

/// Fails if, for every configuration of 60 random problems up to 4 × 4 with β ≥ 0, the `cut_value`
/// of `cut_graph`'s graph plus its constant K differs at all (`DYADIC_TOL`) from `energy`: terminal
/// arcs swapped, a pair capacity β instead of 2β, or K without −β per pair (the mutants) all miss.
#[test]
fn every_cut_costs_the_energy_minus_a_constant() {
    let (worst, cases, problems) = check_cut(crate_cut_graph);
    verified_dl::verify!("ising.cut", Method::Exhaustive, DYADIC_TOL, worst, cases);
    verified_dl::record!("ising.cut.problems", problems as f64);
}

/// The pair term's table E_ij(a, b), a, b = +1 or -1, as the crate computes
/// it: the energy of the 1 x 2 grid (a, b), one pair, with alpha = eta = 0; and,
/// where the construction exists, the cost of the matching cut of
/// [`cut_graph`] (the graph `map_graph_cut` solves) plus its constant. The
/// table must be -beta a b, its submodularity margin
/// E(+,-) + E(-,+) - E(+,+) - E(-,-) must be 4 beta, and `cut_graph` must
/// exist exactly when the margin is not negative.
///
/// Fails if, for β from −2 to 2 in quarters, a 1 × 2 energy differs from −βab or the margin from 4β
/// (`DYADIC_TOL`), `cut_graph` accepts a β < 0 or refuses a β ≥ 0 (exactly 8 refusals, each a
/// `BadValue` naming β), or its cut plus constant misses the table: a pair capacity β instead of 2β
/// is caught.
#[test]
fn pair_term_is_submodular_exactly_when_beta_is_nonnegative() {
    let y = Array2::<i8>::ones((1, 2));
    let (mut worst, mut cases, mut refused) = (0.0f64, 0, 0);
    for k in -8..=8 {
        let beta = f64::from(k) / 4.0;
        let p = Params::new(0.0, beta, 0.0).unwrap();
        let spins = [(1i8, 1i8), (-1, -1), (1, -1), (-1, 1)];
        let table: Vec<f64> = spins
            .iter()
            .map(|&(a, b)| {
                let x = Array2::from_shape_vec((1, 2), vec![a, b]).unwrap();
                energy(x.view(), y.view(), &p).unwrap()
            })
            .collect();
        for (&(a, b), &e) in spins.iter().zip(&table) {
            worst = worst.max((e - (-beta * f64::from(a * b))).abs());
        }
        let margin = table[2] + table[3] - table[0] - table[1];
        worst = worst.max((margin - 4.0 * beta).abs());
        let submodular = margin >= 0.0;
        assert_eq!(submodular, beta >= 0.0, "beta = {beta}");
        match cut_graph(field(y.view(), &p).view(), p.beta()) {
            Ok((g, constant)) => {
                assert!(submodular, "a cut graph for beta = {beta}");
                for (&(a, b), &e) in spins.iter().zip(&table) {
                    let cut = g.cut_value(&[a == 1, b == 1]).unwrap() + constant;
                    worst = worst.max((cut - e).abs());
                }
            }
            Err(Error::BadValue { value, .. }) => {
                assert!(!submodular && value == beta, "beta = {beta}");
                refused += 1;
            }
            Err(e) => panic!("beta = {beta}: {e}"),
        }
        cases += 1;
    }
    assert_eq!(refused, 8);
    verified_dl::record!("ising.submodular.refused", refused as f64);
    verified_dl::verify!(
        "ising.submodular",
        Method::Exhaustive,
        DYADIC_TOL,
        worst,
        cases
    );
}

/// The least energy over every configuration.
fn exhaustive_minimum(y: &Array2<i8>, p: &Params) -> f64 {
    let (rows, cols) = y.dim();
    // one buffer, rewritten for every configuration: pixel k (row-major) is +1 when bit k of n is set, as in `configuration`
    let mut x = Array2::<i8>::ones((rows, cols));
    let mut best = f64::INFINITY;
    for n in 0..(1usize << (rows * cols)) {
        for (k, xk) in x.iter_mut().enumerate() {
            *xk = if n >> k & 1 == 1 { 1 } else { -1 };
        }
        best = best.min(energy(x.view(), y.view(), p).unwrap());
    }
    best
}

/// A parameter of the given sign (-1, 0, +1), magnitude k/4 with k in 1..=8.
fn signed(rng: &mut Rng, sign: i32) -> f64 {
    f64::from(sign * rng.random_range(1..=8)) / 4.0
}

/// Fails if the energy of `map_graph_cut`'s x differs at all (`DYADIC_TOL`) from the least energy
/// over every configuration, on 60 problems up to 4 × 4 for each of the 18 sign patterns of (α, η,
/// β ≥ 0), or the energy it returns is not that of its x: the source side read as x_i = −1, or the
/// terminal arcs swapped, returns a configuration above the minimum.
#[test]
fn graph_cut_finds_the_exhaustive_minimum_for_every_submodular_sign() {
    let mut rng = seeded(4104);
    let (mut worst, mut cases) = (0.0f64, 0);
    for trial in 0..1080 {
        // all 3 x 3 x 2 sign patterns of (alpha, eta, beta) with beta >= 0, 60 problems each
        let (sh, se, sb) = (trial % 3 - 1, (trial / 3) % 3 - 1, (trial / 9) % 2);
        let (rows, cols) = (rng.random_range(1..=4), rng.random_range(1..=4));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            signed(&mut rng, sh),
            signed(&mut rng, sb),
            signed(&mut rng, se),
        )
        .unwrap();
        let map = map_graph_cut(y.view(), &p).unwrap();
        let e = energy(map.x.view(), y.view(), &p).unwrap();
        assert_eq!(map.energy, e, "the energy returned is the energy of x");
        worst = worst.max((e - exhaustive_minimum(&y, &p)).abs());
        cases += 1;
    }
    verified_dl::verify!(
        "ising.map-cut",
        Method::Exhaustive,
        DYADIC_TOL,
        worst,
        cases
    );
    verified_dl::record!("ising.map-cut.exhaustive-problems", cases as f64);
    verified_dl::record!("ising.map-cut.exhaustive-worst", worst);
}

/// Fails if, for β < 0 on 400 random problems up to 4 × 4, the cut of σx in the graph of field σc
/// and coupling −β plus its constant differs from E(x) for some x (first 100 problems), or
/// `map_graph_cut`'s energy from the exhaustive minimum, at all (`DYADIC_TOL`): a field not
/// multiplied by σ, or an x′ not mapped back by σ, is caught.
#[test]
fn checkerboard_substitution_reverses_the_sign_of_beta() {
    let mut rng = seeded(4105);
    let (mut worst, mut worst_map, mut cases, mut identity) = (0.0f64, 0.0f64, 0, 0);
    for trial in 0..400 {
        let (rows, cols) = (rng.random_range(1..=4), rng.random_range(1..=4));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            random_quarter(&mut rng, -8, 8).unwrap(),
            signed(&mut rng, -1),
            random_quarter(&mut rng, -8, 8).unwrap(),
        )
        .unwrap();
        let sigma = Array2::from_shape_fn((rows, cols), |(r, c)| checkerboard(r, c));
        // E(x) with field c and coupling beta equals the energy of x' = sigma x with field sigma c and coupling -beta
        let c = field(y.view(), &p);
        let (g, k) = cut_graph((&c * &sigma.mapv(f64::from)).view(), -p.beta()).unwrap();
        if trial < 100 {
            identity += 1;
            for n in 0..(1usize << (rows * cols)) {
                let x = configuration(rows, cols, n).unwrap();
                let side: Vec<bool> = (&x * &sigma).iter().map(|&v| v == 1).collect();
                let e = energy(x.view(), y.view(), &p).unwrap();
                worst = worst.max((g.cut_value(&side).unwrap() + k - e).abs());
            }
        }
        // and so the MAP for beta < 0 comes from one cut as well
        let map = map_graph_cut(y.view(), &p).unwrap();
        assert_eq!(map.energy, energy(map.x.view(), y.view(), &p).unwrap());
        worst_map = worst_map.max((map.energy - exhaustive_minimum(&y, &p)).abs());
        cases += 1;
    }
    verified_dl::verify!(
        "ising.gauge",
        Method::Exhaustive,
        DYADIC_TOL,
        worst.max(worst_map),
        cases
    );
    verified_dl::record!("ising.gauge.identity-problems", identity as f64);
}

#[test]
fn graph_cut_is_never_above_icm_on_large_images() {
    let mut rng = seeded(4106);
    let mut cases = 0;
    for (rows, cols) in [(200, 200), (128, 96), (64, 300)] {
        let x = test_image(rows, cols).unwrap();
        for (alpha, beta, eta) in [
            (0.0, 1.0, 2.1),
            (0.25, 0.5, 1.0),
            (-0.5, 1.5, 2.0),
            (0.0, 0.25, 0.75),
            (0.1, -0.8, 1.3),
        ] {
            let p = Params::new(alpha, beta, eta).unwrap();
            let y = add_noise(x.view(), 0.1, &mut rng).unwrap();
            let e_icm = energy(icm(y.view(), &p, 1000).unwrap().x.view(), y.view(), &p).unwrap();
            let e_cut = map_graph_cut(y.view(), &p).unwrap().energy;
            assert!(
                e_cut <= e_icm,
                "{rows}x{cols} {p:?}: cut {e_cut} > ICM {e_icm}"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 15);
    verified_dl::record!("ising.cut-vs-icm.images", cases as f64);
}

/// The unique minimisers of the energy over every configuration.
fn exhaustive_argmin(y: &Array2<i8>, p: &Params) -> Vec<Array2<i8>> {
    let (rows, cols) = y.dim();
    let best = exhaustive_minimum(y, p);
    (0..(1usize << (rows * cols)))
        .map(|n| configuration(rows, cols, n).unwrap())
        .filter(|x| energy(x.view(), y.view(), p).unwrap() == best)
        .collect()
}

/// Fails if y is not the unique enumerated minimiser of 300 problems with η > |α| + 4|β|, the bound
/// is not tight on 3 × 3 (y 2^−30 below it, a tie with the flipped centre at it, the flip above),
/// or the figure's cut is not y for β ≤ 0.5 or is y at 0.75 (the recorded worst is the number of
/// these comparisons that fail): pairs counted twice would halve the bound.
#[test]
fn map_is_y_when_eta_exceeds_alpha_plus_four_beta() {
    let mut misses = Misses::default();
    let mut rng = seeded(4107);
    let mut cases = 0;
    for _ in 0..300 {
        let (rows, cols) = (rng.random_range(1..=4), rng.random_range(1..=4));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let (alpha, beta) = (
            random_quarter(&mut rng, -4, 4).unwrap(),
            random_quarter(&mut rng, -2, 2).unwrap(),
        );
        // eta = |alpha| + 4 |beta| + k/4, k >= 1: strictly above the bound
        let eta = alpha.abs() + 4.0 * beta.abs() + random_quarter(&mut rng, 1, 4).unwrap();
        let p = Params::new(alpha, beta, eta).unwrap();
        misses.compare(exhaustive_argmin(&y, &p), vec![y.clone()], || {
            format!("the minimisers, {p:?}, y = {y}")
        });
        cases += 1;
    }
    verified_dl::record!("ising.map-is-y.random", cases as f64);
    // The bound is tight. On a 3 x 3 grid the centre's observation v is
    // unlike its four neighbours (beta > 0) or like them (beta < 0), and alpha
    // pushes it towards -v; flipping the centre changes the energy by
    // 2 eta - 2 |alpha| - 8 |beta|. So at |beta| = (eta - |alpha|) / 4 the MAP is y
    // just below, y and the flipped image tie at the bound, and just above
    // only the flipped image is. beta is the bound plus or minus 2^-30, a
    // dyadic rational of 31 bits: every energy is exact in f64.
    let delta = 2f64.powi(-30);
    assert!(delta < 1e-9);
    let eta = 2.0;
    let mut tight = 0;
    for alpha in [0.0, 0.25, -0.25] {
        for sign in [1.0, -1.0] {
            let bound = (eta - f64::abs(alpha)) / 4.0;
            let v: i8 = if alpha < 0.0 { -1 } else { 1 };
            let w = if sign > 0.0 { -v } else { v };
            let mut y = Array2::from_elem((3, 3), w);
            y[(1, 1)] = v;
            let mut flipped = y.clone();
            flipped[(1, 1)] = -v;
            let at = |beta: f64| exhaustive_argmin(&y, &Params::new(alpha, beta, eta).unwrap());
            misses.compare(at(sign * (bound - delta)), vec![y.clone()], || {
                format!("the minimisers just below the bound, alpha = {alpha}, sign {sign}")
            });
            let mut tie = at(sign * bound);
            tie.sort_by_key(|x| x.iter().copied().collect::<Vec<i8>>());
            let mut both = vec![y.clone(), flipped.clone()];
            both.sort_by_key(|x| x.iter().copied().collect::<Vec<i8>>());
            misses.compare(tie, both, || {
                format!(
                    "the minimisers at the bound, alpha = {alpha}, beta = {}",
                    sign * bound
                )
            });
            misses.compare(at(sign * (bound + delta)), vec![flipped], || {
                format!("the minimisers just above the bound, alpha = {alpha}, sign {sign}")
            });
            tight += 3;
        }
    }
    cases += tight;
    verified_dl::record!("ising.map-is-y.tight", tight as f64);
    // and on the noisy image of figure 8.30 (eta = 2.1, alpha = 0): the MAP is y up to beta = 0.5 < 2.1 / 4, not at 0.75
    let x = test_image(200, 200).unwrap();
    let y = add_noise(
        x.view(),
        0.1,
        &mut seeded(verified_dl::ising::experiment::NOISE_SEED),
    )
    .unwrap();
    for beta in [0.0, 0.25, 0.5] {
        let cut = map_graph_cut(y.view(), &Params::new(0.0, beta, 2.1).unwrap()).unwrap();
        misses.holds(cut.x == y, || {
            format!("the figure's MAP at beta = {beta} is not y")
        });
        cases += 1;
    }
    let cut = map_graph_cut(y.view(), &Params::new(0.0, 0.75, 2.1).unwrap()).unwrap();
    misses.holds(cut.x != y, || "the figure's MAP at beta = 0.75 is y".into());
    verified_dl::verify!(
        "ising.map-is-y",
        Method::Exhaustive,
        DYADIC_TOL,
        misses.worst("ising.map-is-y"),
        cases
    );
}

/// The same comparison as above with real parameters (not multiples of 1/4),
/// as in Bishop's eta = 2.1: the capacities are rounded, so the energies may
/// differ by round-off, relative to the size of the energy.
///
/// Fails if the energy of `map_graph_cut`'s x is more than `EXACT_TOL` relatively off the
/// exhaustive minimum on 300 problems up to 4 × 4 with real α, β, η (β of either sign), or the
/// energy returned is not exactly that of x: a checkerboard substitution not undone for β < 0 is
/// caught.
#[test]
fn graph_cut_finds_the_exhaustive_minimum_with_real_parameters() {
    let mut rng = seeded(4110);
    let (mut worst, mut cases) = (0.0f64, 0);
    for _ in 0..300 {
        let (rows, cols) = (rng.random_range(1..=4), rng.random_range(1..=4));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            rng.random_range(-2.0..2.0),
            rng.random_range(-2.0..2.0),
            rng.random_range(-3.0..3.0),
        )
        .unwrap();
        let map = map_graph_cut(y.view(), &p).unwrap();
        let e = energy(map.x.view(), y.view(), &p).unwrap();
        assert_eq!(map.energy, e, "the energy returned is the energy of x");
        worst = worst.max(verified_dl::check::rel_err(e, exhaustive_minimum(&y, &p)));
        cases += 1;
    }
    verified_dl::verify!(
        "ising.map-cut",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        cases
    );
    verified_dl::record!("ising.map-cut.real-problems", cases as f64);
    verified_dl::record!("ising.map-cut.real-worst", worst);
}

/// After a solve, more terminal capacity and a second solve: the flows
/// reported must still be a flow. s -> 0 -> 1 -> t carries 4; then 0 -> t of
/// capacity 5 is added, and the maximum flow stays 4, all of it on s -> 0.
#[test]
fn flows_after_an_incremental_solve_respect_the_capacities() {
    let mut g = Graph::new(2).unwrap();
    g.add_terminal(0, 4.0, 0.0).unwrap();
    g.add_edge(0, 1, 4.0, 0.0).unwrap();
    g.add_terminal(1, 0.0, 4.0).unwrap();
    assert_eq!(g.max_flow(), 4.0);
    g.add_terminal(0, 0.0, 5.0).unwrap();
    assert_eq!(g.max_flow(), 4.0);
    let (arcs, terminal) = g.flows();
    // s -> 0 carries its capacity 4 (not 8), 0 -> t nothing or all of 4
    let from_s = terminal[0].0;
    assert_eq!(from_s, 4.0, "s -> 0 carries {from_s}, its capacity is 4");
    let caps = Caps {
        terminal: vec![(4.0, 5.0), (0.0, 4.0)],
        edges: vec![(4.0, 0.0)],
    };
    assert_eq!(arcs.len(), 1);
    assert_eq!(infeasibility(&g, &caps, 4.0), 0.0);
}

/// Capacities recorded by the test as it adds them, summed per node and kept
/// per edge with its ends, so that the checks below use none of the graph's
/// own bookkeeping.
#[derive(Default, Clone)]
struct Recorded {
    /// (source, sink) of every node, summed over every call.
    terminal: Vec<(f64, f64)>,
    /// (i, j, i -> j, j -> i) of every edge, in the order added.
    edges: Vec<(usize, usize, f64, f64)>,
}

impl Recorded {
    /// The capacity of the cut with `side[i]` true on the source side.
    fn cut(&self, side: &[bool]) -> f64 {
        let mut total = 0.0;
        for (&(s, t), &source) in self.terminal.iter().zip(side) {
            total += if source { t } else { s };
        }
        for &(i, j, a, b) in &self.edges {
            if side[i] && !side[j] {
                total += a;
            }
            if side[j] && !side[i] {
                total += b;
            }
        }
        total
    }

    /// The least capacity over all 2^n cuts.
    fn minimum_cut(&self) -> f64 {
        let n = self.terminal.len();
        (0..(1usize << n))
            .map(|mask| self.cut(&(0..n).map(|i| mask >> i & 1 == 1).collect::<Vec<_>>()))
            .fold(f64::INFINITY, f64::min)
    }

    /// The largest violation, by the flows `g` reports, of a capacity, of
    /// conservation at a node, or of the value `flow` out of s and into t.
    fn violation(&self, g: &Graph, flow: f64) -> f64 {
        let (arcs, terminal) = g.flows();
        assert_eq!(arcs.len(), self.edges.len());
        assert_eq!(terminal.len(), self.terminal.len());
        let over = |value: f64, lo: f64, hi: f64| (lo - value).max(value - hi).max(0.0);
        let mut worst = 0.0f64;
        let mut balance = vec![0.0; terminal.len()];
        for (i, (&(from_s, to_t), &(s, t))) in terminal.iter().zip(&self.terminal).enumerate() {
            worst = worst.max(over(from_s, 0.0, s)).max(over(to_t, 0.0, t));
            balance[i] += from_s - to_t;
        }
        for (&(fi, fj, f), &(i, j, a, b)) in arcs.iter().zip(&self.edges) {
            assert_eq!(
                (fi, fj),
                (i, j),
                "the flows list the edges in the order added"
            );
            worst = worst.max(over(f, -b, a));
            balance[i] -= f;
            balance[j] += f;
        }
        for b in balance {
            worst = worst.max(b.abs());
        }
        let out_of_s: f64 = terminal.iter().map(|t| t.0).sum();
        let into_t: f64 = terminal.iter().map(|t| t.1).sum();
        worst
            .max((out_of_s - flow).abs())
            .max((into_t - flow).abs())
    }
}

/// Solves interleaved with new capacities: 3000 seeded sequences of two to
/// four rounds, each round adding terminal capacity to random nodes (to both
/// arcs, to one, or none) and a few edges (parallel ones included), then
/// solving. After every solve the reported flows must be a flow of the value
/// returned, and that value the brute-force minimum cut of everything added so far.
///
/// Fails if, after any solve, the flow differs at all (`DYADIC_TOL`) from the brute-force minimum
/// cut of the capacities the test recorded, or from the recorded cut of the source set, or the
/// flows break a recorded capacity, conservation or the value: a second solve that returns the
/// first one's flow, or an `add_terminal` that drops the flow through a node, is caught.
#[test]
fn incremental_solves_give_a_feasible_maximum_flow() {
    let mut rng = seeded(4111);
    let (mut worst, mut solves, mut sequences) = (0.0f64, 0, 0);
    for sequence in 0..3000 {
        sequences += 1;
        let n = 1 + sequence % 8;
        let mut g = Graph::new(n).unwrap();
        let mut rec = Recorded {
            terminal: vec![(0.0, 0.0); n],
            edges: Vec::new(),
        };
        for _round in 0..rng.random_range(2..=4) {
            for i in 0..n {
                if rng.random_bool(0.5) {
                    let s = if rng.random_bool(0.6) {
                        random_quarter(&mut rng, 0, 20).unwrap()
                    } else {
                        0.0
                    };
                    let t = if rng.random_bool(0.6) {
                        random_quarter(&mut rng, 0, 20).unwrap()
                    } else {
                        0.0
                    };
                    g.add_terminal(i, s, t).unwrap();
                    rec.terminal[i].0 += s;
                    rec.terminal[i].1 += t;
                }
            }
            if n > 1 {
                for _ in 0..rng.random_range(0..=n) {
                    let i = rng.random_range(0..n);
                    let j = (i + rng.random_range(1..n)) % n;
                    let (a, b) = (
                        random_quarter(&mut rng, 0, 16).unwrap(),
                        random_quarter(&mut rng, 0, 16).unwrap(),
                    );
                    g.add_edge(i, j, a, b).unwrap();
                    rec.edges.push((i, j, a, b));
                }
            }
            let flow = g.max_flow();
            worst = worst
                .max((flow - rec.minimum_cut()).abs())
                .max(rec.violation(&g, flow));
            let side: Vec<bool> = (0..n).map(|i| g.in_source_set(i).unwrap()).collect();
            worst = worst.max((rec.cut(&side) - flow).abs());
            solves += 1;
        }
    }
    verified_dl::verify!(
        "ising.maxflow",
        Method::Exhaustive,
        DYADIC_TOL,
        worst,
        solves
    );
    verified_dl::record!("ising.maxflow.incremental-sequences", sequences as f64);
    verified_dl::record!("ising.maxflow.incremental-solves", solves as f64);
    verified_dl::record!("ising.maxflow.incremental-worst", worst);
}

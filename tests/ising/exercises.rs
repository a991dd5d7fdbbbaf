//! The solutions of the chapter's exercises (`src/ising/exercises.md`), each
//! checked against an independent computation (full energies, enumeration,
//! counting the arcs of the built graph), and each check run once more on a
//! plausible wrong answer, which it must reject.

use ndarray::{Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::seeded;
use verified_dl::ising::exercises::{icm_in_order, region_flip_diff, Order};
use verified_dl::ising::experiment::worked_example;
use verified_dl::ising::graphcut::{cut_graph, field, map_graph_cut};
use verified_dl::ising::grid::{configuration, random_quarter, random_spins};
use verified_dl::ising::icm::icm_update;
use verified_dl::ising::model::{energy, local_diff, Params};

/// No tolerance: every parameter is a multiple of 1/4 and every energy a
/// short sum of such numbers, exact in f64 (see `tests/ising/model.rs`).
const DYADIC_TOL: f64 = 0.0;

/// The number of neighbours of pixel `(r, c)` in a `rows` x `cols` grid.
fn neighbour_count((rows, cols): (usize, usize), (r, c): (usize, usize)) -> usize {
    usize::from(r > 0) + usize::from(r + 1 < rows) + usize::from(c > 0) + usize::from(c + 1 < cols)
}

/// A claimed answer to exercise 1: does a pixel with `k` neighbours, all of
/// them ink and observed as ink itself, turn to paper under (alpha, beta, eta)?
type Threshold = fn(f64, f64, f64, usize) -> bool;

/// The solution: Delta = 2 alpha - 2 k beta - 2 eta > 0, that is alpha > k beta + eta.
fn threshold(alpha: f64, beta: f64, eta: f64, k: usize) -> bool {
    alpha > k as f64 * beta + eta
}

/// The number of cases where `claim` disagrees with ICM's update on an
/// all-ink 3 x 3 image observed as all ink, at its centre, an edge pixel and
/// a corner, and the number of cases.
fn check_threshold(claim: Threshold) -> (usize, usize) {
    let mut rng = seeded(8130);
    let y = Array2::<i8>::ones((3, 3));
    let (mut wrong, mut cases) = (0, 0);
    for _ in 0..200 {
        let beta = random_quarter(&mut rng, 0, 8).unwrap();
        let eta = random_quarter(&mut rng, 0, 8).unwrap();
        for m in [(1, 1), (0, 1), (0, 0)] {
            let k = neighbour_count((3, 3), m);
            // alpha at, just below and just above the threshold, and at random
            let at = k as f64 * beta + eta;
            let random = random_quarter(&mut rng, -16, 40).unwrap();
            for alpha in [at, at - 0.25, at + 0.25, random] {
                let p = Params::new(alpha, beta, eta).unwrap();
                let mut x = y.clone();
                icm_update(&mut x, y.view(), &p, m).unwrap();
                let turns = x[m] == -1;
                let d = local_diff(y.view(), y.view(), &p, m).unwrap();
                assert_eq!(d, 2.0 * alpha - 2.0 * k as f64 * beta - 2.0 * eta);
                wrong += usize::from(turns != claim(alpha, beta, eta, k));
                cases += 1;
            }
        }
    }
    (wrong, cases)
}

/// Fails if the answer α > kβ + η disagrees in any case (`DYADIC_TOL` on the count) with
/// `icm_update` on an all-ink 3 × 3 image observed as ink, at the centre, an edge and a corner,
/// with α at, 1/4 either side of, and away from the threshold, or `local_diff` is not 2α − 2kβ − 2η
/// there, or a mutant answer (k = 4 everywhere, η/2 for η, turning on the tie) passes.
#[test]
fn exercise_field_threshold() {
    let (wrong, cases) = check_threshold(threshold);
    let mutants: [(&str, Threshold); 3] = [
        ("four neighbours everywhere", |a, b, e, _| a > 4.0 * b + e),
        ("eta not doubled", |a, b, e, k| a > k as f64 * b + e / 2.0),
        ("turns on the tie", |a, b, e, k| a >= k as f64 * b + e),
    ];
    for (name, mutant) in mutants {
        assert!(
            check_threshold(mutant).0 > 0,
            "the check misses the mutant {name}"
        );
    }
    // Bishop's beta = 1, eta = 2.1: an interior pixel turns above 6.1, a corner above 4.1
    let y = Array2::<i8>::ones((3, 3));
    for (m, below, above) in [((1, 1), 6.0, 6.2), ((0, 0), 4.0, 4.2)] {
        for (alpha, turns) in [(below, false), (above, true)] {
            let mut x = y.clone();
            icm_update(&mut x, y.view(), &Params::new(alpha, 1.0, 2.1).unwrap(), m).unwrap();
            assert_eq!(x[m] == -1, turns, "alpha = {alpha} at {m:?}");
        }
    }
    verified_dl::verify!(
        "ising.ex-field",
        Method::ExactArithmetic,
        DYADIC_TOL,
        wrong as f64,
        cases
    );
}

/// The minimisers of E(., y) by enumeration, in the order of `configuration`.
fn minimisers(y: &Array2<i8>, p: &Params) -> Vec<Array2<i8>> {
    let (rows, cols) = y.dim();
    let all: Vec<(f64, Array2<i8>)> = (0..1usize << (rows * cols))
        .map(|n| {
            let x = configuration(rows, cols, n).unwrap();
            (energy(x.view(), y.view(), p).unwrap(), x)
        })
        .collect();
    let least = all.iter().map(|(e, _)| *e).fold(f64::INFINITY, f64::min);
    all.into_iter()
        .filter(|(e, _)| *e == least)
        .map(|(_, x)| x)
        .collect()
}

/// A claimed answer to exercise 2: the minimisers when eta = 0 and beta > 0.
type EtaZero = fn((usize, usize), f64) -> Vec<Array2<i8>>;

/// The solution: all paper if alpha > 0, all ink if alpha < 0, both if alpha = 0
/// (all ink comes first: it is the last configuration, all paper the first).
fn eta_zero(dim: (usize, usize), alpha: f64) -> Vec<Array2<i8>> {
    let (ink, paper) = (Array2::ones(dim), -Array2::<i8>::ones(dim));
    if alpha > 0.0 {
        vec![paper]
    } else if alpha < 0.0 {
        vec![ink]
    } else {
        vec![paper, ink]
    }
}

/// The number of problems where `claim` is not the set of minimisers, and the number of problems.
fn check_eta_zero(claim: EtaZero) -> (usize, usize) {
    let mut rng = seeded(8140);
    let (mut wrong, mut cases) = (0, 0);
    for rows in 1..=3 {
        for cols in 1..=4 {
            for alpha_quarters in [-3, -1, 0, 1, 3] {
                let alpha = f64::from(alpha_quarters) / 4.0;
                let beta = random_quarter(&mut rng, 1, 8).unwrap();
                let p = Params::new(alpha, beta, 0.0).unwrap();
                let y = random_spins(&mut rng, rows, cols).unwrap();
                let truth = minimisers(&y, &p);
                wrong += usize::from(truth != claim((rows, cols), alpha));
                // the graph cut finds one of them
                let cut = map_graph_cut(y.view(), &p).unwrap();
                assert!(truth.contains(&cut.x));
                cases += 1;
            }
        }
    }
    (wrong, cases)
}

/// Fails if, with η = 0 and β > 0, the minimisers by enumeration of 60 problems up to 3 × 4 are not
/// all paper for α > 0, all ink for α < 0 and both for α = 0 (`DYADIC_TOL` on the count), or
/// `map_graph_cut` returns none of them, or a mutant answer (α's sign reversed, a single minimiser
/// at α = 0) passes.
#[test]
fn exercise_map_when_eta_is_zero() {
    let (wrong, cases) = check_eta_zero(eta_zero);
    let mutants: [(&str, EtaZero); 2] = [
        ("alpha > 0 favours ink", |d, a| eta_zero(d, -a)),
        ("a unique minimiser at alpha = 0", |d, a| {
            eta_zero(d, a).into_iter().take(1).collect()
        }),
    ];
    for (name, mutant) in mutants {
        assert!(
            check_eta_zero(mutant).0 > 0,
            "the check misses the mutant {name}"
        );
    }
    verified_dl::verify!(
        "ising.ex-eta-zero",
        Method::Exhaustive,
        DYADIC_TOL,
        wrong as f64,
        cases
    );
}

/// A claimed answer to exercise 3: (all arcs, arcs of non-zero capacity when
/// alpha = 0, eta != 0, beta > 0) of the graph of an R x C image.
type ArcCount = fn(usize, usize) -> (usize, usize);

/// The solution: 2RC terminal arcs and 2(2RC - R - C) neighbour arcs; with
/// alpha = 0 one terminal arc per pixel has capacity 0.
fn arc_count(r: usize, c: usize) -> (usize, usize) {
    (6 * r * c - 2 * (r + c), 5 * r * c - 2 * (r + c))
}

/// The largest difference between `claim` and the arcs of `cut_graph`'s
/// graph, counted from its capacities, and the number of shapes.
fn check_arcs(claim: ArcCount) -> (usize, usize) {
    let mut rng = seeded(8150);
    let (mut worst, mut cases) = (0, 0);
    for rows in 1..=6 {
        for cols in 1..=6 {
            let y = random_spins(&mut rng, rows, cols).unwrap();
            let p = Params::new(0.0, 1.0, 1.5).unwrap();
            let (graph, _) = cut_graph(field(y.view(), &p).view(), p.beta()).unwrap();
            let (edges, terminals) = graph.capacities();
            let all = 2 * edges.len() + 2 * terminals.len();
            let nonzero = edges
                .iter()
                .map(|&(_, _, a, b)| usize::from(a > 0.0) + usize::from(b > 0.0))
                .sum::<usize>()
                + terminals
                    .iter()
                    .map(|&(s, t)| usize::from(s > 0.0) + usize::from(t > 0.0))
                    .sum::<usize>();
            let (a, n) = claim(rows, cols);
            worst = worst.max(a.abs_diff(all)).max(n.abs_diff(nonzero));
            cases += 1;
        }
    }
    (worst, cases)
}

/// Fails if the arcs of `cut_graph`'s graph, counted from its capacities for each shape 1 × 1 to
/// 6 × 6 (α = 0, β = 1, η = 1.5), are not 6RC − 2(R + C) in all and 5RC − 2(R + C) non-zero
/// (tolerance 0), or a mutant answer (one arc per pair, both terminal arcs non-zero) passes; so
/// would a graph with each pair once.
#[test]
fn exercise_arcs_of_the_cut_graph() {
    let (worst, cases) = check_arcs(arc_count);
    let mutants: [(&str, ArcCount); 2] = [
        ("one arc per neighbour pair", |r, c| {
            (4 * r * c - r - c, 3 * r * c - r - c)
        }),
        ("both terminal arcs non-zero", |r, c| {
            let (a, _) = arc_count(r, c);
            (a, a)
        }),
    ];
    for (name, mutant) in mutants {
        assert!(
            check_arcs(mutant).0 > 0,
            "the check misses the mutant {name}"
        );
    }
    verified_dl::verify!("ising.ex-arcs", Method::Property, 0.0, worst as f64, cases);
}

/// The largest energy decrease that one flip achieves from `x` (0 at a
/// single-flip local minimum), from full energies.
fn best_single_flip(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params) -> f64 {
    let e = energy(x, y, p).unwrap();
    let mut best = 0.0f64;
    for ((r, c), _) in x.indexed_iter() {
        let mut z = x.to_owned();
        z[(r, c)] *= -1;
        best = best.max(e - energy(z.view(), y, p).unwrap());
    }
    best
}

/// ICM in some order: the candidate solutions of exercise 4.
type Run = fn(ArrayView2<i8>, &Params, Order) -> Array2<i8>;

fn crate_run(y: ArrayView2<i8>, p: &Params, order: Order) -> Array2<i8> {
    icm_in_order(y, p, order, 1000).unwrap().x
}

/// The largest single-flip improvement left at the end of `run` in every
/// order, over random problems, and the number of runs.
fn check_orders(run: Run) -> (f64, usize) {
    let mut rng = seeded(8160);
    let (mut worst, mut cases) = (0.0f64, 0);
    for _ in 0..100 {
        let (rows, cols) = (rng.random_range(1..=6), rng.random_range(1..=6));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            random_quarter(&mut rng, -4, 4).unwrap(),
            random_quarter(&mut rng, -4, 8).unwrap(),
            random_quarter(&mut rng, -4, 8).unwrap(),
        )
        .unwrap();
        for order in [Order::Raster, Order::ReverseRaster, Order::Checkerboard] {
            let x = run(y.view(), &p, order);
            worst = worst.max(best_single_flip(x.view(), y.view(), &p));
            cases += 1;
        }
    }
    (worst, cases)
}

/// Fails if `icm_in_order`, in raster, reverse-raster or checkerboard order on 100 random problems
/// up to 6 × 6, ends where one flip still lowers the full energy (`DYADIC_TOL`), a single sweep
/// passes that check, an order lists other pixels, the worked example does not end at −13.5, −13.5
/// and −14.5, or updates within one colour do not commute when shuffled.
#[test]
fn exercise_icm_in_other_orders() {
    // every order ends at a single-flip local minimum ...
    let (worst, cases) = check_orders(crate_run);
    // ... which a run that stops after one sweep does not always reach
    let one_sweep: Run = |y, p, order| {
        let mut x = y.to_owned();
        for m in order.pixels(y.nrows(), y.ncols()).unwrap() {
            icm_update(&mut x, y, p, m).unwrap();
        }
        x
    };
    assert!(
        check_orders(one_sweep).0 > 0.0,
        "the check misses a single sweep"
    );

    // the orders, as the pixels they list
    let orders = |o: Order| o.pixels(2, 3).unwrap();
    assert_eq!(
        orders(Order::Raster),
        vec![(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    );
    assert_eq!(
        orders(Order::ReverseRaster),
        vec![(1, 2), (1, 1), (1, 0), (0, 2), (0, 1), (0, 0)]
    );
    assert_eq!(
        orders(Order::Checkerboard),
        vec![(0, 0), (0, 2), (1, 1), (0, 1), (1, 0), (1, 2)]
    );

    // the worked example: the orders end at different local minima
    let (y, p) = worked_example().unwrap();
    let energy_of = |o: Order| {
        icm_in_order(y.view(), &p, o, 10)
            .unwrap()
            .energies
            .last()
            .copied()
    };
    assert_eq!(energy_of(Order::Raster), Some(-13.5));
    assert_eq!(energy_of(Order::Checkerboard), Some(-13.5));
    assert_eq!(energy_of(Order::ReverseRaster), Some(-14.5));
    assert_eq!(map_graph_cut(y.view(), &p).unwrap().energy, -14.5);
    assert_eq!(
        icm_in_order(y.view(), &p, Order::Raster, 10).unwrap().x,
        verified_dl::ising::icm(y.view(), &p, 10).unwrap().x
    );

    // pixels of one colour have no neighbour of that colour: within a colour
    // the updates commute, so any order of the colour gives the same image
    let mut rng = seeded(8161);
    let mut shuffled_cases = 0;
    for _ in 0..100 {
        let (rows, cols) = (rng.random_range(1..=6), rng.random_range(1..=6));
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let x0 = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            random_quarter(&mut rng, -4, 4).unwrap(),
            random_quarter(&mut rng, -4, 8).unwrap(),
            random_quarter(&mut rng, -4, 8).unwrap(),
        )
        .unwrap();
        let colour: Vec<(usize, usize)> = Order::Checkerboard
            .pixels(rows, cols)
            .unwrap()
            .into_iter()
            .filter(|&(r, c)| (r + c) % 2 == 0)
            .collect();
        let mut shuffled = colour.clone();
        shuffled.shuffle(&mut rng);
        let (mut a, mut b) = (x0.clone(), x0.clone());
        for &m in &colour {
            icm_update(&mut a, y.view(), &p, m).unwrap();
        }
        for &m in &shuffled {
            icm_update(&mut b, y.view(), &p, m).unwrap();
        }
        assert_eq!(a, b);
        shuffled_cases += 1;
    }
    verified_dl::record!("ising.ex-order.shuffled", shuffled_cases as f64);
    verified_dl::verify!(
        "ising.ex-order",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
}

/// A candidate formula for the energy change of flipping a region.
type Region = fn(ArrayView2<i8>, ArrayView2<i8>, &Params, ArrayView2<bool>) -> f64;

fn crate_region(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params, d: ArrayView2<bool>) -> f64 {
    region_flip_diff(x, y, p, d).unwrap()
}

/// The worst difference between `formula` and two full energies, over random
/// regions of random images, and the number of regions.
fn check_region(formula: Region) -> (f64, usize) {
    let mut rng = seeded(8170);
    let (mut worst, mut cases) = (0.0f64, 0);
    for _ in 0..300 {
        let (rows, cols) = (rng.random_range(1..=6), rng.random_range(1..=6));
        let x = random_spins(&mut rng, rows, cols).unwrap();
        let y = random_spins(&mut rng, rows, cols).unwrap();
        let p = Params::new(
            random_quarter(&mut rng, -8, 8).unwrap(),
            random_quarter(&mut rng, -8, 8).unwrap(),
            random_quarter(&mut rng, -8, 8).unwrap(),
        )
        .unwrap();
        let d = Array2::from_shape_simple_fn((rows, cols), || rng.random_bool(0.4));
        let flipped = Array2::from_shape_fn((rows, cols), |m| if d[m] { -x[m] } else { x[m] });
        let full =
            energy(flipped.view(), y.view(), &p).unwrap() - energy(x.view(), y.view(), &p).unwrap();
        worst = worst.max((formula(x.view(), y.view(), &p, d.view()) - full).abs());
        cases += 1;
    }
    (worst, cases)
}

/// Fails if `region_flip_diff` differs at all (`DYADIC_TOL`) from E(x with D flipped) − E(x), from
/// two full energies, on 300 random regions of random images up to 6 × 6, or is not −4 for the
/// 2 × 2 block: the border term without its 2, the pairs inside D counted, or the field term's sign
/// reversed (the mutants) all miss.
#[test]
fn exercise_energy_change_of_a_region() {
    let (worst, cases) = check_region(crate_region);
    // the 2 x 2 block of the cut page: removing it lowers the energy by 4
    let mut y = Array2::<i8>::ones((4, 4));
    let mut block = Array2::from_elem((4, 4), false);
    for m in [(1, 1), (1, 2), (2, 1), (2, 2)] {
        y[m] = -1;
        block[m] = true;
    }
    let p = Params::new(0.0, 1.0, 1.5).unwrap();
    assert_eq!(
        region_flip_diff(y.view(), y.view(), &p, block.view()).unwrap(),
        -4.0
    );

    // wrong formulas: the border term without its 2, the pairs inside D
    // counted too, the sign of the field term reversed
    let no_two: Region = |x, y, p, d| {
        let whole = crate_region(x, y, p, d);
        let zero_beta = Params::new(p.alpha(), 0.0, p.eta()).unwrap();
        let rest = crate_region(x, y, &zero_beta, d);
        rest + (whole - rest) / 2.0
    };
    let field_sign: Region = |x, y, p, d| {
        let flipped = Params::new(-p.alpha(), p.beta(), p.eta()).unwrap();
        crate_region(x, y, &flipped, d)
    };
    let inside_too: Region = |x, y, p, d| {
        let (rows, cols) = x.dim();
        let mut inside = 0i64;
        for r in 0..rows {
            for c in 0..cols {
                if c + 1 < cols && d[(r, c)] && d[(r, c + 1)] {
                    inside += i64::from(x[(r, c)] * x[(r, c + 1)]);
                }
                if r + 1 < rows && d[(r, c)] && d[(r + 1, c)] {
                    inside += i64::from(x[(r, c)] * x[(r + 1, c)]);
                }
            }
        }
        crate_region(x, y, p, d) + 2.0 * p.beta() * inside as f64
    };
    for (name, mutant) in [
        ("no 2", no_two),
        ("field sign", field_sign),
        ("inside pairs", inside_too),
    ] {
        assert!(
            check_region(mutant).0 > 0.0,
            "the check misses the mutant {name}"
        );
    }
    verified_dl::verify!(
        "ising.ex-region",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
}

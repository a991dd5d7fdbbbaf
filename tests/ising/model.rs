//! Checks of the Ising model: the energy, its local differences (exercise
//! 8.13), the MAP estimate at beta = alpha = 0 (exercise 8.14), ICM, and bad input.

use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{seeded, Rng};
use verified_dl::ising::grid::{configuration, random_quarter, random_spins};
use verified_dl::ising::icm::{icm_from, icm_update};
use verified_dl::ising::image::add_noise;
use verified_dl::ising::model::{energy, flip_diff, local_diff, pairs, Params};
use verified_dl::Error;

use crate::Misses;

/// Tolerance of the comparisons in this file: none. Every parameter is a
/// multiple of 1/4 of size at most 2 and every energy a sum of a few hundred
/// such terms, so every value and every partial sum is a dyadic rational with
/// few significant bits and is exact in f64: the two sides must agree to the bit.
const DYADIC_TOL: f64 = 0.0;

/// Random dyadic parameters of any sign.
pub(super) fn random_params(rng: &mut Rng) -> Params {
    Params::new(
        random_quarter(rng, -8, 8).unwrap(),
        random_quarter(rng, -8, 8).unwrap(),
        random_quarter(rng, -8, 8).unwrap(),
    )
    .unwrap()
}

/// The energy from an independently built list of pairs: every unordered pair
/// of distinct pixels at Manhattan distance one, found by testing all pairs.
fn energy_by_pair_search(x: &Array2<i8>, y: &Array2<i8>, p: &Params) -> f64 {
    let (rows, cols) = x.dim();
    let n = rows * cols;
    let mut coupling = 0.0;
    for i in 0..n {
        for j in (i + 1)..n {
            let (ri, ci, rj, cj) = (i / cols, i % cols, j / cols, j % cols);
            if ri.abs_diff(rj) + ci.abs_diff(cj) == 1 {
                coupling += f64::from(x[(ri, ci)] * x[(rj, cj)]);
            }
        }
    }
    let field: f64 = x.iter().map(|&v| f64::from(v)).sum();
    let data: f64 = x
        .iter()
        .zip(y.iter())
        .map(|(&a, &b)| f64::from(a * b))
        .sum();
    p.alpha() * field - p.beta() * coupling - p.eta() * data
}

/// An energy kernel: E(x, y).
pub(super) type EnergyFn = fn(ArrayView2<i8>, ArrayView2<i8>, &Params) -> f64;

/// The crate's (ising.energy), as an [`EnergyFn`].
pub(super) fn crate_energy(x: ArrayView2<i8>, y: ArrayView2<i8>, p: &Params) -> f64 {
    energy(x, y, p).unwrap()
}

/// The check of (ising.energy): `e` against [`energy_by_pair_search`] on 20
/// random grids of every shape from 1 x 1 to 6 x 6. Returns the worst
/// difference and the grids checked.
pub(super) fn check_energy(e: EnergyFn) -> (f64, usize) {
    let mut rng = seeded(4001);
    let mut worst = 0.0f64;
    let mut cases = 0;
    for rows in 1..=6 {
        for cols in 1..=6 {
            for _ in 0..20 {
                let (x, y, p) = (
                    random_spins(&mut rng, rows, cols).unwrap(),
                    random_spins(&mut rng, rows, cols).unwrap(),
                    random_params(&mut rng),
                );
                worst = worst
                    .max((e(x.view(), y.view(), &p) - energy_by_pair_search(&x, &y, &p)).abs());
                cases += 1;
            }
        }
    }
    (worst, cases)
}

/// Fails if `energy` differs at all (`DYADIC_TOL` = 0) from the energy rebuilt from every pair of
/// pixels at Manhattan distance one, on 20 random grids of each shape 1 × 1 to 6 × 6, or `pairs`
/// does not list R(C − 1) + (R − 1)C pairs: pairs counted twice, vertical pairs left out, or the
/// field term's sign reversed (the mutants) all miss.
#[test]
fn energy_counts_each_pair_once() {
    for rows in 1..=6 {
        for cols in 1..=6 {
            assert_eq!(
                pairs(rows, cols).unwrap().len(),
                rows * (cols - 1) + (rows - 1) * cols
            );
        }
    }
    let (worst, cases) = check_energy(crate_energy);
    verified_dl::verify!(
        "ising.energy",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
}

/// x with pixel (r, c) set to v.
pub(super) fn with(x: &Array2<i8>, (r, c): (usize, usize), v: i8) -> Array2<i8> {
    let mut z = x.clone();
    z[(r, c)] = v;
    z
}

/// A local kernel: the value at pixel `(r, c)` of `x` given `y`.
pub(super) type Local = fn(ArrayView2<i8>, ArrayView2<i8>, &Params, (usize, usize)) -> f64;

/// The crate's (ising.local-diff), as a [`Local`].
pub(super) fn crate_local_diff(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    local_diff(x, y, p, m).unwrap()
}

/// The crate's (ising.flip-diff), as a [`Local`].
pub(super) fn crate_flip_diff(
    x: ArrayView2<i8>,
    y: ArrayView2<i8>,
    p: &Params,
    m: (usize, usize),
) -> f64 {
    flip_diff(x, y, p, m).unwrap()
}

/// The shapes of the local-difference check, stratified: every shape from
/// 2 x 2 to 6 x 6 in turn, 24 times (a quarter of their pixels are corners,
/// half are edge pixels, a quarter interior), then every strip 1 x n and
/// n x 1 up to 7, four times (pixels with one neighbour or none).
fn local_diff_shapes() -> Vec<(usize, usize)> {
    let mut shapes: Vec<(usize, usize)> = (0..600).map(|t| (2 + t % 5, 2 + (t / 5) % 5)).collect();
    for _ in 0..4 {
        shapes.extend((1..=7).map(|n| (1, n)));
        shapes.extend((2..=7).map(|n| (n, 1)));
    }
    shapes
}

/// The check of (ising.local-diff) and (ising.flip-diff): `local` and `flip`
/// against differences of full energies at every pixel of random grids of
/// [`local_diff_shapes`]. Returns the two worst differences, the pixels
/// checked, and how many were corners, edge pixels, interior pixels and
/// pixels of strips.
pub(super) fn check_local_diff(local: Local, flip: Local) -> (f64, f64, usize, [usize; 4]) {
    let mut rng = seeded(4002);
    let (mut worst, mut worst_flip, mut cases) = (0.0f64, 0.0f64, 0usize);
    let mut coverage = [0usize; 4];
    for (rows, cols) in local_diff_shapes() {
        let (x, y, p) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
            random_params(&mut rng),
        );
        let before = energy(x.view(), y.view(), &p).unwrap();
        for r in 0..rows {
            for c in 0..cols {
                let plus = energy(with(&x, (r, c), 1).view(), y.view(), &p).unwrap();
                let minus = energy(with(&x, (r, c), -1).view(), y.view(), &p).unwrap();
                worst = worst.max((local(x.view(), y.view(), &p, (r, c)) - (plus - minus)).abs());
                let flipped = energy(with(&x, (r, c), -x[(r, c)]).view(), y.view(), &p).unwrap();
                worst_flip = worst_flip
                    .max((flip(x.view(), y.view(), &p, (r, c)) - (flipped - before)).abs());
                let kind = if rows == 1 || cols == 1 {
                    3
                } else {
                    match neighbour_count((rows, cols), (r, c)) {
                        2 => 0,
                        3 => 1,
                        _ => 2,
                    }
                };
                coverage[kind] += 1;
                cases += 1;
            }
        }
    }
    (worst, worst_flip, cases, coverage)
}

/// How many neighbours pixel `(r, c)` has, counted by testing the four.
fn neighbour_count((rows, cols): (usize, usize), (r, c): (usize, usize)) -> usize {
    neighbours((rows, cols), (r, c)).len()
}

/// Fails if `local_diff` differs at all (`DYADIC_TOL`) from E(x_m = +1) − E(x_m = −1), or
/// `flip_diff` from E(−x_m, rest) − E(x), at any pixel of the stratified grids, or corners, edges
/// or interior pixels are under a quarter of the full grids' pixels: β's sign wrong, α not doubled,
/// the right neighbour left out, or the flip's sign wrong (the mutants) all miss.
#[test]
fn local_diff_equals_full_energy_difference() {
    let (worst, worst_flip, cases, coverage) = check_local_diff(crate_local_diff, crate_flip_diff);
    // corners, edges and interior: each at least a quarter of the pixels of full grids
    let grid: usize = coverage[..3].iter().sum();
    for (name, &n) in ["corner", "edge", "interior"].iter().zip(&coverage) {
        assert!(4 * n >= grid, "{name}: {n} of {grid}");
    }
    assert!(coverage[3] > 0);
    verified_dl::verify!(
        "ising.local-diff",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
    verified_dl::verify!(
        "ising.flip-diff",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst_flip,
        cases
    );
    for (name, &n) in ["corner", "edge", "interior", "strip"]
        .iter()
        .zip(&coverage)
    {
        verified_dl::record!(format!("ising.coverage.{name}"), n as f64);
    }
}

/// The sum of the neighbours of (r, c), written out again for the tests.
fn neighbour_sum(x: ArrayView2<i8>, r: usize, c: usize) -> i32 {
    let (rows, cols) = x.dim();
    let (r, c) = (r as i64, c as i64);
    [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)]
        .iter()
        .filter(|&&(a, b)| a >= 0 && b >= 0 && a < rows as i64 && b < cols as i64)
        .map(|&(a, b)| i32::from(x[(a as usize, b as usize)]))
        .sum()
}

/// The energy if the coupling summed over ordered pairs, i.e. each unordered pair twice.
fn energy_double_counted(x: &Array2<i8>, y: &Array2<i8>, p: &Params) -> f64 {
    let (rows, cols) = x.dim();
    let mut coupling = 0.0;
    for r in 0..rows {
        for c in 0..cols {
            coupling += f64::from(i32::from(x[(r, c)]) * neighbour_sum(x.view(), r, c));
        }
    }
    let field: f64 = x.iter().map(|&v| f64::from(v)).sum();
    let data: f64 = x
        .iter()
        .zip(y.iter())
        .map(|(&a, &b)| f64::from(a * b))
        .sum();
    p.alpha() * field - p.beta() * coupling - p.eta() * data
}

/// Fails if the local difference of the test's energy summed over ordered pairs is not exactly
/// 2α − 4βS − 2ηy_m (`DYADIC_TOL`), or the crate's `local_diff` equals it at a pixel where βS ≠ 0,
/// or such pixels are not over a third of the cases: a `local_diff` that counted each pair twice
/// would match the doubled form and fail.
#[test]
fn double_counted_pairs_double_the_coupling_term() {
    let mut rng = seeded(4003);
    let mut worst = 0.0f64;
    let (mut cases, mut once_formula_wrong) = (0, 0);
    for trial in 0..300 {
        let (rows, cols) = (1 + trial % 6, 1 + (trial / 6) % 6);
        let (x, y, p) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
            random_params(&mut rng),
        );
        for r in 0..rows {
            for c in 0..cols {
                let diff = energy_double_counted(&with(&x, (r, c), 1), &y, &p)
                    - energy_double_counted(&with(&x, (r, c), -1), &y, &p);
                let s = f64::from(neighbour_sum(x.view(), r, c));
                let doubled =
                    2.0 * p.alpha() - 4.0 * p.beta() * s - 2.0 * p.eta() * f64::from(y[(r, c)]);
                worst = worst.max((diff - doubled).abs());
                // the formula for pairs counted once is wrong here whenever beta * s != 0
                let once = local_diff(x.view(), y.view(), &p, (r, c)).unwrap();
                if p.beta() * s != 0.0 {
                    assert_ne!(once, diff);
                    once_formula_wrong += 1;
                }
                cases += 1;
            }
        }
    }
    assert!(
        once_formula_wrong > cases / 3,
        "{once_formula_wrong} of {cases}"
    );
    verified_dl::record!("ising.double-count.once-wrong", once_formula_wrong as f64);
    verified_dl::verify!(
        "ising.double-count",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
}

/// The minimisers of the energy over every configuration.
fn minimisers(y: &Array2<i8>, p: &Params) -> (f64, Vec<Array2<i8>>) {
    let (rows, cols) = y.dim();
    let mut best = f64::INFINITY;
    let mut argmin = Vec::new();
    for n in 0..(1usize << (rows * cols)) {
        let x = configuration(rows, cols, n).unwrap();
        let e = energy(x.view(), y.view(), p).unwrap();
        if e < best {
            best = e;
            argmin.clear();
        }
        if e == best {
            argmin.push(x);
        }
    }
    (best, argmin)
}

/// Fails if, with α = β = 0, the minimisers of `energy` over every configuration of 3 random images
/// of each shape up to 4 × 4 are not exactly {y} for η > 0 and {−y} for η < 0, or not all 2^n at
/// energy 0 for η = 0: a data term of the wrong sign, or one that skips a pixel, is caught. The
/// recorded worst is the number of these minimisations that disagree.
#[test]
fn map_at_beta_and_alpha_zero_is_y_for_every_grid_up_to_4x4() {
    let mut misses = Misses::default();
    let mut rng = seeded(4004);
    let mut cases = 0;
    for rows in 1..=4 {
        for cols in 1..=4 {
            for _ in 0..3 {
                let y = random_spins(&mut rng, rows, cols).unwrap();
                let eta = f64::from(rng.random_range(1..=8)) / 4.0;
                // eta > 0: the unique minimiser is y
                let (_, argmin) = minimisers(&y, &Params::new(0.0, 0.0, eta).unwrap());
                misses.compare(argmin, vec![y.clone()], || {
                    format!("the minimisers, eta = {eta}, y = {y}")
                });
                // eta < 0: the unique minimiser is -y
                let (_, argmin) = minimisers(&y, &Params::new(0.0, 0.0, -eta).unwrap());
                misses.compare(argmin, vec![y.mapv(|v| -v)], || {
                    format!("the minimisers, eta = {}, y = {y}", -eta)
                });
                // eta = 0: every configuration has energy 0
                let (best, argmin) = minimisers(&y, &Params::new(0.0, 0.0, 0.0).unwrap());
                misses.compare((best, argmin.len()), (0.0, 1 << (rows * cols)), || {
                    format!("the least energy and its minimisers, eta = 0, y = {y}")
                });
                cases += 3;
            }
        }
    }
    verified_dl::verify!(
        "ising.map-beta0",
        Method::Exhaustive,
        DYADIC_TOL,
        misses.worst("ising.map-beta0"),
        cases
    );
}

/// Remark ising-eta-sign: the source's "to minimise the energy, maximise
/// sum_i x_i y_i" assumes eta > 0 (as Bishop does). Without it the step
/// fails: with eta = -1 (beta = alpha = 0), x = y has the LARGEST energy, +4 on
/// a 2 x 2 grid (-eta sum_i y_i^2 = 4), and -y the least, -4.
#[test]
fn remark_ising_eta_sign() {
    let y = Array2::from_shape_vec((2, 2), vec![1i8, -1, -1, 1]).unwrap();
    let p = Params::new(0.0, 0.0, -1.0).unwrap();
    let (best, argmin) = minimisers(&y, &p);
    let e_y = energy(y.view(), y.view(), &p).unwrap();
    // the largest energy over every configuration
    let (rows, cols) = y.dim();
    let largest = (0..(1usize << (rows * cols)))
        .map(|n| energy(configuration(rows, cols, n).unwrap().view(), y.view(), &p).unwrap())
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(e_y, 4.0);
    assert_eq!(largest, e_y);
    assert_eq!(best, -4.0);
    assert_eq!(argmin, vec![y.mapv(|v| -v)]);
    // with eta = +1 the source's step holds: y is the unique minimiser
    let (_, argmin) = minimisers(&y, &Params::new(0.0, 0.0, 1.0).unwrap());
    assert_eq!(argmin, vec![y.clone()]);
    verified_dl::record!("remark.ising-eta-sign.energy-y", e_y);
    verified_dl::record!("remark.ising-eta-sign.least", best);
}

/// The neighbours of `(r, c)` in a grid of `dim`, written out again.
fn neighbours((rows, cols): (usize, usize), (r, c): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if r > 0 {
        out.push((r - 1, c));
    }
    if r + 1 < rows {
        out.push((r + 1, c));
    }
    if c > 0 {
        out.push((r, c - 1));
    }
    if c + 1 < cols {
        out.push((r, c + 1));
    }
    out
}

/// An ICM update of pixel `(r, c)`.
pub(super) type Update = fn(&mut Array2<i8>, ArrayView2<i8>, &Params, (usize, usize));

/// The crate's update (ising.icm), as an [`Update`].
pub(super) fn crate_update(x: &mut Array2<i8>, y: ArrayView2<i8>, p: &Params, m: (usize, usize)) {
    icm_update(x, y, p, m).unwrap();
}

/// The check of ICM's rule at beta = 1 and 1.1 (eta = 2.1, alpha = 0), on every
/// neighbourhood (see the test below). Returns the updates that disagree
/// with the rule or move another pixel, the updates checked, and, per beta,
/// how many set an interior, an edge and a corner pixel against y_m.
pub(super) fn check_icm_neighbourhoods(update: Update) -> (usize, usize, [[usize; 3]; 2]) {
    let (mut wrong, mut cases) = (0usize, 0usize);
    let mut against = [[0usize; 3]; 2];
    // the fewest opposing neighbours that move the pixel, by kind (interior, edge, corner)
    for (b, (beta, fewest)) in [(1.0, [4, 3, 3]), (1.1, [3, 3, 2])].into_iter().enumerate() {
        let p = Params::new(0.0, beta, 2.1).unwrap();
        for (kind, pixel) in [(1, 1), (0, 1), (0, 0)].into_iter().enumerate() {
            let around = neighbours((3, 3), pixel);
            assert_eq!(around.len(), 4 - kind);
            for n in 0..(1usize << 9) {
                let x0 = configuration(3, 3, n).unwrap();
                for ym in [-1i8, 1] {
                    let y = with(&Array2::<i8>::ones((3, 3)), pixel, ym);
                    let mut x = x0.clone();
                    update(&mut x, y.view(), &p, pixel);
                    let opposing = around.iter().filter(|&&q| x0[q] == -ym).count();
                    let expected = if opposing >= fewest[kind] { -ym } else { ym };
                    let others_kept = with(&x, pixel, x0[pixel]) == x0;
                    wrong += usize::from(x[pixel] != expected || !others_kept);
                    against[b][kind] += usize::from(x[pixel] == -ym);
                    cases += 1;
                }
            }
        }
    }
    (wrong, cases, against)
}

/// At Bishop's beta = 1, eta = 2.1, alpha = 0, one ICM update sets pixel m to
/// -y_m only if beta |S| > eta, i.e. |S| > 2.1 with S the neighbour sum: for
/// an interior pixel (S even) all four neighbours equal to -y_m, for an edge
/// pixel all three, for a corner never; otherwise to y_m (never a tie: S is
/// an integer). At beta = 1.1 (|S| > 1.9): three of four inside, all three on
/// an edge, both at a corner. Every neighbourhood: all 2^9 configurations of
/// a 3 x 3 grid, at its centre, an edge pixel and a corner, each with both
/// observations (so with the pixel's own value both equal to and unlike y_m).
#[test]
fn icm_at_bishops_parameters_goes_against_y_only_when_every_neighbour_does() {
    assert_eq!(
        Params::bishop(),
        Params::new(0.0, 1.0, 2.1).unwrap(),
        "Bishop's parameters"
    );
    let (wrong, cases, against) = check_icm_neighbourhoods(crate_update);
    assert_eq!(wrong, 0);
    // at beta = 1, against y_m: 2^(9 - 1 - neighbours) values of the other
    // pixels with every neighbour opposing, 2 of x_m, 2 of y_m; never at a corner
    assert_eq!(against[0], [16 * 2 * 2, 32 * 2 * 2, 0]);
    // at beta = 1.1: inside, 5 of the 16 neighbourhoods have three or four
    // opposing (2^4 values of the other pixels); at a corner 1 of 4 (2^6)
    assert_eq!(against[1], [5 * 16 * 2 * 2, 32 * 2 * 2, 64 * 2 * 2]);
    verified_dl::record!("ising.icm-bishop.cases", cases as f64);
}

/// Fails if one `icm_update`, in raster order on 200 random problems up to 8 × 8 (half with η = kβ,
/// so that ties Δ_m = 0 are common), raises the full energy (`DYADIC_TOL`) or moves a pixel without
/// strictly lowering it, or `icm_from` ends elsewhere or where one flip still lowers the energy: an
/// update to the higher state, or one that flips on a tie, is caught.
#[test]
fn icm_never_raises_the_energy_and_stops_at_a_single_flip_minimum() {
    let mut rng = seeded(4005);
    let (mut updates, mut flips, mut ties, mut cases) = (0usize, 0usize, 0usize, 0usize);
    let mut worst_increase = 0.0f64;
    for trial in 0..200 {
        let (rows, cols) = (1 + trial % 8, 1 + (trial / 8) % 8);
        let (x0, y) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
        );
        // stratified: on half the problems alpha = 0 and eta = k beta (k = 0..=4),
        // so that ties Delta_m = 0 (beta S = -eta y_m) occur often
        let p = if trial % 2 == 0 {
            let beta = random_quarter(&mut rng, -8, 8).unwrap();
            let k = f64::from(rng.random_range(0..=4));
            Params::new(0.0, beta, k * beta).unwrap()
        } else {
            random_params(&mut rng)
        };
        // every single update, in ICM's raster order, checked against full energies
        let mut x = x0.clone();
        let mut e = energy(x.view(), y.view(), &p).unwrap();
        for _sweep in 0..100 {
            let mut changed = 0;
            for r in 0..rows {
                for c in 0..cols {
                    // a tie: both states of the pixel have the same energy
                    ties += usize::from(local_diff(x.view(), y.view(), &p, (r, c)).unwrap() == 0.0);
                    let moved = icm_update(&mut x, y.view(), &p, (r, c)).unwrap();
                    let e_new = energy(x.view(), y.view(), &p).unwrap();
                    worst_increase = worst_increase.max(e_new - e);
                    // a change strictly lowers the energy, no change leaves it equal
                    assert_eq!(moved, e_new < e, "trial {trial} pixel ({r}, {c})");
                    e = e_new;
                    updates += 1;
                    changed += usize::from(moved);
                }
            }
            flips += changed;
            if changed == 0 {
                break;
            }
        }
        // icm_from runs the same sweeps; its energies never increase
        let run = icm_from(x0.view(), y.view(), &p, 100).unwrap();
        assert_eq!(run.x, x);
        assert!(run.energies.windows(2).all(|w| w[1] <= w[0]));
        // at the end no single flip lowers the energy
        for r in 0..rows {
            for c in 0..cols {
                let flipped = with(&run.x, (r, c), -run.x[(r, c)]);
                assert!(
                    energy(flipped.view(), y.view(), &p).unwrap() >= e,
                    "trial {trial} pixel ({r}, {c})"
                );
            }
        }
        cases += 1;
    }
    assert!(
        flips > 0 && updates > flips && ties > 0,
        "{flips} {updates} {ties}"
    );
    verified_dl::record!("ising.coverage.icm-updates", updates as f64);
    verified_dl::record!("ising.coverage.icm-flips", flips as f64);
    verified_dl::record!("ising.coverage.icm-ties", ties as f64);
    verified_dl::verify!(
        "ising.icm",
        Method::Property,
        DYADIC_TOL,
        worst_increase.max(0.0),
        cases
    );
}

#[test]
fn icm_result_depends_on_the_visiting_order() {
    let y = Array2::from_shape_vec((1, 2), vec![1i8, -1]).unwrap();
    let p = Params::new(0.0, 1.0, 0.25).unwrap();
    // raster order: the left pixel first
    let raster = verified_dl::ising::icm(y.view(), &p, 10).unwrap().x;
    assert_eq!(raster.as_slice().unwrap(), &[-1, -1]);
    // the right pixel first = raster order on the mirrored image, mirrored back
    let mirrored = y.slice(ndarray::s![.., ..;-1]).to_owned();
    let right_first = verified_dl::ising::icm(mirrored.view(), &p, 10).unwrap().x;
    let right_first = right_first.slice(ndarray::s![.., ..;-1]).to_owned();
    assert_eq!(right_first.as_slice().unwrap(), &[1, 1]);
}

#[test]
fn bad_input_is_an_error_that_names_the_value() {
    let p = Params::bishop();
    let x = Array2::<i8>::ones((2, 3));
    let y = Array2::<i8>::ones((3, 2));
    match energy(x.view(), y.view(), &p) {
        Err(Error::ShapeMismatch {
            expected, found, ..
        }) => assert_eq!((expected, found), (vec![3, 2], vec![2, 3])),
        other => panic!("{other:?}"),
    }
    let mut bad = Array2::<i8>::ones((2, 2));
    bad[(1, 0)] = 0;
    let err = energy(bad.view(), bad.view(), &p).unwrap_err();
    assert!(
        matches!(&err, Error::BadValue { index, value, allowed, .. } if *index == vec![1, 0] && *value == 0.0 && allowed.contains("-1 or +1")),
        "{err}"
    );
    bad[(1, 0)] = 3;
    assert!(
        matches!(local_diff(x.view(), bad.view(), &p, (0, 0)), Err(Error::BadValue { value, .. }) if value == 3.0)
    );
    for (alpha, beta, eta) in [
        (f64::NAN, 1.0, 1.0),
        (0.0, f64::INFINITY, 1.0),
        (0.0, 1.0, f64::NEG_INFINITY),
    ] {
        let err = Params::new(alpha, beta, eta).unwrap_err();
        assert!(matches!(err, Error::NonFinite { .. }), "{err}");
        // the fields are private: no Params with a non-finite entry can be built
    }
    assert!(matches!(
        local_diff(x.view(), x.view(), &p, (2, 0)),
        Err(Error::BadSize { value: 2, .. })
    ));
    assert!(matches!(
        flip_diff(x.view(), x.view(), &p, (5, 0)),
        Err(Error::BadSize { value: 5, .. })
    ));
    assert!(matches!(
        local_diff(x.view(), x.view(), &p, (0, 3)),
        Err(Error::BadSize { value: 3, .. })
    ));
    let empty = Array2::<i8>::ones((0, 4));
    assert!(matches!(
        energy(empty.view(), empty.view(), &p),
        Err(Error::BadSize { value: 0, .. })
    ));
    // one ICM update and one sweep check their inputs
    let mut x2 = x.clone();
    assert!(matches!(
        icm_update(&mut x2, x.view(), &p, (0, 7)),
        Err(Error::BadSize { value: 7, .. })
    ));
    assert!(matches!(
        verified_dl::ising::icm::icm_sweep(&mut x2, y.view(), &p),
        Err(Error::ShapeMismatch { .. })
    ));
    // noise: a fraction outside [0, 1], or an image that is not -1/+1
    let mut rng = seeded(1);
    assert!(
        matches!(add_noise(x.view(), 1.5, &mut rng), Err(Error::OutOfRange { value, .. }) if value == 1.5)
    );
    assert!(matches!(
        add_noise(x.view(), -0.1, &mut rng),
        Err(Error::OutOfRange { .. })
    ));
    assert!(
        matches!(add_noise(bad.view(), 0.1, &mut rng), Err(Error::BadValue { value, .. }) if value == 3.0)
    );
    // ICM that cannot converge in the sweeps allowed: an error, not a wrong answer
    let y = Array2::from_shape_vec((1, 2), vec![1i8, -1]).unwrap();
    assert!(matches!(
        verified_dl::ising::icm(y.view(), &Params::new(0.0, 1.0, 0.0).unwrap(), 1),
        Err(Error::BadSize { value: 1, .. })
    ));
}

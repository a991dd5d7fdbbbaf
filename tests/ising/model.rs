//! Checks of the Ising model: the energy, its local differences (exercise
//! 8.13), the MAP estimate at beta = h = 0 (exercise 8.14), ICM, and bad input.

use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{seeded, Rng};
use verified_dl::ising::grid::{configuration, random_quarter, random_spins};
use verified_dl::ising::icm::{icm_from, icm_update};
use verified_dl::ising::image::add_noise;
use verified_dl::ising::model::{energy, flip_diff, local_diff, pairs, Params};
use verified_dl::Error;

/// Tolerance of the comparisons in this file: none. Every parameter is a
/// multiple of 1/4 of size at most 2 and every energy a sum of a few hundred
/// such terms, so every value and every partial sum is a dyadic rational with
/// few significant bits and is exact in f64: the two sides must agree to the bit.
const DYADIC_TOL: f64 = 0.0;

/// Random dyadic parameters of any sign.
fn random_params(rng: &mut Rng) -> Params {
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
    p.h() * field - p.beta() * coupling - p.eta() * data
}

#[test]
fn energy_counts_each_pair_once() {
    let mut rng = seeded(4001);
    let mut worst = 0.0f64;
    let mut cases = 0;
    for rows in 1..=6 {
        for cols in 1..=6 {
            assert_eq!(
                pairs(rows, cols).unwrap().len(),
                rows * (cols - 1) + (rows - 1) * cols
            );
            for _ in 0..20 {
                let (x, y, p) = (
                    random_spins(&mut rng, rows, cols).unwrap(),
                    random_spins(&mut rng, rows, cols).unwrap(),
                    random_params(&mut rng),
                );
                let e = energy(x.view(), y.view(), &p).unwrap();
                worst = worst.max((e - energy_by_pair_search(&x, &y, &p)).abs());
                cases += 1;
            }
        }
    }
    verified_dl::verify!(
        "ising.energy",
        Method::ExactArithmetic,
        DYADIC_TOL,
        worst,
        cases
    );
}

/// x with pixel (r, c) set to v.
fn with(x: &Array2<i8>, (r, c): (usize, usize), v: i8) -> Array2<i8> {
    let mut z = x.clone();
    z[(r, c)] = v;
    z
}

#[test]
fn local_diff_equals_full_energy_difference() {
    let mut rng = seeded(4002);
    let (mut worst, mut worst_flip) = (0.0f64, 0.0f64);
    let (mut cases, mut corners, mut edges, mut interior) = (0, 0, 0, 0);
    for trial in 0..600 {
        let (rows, cols) = (1 + trial % 7, 1 + (trial / 7) % 7);
        let (x, y, p) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
            random_params(&mut rng),
        );
        for r in 0..rows {
            for c in 0..cols {
                let plus = energy(with(&x, (r, c), 1).view(), y.view(), &p).unwrap();
                let minus = energy(with(&x, (r, c), -1).view(), y.view(), &p).unwrap();
                let d = local_diff(x.view(), y.view(), &p, (r, c)).unwrap();
                worst = worst.max((d - (plus - minus)).abs());
                let flipped = energy(with(&x, (r, c), -x[(r, c)]).view(), y.view(), &p).unwrap();
                let before = energy(x.view(), y.view(), &p).unwrap();
                worst_flip = worst_flip.max(
                    (flip_diff(x.view(), y.view(), &p, (r, c)).unwrap() - (flipped - before)).abs(),
                );
                let boundary =
                    usize::from(r == 0 || r + 1 == rows) + usize::from(c == 0 || c + 1 == cols);
                match boundary {
                    2 => corners += 1,
                    1 => edges += 1,
                    _ => interior += 1,
                }
                cases += 1;
            }
        }
    }
    assert!(
        corners > 0 && edges > 0 && interior > 0,
        "{corners} {edges} {interior}"
    );
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
    p.h() * field - p.beta() * coupling - p.eta() * data
}

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
                    2.0 * p.h() - 4.0 * p.beta() * s - 2.0 * p.eta() * f64::from(y[(r, c)]);
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

#[test]
fn map_at_beta_and_h_zero_is_y_for_every_grid_up_to_4x4() {
    let mut rng = seeded(4004);
    let mut cases = 0;
    for rows in 1..=4 {
        for cols in 1..=4 {
            for _ in 0..3 {
                let y = random_spins(&mut rng, rows, cols).unwrap();
                let eta = f64::from(rng.random_range(1..=8)) / 4.0;
                // eta > 0: the unique minimiser is y
                let (_, argmin) = minimisers(&y, &Params::new(0.0, 0.0, eta).unwrap());
                assert_eq!(argmin, vec![y.clone()], "eta = {eta}, y = {y}");
                // eta < 0: the unique minimiser is -y
                let (_, argmin) = minimisers(&y, &Params::new(0.0, 0.0, -eta).unwrap());
                assert_eq!(argmin, vec![y.mapv(|v| -v)], "eta = {}, y = {y}", -eta);
                // eta = 0: every configuration has energy 0
                let (best, argmin) = minimisers(&y, &Params::new(0.0, 0.0, 0.0).unwrap());
                assert_eq!((best, argmin.len()), (0.0, 1 << (rows * cols)));
                cases += 3;
            }
        }
    }
    verified_dl::verify!(
        "ising.map-beta0",
        Method::Exhaustive,
        DYADIC_TOL,
        0.0,
        cases
    );
}

#[test]
fn erratum_ising_eta_sign() {
    // The source: "to minimize the energy we need to maximize sum_i x_i y_i", so x = y.
    // With eta = -1 (beta = h = 0), x = y has the LARGEST energy, and -y the smallest.
    let y = Array2::from_shape_vec((2, 2), vec![1i8, -1, -1, 1]).unwrap();
    let p = Params::new(0.0, 0.0, -1.0).unwrap();
    let (best, argmin) = minimisers(&y, &p);
    let e_y = energy(y.view(), y.view(), &p).unwrap();
    assert_eq!(e_y, 4.0); // -eta * sum y_i^2 = 4
    assert_eq!(best, -4.0);
    assert_eq!(argmin, vec![y.mapv(|v| -v)]);
    assert!(e_y > best);
    verified_dl::verify!(
        "erratum.ising-eta-sign",
        Method::Property,
        DYADIC_TOL,
        0.0,
        1
    );
}

#[test]
fn icm_never_raises_the_energy_and_stops_at_a_single_flip_minimum() {
    let mut rng = seeded(4005);
    let (mut updates, mut flips, mut cases) = (0usize, 0usize, 0usize);
    let mut worst_increase = 0.0f64;
    for trial in 0..200 {
        let (rows, cols) = (1 + trial % 8, 1 + (trial / 8) % 8);
        let (x0, y, p) = (
            random_spins(&mut rng, rows, cols).unwrap(),
            random_spins(&mut rng, rows, cols).unwrap(),
            random_params(&mut rng),
        );
        // every single update, in ICM's raster order, checked against full energies
        let mut x = x0.clone();
        let mut e = energy(x.view(), y.view(), &p).unwrap();
        for _sweep in 0..100 {
            let mut changed = 0;
            for r in 0..rows {
                for c in 0..cols {
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
    assert!(flips > 0 && updates > flips);
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
        matches!(&err, Error::BadValue { index, value, .. } if *index == vec![1, 0] && *value == 0.0),
        "{err}"
    );
    assert!(err.to_string().contains("-1 or +1"), "{err}");
    bad[(1, 0)] = 3;
    assert!(
        matches!(local_diff(x.view(), bad.view(), &p, (0, 0)), Err(Error::BadValue { value, .. }) if value == 3.0)
    );
    for (h, beta, eta) in [
        (f64::NAN, 1.0, 1.0),
        (0.0, f64::INFINITY, 1.0),
        (0.0, 1.0, f64::NEG_INFINITY),
    ] {
        let err = Params::new(h, beta, eta).unwrap_err();
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

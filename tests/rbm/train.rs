//! Problem 3 carried to training: the bars-and-stripes data and the training
//! curves of the exact gradient, CD-1, CD-k and PCD.

use std::collections::BTreeSet;

use verified_dl::check::ledger::Method;
use verified_dl::check::rel_err;
use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::train::Estimator;
use verified_dl::rbm::{bas_runs, mass_on, most_probable, BAS_EPOCHS};

/// True when every row of the `side` x `side` image (row-major bits of `image`) is constant.
fn rows_constant(image: usize, side: usize) -> bool {
    (0..side).all(|r| {
        let row = (image >> (r * side)) & ((1 << side) - 1);
        row == 0 || row == (1 << side) - 1
    })
}

/// True when every column is constant.
fn columns_constant(image: usize, side: usize) -> bool {
    (0..side).all(|c| {
        let column: Vec<usize> = (0..side).map(|r| (image >> (r * side + c)) & 1).collect();
        column.iter().all(|&x| x == column[0])
    })
}

#[test]
fn bars_and_stripes_are_the_30_images_with_constant_rows_or_columns() {
    // Enumerate all 2^16 binary 4 x 4 images and keep those whose rows are all
    // constant or whose columns are all constant.
    let side = 4;
    let by_definition: BTreeSet<usize> = (0..1usize << (side * side))
        .filter(|&image| rows_constant(image, side) || columns_constant(image, side))
        .collect();
    let data = bars_and_stripes(side).unwrap();
    let generated: BTreeSet<usize> = data
        .outer_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(p, &x)| (x as usize) << p)
                .sum()
        })
        .collect();
    assert_eq!(by_definition.len(), 30);
    assert_eq!(
        generated.len(),
        data.nrows(),
        "the generator repeats an image"
    );
    assert_eq!(generated, by_definition);
    // The other sides: 2 * 2^side - 2 images.
    for side in 1..=3 {
        let count = (0..1usize << (side * side))
            .filter(|&image| rows_constant(image, side) || columns_constant(image, side))
            .count();
        assert_eq!(bars_and_stripes(side).unwrap().nrows(), count);
        assert_eq!(count, 2 * (1 << side) - 2);
    }
    verified_dl::verify!("rbm.bas-count", Method::Exhaustive, 0.0, 0.0, 1 << 16);
}

/// Nats the exact log-likelihood must gain over its start for training to count
/// as having worked: the start is about -16 ln 2 = -11.09 (nearly uniform over
/// the 2^16 images); 5 nats is more than half the way to the best, -ln 30.
const REQUIRED_GAIN: f64 = 5.0;

#[test]
fn training_raises_the_exact_log_likelihood_towards_minus_ln_30() {
    let best = -(30f64.ln());
    let data = bars_and_stripes(4).unwrap();
    let patterns: BTreeSet<usize> = data
        .outer_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(p, &x)| (x as usize) << p)
                .sum()
        })
        .collect();
    let mut worst_mass_bound = f64::NEG_INFINITY;
    let runs = bas_runs().unwrap();
    for (estimator, run) in &runs {
        let ll = &run.log_likelihood;
        assert_eq!(ll.len(), BAS_EPOCHS + 1);
        // Gibbs' inequality: the average log-likelihood of 30 distinct vectors is at most -ln 30.
        assert!(
            ll.iter().all(|&l| l <= best),
            "{} exceeds -ln 30",
            estimator.name()
        );
        // The start: W nearly 0 and b = 0 (each pixel is on in half the patterns),
        // so p(v) is nearly uniform over the 2^16 images.
        assert!(rel_err(ll[0], -16.0 * 2f64.ln()) < 0.05, "start {}", ll[0]);
        let last = ll[BAS_EPOCHS];
        let falls = ll.windows(2).filter(|w| w[1] < w[0]).count();
        println!(
            "{:>15}: {falls} of {BAS_EPOCHS} epochs lower the log-likelihood",
            estimator.name()
        );
        // The exact gradient ascends the objective itself: at this step size
        // every epoch raises it.
        if *estimator == Estimator::Exact {
            assert_eq!(falls, 0, "the exact gradient lowered the log-likelihood");
        }
        println!(
            "{:>15}: start {:.4}, end {:.4}, best {:.4}",
            estimator.name(),
            ll[0],
            last,
            ll.iter().cloned().fold(f64::MIN, f64::max)
        );
        assert!(
            last > ll[0] + REQUIRED_GAIN,
            "{} only reached {last}",
            estimator.name()
        );
        // How much probability the trained machine puts on the 30 patterns, and
        // how many of its 30 most probable images are patterns.
        let mass = mass_on(&run.rbm, data.view()).unwrap();
        let top = most_probable(&run.rbm, 30).unwrap();
        let hits = top.iter().filter(|k| patterns.contains(k)).count();
        println!(
            "{:>15}: mass on the 30 patterns {mass:.4}, {hits} of the 30 most probable images are patterns",
            estimator.name()
        );
        // By the inequality of arithmetic and geometric means,
        // (1/30) sum_n p(v_n) >= exp((1/30) sum_n ln p(v_n)) = e^L.
        worst_mass_bound = worst_mass_bound.max(30.0 * last.exp() - mass);
    }
    assert!(
        worst_mass_bound <= 0.0,
        "AM-GM violated by {worst_mass_bound}"
    );
    verified_dl::verify!(
        "rbm.mass-bound",
        Method::Property,
        0.0,
        worst_mass_bound.max(0.0),
        runs.len()
    );
    verified_dl::verify!("rbm.training", Method::Property, 0.0, 0.0, runs.len());
}

//! Problem 3 carried to training: the bars-and-stripes data and the training
//! curves of the exact gradient, CD-1, CD-k and PCD.

use std::collections::BTreeSet;

use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, EXACT_TOL};
use verified_dl::numerics::log_sum_exp;
use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::train::Estimator;
use verified_dl::rbm::Rbm;
use verified_dl::rbm::{bas_runs, mass_on, most_probable, BAS_EPOCHS};

use crate::Misses;

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

/// Fails if `bars_and_stripes(4)` repeats an image or differs from the set of 4 × 4 images with all
/// rows or all columns constant, enumerated over all 2^16; if that set is not 30; or if for sides 1
/// to 3 the generator's count differs from the enumeration's or from 2·2^side − 2. The recorded
/// worst is the number of these comparisons that fail, against a tolerance of 0.
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
    let mut misses = Misses::default();
    misses.compare(by_definition.len(), 30, || {
        "the images by definition".into()
    });
    misses.compare(generated.len(), data.nrows(), || {
        "the distinct images against the generator's rows (it repeats one)".into()
    });
    misses.compare(&generated, &by_definition, || {
        "the generator's images against the definition's".into()
    });
    // The other sides: 2 * 2^side - 2 images.
    for side in 1..=3 {
        let count = (0..1usize << (side * side))
            .filter(|&image| rows_constant(image, side) || columns_constant(image, side))
            .count();
        misses.compare(bars_and_stripes(side).unwrap().nrows(), count, || {
            format!("the generator's count at side {side} against the enumeration's")
        });
        misses.compare(count, 2 * (1 << side) - 2, || {
            format!("the enumeration's count at side {side} against 2 * 2^side - 2")
        });
    }
    verified_dl::verify!(
        "rbm.bas-count",
        Method::Exhaustive,
        0.0,
        misses.worst("rbm.bas-count"),
        1 << 16
    );
}

/// Nats the exact log-likelihood must gain over its start for training to count
/// as having worked: the start is about -16 ln 2 = -11.09 (nearly uniform over
/// the 2^16 images); 5 nats is more than half the way to the best, -ln 30.
const REQUIRED_GAIN: f64 = 5.0;

/// Epochs at the end of a run over which the test measures whether a curve is
/// still rising: the last 5% of the 2000.
const LAST_EPOCHS: usize = 100;

/// The name of an estimator in the records: "exact-gradient", "cd-1", ...
fn slug(estimator: &Estimator) -> String {
    estimator.name().to_lowercase().replace(' ', "-")
}

/// ln p(v) of every visible state k of `rbm`, computed here from the
/// parameters alone: -F(v) = v^T b + sum_j ln(1 + e^{x_j}) with x = W^T v + a,
/// written out with `ln_1p` (not the crate's softplus or free energy), and
/// ln Z as the log-sum-exp of -F over all 2^n_v states (the crate sums over the
/// smaller, hidden layer instead).
fn independent_log_marginals(rbm: &Rbm) -> Vec<f64> {
    let n_v = rbm.n_v();
    let (w, a, b) = (rbm.w(), rbm.hidden_bias(), rbm.visible_bias());
    let minus_f: Vec<f64> = (0..1usize << n_v)
        .map(|k| {
            let mut value = 0.0;
            for i in 0..n_v {
                value += ((k >> i) & 1) as f64 * b[i];
            }
            for j in 0..rbm.n_h() {
                let mut x = a[j];
                for i in 0..n_v {
                    x += ((k >> i) & 1) as f64 * w[(i, j)];
                }
                // ln(1 + e^x) = max(x, 0) + ln(1 + e^{-|x|}), exact in f64 for any x
                value += x.max(0.0) + (-x.abs()).exp().ln_1p();
            }
            value
        })
        .collect();
    let log_z = log_sum_exp(&minus_f);
    minus_f.iter().map(|m| m - log_z).collect()
}

/// Fails if a run (exact, CD-1, CD-10, PCD-1) exceeds −ln 30, starts away from −16 ln 2, gains at
/// most `REQUIRED_GAIN`, or (exact) ever falls; if the crate's log-likelihood or mass on the
/// patterns is more than `EXACT_TOL` from the test's own sums over all 2^16 images; or if the
/// ranking of the runs, PCD-1's falls and mass, the top 30 images or AM-GM contradict the chapter.
#[test]
fn training_raises_the_exact_log_likelihood_towards_minus_ln_30() {
    let best = -(30f64.ln());
    let data = bars_and_stripes(4).unwrap();
    let patterns: Vec<usize> = data
        .outer_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(p, &x)| (x as usize) << p)
                .sum()
        })
        .collect();
    let pattern_set: BTreeSet<usize> = patterns.iter().copied().collect();
    let n = patterns.len() as f64;
    let mut worst_mass_bound = f64::NEG_INFINITY;
    let mut worst_crate = 0.0f64;
    // the runs that gain too little: the measure of rbm.training
    let mut short = Misses::default();
    let runs = bas_runs().unwrap();
    let mut end = Vec::new();
    let mut falls_of = Vec::new();
    let mut mass_of = Vec::new();
    let mut bound_of = Vec::new();
    let mut records = Vec::new();
    for (estimator, run) in &runs {
        let name = slug(estimator);
        let ll = &run.log_likelihood;
        assert_eq!(ll.len(), BAS_EPOCHS + 1);
        // Gibbs' inequality: the average log-likelihood of 30 distinct vectors is at most -ln 30.
        assert!(
            ll.iter().all(|&l| l <= best),
            "{} exceeds -ln 30",
            estimator.name()
        );
        // The start: W nearly 0 and b = 0 (each pixel is on in half the patterns),
        // so p(v) is nearly uniform over the 2^16 images. Every run starts from
        // the same machine.
        assert!(rel_err(ll[0], -16.0 * 2f64.ln()) < 0.05, "start {}", ll[0]);
        assert_eq!(ll[0], runs[0].1.log_likelihood[0], "the runs start apart");
        let last = ll[BAS_EPOCHS];
        let top = ll.iter().cloned().fold(f64::MIN, f64::max);
        let falls = ll.windows(2).filter(|w| w[1] < w[0]).count();
        let late_gain = last - ll[BAS_EPOCHS - LAST_EPOCHS];
        println!(
            "{:>15}: start {:.4}, end {last:.4}, best {top:.4}, gap to -ln 30 {:.4}, \
             {falls} of {BAS_EPOCHS} epochs lower it, the last {LAST_EPOCHS} gain {late_gain:.4}",
            estimator.name(),
            ll[0],
            best - last,
        );
        // The exact gradient ascends the objective itself: at this step size
        // every epoch raises it, the last ones too.
        if *estimator == Estimator::Exact {
            assert_eq!(falls, 0, "the exact gradient lowered the log-likelihood");
            assert!(
                ll[BAS_EPOCHS] > ll[BAS_EPOCHS - 1] && late_gain > 0.0,
                "the exact gradient stopped climbing"
            );
        }
        short.holds(last > ll[0] + REQUIRED_GAIN, || {
            format!("{} only reached {last} from {}", estimator.name(), ll[0])
        });
        // What the trained machine believes, computed here from its parameters
        // alone, against the crate's log-likelihood (of the run and of the
        // machine), its mass on the data and its normalization.
        let log_p = independent_log_marginals(&run.rbm);
        let total: f64 = log_p.iter().map(|l| l.exp()).sum();
        let ll_here = patterns.iter().map(|&k| log_p[k]).sum::<f64>() / n;
        let mass_here: f64 = patterns.iter().map(|&k| log_p[k].exp()).sum();
        let mass = mass_on(&run.rbm, data.view()).unwrap();
        worst_crate = worst_crate
            .max(rel_err(1.0, total))
            .max(rel_err(ll_here, last))
            .max(rel_err(
                ll_here,
                run.rbm.log_likelihood(data.view()).unwrap(),
            ))
            .max(rel_err(mass_here, mass));
        let top30 = most_probable(&run.rbm, 30).unwrap();
        let mut order: Vec<usize> = (0..log_p.len()).collect();
        order.sort_by(|&k, &l| log_p[l].total_cmp(&log_p[k]).then(k.cmp(&l)));
        let hits = top30.iter().filter(|k| pattern_set.contains(k)).count();
        let hits_here = order[..30]
            .iter()
            .filter(|k| pattern_set.contains(k))
            .count();
        assert_eq!(
            hits,
            hits_here,
            "{}: the 30 most probable images",
            estimator.name()
        );
        // The figure of the most probable images: all 30 of the exact
        // gradient's are patterns, some of every sampling estimator's are not.
        assert_eq!(
            hits == 30,
            *estimator == Estimator::Exact,
            "{}: {hits} patterns",
            estimator.name()
        );
        // By the inequality of arithmetic and geometric means,
        // (1/N) sum_n p(v_n) >= exp((1/N) sum_n ln p(v_n)) = e^L.
        let bound = n * ll_here.exp();
        println!(
            "{:>15}: mass on the 30 patterns {mass:.4} >= 30 e^L = {bound:.4}, \
             {hits} of the 30 most probable images are patterns",
            estimator.name()
        );
        worst_mass_bound = worst_mass_bound.max(bound - mass_here);
        records.push((
            name,
            [
                ("end", last),
                ("best", top),
                ("gap", best - last),
                ("falls", falls as f64),
                ("late-gain", late_gain),
                ("mass", mass),
                ("am-gm", bound),
                ("hits", hits as f64),
            ],
        ));
        end.push(last);
        falls_of.push(falls);
        mass_of.push(mass);
        bound_of.push(bound);
    }
    assert!(
        worst_mass_bound <= 0.0,
        "AM-GM violated by {worst_mass_bound}"
    );
    verified_dl::verify!(
        "rbm.mass-bound",
        Method::Exhaustive,
        EXACT_TOL,
        worst_crate,
        runs.len()
    );
    verified_dl::verify!(
        "rbm.training",
        Method::Property,
        0.0,
        short.worst("rbm.training"),
        runs.len()
    );
    // What the chapter says of the four runs (in BAS_ESTIMATORS order: exact,
    // CD-1, CD-10, PCD-1): the exact gradient ends highest, CD-1 lowest, CD-10
    // and PCD-1 above CD-1; PCD-1's curve falls in the most epochs; PCD-1 puts
    // nearly as much mass on the patterns as the exact gradient (within 1%),
    // but less evenly (a lower ratio of the AM-GM bound to the mass).
    assert_eq!(
        runs.iter().map(|(e, _)| *e).collect::<Vec<_>>(),
        verified_dl::rbm::BAS_ESTIMATORS
    );
    assert!(
        end[0] > end[2] && end[2] > end[3] && end[3] > end[1],
        "{end:?}"
    );
    assert!(
        falls_of[3] > falls_of[1] && falls_of[3] > falls_of[2],
        "{falls_of:?}"
    );
    assert!(
        (mass_of[3] - mass_of[0]).abs() < 0.01 * mass_of[0],
        "{mass_of:?}"
    );
    assert!(bound_of[3] / mass_of[3] < bound_of[0] / mass_of[0]);
    for (name, values) in &records {
        for (what, value) in values {
            verified_dl::record!(format!("rbm.bas.{name}.{what}"), *value);
        }
    }
    verified_dl::record!("rbm.bas.start", runs[0].1.log_likelihood[0]);
    verified_dl::record!("rbm.bas.exact-gradient.evenness", bound_of[0] / mass_of[0]);
}

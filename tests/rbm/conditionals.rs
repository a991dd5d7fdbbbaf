//! Problem 3: every line of the derivation of p(h | v) and p(v | h), the energy,
//! the free energies and ln Z, each against brute force over the joint.

use ndarray::{Array1, Array2};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{rel_err, seeded, uniform, SeededRng, EXACT_TOL};
use verified_dl::numerics::{log_sum_exp, softplus};
use verified_dl::rbm::brute;
use verified_dl::rbm::exact::{state, Layer};
use verified_dl::rbm::Rbm;

/// Number of random machines of the conditional checks.
const MACHINES: usize = 512;
/// Weight scales of the random machines, used in turn: the largest makes
/// |E(v, h)| reach thousands, far beyond the 709.78 at which e^x overflows.
pub(crate) const SCALES: [f64; 4] = [0.1, 1.0, 10.0, 100.0];

pub(crate) fn random_rbm(rng: &mut SeededRng, n_v: usize, n_h: usize, scale: f64) -> Rbm {
    Rbm::new(
        uniform(rng, (n_v, n_h), -scale, scale).unwrap(),
        uniform(rng, n_h, -scale, scale).unwrap(),
        uniform(rng, n_v, -scale, scale).unwrap(),
    )
    .unwrap()
}

/// A shape (n_v, n_h) with layers of 1 to `max` units, of case `m % 3`: the
/// visible layer smaller, the hidden layer smaller, or a tie.
pub(crate) fn layer_shape(rng: &mut SeededRng, m: usize, max: usize) -> (usize, usize) {
    let small = rng.random_range(1..max);
    let large = rng.random_range(small + 1..=max);
    match m % 3 {
        0 => (small, large),
        1 => (large, small),
        _ => (small, small),
    }
}

/// Counts the shapes of each case (visible smaller, hidden smaller, tie),
/// asserts each is at least a quarter of them, and records the counts as
/// `<name>.visible-smaller`, `<name>.hidden-smaller` and `<name>.tie`.
pub(crate) fn layer_coverage(name: &str, shapes: &[(usize, usize)]) -> [usize; 3] {
    let mut counts = [0usize; 3];
    for &(n_v, n_h) in shapes {
        counts[match n_v.cmp(&n_h) {
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Equal => 2,
        }] += 1;
    }
    for (case, &count) in ["visible-smaller", "hidden-smaller", "tie"]
        .iter()
        .zip(&counts)
    {
        assert!(
            4 * count >= shapes.len(),
            "{name}: {count} of {} {case}",
            shapes.len()
        );
        verified_dl::record!(format!("{name}.{case}"), count as f64);
    }
    counts
}

pub(crate) fn random_state(rng: &mut SeededRng, n: usize) -> Array1<f64> {
    Array1::from_shape_simple_fn(n, || if rng.random::<bool>() { 1.0 } else { 0.0 })
}

/// The error of a log-probability `got` against the brute-force `truth`:
/// |got - truth| / max(1, |truth|). An absolute error in ln p is a relative
/// error in p, so probabilities far below 1e-12 are checked too.
pub(crate) fn log_err(truth: f64, got: f64) -> f64 {
    rel_err(truth, got)
}

/// The true relative error |p - t| / t of a probability `p` against
/// t = e^{truth_log}, where t is a normal `f64`; where t underflows below the
/// normal range, 0 if p does too and 1 otherwise.
fn prob_err(truth_log: f64, p: f64) -> f64 {
    let t = truth_log.exp();
    if t >= f64::MIN_POSITIVE {
        ((p - t) / t).abs()
    } else if p < 2.0 * f64::MIN_POSITIVE {
        0.0
    } else {
        1.0
    }
}

/// The worst errors of each line of the derivation of p(h | v), over every h.
#[derive(Default)]
struct Lines {
    bayes: f64,
    cancel: f64,
    factor: f64,
    product: f64,
    marginal: f64,
    free_energy: f64,
    overflows: usize,
    tiny: usize,
    cases: usize,
    /// Unit factors of line 4 evaluated at h_j = 0 and at h_j = 1: the two
    /// cases of sigma((2 h_j - 1) x_j), the first the one the source gets wrong.
    factors_off: usize,
    factors_on: usize,
}

/// A probability below which the old check, `rel_err` of the probabilities
/// (which divides by max(1, |p|)), could not see any error: 1e-12 = EXACT_TOL.
const TINY: f64 = 1e-12;

/// Checks each line of the derivation of p(h | v) for one machine and one v,
/// for every h, against the brute-force p(h | v) = e^{-E(v,h)} / sum_h' e^{-E(v,h')}.
fn check_lines(rbm: &Rbm, v: &Array1<f64>, lines: &mut Lines) {
    let n_h = rbm.n_h();
    let truth = brute::log_p_h_given_v(rbm, v.view()).unwrap();
    let x = rbm.hidden_input(v.view()).unwrap();
    // Line 2: e^{s(h)} / sum_h' e^{s(h')} with s(h) = v^T W h + h^T a (the factors
    // e^{v^T b} and 1/Z cancelled), in the log domain so that it cannot overflow.
    let s: Vec<f64> = (0..1usize << n_h)
        .map(|l| {
            let h = state(l, n_h).unwrap();
            v.dot(&rbm.w().dot(&h)) + h.dot(&rbm.hidden_bias())
        })
        .collect();
    let lse_s = log_sum_exp(&s);
    let log_normalizer: f64 = x.iter().map(|&xj| softplus(xj)).sum();
    for l in 0..1usize << n_h {
        let h = state(l, n_h).unwrap();
        let minus_e = -rbm.energy(v.view(), h.view()).unwrap();
        if minus_e.exp().is_infinite() {
            lines.overflows += 1;
        }
        if truth[l] < TINY.ln() {
            lines.tiny += 1;
        }
        // Line 3-4: prod_j e^{h_j x_j} / prod_j (1 + e^{x_j}), in the log domain.
        let factor = h.dot(&x) - log_normalizer;
        lines.cancel = lines.cancel.max(log_err(truth[l], s[l] - lse_s));
        lines.factor = lines.factor.max(log_err(truth[l], factor));
        // Line 4 both ways: the log of the product, and the product itself by
        // its true relative error.
        let log_product = rbm.log_prob_h_given_v(h.view(), v.view()).unwrap();
        let product = rbm.prob_h_given_v(h.view(), v.view()).unwrap();
        lines.product = lines
            .product
            .max(log_err(truth[l], log_product))
            .max(prob_err(truth[l], product));
        lines.cases += 1;
        lines.factors_on += l.count_ones() as usize;
        lines.factors_off += n_h - l.count_ones() as usize;
    }
    // Line 6: p(h_j = 1 | v) = sum of p(h | v) over the h with h_j = 1, in the
    // log domain: ln sigma(x_j) = -softplus(-x_j).
    let p_h = rbm.p_h_given_v(v.view()).unwrap();
    for j in 0..n_h {
        let on: Vec<f64> = (0..1usize << n_h)
            .filter(|l| (l >> j) & 1 == 1)
            .map(|l| truth[l])
            .collect();
        let log_marginal = log_sum_exp(&on);
        lines.marginal = lines
            .marginal
            .max(log_err(log_marginal, -softplus(-x[j])))
            .max(prob_err(log_marginal, p_h[j]));
    }
    let f = rbm.free_energy(v.view()).unwrap();
    lines.free_energy = lines
        .free_energy
        .max(rel_err(brute::free_energy(rbm, v.view()).unwrap(), f));
    // Line 1 needs Z itself: only for machines small enough to tabulate.
    // ln p(h | v) = ln p(v, h) - ln p(v), with ln p(v) = ln sum_h' p(v, h').
    if rbm.n_v() + n_h <= 12 {
        let table = brute::log_joint_table(rbm).unwrap();
        let k = (0..rbm.n_v()).map(|i| (v[i] as usize) << i).sum::<usize>();
        let row: Vec<f64> = table.row(k).to_vec();
        let log_p_v = log_sum_exp(&row);
        for l in 0..1usize << n_h {
            lines.bayes = lines.bayes.max(log_err(truth[l], row[l] - log_p_v));
        }
    }
}

fn run_hidden_checks() -> Lines {
    let mut rng = seeded(3);
    let mut lines = Lines::default();
    for m in 0..MACHINES {
        let n_v = rng.random_range(1..=10);
        let n_h = rng.random_range(1..=10);
        let rbm = random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()]);
        for _ in 0..2 {
            let v = random_state(&mut rng, n_v);
            check_lines(&rbm, &v, &mut lines);
        }
    }
    lines
}

/// The symmetric result: the same lines for p(v | h), through the transposed machine,
/// whose hidden layer is the visible layer of the original.
fn transpose(rbm: &Rbm) -> Rbm {
    Rbm::new(
        rbm.w().t().to_owned(),
        rbm.visible_bias().to_owned(),
        rbm.hidden_bias().to_owned(),
    )
    .unwrap()
}

/// Fails if a line of p(h | v) (Bayes, the cancellation, the factors, ln p(h | v) and p(h | v),
/// σ(x_j), F(v)) differs from brute force over e^{−E(v, h)} by more than `EXACT_TOL` (in ln p; F
/// relatively), for any h of 512 machines with weights up to ±100: the source's σ(h_j x_j), the
/// sign (1 − 2h_j), the hidden bias left out of x, or the last unit dropped would each miss.
#[test]
fn h_given_v_every_line_matches_brute_force() {
    let lines = run_hidden_checks();
    assert!(lines.overflows > 0, "no case overflowed a naive exp");
    assert!(lines.tiny > 0, "no probability below {TINY:e}");
    println!(
        "{} pairs (v, h), {} overflow a naive e^(-E), {} have p(h | v) < {TINY:e}",
        lines.cases, lines.overflows, lines.tiny
    );
    verified_dl::verify!(
        "rbm.bayes",
        Method::Exhaustive,
        EXACT_TOL,
        lines.bayes,
        lines.cases
    );
    verified_dl::verify!(
        "rbm.cancel",
        Method::Exhaustive,
        EXACT_TOL,
        lines.cancel,
        lines.cases
    );
    verified_dl::verify!(
        "rbm.factor",
        Method::Exhaustive,
        EXACT_TOL,
        lines.factor,
        lines.cases
    );
    verified_dl::verify!(
        "rbm.h-given-v",
        Method::Exhaustive,
        EXACT_TOL,
        lines.product,
        lines.cases
    );
    verified_dl::verify!(
        "rbm.hj-given-v",
        Method::Exhaustive,
        EXACT_TOL,
        lines.marginal,
        lines.cases
    );
    verified_dl::verify!(
        "rbm.free-energy",
        Method::Exhaustive,
        EXACT_TOL,
        lines.free_energy,
        lines.cases
    );
    // Both cases of the unit factor, each at least a quarter of the factors.
    let factors = lines.factors_on + lines.factors_off;
    assert!(4 * lines.factors_on >= factors && 4 * lines.factors_off >= factors);
    verified_dl::record!("rbm.coverage.h-off", lines.factors_off as f64);
    verified_dl::record!("rbm.coverage.h-on", lines.factors_on as f64);
    verified_dl::record!("rbm.h-given-v.overflows", lines.overflows as f64);
    verified_dl::record!("rbm.h-given-v.tiny", lines.tiny as f64);
    verified_dl::record!("rbm.h-given-v.machines", MACHINES as f64);
}

/// Fails if ln p(v | h) or p(v | h), the marginals p(v_i = 1 | h) = σ(y_i), or F(h) differ from
/// brute force over every v by more than `EXACT_TOL` (in ln p; F relatively), or the transposed
/// machine's ln p(h | v) differs from ln p(v | h), on 512 machines: y = W h + b built with the
/// hidden bias a in place of b, or a wrong sign in σ((2v_i − 1) y_i), would miss.
#[test]
fn v_given_h_matches_brute_force() {
    let mut rng = seeded(4);
    let (mut worst_product, mut worst_marginal, mut worst_free, mut cases) =
        (0.0f64, 0.0f64, 0.0f64, 0);
    let mut overflows = 0;
    for m in 0..MACHINES {
        let n_v = rng.random_range(1..=10);
        let n_h = rng.random_range(1..=10);
        let rbm = random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()]);
        let swapped = transpose(&rbm);
        for _ in 0..2 {
            let h = random_state(&mut rng, n_h);
            let truth = brute::log_p_v_given_h(&rbm, h.view()).unwrap();
            for (k, &truth_k) in truth.iter().enumerate() {
                let v = state(k, n_v).unwrap();
                if (-rbm.energy(v.view(), h.view()).unwrap())
                    .exp()
                    .is_infinite()
                {
                    overflows += 1;
                }
                let log_product = rbm.log_prob_v_given_h(v.view(), h.view()).unwrap();
                let product = rbm.prob_v_given_h(v.view(), h.view()).unwrap();
                worst_product = worst_product
                    .max(log_err(truth_k, log_product))
                    .max(prob_err(truth_k, product));
                // The transposed machine's p(h | v) is the original's p(v | h).
                let mirrored = swapped.log_prob_h_given_v(v.view(), h.view()).unwrap();
                worst_product = worst_product.max(log_err(log_product, mirrored));
                cases += 1;
            }
            let p_v = rbm.p_v_given_h(h.view()).unwrap();
            for i in 0..n_v {
                let on: Vec<f64> = (0..1usize << n_v)
                    .filter(|k| (k >> i) & 1 == 1)
                    .map(|k| truth[k])
                    .collect();
                let log_marginal = log_sum_exp(&on);
                let y_i = rbm.visible_input(h.view()).unwrap()[i];
                worst_marginal = worst_marginal
                    .max(log_err(log_marginal, -softplus(-y_i)))
                    .max(prob_err(log_marginal, p_v[i]));
            }
            let column: Vec<f64> = (0..1usize << n_v)
                .map(|k| -rbm.energy(state(k, n_v).unwrap().view(), h.view()).unwrap())
                .collect();
            let f = rbm.free_energy_hidden(h.view()).unwrap();
            worst_free = worst_free.max(rel_err(-log_sum_exp(&column), f));
        }
    }
    assert!(overflows > 0, "no case overflowed a naive exp");
    verified_dl::record!("rbm.v-given-h.overflows", overflows as f64);
    verified_dl::verify!(
        "rbm.v-given-h",
        Method::Exhaustive,
        EXACT_TOL,
        worst_product,
        cases
    );
    verified_dl::verify!(
        "rbm.vi-given-h",
        Method::Exhaustive,
        EXACT_TOL,
        worst_marginal,
        cases
    );
    verified_dl::verify!(
        "rbm.free-energy-h",
        Method::Exhaustive,
        EXACT_TOL,
        worst_free,
        cases
    );
}

/// Fails if `Rbm::energy` differs from −Σ v_i W_ij h_j − Σ v_i b_i − Σ h_j a_j summed term by term
/// in the test, or Σ_{v,h} e^{−E(v, h) − ln Z} with the crate's ln Z differs from 1, by more than
/// `EXACT_TOL` relatively, on 64 machines up to 6 × 6: a dropped bias term or a wrong sign in E, or
/// a ln Z that misses a state, breaks it.
#[test]
fn energy_defines_a_normalized_joint() {
    let mut rng = seeded(5);
    let (mut worst_sum, mut worst_terms, mut cases) = (0.0f64, 0.0f64, 0);
    for m in 0..64 {
        let n_v = rng.random_range(1..=6);
        let n_h = rng.random_range(1..=6);
        let rbm = random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()]);
        let log_z = rbm.log_z().unwrap();
        let mut total = 0.0;
        for k in 0..1usize << n_v {
            let v = state(k, n_v).unwrap();
            for l in 0..1usize << n_h {
                let h = state(l, n_h).unwrap();
                let e = rbm.energy(v.view(), h.view()).unwrap();
                // The energy term by term: -sum_ij v_i W_ij h_j - sum_i v_i b_i - sum_j h_j a_j.
                let mut terms = 0.0;
                for i in 0..n_v {
                    for j in 0..n_h {
                        terms -= v[i] * rbm.w()[(i, j)] * h[j];
                    }
                    terms -= v[i] * rbm.visible_bias()[i];
                }
                for j in 0..n_h {
                    terms -= h[j] * rbm.hidden_bias()[j];
                }
                worst_terms = worst_terms.max(rel_err(terms, e));
                total += (-e - log_z).exp();
                cases += 1;
            }
        }
        worst_sum = worst_sum.max(rel_err(1.0, total));
    }
    verified_dl::verify!(
        "rbm.energy",
        Method::Exhaustive,
        EXACT_TOL,
        worst_sum.max(worst_terms),
        cases
    );
}

/// Fails if `log_z`, `log_z_by(Visible)` or `log_z_by(Hidden)` differs from the log-sum-exp of −E
/// over every (v, h) by more than `EXACT_TOL` relatively, on 202 machines (visible smaller, hidden
/// smaller, ties, 16 × 2 and 2 × 16), or a shape case is under a quarter of them: state 0 or the
/// last state left out of the sum, or the biases swapped in the transposed layer, would miss.
#[test]
fn log_z_by_the_smaller_layer_matches_brute_force() {
    let mut rng = seeded(6);
    let (mut worst, mut cases) = (0.0f64, 0);
    // Stratified by which layer is enumerated: the visible layer smaller, the
    // hidden layer smaller, and a tie, in turn.
    let mut shapes: Vec<(usize, usize)> = (0..200).map(|m| layer_shape(&mut rng, m, 7)).collect();
    // Lopsided machines: 16 units in one layer, 2 in the other.
    shapes.extend([(16, 2), (2, 16)]);
    for (m, &(n_v, n_h)) in shapes.iter().enumerate() {
        let rbm = random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()]);
        let truth = brute::log_z(&rbm).unwrap();
        for found in [
            rbm.log_z().unwrap(),
            rbm.log_z_by(Layer::Visible).unwrap(),
            rbm.log_z_by(Layer::Hidden).unwrap(),
        ] {
            worst = worst.max(rel_err(truth, found));
        }
        cases += 1;
    }
    let coverage = layer_coverage("rbm.coverage.log-z", &shapes);
    println!("log Z: (visible smaller, hidden smaller, tie) = {coverage:?}");
    verified_dl::verify!("rbm.log-z", Method::Exhaustive, EXACT_TOL, worst, cases);
}

/// Fails if ln Z of a 16 × 16 machine, too large for brute force, comes out more than `EXACT_TOL`
/// apart (relatively) through the visible and through the hidden layer: a transpose or a bias mixed
/// up in one orientation of the enumeration would. It compares the two orientations with each other
/// only.
#[test]
fn log_z_of_a_16_by_16_machine_is_the_same_through_either_layer() {
    let mut rng = seeded(7);
    let rbm = random_rbm(&mut rng, 16, 16, 1.0);
    let by_v = rbm.log_z_by(Layer::Visible).unwrap();
    let by_h = rbm.log_z_by(Layer::Hidden).unwrap();
    println!("ln Z = {by_v:.17} (through v) and {by_h:.17} (through h)");
    verified_dl::verify!(
        "rbm.log-z",
        Method::FloatingPoint,
        EXACT_TOL,
        rel_err(by_v, by_h),
        1
    );
    verified_dl::record!("rbm.log-z-16.value", by_v);
    verified_dl::record!("rbm.log-z-16.difference", rel_err(by_v, by_h));
}

/// Fails if `log_likelihood` of 1 to 5 random rows differs from the average of ln Σ_h p(v, h) over
/// the brute-force joint table by more than `EXACT_TOL` relatively, on 50 machines: −ln Z left out,
/// a wrong sign of F(v), or a sum divided by the wrong number of rows would miss.
#[test]
fn log_likelihood_is_minus_free_energy_minus_log_z() {
    let mut rng = seeded(8);
    let (mut worst, mut cases) = (0.0f64, 0);
    for m in 0..50 {
        let n_v = rng.random_range(1..=6);
        let n_h = rng.random_range(1..=6);
        let rbm = random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()]);
        let table = brute::log_joint_table(&rbm).unwrap();
        let rows = rng.random_range(1..=5);
        let mut data = Array2::zeros((rows, n_v));
        let mut expected = 0.0;
        for r in 0..rows {
            let k = rng.random_range(0..1usize << n_v);
            data.row_mut(r).assign(&state(k, n_v).unwrap());
            expected += log_sum_exp(&table.row(k).to_vec()) / rows as f64;
        }
        worst = worst.max(rel_err(expected, rbm.log_likelihood(data.view()).unwrap()));
        cases += 1;
    }
    verified_dl::verify!(
        "rbm.log-likelihood",
        Method::Exhaustive,
        EXACT_TOL,
        worst,
        cases
    );
}

/// Weight scale of the machines whose probabilities are mostly tiny: inputs
/// reach hundreds, so most p(h | v) lie far below 1e-12. It is the largest of
/// [`SCALES`]: the energies reach thousands, and their rounding error, about
/// 2^-53 |E| per term, stays below EXACT_TOL in ln p (at ten times the scale
/// it no longer does: the brute-force reference itself is only that exact).
const LARGE_SCALE: f64 = 100.0;

#[test]
fn tiny_probabilities_match_brute_force_in_log_space() {
    let mut rng = seeded(6);
    let (mut worst, mut tiny, mut cases) = (0.0f64, 0usize, 0usize);
    for _ in 0..64 {
        let n_v = rng.random_range(1..=8);
        let n_h = rng.random_range(1..=8);
        let rbm = random_rbm(&mut rng, n_v, n_h, LARGE_SCALE);
        for _ in 0..2 {
            let v = random_state(&mut rng, n_v);
            let truth = brute::log_p_h_given_v(&rbm, v.view()).unwrap();
            for (l, &t) in truth.iter().enumerate() {
                let h = state(l, n_h).unwrap();
                let got = rbm.log_prob_h_given_v(h.view(), v.view()).unwrap();
                let p = rbm.prob_h_given_v(h.view(), v.view()).unwrap();
                worst = worst.max(log_err(t, got)).max(prob_err(t, p));
                tiny += usize::from(t < TINY.ln());
                cases += 1;
            }
            let h = random_state(&mut rng, n_h);
            let truth = brute::log_p_v_given_h(&rbm, h.view()).unwrap();
            for (k, &t) in truth.iter().enumerate() {
                let v = state(k, n_v).unwrap();
                let got = rbm.log_prob_v_given_h(v.view(), h.view()).unwrap();
                worst = worst.max(log_err(t, got));
                tiny += usize::from(t < TINY.ln());
                cases += 1;
            }
        }
    }
    println!("{cases} conditionals, {tiny} below {TINY:e}, worst log error {worst:e}");
    assert!(
        2 * tiny > cases,
        "only {tiny} of {cases} probabilities are tiny"
    );
    assert!(worst <= EXACT_TOL, "worst log-probability error {worst:e}");
    verified_dl::record!("rbm.tiny.cases", cases as f64);
    verified_dl::record!("rbm.tiny.fraction", tiny as f64 / cases as f64);
    verified_dl::record!("rbm.tiny.worst", worst);
}

#[test]
fn the_log_space_check_sees_errors_the_probability_check_misses() {
    // p = 1e-100 computed as 2e-100 is off by a factor of 2: rel_err of the
    // probabilities calls that 1e-100, the log-space error calls it 3e-3.
    let (truth, wrong) = (1e-100f64, 2e-100f64);
    assert!(rel_err(truth, wrong) < EXACT_TOL);
    assert!(log_err(truth.ln(), wrong.ln()) > EXACT_TOL);
    assert!(prob_err(truth.ln(), wrong) > EXACT_TOL);
    verified_dl::record!("rbm.factor-two.rel-err", rel_err(truth, wrong));
    verified_dl::record!("rbm.factor-two.log-err", log_err(truth.ln(), wrong.ln()));
}

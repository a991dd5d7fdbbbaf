//! Problem 3: property tests of every public function of `rbm`. Arbitrary
//! shapes and values, including 0, 1, usize::MAX, NaN, +-inf, +-1e308 and
//! subnormals, go into each function; it must return `Err` or a finite `Ok`,
//! and where a reference exists (brute force over the joint, a direct sum),
//! the `Ok` must match it.
//!
//! Cases: the `CASES_*` constants below, 13 400 in all (the two brute-force
//! tests share `CASES_BRUTE`).

use ndarray::{Array1, Array2, ArrayView1};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use verified_dl::check::{rel_err, seeded};
use verified_dl::numerics::log_sum_exp;
use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::chain::{chain_total_variation, gibbs_demo_rbm};
use verified_dl::rbm::exact::{state, MAX_STATE_UNITS};
use verified_dl::rbm::examples::{diagram_rbm, worked_rbm};
use verified_dl::rbm::exercises::{
    free_energy_gradient, gaussian_energy, gaussian_log_p_v_given_h, gaussian_visible_mean,
    one_hidden_log_z,
};
use verified_dl::rbm::train::{initial_rbm, train, Estimator, Schedule};
use verified_dl::rbm::{brute, experiment, model, source, Gradient, Layer, Moments, Rbm};
use verified_dl::Error;

/// Every public function and method of the chapter's modules (code/rbm/).
const PUBLIC_API: &[&str] = &[
    "rbm::bars_stripes::bars_and_stripes",
    "rbm::brute::minus_energy_table",
    "rbm::brute::log_joint_table",
    "rbm::brute::log_z",
    "rbm::brute::log_p_h_given_v",
    "rbm::brute::p_h_given_v",
    "rbm::brute::log_p_v_given_h",
    "rbm::brute::p_v_given_h",
    "rbm::brute::free_energy",
    "rbm::chain::gibbs_demo_rbm",
    "rbm::chain::chain_total_variation",
    "rbm::exact::state",
    "rbm::Rbm::smaller_layer",
    "rbm::Rbm::log_z",
    "rbm::Rbm::log_z_by",
    "rbm::Rbm::log_likelihood",
    "rbm::Rbm::data_moments",
    "rbm::Rbm::model_moments",
    "rbm::Rbm::gradient",
    "rbm::Moments::zeros",
    "rbm::Moments::vh",
    "rbm::Moments::h",
    "rbm::Moments::v",
    "rbm::Moments::add",
    "rbm::Moments::scale",
    "rbm::Moments::minus",
    "rbm::Gradient::new",
    "rbm::Gradient::w",
    "rbm::Gradient::hidden_bias",
    "rbm::Gradient::visible_bias",
    "rbm::experiment::bas_runs",
    "rbm::experiment::log_marginals",
    "rbm::experiment::most_probable",
    "rbm::experiment::mass_on",
    "rbm::Rbm::new",
    "rbm::Rbm::from_weights",
    "rbm::Rbm::with_visible_bias",
    "rbm::Rbm::with_hidden_bias",
    "rbm::Rbm::n_v",
    "rbm::Rbm::n_h",
    "rbm::Rbm::w",
    "rbm::Rbm::visible_bias",
    "rbm::Rbm::hidden_bias",
    "rbm::Rbm::energy",
    "rbm::Rbm::hidden_input",
    "rbm::Rbm::visible_input",
    "rbm::Rbm::p_h_given_v",
    "rbm::Rbm::p_v_given_h",
    "rbm::Rbm::prob_h_given_v",
    "rbm::Rbm::prob_v_given_h",
    "rbm::Rbm::log_prob_h_given_v",
    "rbm::Rbm::log_prob_v_given_h",
    "rbm::Rbm::free_energy",
    "rbm::Rbm::free_energy_hidden",
    "rbm::Rbm::sample_h_given_v",
    "rbm::Rbm::sample_v_given_h",
    "rbm::Rbm::gibbs_step",
    "rbm::Rbm::gibbs_sweep",
    "rbm::source::joint_over_p_h",
    "rbm::source::product_of_sigma_h_x",
    "rbm::source::unit_sum",
    "rbm::source::marginal_by_source_chain",
    "rbm::source::stray_constant",
    "rbm::source::product_named_joint",
    "rbm::Estimator::name",
    "rbm::Rbm::ascend",
    "rbm::train::initial_rbm",
    "rbm::train::train",
    "rbm::Rbm::edges",
    "rbm::Rbm::shared_visible",
    "rbm::examples::worked_rbm",
    "rbm::examples::diagram_rbm",
    "rbm::exercises::one_hidden_log_z",
    "rbm::exercises::free_energy_gradient",
    "rbm::exercises::gaussian_energy",
    "rbm::exercises::gaussian_visible_mean",
    "rbm::exercises::gaussian_log_p_v_given_h",
];

/// The public functions that take no argument, so there is nothing to vary:
/// `bas_runs` is the chapter's experiment (seconds), run once by
/// `tests/rbm/train.rs`; `gibbs_demo_rbm`, `worked_rbm` and `diagram_rbm`
/// are called once below.
const WITHOUT_ARGUMENTS: &[&str] = &[
    "rbm::experiment::bas_runs",
    "rbm::chain::gibbs_demo_rbm",
    "rbm::examples::worked_rbm",
    "rbm::examples::diagram_rbm",
];

/// `pub fn` names of code/rbm/*.rs, as "rbm::<file>::f" for free functions and
/// "rbm::<Type>::f" for methods (the type of the enclosing `impl`).
fn public_functions() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../code/rbm");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut impl_type: Option<String> = None;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("impl") {
                // `impl Rbm {`, `impl<T> X for Y {`: the type is the last word before `{`.
                let head = rest.split('{').next().unwrap_or("");
                impl_type = head.split_whitespace().last().map(|t| t.to_string());
            } else if line.starts_with('}') {
                impl_type = None;
            }
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let owner = if line.starts_with("pub fn") {
                    stem.clone()
                } else {
                    impl_type.clone().unwrap_or_else(|| stem.clone())
                };
                names.push(format!("rbm::{owner}::{name}"));
            }
        }
    }
    names
}

#[test]
fn public_api_lists_every_public_function() {
    let found = public_functions();
    assert!(found.len() > 50, "parsed only {} functions", found.len());
    for name in &found {
        assert!(
            PUBLIC_API.contains(&name.as_str()),
            "{name} is public but missing from PUBLIC_API (and from the property tests)"
        );
    }
    for name in PUBLIC_API {
        assert!(
            found.iter().any(|f| f == name),
            "{name} is in PUBLIC_API but no longer public"
        );
    }
}

#[test]
fn functions_without_arguments() {
    for name in WITHOUT_ARGUMENTS {
        assert!(PUBLIC_API.contains(name));
    }
    let rbm = gibbs_demo_rbm();
    assert!(rbm.w().iter().all(|w| w.is_finite()));
    let worked = worked_rbm().unwrap();
    assert_eq!((worked.n_v(), worked.n_h()), (2, 2));
    let diagram = diagram_rbm().unwrap();
    assert_eq!((diagram.n_v(), diagram.n_h()), (4, 3));
    // two of its twelve weights are zero: ten edges
    assert_eq!(diagram.edges().len(), 10);
}

// ---------------------------------------------------------------- strategies

/// Any f64 an argument might hold: ordinary values most of the time, and the
/// special ones: 0, 1, NaN, +-inf, +-1e308, subnormals, the range limit 1e6.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -3.0..3.0f64,
        1 => Just(0.0),
        1 => Just(1.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e308),
        1 => Just(-1e308),
        1 => Just(5e-324),
        1 => Just(-5e-324),
        1 => Just(1e6),
        1 => Just(-1e6 - 1.0),
        1 => -1000.0..1000.0f64,
    ]
}

/// A parameter of a valid machine: small or up to a thousand.
fn parameter() -> impl Strategy<Value = f64> {
    prop_oneof![4 => -3.0..3.0f64, 1 => -1000.0..1000.0f64, 1 => Just(0.0)]
}

/// A state entry: 0 or 1 most of the time, else anything.
fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![8 => prop_oneof![Just(0.0), Just(1.0)], 1 => value()]
}

/// A size argument: small, or at the edges.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0usize..=5,
        1 => Just(usize::MAX),
        1 => Just(MAX_STATE_UNITS + 1),
        1 => Just(21usize),
    ]
}

fn array1(n: usize, s: impl Strategy<Value = f64>) -> impl Strategy<Value = Array1<f64>> {
    proptest::collection::vec(s, n).prop_map(Array1::from)
}

fn array2(r: usize, c: usize, s: impl Strategy<Value = f64>) -> impl Strategy<Value = Array2<f64>> {
    proptest::collection::vec(s, r * c)
        .prop_map(move |v| Array2::from_shape_vec((r, c), v).unwrap())
}

/// Parameters of any shape (0 to 4 units a layer) and any values.
fn any_parameters() -> impl Strategy<Value = (Array2<f64>, Array1<f64>, Array1<f64>)> {
    (0usize..=4, 0usize..=4, 0usize..=4, 0usize..=4).prop_flat_map(|(n_v, n_h, la, lb)| {
        // The biases have the right length most of the time.
        let la = if la == 4 { la } else { n_h };
        let lb = if lb == 4 { lb } else { n_v };
        (
            array2(n_v, n_h, value()),
            array1(la, value()),
            array1(lb, value()),
        )
    })
}

/// A valid machine of 1 to 4 units a layer.
fn machine() -> impl Strategy<Value = Rbm> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(n_v, n_h)| {
        (
            array2(n_v, n_h, parameter()),
            array1(n_h, parameter()),
            array1(n_v, parameter()),
        )
            .prop_map(|(w, a, b)| Rbm::new(w, a, b).unwrap())
    })
}

/// A machine and a state vector of nearly the right length for each layer.
fn machine_and_states() -> impl Strategy<Value = (Rbm, Array1<f64>, Array1<f64>)> {
    (machine(), 0usize..8, 0usize..8).prop_flat_map(|(rbm, dv, dh)| {
        let lv = if dv == 7 { rbm.n_v() + 1 } else { rbm.n_v() };
        let lh = if dh == 7 {
            rbm.n_h().saturating_sub(1)
        } else {
            rbm.n_h()
        };
        (Just(rbm), array1(lv, unit()), array1(lh, unit()))
    })
}

/// A machine and a data set of 0 to 3 rows, nearly always of the right width.
fn machine_and_data() -> impl Strategy<Value = (Rbm, Array2<f64>)> {
    (machine(), 0usize..=3, 0usize..8).prop_flat_map(|(rbm, rows, d)| {
        let cols = if d == 7 { rbm.n_v() + 1 } else { rbm.n_v() };
        (Just(rbm), array2(rows, cols, unit()))
    })
}

// ------------------------------------------------------------------- checks

/// The outcome every function must have: an error, or a finite value.
trait Finite {
    fn finite(&self) -> bool;
}
impl Finite for f64 {
    fn finite(&self) -> bool {
        self.is_finite()
    }
}
impl Finite for () {
    fn finite(&self) -> bool {
        true
    }
}
impl Finite for usize {
    fn finite(&self) -> bool {
        true
    }
}
impl<D: ndarray::Dimension> Finite for ndarray::Array<f64, D> {
    fn finite(&self) -> bool {
        self.iter().all(|x| x.is_finite())
    }
}
impl<T: Finite> Finite for Vec<T> {
    fn finite(&self) -> bool {
        self.iter().all(Finite::finite)
    }
}
impl<A: Finite, B: Finite> Finite for (A, B) {
    fn finite(&self) -> bool {
        self.0.finite() && self.1.finite()
    }
}
impl Finite for Rbm {
    fn finite(&self) -> bool {
        self.w()
            .iter()
            .chain(self.hidden_bias())
            .chain(self.visible_bias())
            .all(|x| x.is_finite())
    }
}
impl Finite for Moments {
    fn finite(&self) -> bool {
        self.vh()
            .iter()
            .chain(self.h())
            .chain(self.v())
            .all(|x| x.is_finite())
    }
}
impl Finite for Gradient {
    fn finite(&self) -> bool {
        self.w()
            .iter()
            .chain(self.hidden_bias())
            .chain(self.visible_bias())
            .all(|x| x.is_finite())
    }
}

/// Err, or a finite Ok; returns the Ok value if there is one.
fn err_or_finite<T: Finite>(call: &str, r: Result<T, Error>) -> Result<Option<T>, TestCaseError> {
    match r {
        Err(e) => {
            // Every error names what it is about (or says it in its message).
            prop_assert!(!e.to_string().is_empty(), "{call}: empty message");
            Ok(None)
        }
        Ok(t) => {
            prop_assert!(t.finite(), "{call}: Ok with a non-finite value");
            Ok(Some(t))
        }
    }
}

fn is_binary(s: ArrayView1<f64>) -> bool {
    s.iter().all(|&x| x == 0.0 || x == 1.0)
}

fn number(s: ArrayView1<f64>) -> usize {
    s.iter().enumerate().map(|(i, &x)| (x as usize) << i).sum()
}

/// Tolerance of the comparisons with brute force: energies of these machines
/// reach 4 x 4 x 1000 + 8 x 1000 = 24 000, whose rounding, 2^-53 of that per
/// term, is about 3e-12 in a log-probability; 1e-9 leaves a wide margin.
const PROP_TOL: f64 = 1e-9;

const CASES_CONSTRUCTORS: u32 = 1500;
const CASES_STATES: u32 = 1500;
const CASES_CONDITIONALS: u32 = 1500;
const CASES_EXACT: u32 = 1000;
const CASES_MOMENTS: u32 = 1500;
const CASES_SAMPLING: u32 = 1000;
const CASES_BRUTE: u32 = 1000;
const CASES_SOURCE: u32 = 1000;
const CASES_TRAIN: u32 = 300;
const CASES_CHAIN: u32 = 300;
const CASES_EXPERIMENT: u32 = 500;
const CASES_ASCEND: u32 = 1000;
const CASES_DATA_SET: u32 = 300;
const CASES_GRAPH: u32 = 1000;

/// A machine, states of nearly the right lengths, two hidden unit numbers,
/// and a real visible vector of any values, nearly always of the right length.
#[allow(clippy::type_complexity)]
fn graph_case(
) -> impl Strategy<Value = ((Rbm, Array1<f64>, Array1<f64>), usize, usize, Array1<f64>)> {
    (machine_and_states(), size(), size(), 0usize..8).prop_flat_map(|(m, j, k, d)| {
        let len = if d == 7 { m.0.n_v() + 1 } else { m.0.n_v() };
        (Just(m), Just(j), Just(k), array1(len, value()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_GRAPH)))]

    #[test]
    fn graph_and_exercises(((rbm, v, h), j, k, real_v) in graph_case()) {
        // edges: exactly the nonzero weights, with their values
        let edges = rbm.edges();
        prop_assert_eq!(edges.len(), rbm.w().iter().filter(|&&x| x != 0.0).count());
        for e in &edges {
            prop_assert!(e.weight != 0.0 && e.weight == rbm.w()[(e.visible, e.hidden)]);
        }
        // shared visible units of two hidden units
        match err_or_finite("Rbm::shared_visible", rbm.shared_visible(j, k))? {
            Some(shared) => {
                prop_assert!(j < rbm.n_h() && k < rbm.n_h() && j != k);
                for i in 0..rbm.n_v() {
                    let both = rbm.w()[(i, j)] != 0.0 && rbm.w()[(i, k)] != 0.0;
                    prop_assert_eq!(shared.contains(&i), both);
                }
            }
            None => prop_assert!(j >= rbm.n_h() || k >= rbm.n_h() || j == k),
        }
        // one hidden unit: the closed form against brute force
        match err_or_finite("exercises::one_hidden_log_z", one_hidden_log_z(&rbm))? {
            Some(log_z) => {
                prop_assert_eq!(rbm.n_h(), 1);
                prop_assert!(rel_err(log_z, brute::log_z(&rbm).unwrap()) <= PROP_TOL);
            }
            None => prop_assert!(rbm.n_h() != 1),
        }
        // the free energy's gradient: d F / d b = -v for a valid v
        let g = err_or_finite("exercises::free_energy_gradient", free_energy_gradient(&rbm, v.view()))?;
        let valid_v = v.len() == rbm.n_v() && is_binary(v.view());
        prop_assert_eq!(g.is_some(), valid_v);
        if let Some(g) = g {
            let minus_v = -&v;
            prop_assert_eq!(g.visible_bias(), minus_v.view());
        }
        // Gaussian visible units: real v, binary h
        let valid_h = h.len() == rbm.n_h() && is_binary(h.view());
        let e = err_or_finite("exercises::gaussian_energy", gaussian_energy(&rbm, real_v.view(), h.view()))?;
        let mean = err_or_finite("exercises::gaussian_visible_mean", gaussian_visible_mean(&rbm, h.view()))?;
        prop_assert_eq!(mean.is_some(), valid_h);
        let log_p = err_or_finite(
            "exercises::gaussian_log_p_v_given_h",
            gaussian_log_p_v_given_h(&rbm, real_v.view(), h.view()),
        )?;
        if let Some(log_p) = log_p {
            // a normal density of unit variance is at most (2 pi)^{-n/2}
            let peak = -0.5 * rbm.n_v() as f64 * (2.0 * std::f64::consts::PI).ln();
            prop_assert!(log_p <= peak + 1e-12);
        }
        if e.is_some() || log_p.is_some() {
            prop_assert!(valid_h && real_v.len() == rbm.n_v());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_CONSTRUCTORS)))]

    #[test]
    fn constructors_and_getters((w, a, b) in any_parameters()) {
        let made = err_or_finite("Rbm::new", Rbm::new(w.clone(), a.clone(), b.clone()))?;
        let built = Rbm::from_weights(w.clone())
            .and_then(|r| r.with_hidden_bias(a.clone()))
            .and_then(|r| r.with_visible_bias(b.clone()));
        let built = err_or_finite("Rbm::from_weights + with_*", built)?;
        // The builder accepts exactly what new accepts, and makes the same machine.
        prop_assert_eq!(&made, &built);
        if let Some(rbm) = made {
            prop_assert_eq!(rbm.w(), w.view());
            prop_assert_eq!(rbm.hidden_bias(), a.view());
            prop_assert_eq!(rbm.visible_bias(), b.view());
            prop_assert_eq!((rbm.n_v(), rbm.n_h()), w.dim());
            prop_assert!(w.iter().chain(&a).chain(&b).all(|x| x.abs() <= model::MAX_PARAMETER));
        } else {
            let ok = w.nrows() > 0 && w.ncols() > 0 && a.len() == w.ncols() && b.len() == w.nrows()
                && w.iter().chain(&a).chain(&b).all(|x| x.abs() <= model::MAX_PARAMETER);
            prop_assert!(!ok, "valid parameters refused");
        }
        let g = err_or_finite("Gradient::new", Gradient::new(w.clone(), a.clone(), b.clone()))?;
        if let Some(g) = g {
            prop_assert_eq!(g.w(), w.view());
            prop_assert_eq!(g.hidden_bias(), a.view());
            prop_assert_eq!(g.visible_bias(), b.view());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_STATES)))]

    #[test]
    fn state_numbers(index in prop_oneof![0usize..64, Just(usize::MAX), any::<usize>()], n in size()) {
        let s = err_or_finite("exact::state", state(index, n))?;
        if let Some(s) = s {
            prop_assert_eq!(s.len(), n);
            prop_assert!(is_binary(s.view()));
            if n < 64 {
                prop_assert!(index < 1 << n);
            }
            prop_assert_eq!(number(s.view()), index);
        } else {
            prop_assert!(n > MAX_STATE_UNITS || (n < 64 && index >> n != 0));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_CONDITIONALS)))]

    #[test]
    fn energy_inputs_and_conditionals((rbm, v, h) in machine_and_states()) {
        let valid = v.len() == rbm.n_v() && h.len() == rbm.n_h() && is_binary(v.view()) && is_binary(h.view());
        let e = err_or_finite("energy", rbm.energy(v.view(), h.view()))?;
        prop_assert_eq!(e.is_some(), valid);
        let x = err_or_finite("hidden_input", rbm.hidden_input(v.view()))?;
        let y = err_or_finite("visible_input", rbm.visible_input(h.view()))?;
        let ph = err_or_finite("p_h_given_v", rbm.p_h_given_v(v.view()))?;
        let pv = err_or_finite("p_v_given_h", rbm.p_v_given_h(h.view()))?;
        let p_hv = err_or_finite("prob_h_given_v", rbm.prob_h_given_v(h.view(), v.view()))?;
        let p_vh = err_or_finite("prob_v_given_h", rbm.prob_v_given_h(v.view(), h.view()))?;
        let l_hv = err_or_finite("log_prob_h_given_v", rbm.log_prob_h_given_v(h.view(), v.view()))?;
        let l_vh = err_or_finite("log_prob_v_given_h", rbm.log_prob_v_given_h(v.view(), h.view()))?;
        let fv = err_or_finite("free_energy", rbm.free_energy(v.view()))?;
        let fh = err_or_finite("free_energy_hidden", rbm.free_energy_hidden(h.view()))?;
        for p in ph.iter().chain(pv.iter()).flatten() {
            prop_assert!((0.0..=1.0).contains(p));
        }
        if let Some(e) = e {
            // The energy against its triple sum.
            let mut sum = 0.0;
            for i in 0..rbm.n_v() {
                sum -= v[i] * rbm.visible_bias()[i];
                for j in 0..rbm.n_h() {
                    sum -= v[i] * rbm.w()[(i, j)] * h[j];
                }
            }
            for j in 0..rbm.n_h() {
                sum -= h[j] * rbm.hidden_bias()[j];
            }
            prop_assert!(rel_err(sum, e) <= PROP_TOL, "energy {e} against {sum}");
            // The conditionals against brute force, in log space.
            let (k, l) = (number(v.view()), number(h.view()));
            let truth = brute::log_p_h_given_v(&rbm, v.view()).unwrap()[l];
            prop_assert!(rel_err(truth, l_hv.unwrap()) <= PROP_TOL);
            let truth_v = brute::log_p_v_given_h(&rbm, h.view()).unwrap()[k];
            prop_assert!(rel_err(truth_v, l_vh.unwrap()) <= PROP_TOL);
            let (p_hv, p_vh) = (p_hv.unwrap(), p_vh.unwrap());
            prop_assert!((0.0..=1.0).contains(&p_hv) && (0.0..=1.0).contains(&p_vh));
            if truth.exp() >= f64::MIN_POSITIVE {
                prop_assert!(((p_hv - truth.exp()) / truth.exp()).abs() <= PROP_TOL);
            }
            let f = brute::free_energy(&rbm, v.view()).unwrap();
            prop_assert!(rel_err(f, fv.unwrap()) <= PROP_TOL);
            prop_assert!(x.is_some() && y.is_some() && fh.is_some());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_EXACT)))]

    #[test]
    fn exact_sums((rbm, data) in machine_and_data()) {
        let log_z = err_or_finite("log_z", rbm.log_z())?.unwrap();
        let truth = brute::log_z(&rbm).unwrap();
        prop_assert!(rel_err(truth, log_z) <= PROP_TOL, "ln Z {log_z} against {truth}");
        for layer in [Layer::Visible, Layer::Hidden] {
            let by = err_or_finite("log_z_by", rbm.log_z_by(layer))?.unwrap();
            prop_assert!(rel_err(truth, by) <= PROP_TOL);
        }
        let smaller = rbm.smaller_layer();
        prop_assert_eq!(smaller == Layer::Hidden, rbm.n_h() <= rbm.n_v());
        let valid = data.nrows() > 0 && data.ncols() == rbm.n_v() && data.rows().into_iter().all(is_binary);
        let ll = err_or_finite("log_likelihood", rbm.log_likelihood(data.view()))?;
        let dm = err_or_finite("data_moments", rbm.data_moments(data.view()))?;
        let mm = err_or_finite("model_moments", rbm.model_moments())?.unwrap();
        let g = err_or_finite("gradient", rbm.gradient(data.view()))?;
        prop_assert_eq!(ll.is_some(), valid);
        prop_assert_eq!(dm.is_some(), valid);
        prop_assert_eq!(g.is_some(), valid);
        // Moments of a distribution lie in [0, 1]; gradients in [-1, 1].
        prop_assert!(mm.vh().iter().chain(mm.h()).chain(mm.v()).all(|x| (-1e-12..=1.0 + 1e-12).contains(x)));
        if let (Some(ll), Some(g)) = (ll, g) {
            // ln p(v) <= 0, up to the rounding of ln Z.
            prop_assert!(ll <= PROP_TOL * log_z.abs().max(1.0));
            let mut sum = 0.0;
            for v in data.rows() {
sum += log_sum_exp(&brute::log_joint_table(&rbm).unwrap().row(number(v)).to_vec());
            }
            let reference = sum / data.nrows() as f64;
            prop_assert!(rel_err(reference, ll) <= PROP_TOL * log_z.abs().max(1.0), "{ll} against {reference}");
            prop_assert!(g.w().iter().chain(g.hidden_bias()).chain(g.visible_bias()).all(|x| x.abs() <= 1.0 + 1e-12));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_MOMENTS)))]

    #[test]
    fn moments_accumulate(
        n_v in size(), n_h in size(),
        lv in 0usize..=5, lh in 0usize..=5,
        weight in value(), factor in value(),
        seed in any::<u64>(),
    ) {
        let m = err_or_finite("Moments::zeros", Moments::zeros(n_v, n_h))?;
        let Some(mut m) = m else {
            let limit = verified_dl::error::MAX_ELEMENTS;
            prop_assert!(
                n_v.checked_mul(n_h).is_none_or(|n| n > limit) || n_v > limit || n_h > limit
            );
            return Ok(());
        };
        let mut rng = seeded(seed);
        let v = verified_dl::check::uniform(&mut rng, lv, 0.0, 1.0).unwrap();
        let h = verified_dl::check::uniform(&mut rng, lh, -1e300, 1e300).unwrap();
        let before = m.clone();
        let added = err_or_finite("Moments::add", m.add(v.view(), h.view(), weight))?;
        if added.is_none() {
            prop_assert_eq!(&m, &before, "a failed add changed the moments");
        } else {
            prop_assert_eq!(m.h().len(), h.len());
            let expected = weight * &v;
            prop_assert_eq!(m.v(), expected.view());
        }
        let before = m.clone();
        if err_or_finite("Moments::scale", m.scale(factor))?.is_none() {
            prop_assert_eq!(&m, &before, "a failed scale changed the moments");
        }
        prop_assert!(m.finite());
        let other = Moments::zeros(n_v.min(5), n_h.min(5)).unwrap();
        let g = err_or_finite("Moments::minus", m.minus(&other))?;
        prop_assert_eq!(g.is_some(), m.vh().dim() == other.vh().dim());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_SAMPLING)))]

    #[test]
    fn sampling((rbm, v, h) in machine_and_states(), seed in any::<u64>()) {
        let mut rng = seeded(seed);
        let sh = err_or_finite("sample_h_given_v", rbm.sample_h_given_v(v.view(), &mut rng))?;
        let sv = err_or_finite("sample_v_given_h", rbm.sample_v_given_h(h.view(), &mut rng))?;
        let step = err_or_finite("gibbs_step", rbm.gibbs_step(v.view(), &mut rng))?;
        for s in sh.iter().chain(sv.iter()) {
            prop_assert!(is_binary(s.view()));
        }
        let (mut v2, mut h2) = (v.clone(), h.clone());
        let swept = err_or_finite("gibbs_sweep", rbm.gibbs_sweep(&mut v2, &mut h2, &mut rng))?;
        if let Some((hs, vs)) = step {
            prop_assert!(is_binary(hs.view()) && is_binary(vs.view()));
        }
        if swept.is_some() {
            prop_assert!(is_binary(v2.view()) && is_binary(h2.view()));
        }
        // The sweep and the step draw the same states from the same seed.
        if h.len() == rbm.n_h() {
            let (mut r1, mut r2) = (seeded(seed), seeded(seed));
            let a = rbm.gibbs_step(v.view(), &mut r1);
            let (mut v3, mut h3) = (v.clone(), h.clone());
            let b = rbm.gibbs_sweep(&mut v3, &mut h3, &mut r2);
            prop_assert_eq!(a.is_ok(), b.is_ok());
            if let Ok((hs, vs)) = a {
                prop_assert_eq!((hs, vs), (h3, v3));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_BRUTE)))]

    #[test]
    fn brute_force_references((rbm, v, h) in machine_and_states()) {
        let table = err_or_finite("minus_energy_table", brute::minus_energy_table(&rbm))?.unwrap();
        let joint = err_or_finite("log_joint_table", brute::log_joint_table(&rbm))?.unwrap();
        let log_z = err_or_finite("brute::log_z", brute::log_z(&rbm))?.unwrap();
        let total: f64 = joint.iter().map(|t| t.exp()).sum();
        prop_assert!((total - 1.0).abs() <= 1e-12, "the joint sums to {total}");
        prop_assert!(rel_err(table[(0, 0)] - log_z, joint[(0, 0)]) <= PROP_TOL);
        let lh = err_or_finite("log_p_h_given_v", brute::log_p_h_given_v(&rbm, v.view()))?;
        let ph = err_or_finite("p_h_given_v", brute::p_h_given_v(&rbm, v.view()))?;
        let lv = err_or_finite("log_p_v_given_h", brute::log_p_v_given_h(&rbm, h.view()))?;
        let pv = err_or_finite("p_v_given_h", brute::p_v_given_h(&rbm, h.view()))?;
        let f = err_or_finite("brute::free_energy", brute::free_energy(&rbm, v.view()))?;
        for p in [ph, pv].into_iter().flatten() {
            let sum: f64 = p.iter().sum();
            prop_assert!((sum - 1.0).abs() <= 1e-12);
        }
        prop_assert_eq!(lh.is_some(), f.is_some());
        prop_assert_eq!(lv.is_some(), h.len() == rbm.n_h() && is_binary(h.view()));
    }

    #[test]
    fn brute_force_refuses_large_layers(n_h in 23usize..=64, n_v in 1usize..=2) {
        let rbm = Rbm::from_weights(Array2::zeros((n_v, n_h))).unwrap();
        let v = Array1::zeros(n_v);
        prop_assert!(matches!(brute::p_h_given_v(&rbm, v.view()), Err(Error::TooLarge { .. })), "not refused");
        prop_assert!(matches!(brute::free_energy(&rbm, v.view()), Err(Error::TooLarge { .. })), "not refused");
        prop_assert!(matches!(brute::log_z(&rbm), Err(Error::TooLarge { .. })), "not refused");
        prop_assert!(matches!(rbm.log_z_by(Layer::Hidden), Err(Error::TooLarge { .. })), "not refused");
        let t = Rbm::from_weights(Array2::zeros((n_h, n_v))).unwrap();
        prop_assert!(matches!(brute::p_v_given_h(&t, v.view()), Err(Error::TooLarge { .. })), "not refused");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_SOURCE)))]

    #[test]
    fn source_formulas(
        (rbm, v, h) in machine_and_states(),
        x in proptest::collection::vec(value(), 0..5),
        j in size(),
        xi in value(),
    ) {
        err_or_finite("joint_over_p_h", source::joint_over_p_h(&rbm, v.view(), h.view()))?;
        err_or_finite("product_of_sigma_h_x", source::product_of_sigma_h_x(&rbm, v.view(), h.view()))?;
        let named = err_or_finite("product_named_joint", source::product_named_joint(&rbm, v.view(), h.view()))?;
        if let Some(p) = named {
            prop_assert_eq!(p, rbm.prob_h_given_v(h.view(), v.view()).unwrap());
        }
        let sum = err_or_finite("unit_sum", source::unit_sum(xi))?;
        if let Some(s) = sum {
            prop_assert!((0.5..=1.5).contains(&s));
        }
        let x = Array1::from(x);
        let chain = err_or_finite("marginal_by_source_chain", source::marginal_by_source_chain(x.view(), j))?;
        prop_assert_eq!(chain.is_some(), j < x.len() && x.iter().all(|x| x.is_finite()));
        let stray = err_or_finite("stray_constant", source::stray_constant(&rbm, v.view(), j))?;
        if stray.is_some() {
            prop_assert!(j < rbm.n_h());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_ASCEND)))]

    #[test]
    fn ascend((rbm, data) in machine_and_data(), rate in value(), scale in value()) {
        let Ok(g) = rbm.gradient(data.view()) else { return Ok(()); };
        let g = Gradient::new(
            &g.w() * scale.clamp(-1e300, 1e300),
            g.hidden_bias().to_owned(),
            g.visible_bias().to_owned(),
        );
        let Ok(g) = g else { return Ok(()); };
        let mut moved = rbm.clone();
        let r = err_or_finite("ascend", moved.ascend(&g, rate))?;
        if r.is_none() {
            prop_assert_eq!(&moved, &rbm, "a failed step changed the machine");
        }
        prop_assert!(moved.finite());
        for e in [Estimator::Exact, Estimator::Cd(3), Estimator::Pcd(1)] {
            prop_assert!(!e.name().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_TRAIN)))]

    #[test]
    fn training(
        data in (1usize..=4, 0usize..=3).prop_flat_map(|(c, r)| array2(r, c, unit())),
        n_h in size(),
        epochs in prop_oneof![0usize..=3, Just(usize::MAX)],
        k in prop_oneof![0usize..=2, Just(usize::MAX)],
        rate in value(),
        momentum in value(),
        seed in any::<u64>(),
    ) {
        let init = err_or_finite("initial_rbm", initial_rbm(data.view(), n_h, &mut seeded(seed)))?;
        if let Some(rbm) = &init {
            prop_assert_eq!((rbm.n_v(), rbm.n_h()), (data.ncols(), n_h));
        }
        let schedule = Schedule { epochs, learning_rate: rate, momentum, seed };
        for e in [Estimator::Exact, Estimator::Cd(k), Estimator::Pcd(k)] {
            let run = train(data.view(), n_h, e, schedule);
            match run {
                Err(_) => {}
                Ok(run) => {
                    prop_assert!(run.rbm.finite());
                    prop_assert_eq!(run.log_likelihood.len(), epochs + 1);
                    prop_assert!(run.log_likelihood.iter().all(|l| l.is_finite() && *l <= 1e-9));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_CHAIN)))]

    #[test]
    fn chains(
        sampler in machine(),
        burn_in in prop_oneof![0usize..=5, Just(usize::MAX), Just(verified_dl::rbm::chain::MAX_CHAIN_SWEEPS)],
        checkpoints in proptest::collection::vec(0usize..=30, 0..4).prop_map(|mut c| {
            if c.len() != 3 {
                c.sort_unstable();
                c.dedup();
            }
            c
        }),
        seed in any::<u64>(),
    ) {
        let target = sampler.clone();
        let tv = err_or_finite("chain_total_variation", chain_total_variation(&sampler, &target, burn_in, &checkpoints, seed))?;
        if let Some(tv) = tv {
            prop_assert_eq!(tv.len(), checkpoints.len());
            prop_assert!(tv.iter().all(|d| (0.0..=1.0 + 1e-12).contains(d)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_EXPERIMENT)))]

    #[test]
    fn exact_marginals((rbm, data) in machine_and_data(), count in size()) {
        let log_p = err_or_finite("log_marginals", experiment::log_marginals(&rbm))?.unwrap();
        let total: f64 = log_p.iter().map(|l| l.exp()).sum();
        prop_assert!((total - 1.0).abs() <= 1e-9, "p(v) sums to {total}");
        let top = err_or_finite("most_probable", experiment::most_probable(&rbm, count))?.unwrap();
        prop_assert_eq!(top.len(), count.min(log_p.len()));
        prop_assert!(top.windows(2).all(|w| log_p[w[0]] >= log_p[w[1]]));
        let mass = err_or_finite("mass_on", experiment::mass_on(&rbm, data.view()))?;
        if let Some(m) = mass {
            prop_assert!(m >= 0.0 && m <= data.nrows() as f64 + 1e-9);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(CASES_DATA_SET)))]

    #[test]
    fn data_set(side in prop_oneof![0usize..=6, Just(12usize), Just(13usize), Just(usize::MAX)]) {
        let d = err_or_finite("bars_and_stripes", bars_and_stripes(side))?;
        if let Some(d) = d {
            prop_assert_eq!(d.nrows(), 2 * (1 << side) - 2);
            prop_assert!(is_binary(d.row(0)));
        } else {
            prop_assert!(side == 0 || side > 12);
        }
    }
}

//! Each family of labelled equations against deliberately broken copies of
//! its kernel: the check that passes the crate's kernel must reject every
//! mutant (a wrong sign, a missing term, an off-by-one window, the source's
//! factor), or it could not fail.

use ndarray::{Array1, Array2, ArrayView1};
use rand::RngExt;
use verified_dl::check::{compare_arrays, gradient, rel_err, seeded, EXACT_TOL, FD_STEP, FD_TOL};
use verified_dl::numerics::{sigmoid, softplus};
use verified_dl::rbm::brute;
use verified_dl::rbm::exact::state;
use verified_dl::rbm::Rbm;

use crate::conditionals::{log_err, random_rbm, random_state, SCALES};

/// Machines of every scale and both shapes, as in the conditional checks.
fn machines() -> Vec<Rbm> {
    let mut rng = seeded(31);
    (0..32)
        .map(|m| {
            let n_v = rng.random_range(1..=6);
            let n_h = rng.random_range(1..=6);
            random_rbm(&mut rng, n_v, n_h, SCALES[m % SCALES.len()])
        })
        .collect()
}

/// x = W^T v + a, written out.
fn input(rbm: &Rbm, v: ArrayView1<f64>) -> Array1<f64> {
    rbm.w().t().dot(&v) + rbm.hidden_bias()
}

type LogConditional = fn(&Rbm, ArrayView1<f64>, ArrayView1<f64>) -> f64;

/// The check of (rbm.h-given-v): the worst log-space error of `kernel`'s
/// ln p(h | v) against brute force, over every h of two random v a machine.
fn conditional_check(kernel: LogConditional) -> f64 {
    let mut rng = seeded(32);
    let mut worst = 0.0f64;
    for rbm in machines() {
        for _ in 0..2 {
            let v = random_state(&mut rng, rbm.n_v());
            let truth = brute::log_p_h_given_v(&rbm, v.view()).unwrap();
            for (l, &t) in truth.iter().enumerate() {
                let h = state(l, rbm.n_h()).unwrap();
                worst = worst.max(log_err(t, kernel(&rbm, h.view(), v.view())));
            }
        }
    }
    worst
}

fn crate_conditional(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    rbm.log_prob_h_given_v(h, v).unwrap()
}

/// ln sigma(s) = -softplus(-s), summed over the units `0..n` with the sign
/// `sign(h_j)` on the input x_j.
fn log_product(x: &Array1<f64>, h: ArrayView1<f64>, n: usize, sign: fn(f64) -> f64) -> f64 {
    (0..n).map(|j| -softplus(-sign(h[j]) * x[j])).sum()
}

/// The source's factor sigma(h_j x_j) (erratum rbm-sigmoid-argument).
fn source_factor(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    log_product(&input(rbm, v), h, rbm.n_h(), |hj| hj)
}

/// A wrong sign: sigma((1 - 2 h_j) x_j).
fn wrong_sign(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    log_product(&input(rbm, v), h, rbm.n_h(), |hj| 1.0 - 2.0 * hj)
}

/// A missing term: the hidden bias left out of x.
fn missing_bias(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    let x = rbm.w().t().dot(&v);
    log_product(&x, h, rbm.n_h(), |hj| 2.0 * hj - 1.0)
}

/// An off-by-one window: the product stops before the last hidden unit.
fn off_by_one(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    log_product(&input(rbm, v), h, rbm.n_h() - 1, |hj| 2.0 * hj - 1.0)
}

/// A term that should cancel (rbm.cancel) left in: v^T b added.
fn uncancelled(rbm: &Rbm, h: ArrayView1<f64>, v: ArrayView1<f64>) -> f64 {
    log_product(&input(rbm, v), h, rbm.n_h(), |hj| 2.0 * hj - 1.0) + v.dot(&rbm.visible_bias())
}

type FreeEnergy = fn(&Rbm, ArrayView1<f64>) -> f64;

/// The check of (rbm.free-energy): F(v) against -ln sum_h e^{-E(v, h)}, over
/// every v of every machine.
fn free_energy_check(kernel: FreeEnergy) -> f64 {
    let mut worst = 0.0f64;
    for rbm in machines() {
        for k in 0..1usize << rbm.n_v() {
            let v = state(k, rbm.n_v()).unwrap();
            let truth = brute::free_energy(&rbm, v.view()).unwrap();
            worst = worst.max(rel_err(truth, kernel(&rbm, v.view())));
        }
    }
    worst
}

fn crate_free_energy(rbm: &Rbm, v: ArrayView1<f64>) -> f64 {
    rbm.free_energy(v).unwrap()
}

/// A missing term: -v^T b left out.
fn free_energy_without_bias(rbm: &Rbm, v: ArrayView1<f64>) -> f64 {
    -input(rbm, v).iter().map(|&x| softplus(x)).sum::<f64>()
}

/// A wrong sign on the visible term.
fn free_energy_wrong_sign(rbm: &Rbm, v: ArrayView1<f64>) -> f64 {
    v.dot(&rbm.visible_bias()) - input(rbm, v).iter().map(|&x| softplus(x)).sum::<f64>()
}

/// softplus(x) replaced by max(x, 0), its large-|x| limit.
fn free_energy_hinge(rbm: &Rbm, v: ArrayView1<f64>) -> f64 {
    -v.dot(&rbm.visible_bias()) - input(rbm, v).iter().map(|&x| x.max(0.0)).sum::<f64>()
}

type LogZ = fn(&Rbm) -> f64;

/// The check of (rbm.log-z): ln Z against brute force over every (v, h).
fn log_z_check(kernel: LogZ) -> f64 {
    machines()
        .iter()
        .map(|rbm| rel_err(brute::log_z(rbm).unwrap(), kernel(rbm)))
        .fold(0.0, f64::max)
}

fn crate_log_z(rbm: &Rbm) -> f64 {
    rbm.log_z().unwrap()
}

/// ln sum_v e^{-F(v)} over the states `range` of the visible layer.
fn log_z_over(rbm: &Rbm, range: std::ops::Range<usize>) -> f64 {
    let terms: Vec<f64> = range
        .map(|k| {
            -rbm.free_energy(state(k, rbm.n_v()).unwrap().view())
                .unwrap()
        })
        .collect();
    verified_dl::numerics::log_sum_exp(&terms)
}

/// An off-by-one window: state 0 left out of the sum.
fn log_z_from_one(rbm: &Rbm) -> f64 {
    log_z_over(rbm, 1..1 << rbm.n_v())
}

/// An off-by-one window: the last state left out.
fn log_z_to_last(rbm: &Rbm) -> f64 {
    log_z_over(rbm, 0..(1 << rbm.n_v()) - 1)
}

/// The three parts of a gradient: W, a, b.
type Parts = (Array2<f64>, Array1<f64>, Array1<f64>);
type GradientKernel = fn(&Rbm, &Array2<f64>) -> Parts;

/// The check of (rbm.grad-w), (rbm.grad-a), (rbm.grad-b): the worst error of
/// the three parts against central differences of the exact log-likelihood.
fn gradient_check(kernel: GradientKernel) -> f64 {
    let mut rng = seeded(33);
    let mut worst = 0.0f64;
    for rbm in machines()
        .into_iter()
        .filter(|r| r.w().iter().all(|w| w.abs() <= 1.0))
    {
        let data = Array2::from_shape_simple_fn((3, rbm.n_v()), || {
            if rng.random::<bool>() {
                1.0
            } else {
                0.0
            }
        });
        let (w, a, b) = (
            rbm.w().to_owned(),
            rbm.hidden_bias().to_owned(),
            rbm.visible_bias().to_owned(),
        );
        let ll = |w: &Array2<f64>, a: &Array1<f64>, b: &Array1<f64>| {
            Rbm::new(w.clone(), a.clone(), b.clone())
                .unwrap()
                .log_likelihood(data.view())
                .unwrap()
        };
        let (gw, ga, gb) = kernel(&rbm, &data);
        worst = worst
            .max(compare_arrays(&gradient(|w| ll(w, &a, &b), &w, FD_STEP).unwrap(), &gw).worst)
            .max(compare_arrays(&gradient(|a| ll(&w, a, &b), &a, FD_STEP).unwrap(), &ga).worst)
            .max(compare_arrays(&gradient(|b| ll(&w, &a, b), &b, FD_STEP).unwrap(), &gb).worst);
    }
    worst
}

fn crate_gradient(rbm: &Rbm, data: &Array2<f64>) -> Parts {
    let g = rbm.gradient(data.view()).unwrap();
    (
        g.w().to_owned(),
        g.hidden_bias().to_owned(),
        g.visible_bias().to_owned(),
    )
}

/// A wrong sign: data term plus model term.
fn gradient_plus_model(rbm: &Rbm, data: &Array2<f64>) -> Parts {
    let (d, m) = (
        rbm.data_moments(data.view()).unwrap(),
        rbm.model_moments().unwrap(),
    );
    (&d.vh() + &m.vh(), &d.h() + &m.h(), &d.v() + &m.v())
}

/// A missing term: the data term alone.
fn gradient_data_only(rbm: &Rbm, data: &Array2<f64>) -> Parts {
    let d = rbm.data_moments(data.view()).unwrap();
    (d.vh().to_owned(), d.h().to_owned(), d.v().to_owned())
}

/// A missing term inside the data term of W: sigma(W^T v) without the
/// hidden bias, the rest exact.
fn gradient_data_without_bias(rbm: &Rbm, data: &Array2<f64>) -> Parts {
    let (_, ga, gb) = crate_gradient(rbm, data);
    let m = rbm.model_moments().unwrap();
    let mut vh = Array2::zeros((rbm.n_v(), rbm.n_h()));
    for v in data.outer_iter() {
        let s = rbm.w().t().dot(&v).mapv(sigmoid);
        for i in 0..rbm.n_v() {
            for j in 0..rbm.n_h() {
                vh[(i, j)] += v[i] * s[j] / data.nrows() as f64;
            }
        }
    }
    (vh - m.vh(), ga, gb)
}

#[test]
fn every_check_rejects_every_mutant_of_its_kernel() {
    let mut caught = 0usize;
    let mut total = 0usize;
    let mut expect = |family: &str, name: &str, crate_worst: f64, worst: f64, tol: f64| {
        assert!(
            crate_worst <= tol,
            "{family}: the crate's kernel fails ({crate_worst:e})"
        );
        println!("{family}: mutant {name} misses by {worst:e} (tolerance {tol:e})");
        total += 1;
        caught += usize::from(worst > tol);
    };
    let real = conditional_check(crate_conditional);
    for (name, m) in [
        ("source factor", source_factor as LogConditional),
        ("wrong sign", wrong_sign),
        ("missing hidden bias", missing_bias),
        ("off by one", off_by_one),
        ("uncancelled v^T b", uncancelled),
    ] {
        expect("rbm.h-given-v", name, real, conditional_check(m), EXACT_TOL);
    }
    let real = free_energy_check(crate_free_energy);
    for (name, m) in [
        (
            "missing visible term",
            free_energy_without_bias as FreeEnergy,
        ),
        ("wrong sign", free_energy_wrong_sign),
        ("hinge for softplus", free_energy_hinge),
    ] {
        expect(
            "rbm.free-energy",
            name,
            real,
            free_energy_check(m),
            EXACT_TOL,
        );
    }
    let real = log_z_check(crate_log_z);
    for (name, m) in [
        ("state 0 left out", log_z_from_one as LogZ),
        ("last state left out", log_z_to_last),
    ] {
        expect("rbm.log-z", name, real, log_z_check(m), EXACT_TOL);
    }
    let real = gradient_check(crate_gradient);
    for (name, m) in [
        ("model term added", gradient_plus_model as GradientKernel),
        ("model term missing", gradient_data_only),
        ("data term without hidden bias", gradient_data_without_bias),
    ] {
        expect("rbm.grad", name, real, gradient_check(m), FD_TOL);
    }
    assert_eq!(caught, total, "a check let a mutant through");
    verified_dl::record!("rbm.mutants-caught", caught as f64);
    verified_dl::record!("rbm.mutants", total as f64);
}

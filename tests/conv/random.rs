//! The gradient checks of problem 1 over seeded random configurations
//! (d, k, s, p, pooling stride, filters, classes), and the fast path against
//! the loops on the same configurations.

use ndarray::{Array1, Array2, Array3, Array4};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{
    compare_arrays, gradient, jacobian, seeded, uniform, Report, Rng, EXACT_TOL, FD_STEP, FD_TOL,
};
use verified_dl::conv::convolution::*;
use verified_dl::conv::dense::*;
use verified_dl::conv::fast::{conv2d_backward_fast, conv2d_forward_fast};
use verified_dl::conv::general::{conv2d_backward, conv2d_forward, ConvGrads};
use verified_dl::conv::network::{ConvPath, Net, Shape};
use verified_dl::conv::pooling::*;
use verified_dl::conv::size::{conv_out_size, Conv, Pool};
use verified_dl::conv::softmax::*;
use verified_dl::verify;

/// Random configurations per check: enough that every edge case occurs many times.
const CASES: usize = 600;

/// The smallest pooling margin accepted before differencing through a max:
/// a step of FD_STEP = 1e-5 changes an entry of Y by at most 1e-5 times the
/// largest |X| or |W| (below 1 here), so a margin of 1e-4 keeps every winner.
/// Inputs with a smaller margin are drawn again (from the same seeded stream).
pub(crate) const MIN_MARGIN: f64 = 1e-4;

/// Draws a network shape without constraints; the edges (k = d, s = 1,
/// s > k, p = 1, p = map size, s not dividing d - k) all occur with
/// probability above 1/10.
fn unconstrained_shape(rng: &mut Rng) -> Sh {
    let d = rng.random_range(1..=10);
    let k = match rng.random_range(0..10) {
        0 => d,
        1..=3 => rng.random_range(1..=d),
        _ => rng.random_range(1..=d.min(3)),
    };
    let s = if rng.random_bool(0.7) {
        rng.random_range(1..=2)
    } else {
        rng.random_range(3..=5)
    };
    let m = conv_out_size(d, k, s).unwrap();
    let p = match rng.random_range(0..6) {
        0 => 1,
        1 => m,
        _ => rng.random_range(1..=m),
    };
    let t = if rng.random_bool(0.6) {
        1
    } else {
        rng.random_range(2..=3)
    };
    Sh {
        d,
        k,
        s,
        p,
        t,
        filters: rng.random_range(1..=3),
        classes: rng.random_range(1..=4),
    }
}

/// Draws the network shape of case number `case`, stratified: the cases
/// take turns between four strata, so that each holds a quarter of them.
/// Stratum 0 has overlapping pooling windows (p >= 2, t < p) on a pooled
/// map of side Q >= 2; stratum 1 a stride that does not divide d - k, with
/// M >= 2; stratum 2 has M >= 2 and Q >= 2; stratum 3 is unconstrained,
/// and holds the edges with a single window (k = d) or a single pooled
/// entry. Odd cases have several filters (C = 2 or 3), even ones 1 to 3.
/// Each stratum is drawn by rejection from the unconstrained generator.
pub(crate) fn random_shape(rng: &mut Rng, case: usize) -> Sh {
    loop {
        let mut sh = unconstrained_shape(rng);
        if case % 2 == 1 {
            sh.filters = rng.random_range(2..=3);
        }
        let ok = match case % 4 {
            0 => sh.overlapping_pools(),
            1 => !sh.s_divides() && sh.conv_side().unwrap() >= 2,
            2 => sh.conv_side().unwrap() >= 2 && sh.pool_side().unwrap() >= 2,
            _ => true,
        };
        if ok {
            return sh;
        }
    }
}

/// A network shape as plain numbers, to draw and to count edge cases.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sh {
    pub(crate) d: usize,
    pub(crate) k: usize,
    pub(crate) s: usize,
    pub(crate) p: usize,
    pub(crate) t: usize,
    pub(crate) filters: usize,
    pub(crate) classes: usize,
}

impl Sh {
    pub(crate) fn conv(&self) -> Conv {
        Conv::new(self.k, self.s).unwrap()
    }
    pub(crate) fn pool(&self) -> Pool {
        Pool::new(self.p, self.t).unwrap()
    }
    pub(crate) fn shape(&self) -> Shape {
        Shape::new(self.d, self.conv(), self.pool(), self.filters, self.classes).unwrap()
    }
    pub(crate) fn conv_side(&self) -> verified_dl::Result<usize> {
        conv_out_size(self.d, self.k, self.s)
    }
    pub(crate) fn pool_side(&self) -> verified_dl::Result<usize> {
        self.pool().out_size(self.conv_side()?)
    }
    /// Neighbouring pooling windows share entries: p >= 2, t < p, and there
    /// are at least two windows along an axis (Q >= 2).
    pub(crate) fn overlapping_pools(&self) -> bool {
        self.p >= 2 && self.t < self.p && self.pool_side().unwrap() >= 2
    }
    /// The stride divides d - k: every row of the input lies in a window.
    pub(crate) fn s_divides(&self) -> bool {
        (self.d - self.k) % self.s == 0
    }
}

/// The coverage of one test's cases: how many have each named case of the
/// derivation, and how many each edge.
#[derive(Default, Debug)]
struct Coverage {
    cases: usize,
    m_ge_2: usize,
    q_ge_2: usize,
    overlapping_pools: usize,
    s_not_dividing: usize,
    several_filters: usize,
    /// Cases with two equal largest entries in some pooling window; counted
    /// only by tests that allow ties (the gradient checks exclude them).
    ties: usize,
    k_eq_d: usize,
    s_one: usize,
    s_gt_k: usize,
    p_one: usize,
    p_full: usize,
}

impl Coverage {
    fn add(&mut self, sh: &Sh) {
        let m = sh.conv_side().unwrap();
        self.cases += 1;
        self.m_ge_2 += (m >= 2) as usize;
        self.q_ge_2 += (sh.pool_side().unwrap() >= 2) as usize;
        self.overlapping_pools += sh.overlapping_pools() as usize;
        self.s_not_dividing += !sh.s_divides() as usize;
        self.several_filters += (sh.filters >= 2) as usize;
        self.k_eq_d += (sh.k == sh.d) as usize;
        self.s_one += (sh.s == 1) as usize;
        self.s_gt_k += (sh.s > sh.k) as usize;
        self.p_one += (sh.p == 1) as usize;
        self.p_full += (sh.p == m) as usize;
    }
    /// Asserts that each named case has at least a quarter of the cases (and
    /// ties too, if `with_ties`) and each edge at least 10, and records the
    /// counts as `conv.coverage.<test>.<case>`.
    fn check(&self, test: &str, with_ties: bool) {
        let mut named = vec![
            ("m-ge-2", self.m_ge_2),
            ("q-ge-2", self.q_ge_2),
            ("overlapping-pools", self.overlapping_pools),
            ("s-not-dividing", self.s_not_dividing),
            ("several-filters", self.several_filters),
        ];
        if with_ties {
            named.push(("ties", self.ties));
        }
        for &(name, n) in &named {
            assert!(
                4 * n >= self.cases,
                "{test}: case {name} has only {n} of {} cases: {self:?}",
                self.cases
            );
        }
        let edges = [
            ("k-eq-d", self.k_eq_d),
            ("s-one", self.s_one),
            ("s-gt-k", self.s_gt_k),
            ("p-one", self.p_one),
            ("p-full", self.p_full),
        ];
        for &(name, n) in &edges {
            assert!(
                n >= 10,
                "{test}: edge {name} occurred only {n} times: {self:?}"
            );
        }
        for (name, n) in named.into_iter().chain(edges) {
            verified_dl::record!(format!("conv.coverage.{test}.{name}"), n as f64);
        }
        verified_dl::record!(format!("conv.coverage.{test}.cases"), self.cases as f64);
    }
}
/// A network and an input image whose pooling margin is at least MIN_MARGIN.
fn net_and_image(sh: Sh, rng: &mut Rng) -> (Net, Array2<f64>) {
    loop {
        let net = Net::new(sh.shape(), rng).unwrap();
        let x = uniform(rng, (sh.d, sh.d), -1.0, 1.0).unwrap();
        let y = conv_forward(x.view(), net.w().view(), sh.conv()).unwrap();
        if pool_margin(y.view(), sh.pool()).unwrap() >= MIN_MARGIN {
            return (net, x);
        }
    }
}

/// Fails if dL/dW, dL/dV, dL/db or dL/dX from `Net::loss_and_grad` differs from central differences
/// of `Net::loss` by more than `FD_TOL` on 600 stratified random networks with pooling margin ≥
/// `MIN_MARGIN`, or a named case has under a quarter of them or an edge under 10: a pooling
/// gradient that overwrites instead of adding (the conv.network mutant) would miss.
#[test]
fn network_gradient_matches_finite_differences() {
    let mut rng = seeded(101);
    let mut coverage = Coverage::default();
    let mut worst: Option<Report> = None;
    let mut partials = 0;
    for case in 0..CASES {
        let sh = random_shape(&mut rng, case);
        coverage.add(&sh);
        let (net, x) = net_and_image(sh, &mut rng);
        let label = rng.random_range(0..sh.classes);
        let (_, g) = net.loss_and_grad(x.view(), label).unwrap();
        let fd_w = gradient(
            |w: &Array3<f64>| {
                Net::from_weights(net.shape(), w.clone(), net.v().clone(), net.b().clone())
                    .unwrap()
                    .loss(x.view(), label)
                    .unwrap()
            },
            net.w(),
            FD_STEP,
        )
        .unwrap();
        let fd_v = gradient(
            |v: &Array2<f64>| {
                Net::from_weights(net.shape(), net.w().clone(), v.clone(), net.b().clone())
                    .unwrap()
                    .loss(x.view(), label)
                    .unwrap()
            },
            net.v(),
            FD_STEP,
        )
        .unwrap();
        let fd_b = gradient(
            |b: &Array1<f64>| {
                Net::from_weights(net.shape(), net.w().clone(), net.v().clone(), b.clone())
                    .unwrap()
                    .loss(x.view(), label)
                    .unwrap()
            },
            net.b(),
            FD_STEP,
        )
        .unwrap();
        let fd_x = gradient(
            |x: &Array2<f64>| net.loss(x.view(), label).unwrap(),
            &x,
            FD_STEP,
        )
        .unwrap();
        partials += fd_w.len() + fd_v.len() + fd_b.len() + fd_x.len();
        let r = compare_arrays(&fd_w, &g.w)
            .max(compare_arrays(&fd_v, &g.v))
            .max(compare_arrays(&fd_b, &g.b))
            .max(compare_arrays(&fd_x, &g.x));
        assert!(r.within(FD_TOL), "{sh:?}: {r}");
        worst = Some(match worst {
            None => r,
            Some(w) => w.max(r),
        });
    }
    coverage.check("network", false);
    let worst = worst.unwrap();
    println!("network: {worst}; {partials} partial derivatives; coverage {coverage:?}");
    verified_dl::record!("conv.random.network.partials", partials as f64);
    verify!(
        "conv.network",
        Method::FiniteDifferences,
        FD_TOL,
        worst.worst,
        CASES
    );
    verified_dl::record!("conv.random.network.worst", worst.worst);
}

/// A random input, filters and upstream gradient G for one shape; the
/// checked loss is L = sum G * Y, whose gradient with respect to Y is G.
pub(crate) fn conv_case(rng: &mut Rng, case: usize) -> (Sh, Array2<f64>, Array3<f64>, Array3<f64>) {
    let sh = random_shape(rng, case);
    let x = uniform(rng, (sh.d, sh.d), -1.0, 1.0).unwrap();
    let w = uniform(rng, (sh.filters, sh.k, sh.k), -1.0, 1.0).unwrap();
    let m = sh.conv_side().unwrap();
    let g = uniform(rng, (sh.filters, m, m), -1.0, 1.0).unwrap();
    (sh, x, w, g)
}

/// Fails if `conv_backward_w` differs from central differences of L = Σ G ∘ `conv_forward` by more
/// than `FD_TOL` on 600 stratified random shapes, or the coverage falls short: the last window
/// dropped, the filter indices transposed, or the stride ignored in the window's position (the
/// conv.dW mutants) would miss.
#[test]
fn conv_dw_matches_finite_differences() {
    let mut rng = seeded(102);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    for case in 0..CASES {
        let (sh, x, w, g) = conv_case(&mut rng, case);
        coverage.add(&sh);
        let dw = conv_backward_w(x.view(), g.view(), sh.conv()).unwrap();
        let fd = gradient(
            |w: &Array3<f64>| (&g * &conv_forward(x.view(), w.view(), sh.conv()).unwrap()).sum(),
            &w,
            FD_STEP,
        )
        .unwrap();
        let r = compare_arrays(&fd, &dw);
        assert!(r.within(FD_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
    }
    coverage.check("dW", false);
    verify!("conv.dW", Method::FiniteDifferences, FD_TOL, worst, CASES);
    verified_dl::record!("conv.random.dW.worst", worst);
}

/// Fails if `conv_backward_x` differs from central differences of L = Σ G ∘ `conv_forward` by more
/// than `FD_TOL` on 600 stratified shapes, or the last (d − k) mod s rows, which no window reaches,
/// are not exactly 0, or no case has such rows: the filter read from the other end, only the first
/// filter's term, or each pixel's first window skipped (the conv.dX mutants) would miss.
#[test]
fn conv_dx_matches_finite_differences() {
    let mut rng = seeded(103);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    let mut uncovered = 0;
    for case in 0..CASES {
        let (sh, x, w, g) = conv_case(&mut rng, case);
        coverage.add(&sh);
        let dx = conv_backward_x(w.view(), g.view(), (sh.d, sh.d), sh.conv()).unwrap();
        let fd = gradient(
            |x: &Array2<f64>| (&g * &conv_forward(x.view(), w.view(), sh.conv()).unwrap()).sum(),
            &x,
            FD_STEP,
        )
        .unwrap();
        let r = compare_arrays(&fd, &dx);
        assert!(r.within(FD_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
        // rows that no window reaches: exactly the last (d - k) mod s
        let reached = (sh.conv_side().unwrap() - 1) * sh.s + sh.k;
        assert_eq!(sh.d - reached, (sh.d - sh.k) % sh.s);
        for u in reached..sh.d {
            assert!(dx.row(u).iter().all(|&v| v == 0.0));
            uncovered += 1;
        }
    }
    assert!(uncovered > 0, "no case with rows that no window reaches");
    coverage.check("dX", false);
    verify!("conv.dX", Method::FiniteDifferences, FD_TOL, worst, CASES);
    verified_dl::record!("conv.random.dX.worst", worst);
}

/// Fails if `conv_backward_x_full` (the full correlation of dL/dY dilated by s with the filter
/// turned by 180°) differs from the loops of `conv_backward_x` by more than `EXACT_TOL` on 600
/// stratified shapes: a filter not flipped, a wrong number of zeros inserted by `dilate`, or the
/// rows that no window reaches not left at zero would miss.
#[test]
fn conv_dx_is_full_correlation_of_dilated_gradient() {
    let mut rng = seeded(104);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    for case in 0..CASES {
        let (sh, _, w, g) = conv_case(&mut rng, case);
        coverage.add(&sh);
        let loops = conv_backward_x(w.view(), g.view(), (sh.d, sh.d), sh.conv()).unwrap();
        let full = conv_backward_x_full(w.view(), g.view(), (sh.d, sh.d), sh.conv()).unwrap();
        let r = compare_arrays(&loops, &full);
        assert!(r.within(EXACT_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
    }
    coverage.check("dX-full", false);
    verify!(
        "conv.dX-full",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.dX-full.worst", worst);
}

/// Fails if `max_pool_backward` differs from central differences of L = Σ G ∘ `max_pool_forward` by
/// more than `FD_TOL` on 600 stratified shapes with maps of margin ≥ `MIN_MARGIN`: a window's
/// gradient that overwrites instead of adding, or is spread evenly over the window (the
/// conv.pool-grad mutants), would miss.
#[test]
fn pool_gradient_matches_finite_differences() {
    let mut rng = seeded(105);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    for case in 0..CASES {
        let sh = random_shape(&mut rng, case);
        coverage.add(&sh);
        let m = sh.conv_side().unwrap();
        let y = loop {
            let y = uniform(&mut rng, (sh.filters, m, m), -1.0, 1.0).unwrap();
            if pool_margin(y.view(), sh.pool()).unwrap() >= MIN_MARGIN {
                break y;
            }
        };
        let q = sh.pool().out_size(m).unwrap();
        let g = uniform(&mut rng, (sh.filters, q, q), -1.0, 1.0).unwrap();
        let dy = max_pool_backward(y.view(), g.view(), sh.pool()).unwrap();
        let fd = gradient(
            |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), sh.pool()).unwrap()).sum(),
            &y,
            FD_STEP,
        )
        .unwrap();
        let r = compare_arrays(&fd, &dy);
        assert!(r.within(FD_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
    }
    coverage.check("pool-grad", false);
    verify!(
        "conv.pool-grad",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.pool-grad.worst", worst);
}

/// Fails if dL/dV = g fᵀ, dL/db = g or dL/df = Vᵀ g from `fc_backward` differs from central
/// differences of g · `fc_forward` by more than `FD_TOL` on 600 random layers up to 5 × 12: dL/df
/// with the wrong sign or dL/db missing (the conv.fc mutants) would miss.
#[test]
fn fc_gradient_matches_finite_differences() {
    let mut rng = seeded(106);
    let mut worst = 0.0f64;
    for _ in 0..CASES {
        let (n_out, n_in) = (rng.random_range(1..=5), rng.random_range(1..=12));
        let v = uniform(&mut rng, (n_out, n_in), -1.0, 1.0).unwrap();
        let b = uniform(&mut rng, n_out, -1.0, 1.0).unwrap();
        let f = uniform(&mut rng, n_in, -1.0, 1.0).unwrap();
        let g = uniform(&mut rng, n_out, -1.0, 1.0).unwrap();
        let loss = |v: &Array2<f64>, b: &Array1<f64>, f: &Array1<f64>| {
            g.dot(&fc_forward(v.view(), b.view(), f.view()).unwrap())
        };
        let (dv, db, df) = fc_backward(v.view(), f.view(), g.view()).unwrap();
        let r = compare_arrays(&gradient(|v| loss(v, &b, &f), &v, FD_STEP).unwrap(), &dv)
            .max(compare_arrays(
                &gradient(|b| loss(&v, b, &f), &b, FD_STEP).unwrap(),
                &db,
            ))
            .max(compare_arrays(
                &gradient(|f| loss(&v, &b, f), &f, FD_STEP).unwrap(),
                &df,
            ));
        assert!(r.within(FD_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!("conv.fc", Method::FiniteDifferences, FD_TOL, worst, CASES);
    verified_dl::record!("conv.random.fc.worst", worst);
    verified_dl::record!("conv.random.cases", CASES as f64);
}

/// Fails if `softmax_jacobian` differs from the finite-difference Jacobian of softmax, or
/// `softmax_backward` from Jᵀ g, by more than `FD_TOL` on 600 random logits in [−5, 5] of length ≤
/// 6: σσᵀ added in place of subtracted, or the diagonal missing (the conv.softmax-jac mutants),
/// would miss.
#[test]
fn softmax_jacobian_matches_finite_differences() {
    let mut rng = seeded(107);
    let mut worst = 0.0f64;
    for _ in 0..CASES {
        let n = rng.random_range(1..=6);
        let z = uniform(&mut rng, n, -5.0, 5.0).unwrap();
        let g = uniform(&mut rng, n, -1.0, 1.0).unwrap();
        let fd = jacobian(
            |z: &Array1<f64>| verified_dl::numerics::softmax(z.view()),
            &z,
            FD_STEP,
        )
        .unwrap();
        let jac = softmax_jacobian(z.view()).unwrap();
        // the backward pass is g^T J, computed without J
        let back = softmax_backward(z.view(), g.view()).unwrap();
        let r = compare_arrays(&fd, &jac).max(compare_arrays(&jac.t().dot(&g), &back));
        assert!(r.within(FD_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!(
        "conv.softmax-jac",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.softmax-jac.worst", worst);
}

/// Fails if σ(z) − τ from `softmax_xent_grad` differs from central differences of `cross_entropy`
/// by more than `FD_TOL` on 600 logits in [−5, 5], half with one-hot targets and half with random
/// distributions: τ − σ, or σ(1 − σ) − τ (the conv.softmax-xent mutants), would miss.
#[test]
fn softmax_xent_gradient_matches_finite_differences() {
    let mut rng = seeded(108);
    let mut worst = 0.0f64;
    for case in 0..CASES {
        let n = rng.random_range(1..=6);
        let z = uniform(&mut rng, n, -5.0, 5.0).unwrap();
        // half the cases a one-hot target, half a random distribution
        let target = if case % 2 == 0 {
            one_hot(rng.random_range(0..n), n).unwrap()
        } else {
            let t = uniform(&mut rng, n, 0.0, 1.0).unwrap();
            let sum = t.sum();
            t / sum
        };
        let grad = softmax_xent_grad(z.view(), target.view()).unwrap();
        let fd = gradient(
            |z: &Array1<f64>| cross_entropy(z.view(), target.view()).unwrap(),
            &z,
            FD_STEP,
        )
        .unwrap();
        let r = compare_arrays(&fd, &grad);
        assert!(r.within(FD_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!(
        "conv.softmax-xent",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.softmax-xent.worst", worst);
}

/// A random general convolution: batch, channels, filters, rectangular input
/// and kernel, stride; and an upstream gradient G.
#[allow(clippy::type_complexity)]
fn general_case(rng: &mut Rng) -> (usize, Array4<f64>, Array4<f64>, Array1<f64>, Array4<f64>) {
    let (batch, channels, filters) = (
        rng.random_range(1..=2),
        rng.random_range(1..=3),
        rng.random_range(1..=3),
    );
    let (rows, cols) = (rng.random_range(1..=8), rng.random_range(1..=8));
    let (kh, kw) = (rng.random_range(1..=rows), rng.random_range(1..=cols));
    let s = rng.random_range(1..=4);
    let x = uniform(rng, (batch, channels, rows, cols), -1.0, 1.0).unwrap();
    let w = uniform(rng, (filters, channels, kh, kw), -1.0, 1.0).unwrap();
    let b = uniform(rng, filters, -1.0, 1.0).unwrap();
    let out = (
        conv_out_size(rows, kh, s).unwrap(),
        conv_out_size(cols, kw, s).unwrap(),
    );
    let g = uniform(rng, (batch, filters, out.0, out.1), -1.0, 1.0).unwrap();
    (s, x, w, b, g)
}

/// The worst of the three comparisons of a general convolution's gradients
/// `grads` with central differences of the loss sum(G ⊙ forward(X, W, b)),
/// whose gradients they claim to be.
pub(super) fn general_grads_against_differences(
    forward: impl Fn(&Array4<f64>, &Array4<f64>, &Array1<f64>) -> Array4<f64>,
    (x, w, b): (&Array4<f64>, &Array4<f64>, &Array1<f64>),
    g: &Array4<f64>,
    grads: &ConvGrads,
) -> Report {
    let loss = |x: &Array4<f64>, w: &Array4<f64>, b: &Array1<f64>| (g * &forward(x, w, b)).sum();
    compare_arrays(&gradient(|x| loss(x, w, b), x, FD_STEP).unwrap(), &grads.x)
        .max(compare_arrays(
            &gradient(|w| loss(x, w, b), w, FD_STEP).unwrap(),
            &grads.w,
        ))
        .max(compare_arrays(
            &gradient(|b| loss(x, w, b), b, FD_STEP).unwrap(),
            &grads.b,
        ))
}

/// Fails if dL/dX, dL/dW or dL/db of `conv2d_backward` differs from central differences of L = Σ G
/// ∘ `conv2d_forward` by more than `FD_TOL` on 600 random cases (≤ 2 images, ≤ 3 channels and
/// filters, rectangular inputs up to 8 × 8 and kernels, stride ≤ 4): dL/dX summed over the wrong
/// channel, or dL/db summed over one image only, would miss.
#[test]
fn general_conv_gradients_match_finite_differences() {
    let mut rng = seeded(109);
    let mut worst = 0.0f64;
    for _ in 0..CASES {
        let (s, x, w, b, g) = general_case(&mut rng);
        let grads = conv2d_backward(x.view(), w.view(), g.view(), s).unwrap();
        let forward = |x: &Array4<f64>, w: &Array4<f64>, b: &Array1<f64>| {
            conv2d_forward(x.view(), w.view(), b.view(), s).unwrap()
        };
        let r = general_grads_against_differences(forward, (&x, &w, &b), &g, &grads);
        assert!(r.within(FD_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!(
        "conv.general-grad",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.general-grad.worst", worst);
}

/// Fails if, for one image, one channel and zero bias, Y, dL/dW or dL/dX of `conv2d_forward` and
/// `conv2d_backward` differ from `conv_forward`, `conv_backward_w` and `conv_backward_x` at all
/// (the test asserts a worst of exactly 0, below `EXACT_TOL`) on 600 stratified shapes: a window
/// offset or a transposed index in either implementation would miss.
#[test]
fn general_conv_reduces_to_source_layer() {
    // one image, one channel, no bias: the general convolution is the source's layer
    let mut rng = seeded(110);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    for case in 0..CASES {
        let (sh, x, w, g) = conv_case(&mut rng, case);
        coverage.add(&sh);
        let x4 = x.clone().into_shape_with_order((1, 1, sh.d, sh.d)).unwrap();
        let w4 = w
            .clone()
            .into_shape_with_order((sh.filters, 1, sh.k, sh.k))
            .unwrap();
        let zero = Array1::zeros(sh.filters);
        let y4 = conv2d_forward(x4.view(), w4.view(), zero.view(), sh.s).unwrap();
        let y = conv_forward(x.view(), w.view(), sh.conv()).unwrap();
        let g4 = g.clone().insert_axis(ndarray::Axis(0));
        let grads = conv2d_backward(x4.view(), w4.view(), g4.view(), sh.s).unwrap();
        let dw = conv_backward_w(x.view(), g.view(), sh.conv()).unwrap();
        let dx = conv_backward_x(w.view(), g.view(), (sh.d, sh.d), sh.conv()).unwrap();
        let r = compare_arrays(&y.insert_axis(ndarray::Axis(0)), &y4)
            .max(compare_arrays(&dw.insert_axis(ndarray::Axis(1)), &grads.w))
            .max(compare_arrays(
                &dx.insert_axis(ndarray::Axis(0))
                    .insert_axis(ndarray::Axis(0)),
                &grads.x,
            ));
        assert!(r.within(EXACT_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
    }
    coverage.check("general-reduces", false);
    verify!(
        "conv.general",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        CASES
    );
    // the same sums in the same order: no rounding separates them
    assert_eq!(worst, 0.0);
    verified_dl::record!("conv.random.general-reduces.worst", worst);
}

/// Fails if the im2col path (`conv2d_forward_fast`, `conv2d_backward_fast`) differs from the loops
/// (`conv2d_forward`, `conv2d_backward`) in Y, dL/dX, dL/dW or dL/db by more than `EXACT_TOL` on
/// the 600 cases of the general gradient check: window columns in the wrong tap order, or col2im
/// adding to the wrong pixel, would miss.
#[test]
fn fast_path_equals_loops() {
    let mut rng = seeded(109); // the same cases as the gradient check of the loops
    let mut worst = 0.0f64;
    for _ in 0..CASES {
        let (s, x, w, b, g) = general_case(&mut rng);
        let y = conv2d_forward(x.view(), w.view(), b.view(), s).unwrap();
        let y_fast = conv2d_forward_fast(x.view(), w.view(), b.view(), s).unwrap();
        let loops = conv2d_backward(x.view(), w.view(), g.view(), s).unwrap();
        let fast = conv2d_backward_fast(x.view(), w.view(), g.view(), s).unwrap();
        let r = compare_arrays(&y, &y_fast)
            .max(compare_arrays(&loops.x, &fast.x))
            .max(compare_arrays(&loops.w, &fast.w))
            .max(compare_arrays(&loops.b, &fast.b));
        assert!(r.within(EXACT_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!(
        "conv.im2col",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.im2col.worst", worst);
}

/// Fails if the im2col path differs from the loops in Y, dL/dX, dL/dW or dL/db by more than
/// `EXACT_TOL` on five large inputs (up to 94 × 94, 8 channels) whose window matrix is built in
/// several blocks of `BLOCK_ENTRIES`, down to one output row per block: a block boundary that drops
/// or repeats an output row would miss.
#[test]
fn fast_path_equals_loops_across_blocks() {
    // inputs large enough that the window matrix is built in several blocks
    // of output rows (BLOCK_ENTRIES = 2^14), down to one row per block
    let mut rng = seeded(111);
    let mut worst = 0.0f64;
    let cases = [
        // (batch, channels, filters, rows, cols, kh, kw, s): blocks of output rows
        (1, 2, 3, 40, 40, 3, 3, 1), // 18 taps x 38 columns: 23 rows per block, 2 blocks
        (2, 3, 2, 37, 41, 4, 2, 2), // 24 taps x 20 columns: all 17 rows in one block
        (1, 1, 2, 64, 64, 5, 5, 1), // the benchmark's shape, 2 filters: 6 blocks of 10 rows
        (1, 8, 2, 94, 94, 5, 5, 1), // 200 taps x 90 columns > 2^14: one row per block
        (2, 2, 3, 50, 30, 3, 3, 3), // stride 3, several images
    ];
    for &(batch, channels, filters, rows, cols, kh, kw, s) in &cases {
        let x = uniform(&mut rng, (batch, channels, rows, cols), -1.0, 1.0).unwrap();
        let w = uniform(&mut rng, (filters, channels, kh, kw), -1.0, 1.0).unwrap();
        let b = uniform(&mut rng, filters, -1.0, 1.0).unwrap();
        let out = (
            conv_out_size(rows, kh, s).unwrap(),
            conv_out_size(cols, kw, s).unwrap(),
        );
        let g = uniform(&mut rng, (batch, filters, out.0, out.1), -1.0, 1.0).unwrap();
        let y = conv2d_forward(x.view(), w.view(), b.view(), s).unwrap();
        let y_fast = conv2d_forward_fast(x.view(), w.view(), b.view(), s).unwrap();
        let loops = conv2d_backward(x.view(), w.view(), g.view(), s).unwrap();
        let fast = conv2d_backward_fast(x.view(), w.view(), g.view(), s).unwrap();
        let r = compare_arrays(&y, &y_fast)
            .max(compare_arrays(&loops.x, &fast.x))
            .max(compare_arrays(&loops.w, &fast.w))
            .max(compare_arrays(&loops.b, &fast.b));
        assert!(r.within(EXACT_TOL), "{r}");
        worst = worst.max(r.worst);
    }
    verify!(
        "conv.im2col",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        cases.len()
    );
    verified_dl::record!("conv.random.im2col-blocks.worst", worst);
    verified_dl::record!("conv.random.im2col-blocks.cases", cases.len() as f64);
}

#[test]
fn network_im2col_path_equals_loops() {
    // the network's two convolution paths: loss, logits and every gradient
    // agree up to the rounding of sums taken in another order; no finite
    // differences here, so ties are allowed: every other case draws an
    // image that repeats with period s along both axes, whose every map
    // is then constant (each window sees the same pixels), so that every
    // pooling window with p >= 2 is a tie
    let mut rng = seeded(112);
    let mut worst = 0.0f64;
    let mut coverage = Coverage::default();
    for case in 0..CASES {
        let sh = random_shape(&mut rng, case);
        coverage.add(&sh);
        let net = Net::new(sh.shape(), &mut rng).unwrap();
        let fast = net.clone().with_conv_path(ConvPath::Im2col);
        assert_eq!(fast.conv_path(), ConvPath::Im2col);
        let x = if (case / 4) % 2 == 0 {
            let base = uniform(&mut rng, (sh.s, sh.s), -1.0, 1.0).unwrap();
            Array2::from_shape_fn((sh.d, sh.d), |(u, v)| base[[u % sh.s, v % sh.s]])
        } else {
            uniform(&mut rng, (sh.d, sh.d), -1.0, 1.0).unwrap()
        };
        let y = conv_forward(x.view(), net.w().view(), sh.conv()).unwrap();
        coverage.ties += has_tie(&y, sh.p, sh.t) as usize;
        let label = rng.random_range(0..sh.classes);
        let (loss, g) = net.loss_and_grad(x.view(), label).unwrap();
        let (loss_fast, g_fast) = fast.loss_and_grad(x.view(), label).unwrap();
        let r = compare_arrays(
            &net.logits(x.view()).unwrap(),
            &fast.logits(x.view()).unwrap(),
        )
        .max(compare_arrays(&g.w, &g_fast.w))
        .max(compare_arrays(&g.v, &g_fast.v))
        .max(compare_arrays(&g.b, &g_fast.b))
        .max(compare_arrays(&g.x, &g_fast.x));
        assert!(r.within(EXACT_TOL), "{sh:?}: {r}");
        assert!(verified_dl::check::rel_err(loss, loss_fast) <= EXACT_TOL);
        worst = worst.max(r.worst);
    }
    coverage.check("network-im2col", true);
    println!("network, im2col path against the loops: worst {worst:e}; coverage {coverage:?}");
    verified_dl::record!("conv.network-im2col.worst", worst);
}

/// Whether some pooling window (p x p at stride t) of some map of `y` holds
/// its largest value twice: an independent scan, by exact comparison.
pub(crate) fn has_tie(y: &Array3<f64>, p: usize, t: usize) -> bool {
    let (maps, m, _) = y.dim();
    let q = (m - p) / t + 1;
    (0..maps).any(|c| {
        (0..q).any(|i| {
            (0..q).any(|j| {
                let window: Vec<f64> = (0..p * p)
                    .map(|e| y[[c, i * t + e / p, j * t + e % p]])
                    .collect();
                let top = window.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                window.iter().filter(|&&v| v == top).count() >= 2
            })
        })
    })
}

/// Fails if `max_pool_backward` differs by more than `EXACT_TOL` from the test's own scan (the
/// window's maximum, then the first entry equal to it, gradients added) on 600 stratified shapes
/// whose maps take three values, or ties occur in under a quarter of them: the last maximum winning
/// (`>=` for `>`, the conv.pool-tie mutant) would miss.
#[test]
fn pool_backward_sends_ties_to_the_first_maximum_on_random_maps() {
    // maps whose entries take one of three values, so that most windows with
    // p >= 2 hold a tie; the backward pass must send each window's gradient
    // to the first largest entry in row-major order (conv.pool-tie), found
    // here by an independent scan: the window's maximum first, then the
    // first entry equal to it
    let mut rng = seeded(113);
    let mut coverage = Coverage::default();
    let mut windows = 0;
    let mut worst = 0.0f64;
    for case in 0..CASES {
        let sh = random_shape(&mut rng, case);
        coverage.add(&sh);
        let m = sh.conv_side().unwrap();
        let q = sh.pool_side().unwrap();
        let y = Array3::from_shape_fn((sh.filters, m, m), |_| {
            f64::from(rng.random_range(0..3u8)) / 2.0
        });
        coverage.ties += has_tie(&y, sh.p, sh.t) as usize;
        let g = uniform(&mut rng, (sh.filters, q, q), -1.0, 1.0).unwrap();
        let dy = max_pool_backward(y.view(), g.view(), sh.pool()).unwrap();
        let mut expected = Array3::<f64>::zeros(y.dim());
        for c in 0..sh.filters {
            for i in 0..q {
                for j in 0..q {
                    let cells: Vec<(usize, usize)> = (0..sh.p)
                        .flat_map(|a| (0..sh.p).map(move |b| (a, b)))
                        .map(|(a, b)| (i * sh.t + a, j * sh.t + b))
                        .collect();
                    let top = cells
                        .iter()
                        .map(|&(u, v)| y[[c, u, v]])
                        .fold(f64::NEG_INFINITY, f64::max);
                    let &(u, v) = cells.iter().find(|&&(u, v)| y[[c, u, v]] == top).unwrap();
                    expected[[c, u, v]] += g[[c, i, j]];
                    windows += 1;
                }
            }
        }
        let r = compare_arrays(&expected, &dy);
        assert!(r.within(EXACT_TOL), "{sh:?}: {r}");
        worst = worst.max(r.worst);
    }
    coverage.check("pool-tie", true);
    println!("ties: {windows} windows; coverage {coverage:?}");
    verified_dl::record!("conv.pool-tie.windows", windows as f64);
    verify!(
        "conv.pool-tie",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.random.pool-tie.worst", worst);
}

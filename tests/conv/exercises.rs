//! The solutions of the chapter's exercises (src/conv/exercises.md), each
//! against an independent computation, and each with a plausible wrong answer
//! that the same check rejects.

use ndarray::{Array2, Array3, Array4};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{
    compare_arrays, gradient, seeded, uniform, Rng, EXACT_TOL, FD_STEP, FD_TOL,
};
use verified_dl::conv::convolution::{conv_backward_w, conv_forward, dilate};
use verified_dl::conv::exercises::{avg_pool_backward, avg_pool_forward, conv1x1_backward};
use verified_dl::conv::general::{conv2d_forward, Conv2d};
use verified_dl::conv::pooling::{max_pool_backward, max_pool_forward, pool_margin};
use verified_dl::conv::size::{Conv, Pool};
use verified_dl::verify;

use crate::random::MIN_MARGIN;
use crate::Misses;

/// Random configurations per check.
const CASES: usize = 300;

/// Fails if `Conv2d::out_size` gives other than 4 for a 7 × 7 input, 3 × 3 filters, stride 2 and
/// padding 1, or does not keep the side d for every odd k ≤ d ≤ 30 with P = (k − 1)/2 and s = 1
/// (exact comparisons): padding counted on one side only (d + P − k + 1), or the +1 of floor((d +
/// 2P − k)/s)+1 missing, would miss.
#[test]
fn exercise_padded_output_size() {
    let mut misses = Misses::default();
    // (a) 7 x 7, 3 x 3 filters, stride 2, padding 1: floor((7 + 2 - 3) / 2) + 1 = 4
    misses.compare(
        Conv2d::new(2, 1).unwrap().out_size(7, 3).unwrap(),
        4,
        || "d=7 k=3 s=2 P=1".into(),
    );
    // the wrong answer that pads one side only, floor((7 + 1 - 3) / 2) + 1 = 3
    assert_ne!((7 + 1 - 3) / 2 + 1, 4);
    // (b) "same" padding: an odd k, P = (k - 1) / 2 and s = 1 keep the side d
    let mut cases = 1;
    let mut one_sided_wrong = 0;
    for d in 1..=30usize {
        for k in (1..=d).step_by(2) {
            let pad = (k - 1) / 2;
            misses.compare(
                Conv2d::new(1, pad).unwrap().out_size(d, k).unwrap(),
                d,
                || format!("d={d} k={k} s=1 P={pad}"),
            );
            // padding on one side only: d + P - k + 1, short of d for every k >= 3
            if k >= 3 {
                assert_ne!(d + pad - k + 1, d);
                one_sided_wrong += 1;
            }
            cases += 1;
        }
    }
    assert!(one_sided_wrong > 0);
    verify!(
        "conv.ex-pad-size",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.ex-pad-size"),
        cases
    );
}

/// A random pooling configuration: maps, map side, window, stride.
fn pool_case(rng: &mut Rng) -> (usize, usize, Pool) {
    let side = rng.random_range(1..=8);
    let p = rng.random_range(1..=side.min(4));
    let t = rng.random_range(1..=3);
    (rng.random_range(1..=3), side, Pool::new(p, t).unwrap())
}

/// Fails if `avg_pool_backward` differs from central differences of L = Σ G ∘ avg_pool_forward(Y)
/// by more than `FD_TOL` on any of 300 random cases (1–3 maps of side ≤ 8, p ≤ 4, t ≤ 3), if under
/// a tenth of them have overlapping windows, or if the answer without the share 1/p² is never
/// rejected: shares that overwrite instead of adding where windows overlap would miss.
#[test]
fn exercise_average_pooling_gradient() {
    let mut rng = seeded(141);
    let (mut worst, mut overlapping, mut no_share_caught) = (0.0f64, 0, false);
    for _ in 0..CASES {
        let (maps, side, pool) = pool_case(&mut rng);
        let y = uniform(&mut rng, (maps, side, side), -1.0, 1.0).unwrap();
        let q = pool.out_size(side).unwrap();
        let g = uniform(&mut rng, (maps, q, q), -1.0, 1.0).unwrap();
        let fd = gradient(
            |y: &Array3<f64>| (&g * &avg_pool_forward(y.view(), pool).unwrap()).sum(),
            &y,
            FD_STEP,
        )
        .unwrap();
        let dy = avg_pool_backward(g.view(), y.dim(), pool).unwrap();
        let r = compare_arrays(&fd, &dy);
        assert!(r.within(FD_TOL), "{pool:?}: {r}");
        worst = worst.max(r.worst);
        if pool.t() < pool.p() && q >= 2 {
            overlapping += 1;
        }
        // the wrong answer without the share 1/p^2 fails wherever p >= 2
        let p2 = (pool.p() * pool.p()) as f64;
        if pool.p() >= 2 && !compare_arrays(&fd, &dy.mapv(|v| v * p2)).within(FD_TOL) {
            no_share_caught = true;
        }
    }
    assert!(
        overlapping >= CASES / 10 && no_share_caught,
        "{overlapping}"
    );
    verify!(
        "conv.ex-avg-pool",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.ex-avg-pool.worst", worst);
}

/// The gradient of max pooling written as the exercise's solution for t = p:
/// entry (u, v) lies in the one window (u / p, v / p) (0-based) and gets that
/// window's gradient if it is the window's first largest entry, else 0. The
/// winner is found by a scan of its own (the maximum first, then the first
/// entry equal to it).
fn one_window_gradient(y: &Array3<f64>, g: &Array3<f64>, p: usize) -> Array3<f64> {
    let (_, q, _) = g.dim();
    Array3::from_shape_fn(y.dim(), |(c, u, v)| {
        let (m, n) = (u / p, v / p);
        if m >= q || n >= q || (m + 1) * p > y.dim().1 || (n + 1) * p > y.dim().2 {
            return 0.0; // in no window
        }
        let window: Vec<(usize, usize)> = (0..p)
            .flat_map(|i| (0..p).map(move |j| (m * p + i, n * p + j)))
            .collect();
        let top = window
            .iter()
            .map(|&(a, b)| y[[c, a, b]])
            .fold(f64::NEG_INFINITY, f64::max);
        let first = window.iter().find(|&&(a, b)| y[[c, a, b]] == top);
        if first == Some(&(u, v)) {
            g[[c, m, n]]
        } else {
            0.0
        }
    })
}

/// Fails if, on 300 random maps with t = p and a pooling margin of at least `MIN_MARGIN`,
/// `max_pool_backward` differs from the test's own one-window scan by more than `EXACT_TOL` or from
/// central differences of L = Σ G ∘ max_pool_forward(Y) by more than `FD_TOL`, or has more than C
/// Q² nonzero entries, or if the one-window answer is never wrong for overlapping windows (t < p).
#[test]
fn exercise_non_overlapping_pool_gradient() {
    let mut rng = seeded(142);
    let (mut worst, mut cases, mut overlap_fails) = (0.0f64, 0, 0);
    while cases < CASES {
        let (maps, side, pool) = pool_case(&mut rng);
        let p = pool.p();
        let y = uniform(&mut rng, (maps, side, side), -1.0, 1.0).unwrap();
        if pool_margin(y.view(), pool).unwrap() < MIN_MARGIN {
            continue;
        }
        let q = pool.out_size(side).unwrap();
        let g = uniform(&mut rng, (maps, q, q), -1.0, 1.0).unwrap();
        let fd = gradient(
            |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), pool).unwrap()).sum(),
            &y,
            FD_STEP,
        )
        .unwrap();
        if pool.t() != p {
            // with overlapping windows the one-window answer is wrong somewhere
            if p >= 2 && pool.t() < p && q >= 2 {
                let g_p = uniform(&mut rng, (maps, q, q), -1.0, 1.0).unwrap();
                let truth = max_pool_backward(y.view(), g_p.view(), pool).unwrap();
                let one = one_window_gradient(&y, &g_p, p);
                if !compare_arrays(&truth, &one).within(FD_TOL) {
                    overlap_fails += 1;
                }
            }
            continue;
        }
        let dy = max_pool_backward(y.view(), g.view(), pool).unwrap();
        let one = one_window_gradient(&y, &g, p);
        // each entry gets at most one window's gradient: at most Q^2 entries are not 0
        let nonzero = dy.iter().filter(|&&v| v != 0.0).count();
        assert!(nonzero <= maps * q * q);
        let r = compare_arrays(&one, &dy).max(compare_arrays(&fd, &dy));
        assert!(
            compare_arrays(&one, &dy).within(EXACT_TOL) && r.within(FD_TOL),
            "{r}"
        );
        worst = worst.max(r.worst);
        cases += 1;
    }
    assert!(overlap_fails > 0);
    verify!(
        "conv.ex-stride-pool",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        cases
    );
    verified_dl::record!("conv.ex-stride-pool.worst", worst);
    verified_dl::record!("conv.ex-stride-pool.overlap-fails", overlap_fails as f64);
}

/// Fails if dL/dW = G Xᵀ or dL/dX = Wᵀ G from `conv1x1_backward` differs from central differences
/// of L = Σ G ∘ Y (Y by `conv2d_forward` with 1 × 1 filters) by more than `FD_TOL` on 300 random
/// cases, or if dX with the wrong sign or dW from the first position only is never rejected: W used
/// untransposed would miss.
#[test]
fn exercise_one_by_one_convolution() {
    let mut rng = seeded(143);
    let (mut worst, mut sign_caught, mut first_caught) = (0.0f64, 0, 0);
    for _ in 0..CASES {
        let (channels, filters) = (rng.random_range(1..=4), rng.random_range(1..=4));
        let (rows, cols) = (rng.random_range(1..=5), rng.random_range(1..=5));
        let x = uniform(&mut rng, (channels, rows, cols), -1.0, 1.0).unwrap();
        let w = uniform(&mut rng, (filters, channels), -1.0, 1.0).unwrap();
        let g = uniform(&mut rng, (filters, rows, cols), -1.0, 1.0).unwrap();
        // the loss through the crate's general convolution with 1 x 1 filters
        let zero = ndarray::Array1::zeros(filters);
        let loss = |x: &Array3<f64>, w: &Array2<f64>| {
            let x4 = x.clone().insert_axis(ndarray::Axis(0));
            let w4: Array4<f64> = w
                .clone()
                .into_shape_with_order((filters, channels, 1, 1))
                .unwrap();
            let y = conv2d_forward(x4.view(), w4.view(), zero.view(), 1).unwrap();
            (&g * &y.index_axis(ndarray::Axis(0), 0)).sum()
        };
        let fd_w = gradient(|w| loss(&x, w), &w, FD_STEP).unwrap();
        let fd_x = gradient(|x| loss(x, &w), &x, FD_STEP).unwrap();
        let (dw, dx) = conv1x1_backward(x.view(), w.view(), g.view()).unwrap();
        let r = compare_arrays(&fd_w, &dw).max(compare_arrays(&fd_x, &dx));
        assert!(r.within(FD_TOL), "{r}");
        worst = worst.max(r.worst);
        // wrong answers: dX with the wrong sign, dW from the first position only
        if !compare_arrays(&fd_x, &-&dx).within(FD_TOL) {
            sign_caught += 1;
        }
        let first =
            Array2::from_shape_fn((filters, channels), |(f, c)| g[[f, 0, 0]] * x[[c, 0, 0]]);
        if rows * cols > 1 && !compare_arrays(&fd_w, &first).within(FD_TOL) {
            first_caught += 1;
        }
    }
    assert!(sign_caught > 0 && first_caught > 0);
    verify!(
        "conv.ex-1x1",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.ex-1x1.worst", worst);
}

/// Fails if `conv_forward` with the filter dilated by δ (`dilate`) differs from the test's own sum
/// over the taps X_{is+aδ, js+bδ} by more than `EXACT_TOL`, its side from (d − (k − 1)δ − 1)/s + 1,
/// or dL/dW read at the taps of `conv_backward_w` from central differences of that sum by more than
/// `FD_TOL`, on 300 cases: a span of kδ or taps at the wrong places would miss.
#[test]
fn exercise_dilated_convolution() {
    let mut rng = seeded(144);
    let (mut worst, mut fd_worst, mut cases, mut wrong_size) = (0.0f64, 0.0f64, 0, 0);
    while cases < CASES {
        let d = rng.random_range(1..=10usize);
        let (k, delta, s) = (
            rng.random_range(1..=3usize),
            rng.random_range(1..=3usize),
            rng.random_range(1..=3usize),
        );
        let span = (k - 1) * delta + 1;
        if span > d {
            continue;
        }
        let filters = rng.random_range(1..=2);
        let x = uniform(&mut rng, (d, d), -1.0, 1.0).unwrap();
        let w = uniform(&mut rng, (filters, k, k), -1.0, 1.0).unwrap();
        // the dilated convolution by its definition: taps (m - 1) s + (a - 1) delta + 1
        let m = (0..d).filter(|u| u % s == 0 && u + span <= d).count();
        let brute = Array3::from_shape_fn((filters, m, m), |(c, i, j)| {
            let mut sum = 0.0;
            for a in 0..k {
                for b in 0..k {
                    sum += x[[i * s + a * delta, j * s + b * delta]] * w[[c, a, b]];
                }
            }
            sum
        });
        // the solution: the ordinary convolution with the dilated filter
        let mut dilated = Array3::zeros((filters, span, span));
        for c in 0..filters {
            dilated
                .index_axis_mut(ndarray::Axis(0), c)
                .assign(&dilate(w.index_axis(ndarray::Axis(0), c), delta).unwrap());
        }
        let conv = Conv::new(span, s).unwrap();
        let y = conv_forward(x.view(), dilated.view(), conv).unwrap();
        assert_eq!(conv.out_size(d).unwrap(), m);
        assert_eq!((d - (k - 1) * delta - 1) / s + 1, m);
        // the wrong size with a span of k delta
        if (k * delta > d) || (d - k * delta) / s + 1 != m {
            wrong_size += 1;
        }
        let r = compare_arrays(&brute, &y);
        assert!(r.within(EXACT_TOL), "{r}");
        worst = worst.max(r.worst);
        // the filter gradient: that of the dilated filter, read at its taps,
        // against finite differences of the definition
        let g = uniform(&mut rng, (filters, m, m), -1.0, 1.0).unwrap();
        let loss = |w: &Array3<f64>| {
            let mut sum = 0.0;
            for ((c, i, j), &gc) in g.indexed_iter() {
                for a in 0..k {
                    for b in 0..k {
                        sum += gc * x[[i * s + a * delta, j * s + b * delta]] * w[[c, a, b]];
                    }
                }
            }
            sum
        };
        let fd = gradient(loss, &w, FD_STEP).unwrap();
        let dw_dilated = conv_backward_w(x.view(), g.view(), conv).unwrap();
        let dw = Array3::from_shape_fn((filters, k, k), |(c, a, b)| {
            dw_dilated[[c, a * delta, b * delta]]
        });
        let r = compare_arrays(&fd, &dw);
        assert!(r.within(FD_TOL), "{r}");
        fd_worst = fd_worst.max(r.worst);
        cases += 1;
    }
    assert!(wrong_size > 0);
    verify!(
        "conv.ex-dilation",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        cases
    );
    verified_dl::record!("conv.ex-dilation.worst", worst);
    verified_dl::record!("conv.ex-dilation.fd-worst", fd_worst);
}

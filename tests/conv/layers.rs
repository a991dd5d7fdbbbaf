//! Problem 1, the deterministic checks: output sizes, the source's formulas
//! (where they hold and the errata where they do not), flatten index maps,
//! max-pool ties, stability of softmax and cross-entropy, and bad input.

use ndarray::{array, Array1, Array2, Array3, Array4};
use verified_dl::check::ledger::Method;
use verified_dl::check::{
    compare_arrays, gradient, rel_err, seeded, uniform, EXACT_TOL, FD_STEP, FD_TOL,
};
use verified_dl::conv::convolution::*;
use verified_dl::conv::dense::*;
use verified_dl::conv::fast::{conv2d_backward_fast, conv2d_forward_fast};
use verified_dl::conv::general::{conv2d_backward, conv2d_forward};
use verified_dl::conv::network::Shape;
use verified_dl::conv::pooling::*;
use verified_dl::conv::size::{conv_out_size, pool_out_size, Conv, Pool};
use verified_dl::conv::softmax::*;
use verified_dl::conv::source;
use verified_dl::verify;

use crate::Misses;

fn cv(k: usize, s: usize) -> Conv {
    Conv::new(k, s).unwrap()
}

fn pl(p: usize, t: usize) -> Pool {
    Pool::new(p, t).unwrap()
}

/// The 0-based starts of the windows of width `k`, stride `s`, that fit in
/// `0..d`, found by trying every position.
fn window_starts(d: usize, k: usize, s: usize) -> Vec<usize> {
    (0..d).filter(|u| u % s == 0 && u + k <= d).collect()
}

/// Fails if `conv_out_size(d, k, s)` differs from the count of window starts found by trying every
/// position, for any d ≤ 40, k ≤ d, s ≤ d + 1, or if `conv_forward` with a one-hot filter on
/// X_{u,v} = u d + v does not read exactly the top-left pixel of each counted window (d ≤ 12): the
/// +1 missing, the source's floor((d − k + 1)/s), or the stride ignored in the loops would miss.
#[test]
fn output_sizes_match_visited_positions() {
    let mut misses = Misses::default();
    // the formula against brute force, for every d, k, s up to 40
    let mut cases = 0;
    for d in 1..=40 {
        for k in 1..=d {
            for s in 1..=d + 1 {
                misses.compare(
                    conv_out_size(d, k, s).unwrap(),
                    window_starts(d, k, s).len(),
                    || format!("conv_out_size, d={d} k={k} s={s}"),
                );
                cases += 1;
            }
        }
    }
    // the positions the convolution loops visit: with X_{u,v} = u d + v and a
    // filter that is 1 at (1,1) and 0 elsewhere, Y_{m,n} is the index of the
    // top-left pixel of window (m, n)
    for d in 1..=12 {
        for k in 1..=d {
            for s in 1..=d + 1 {
                let x = Array2::from_shape_fn((d, d), |(u, v)| (u * d + v) as f64);
                let mut w = Array3::zeros((1, k, k));
                w[[0, 0, 0]] = 1.0;
                let y = conv_forward(x.view(), w.view(), cv(w.dim().1, s)).unwrap();
                let starts = window_starts(d, k, s);
                let expected =
                    Array3::from_shape_fn((1, starts.len(), starts.len()), |(_, m, n)| {
                        (starts[m] * d + starts[n]) as f64
                    });
                misses.compare(y, expected, || format!("conv_forward, d={d} k={k} s={s}"));
                cases += 1;
            }
        }
    }
    verify!(
        "conv.size",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.size"),
        cases
    );
    verified_dl::record!("conv.size.cases", cases as f64);
}

/// Fails if `pool_out_size(m, p, t)` differs from the count of window starts found by trying every
/// position, for any m ≤ 30, p ≤ m, t ≤ m + 1, or if `max_pool_forward` on Y_{u,v} = u m + v does
/// not return exactly the bottom-right entry of each counted window (m ≤ 10): a missing +1, or
/// windows stepped by 1 instead of t, would miss.
#[test]
fn pool_sizes_match_visited_windows() {
    let mut misses = Misses::default();
    let mut cases = 0;
    for m in 1..=30 {
        for p in 1..=m {
            for t in 1..=m + 1 {
                misses.compare(
                    pool_out_size(m, p, t).unwrap(),
                    window_starts(m, p, t).len(),
                    || format!("pool_out_size, m={m} p={p} t={t}"),
                );
                cases += 1;
            }
        }
    }
    // with Y_{u,v} = u m + v the maximum of every window is its bottom-right
    // entry, so P reveals the windows the loops visit
    for m in 1..=10 {
        for p in 1..=m {
            for t in 1..=m + 1 {
                let y = Array3::from_shape_fn((1, m, m), |(_, u, v)| (u * m + v) as f64);
                let pooled = max_pool_forward(y.view(), pl(p, t)).unwrap();
                let starts = window_starts(m, p, t);
                let q = starts.len();
                let expected = Array3::from_shape_fn((1, q, q), |(_, i, j)| {
                    ((starts[i] + p - 1) * m + starts[j] + p - 1) as f64
                });
                misses.compare(pooled, expected, || {
                    format!("max_pool_forward, m={m} p={p} t={t}")
                });
                cases += 1;
            }
        }
    }
    verify!(
        "conv.pool-size",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.pool-size"),
        cases
    );
    verified_dl::record!("conv.pool-size.cases", cases as f64);
}

/// Fails if `conv_out_size` differs from ceil((d − k + 1)/s) for some d ≤ 40, k ≤ d, s ≤ d, if the
/// source's (d − k + 1)/s (`source::conv_size_dy`) is not right exactly when s divides d − k + 1 or
/// is never wrong, or if the quoted cases come out otherwise: 3 windows, not 1.5, at d = 5, k = 3;
/// 3, not 2.5, at d = 7, k = 3, s = 2; a flat length of 8, not 4.5 (all exact comparisons).
#[test]
fn erratum_conv_output_size() {
    let mut misses = Misses::default();
    // (d - k + 1) / 2: d = 5, k = 3, s = 1 has 3 windows per axis, not 1.5
    misses.compare(conv_out_size(5, 3, 1).unwrap(), 3, || "M(5, 3, 1)".into());
    misses.compare(source::conv_size_y(5, 3).unwrap(), 1.5, || {
        "the source's size at d = 5, k = 3".into()
    });
    // (d - k + 1) / s: d = 7, k = 3, s = 2 has windows at 0, 2, 4: 3, not 2.5
    misses.compare(window_starts(7, 3, 2), vec![0, 2, 4], || {
        "window starts, d = 7, k = 3, s = 2".into()
    });
    misses.compare(source::conv_size_dy(7, 3, 2).unwrap(), 2.5, || {
        "the source's size at d = 7, k = 3, s = 2".into()
    });
    // and the pooled size and flat length inherit the error (p = 2, two maps)
    misses.compare(pool_out_size(3, 2, 1).unwrap(), 2, || "Q(3, 2, 1)".into());
    misses.compare(source::pool_size(7, 3, 2, 2).unwrap(), 1.5, || {
        "the source's pooled size".into()
    });
    let sh = Shape::new(7, cv(3, 2), pl(2, 1), 2, 2).unwrap();
    misses.compare(sh.flat_len(), 8, || "the flat length".into());
    misses.compare(
        2.0 * source::pool_size(7, 3, 2, 2).unwrap().powi(2),
        4.5,
        || "the source's flat length".into(),
    );
    // the source's (d-k+1)/s is right exactly when it is an integer, and its
    // ceiling is always right: ceil((d-k+1)/s) = floor((d-k)/s) + 1
    let mut wrong = 0;
    let mut cases = 0;
    for d in 1..=40usize {
        for k in 1..=d {
            for s in 1..=d {
                let truth = conv_out_size(d, k, s).unwrap();
                misses.compare((d - k + 1).div_ceil(s), truth, || {
                    format!("ceil((d - k + 1)/s) against M, d={d} k={k} s={s}")
                });
                let stated = source::conv_size_dy(d, k, s).unwrap();
                misses.compare(stated == truth as f64, (d - k + 1) % s == 0, || {
                    format!("the source right, d={d} k={k} s={s}")
                });
                wrong += (stated != truth as f64) as usize;
                cases += 1;
            }
        }
    }
    assert!(wrong > 0);
    let r =
        |name: &str, v: f64| verified_dl::record!(format!("erratum.conv-output-size.{name}"), v);
    r("m-5-3-1", conv_out_size(5, 3, 1).unwrap() as f64);
    r("source-y", source::conv_size_y(5, 3).unwrap());
    r("m-7-3-2", window_starts(7, 3, 2).len() as f64);
    r("source-dy", source::conv_size_dy(7, 3, 2).unwrap());
    r("q", sh.pool_side() as f64);
    r("source-q", source::pool_size(7, 3, 2, 2).unwrap());
    r("flat", sh.flat_len() as f64);
    r(
        "source-flat",
        2.0 * source::pool_size(7, 3, 2, 2).unwrap().powi(2),
    );
    r("cases", cases as f64);
    r("wrong", wrong as f64);
    verify!(
        "erratum.conv-output-size",
        Method::Exhaustive,
        0.0,
        misses.worst("erratum.conv-output-size"),
        cases
    );
}

/// The source's dW formula against finite differences of L = sum G * Y.
fn source_dw_error(d: usize, k: usize, s: usize, seed: u64) -> f64 {
    source_dw_errors(d, k, s, seed).0
}

/// The source's dW formula's worst relative error against finite
/// differences of L = sum G * Y and against the exact gradient (conv.dW),
/// and the worst relative error of (conv.dW) against the finite differences.
fn source_dw_errors(d: usize, k: usize, s: usize, seed: u64) -> (f64, f64, f64) {
    let mut rng = seeded(seed);
    let x = uniform(&mut rng, (d, d), -1.0, 1.0).unwrap();
    let w = uniform(&mut rng, (2, k, k), -1.0, 1.0).unwrap();
    let m = conv_out_size(d, k, s).unwrap();
    let g = uniform(&mut rng, (2, m, m), -1.0, 1.0).unwrap();
    let fd = gradient(
        |w: &Array3<f64>| (&g * &conv_forward(x.view(), w.view(), cv(w.dim().1, s)).unwrap()).sum(),
        &w,
        FD_STEP,
    )
    .unwrap();
    let stated = source::dw(x.view(), g.view(), k, s).unwrap();
    let exact = conv_backward_w(x.view(), g.view(), cv(k, s)).unwrap();
    (
        compare_arrays(&fd, &stated).worst,
        compare_arrays(&exact, &stated).worst,
        compare_arrays(&fd, &exact).worst,
    )
}

/// Fails if the source's dL/dW (`source::dw`, its sum up to (d − k + 1)/s) differs from central
/// differences of L = Σ G ∘ Y through `conv_forward` by more than `FD_TOL`, for any d ≤ 9, k ≤ d, s
/// ≤ 3 where s divides d − k + 1: a window position (m − 1)s + p off by one, or the filter indices
/// p and q swapped, would miss.
#[test]
fn source_dw_is_right_when_its_limit_is_an_integer() {
    let mut worst = 0.0f64;
    let mut cases = 0;
    for d in 1..=9 {
        for k in 1..=d {
            for s in 1..=3 {
                if (d - k + 1) % s == 0 {
                    worst = worst.max(source_dw_error(d, k, s, (d * 100 + k * 10 + s) as u64));
                    cases += 1;
                }
            }
        }
    }
    verify!("conv.dW", Method::FiniteDifferences, FD_TOL, worst, cases);
    verified_dl::record!("conv.dW.source-divisible.worst", worst);
    verified_dl::record!("conv.dW.source-divisible.cases", cases as f64);
}

/// Fails if, at d = 5, k = 3, s = 2, `conv_backward_w` differs from central differences of L = Σ G
/// ∘ Y by more than `FD_TOL`, or if the source's dL/dW, whose sum stops at ⌊1.5⌋ = 1 and misses the
/// windows at m = 2 or n = 2, comes within 0.1 of them, or if its error against the finite
/// differences and against `conv_backward_w` differ by more than 4 `FD_TOL`.
#[test]
fn erratum_conv_dw_limit() {
    // d = 5, k = 3, s = 2: (d-k+1)/s = 1.5, so the sum stops at m = n = 1 and
    // misses the windows at m = 2 or n = 2, which are there (conv_out_size = 2)
    assert_eq!(source::conv_size_dy(5, 3, 2).unwrap(), 1.5);
    assert_eq!(conv_out_size(5, 3, 2).unwrap(), 2);
    let (err, err_exact, ours) = source_dw_errors(5, 3, 2, 7);
    println!(
        "source dW against finite differences at d=5, k=3, s=2: worst relative error {err:.3}"
    );
    assert!(
        err > 0.1,
        "the source's dW should be visibly wrong here, error {err}"
    );
    // the quoted error is the same against the exact gradient: the finite
    // differences and (conv.dW) differ by at most FD_TOL relatively, which
    // moves a relative error of about 1 by at most a few FD_TOL
    assert!(
        (err - err_exact).abs() <= 4.0 * FD_TOL,
        "{err} against finite differences, {err_exact} against (conv.dW)"
    );
    verified_dl::record!("erratum.conv-dw-limit.source-error", err);
    verified_dl::record!(
        "erratum.conv-dw-limit.limit",
        source::conv_size_dy(5, 3, 2).unwrap()
    );
    verify!(
        "erratum.conv-dw-limit",
        Method::FiniteDifferences,
        FD_TOL,
        ours,
        1
    );
}

/// Fails if central differences of Y_{1,1} through `conv_forward` (d = 4, k = 2, s = 1) in W_{a,b}
/// differ from X_{a,b} by more than `FD_TOL` at any of the k² taps, or if the source's
/// X_{(m−1)s+p,(n−1)s+q} at p = 2 comes within 0.1 of the derivative in W_{n,q}: a transposed
/// filter index in the forward pass (X_{b,a}) would miss.
#[test]
fn erratum_conv_index() {
    // The source writes dY_{m,n}/dW_{n,q} = X_{(m-1)s+p,(n-1)s+q}: the row of W
    // is n (the output column) while the X index uses p. The derivative with
    // respect to W_{n,q} is X_{(m-1)s+n,(n-1)s+q}; at m = n = q = 1, p = 2:
    let (d, k, s) = (4, 2, 1);
    let x = uniform(&mut seeded(11), (d, d), -1.0, 1.0).unwrap();
    let w = uniform(&mut seeded(12), (1, k, k), -1.0, 1.0).unwrap();
    let (m, n, q, p) = (1, 1, 1, 2);
    let fd = gradient(
        |w: &Array3<f64>| {
            conv_forward(x.view(), w.view(), cv(w.dim().1, s)).unwrap()[[0, m - 1, n - 1]]
        },
        &w,
        FD_STEP,
    )
    .unwrap();
    let derivative = fd[[0, n - 1, q - 1]];
    let truth = x[[(m - 1) * s + n - 1, (n - 1) * s + q - 1]];
    assert!(rel_err(derivative, truth) <= FD_TOL);
    let stated = x[[(m - 1) * s + p - 1, (n - 1) * s + q - 1]];
    assert!(
        (derivative - stated).abs() > 0.1,
        "{derivative} vs {stated}"
    );
    // with the weight's row named p, as in the corrected formula (the one
    // symbol n read as p), the source's right side is right
    let mut worst = 0.0f64;
    for a in 0..k {
        for b in 0..k {
            let e = rel_err(fd[[0, a, b]], x[[(m - 1) * s + a, (n - 1) * s + b]]);
            assert!(e <= FD_TOL);
            worst = worst.max(e);
        }
    }
    verified_dl::record!("erratum.conv-index.derivative", derivative);
    verified_dl::record!("erratum.conv-index.stated", stated);
    verify!(
        "erratum.conv-index",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        k * k
    );
}

/// Fails if an entry of `conv_forward` (d = 4, k = 2, s = 1) differs by more than `EXACT_TOL` from
/// the test's 1-based Σ_{p,q} X_{(m−1)s+p,(n−1)s+q} W_{p,q}, if the first output row is not three
/// distinct numbers, or if the source's sum as written (for either p) comes within 0.01 of two of
/// them: a forward pass whose columns ignore n, as the source's, would miss.
#[test]
fn erratum_conv_forward_sum() {
    // d = 4, k = 2, s = 1: the first output row has three entries, and for the
    // random image of this test they are three different numbers; the source's
    // sum as written gives one number for all three, whichever row offset p it is read with
    let (d, k, s) = (4, 2, 1);
    let x = uniform(&mut seeded(13), (d, d), -1.0, 1.0).unwrap();
    let w = uniform(&mut seeded(14), (1, k, k), -1.0, 1.0).unwrap();
    let y = conv_forward(x.view(), w.view(), cv(w.dim().1, s)).unwrap();
    let row: Vec<f64> = (0..3).map(|n| y[[0, 0, n]]).collect();
    assert!(
        (row[0] - row[1]).abs() > 0.01
            && (row[1] - row[2]).abs() > 0.01
            && (row[0] - row[2]).abs() > 0.01,
        "{row:?}"
    );
    for p in 1..=k {
        let stated =
            source::conv_forward_as_written(x.view(), w.index_axis(ndarray::Axis(0), 0), 1, p, s)
                .unwrap();
        let misses = row.iter().filter(|&&v| (v - stated).abs() > 0.01).count();
        assert!(misses >= 2, "p = {p}: {stated} against {row:?}");
        verified_dl::record!(format!("erratum.conv-forward-sum.stated-p{p}"), stated);
    }
    for (j, v) in row.iter().enumerate() {
        verified_dl::record!(format!("erratum.conv-forward-sum.y1{}", j + 1), *v);
    }
    // with the one symbol n of the outer sum read as p (the same substitution
    // as in erratum conv-index), the source's sum is the forward pass: the
    // 1-based sum over p and q, in the code's order of terms, gives every entry
    let mut worst = 0.0f64;
    for mm in 1..=3 {
        for nn in 1..=3 {
            let mut sum = 0.0;
            for p in 1..=k {
                for q in 1..=k {
                    sum += x[[(mm - 1) * s + p - 1, (nn - 1) * s + q - 1]] * w[[0, p - 1, q - 1]];
                }
            }
            worst = worst.max(rel_err(sum, y[[0, mm - 1, nn - 1]]));
        }
    }
    verify!(
        "erratum.conv-forward-sum",
        Method::FloatingPoint,
        EXACT_TOL,
        worst,
        9
    );
}

/// Fails if `max_pool_forward` with stride 1 is not (M − p + 1)² per map or differs anywhere,
/// exactly, from the test's 1-based max_{i,j ≤ p} Y_{m+i−1,n+j−1}, on two random maps of every side
/// M ≤ 7 and window p ≤ M: a window off by one or shifted by p would miss.
#[test]
fn source_pool_forward_is_right() {
    // P^c_{m,n} = max_{i,j in 1..p} Y^c_{m+i-1,n+j-1}, written 1-based as in the source
    let mut misses = Misses::default();
    let mut cases = 0;
    let mut rng = seeded(21);
    for m_size in 1..=7 {
        for p in 1..=m_size {
            let y = uniform(&mut rng, (2, m_size, m_size), -1.0, 1.0).unwrap();
            let pooled = max_pool_forward(y.view(), pl(p, 1)).unwrap();
            let q = m_size - p + 1; // the source's pooled size, with the true map size
            cases += 1;
            if pooled.dim() != (2, q, q) {
                // the entries cannot be compared: one miss for the case
                misses.compare(pooled.dim(), (2, q, q), || {
                    format!("the shape, M={m_size} p={p}")
                });
                continue;
            }
            for c in 0..2 {
                for m in 1..=q {
                    for n in 1..=q {
                        let mut best = f64::NEG_INFINITY;
                        for i in 1..=p {
                            for j in 1..=p {
                                best = best.max(y[[c, m + i - 2, n + j - 2]]);
                            }
                        }
                        misses.compare(pooled[[c, m - 1, n - 1]], best, || {
                            format!("M={m_size} p={p}, entry ({c}, {m}, {n})")
                        });
                    }
                }
            }
        }
    }
    verify!(
        "conv.pool",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.pool"),
        cases
    );
}

/// Fails if, on the 3 × 3 map whose entry (2, 2) wins all four 2 × 2 windows, `max_pool_backward`
/// differs from central differences by more than `FD_TOL`, or gives that entry other than 1+2+3+4 =
/// 10 or (1, 1) other than 0 (a gradient that overwrites instead of adding gives 4), or if the
/// source's formula does not give 4 at both (2, 2) and (1, 1), an error of at least 0.5.
#[test]
fn erratum_conv_pool_grad() {
    // A 3x3 map, 2x2 windows, stride 1: four windows. Entry (2,2) (1-based)
    // wins all four; the source gives it only dL/dP_{2,2}.
    let y = array![[[0.1, 0.2, 0.3], [0.4, 0.9, 0.5], [0.6, 0.7, 0.8]]];
    let g = array![[[1.0, 2.0], [3.0, 4.0]]];
    let p = 2;
    let fd = gradient(
        |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), pl(p, 1)).unwrap()).sum(),
        &y,
        FD_STEP,
    )
    .unwrap();
    let ours = max_pool_backward(y.view(), g.view(), pl(p, 1)).unwrap();
    let ours_vs_fd = compare_arrays(&fd, &ours);
    assert!(ours_vs_fd.within(FD_TOL));
    assert_eq!(ours[[0, 1, 1]], 10.0); // 1 + 2 + 3 + 4, exact in f64
    assert!(rel_err(fd[[0, 1, 1]], 10.0) <= FD_TOL);
    let stated = source::pool_grad(
        y.index_axis(ndarray::Axis(0), 0),
        g.index_axis(ndarray::Axis(0), 0),
        p,
    )
    .unwrap();
    let err = compare_arrays(&fd.index_axis(ndarray::Axis(0), 0).to_owned(), &stated).worst;
    assert!(
        err >= 0.5,
        "the source's pooling gradient should be wrong here, error {err}"
    );
    // entry (2,2), which won all four windows, gets only dL/dP_{2,2} = 4 instead of 10
    assert_eq!(stated[[1, 1]], 4.0);
    // the source gives (1,1) the gradient of window (2,2), because the winner of
    // the window that starts at (1,1) is at offset (2,2): (1,1) never won anything
    assert_eq!(stated[[0, 0]], 4.0);
    assert!(fd[[0, 0, 0]].abs() < FD_TOL);
    assert_eq!(ours[[0, 0, 0]], 0.0);
    verified_dl::record!("erratum.conv-pool-grad.winner", ours[[0, 1, 1]]);
    verified_dl::record!("erratum.conv-pool-grad.winner-fd", fd[[0, 1, 1]]);
    verified_dl::record!("erratum.conv-pool-grad.source-winner", stated[[1, 1]]);
    verified_dl::record!("erratum.conv-pool-grad.source-loser", stated[[0, 0]]);
    verify!(
        "erratum.conv-pool-grad",
        Method::FiniteDifferences,
        FD_TOL,
        ours_vs_fd.worst,
        1
    );
}

/// The corrected form of the source's pooling gradient (stride 1), written
/// 1-based as in the chapter: dL/dY_{u,v} = sum_{i,j=1}^{p} dL/dP_{u-i+1,v-j+1}
/// 1[(u,v) = winner of window (u-i+1, v-j+1)], terms outside 1..Q dropped;
/// the winner is the first maximum in row-major order.
#[allow(clippy::int_plus_one)] // the bounds read as in the math: 1 <= u - i + 1 <= Q
fn corrected_pool_grad(y: &Array2<f64>, dp: &Array2<f64>, p: usize) -> Array2<f64> {
    let (m_size, q) = (y.nrows(), dp.nrows());
    let winner = |m: usize, n: usize| {
        let mut best = (m, n);
        for u in m..m + p {
            for v in n..n + p {
                if y[[u - 1, v - 1]] > y[[best.0 - 1, best.1 - 1]] {
                    best = (u, v);
                }
            }
        }
        best
    };
    Array2::from_shape_fn((m_size, m_size), |(u0, v0)| {
        let (u, v) = (u0 + 1, v0 + 1);
        let mut sum = 0.0;
        for i in 1..=p {
            for j in 1..=p {
                if u >= i
                    && v >= j
                    && u - i + 1 <= q
                    && v - j + 1 <= q
                    && winner(u - i + 1, v - j + 1) == (u, v)
                {
                    sum += dp[[u - i, v - j]];
                }
            }
        }
        sum
    })
}

/// Fails if the corrected formula, written 1-based in the test (Σ_{i,j} dL/dP_{u−i+1,v−j+1} over
/// the windows that (u, v) wins), differs from central differences of L = Σ G ∘ max_pool_forward by
/// more than `FD_TOL` on maps with margin ≥ 1e-4 of every side M ≤ 8 and p ≤ M (stride 1): a window
/// index off by one, or only the window at (u, v) counted, would miss.
#[test]
fn corrected_source_pool_grad_matches_finite_differences() {
    let mut rng = seeded(42);
    let (mut worst, mut cases) = (0.0f64, 0);
    for m_size in 1..=8 {
        for p in 1..=m_size {
            for _ in 0..5 {
                let y = uniform(&mut rng, (1, m_size, m_size), -1.0, 1.0).unwrap();
                if pool_margin(y.view(), pl(p, 1)).unwrap() < 1e-4 {
                    continue;
                }
                let q = m_size - p + 1;
                let g = uniform(&mut rng, (1, q, q), -1.0, 1.0).unwrap();
                let fd = gradient(
                    |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), pl(p, 1)).unwrap()).sum(),
                    &y,
                    FD_STEP,
                )
                .unwrap();
                let y2 = y.index_axis(ndarray::Axis(0), 0).to_owned();
                let g2 = g.index_axis(ndarray::Axis(0), 0).to_owned();
                let corrected = corrected_pool_grad(&y2, &g2, p);
                let r = compare_arrays(&fd.index_axis(ndarray::Axis(0), 0).to_owned(), &corrected);
                assert!(r.within(FD_TOL), "M = {m_size}, p = {p}: {r}");
                worst = worst.max(r.worst);
                cases += 1;
            }
        }
    }
    verify!(
        "conv.pool-grad",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        cases
    );
    verified_dl::record!("conv.pool-grad.corrected-source.worst", worst);
    verified_dl::record!("conv.pool-grad.corrected-source.cases", cases as f64);
}

/// Fails if `max_pool_backward` differs from central differences by more than `FD_TOL` (the
/// ledger's worst) on up to ten maps with margin ≥ 1e-4 per side M ≤ 8 and p ≤ M (stride 1), or if
/// the source's formula (`source::pool_grad`) is not within `FD_TOL` at p = 1, or not off by more
/// than 1e-3 on at least nine tenths of the maps with p ≥ 2.
#[test]
fn source_pool_grad_is_right_only_for_p_1() {
    // over random maps (stride 1, as in the source): with p = 1 every entry is
    // its own window and the source's formula is right; with p >= 2 it differs
    // from finite differences on almost every map
    let mut rng = seeded(41);
    let (mut right_p1, mut wrong, mut cases_p2) = (0, 0, 0);
    let mut worst_ours = 0.0f64;
    for m_size in 1..=8 {
        for p in 1..=m_size {
            for _ in 0..10 {
                let y = uniform(&mut rng, (1, m_size, m_size), -1.0, 1.0).unwrap();
                if pool_margin(y.view(), pl(p, 1)).unwrap() < 1e-4 {
                    continue;
                }
                let q = m_size - p + 1;
                let g = uniform(&mut rng, (1, q, q), -1.0, 1.0).unwrap();
                let fd = gradient(
                    |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), pl(p, 1)).unwrap()).sum(),
                    &y,
                    FD_STEP,
                )
                .unwrap();
                let stated = source::pool_grad(
                    y.index_axis(ndarray::Axis(0), 0),
                    g.index_axis(ndarray::Axis(0), 0),
                    p,
                )
                .unwrap();
                let err =
                    compare_arrays(&fd.index_axis(ndarray::Axis(0), 0).to_owned(), &stated).worst;
                let ours = max_pool_backward(y.view(), g.view(), pl(p, 1)).unwrap();
                worst_ours = worst_ours.max(compare_arrays(&fd, &ours).worst);
                if p == 1 {
                    assert!(err < FD_TOL, "p = 1 must agree, error {err}");
                    right_p1 += 1;
                } else {
                    cases_p2 += 1;
                    wrong += (err > 1e-3) as usize;
                }
            }
        }
    }
    println!("source pooling gradient: right on {right_p1} maps with p = 1, wrong on {wrong} of {cases_p2} with p >= 2");
    assert!(
        right_p1 > 0 && wrong * 10 >= cases_p2 * 9,
        "{wrong} of {cases_p2}"
    );
    verified_dl::record!("erratum.conv-pool-grad.right-p1", right_p1 as f64);
    verified_dl::record!("erratum.conv-pool-grad.wrong", wrong as f64);
    verified_dl::record!("erratum.conv-pool-grad.cases-p2", cases_p2 as f64);
    // the same maps through the crate's backward pass: right on all of them
    verify!(
        "erratum.conv-pool-grad",
        Method::FiniteDifferences,
        FD_TOL,
        worst_ours,
        right_p1 + cases_p2
    );
}

/// Fails if the source's `flat_to_map` and `map_to_flat` are not inverse bijections between 1..C Q²
/// and the (map, m, n), for C ≤ 4 and Q ≤ 12, or differ from the code's 0-based `unflat_index` and
/// `flat_index`; if `flatten` is not row-major or `unflatten` does not undo it; or if `flat_index`
/// does not invert `unflat_index` on maps up to 6 × 6: rows and columns swapped would miss.
#[test]
fn flatten_formulas_of_source_are_exact_inverses() {
    let mut misses = Misses::default();
    let mut cases = 0;
    for maps in 1..=4 {
        for q in 1..=12 {
            let len = maps * q * q;
            // every flat index maps to a valid (map, m, n) and back to itself
            let mut seen = vec![false; len];
            for i in 1..=len {
                seen[i - 1] = true;
                cases += 1;
                let (c, m, n) = source::flat_to_map(i, q).unwrap();
                let valid = (1..=maps).contains(&c) && (1..=q).contains(&m) && (1..=q).contains(&n);
                misses.holds(valid, || {
                    format!("flat_to_map({i}, {q}) = ({c}, {m}, {n}), outside {maps} maps")
                });
                if !valid {
                    continue; // no (map, m, n) to map back
                }
                misses.compare(source::map_to_flat(c, m, n, q).unwrap(), i, || {
                    format!("map_to_flat({c}, {m}, {n}, {q})")
                });
                // and it is the code's row-major order, 0-based
                misses.compare(
                    unflat_index(i - 1, q, q).unwrap(),
                    (c - 1, m - 1, n - 1),
                    || format!("unflat_index({}, {q}, {q})", i - 1),
                );
                misses.compare(
                    flat_index(c - 1, m - 1, n - 1, q, q).unwrap(),
                    i - 1,
                    || format!("flat_index({}, {}, {}, {q}, {q})", c - 1, m - 1, n - 1),
                );
            }
            assert!(seen.iter().all(|&b| b));
            // every (map, m, n) is hit exactly once
            let mut hits = vec![0; len];
            for c in 1..=maps {
                for m in 1..=q {
                    for n in 1..=q {
                        let i = source::map_to_flat(c, m, n, q).unwrap();
                        match hits.get_mut(i.wrapping_sub(1)) {
                            Some(h) => *h += 1,
                            None => misses.holds(false, || {
                                format!("map_to_flat({c}, {m}, {n}, {q}) = {i}, outside 1..={len}")
                            }),
                        }
                    }
                }
            }
            misses.holds(hits.iter().all(|&h| h == 1), || {
                format!("{maps} maps of side {q}: flat indices hit {hits:?} times")
            });
            // flatten is ndarray's row-major order, and unflatten undoes it
            let pooled =
                Array3::from_shape_fn((maps, q, q), |(c, m, n)| (c * 1000 + m * 100 + n) as f64);
            let f = flatten(pooled.view()).unwrap();
            misses.compare(
                f.to_vec(),
                pooled.iter().copied().collect::<Vec<_>>(),
                || format!("flatten, {maps} maps of side {q}"),
            );
            misses.compare(unflatten(f.view(), pooled.dim()).unwrap(), pooled, || {
                format!("unflatten, {maps} maps of side {q}")
            });
        }
    }
    // rectangular maps too
    for rows in 1..=6 {
        for cols in 1..=6 {
            for i in 0..3 * rows * cols {
                let (c, m, n) = unflat_index(i, rows, cols).unwrap();
                misses.compare(flat_index(c, m, n, rows, cols).unwrap(), i, || {
                    format!("flat_index({c}, {m}, {n}, {rows}, {cols})")
                });
                cases += 1;
            }
        }
    }
    verify!(
        "conv.flatten",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.flatten"),
        cases
    );
    verified_dl::record!("conv.flatten.indices", cases as f64);
}

/// Fails if `unflatten(g)` differs from central differences of L = g · flatten(P) by more than
/// `FD_TOL`, or, exactly, from g at the source's index (c − 1)Q² + (m − 1)Q + n, for up to 3 maps
/// of side Q ≤ 4: a backward pass that reads the maps transposed (m and n swapped) or a flat index
/// off by one would miss.
#[test]
fn flatten_backward_is_unflatten() {
    // the source's backward formula dL/dP^c_{m,n} = dL/dF_{(c-1)Q^2+(m-1)Q+n}:
    // for L = sum_i g_i F_i the gradient with respect to P is unflatten(g)
    let mut worst = 0.0f64;
    let mut cases = 0;
    let mut rng = seeded(31);
    for maps in 1..=3 {
        for q in 1..=4 {
            let pooled = uniform(&mut rng, (maps, q, q), -1.0, 1.0).unwrap();
            let g = uniform(&mut rng, maps * q * q, -1.0, 1.0).unwrap();
            let fd = gradient(
                |p: &Array3<f64>| g.dot(&flatten(p.view()).unwrap()),
                &pooled,
                FD_STEP,
            )
            .unwrap();
            let back = unflatten(g.view(), (maps, q, q)).unwrap();
            worst = worst.max(compare_arrays(&fd, &back).worst);
            for c in 1..=maps {
                for m in 1..=q {
                    for n in 1..=q {
                        let i = source::map_to_flat(c, m, n, q).unwrap();
                        assert_eq!(back[[c - 1, m - 1, n - 1]], g[i - 1]);
                    }
                }
            }
            cases += 1;
        }
    }
    verify!(
        "conv.flatten",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        cases
    );
}

/// Fails if, for d = 6, k = 3, s = 1, p = 2, the source's pooled side is not 3, flat index 10 does
/// not lie in map 2 (not the kernel size 3) by the source's ceiling and by `unflat_index`, the
/// network's `Shape` does not have 3 × 3 pooled maps and 18 flat entries, or `flatten` does not put
/// entry (1, 1) of map 2 at index 10 (all exact comparisons).
#[test]
fn erratum_conv_flatten_symbol() {
    // The source's k is both the kernel size and the map index:
    // "k = ceil(i / ((d-k+1)/s - p + 1)^2)". With d = 6, kernel k = 3, s = 1,
    // p = 2 the maps are 3x3 after pooling; flat index i = 10 lies in map 2,
    // which the kernel size 3 is not, so the equation cannot hold for one k.
    let mut misses = Misses::default();
    let (d, k, s, p, i) = (6usize, 3usize, 1usize, 2usize, 10usize);
    let q = source::pool_size(d, k, s, p).unwrap();
    misses.compare(q, 3.0, || "the source's pooled side".into());
    let map = (i as f64 / (q * q)).ceil() as usize;
    misses.compare(map, 2, || "the map of flat index 10 by the ceiling".into());
    misses.holds(map != k, || {
        "the map of flat index 10 is the kernel size".into()
    });
    misses.compare(source::flat_to_map(i, 3).unwrap(), (2, 1, 1), || {
        "flat_to_map(10, 3)".into()
    });
    // the crate: the network of this shape has 3x3 pooled maps and 18 flat
    // entries; flat index 10 (0-based 9) is entry (1,1) of map 2 (0-based
    // (1, 0, 0)), and flattening the network's pooled maps puts that entry there
    let sh = Shape::new(d, cv(k, s), pl(p, 1), 2, 2).unwrap();
    misses.compare(sh.pool_side(), 3, || "the network's pooled side".into());
    misses.compare(sh.flat_len(), 18, || "the network's flat length".into());
    let (c, m, n) = unflat_index(i - 1, sh.pool_side(), sh.pool_side()).unwrap();
    misses.compare((c + 1, m + 1, n + 1), (map, 1, 1), || {
        "unflat_index of flat index 10, 1-based".into()
    });
    misses.holds(c + 1 != k, || {
        "unflat_index's map is the kernel size".into()
    });
    misses.compare(flat_index(c, m, n, 3, 3).unwrap(), i - 1, || {
        format!("flat_index({c}, {m}, {n}, 3, 3)")
    });
    let pooled = Array3::from_shape_fn((2, 3, 3), |(c, m, n)| (100 * c + 10 * m + n) as f64);
    let f = flatten(pooled.view()).unwrap();
    misses.compare(
        f.get(i - 1),
        map.checked_sub(1).and_then(|c| pooled.get([c, 0, 0])),
        || "flatten's entry 10 against entry (1, 1) of the map".into(),
    );
    verified_dl::record!("erratum.conv-flatten-symbol.map", (c + 1) as f64);
    verify!(
        "erratum.conv-flatten-symbol",
        Method::Exhaustive,
        0.0,
        misses.worst("erratum.conv-flatten-symbol"),
        1
    );
}

/// Fails if at a tie `max_pool_backward` sends a window's gradient anywhere but to the first
/// largest entry in row-major order (on three small maps), as `>=` for `>` in the argmax would; or
/// if at a tie the central difference is not 0.5 within `FD_TOL`, the one-sided slopes not 1 and 0,
/// or the pooling margin not 0.
#[test]
fn pool_ties_go_to_the_first_maximum() {
    let mut misses = Misses::default();
    // all four entries of a 2x2 window equal: the gradient goes to (0,0)
    let y = Array3::from_elem((1, 2, 2), 0.5);
    let g = Array3::from_elem((1, 1, 1), 1.0);
    let dy = max_pool_backward(y.view(), g.view(), pl(2, 1)).unwrap();
    misses.compare(dy, array![[[1.0, 0.0], [0.0, 0.0]]], || {
        "dY of a constant 2 x 2 window".into()
    });
    // a tie between (0,1) and (1,0) after a smaller (0,0): (0,1) comes first in row-major order
    let y = array![[[0.0, 0.7, 0.1], [0.7, 0.2, 0.3], [0.4, 0.5, 0.6]]];
    let g = Array3::from_elem((1, 1, 1), 1.0);
    let dy = max_pool_backward(y.view(), g.view(), pl(2, 2)).unwrap();
    misses.compare(dy[[0, 0, 1]], 1.0, || {
        "dY at (0, 1), tied with (1, 0)".into()
    });
    misses.compare(dy.sum(), 1.0, || {
        "the sum of dY, a tie of (0, 1) and (1, 0)".into()
    });
    // overlapping windows: every window that sees the tie sends its gradient to the first
    let y = Array3::from_elem((1, 3, 3), 1.0);
    let g = Array3::from_elem((1, 2, 2), 1.0);
    let dy = max_pool_backward(y.view(), g.view(), pl(2, 1)).unwrap();
    misses.compare(
        dy,
        array![[[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]],
        || "dY of overlapping windows on a constant 3 x 3 map".into(),
    );
    // at a tie the max is not differentiable: raising (0,1) by h raises the
    // output by h, lowering it by h changes nothing; the one-sided slopes are 1
    // and 0, and the central difference returns their mean, 0.5, which is
    // neither; the backward pass's 0 or 1 is a subgradient, not a derivative
    let y = Array3::from_elem((1, 2, 2), 0.5);
    let g = Array3::from_elem((1, 1, 1), 1.0);
    let f = |y: &Array3<f64>| max_pool_forward(y.view(), pl(2, 1)).unwrap()[[0, 0, 0]];
    let fd = gradient(f, &y, FD_STEP).unwrap();
    for &v in fd.iter() {
        misses.holds((v - 0.5).abs() < FD_TOL, || {
            format!("the central difference at a tie is {v}, not 0.5")
        });
    }
    let mut up = y.clone();
    up[[0, 0, 1]] += FD_STEP;
    let mut down = y.clone();
    down[[0, 0, 1]] -= FD_STEP;
    let right = (f(&up) - f(&y)) / FD_STEP;
    let left = (f(&y) - f(&down)) / FD_STEP;
    misses.holds((right - 1.0).abs() < FD_TOL && left.abs() < FD_TOL, || {
        format!("the one-sided slopes at a tie are {right} and {left}, not 1 and 0")
    });
    let dy = max_pool_backward(y.view(), g.view(), pl(2, 1)).unwrap();
    let gap = compare_arrays(&fd, &dy).worst;
    misses.holds(gap >= 0.5, || {
        format!("dY is {gap} from the central difference at a tie, not at least 0.5")
    });
    // and the margin that the gradient checks require is zero here
    misses.compare(pool_margin(y.view(), pl(2, 1)).unwrap(), 0.0, || {
        "the pooling margin at a tie".into()
    });
    verify!(
        "conv.pool-tie",
        Method::Property,
        0.0,
        misses.worst("conv.pool-tie"),
        4
    );
}

#[test]
fn softmax_and_cross_entropy_are_finite_at_1000() {
    let z = array![1000.0, -1000.0, 0.0];
    // naive softmax overflows: e^1000 is infinite in f64
    assert!(1000f64.exp().is_infinite());
    // class 1: L = -(z_1 - ln sum e^z) = -(-1000 - 1000) = 2000, since
    // ln(e^1000 + e^-1000 + 1) = 1000 + ln(1 + e^-2000 + e^-1000) = 1000 in f64
    let t1 = one_hot(1, 3).unwrap();
    assert_eq!(cross_entropy(z.view(), t1.view()).unwrap(), 2000.0);
    // class 0: L = ln(1 + e^-1000 + e^-2000) ~ e^-1000, which is 0 in f64
    let t0 = one_hot(0, 3).unwrap();
    assert_eq!(cross_entropy(z.view(), t0.view()).unwrap(), 0.0);
    // the gradient softmax(z) - t: softmax(z) = (1, e^-2000, e^-1000) = (1, 0, 0) in f64
    assert_eq!(
        softmax_xent_grad(z.view(), t1.view()).unwrap(),
        array![1.0, -1.0, 0.0]
    );
    let jac = softmax_jacobian(z.view()).unwrap();
    assert!(jac.iter().all(|v| v.is_finite()));
    // two equal logits of -1000: L = (z_max - z_0) + ln(1 + e^0) = ln 2, to the last bit
    let z = array![-1000.0, -1000.0];
    let l = cross_entropy(z.view(), one_hot(0, 2).unwrap().view()).unwrap();
    assert!(rel_err(l, std::f64::consts::LN_2) <= f64::EPSILON, "{l}");
}

fn message<T: std::fmt::Debug>(r: verified_dl::Result<T>) -> String {
    r.expect_err("bad input must be an error").to_string()
}

#[test]
fn bad_input_is_an_error_that_names_the_values() {
    let x = Array2::<f64>::zeros((3, 3));
    let w = Array3::<f64>::zeros((2, 4, 4));
    let m = message(conv_forward(x.view(), w.view(), cv(4, 1)));
    assert!(
        m.contains("kernel size k = 4") && m.contains("d = 3"),
        "{m}"
    );
    let w = Array3::<f64>::zeros((2, 2, 2));
    let m = message(Conv::new(2, 0));
    assert!(m.contains("stride s = 0"), "{m}");
    let y = Array3::<f64>::zeros((2, 4, 4));
    let m = message(max_pool_forward(y.view(), pl(5, 1)));
    assert!(
        m.contains("pool window p = 5") && m.contains("map size 4"),
        "{m}"
    );
    let m = message(Pool::new(2, 0));
    assert!(m.contains("pool stride t = 0"), "{m}");
    // gradients of the wrong shape
    let dy = Array3::<f64>::zeros((2, 3, 3));
    let m = message(conv_backward_w(x.view(), dy.view(), cv(2, 1)));
    assert!(m.contains("[2, 2, 2]") && m.contains("[2, 3, 3]"), "{m}");
    let m = message(conv_backward_x(w.view(), dy.view(), (3, 3), cv(2, 1)));
    assert!(m.contains("dL/dY") && m.contains("[2, 3, 3]"), "{m}");
    let dp = Array3::<f64>::zeros((2, 2, 2));
    let m = message(max_pool_backward(y.view(), dp.view(), pl(2, 1)));
    assert!(
        m.contains("dL/dP") && m.contains("[2, 3, 3]") && m.contains("[2, 2, 2]"),
        "{m}"
    );
    let m = message(unflatten(Array1::zeros(7).view(), (2, 2, 2)));
    assert!(m.contains("[8]") && m.contains("[7]"), "{m}");
    let v = Array2::<f64>::zeros((3, 4));
    let m = message(fc_forward(
        v.view(),
        Array1::zeros(3).view(),
        Array1::zeros(5).view(),
    ));
    assert!(m.contains("[4]") && m.contains("[5]"), "{m}");
    let m = message(fc_backward(
        v.view(),
        Array1::zeros(4).view(),
        Array1::zeros(2).view(),
    ));
    assert!(
        m.contains("dL/dz") && m.contains("[3]") && m.contains("[2]"),
        "{m}"
    );
    // non-finite values, with their index
    let mut xn = x.clone();
    xn[[1, 2]] = f64::NAN;
    let m = message(conv_forward(xn.view(), w.view(), cv(2, 1)));
    assert!(m.contains("[1, 2]") && m.contains("NaN"), "{m}");
    let mut yn = y.clone();
    yn[[0, 3, 1]] = f64::INFINITY;
    let m = message(max_pool_forward(yn.view(), pl(2, 1)));
    assert!(m.contains("[0, 3, 1]") && m.contains("inf"), "{m}");
    let m = message(cross_entropy(
        array![0.0, f64::NEG_INFINITY].view(),
        array![1.0, 0.0].view(),
    ));
    assert!(m.contains("logits") && m.contains("-inf"), "{m}");
    // targets that are not distributions, labels out of range
    let m = message(cross_entropy(
        array![0.0, 1.0].view(),
        array![0.5, 0.6].view(),
    ));
    assert!(m.contains("1.1"), "{m}");
    let m = message(cross_entropy(
        array![0.0, 1.0].view(),
        array![1.5, -0.5].view(),
    ));
    assert!(m.contains("-0.5"), "{m}");
    let m = message(one_hot(3, 3));
    assert!(m.contains("class label = 3") && m.contains("3"), "{m}");
    // the general convolution and its fast path
    let x4 = Array4::<f64>::zeros((1, 2, 5, 5));
    let w4 = Array4::<f64>::zeros((3, 1, 2, 2));
    let b = Array1::<f64>::zeros(3);
    let m = message(conv2d_forward(x4.view(), w4.view(), b.view(), 1));
    assert!(
        m.contains("channels") && m.contains("[2]") && m.contains("[1]"),
        "{m}"
    );
    let m = message(conv2d_forward_fast(x4.view(), w4.view(), b.view(), 1));
    assert!(m.contains("channels"), "{m}");
    let w4 = Array4::<f64>::zeros((3, 2, 6, 2));
    let m = message(conv2d_forward_fast(x4.view(), w4.view(), b.view(), 1));
    assert!(m.contains("kernel size k = 6"), "{m}");
    let w4 = Array4::<f64>::zeros((3, 2, 2, 2));
    let m = message(conv2d_forward(
        x4.view(),
        w4.view(),
        Array1::zeros(2).view(),
        1,
    ));
    assert!(
        m.contains("bias") && m.contains("[3]") && m.contains("[2]"),
        "{m}"
    );
    let dy4 = Array4::<f64>::zeros((1, 3, 3, 3));
    let m = message(conv2d_backward(x4.view(), w4.view(), dy4.view(), 1));
    assert!(
        m.contains("[1, 3, 4, 4]") && m.contains("[1, 3, 3, 3]"),
        "{m}"
    );
    let m = message(conv2d_backward_fast(x4.view(), w4.view(), dy4.view(), 1));
    assert!(m.contains("[1, 3, 4, 4]"), "{m}");
    let m = message(conv2d_backward(x4.view(), w4.view(), dy4.view(), 0));
    assert!(m.contains("stride s = 0"), "{m}");
    // the building blocks of the full-correlation form
    let m = message(dilate(Array2::<f64>::zeros((0, 3)).view(), 2));
    assert!(m.contains("0 x 3"), "{m}");
    let m = message(dilate(Array2::<f64>::zeros((2, 2)).view(), 0));
    assert!(m.contains("dilation stride s = 0"), "{m}");
    let m = message(full_correlation(
        Array2::<f64>::zeros((2, 2)).view(),
        Array2::<f64>::zeros((2, 0)).view(),
    ));
    assert!(m.contains("kernel") && m.contains("2 x 0"), "{m}");
    let m = message(conv_backward_x_full(w.view(), dy.view(), (3, 3), cv(2, 1)));
    assert!(m.contains("[2, 2, 2]") && m.contains("[2, 3, 3]"), "{m}");
    // the network
    let m = message(Shape::new(4, cv(3, 1), pl(3, 1), 2, 2));
    assert!(
        m.contains("pool window p = 3") && m.contains("map size 2"),
        "{m}"
    );
}

/// Fails if Σ_{m,n} G_{m,n} ∂Y_{m,n}/∂W, each ∂Y_{m,n}/∂W by central differences through
/// `conv_forward`, differs from central differences of L = Σ G ∘ Y or from `conv_backward_w` by
/// more than `FD_TOL` (d = 5, k = 2, s = 1), or if the unindexed reading, one factor Σ G for every
/// term, comes within 0.1 of them: a `conv_backward_w` that drops the weight G_{m,n} would miss.
#[test]
fn omission_conv_dw_chain_rule_sums_entry_by_entry() {
    // The source's chain rule, sum_{m,n} dLoss/dY^i dY^i_{m,n}/dW^i_{p,q},
    // writes the first factor without its (m,n). Each term must carry the
    // gradient of the entry Y_{m,n} it differentiates: built from finite
    // differences of every entry Y_{m,n} separately (the Jacobian dY/dW), the
    // sum of G_{m,n} dY_{m,n}/dW equals the finite differences of
    // L = sum G * Y, while one factor for all terms (sum G, the nearest
    // reading of an unindexed dLoss/dY) does not.
    let (d, k, s) = (5, 2, 1);
    let x = uniform(&mut seeded(15), (d, d), -1.0, 1.0).unwrap();
    let w = uniform(&mut seeded(16), (1, k, k), -1.0, 1.0).unwrap();
    let m = conv_out_size(d, k, s).unwrap();
    let g = uniform(&mut seeded(17), (1, m, m), -1.0, 1.0).unwrap();
    let y_of = |w: &Array3<f64>| conv_forward(x.view(), w.view(), cv(k, s)).unwrap();
    let mut chain = Array3::<f64>::zeros(w.dim());
    let mut unindexed = Array3::<f64>::zeros(w.dim());
    for mm in 0..m {
        for nn in 0..m {
            let dy = gradient(|w: &Array3<f64>| y_of(w)[[0, mm, nn]], &w, FD_STEP).unwrap();
            chain = chain + &dy * g[[0, mm, nn]];
            unindexed = unindexed + &dy * g.sum();
        }
    }
    let fd = gradient(|w: &Array3<f64>| (&g * &y_of(w)).sum(), &w, FD_STEP).unwrap();
    let exact = conv_backward_w(x.view(), g.view(), cv(k, s)).unwrap();
    let r = compare_arrays(&fd, &chain).max(compare_arrays(&exact, &chain));
    assert!(r.within(FD_TOL), "{r}");
    let wrong = compare_arrays(&fd, &unindexed).worst;
    assert!(
        wrong > 0.1,
        "an unindexed factor should be wrong here: {wrong}"
    );
    verified_dl::record!("omission.conv-dw-chain-index.unindexed-error", wrong);
    verify!("conv.dW", Method::FiniteDifferences, FD_TOL, r.worst, 1);
}

#[test]
fn target_check_is_a_sum_within_its_tolerance() {
    // check_target accepts exactly: finite entries >= 0 whose sum is within
    // TARGET_SUM_TOL of 1; so it accepts a vector that sums to 1 + 0.9e-9,
    // which is not a distribution, and rejects one that sums to 1 + 1.1e-9
    let z = array![0.3, -0.2];
    let ok = |t: Array1<f64>| cross_entropy(z.view(), t.view()).is_ok();
    assert!(ok(array![0.5, 0.5]));
    assert!(ok(array![0.5, 0.5 + 0.9 * TARGET_SUM_TOL]));
    assert!(ok(array![0.5, 0.5 - 0.9 * TARGET_SUM_TOL]));
    assert!(!ok(array![0.5, 0.5 + 1.1 * TARGET_SUM_TOL]));
    assert!(!ok(array![0.5, 0.5 - 1.1 * TARGET_SUM_TOL]));
    assert!(!ok(array![1.5, -0.5]));
    assert!(!ok(array![f64::NAN, 1.0]));
    assert!(!ok(array![f64::INFINITY, 0.0]));
    // for an accepted target off by up to the tolerance, the gradient
    // sigma - t differs from its loss's gradient sigma * sum(t) - t by
    // sigma_j (sum(t) - 1), at most TARGET_SUM_TOL per entry
    let t = array![0.25, 0.75 + 0.9 * TARGET_SUM_TOL];
    let exact = verified_dl::numerics::softmax(z.view()) * t.sum() - &t;
    let grad = softmax_xent_grad(z.view(), t.view()).unwrap();
    assert!((&grad - &exact).iter().all(|e| e.abs() <= TARGET_SUM_TOL));
    // the rounding of a distribution written in f64, t / sum(t), for
    // lengths up to 1000: a few ulps times the length, far inside the tolerance
    let mut rng = seeded(18);
    let mut worst = 0.0f64;
    for n in 1..=1000usize {
        let t = uniform(&mut rng, n, 0.0, 1.0).unwrap();
        let t = &t / t.sum();
        let off = (t.sum() - 1.0).abs();
        assert!(off <= n as f64 * f64::EPSILON, "n = {n}: {off:e}");
        worst = worst.max(off);
    }
    assert!(worst < TARGET_SUM_TOL / 1000.0);
    verified_dl::record!("conv.target-sum.rounding", worst);
}

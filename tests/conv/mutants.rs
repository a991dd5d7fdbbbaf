//! The checks can fail: for each family of labelled equations, deliberately
//! broken copies of the kernel (an off-by-one window, a transposed index, a
//! missing term, a wrong sign, a lost sum) are run through the same check
//! that the real kernel passes, on the same stratified random cases, and
//! each must be rejected.

use ndarray::{Array1, Array2, Array3};
use rand::RngExt;
use verified_dl::check::{compare_arrays, gradient, jacobian, seeded, uniform, FD_STEP, FD_TOL};
use verified_dl::conv::convolution::*;
use verified_dl::conv::dense::*;
use verified_dl::conv::network::Net;
use verified_dl::conv::pooling::*;
use verified_dl::conv::size::conv_out_size;
use verified_dl::conv::softmax::*;
use verified_dl::numerics::softmax;

use crate::padding::{padded_case, zero_pad};
use crate::random::{conv_case, random_shape, Sh, MIN_MARGIN};

/// Cases each mutant is tried on (it is caught at the first that fails).
const TRIES: usize = 200;

/// dL/dW by the loops of (conv.dW), broken as `mutation` says: 1 the last window dropped, 2 the filter indices
/// transposed, 3 the stride ignored in the window's position.
fn dw_variant(x: &Array2<f64>, g: &Array3<f64>, sh: &Sh, mutation: usize) -> Array3<f64> {
    let m = sh.conv_side().unwrap();
    let (k, s) = (sh.k, sh.s);
    let mut dw = Array3::zeros((sh.filters, k, k));
    for c in 0..sh.filters {
        for a in 0..k {
            for b in 0..k {
                let mut sum = 0.0;
                let last = if mutation == 1 { m - 1 } else { m };
                for i in 0..last {
                    for j in 0..last {
                        let (u, v) = match mutation {
                            2 => (i * s + b, j * s + a),
                            3 => (i + a, j + b),
                            _ => (i * s + a, j * s + b),
                        };
                        sum += g[[c, i, j]] * x[[u, v]];
                    }
                }
                dw[[c, a, b]] = sum;
            }
        }
    }
    dw
}

/// dL/dX by the loops of (conv.dX), broken: 1 the filter flipped (a read
/// from the other end), 2 only the first filter's term, 3 the first window
/// of every pixel skipped.
fn dx_variant(w: &Array3<f64>, g: &Array3<f64>, sh: &Sh, mutation: usize) -> Array2<f64> {
    let m = sh.conv_side().unwrap();
    let (k, s) = (sh.k, sh.s);
    let filters = if mutation == 2 { 1 } else { sh.filters };
    let mut dx = Array2::zeros((sh.d, sh.d));
    for u in 0..sh.d {
        for v in 0..sh.d {
            let mut sum = 0.0;
            for c in 0..filters {
                let rows: Vec<usize> = (0..m).filter(|&i| i * s <= u && u < i * s + k).collect();
                let cols: Vec<usize> = (0..m).filter(|&j| j * s <= v && v < j * s + k).collect();
                let skip = usize::from(mutation == 3);
                for &i in rows.iter().skip(skip) {
                    for &j in &cols {
                        let (a, b) = (u - i * s, v - j * s);
                        let (a, b) = if mutation == 1 {
                            (k - 1 - a, k - 1 - b)
                        } else {
                            (a, b)
                        };
                        sum += g[[c, i, j]] * w[[c, a, b]];
                    }
                }
            }
            dx[[u, v]] = sum;
        }
    }
    dx
}

/// The pooling gradient (first maximum wins, gradients add) at mutation 0,
/// and broken: 1 the
/// last maximum wins, 2 a window's gradient overwrites instead of adding,
/// 3 a window's gradient spread evenly over its entries.
fn pool_grad_variant(y: &Array3<f64>, dp: &Array3<f64>, sh: &Sh, mutation: usize) -> Array3<f64> {
    let (maps, q, _) = dp.dim();
    let (p, t) = (sh.p, sh.t);
    let mut dy = Array3::zeros(y.dim());
    for c in 0..maps {
        for i in 0..q {
            for j in 0..q {
                let g = dp[[c, i, j]];
                if mutation == 3 {
                    for a in 0..p {
                        for b in 0..p {
                            dy[[c, i * t + a, j * t + b]] += g / (p * p) as f64;
                        }
                    }
                    continue;
                }
                let mut best = (i * t, j * t);
                for a in 0..p {
                    for b in 0..p {
                        let (u, v) = (i * t + a, j * t + b);
                        let better = if mutation == 1 {
                            y[[c, u, v]] >= y[[c, best.0, best.1]]
                        } else {
                            y[[c, u, v]] > y[[c, best.0, best.1]]
                        };
                        if better {
                            best = (u, v);
                        }
                    }
                }
                if mutation == 2 {
                    dy[[c, best.0, best.1]] = g;
                } else {
                    dy[[c, best.0, best.1]] += g;
                }
            }
        }
    }
    dy
}

/// The padded forward pass broken as `mutation` says: 1 the padding added to
/// the tap's position instead of subtracted, 2 the padding forgotten in the
/// tap's position (the window read as if the input were not padded).
fn padded_forward_variant(
    x: &ndarray::Array4<f64>,
    w: &ndarray::Array4<f64>,
    b: &Array1<f64>,
    conv: verified_dl::conv::general::Conv2d,
    mutation: usize,
) -> ndarray::Array4<f64> {
    let (batch, channels, h, wd) = x.dim();
    let (filters, _, kh, kw) = w.dim();
    let (s, pad) = (conv.s(), conv.pad());
    let (rows, cols) = (
        conv.out_size(h, kh).unwrap(),
        conv.out_size(wd, kw).unwrap(),
    );
    let tap = |i: usize, d: usize| -> Option<usize> {
        let u = match mutation {
            1 => Some(i + pad),
            _ => Some(i),
        };
        u.filter(|&u| u < d)
    };
    ndarray::Array4::from_shape_fn((batch, filters, rows, cols), |(i, f, m, n)| {
        let mut sum = b[f];
        for c in 0..channels {
            for a in 0..kh {
                for bb in 0..kw {
                    if let (Some(u), Some(v)) = (tap(m * s + a, h), tap(n * s + bb, wd)) {
                        sum += x[[i, c, u, v]] * w[[f, c, a, bb]];
                    }
                }
            }
        }
        sum
    })
}

/// A map with a pooling margin of at least MIN_MARGIN, for finite differences.
fn pool_input(sh: &Sh, rng: &mut verified_dl::check::Rng) -> Array3<f64> {
    let m = sh.conv_side().unwrap();
    loop {
        let y = uniform(rng, (sh.filters, m, m), -1.0, 1.0).unwrap();
        if pool_margin(y.view(), sh.pool()).unwrap() >= MIN_MARGIN {
            return y;
        }
    }
}

/// Whether `mutant` fails `check` on some case among the first TRIES (and
/// mutation 0, the crate's kernel, passes all of them).
fn caught(
    seed: u64,
    mutant: usize,
    check: impl Fn(&mut verified_dl::check::Rng, usize, usize) -> bool,
) -> bool {
    let mut rng = seeded(seed);
    let mut real = seeded(seed);
    for case in 0..TRIES {
        assert!(
            check(&mut real, case, 0),
            "the real kernel fails case {case}"
        );
    }
    (0..TRIES).any(|case| !check(&mut rng, case, mutant))
}

#[test]
fn every_mutant_fails_the_check_that_the_kernel_passes() {
    let mut results: Vec<(&str, usize, bool)> = Vec::new();
    // (conv.dW): against finite differences of L = sum G * Y
    for mutant in 1..=3 {
        let ok = caught(201, mutant, |rng, case, mutation| {
            let (sh, x, w, g) = conv_case(rng, case);
            let fd = gradient(
                |w: &Array3<f64>| {
                    (&g * &conv_forward(x.view(), w.view(), sh.conv()).unwrap()).sum()
                },
                &w,
                FD_STEP,
            )
            .unwrap();
            let dw = if mutation == 0 {
                conv_backward_w(x.view(), g.view(), sh.conv()).unwrap()
            } else {
                dw_variant(&x, &g, &sh, mutation)
            };
            compare_arrays(&fd, &dw).within(FD_TOL)
        });
        results.push(("conv.dW", mutant, ok));
    }
    // (conv.dX): against finite differences of L = sum G * Y
    for mutant in 1..=3 {
        let ok = caught(202, mutant, |rng, case, mutation| {
            let (sh, x, w, g) = conv_case(rng, case);
            let fd = gradient(
                |x: &Array2<f64>| {
                    (&g * &conv_forward(x.view(), w.view(), sh.conv()).unwrap()).sum()
                },
                &x,
                FD_STEP,
            )
            .unwrap();
            let dx = if mutation == 0 {
                conv_backward_x(w.view(), g.view(), (sh.d, sh.d), sh.conv()).unwrap()
            } else {
                dx_variant(&w, &g, &sh, mutation)
            };
            compare_arrays(&fd, &dx).within(FD_TOL)
        });
        results.push(("conv.dX", mutant, ok));
    }
    // (conv.pool-grad): against finite differences, on maps with a margin;
    // the last-maximum mutant differs only at ties, which finite differences
    // cannot see, and is the tie check's to catch (below)
    for mutant in 2..=3 {
        let ok = caught(203, mutant, |rng, case, mutation| {
            let sh = random_shape(rng, case);
            let y = pool_input(&sh, rng);
            let q = sh.pool_side().unwrap();
            let g = uniform(rng, (sh.filters, q, q), -1.0, 1.0).unwrap();
            let fd = gradient(
                |y: &Array3<f64>| (&g * &max_pool_forward(y.view(), sh.pool()).unwrap()).sum(),
                &y,
                FD_STEP,
            )
            .unwrap();
            let dy = if mutation == 0 {
                max_pool_backward(y.view(), g.view(), sh.pool()).unwrap()
            } else {
                pool_grad_variant(&y, &g, &sh, mutation)
            };
            compare_arrays(&fd, &dy).within(FD_TOL)
        });
        results.push(("conv.pool-grad", mutant, ok));
    }
    // (conv.pool-tie): against the crate's backward pass on maps of three values
    {
        let ok = caught(204, 1, |rng, case, mutation| {
            let sh = random_shape(rng, case);
            let (m, q) = (sh.conv_side().unwrap(), sh.pool_side().unwrap());
            let y = Array3::from_shape_fn((sh.filters, m, m), |_| {
                f64::from(rng.random_range(0..3u8)) / 2.0
            });
            let g = uniform(rng, (sh.filters, q, q), -1.0, 1.0).unwrap();
            let dy = max_pool_backward(y.view(), g.view(), sh.pool()).unwrap();
            compare_arrays(&dy, &pool_grad_variant(&y, &g, &sh, mutation)).within(FD_TOL)
        });
        results.push(("conv.pool-tie", 1, ok));
    }
    // (conv.fc): dF = V^T g, db = g, dV = g F^T against finite differences;
    // mutants: dF with the wrong sign, db missing
    for mutant in 1..=2 {
        let ok = caught(205, mutant, |rng, _, mutation| {
            let (n_out, n_in) = (rng.random_range(1..=5), rng.random_range(1..=12));
            let v = uniform(rng, (n_out, n_in), -1.0, 1.0).unwrap();
            let b = uniform(rng, n_out, -1.0, 1.0).unwrap();
            let f = uniform(rng, n_in, -1.0, 1.0).unwrap();
            let g = uniform(rng, n_out, -1.0, 1.0).unwrap();
            let loss_f =
                |f: &Array1<f64>| g.dot(&fc_forward(v.view(), b.view(), f.view()).unwrap());
            let loss_b =
                |b: &Array1<f64>| g.dot(&fc_forward(v.view(), b.view(), f.view()).unwrap());
            let (_, mut db, mut df) = fc_backward(v.view(), f.view(), g.view()).unwrap();
            match mutation {
                1 => df = -df,
                2 => db.fill(0.0),
                _ => {}
            }
            compare_arrays(&gradient(loss_f, &f, FD_STEP).unwrap(), &df)
                .max(compare_arrays(&gradient(loss_b, &b, FD_STEP).unwrap(), &db))
                .within(FD_TOL)
        });
        results.push(("conv.fc", mutant, ok));
    }
    // (conv.softmax-jac): J = diag(sigma) - sigma sigma^T against finite
    // differences; mutants: + sigma sigma^T, the diagonal missing
    for mutant in 1..=2 {
        let ok = caught(206, mutant, |rng, _, mutation| {
            let n = rng.random_range(1..=6);
            let z = uniform(rng, n, -5.0, 5.0).unwrap();
            let fd = jacobian(|z: &Array1<f64>| softmax(z.view()), &z, FD_STEP).unwrap();
            let sigma = softmax(z.view());
            let outer = Array2::from_shape_fn((n, n), |(i, j)| sigma[i] * sigma[j]);
            let jac = match mutation {
                0 => softmax_jacobian(z.view()).unwrap(),
                1 => Array2::from_diag(&sigma) + &outer,
                _ => -outer,
            };
            compare_arrays(&fd, &jac).within(FD_TOL)
        });
        results.push(("conv.softmax-jac", mutant, ok));
    }
    // (conv.softmax-xent): sigma - tau against finite differences of the
    // cross-entropy; mutants: tau - sigma, sigma (1 - sigma) - tau
    for mutant in 1..=2 {
        let ok = caught(207, mutant, |rng, _, mutation| {
            let n = rng.random_range(1..=6);
            let z = uniform(rng, n, -5.0, 5.0).unwrap();
            let target = one_hot(rng.random_range(0..n), n).unwrap();
            let fd = gradient(
                |z: &Array1<f64>| cross_entropy(z.view(), target.view()).unwrap(),
                &z,
                FD_STEP,
            )
            .unwrap();
            let sigma = softmax(z.view());
            let grad = match mutation {
                0 => softmax_xent_grad(z.view(), target.view()).unwrap(),
                1 => &target - &sigma,
                _ => sigma.mapv(|s| s * (1.0 - s)) - &target,
            };
            compare_arrays(&fd, &grad).within(FD_TOL)
        });
        results.push(("conv.softmax-xent", mutant, ok));
    }
    // (conv.network): the backward pass assembled from the layers, with the
    // pooling gradient overwriting instead of adding, against finite
    // differences of the network's loss in X
    {
        let ok = caught(208, 2, |rng, case, mutation| {
            let sh = random_shape(rng, case);
            let (net, x) = loop {
                let net = Net::new(sh.shape(), rng).unwrap();
                let x = uniform(rng, (sh.d, sh.d), -1.0, 1.0).unwrap();
                let y = conv_forward(x.view(), net.w().view(), sh.conv()).unwrap();
                if pool_margin(y.view(), sh.pool()).unwrap() >= MIN_MARGIN {
                    break (net, x);
                }
            };
            let label = rng.random_range(0..sh.classes);
            let y = conv_forward(x.view(), net.w().view(), sh.conv()).unwrap();
            let pooled = max_pool_forward(y.view(), sh.pool()).unwrap();
            let f = flatten(pooled.view()).unwrap();
            let z = fc_forward(net.v().view(), net.b().view(), f.view()).unwrap();
            let gz =
                softmax_xent_grad(z.view(), one_hot(label, sh.classes).unwrap().view()).unwrap();
            let (_, _, df) = fc_backward(net.v().view(), f.view(), gz.view()).unwrap();
            let dp = unflatten(df.view(), pooled.dim()).unwrap();
            let dy = if mutation == 0 {
                max_pool_backward(y.view(), dp.view(), sh.pool()).unwrap()
            } else {
                pool_grad_variant(&y, &dp, &sh, mutation)
            };
            let dx = conv_backward_x(net.w().view(), dy.view(), (sh.d, sh.d), sh.conv()).unwrap();
            let fd = gradient(
                |x: &Array2<f64>| net.loss(x.view(), label).unwrap(),
                &x,
                FD_STEP,
            )
            .unwrap();
            compare_arrays(&fd, &dx).within(FD_TOL)
        });
        results.push(("conv.network", 2, ok));
    }
    // (conv.flatten): the source's 1-based map i -> (c, m, n) against the
    // code's; mutant: the code's map with row and column swapped
    {
        let ok = caught(209, 1, |rng, _, mutation| {
            let (maps, q) = (rng.random_range(1..=4), rng.random_range(1..=6));
            (1..=maps * q * q).all(|i| {
                let (c, m, n) = unflat_index(i - 1, q, q).unwrap();
                let (m, n) = if mutation == 1 { (n, m) } else { (m, n) };
                verified_dl::conv::source::flat_to_map(i, q).unwrap() == (c + 1, m + 1, n + 1)
            })
        });
        results.push(("conv.flatten", 1, ok));
    }
    // (conv.size): M against a count of window starts; mutants: the +1
    // missing, the source's floor((d - k + 1) / s)
    for mutant in 1..=2 {
        let ok = caught(210, mutant, |rng, _, mutation| {
            let d = rng.random_range(1..=40usize);
            let k = rng.random_range(1..=d);
            let s = rng.random_range(1..=d + 1);
            let m = match mutation {
                0 => conv_out_size(d, k, s).unwrap(),
                1 => (d - k) / s,
                _ => (d - k + 1) / s,
            };
            m == (0..d).filter(|u| u % s == 0 && u + k <= d).count()
        });
        results.push(("conv.size", mutant, ok));
    }
    // (conv.pad): the padded forward pass against the im2col path on an
    // input padded with zeros by slicing
    for mutant in 1..=2 {
        let ok = caught(211, mutant, |rng, _, mutation| {
            let (conv, x, w, b, _) = padded_case(rng);
            let reference = verified_dl::conv::fast::conv2d_forward_fast(
                zero_pad(&x, conv.pad()).view(),
                w.view(),
                b.view(),
                conv.s(),
            )
            .unwrap();
            let y = if mutation == 0 {
                verified_dl::conv::general::conv2d_forward_padded(
                    x.view(),
                    w.view(),
                    b.view(),
                    conv,
                )
                .unwrap()
            } else {
                padded_forward_variant(&x, &w, &b, conv, mutation)
            };
            compare_arrays(&reference, &y).within(verified_dl::check::EXACT_TOL)
        });
        results.push(("conv.pad", mutant, ok));
    }
    let total = results.len();
    let missed: Vec<_> = results.iter().filter(|r| !r.2).collect();
    println!("mutants: {results:?}");
    assert!(missed.is_empty(), "mutants not caught: {missed:?}");
    verified_dl::record!("conv.mutants-caught", (total - missed.len()) as f64);
    verified_dl::record!("conv.mutants", total as f64);
}

//! Zero padding of the general convolution: the output size (conv.pad-size)
//! against a count of windows, the padded convolution against the im2col path
//! run on an input padded explicitly with zeros (conv.pad), and its gradients
//! against finite differences (conv.pad-grad).

use ndarray::{s, Array1, Array4};
use rand::RngExt;
use verified_dl::check::ledger::Method;
use verified_dl::check::{compare_arrays, seeded, uniform, Rng, EXACT_TOL, FD_TOL};
use verified_dl::conv::fast::{conv2d_backward_fast, conv2d_forward_fast};
use verified_dl::conv::general::{conv2d_backward_padded, conv2d_forward_padded, Conv2d};
use verified_dl::verify;

use crate::random::general_grads_against_differences;
use crate::Misses;

/// Random configurations per check.
const CASES: usize = 400;

/// `x` with `pad` zeros on every side of its two image axes, made by slicing,
/// independently of the crate's padded loops.
pub(crate) fn zero_pad(x: &Array4<f64>, pad: usize) -> Array4<f64> {
    let (n, c, h, w) = x.dim();
    let mut out = Array4::zeros((n, c, h + 2 * pad, w + 2 * pad));
    out.slice_mut(s![.., .., pad..pad + h, pad..pad + w])
        .assign(x);
    out
}

/// A random padded convolution: geometry, input, filters, bias and an
/// upstream gradient. Half the cases have a kernel larger than the input,
/// which only the padding makes possible.
#[allow(clippy::type_complexity)]
pub(crate) fn padded_case(
    rng: &mut Rng,
) -> (Conv2d, Array4<f64>, Array4<f64>, Array1<f64>, Array4<f64>) {
    let (batch, channels, filters) = (
        rng.random_range(1..=2),
        rng.random_range(1..=3),
        rng.random_range(1..=3),
    );
    let (rows, cols) = (rng.random_range(1..=6), rng.random_range(1..=6));
    let pad = rng.random_range(1..=3);
    let (kh, kw) = (
        rng.random_range(1..=(rows + 2 * pad).min(5)),
        rng.random_range(1..=(cols + 2 * pad).min(5)),
    );
    let conv = Conv2d::new(rng.random_range(1..=3), pad).unwrap();
    let x = uniform(rng, (batch, channels, rows, cols), -1.0, 1.0).unwrap();
    let w = uniform(rng, (filters, channels, kh, kw), -1.0, 1.0).unwrap();
    let b = uniform(rng, filters, -1.0, 1.0).unwrap();
    let out = (
        conv.out_size(rows, kh).unwrap(),
        conv.out_size(cols, kw).unwrap(),
    );
    let g = uniform(rng, (batch, filters, out.0, out.1), -1.0, 1.0).unwrap();
    (conv, x, w, b, g)
}

/// Fails if `Conv2d::out_size(d, k)` with padding P ≤ 4 and stride s ≤ 6 differs from the count of
/// window starts that fit in the padded axis of length d + 2P, for any d ≤ 20 and k ≤ d + 2P, or
/// accepts a kernel of length d + 2P + 1: the padding counted on one side only (d + P), or the +1
/// missing, would miss.
#[test]
fn padded_output_size_counts_windows() {
    // M = floor((d + 2P - k) / s) + 1 against the windows that fit in the padded axis
    let mut misses = Misses::default();
    let mut cases = 0;
    for d in 1..=20usize {
        for pad in 0..=4usize {
            for k in 1..=d + 2 * pad {
                for s in 1..=6usize {
                    let conv = Conv2d::new(s, pad).unwrap();
                    let count = (0..d + 2 * pad)
                        .filter(|u| u % s == 0 && u + k <= d + 2 * pad)
                        .count();
                    misses.compare(conv.out_size(d, k).unwrap(), count, || {
                        format!("d={d} k={k} s={s} P={pad}")
                    });
                    cases += 1;
                }
            }
            // a kernel longer than the padded axis has no window: an error
            let too_long = Conv2d::new(1, pad).unwrap().out_size(d, d + 2 * pad + 1);
            misses.holds(too_long.is_err(), || {
                format!(
                    "d={d} k={} P={pad}: {too_long:?}, not an error",
                    d + 2 * pad + 1
                )
            });
        }
    }
    verify!(
        "conv.pad-size",
        Method::Exhaustive,
        0.0,
        misses.worst("conv.pad-size"),
        cases
    );
}

/// Fails if `conv2d_forward_padded`, or dL/dX, dL/dW or dL/db of `conv2d_backward_padded`, differs
/// by more than `EXACT_TOL` from the im2col path run on the input padded with zeros by slicing
/// (dL/dX with its border cut off), on 400 random cases: the padding added to a tap's position
/// instead of subtracted, or forgotten (the conv.pad mutants), would miss.
#[test]
fn padded_conv_is_conv_of_zero_padded_input() {
    // the crate's padded loops against the im2col path, a separate code, on X padded by slicing
    let mut rng = seeded(131);
    let mut worst = 0.0f64;
    for _ in 0..CASES {
        let (conv, x, w, b, g) = padded_case(&mut rng);
        let (pad, (h, wd)) = (conv.pad(), (x.shape()[2], x.shape()[3]));
        let xp = zero_pad(&x, pad);
        let y = conv2d_forward_padded(x.view(), w.view(), b.view(), conv).unwrap();
        let y_ref = conv2d_forward_fast(xp.view(), w.view(), b.view(), conv.s()).unwrap();
        let grads = conv2d_backward_padded(x.view(), w.view(), g.view(), conv).unwrap();
        let reference = conv2d_backward_fast(xp.view(), w.view(), g.view(), conv.s()).unwrap();
        // the gradient of the pixels is the padded input's gradient without its border
        let dx_ref = reference
            .x
            .slice(s![.., .., pad..pad + h, pad..pad + wd])
            .to_owned();
        let r = compare_arrays(&y_ref, &y)
            .max(compare_arrays(&reference.w, &grads.w))
            .max(compare_arrays(&reference.b, &grads.b))
            .max(compare_arrays(&dx_ref, &grads.x));
        assert!(r.within(EXACT_TOL), "{conv:?}: {r}");
        worst = worst.max(r.worst);
    }
    verify!("conv.pad", Method::FloatingPoint, EXACT_TOL, worst, CASES);
    verified_dl::record!("conv.pad.worst", worst);
}

/// Fails if dL/dX, dL/dW or dL/db of `conv2d_backward_padded` differs from central differences of L
/// = Σ G ∘ `conv2d_forward_padded` by more than `FD_TOL` on 400 random cases, or fewer than a tenth
/// have a kernel larger than the unpadded input: a pixel not shifted by P in dL/dX, or taps in the
/// padding not skipped in dL/dW, would miss.
#[test]
fn padded_conv_gradients_match_finite_differences() {
    let mut rng = seeded(132);
    let mut worst = 0.0f64;
    let mut larger_kernel = 0;
    for _ in 0..CASES {
        let (conv, x, w, b, g) = padded_case(&mut rng);
        if w.shape()[2] > x.shape()[2] || w.shape()[3] > x.shape()[3] {
            larger_kernel += 1;
        }
        let grads = conv2d_backward_padded(x.view(), w.view(), g.view(), conv).unwrap();
        let forward = |x: &Array4<f64>, w: &Array4<f64>, b: &Array1<f64>| {
            conv2d_forward_padded(x.view(), w.view(), b.view(), conv).unwrap()
        };
        let r = general_grads_against_differences(forward, (&x, &w, &b), &g, &grads);
        assert!(r.within(FD_TOL), "{conv:?}: {r}");
        worst = worst.max(r.worst);
    }
    assert!(larger_kernel >= CASES / 10, "{larger_kernel}");
    verify!(
        "conv.pad-grad",
        Method::FiniteDifferences,
        FD_TOL,
        worst,
        CASES
    );
    verified_dl::record!("conv.pad-grad.worst", worst);
    verified_dl::record!("conv.pad.cases", CASES as f64);
    verified_dl::record!("conv.pad.larger-kernel", larger_kernel as f64);
}

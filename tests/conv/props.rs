//! Problem 1, property tests of the whole public API of `verified_dl::conv`:
//! arbitrary shapes and values, including 0, 1, usize::MAX, 2^33, NaN, +-inf,
//! +-1e308 and subnormals, into every public function. Each must return
//! `Err` or a finite `Ok`, and where an independent reference exists (the
//! loops for the fast path, the adjoint of im2col, the brute-force window
//! count, the row-major order), match it.

use std::path::Path;

use ndarray::{Array1, Array2, Array3, Array4, Dimension};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use verified_dl::check::seeded;
use verified_dl::conv::convolution::*;
use verified_dl::conv::data::bars;
use verified_dl::conv::dense::*;
use verified_dl::conv::exercises::{avg_pool_backward, avg_pool_forward, conv1x1_backward};
use verified_dl::conv::experiment::{task_data, task_shape, training_run};
use verified_dl::conv::fast::{col2im, conv2d_backward_fast, conv2d_forward_fast, im2col};
use verified_dl::conv::general::{
    conv2d_backward, conv2d_backward_padded, conv2d_forward, conv2d_forward_padded, conv2d_shape,
    conv2d_shape_padded, Conv2d,
};
use verified_dl::conv::network::{ConvPath, Grads, Net, Shape};
use verified_dl::conv::pooling::*;
use verified_dl::conv::size::{conv_out_size, pool_out_size, Conv, Pool};
use verified_dl::conv::softmax::*;
use verified_dl::conv::source;
use verified_dl::conv::train::{evaluate, train};
use verified_dl::Result;

/// Every public function and method of the chapter's modules (code/conv/).
const PUBLIC_API: &[&str] = &[
    "conv::convolution::conv_forward",
    "conv::convolution::conv_backward_w",
    "conv::convolution::conv_backward_x",
    "conv::convolution::dilate",
    "conv::convolution::full_correlation",
    "conv::convolution::rot180",
    "conv::convolution::conv_backward_x_full",
    "conv::data::bars",
    "conv::dense::flat_index",
    "conv::dense::unflat_index",
    "conv::dense::flatten",
    "conv::dense::unflatten",
    "conv::dense::fc_forward",
    "conv::dense::fc_backward",
    "conv::exercises::avg_pool_forward",
    "conv::exercises::avg_pool_backward",
    "conv::exercises::conv1x1_backward",
    "conv::experiment::task_shape",
    "conv::experiment::task_data",
    "conv::experiment::training_run",
    "conv::fast::im2col",
    "conv::fast::col2im",
    "conv::fast::conv2d_forward_fast",
    "conv::fast::conv2d_backward_fast",
    "conv::general::Conv2d::new",
    "conv::general::Conv2d::s",
    "conv::general::Conv2d::pad",
    "conv::general::Conv2d::out_size",
    "conv::general::conv2d_shape",
    "conv::general::conv2d_shape_padded",
    "conv::general::conv2d_forward_padded",
    "conv::general::conv2d_forward",
    "conv::general::conv2d_backward_padded",
    "conv::general::conv2d_backward",
    "conv::network::Shape::new",
    "conv::network::Shape::d",
    "conv::network::Shape::conv",
    "conv::network::Shape::pool",
    "conv::network::Shape::filters",
    "conv::network::Shape::classes",
    "conv::network::Shape::conv_side",
    "conv::network::Shape::pool_side",
    "conv::network::Shape::flat_len",
    "conv::network::Net::from_weights",
    "conv::network::Net::shape",
    "conv::network::Net::w",
    "conv::network::Net::v",
    "conv::network::Net::b",
    "conv::network::Net::conv_path",
    "conv::network::Net::with_conv_path",
    "conv::network::Net::new",
    "conv::network::Net::logits",
    "conv::network::Net::loss",
    "conv::network::Net::predict",
    "conv::network::Net::loss_and_grad",
    "conv::train::Net::sgd_step",
    "conv::pooling::max_pool_forward",
    "conv::pooling::max_pool_backward",
    "conv::pooling::pool_margin",
    "conv::size::conv_out_size",
    "conv::size::pool_out_size",
    "conv::size::Conv::new",
    "conv::size::Conv::k",
    "conv::size::Conv::s",
    "conv::size::Conv::out_size",
    "conv::size::Pool::new",
    "conv::size::Pool::p",
    "conv::size::Pool::t",
    "conv::size::Pool::out_size",
    "conv::softmax::softmax_jacobian",
    "conv::softmax::softmax_backward",
    "conv::softmax::cross_entropy",
    "conv::softmax::softmax_xent_grad",
    "conv::softmax::one_hot",
    "conv::source::conv_size_y",
    "conv::source::conv_size_dy",
    "conv::source::pool_size",
    "conv::source::dw",
    "conv::source::pool_grad",
    "conv::source::flat_to_map",
    "conv::source::map_to_flat",
    "conv::source::conv_forward_as_written",
    "conv::train::evaluate",
    "conv::train::train",
];

/// The `pub fn` names of a source file, as `conv::<file>::<name>` or, inside
/// an `impl Type` block, `conv::<file>::<Type>::<name>`.
fn public_fns(file: &str, text: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("impl ") {
            let ty: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            current = Some(ty);
        } else if line.starts_with('}') {
            current = None;
        }
        if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            names.push(match &current {
                Some(ty) if line.starts_with("    ") => format!("conv::{file}::{ty}::{name}"),
                _ => format!("conv::{file}::{name}"),
            });
        }
    }
    names
}

#[test]
fn public_api_lists_every_public_function() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../code/conv");
    let mut missing = Vec::new();
    let mut found = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let file = path.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            for name in public_fns(&file, &text) {
                found += 1;
                if !PUBLIC_API.contains(&name.as_str()) {
                    missing.push(name);
                }
            }
        }
    }
    assert!(missing.is_empty(), "missing from PUBLIC_API: {missing:?}");
    assert_eq!(
        found,
        PUBLIC_API.len(),
        "PUBLIC_API lists a function that is gone"
    );
}

/// Cases of each property of the layers (the first `proptest!` block).
const LAYER_CASES: u32 = 750;
/// Properties in that block.
const LAYER_PROPERTIES: u32 = 15;
/// Random networks, each through every method.
const NETWORK_CASES: u32 = 1000;
/// Data sets, each trained on for up to one epoch.
const DATA_CASES: u32 = 300;

/// Values: mostly moderate, often one of the edges.
fn val() -> impl Strategy<Value = f64> {
    prop_oneof![
        12 => -3.0..3.0f64,
        1 => Just(0.0),
        1 => Just(1.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e308),
        1 => Just(-1e308),
        1 => Just(5e-324),
        1 => Just(1e300),
    ]
}

/// Sizes as scalar arguments: small, or one of the edges.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 0..6usize,
        1 => Just(usize::MAX),
        1 => Just(1usize << 33),
        1 => Just(1usize << 40),
    ]
}

fn arr1(max: usize) -> impl Strategy<Value = Array1<f64>> {
    vec(val(), 0..=max).prop_map(Array1::from)
}

fn arr2(max: usize) -> impl Strategy<Value = Array2<f64>> {
    (0..=max, 0..=max).prop_flat_map(|(r, c)| {
        vec(val(), r * c).prop_map(move |v| Array2::from_shape_vec((r, c), v).unwrap())
    })
}

fn arr3(max: usize) -> impl Strategy<Value = Array3<f64>> {
    (0..=3usize, 0..=max, 0..=max).prop_flat_map(|(a, r, c)| {
        vec(val(), a * r * c).prop_map(move |v| Array3::from_shape_vec((a, r, c), v).unwrap())
    })
}

fn arr4(max: usize) -> impl Strategy<Value = Array4<f64>> {
    (1..=2usize, 1..=2usize, 0..=max, 0..=max).prop_flat_map(|(a, b, r, c)| {
        vec(val(), a * b * r * c)
            .prop_map(move |v| Array4::from_shape_vec((a, b, r, c), v).unwrap())
    })
}

/// `Err`, or an `Ok` whose every entry is finite.
fn finite_or_err<D: Dimension>(r: &Result<ndarray::Array<f64, D>>) -> bool {
    r.as_ref().map_or(true, |a| a.iter().all(|v| v.is_finite()))
}

fn finite_scalar_or_err(r: &Result<f64>) -> bool {
    r.as_ref().map_or(true, |v| v.is_finite())
}

/// Agreement of two computations of the same sums up to rounding, relative
/// to the size of their terms: 1e-12 of the scale, as for EXACT_TOL.
fn close<D: Dimension>(a: &ndarray::Array<f64, D>, b: &ndarray::Array<f64, D>, scale: f64) -> bool {
    a.shape() == b.shape()
        && a.iter()
            .zip(b.iter())
            .all(|(x, y)| (x - y).abs() <= 1e-12 * scale.max(1.0))
}

fn scale_of<D: Dimension>(a: &ndarray::Array<f64, D>) -> f64 {
    a.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(LAYER_CASES)))]

    #[test]
    fn sizes_and_geometry(d in size(), k in size(), s in size()) {
        let m = conv_out_size(d, k, s);
        // the count of window starts, by brute force where it is small
        if let Ok(m) = m {
            prop_assert!(m >= 1 && m <= d);
            if d < 64 {
                prop_assert_eq!(m, (0..d).filter(|u| u % s == 0 && u + k <= d).count());
            }
        }
        prop_assert_eq!(pool_out_size(d, k, s).ok(), m.clone().ok());
        match Conv::new(k, s) {
            Ok(c) => {
                prop_assert_eq!((c.k(), c.s()), (k, s));
                prop_assert_eq!(c.out_size(d).ok(), m.clone().ok());
            }
            Err(_) => prop_assert!(k == 0 || s == 0),
        }
        match Pool::new(k, s) {
            Ok(p) => {
                prop_assert_eq!((p.p(), p.t()), (k, s));
                prop_assert_eq!(p.out_size(d).ok(), m.ok());
            }
            Err(_) => prop_assert!(k == 0 || s == 0),
        }
    }

    #[test]
    fn convolution_layer(
        x in arr2(6),
        w_any in arr3(4),
        (f, k, s) in (0..3usize, 0..5usize, prop_oneof![6 => 1..4usize, 1 => size()]),
        vals in vec(val(), 1..6),
    ) {
        let Ok(conv) = Conv::new(k, s) else { return Ok(()) };
        // filters of the right shape most of the time, of any shape otherwise
        let w = if f == 0 { w_any } else { fill((f, k, k), &vals, 0) };
        let y = conv_forward(x.view(), w.view(), conv);
        prop_assert!(finite_or_err(&y));
        if let Ok(y) = &y {
            let dw = conv_backward_w(x.view(), y.view(), conv);
            prop_assert!(finite_or_err(&dw));
            let dx = conv_backward_x(w.view(), y.view(), x.dim(), conv);
            let full = conv_backward_x_full(w.view(), y.view(), x.dim(), conv);
            prop_assert!(finite_or_err(&dx) && finite_or_err(&full));
            if let (Ok(dx), Ok(full)) = (&dx, &full) {
                prop_assert!(close(dx, full, scale_of(dx)));
            }
        }
        // the backward passes on arbitrary gradients too
        prop_assert!(finite_or_err(&conv_backward_w(x.view(), w.view(), conv)));
        prop_assert!(finite_or_err(&conv_backward_x(w.view(), w.view(), (s, k), conv)));
        prop_assert!(finite_or_err(&conv_backward_x_full(w.view(), w.view(), (k, s), conv)));
    }

    #[test]
    fn dilation_and_full_correlation(g in arr2(4), h in arr2(3), s in size()) {
        let dil = dilate(g.view(), s);
        prop_assert!(finite_or_err(&dil));
        if let Ok(dil) = &dil {
            // g_{m,n} lands at (m s, n s), every other entry is zero
            for ((u, v), &e) in dil.indexed_iter() {
                if u % s == 0 && v % s == 0 {
                    prop_assert_eq!(e, g[[u / s, v / s]]);
                } else {
                    prop_assert_eq!(e, 0.0);
                }
            }
        }
        let fc = full_correlation(g.view(), h.view());
        prop_assert!(finite_or_err(&fc));
        if let Ok(fc) = &fc {
            prop_assert_eq!(fc.dim(), (g.nrows() + h.nrows() - 1, g.ncols() + h.ncols() - 1));
        }
    }

    #[test]
    fn pooling(y in arr3(5), dp in arr3(4), p in size(), t in size()) {
        let Ok(pool) = Pool::new(p, t) else { return Ok(()) };
        let out = max_pool_forward(y.view(), pool);
        prop_assert!(finite_or_err(&out));
        if let Ok(out) = &out {
            // every pooled entry is an entry of its map, and no entry of its window is larger
            for ((c, m, n), &v) in out.indexed_iter() {
                for i in 0..p {
                    for j in 0..p {
                        prop_assert!(y[[c, m * t + i, n * t + j]] <= v);
                    }
                }
            }
            let back = max_pool_backward(y.view(), out.view(), pool);
            prop_assert!(finite_or_err(&back));
        }
        prop_assert!(finite_or_err(&max_pool_backward(y.view(), dp.view(), pool)));
        let margin = pool_margin(y.view(), pool);
        // infinite only when no window has a second entry (p = 1)
        prop_assert!(margin.as_ref().map_or(true, |&m| m >= 0.0 && (m.is_finite() || p == 1)));
    }

    #[test]
    fn flatten_maps(c in size(), m in size(), n in size(), rows in size(), cols in size(), i in size()) {
        if let Ok(pos) = flat_index(c, m, n, rows, cols) {
            // the inverse brings it back
            prop_assert_eq!(unflat_index(pos, rows, cols).unwrap(), (c, m, n));
        }
        if let Ok((c, m, n)) = unflat_index(i, rows, cols) {
            prop_assert!(m < rows && n < cols);
            prop_assert_eq!(flat_index(c, m, n, rows, cols).unwrap(), i);
        }
        if let Ok(map) = source::flat_to_map(i, rows) {
            prop_assert_eq!(source::map_to_flat(map.0, map.1, map.2, rows).unwrap(), i);
        }
        let _ = source::map_to_flat(c, m, n, rows);
    }

    #[test]
    fn flatten_and_unflatten(p in arr3(4), f in arr1(12), a in size(), b in 0..4usize, c in 0..4usize) {
        let flat = flatten(p.view());
        prop_assert!(finite_or_err(&flat));
        if let Ok(flat) = &flat {
            // ndarray's row-major order, undone by unflatten
            prop_assert_eq!(flat.to_vec(), p.iter().copied().collect::<Vec<_>>());
            prop_assert_eq!(&unflatten(flat.view(), p.dim()).unwrap(), &p);
        }
        prop_assert!(finite_or_err(&unflatten(f.view(), (a, b, c))));
    }

    #[test]
    fn fully_connected(v in arr2(4), b in arr1(4), f in arr1(4), dz in arr1(4)) {
        let z = fc_forward(v.view(), b.view(), f.view());
        prop_assert!(finite_or_err(&z));
        if let Ok(z) = &z {
            // against the sums written out
            for j in 0..v.nrows() {
                let sum: f64 = b[j] + (0..v.ncols()).map(|i| v[[j, i]] * f[i]).sum::<f64>();
                prop_assert!((z[j] - sum).abs() <= 1e-12 * scale_of(z).max(sum.abs()).max(1.0));
            }
        }
        if let Ok((dv, db, df)) = fc_backward(v.view(), f.view(), dz.view()) {
            prop_assert!(dv.iter().chain(db.iter()).chain(df.iter()).all(|x| x.is_finite()));
        }
    }

    #[test]
    fn softmax_layer(z in arr1(5), g in arr1(5), label in size(), classes in size()) {
        let jac = softmax_jacobian(z.view());
        prop_assert!(finite_or_err(&jac));
        if let Ok(jac) = &jac {
            // the rows of J sum to zero
            for row in jac.rows() {
                prop_assert!(row.sum().abs() <= 1e-12);
            }
        }
        prop_assert!(finite_or_err(&softmax_backward(z.view(), g.view())));
        let target = one_hot(label, classes);
        prop_assert!(finite_or_err(&target));
        if let Ok(t) = &target {
            prop_assert_eq!(t.sum(), 1.0);
            prop_assert_eq!(t[label], 1.0);
        }
        let n = z.len();
        for target in [one_hot(label % n.max(1), n), Ok(g.clone())] {
            let Ok(target) = target else { continue };
            let loss = cross_entropy(z.view(), target.view());
            prop_assert!(finite_scalar_or_err(&loss));
            prop_assert!(loss.as_ref().map_or(true, |&l| l >= 0.0));
            prop_assert!(finite_or_err(&softmax_xent_grad(z.view(), target.view())));
        }
    }

    #[test]
    fn general_convolution(x in arr4(5), w in arr4(3), bias in arr1(3), s in size()) {
        let y = conv2d_forward(x.view(), w.view(), bias.view(), s);
        let y_fast = conv2d_forward_fast(x.view(), w.view(), bias.view(), s);
        prop_assert!(finite_or_err(&y) && finite_or_err(&y_fast));
        if let (Ok(y), Ok(y_fast)) = (&y, &y_fast) {
            prop_assert!(close(y, y_fast, scale_of(&x) * scale_of(&w) * 100.0 + scale_of(&bias)));
        }
        if let Ok(y) = &y {
            let loops = conv2d_backward(x.view(), w.view(), y.view(), s);
            let fast = conv2d_backward_fast(x.view(), w.view(), y.view(), s);
            if let (Ok(l), Ok(f)) = (&loops, &fast) {
                prop_assert!(l.x.iter().chain(l.w.iter()).chain(l.b.iter()).all(|v| v.is_finite()));
                prop_assert!(f.x.iter().chain(f.w.iter()).chain(f.b.iter()).all(|v| v.is_finite()));
                prop_assert!(close(&l.b, &f.b, scale_of(&l.b)));
            }
        }
        let _ = conv2d_backward(x.view(), w.view(), x.view(), s);
    }

    #[test]
    fn general_shape(x in vec(size(), 0..6), w in vec(size(), 0..6), s in size()) {
        if let Ok(shape) = conv2d_shape(&x, &w, s) {
            prop_assert!(x.len() == 4 && w.len() == 4);
            prop_assert_eq!(shape[2], conv_out_size(x[2], w[2], s).unwrap());
        }
    }

    #[test]
    fn window_matrix(x in arr3(5), kh in size(), kw in 0..4usize, s in size(), m0 in 0..4usize, len in 0..4usize, cols in size()) {
        let m_range = m0..m0 + len;
        let windows = im2col(x.view(), (kh, kw), s, m_range.clone(), cols);
        prop_assert!(finite_or_err(&windows));
        if let Ok(windows) = &windows {
            // the definition, entry by entry
            for ((r, q), &v) in windows.indexed_iter() {
                let (c, a, b) = (r / (kh * kw), (r / kw) % kh, r % kw);
                let (m, n) = (m0 + q / cols, q % cols);
                prop_assert_eq!(v, x[[c, m * s + a, n * s + b]]);
            }
            // col2im is its adjoint: <im2col(x), M> = <x, col2im(M)> with M = im2col(x)
            let mut back = Array3::zeros(x.raw_dim());
            if col2im(windows.view(), back.view_mut(), (kh, kw), s, m_range.clone(), cols).is_ok() {
                let lhs: f64 = windows.iter().map(|v| v * v).sum();
                let rhs: f64 = x.iter().zip(back.iter()).map(|(a, b)| a * b).sum();
                prop_assert!(!lhs.is_finite() || (lhs - rhs).abs() <= 1e-9 * lhs.abs().max(1.0));
            }
        }
        let mut dx = x.clone();
        let m_cols = Array2::from_elem((x.dim().0 * kw, len * cols.min(8)), 1.0);
        let r = col2im(m_cols.view(), dx.view_mut(), (1, kw), s, m_range, cols);
        prop_assert!(r.is_err() || dx.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn padded_convolution(x in arr4(4), w in arr4(3), bias in arr1(2), s in size(), pad in size()) {
        let conv = Conv2d::new(s, pad);
        match &conv {
            Ok(c) => prop_assert_eq!((c.s(), c.pad()), (s, pad)),
            Err(_) => prop_assert_eq!(s, 0),
        }
        let Ok(conv) = conv else { return Ok(()) };
        let shape = conv2d_shape_padded(x.shape(), w.shape(), conv);
        if let Ok(shape) = &shape {
            prop_assert_eq!(shape[2], conv.out_size(x.shape()[2], w.shape()[2]).unwrap());
        }
        if pad == 0 {
            prop_assert_eq!(shape.clone().ok(), conv2d_shape(x.shape(), w.shape(), s).ok());
        }
        let y = conv2d_forward_padded(x.view(), w.view(), bias.view(), conv);
        prop_assert!(finite_or_err(&y));
        if let (Ok(y), true) = (&y, pad < 16) {
            // the padded convolution is the unpadded one of the input padded with zeros
            let (n, c, h, wd) = x.dim();
            let mut xp = Array4::zeros((n, c, h + 2 * pad, wd + 2 * pad));
            xp.slice_mut(ndarray::s![.., .., pad..pad + h, pad..pad + wd]).assign(&x);
            if let Ok(y_ref) = conv2d_forward(xp.view(), w.view(), bias.view(), s) {
                prop_assert!(close(y, &y_ref, scale_of(&x) * scale_of(&w) * 100.0 + scale_of(&bias)));
            }
            let grads = conv2d_backward_padded(x.view(), w.view(), y.view(), conv);
            if let Ok(g) = &grads {
                prop_assert!(g.x.iter().chain(g.w.iter()).chain(g.b.iter()).all(|v| v.is_finite()));
                prop_assert_eq!(g.x.shape(), x.shape());
            }
        }
        let _ = conv2d_backward_padded(x.view(), w.view(), x.view(), conv);
    }

    #[test]
    fn rot180_is_an_involution(h in arr2(4)) {
        let r = rot180(h.view());
        prop_assert_eq!(r.dim(), h.dim());
        let back = rot180(r.view());
        prop_assert!(back.iter().zip(h.iter()).all(|(a, b)| a.to_bits() == b.to_bits()));
        if h.nrows() > 0 && h.ncols() > 0 {
            let (k, l) = h.dim();
            prop_assert_eq!(r[[0, 0]].to_bits(), h[[k - 1, l - 1]].to_bits());
        }
    }

    #[test]
    fn exercise_code(y in arr3(5), dp in arr3(4), p in size(), t in size(), w in arr2(3), dims in (size(), size(), size())) {
        if let Ok(pool) = Pool::new(p, t) {
            let a = avg_pool_forward(y.view(), pool);
            prop_assert!(finite_or_err(&a));
            if let (Ok(a), Ok(m)) = (&a, max_pool_forward(y.view(), pool)) {
                // an average is at most the maximum
                prop_assert!(a.iter().zip(m.iter()).all(|(a, m)| *a <= *m + 1e-12 * m.abs().max(1.0)));
            }
            let dy = avg_pool_backward(dp.view(), y.dim(), pool);
            prop_assert!(finite_or_err(&dy));
            if let (Ok(dy), true) = (&dy, scale_of(&dp) < 1e100) {
                // the shares of every window add up to its gradient
                prop_assert!((dy.sum() - dp.sum()).abs() <= 1e-9 * scale_of(&dp).max(1.0) * dp.len().max(1) as f64);
            }
            prop_assert!(finite_or_err(&avg_pool_backward(dp.view(), dims, pool)));
        }
        let r = conv1x1_backward(y.view(), w.view(), dp.view());
        prop_assert!(r.as_ref().map_or(true, |(dw, dx)| dw.iter().chain(dx.iter()).all(|v| v.is_finite())));
        if let Ok((dw, dx)) = &r {
            prop_assert_eq!(dx.dim(), y.dim());
            prop_assert_eq!(dw.dim(), w.dim());
        }
    }

    #[test]
    fn source_formulas(x in arr2(6), dy in arr3(4), d in size(), k in size(), s in size(), p in size(), m in size()) {
        prop_assert!(finite_scalar_or_err(&source::conv_size_y(d, k)));
        prop_assert!(finite_scalar_or_err(&source::conv_size_dy(d, k, s)));
        prop_assert!(finite_scalar_or_err(&source::pool_size(d, k, s, p)));
        prop_assert!(finite_or_err(&source::dw(x.view(), dy.view(), k, s)));
        if dy.dim().0 > 0 {
            let y2 = dy.index_axis(ndarray::Axis(0), 0);
            prop_assert!(finite_or_err(&source::pool_grad(x.view(), y2, p)));
        }
        let w2 = x.slice(ndarray::s![..x.nrows().min(2), ..x.ncols().min(2)]);
        prop_assert!(finite_scalar_or_err(&source::conv_forward_as_written(x.view(), w2, m, p, s)));
    }
}

/// The network's shape from small arbitrary sizes, and arbitrary values to
/// fill its weights and its image.
fn net_case() -> impl Strategy<Value = (Vec<usize>, Vec<f64>, usize, f64)> {
    // a valid shape (d, k, s, p, t, C, K) most of the time: each size drawn
    // inside its range, and then, one time in four, one size replaced by an edge
    let valid = (1..7usize, 1..4usize).prop_flat_map(|(d, s)| {
        (Just(d), 1..=d, Just(s)).prop_flat_map(|(d, k, s)| {
            let m = (d - k) / s + 1;
            (Just(vec![d, k, s]), 1..=m, 1..3usize, 1..3usize, 1..4usize)
                .prop_map(|(v, p, t, c, kk)| [v, vec![p, t, c, kk]].concat())
        })
    });
    let edge = prop_oneof![
        Just(0usize),
        Just(usize::MAX),
        Just(1usize << 33),
        0..9usize
    ];
    (
        valid,
        prop_oneof![3 => Just(None), 1 => (0..7usize, edge).prop_map(Some)],
    )
        .prop_map(|(mut sizes, edge)| {
            if let Some((i, v)) = edge {
                sizes[i] = v;
            }
            sizes
        })
        .prop_flat_map(|sizes| (Just(sizes), vec(val(), 1..8), 0..5usize, val()))
}

fn fill<D: Dimension, Sh: ndarray::ShapeBuilder<Dim = D>>(
    shape: Sh,
    vals: &[f64],
    skew: usize,
) -> ndarray::Array<f64, D> {
    let mut j = skew;
    ndarray::Array::from_shape_simple_fn(shape, || {
        j += 1;
        vals[j % vals.len()]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(NETWORK_CASES)))]

    #[test]
    fn network((sizes, vals, label, lr) in net_case()) {
        let (Ok(conv), Ok(pool)) = (Conv::new(sizes[1], sizes[2]), Pool::new(sizes[3], sizes[4])) else {
            return Ok(());
        };
        let Ok(shape) = Shape::new(sizes[0], conv, pool, sizes[5], sizes[6]) else { return Ok(()) };
        prop_assert_eq!(shape.conv_side(), conv.out_size(shape.d()).unwrap());
        prop_assert_eq!(shape.pool_side(), shape.pool().out_size(shape.conv_side()).unwrap());
        prop_assert_eq!(shape.flat_len(), shape.filters() * shape.pool_side().pow(2));
        prop_assert_eq!(shape.conv(), conv);
        prop_assert!(shape.classes() >= 1);
        let (d, k) = (shape.d(), conv.k());
        // given weights, arbitrary values: accepted only if finite
        let given = Net::from_weights(
            shape,
            fill((shape.filters(), k, k), &vals, 0),
            fill((shape.classes(), shape.flat_len()), &vals, 1),
            fill(shape.classes(), &vals, 2),
        );
        let random = Net::new(shape, &mut seeded(label as u64)).unwrap();
        prop_assert_eq!(random.shape(), shape);
        let x = fill((d, d), &vals, 3);
        for net in [given, Ok(random)] {
            let Ok(net) = net else { continue };
            prop_assert!(net.w().iter().chain(net.v().iter()).all(|v| v.is_finite()));
            let fast = net.clone().with_conv_path(ConvPath::Im2col);
            prop_assert_eq!(fast.conv_path(), ConvPath::Im2col);
            let z = net.logits(x.view());
            prop_assert!(finite_or_err(&z));
            if let (Ok(z), Ok(z_fast)) = (&z, &fast.logits(x.view())) {
                prop_assert!(close(z, z_fast, scale_of(z) * 1e3));
            }
            prop_assert!(finite_scalar_or_err(&net.loss(x.view(), label)));
            if let Ok(c) = net.predict(x.view()) {
                prop_assert!(c < shape.classes());
            }
            let mut stepped = net.clone();
            if let Ok((loss, g)) = fast.loss_and_grad(x.view(), label) {
                prop_assert!(loss.is_finite() && loss >= 0.0);
                prop_assert!(g.w.iter().chain(g.v.iter()).chain(g.b.iter()).chain(g.x.iter()).all(|v| v.is_finite()));
                match stepped.sgd_step(&g, lr) {
                    Ok(()) => prop_assert!(stepped.w().iter().chain(stepped.v().iter()).all(|v| v.is_finite())),
                    Err(_) => prop_assert_eq!(&stepped, &net),
                }
            }
            let junk = Grads { w: fill((1, 1, 1), &vals, 4), v: fill((1, 1), &vals, 5), b: fill(1, &vals, 6), x: x.clone() };
            if stepped.sgd_step(&junk, lr).is_ok() {
                prop_assert!(stepped.w().iter().all(|v| v.is_finite()));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::scaled(DATA_CASES)))]

    #[test]
    fn data_and_training(count in size(), d in size(), len in size(), noise in val(), seed in any::<u64>(), epochs in 0..2usize, lr in val()) {
        let data = bars(count, d, len, noise, seed);
        if let Ok(data) = &data {
            prop_assert_eq!(data.len(), count);
            for e in data {
                prop_assert!(e.x.iter().all(|v| v.is_finite()));
                prop_assert_eq!(e.x.dim(), (d, d));
            }
        }
        // train on small images only: a few steps of the source's network
        let small = bars(count.min(4), 6, 3, 0.1, seed).unwrap();
        let shape = Shape::new(6, Conv::new(3, 1).unwrap(), Pool::new(2, 1).unwrap(), 2, 3).unwrap();
        let mut net = Net::new(shape, &mut seeded(seed)).unwrap();
        let eval = evaluate(&net, &small);
        prop_assert!(eval.as_ref().map_or(true, |(l, a)| l.is_finite() && (0.0..=1.0).contains(a)));
        let train_set = match &data {
            Ok(data) if d != 6 && !data.is_empty() => data.clone(),
            _ => small.clone(),
        };
        let history = train(&mut net, &train_set, &small, epochs, lr, seed);
        if let Ok(history) = &history {
            prop_assert_eq!(history.len(), epochs);
            for e in history {
                prop_assert!(e.train_loss.is_finite() && e.test_loss.is_finite());
            }
        } else {
            prop_assert!(history.is_err());
        }
    }
}

#[test]
fn experiment_settings() {
    // the chapter's run: its shape, its data, and one epoch of it
    let shape = task_shape().unwrap();
    assert_eq!((shape.d(), shape.conv().k(), shape.pool().p()), (8, 3, 4));
    let (train_set, test_set) = task_data().unwrap();
    assert!(!train_set.is_empty() && !test_set.is_empty());
    let (net, history) = training_run(0).unwrap();
    assert!(history.is_empty() && net.w().iter().all(|v| v.is_finite()));
}

/// The number of property cases this module runs: at least 10,000 in all.
#[test]
fn enough_property_cases() {
    let cases = LAYER_PROPERTIES * LAYER_CASES + NETWORK_CASES + DATA_CASES;
    assert!(cases >= 10_000, "{cases}");
}

#[test]
fn deep_network_cases_are_many() {
    // run the network property's generator on its own, to count how many of
    // its cases reach a valid shape (the property itself only counts)
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(
        crate::scaled(NETWORK_CASES),
    ));
    let mut deep = 0;
    for _ in 0..NETWORK_CASES {
        let (sizes, _, _, _) = net_case().new_tree(&mut runner).unwrap().current();
        let valid = Conv::new(sizes[1], sizes[2])
            .and_then(|c| Ok((c, Pool::new(sizes[3], sizes[4])?)))
            .and_then(|(c, p)| Shape::new(sizes[0], c, p, sizes[5], sizes[6]));
        deep += valid.is_ok() as u32;
    }
    println!("network cases with a valid shape: {deep} of {NETWORK_CASES}");
    assert!(deep * 2 >= NETWORK_CASES, "{deep}");
}

//! Problem 1, bad input: every probe that once made the crate panic, abort,
//! overflow or answer wrong, as a table of (call, expected variant, argument
//! the error must name). Matched on the variant and `Error::argument()`, not
//! on the text of the message.

use ndarray::{array, Array1, Array2, Array3, Array4};
use verified_dl::check::seeded;
use verified_dl::conv::convolution::*;
use verified_dl::conv::data::bars;
use verified_dl::conv::dense::*;
use verified_dl::conv::fast::{col2im, conv2d_forward_fast, im2col};
use verified_dl::conv::general::{conv2d_backward, conv2d_shape};
use verified_dl::conv::network::{Grads, Net, Shape};
use verified_dl::conv::pooling::*;
use verified_dl::conv::size::{Conv, Pool};
use verified_dl::conv::softmax::*;
use verified_dl::conv::train::train;
use verified_dl::Error;

fn cv(k: usize, s: usize) -> Conv {
    Conv::new(k, s).unwrap()
}

fn pl(p: usize, t: usize) -> Pool {
    Pool::new(p, t).unwrap()
}

/// The source's network on 6x6 images: two 3x3 filters, 2x2 pooling, 3 classes.
fn net6() -> Net {
    let shape = Shape::new(6, cv(3, 1), pl(2, 1), 2, 3).unwrap();
    Net::new(shape, &mut seeded(1)).unwrap()
}

fn zero_grads(net: &Net) -> Grads {
    Grads {
        w: Array3::zeros(net.w().raw_dim()),
        v: Array2::zeros(net.v().raw_dim()),
        b: Array1::zeros(net.b().raw_dim()),
        x: Array2::zeros((6, 6)),
    }
}

/// One probe: the call as written, its error (None if it returned Ok),
/// whether the error has the expected variant, and the argument it must name.
type Probe = (&'static str, Option<Error>, bool, &'static str);

macro_rules! probe {
    ($call:expr, $variant:pat, $arg:expr) => {{
        let e = $call.err();
        let ok = matches!(e, Some($variant));
        (stringify!($call), e, ok, $arg)
    }};
}

#[test]
fn every_probe_is_an_error_that_names_its_argument() {
    let big = 1usize << 33;
    let g2 = Array2::<f64>::ones((2, 2));
    let x3 = Array3::<f64>::zeros((1, 3, 3));
    let nan_v = array![[f64::NAN, 0.0]];
    let huge_x = Array2::from_elem((3, 3), 1e300);
    let huge_w = Array3::from_elem((1, 2, 2), 1e300);
    let net = net6();
    let mut nan_weights = net6().v().clone();
    nan_weights[[0, 0]] = f64::NAN;
    let mut net_lr = net6();
    let grads = zero_grads(&net);
    let image6 = Array2::<f64>::zeros((6, 6));
    let image7 = Array2::<f64>::zeros((7, 7));
    let data = bars(3, 6, 3, 0.1, 1).unwrap();
    let mut net_train = net6();
    let mut dx = Array3::<f64>::zeros((1, 3, 3));
    let probes: Vec<Probe> = vec![
        // arithmetic overflow and division by zero on sizes
        probe!(
            Shape::new(big, cv(1, 1), pl(1, 1), 1, 1),
            Error::Overflow { .. },
            "input size d (an image is d x d)"
        ),
        probe!(
            Shape::new(1 << 13, cv(1, 1), pl(1, 1), 1 << 20, 1),
            Error::TooLarge { .. },
            "fully connected weights V (K C Q^2)"
        ),
        probe!(
            dilate(g2.view(), usize::MAX),
            Error::Overflow { .. },
            "dilation stride s"
        ),
        probe!(
            unflat_index(5, 0, 3),
            Error::BadSize { value: 0, .. },
            "map rows"
        ),
        probe!(
            unflat_index(5, usize::MAX, 3),
            Error::Overflow { .. },
            "map size rows cols"
        ),
        probe!(
            flat_index(0, 3, 0, 3, 3),
            Error::BadSize { value: 3, .. },
            "row m"
        ),
        probe!(
            flat_index(usize::MAX, 0, 0, 3, 3),
            Error::Overflow { .. },
            "map c"
        ),
        probe!(
            unflatten(Array1::zeros(4).view(), (usize::MAX, 2, 2)),
            Error::Overflow { .. },
            "unflatten shape"
        ),
        probe!(
            one_hot(0, usize::MAX),
            Error::TooLarge { .. },
            "number of classes"
        ),
        probe!(
            im2col(x3.view(), (1, 1), 1, 0..1, 0),
            Error::BadSize { value: 0, .. },
            "output columns cols"
        ),
        probe!(
            im2col(x3.view(), (2, 2), 1, 0..1, 3),
            Error::BadSize { value: 3, .. },
            "output columns cols"
        ),
        probe!(
            im2col(x3.view(), (2, 2), usize::MAX, 0..1, 2),
            Error::BadSize { value: 2, .. },
            "output columns cols"
        ),
        probe!(
            im2col(
                x3.view(),
                (2, 2),
                1,
                std::ops::Range { start: 2, end: 1 },
                2
            ),
            Error::BadSize { value: 2, .. },
            "output rows m_range (its start)"
        ),
        probe!(
            im2col(x3.view(), (2, 2), 1, 0..3, 2),
            Error::BadSize { value: 3, .. },
            "output rows m_range (its end)"
        ),
        probe!(
            col2im(
                Array2::zeros((1, 3)).view(),
                dx.view_mut(),
                (1, 1),
                1,
                0..2,
                2
            ),
            Error::ShapeMismatch { .. },
            "window matrix m_cols"
        ),
        probe!(
            conv2d_shape(&[1, 1, 3], &[1, 1, 1, 1], 1),
            Error::BadSize { value: 3, .. },
            "axes of conv input X"
        ),
        probe!(
            conv2d_shape(&[1, 1, 3, 3], &[1, 1], 1),
            Error::BadSize { value: 2, .. },
            "axes of conv filters W"
        ),
        // aborts by allocation, refused before allocating
        probe!(
            one_hot(0, 1 << 40),
            Error::TooLarge { .. },
            "number of classes"
        ),
        probe!(
            bars(1 << 40, 8, 4, 0.1, 1),
            Error::TooLarge { .. },
            "count images of d x d"
        ),
        probe!(
            bars(3, 8, 4, f64::MAX, 1),
            Error::OutOfRange { .. },
            "noise amplitude"
        ),
        probe!(
            conv_backward_x(
                Array3::zeros((1, 1, 1)).view(),
                Array3::zeros((1, 1, 1)).view(),
                (1 << 20, 1 << 20),
                cv(1, 1 << 20)
            ),
            Error::TooLarge { .. },
            "input size d"
        ),
        // unvalidated inputs that gave a wrong Ok
        probe!(
            fc_forward(nan_v.view(), array![0.0].view(), array![1.0, 1.0].view()),
            Error::NonFinite { .. },
            "fully connected weights V"
        ),
        probe!(
            fc_forward(
                array![[1.0, 0.0]].view(),
                array![f64::INFINITY].view(),
                array![1.0, 1.0].view()
            ),
            Error::NonFinite { .. },
            "fully connected bias b"
        ),
        probe!(
            Net::from_weights(
                net.shape(),
                net.w().clone(),
                nan_weights.clone(),
                net.b().clone()
            ),
            Error::NonFinite { .. },
            "fully connected weights V"
        ),
        probe!(
            Net::from_weights(
                net.shape(),
                Array3::zeros((2, 2, 2)),
                net.v().clone(),
                net.b().clone()
            ),
            Error::ShapeMismatch { .. },
            "conv filters W"
        ),
        probe!(
            fc_backward(
                array![[1.0, 0.0]].view(),
                array![f64::NAN, 0.0].view(),
                array![1.0].view()
            ),
            Error::NonFinite { .. },
            "fully connected input f"
        ),
        probe!(
            fc_backward(nan_v.view(), array![1.0, 0.0].view(), array![1.0].view()),
            Error::NonFinite { .. },
            "fully connected weights V"
        ),
        probe!(
            softmax_backward(array![f64::NAN, 0.0].view(), array![1.0, 0.0].view()),
            Error::NonFinite { .. },
            "logits z"
        ),
        probe!(
            softmax_backward(array![0.0, 0.0].view(), array![1.0, f64::NAN].view()),
            Error::NonFinite { .. },
            "softmax output gradient g"
        ),
        probe!(
            net_lr.sgd_step(&grads, f64::NAN),
            Error::NonFinite { .. },
            "learning rate lr"
        ),
        probe!(
            net_lr.sgd_step(&grads, -1.0),
            Error::OutOfRange { .. },
            "learning rate lr"
        ),
        probe!(
            train(&mut net_train, &data, &data, 1, -1.0, 1),
            Error::OutOfRange { .. },
            "learning rate lr"
        ),
        probe!(
            train(&mut net_train, &data, &data, 0, f64::INFINITY, 1),
            Error::NonFinite { .. },
            "learning rate lr"
        ),
        probe!(
            conv_forward(huge_x.view(), huge_w.view(), cv(2, 1)),
            Error::OutOfRange { .. },
            "conv input X"
        ),
        probe!(
            conv2d_forward_fast(
                huge_x
                    .clone()
                    .into_shape_with_order((1, 1, 3, 3))
                    .unwrap()
                    .view(),
                huge_w
                    .clone()
                    .into_shape_with_order((1, 1, 2, 2))
                    .unwrap()
                    .view(),
                array![0.0].view(),
                1
            ),
            Error::OutOfRange { .. },
            "conv input X"
        ),
        probe!(
            conv2d_backward(
                Array4::from_elem((1, 1, 3, 3), 1e300).view(),
                Array4::from_elem((1, 1, 2, 2), 1e300).view(),
                Array4::from_elem((1, 1, 2, 2), 1e300).view(),
                1
            ),
            Error::OutOfRange { .. },
            "conv output gradient dL/dY"
        ),
        probe!(
            cross_entropy(array![1e308, -1e308].view(), array![0.0, 1.0].view()),
            Error::OutOfRange { .. },
            "logits z"
        ),
        probe!(
            pool_margin(array![[[1e308, -1e308], [-1e308, -1e308]]].view(), pl(2, 1)),
            Error::OutOfRange { .. },
            "pool input Y"
        ),
        // messages that named the wrong argument
        probe!(
            net.loss(image7.view(), 0),
            Error::ShapeMismatch { .. },
            "input image X"
        ),
        probe!(
            net.loss_and_grad(image7.view(), 0),
            Error::ShapeMismatch { .. },
            "input image X"
        ),
        probe!(
            net.loss(image6.view(), 3),
            Error::BadSize { value: 3, .. },
            "class label"
        ),
    ];
    let mut failures = Vec::new();
    for (call, err, variant_ok, arg) in &probes {
        match err {
            None => failures.push(format!("{call}: returned Ok")),
            Some(e) if !variant_ok => failures.push(format!("{call}: unexpected variant {e:?}")),
            Some(e) if e.argument() != Some(arg) => failures.push(format!(
                "{call}: names {:?}, not {arg:?} ({e})",
                e.argument()
            )),
            Some(e) => {
                // the message names the argument, and the Display does not panic
                assert!(e.to_string().contains(arg), "{call}: {e}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // a rejected step leaves the network as it was
    assert_eq!(net_lr, net6());
    println!("{} probes, each an error naming its argument", probes.len());
}

//! Problem 3: bad input returns an error that names the offending value.

use ndarray::{array, Array1, Array2};
use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::train::{train, Estimator, Schedule};
use verified_dl::rbm::Rbm;
use verified_dl::Error;

fn rbm() -> Rbm {
    Rbm::new(
        array![[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]],
        array![0.1, -0.2],
        array![0.3, 0.0, -0.3],
    )
    .unwrap()
}

#[test]
fn parameters_of_the_wrong_shape_are_rejected() {
    let w = Array2::zeros((3, 2));
    let e = Rbm::new(w.clone(), Array1::zeros(3), Array1::zeros(3)).unwrap_err();
    assert!(
        matches!(&e, Error::ShapeMismatch { expected, found, .. } if expected == &[2] && found == &[3])
    );
    assert_eq!(e.argument(), Some("hidden bias a"), "{e}");
    let e = Rbm::new(w, Array1::zeros(2), Array1::zeros(4)).unwrap_err();
    assert!(
        matches!(&e, Error::ShapeMismatch { found, .. } if found == &[4]),
        "{e}"
    );
    assert_eq!(e.argument(), Some("visible bias b"), "{e}");
    let e = Rbm::new(Array2::zeros((0, 2)), Array1::zeros(2), Array1::zeros(0)).unwrap_err();
    assert!(matches!(e, Error::BadSize { value: 0, .. }), "{e}");
}

#[test]
fn non_finite_parameters_are_rejected() {
    let mut w = Array2::zeros((3, 2));
    w[(2, 1)] = f64::NAN;
    let e = Rbm::new(w, Array1::zeros(2), Array1::zeros(3)).unwrap_err();
    assert!(
        matches!(&e, Error::NonFinite { index, .. } if index == &[2, 1]),
        "{e}"
    );
    assert_eq!(e.argument(), Some("weights W"), "{e}");
    let e = Rbm::new(
        Array2::zeros((3, 2)),
        array![0.0, f64::INFINITY],
        Array1::zeros(3),
    )
    .unwrap_err();
    assert!(
        matches!(&e, Error::NonFinite { value, .. } if value.is_infinite()),
        "{e}"
    );
    assert_eq!(e.argument(), Some("hidden bias a"), "{e}");
    let e = Rbm::new(
        Array2::zeros((3, 2)),
        Array1::zeros(2),
        array![f64::NEG_INFINITY, 0.0, 0.0],
    )
    .unwrap_err();
    assert_eq!(e.argument(), Some("visible bias b"), "{e}");
}

#[test]
fn states_other_than_0_and_1_are_rejected() {
    let rbm = rbm();
    let e = rbm
        .energy(array![1.0, 0.5, 0.0].view(), array![0.0, 1.0].view())
        .unwrap_err();
    assert!(
        matches!(&e, Error::BadValue { index, value, .. } if index == &[1] && *value == 0.5),
        "{e}"
    );
    assert_eq!(e.argument(), Some("visible state v"), "{e}");
    let e = rbm.p_v_given_h(array![-1.0, 1.0].view()).unwrap_err();
    assert!(
        matches!(&e, Error::BadValue { value, .. } if *value == -1.0),
        "{e}"
    );
    assert_eq!(e.argument(), Some("hidden state h"), "{e}");
    let e = rbm
        .p_h_given_v(array![1.0, f64::NAN, 0.0].view())
        .unwrap_err();
    assert!(matches!(e, Error::NonFinite { .. }), "{e}");
    let e = rbm
        .prob_h_given_v(array![2.0, 0.0].view(), array![1.0, 1.0, 0.0].view())
        .unwrap_err();
    assert!(
        matches!(&e, Error::BadValue { value, .. } if *value == 2.0),
        "{e}"
    );
}

#[test]
fn states_of_the_wrong_length_are_rejected() {
    let rbm = rbm();
    let e = rbm.free_energy(array![1.0, 0.0].view()).unwrap_err();
    assert!(
        matches!(&e, Error::ShapeMismatch { expected, found, .. } if expected == &[3] && found == &[2]),
        "{e}"
    );
    let e = rbm
        .free_energy_hidden(array![1.0, 0.0, 1.0].view())
        .unwrap_err();
    assert_eq!(e.argument(), Some("hidden state h"), "{e}");
}

#[test]
fn bad_data_is_rejected() {
    let rbm = rbm();
    let e = rbm
        .log_likelihood(Array2::zeros((2, 4)).view())
        .unwrap_err();
    assert!(
        matches!(&e, Error::ShapeMismatch { found, .. } if found == &[2, 4]),
        "{e}"
    );
    let e = rbm
        .gradient(array![[1.0, 0.0, 1.0], [0.0, 3.0, 1.0]].view())
        .unwrap_err();
    assert!(
        matches!(&e, Error::BadValue { value, .. } if *value == 3.0),
        "{e}"
    );
    assert_eq!(e.argument(), Some("data vector 1"), "{e}");
    let e = rbm.data_moments(Array2::zeros((0, 3)).view()).unwrap_err();
    assert!(matches!(e, Error::BadSize { value: 0, .. }), "{e}");
}

#[test]
fn layers_too_large_to_enumerate_are_rejected() {
    let rbm = Rbm::new(
        Array2::zeros((21, 21)),
        Array1::zeros(21),
        Array1::zeros(21),
    )
    .unwrap();
    let e = rbm.log_z().unwrap_err();
    assert!(matches!(e, Error::TooLarge { value: 21, .. }), "{e}");
    assert!(rbm.model_moments().is_err());
}

#[test]
fn a_step_that_overflows_is_rejected_and_leaves_the_machine_unchanged() {
    let mut rbm = rbm();
    let before = rbm.clone();
    let data = array![[1.0, 1.0, 0.0]];
    let g = rbm.gradient(data.view()).unwrap();
    assert!(matches!(
        rbm.ascend(&g, f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    // A step of 2 * f64::MAX overflows to infinity.
    let huge = verified_dl::rbm::Gradient::new(
        g.w().mapv(|_| f64::MAX),
        g.hidden_bias().to_owned(),
        g.visible_bias().to_owned(),
    )
    .unwrap();
    let e = rbm.ascend(&huge, 2.0).unwrap_err();
    assert!(matches!(e, Error::NonFinite { .. }), "{e}");
    assert_eq!(e.argument(), Some("weights W"), "{e}");
    assert_eq!(rbm, before);
    let bad_shape =
        verified_dl::rbm::Gradient::new(Array2::zeros((3, 1)), Array1::zeros(1), Array1::zeros(3))
            .unwrap();
    assert!(matches!(
        rbm.ascend(&bad_shape, 1.0),
        Err(Error::ShapeMismatch { .. })
    ));
}

#[test]
fn bad_training_settings_are_rejected() {
    let data = bars_and_stripes(2).unwrap();
    let ok = Schedule {
        epochs: 1,
        learning_rate: 0.1,
        momentum: 0.0,
        seed: 0,
    };
    let e = train(data.view(), 2, Estimator::Cd(0), ok).unwrap_err();
    assert!(matches!(e, Error::BadSize { value: 0, .. }), "{e}");
    assert_eq!(e.argument(), Some("number of Gibbs steps k"));
    let e = train(
        data.view(),
        2,
        Estimator::Pcd(1),
        Schedule {
            learning_rate: -0.1,
            ..ok
        },
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::OutOfRange { value, .. } if value == -0.1),
        "{e}"
    );
    assert_eq!(e.argument(), Some("learning rate"));
    let e = train(
        data.view(),
        2,
        Estimator::Exact,
        Schedule {
            momentum: 1.0,
            ..ok
        },
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::OutOfRange { value, .. } if value == 1.0),
        "{e}"
    );
    assert_eq!(e.argument(), Some("momentum"));
    let e = bars_and_stripes(0).unwrap_err();
    assert!(matches!(e, Error::BadSize { value: 0, .. }), "{e}");
    assert!(train(data.view(), 2, Estimator::Cd(1), ok).is_ok());
}

/// One probe: a call that once panicked, ran for minutes or returned a
/// non-finite `Ok`, the variant it must now return, and the argument it names.
struct Probe {
    call: &'static str,
    result: Result<(), Error>,
    variant: fn(&Error) -> bool,
    argument: &'static str,
}

fn probe<T>(
    call: &'static str,
    result: Result<T, Error>,
    variant: fn(&Error) -> bool,
    argument: &'static str,
) -> Probe {
    Probe {
        call,
        result: result.map(|_| ()),
        variant,
        argument,
    }
}

#[test]
fn no_probe_input_panics_runs_for_minutes_or_returns_a_non_finite_ok() {
    use verified_dl::rbm::brute;
    use verified_dl::rbm::chain::{chain_total_variation, gibbs_demo_rbm};
    use verified_dl::rbm::exact::state;
    use verified_dl::rbm::source;
    use verified_dl::rbm::train::initial_rbm;
    use verified_dl::rbm::Moments;

    let small = rbm();
    let wide = Rbm::from_weights(Array2::zeros((1, 64))).unwrap();
    let thirty = Rbm::from_weights(Array2::zeros((2, 30))).unwrap();
    let data = bars_and_stripes(2).unwrap();
    let mut moments = Moments::zeros(3, 2).unwrap();
    let other = Moments::zeros(2, 2).unwrap();
    let settings = Schedule {
        epochs: 1,
        learning_rate: 0.1,
        momentum: 0.0,
        seed: 0,
    };
    let mut huge_w = Array2::zeros((3, 2));
    huge_w[(0, 1)] = 1e308;
    let probes = [
        probe(
            "state(0, 65)",
            state(0, 65),
            |e| {
                matches!(
                    e,
                    Error::TooLarge {
                        value: 65,
                        limit: 64,
                        ..
                    }
                )
            },
            "number of units n",
        ),
        probe(
            "state(8, 3)",
            state(8, 3),
            |e| matches!(e, Error::BadSize { value: 8, .. }),
            "state number index",
        ),
        probe(
            "brute::p_h_given_v with 64 hidden units",
            brute::p_h_given_v(&wide, array![1.0].view()),
            |e| matches!(e, Error::TooLarge { value: 64, .. }),
            "number of hidden units",
        ),
        probe(
            "brute::free_energy with 30 hidden units",
            brute::free_energy(&thirty, array![1.0, 0.0].view()),
            |e| matches!(e, Error::TooLarge { value: 30, .. }),
            "number of hidden units",
        ),
        probe(
            "brute::p_v_given_h with 64 hidden units and 64 visible units",
            brute::p_v_given_h(
                &Rbm::from_weights(Array2::zeros((64, 1))).unwrap(),
                array![1.0].view(),
            ),
            |e| matches!(e, Error::TooLarge { value: 64, .. }),
            "number of visible units",
        ),
        probe(
            "brute::log_z with 2 + 30 units",
            brute::log_z(&thirty),
            |e| matches!(e, Error::TooLarge { value: 32, .. }),
            "number of units n_v + n_h",
        ),
        probe(
            "Rbm::log_z with 21 units in each layer",
            Rbm::from_weights(Array2::zeros((21, 21))).unwrap().log_z(),
            |e| {
                matches!(
                    e,
                    Error::TooLarge {
                        value: 21,
                        limit: 20,
                        ..
                    }
                )
            },
            "number of hidden units",
        ),
        probe(
            "Moments::add with a v of the wrong length",
            moments.add(array![1.0, 0.0].view(), array![0.5, 0.5].view(), 1.0),
            |e| matches!(e, Error::ShapeMismatch { .. }),
            "visible vector v",
        ),
        probe(
            "Moments::add with an h of the wrong length",
            moments.add(array![1.0, 0.0, 1.0].view(), array![0.5].view(), 1.0),
            |e| matches!(e, Error::ShapeMismatch { .. }),
            "hidden vector h",
        ),
        probe(
            "Moments::add with a NaN weight",
            moments.add(
                array![1.0, 0.0, 1.0].view(),
                array![0.5, 0.5].view(),
                f64::NAN,
            ),
            |e| matches!(e, Error::NonFinite { .. }),
            "weight",
        ),
        probe(
            "Moments::minus with moments of another shape",
            Moments::zeros(3, 2).unwrap().minus(&other),
            |e| matches!(e, Error::ShapeMismatch { .. }),
            "other moments",
        ),
        probe(
            "Moments::zeros(usize::MAX, 2)",
            Moments::zeros(usize::MAX, 2),
            |e| matches!(e, Error::Overflow { .. }),
            "moments E[v h^T]",
        ),
        probe(
            "Moments::zeros(0, usize::MAX) (found by tests/rbm/props.rs)",
            Moments::zeros(0, usize::MAX),
            |e| matches!(e, Error::TooLarge { .. }),
            "moments E[h]: number of hidden units n_h",
        ),
        probe(
            "initial_rbm on data of no columns with usize::MAX hidden units",
            initial_rbm(
                Array2::zeros((2, 0)).view(),
                usize::MAX,
                &mut verified_dl::check::seeded(0),
            ),
            |e| matches!(e, Error::TooLarge { .. }),
            "hidden bias a: number of hidden units n_h",
        ),
        probe(
            "source::product_of_sigma_h_x with a NaN hidden state (found by tests/rbm/props.rs)",
            source::product_of_sigma_h_x(
                &small,
                array![1.0, 0.0, 1.0].view(),
                array![f64::NAN, 0.0].view(),
            ),
            |e| matches!(e, Error::NonFinite { .. }),
            "hidden state h",
        ),
        probe(
            "chain_total_variation(burn_in = usize::MAX)",
            chain_total_variation(&gibbs_demo_rbm(), &gibbs_demo_rbm(), usize::MAX, &[10], 0),
            |e| matches!(e, Error::TooLarge { .. }),
            "sweeps burn_in + last checkpoint",
        ),
        probe(
            "chain_total_variation with checkpoints [10, 5]",
            chain_total_variation(&gibbs_demo_rbm(), &gibbs_demo_rbm(), 0, &[10, 5], 0),
            |e| matches!(e, Error::BadSize { value: 5, .. }),
            "checkpoints[1]",
        ),
        probe(
            "source::stray_constant(j = 5)",
            source::stray_constant(&small, array![1.0, 0.0, 1.0].view(), 5),
            |e| matches!(e, Error::BadSize { value: 5, .. }),
            "hidden unit j",
        ),
        probe(
            "source::marginal_by_source_chain(j = 5)",
            source::marginal_by_source_chain(array![1.0, 1.0].view(), 5),
            |e| matches!(e, Error::BadSize { value: 5, .. }),
            "hidden unit j",
        ),
        probe(
            "source::unit_sum(NaN)",
            source::unit_sum(f64::NAN),
            |e| matches!(e, Error::NonFinite { .. }),
            "input x_i",
        ),
        probe(
            "Rbm::new with a weight of 1e308",
            Rbm::new(huge_w, Array1::zeros(2), Array1::zeros(3)),
            |e| matches!(e, Error::OutOfRange { value, .. } if *value == 1e308),
            "weights W at index [0, 1]",
        ),
        probe(
            "Rbm::new with a hidden bias of -1e200",
            Rbm::new(Array2::zeros((3, 2)), array![0.0, -1e200], Array1::zeros(3)),
            |e| matches!(e, Error::OutOfRange { .. }),
            "hidden bias a at index [1]",
        ),
        probe(
            "Rbm::ascend by a step that leaves the range",
            small.clone().ascend(
                &small.gradient(array![[1.0, 1.0, 0.0]].view()).unwrap(),
                1e300,
            ),
            |e| matches!(e, Error::OutOfRange { .. }),
            "weights W at index [0, 0]",
        ),
        probe(
            "initial_rbm with usize::MAX hidden units",
            initial_rbm(data.view(), usize::MAX, &mut verified_dl::check::seeded(0)),
            |e| matches!(e, Error::Overflow { .. }),
            "weights W",
        ),
        probe(
            "train for usize::MAX epochs",
            train(
                data.view(),
                2,
                Estimator::Exact,
                Schedule {
                    epochs: usize::MAX,
                    ..settings
                },
            ),
            |e| matches!(e, Error::TooLarge { .. }),
            "epochs",
        ),
        probe(
            "train with CD-usize::MAX",
            train(data.view(), 2, Estimator::Cd(usize::MAX), settings),
            |e| matches!(e, Error::TooLarge { .. }),
            "number of Gibbs steps k",
        ),
    ];
    for p in &probes {
        match &p.result {
            Ok(()) => panic!("{}: returned Ok", p.call),
            Err(e) => {
                assert!((p.variant)(e), "{}: wrong variant {e:?}", p.call);
                assert_eq!(e.argument(), Some(p.argument), "{}: {e}", p.call);
            }
        }
    }
}

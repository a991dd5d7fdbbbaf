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
    assert!(e.to_string().contains("hidden bias a"), "{e}");
    let e = Rbm::new(w, Array1::zeros(2), Array1::zeros(4)).unwrap_err();
    assert!(
        e.to_string().contains("visible bias b") && e.to_string().contains("[4]"),
        "{e}"
    );
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
    assert!(e.to_string().contains("weights W"), "{e}");
    let e = Rbm::new(
        Array2::zeros((3, 2)),
        array![0.0, f64::INFINITY],
        Array1::zeros(3),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("inf") && e.to_string().contains("hidden bias a"),
        "{e}"
    );
    let e = Rbm::new(
        Array2::zeros((3, 2)),
        Array1::zeros(2),
        array![f64::NEG_INFINITY, 0.0, 0.0],
    )
    .unwrap_err();
    assert!(e.to_string().contains("visible bias b"), "{e}");
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
    assert!(
        e.to_string().contains("visible state v") && e.to_string().contains("0.5"),
        "{e}"
    );
    let e = rbm.p_v_given_h(array![-1.0, 1.0].view()).unwrap_err();
    assert!(
        e.to_string().contains("hidden state h") && e.to_string().contains("-1"),
        "{e}"
    );
    let e = rbm
        .p_h_given_v(array![1.0, f64::NAN, 0.0].view())
        .unwrap_err();
    assert!(matches!(e, Error::NonFinite { .. }), "{e}");
    let e = rbm
        .prob_h_given_v(array![2.0, 0.0].view(), array![1.0, 1.0, 0.0].view())
        .unwrap_err();
    assert!(e.to_string().contains('2'), "{e}");
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
    assert!(e.to_string().contains("hidden state h"), "{e}");
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
        e.to_string().contains("data vector 1") && e.to_string().contains('3'),
        "{e}"
    );
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
    assert!(matches!(e, Error::BadSize { value: 21, .. }), "{e}");
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
    assert!(
        matches!(e, Error::NonFinite { .. }) && e.to_string().contains("weights W"),
        "{e}"
    );
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
    assert!(e.to_string().contains("CD-0"), "{e}");
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
    assert!(e.to_string().contains("-0.1"), "{e}");
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
    assert!(e.to_string().contains("momentum 1"), "{e}");
    let e = bars_and_stripes(0).unwrap_err();
    assert!(matches!(e, Error::BadSize { value: 0, .. }), "{e}");
    assert!(train(data.view(), 2, Estimator::Cd(1), ok).is_ok());
}

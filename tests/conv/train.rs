//! Training the source's network on the synthetic bars task.

use verified_dl::check::seeded;
use verified_dl::conv::data::{bars, CLASSES};
use verified_dl::conv::experiment::{task_data, task_shape, LEARNING_RATE};
use verified_dl::conv::network::{Net, Shape};
use verified_dl::conv::size::Pool;
use verified_dl::conv::train::train;
use verified_dl::conv::{training_run, EPOCHS};

/// Accuracy on held-out images that the training run must exceed.
const MIN_ACCURACY: f64 = 0.95;

#[test]
fn training_reaches_95_percent_on_held_out_images() {
    let (_, history) = training_run(EPOCHS).unwrap();
    let (first, last) = (&history[0], history.last().unwrap());
    for e in &history {
        println!(
            "train {:.4} held-out {:.4} accuracy {:.3}",
            e.train_loss, e.test_loss, e.test_accuracy
        );
    }
    // the loss falls: by more than a factor 10 on the training images, and on the held-out ones too
    assert!(
        last.train_loss < first.train_loss / 10.0,
        "{first:?} -> {last:?}"
    );
    assert!(
        last.test_loss < first.test_loss / 5.0,
        "{first:?} -> {last:?}"
    );
    assert!(
        last.test_accuracy > MIN_ACCURACY,
        "held-out accuracy {}",
        last.test_accuracy
    );
    // far above chance (1/3): the network learned the task, not the class frequencies
    assert!(first.test_accuracy < last.test_accuracy);
}

#[test]
fn without_pooling_the_network_is_linear_and_fails() {
    // p = 1: conv, flatten and the fully connected layer are linear in X, and
    // a linear classifier cannot tell bars apart at random places: the same
    // run, 25 epochs from the same seeds, stays near chance (1/3)
    let (train_set, test_set) = task_data().unwrap();
    let task = task_shape().unwrap();
    let shape = Shape::new(
        task.d(),
        task.conv(),
        Pool::new(1, 1).unwrap(),
        task.filters(),
        task.classes(),
    )
    .unwrap();
    let mut net = Net::new(shape, &mut seeded(3)).unwrap();
    let history = train(&mut net, &train_set, &test_set, EPOCHS, LEARNING_RATE, 4).unwrap();
    let best = history.iter().map(|e| e.test_accuracy).fold(0.0, f64::max);
    assert!(best < 0.6, "best held-out accuracy without pooling {best}");
}

#[test]
fn bars_task_is_balanced_and_holds_one_bar_per_image() {
    let data = bars(30, 8, 4, 0.0, 9).unwrap();
    for (j, e) in data.iter().enumerate() {
        assert_eq!(e.label, j % CLASSES.len());
        // without noise, exactly `len` pixels are 1 and they line up by class
        let on: Vec<(usize, usize)> =
            e.x.indexed_iter()
                .filter(|(_, &v)| v == 1.0)
                .map(|(i, _)| i)
                .collect();
        assert_eq!(on.len(), 4);
        let (r0, c0) = on[0];
        for (j, &(r, c)) in on.iter().enumerate() {
            let expected = match e.label {
                0 => (r0, c0 + j),
                1 => (r0 + j, c0),
                _ => (r0 + j, c0 + j),
            };
            assert_eq!((r, c), expected);
        }
        assert_eq!(e.x.iter().filter(|&&v| v != 0.0).count(), 4);
    }
    let m = bars(3, 3, 4, 0.1, 1).unwrap_err().to_string();
    assert!(m.contains("bar length = 4") && m.contains("d = 3"), "{m}");
}

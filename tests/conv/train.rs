//! Training the source's network on the synthetic bars task.

use ndarray::Array2;
use verified_dl::check::{rel_err, seeded, EXACT_TOL};
use verified_dl::conv::data::{bars, CLASSES};
use verified_dl::conv::experiment::{task_data, task_shape, BAR_LEN, LEARNING_RATE, TEST_IMAGES};
use verified_dl::conv::network::{Net, Shape};
use verified_dl::conv::size::Pool;
use verified_dl::conv::train::train;
use verified_dl::conv::{training_run, EPOCHS};

/// Accuracy on held-out images that the training run must exceed.
const MIN_ACCURACY: f64 = 0.95;

#[test]
fn training_reaches_95_percent_on_held_out_images() {
    let (net, history) = training_run(EPOCHS).unwrap();
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
    let r = |name: &str, v: f64| verified_dl::record!(format!("conv.train.{name}"), v);
    r("first.train-loss", first.train_loss);
    r("first.test-loss", first.test_loss);
    r("first.test-accuracy", first.test_accuracy);
    r("last.train-loss", last.train_loss);
    r("last.test-loss", last.test_loss);
    r("last.test-accuracy", last.test_accuracy);
    r(
        "last.test-correct",
        (last.test_accuracy * TEST_IMAGES as f64).round(),
    );
    r("accuracy.p4", last.test_accuracy);
    // the largest drop of the held-out accuracy from one epoch's best so far
    // to a later epoch: the curve is not monotone
    let (mut best, mut best_epoch, mut drop) = (0.0f64, 0, (0.0f64, 0, 0));
    for (j, e) in history.iter().enumerate() {
        if e.test_accuracy > best {
            (best, best_epoch) = (e.test_accuracy, j);
        }
        if best - e.test_accuracy > drop.0 {
            drop = (best - e.test_accuracy, best_epoch, j);
        }
    }
    assert!(drop.0 > 0.0, "the held-out accuracy never fell");
    r("drop.from", history[drop.1].test_accuracy);
    r("drop.from-epoch", (drop.1 + 1) as f64);
    r("drop.to", history[drop.2].test_accuracy);
    r("drop.to-epoch", (drop.2 + 1) as f64);
    r("epochs", history.len() as f64);
    // the learned filters, as the chapter describes them: the second has
    // rows of one sign each, positive, negative, positive; the first has its
    // two largest weights at (2,1) and (3,2) (1-based), one step down and
    // one to the right of each other
    let w = net.w();
    for (a, sign) in [(0, 1.0), (1, -1.0), (2, 1.0)] {
        assert!(
            (0..3).all(|b| w[[1, a, b]] * sign > 0.0),
            "filter 2, row {}: {w}",
            a + 1
        );
    }
    let mut order: Vec<(usize, usize)> = (0..3).flat_map(|a| (0..3).map(move |b| (a, b))).collect();
    order.sort_by(|&p, &q| w[[0, q.0, q.1]].total_cmp(&w[[0, p.0, p.1]]));
    assert_eq!(&order[..2], &[(1, 0), (2, 1)], "{w}");
    for ((c, a, b), v) in w.indexed_iter() {
        r(&format!("w{}.{}{}", c + 1, a + 1, b + 1), *v);
    }
}

#[test]
fn the_pooling_window_decides_what_the_network_learns() {
    // the run of the chapter with every pooling window p = 2..6 (p = 1 and
    // p = 4 are the two other tests of this file): same images, seeds,
    // learning rate and epochs; every window that pools learns far above
    // chance (1/3), and p = 4, the chapter's, is the best of them
    let (train_set, test_set) = task_data().unwrap();
    let task = task_shape().unwrap();
    let chosen = training_run(EPOCHS)
        .unwrap()
        .1
        .last()
        .unwrap()
        .test_accuracy;
    for p in [2, 3, 5, 6] {
        let shape = Shape::new(
            task.d(),
            task.conv(),
            Pool::new(p, 1).unwrap(),
            task.filters(),
            task.classes(),
        )
        .unwrap();
        let mut net = Net::new(shape, &mut seeded(3)).unwrap();
        let history = train(&mut net, &train_set, &test_set, EPOCHS, LEARNING_RATE, 4).unwrap();
        let last = history.last().unwrap().test_accuracy;
        assert!(last > 0.8, "p = {p}: held-out accuracy {last}");
        assert!(
            last <= chosen,
            "p = {p}: {last} above the chapter's p = 4, {chosen}"
        );
        verified_dl::record!(format!("conv.train.accuracy.p{p}"), last);
    }
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
    let last = history.last().unwrap().test_accuracy;
    // above chance (1/3), so it sees something; below 0.6, so it cannot separate the classes
    assert!(last > 0.4, "{last}");
    verified_dl::record!("conv.train.accuracy.p1", last);
    verified_dl::record!("conv.train.linear-best", best);
    // the network is affine in X: logits(X1 + X2) = logits(X1) + logits(X2) - logits(0)
    let d = task.d();
    let zero = Array2::<f64>::zeros((d, d));
    let (x1, x2) = (&train_set[0].x, &train_set[1].x);
    let l0 = net.logits(zero.view()).unwrap();
    let lhs = net.logits((x1 + x2).view()).unwrap();
    let rhs = net.logits(x1.view()).unwrap() + net.logits(x2.view()).unwrap() - &l0;
    for (a, b) in lhs.iter().zip(rhs.iter()) {
        assert!(rel_err(*a, *b) <= EXACT_TOL, "{a} against {b}");
    }
    // the proof that no affine score separates the classes: the four
    // horizontal bars that tile a 4x4 block and the four vertical ones sum
    // to the same image (the block); for an affine f = score_h - score_v,
    // sum f(horizontal) = sum f(vertical), so f cannot be positive on all
    // four horizontal bars and negative on all four vertical ones. On every
    // block of the image, the trained network gets one of the eight noise-free
    // bars wrong
    let mut blocks = 0;
    for r0 in 0..=d - BAR_LEN {
        for c0 in 0..=d - BAR_LEN {
            let bar = |horizontal: bool, j: usize| {
                Array2::from_shape_fn((d, d), |(u, v)| {
                    let (along, across) = if horizontal { (v, u) } else { (u, v) };
                    let (a0, x0) = if horizontal {
                        (c0, r0 + j)
                    } else {
                        (r0, c0 + j)
                    };
                    f64::from(across == x0 && (a0..a0 + BAR_LEN).contains(&along))
                })
            };
            let hs: Vec<Array2<f64>> = (0..BAR_LEN).map(|j| bar(true, j)).collect();
            let vs: Vec<Array2<f64>> = (0..BAR_LEN).map(|j| bar(false, j)).collect();
            let sum = |bars: &[Array2<f64>]| bars.iter().fold(zero.clone(), |acc, b| acc + b);
            assert_eq!(sum(&hs), sum(&vs));
            let wrong = hs
                .iter()
                .filter(|x| net.predict(x.view()).unwrap() != 0)
                .count()
                + vs.iter()
                    .filter(|x| net.predict(x.view()).unwrap() != 1)
                    .count();
            assert!(wrong >= 1, "block at ({r0}, {c0}): all eight bars right");
            blocks += 1;
        }
    }
    verified_dl::record!("conv.train.linear-blocks", blocks as f64);
}

#[test]
fn bars_task_is_balanced_and_holds_one_bar_per_image() {
    let data = bars(30, 8, 4, 0.0, 9).unwrap();
    for (j, e) in data.iter().enumerate() {
        assert_eq!(e.label, j % CLASSES.len());
        // without noise, exactly `len` pixels are 1 and they line up by class
        let on: Vec<(usize, usize)> =
            e.x.indexed_iter()
                .filter(|&(_, &v)| v == 1.0)
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

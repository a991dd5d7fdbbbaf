//! Training the source's network on the synthetic bars task.

use verified_dl::conv::training_run;

#[test]
fn scratch() {
    let t = std::time::Instant::now();
    let (net, h) = training_run(30).unwrap();
    for e in &h {
        println!(
            "{:.4} {:.4} {:.3}",
            e.train_loss, e.test_loss, e.test_accuracy
        );
    }
    println!("{:?} {:.2?}", net.w, t.elapsed());
}

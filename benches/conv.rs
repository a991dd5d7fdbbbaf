//! The convolution loops against the im2col fast path on a 1x64x64 input with
//! 16 filters of 5x5, at stride 1 and 2: `cargo bench --features bench --bench conv`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use verified_dl::check::{seeded, uniform};
use verified_dl::conv::fast::{conv2d_backward_fast, conv2d_forward_fast};
use verified_dl::conv::general::{conv2d_backward, conv2d_forward};
use verified_dl::conv::size::conv_out_size;

fn bench(c: &mut Criterion) {
    let mut rng = seeded(1);
    let x = uniform(&mut rng, (1, 1, 64, 64), -1.0, 1.0).unwrap();
    let w = uniform(&mut rng, (16, 1, 5, 5), -1.0, 1.0).unwrap();
    let b = uniform(&mut rng, 16, -1.0, 1.0).unwrap();
    for s in [1, 2] {
        let m = conv_out_size(64, 5, s).unwrap();
        let dy = uniform(&mut rng, (1, 16, m, m), -1.0, 1.0).unwrap();
        let mut group = c.benchmark_group(format!("conv 1x64x64, 16 filters 5x5, stride {s}"));
        group.bench_function("forward, loops", |bench| {
            bench.iter(|| conv2d_forward(black_box(x.view()), w.view(), b.view(), s).unwrap())
        });
        group.bench_function("forward, im2col", |bench| {
            bench.iter(|| conv2d_forward_fast(black_box(x.view()), w.view(), b.view(), s).unwrap())
        });
        group.bench_function("backward, loops", |bench| {
            bench.iter(|| conv2d_backward(black_box(x.view()), w.view(), dy.view(), s).unwrap())
        });
        group.bench_function("backward, im2col", |bench| {
            bench
                .iter(|| conv2d_backward_fast(black_box(x.view()), w.view(), dy.view(), s).unwrap())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);

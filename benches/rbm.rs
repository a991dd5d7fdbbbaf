//! Timings of the exact RBM routines and of one Gibbs step, at the sizes the
//! chapter uses (16 visible units; 8 hidden units for bars and stripes, 16 for
//! the largest exact partition function the chapter computes).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ndarray::Array1;
use verified_dl::check::{seeded, uniform};
use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::Rbm;

fn machine(n_v: usize, n_h: usize) -> Rbm {
    let mut rng = seeded(1);
    Rbm::new(
        uniform(&mut rng, (n_v, n_h), -1.0, 1.0).unwrap(),
        uniform(&mut rng, n_h, -1.0, 1.0).unwrap(),
        uniform(&mut rng, n_v, -1.0, 1.0).unwrap(),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let data = bars_and_stripes(4).unwrap();
    let small = machine(16, 8);
    let large = machine(16, 16);
    c.bench_function("rbm log_z 16x8 (256 hidden states)", |b| {
        b.iter(|| black_box(&small).log_z().unwrap())
    });
    c.bench_function("rbm log_z 16x16 (65536 hidden states)", |b| {
        b.iter(|| black_box(&large).log_z().unwrap())
    });
    c.bench_function("rbm exact gradient 16x8 on bars and stripes", |b| {
        b.iter(|| black_box(&small).gradient(data.view()).unwrap())
    });
    let mut rng = seeded(2);
    let v: Array1<f64> = data.row(3).to_owned();
    c.bench_function("rbm gibbs step 16x8", |b| {
        b.iter(|| black_box(&small).gibbs_step(v.view(), &mut rng).unwrap())
    });
    let (mut v_chain, mut h_chain) = (v.clone(), Array1::zeros(8));
    c.bench_function("rbm gibbs sweep in place 16x8", |b| {
        b.iter(|| {
            black_box(&small)
                .gibbs_sweep(&mut v_chain, &mut h_chain, &mut rng)
                .unwrap()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);

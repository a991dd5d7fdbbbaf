//! Timings of the chapter's computations: the total by enumeration and by the
//! proof's steps, in f64 and in exact rationals; the marginals; the
//! Gauss-Hermite total; ancestral sampling.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use verified_dl::bayesnet::example::three_node_example;
use verified_dl::bayesnet::random::{random_network, random_rational_network, Shape};
use verified_dl::bayesnet::sampling::AncestralSampler;
use verified_dl::bayesnet::{example, total_by_enumeration, total_by_steps};
use verified_dl::check::seeded;

/// Twelve binary nodes, 4096 joint configurations.
fn twelve_binary() -> Shape {
    Shape::new(12, 2, 2, 3, 1 << 12).unwrap()
}

fn twelve_nodes<T>(
    mut make: impl FnMut(&mut verified_dl::check::SeededRng) -> T,
    len: impl Fn(&T) -> usize,
) -> T {
    let mut rng = seeded(50);
    loop {
        let net = make(&mut rng);
        if len(&net) == 12 {
            return net;
        }
    }
}

fn bench(c: &mut Criterion) {
    let net = twelve_nodes(
        |rng| random_network(rng, twelve_binary()).unwrap(),
        |n| n.len(),
    );
    let exact = twelve_nodes(
        |rng| random_rational_network(rng, twelve_binary(), 12).unwrap(),
        |n| n.len(),
    );
    c.bench_function("total by enumeration, f64, 12 binary nodes", |b| {
        b.iter(|| total_by_enumeration(black_box(&net)).unwrap())
    });
    c.bench_function("total by the steps, f64, 12 binary nodes", |b| {
        b.iter(|| total_by_steps(black_box(&net)).unwrap())
    });
    c.bench_function("total by enumeration, rational, 12 binary nodes", |b| {
        b.iter(|| total_by_enumeration(black_box(&exact)).unwrap())
    });
    c.bench_function("marginal of every node, f64, 12 binary nodes", |b| {
        b.iter(|| {
            for k in 0..net.len() {
                black_box(net.marginal(k).unwrap());
            }
        })
    });
    let gaussian = three_node_example().unwrap();
    c.bench_function("Gauss-Hermite total, 3 nodes, n = 60", |b| {
        b.iter(|| gaussian.total_by_gauss_hermite(black_box(60)).unwrap())
    });
    let sprinkler = example::sprinkler().unwrap().map(|p| p.to_f64()).unwrap();
    let sampler = AncestralSampler::new(&sprinkler).unwrap();
    let mut rng = seeded(51);
    c.bench_function("ancestral sample, sprinkler network", |b| {
        b.iter(|| sampler.draw(&mut rng))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Benchmarks of the chapter: one ICM sweep and the exact minimum cut on a
//! 512 x 512 image (10% of its pixels flipped, beta = 1.0, eta = 2.1, alpha = 0).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use verified_dl::check::seeded;
use verified_dl::ising::graphcut::{cut_graph, field};
use verified_dl::ising::icm::icm_sweep;
use verified_dl::ising::image::{add_noise, test_image};
use verified_dl::ising::{map_graph_cut, Params};

const SIDE: usize = 512;

fn benches(c: &mut Criterion) {
    let x = test_image(SIDE, SIDE).unwrap();
    let y = add_noise(x.view(), 0.1, &mut seeded(830)).unwrap();
    let p = Params::bishop();

    let mut group = c.benchmark_group("ising 512x512");
    group.throughput(Throughput::Elements((SIDE * SIDE) as u64));
    group.bench_function("ICM sweep (first sweep from x = y)", |b| {
        b.iter_batched_ref(
            || y.clone(),
            |x| black_box(icm_sweep(x, y.view(), &p).unwrap()),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("build the cut graph", |b| {
        b.iter(|| black_box(cut_graph(field(y.view(), &p).view(), p.beta()).unwrap()))
    });
    group.bench_function("max-flow only (Boykov-Kolmogorov)", |b| {
        let (g, _) = cut_graph(field(y.view(), &p).view(), p.beta()).unwrap();
        b.iter_batched_ref(
            || g.clone(),
            |g| black_box(g.max_flow()),
            criterion::BatchSize::LargeInput,
        )
    });
    group.bench_function("exact MAP by graph cut (build + max-flow + read)", |b| {
        b.iter(|| black_box(map_graph_cut(y.view(), &p).unwrap()))
    });
    group.finish();
}

criterion_group! {
    name = ising;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(ising);

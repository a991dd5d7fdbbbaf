//! The figures of the chapter on directed graphical models.

use verified_dl::bayesnet::example::{three_node_example, two_node_example};
use verified_dl::bayesnet::gaussian::LinearGaussian;

use super::{Figure, Plot, Series};

/// Errors below this are round-off (a few hundred terms of size 1e-16 or
/// less): they are drawn at this floor, so the figure does not depend on the
/// last bits of `exp` on a given platform.
const FLOOR: f64 = 1e-14;

fn convergence() -> Figure {
    let curve = |model: &LinearGaussian| -> Vec<(f64, f64)> {
        (1..=40)
            .map(|i| 2 * i)
            .map(|n| {
                let total = model.total_by_gauss_hermite(n).expect("n is in range");
                (n as f64, (total - 1.0).abs().max(FLOOR))
            })
            .collect()
    };
    let three = three_node_example().expect("valid example");
    let two = two_node_example().expect("valid example");
    let plot = Plot {
        title: "Tensor-product Gauss-Hermite: |integral of p(x) - 1|".into(),
        x_label: "nodes per axis n".into(),
        y_label: "absolute error".into(),
        log_x: false,
        log_y: true,
        series: vec![
            Series::dots("three nodes (weak correlation)", curve(&three)),
            Series::dots("two nodes (correlation 0.88)", curve(&two)),
        ],
    };
    Figure::svg("figures/bayesnet/gauss-hermite.svg", plot.to_svg())
}

fn cyclic() -> Figure {
    let points = (0..=100)
        .map(|i| {
            let theta = i as f64 / 100.0;
            (
                theta,
                2.0 * theta * theta + 2.0 * (1.0 - theta) * (1.0 - theta),
            )
        })
        .collect();
    let plot = Plot {
        title: "Sum over (a, b) of p(a | b) p(b | a)".into(),
        x_label: "theta = p(a = b | b) = p(b = a | a)".into(),
        y_label: "total".into(),
        log_x: false,
        log_y: false,
        series: vec![
            Series::line("1 + (2 theta - 1)^2", points),
            Series::line("1", vec![(0.0, 1.0), (1.0, 1.0)]),
        ],
    };
    Figure::svg("figures/bayesnet/cycle.svg", plot.to_svg())
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    vec![convergence(), cyclic()]
}

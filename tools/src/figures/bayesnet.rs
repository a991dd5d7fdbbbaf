//! The figures of the chapter on directed graphical models: the plots of the
//! cycle and of the quadrature, and diagrams of networks drawn from their
//! parent lists and from the proof's own steps.

use verified_dl::bayesnet::example::{
    self, three_node_example, two_node_example, SPRINKLER_NAMES, WORKED_NAMES,
};
use verified_dl::bayesnet::gaussian::LinearGaussian;
use verified_dl::bayesnet::{proof_steps, BayesNet, Prob};

use super::draw::{Anchor, Canvas, Style, ACCENT, GRID, INK, TINT};
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
        title: "Tensor-product Gauss-Hermite: |∫ p(x) dx − 1|".into(),
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
        title: "Z(θ) = Σ_{a, b} p(a | b) p(b | a)".into(),
        x_label: "θ = p(a = b | b) = p(b = a | a)".into(),
        y_label: "Z(θ)".into(),
        log_x: false,
        log_y: false,
        series: vec![
            Series::line("1 + (2θ − 1)^{2}", points),
            Series::line("1", vec![(0.0, 1.0), (1.0, 1.0)]),
        ],
    };
    Figure::svg("figures/bayesnet/cycle.svg", plot.to_svg())
}

/// The depth of every node in its DAG: 0 for a root, else one more than its
/// deepest parent (parents are drawn above their children).
fn depths(parents: &[Vec<usize>]) -> Vec<usize> {
    let n = parents.len();
    let mut depth = vec![0usize; n];
    // A longest path has at most n - 1 edges, so n rounds settle every depth.
    for _ in 0..n {
        for k in 0..n {
            depth[k] = parents[k].iter().map(|&j| depth[j] + 1).max().unwrap_or(0);
        }
    }
    depth
}

/// Centres of the nodes of a DAG in a `width` x `height` box: one row per
/// depth, roots on top, the nodes of a row spread evenly in the order of
/// their indices. A node that an edge between rows above and below it would
/// cross is moved aside by `gap`.
fn layout(parents: &[Vec<usize>], width: f64, height: f64, gap: f64) -> Vec<(f64, f64)> {
    let depth = depths(parents);
    let levels = depth.iter().max().map_or(1, |d| d + 1);
    let row_height = height / levels as f64;
    let mut pos = vec![(0.0, 0.0); parents.len()];
    for d in 0..levels {
        let row: Vec<usize> = (0..parents.len()).filter(|&k| depth[k] == d).collect();
        for (i, &k) in row.iter().enumerate() {
            let x = width * (i as f64 + 1.0) / (row.len() as f64 + 1.0);
            pos[k] = (x, row_height * (d as f64 + 0.5));
        }
    }
    for v in 0..parents.len() {
        for (w, pa) in parents.iter().enumerate() {
            for &u in pa {
                let (a, b, c) = (pos[u], pos[w], pos[v]);
                if depth[u] < depth[v] && depth[v] < depth[w] {
                    // Distance of v's centre from the segment u -> w.
                    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                    let s = ((c.0 - a.0) * dx + (c.1 - a.1) * dy) / (dx * dx + dy * dy);
                    let (px, py) = (a.0 + s * dx, a.1 + s * dy);
                    if ((c.0 - px).powi(2) + (c.1 - py).powi(2)).sqrt() < gap / 2.0 {
                        pos[v].0 -= gap;
                    }
                }
            }
        }
    }
    pos
}

/// An arrow from the circle at `a` to the circle at `b`, both of radius `r`.
fn edge(canvas: &mut Canvas, a: (f64, f64), b: (f64, f64), r: f64, style: &Style) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / length, dy / length);
    canvas.arrow(
        a.0 + ux * r,
        a.1 + uy * r,
        b.0 - ux * (r + 2.0),
        b.1 - uy * (r + 2.0),
        style,
    );
}

/// A network drawn as a DAG: nodes as circles with their math names, the
/// variables' names beside them, arrows parent -> child, laid out by depth.
fn network_diagram<T: Prob>(net: &BayesNet<T>, names: &[&str], path: &str, title: &str) -> Figure {
    let (width, height, r) = (460.0, 280.0, 24.0);
    let pos = layout(net.parent_lists(), width, height, 110.0);
    let mut canvas = Canvas::new(width, height);
    let arrow = Style::outline(INK, 1.6);
    for (k, pa) in net.parent_lists().iter().enumerate() {
        for &j in pa {
            edge(&mut canvas, pos[j], pos[k], r, &arrow);
        }
    }
    let middle = width / 2.0;
    for (k, &(x, y)) in pos.iter().enumerate() {
        let mut style = Style::filled(TINT[0]);
        style.stroke = ACCENT[0].into();
        style.width = 1.6;
        canvas.circle(x, y, r, &style);
        canvas.text(
            x,
            y + 6.0,
            &format!("x_{{{}}}", k + 1),
            17.0,
            Anchor::Middle,
        );
        let name = names.get(k).copied().unwrap_or("");
        // Names go on the outer side: left of the middle to the left, else to the right.
        if x < middle - 1.0 {
            canvas.text(x - r - 8.0, y + 5.0, name, 14.0, Anchor::End);
        } else {
            canvas.text(x + r + 8.0, y + 5.0, name, 14.0, Anchor::Start);
        }
    }
    Figure::svg(path, canvas.finish(title))
}

/// The order of the proof on a network: one panel per step, each showing the
/// network that remains with the node summed out at that step (a leaf of
/// what remains) highlighted, and a last panel with the total, 1. The nodes
/// and the order come from [`proof_steps`].
fn proof_order<T: Prob>(net: &BayesNet<T>, path: &str, title: &str) -> Figure {
    let steps = proof_steps(net).expect("the example is a DAG");
    let (panel_w, panel_h, r, top) = (150.0, 190.0, 17.0, 62.0);
    let last_w = 90.0;
    let width = panel_w * steps.len() as f64 + last_w;
    let height = top + panel_h + 22.0;
    let pos = layout(net.parent_lists(), panel_w, panel_h, 64.0);
    let mut canvas = Canvas::new(width, height);
    let mut present: Vec<bool> = vec![true; net.len()];
    for (i, step) in steps.iter().enumerate() {
        let x0 = panel_w * i as f64;
        let at = |k: usize| (x0 + pos[k].0, top + pos[k].1);
        let frame = Style::outline(GRID, 1.0);
        canvas.rect(x0 + 6.0, top - 8.0, panel_w - 12.0, panel_h, &frame);
        canvas.text(
            x0 + panel_w / 2.0,
            22.0,
            &format!("step {}", i + 1),
            15.0,
            Anchor::Middle,
        );
        canvas.text_colored(
            x0 + panel_w / 2.0,
            42.0,
            &format!("sum out x_{{{}}}", step.summed + 1),
            13.0,
            Anchor::Middle,
            ACCENT[1],
        );
        let arrow = Style::outline(INK, 1.3);
        for (k, pa) in net.parent_lists().iter().enumerate() {
            for &j in pa {
                if present[k] && present[j] {
                    edge(&mut canvas, at(j), at(k), r, &arrow);
                }
            }
        }
        for k in (0..net.len()).filter(|&k| present[k]) {
            let (x, y) = at(k);
            let mut style = if k == step.summed {
                Style::filled(TINT[1])
            } else {
                Style::filled(TINT[0])
            };
            style.stroke = if k == step.summed {
                ACCENT[1]
            } else {
                ACCENT[0]
            }
            .into();
            style.width = if k == step.summed { 2.4 } else { 1.3 };
            canvas.circle(x, y, r, &style);
            canvas.text(
                x,
                y + 5.0,
                &format!("x_{{{}}}", k + 1),
                14.0,
                Anchor::Middle,
            );
        }
        canvas.text(
            x0 + panel_w / 2.0,
            top + panel_h + 14.0,
            &match step.names.len() {
                0 => "leaves no node".to_string(),
                1 => "leaves 1 node".to_string(),
                n => format!("leaves {n} nodes"),
            },
            12.0,
            Anchor::Middle,
        );
        present[step.summed] = false;
    }
    let x0 = panel_w * steps.len() as f64;
    canvas.text(
        x0 + last_w / 2.0,
        top + panel_h / 2.0 + 10.0,
        "= 1",
        26.0,
        Anchor::Middle,
    );
    Figure::svg(path, canvas.finish(title))
}

fn sprinkler_dag() -> Figure {
    let net = example::sprinkler().expect("valid example");
    network_diagram(
        &net,
        &SPRINKLER_NAMES,
        "figures/bayesnet/sprinkler-dag.svg",
        "The sprinkler network as a directed acyclic graph",
    )
}

fn worked_dag() -> Figure {
    let net = example::worked_example().expect("valid example");
    network_diagram(
        &net,
        &WORKED_NAMES,
        "figures/bayesnet/worked-dag.svg",
        "The three-node network of the worked example",
    )
}

fn sprinkler_order() -> Figure {
    let net = example::sprinkler().expect("valid example");
    proof_order(
        &net,
        "figures/bayesnet/proof-order.svg",
        "The proof's order on the sprinkler network: each step sums out a leaf of what remains",
    )
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    vec![
        convergence(),
        cyclic(),
        sprinkler_dag(),
        worked_dag(),
        sprinkler_order(),
    ]
}

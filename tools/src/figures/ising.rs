//! The figures of the Ising chapter: the grid MRF of Bishop's figure 8.31,
//! the s-t graph of the worked example with its minimum cut, Bishop's figure
//! 8.30 reproduced, the posterior marginals, and the restoration accuracy
//! against beta.

use ndarray::Array2;

use verified_dl::ising::experiment::{accuracy_against_beta, figure_8_30, worked_example};
use verified_dl::ising::graphcut::{cut_graph, field};
use verified_dl::ising::model::{energy, flip_diff, local_diff, pairs, to_gray};
use verified_dl::ising::{icm, map_graph_cut};

use super::draw::{Anchor, Canvas, Style, ACCENT, INK, TINT};
use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

/// Light gray fill of an observed node, as Bishop shades them.
const OBSERVED: &str = "#c8c8c8";

/// Bishop's figure 8.31: the latent pixels x_i on a grid, joined along the
/// neighbour pairs that [`pairs`] lists (the pairs of the energy), each with
/// its observed pixel y_i (shaded). One pixel m, its neighbours N(m) (the
/// pairs that contain it) and y_m are highlighted: all that its local energy
/// difference reads.
fn mrf_diagram() -> String {
    let (rows, cols) = (3, 4);
    let m = (1, 1);
    let edges = pairs(rows, cols).expect("a 3 x 4 grid is small");
    let neighbours: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|&(a, b)| {
            if a == m {
                Some(b)
            } else if b == m {
                Some(a)
            } else {
                None
            }
        })
        .collect();
    let (step, x0, y0, rx, ry) = (96.0, 60.0, 78.0, 15.0, 11.0);
    let (ox, oy) = (30.0, -30.0); // where y_i sits relative to x_i
    let at = |(r, c): (usize, usize)| (x0 + c as f64 * step, y0 + r as f64 * step);
    let mut canvas = Canvas::new(x0 + step * (cols - 1) as f64 + 230.0, 330.0);
    for &(a, b) in &edges {
        let ((x1, y1), (x2, y2)) = (at(a), at(b));
        let on_m = a == m || b == m;
        let style = if on_m {
            Style::outline(ACCENT[0], 2.4)
        } else {
            Style::outline(INK, 1.3)
        };
        canvas.line(x1, y1, x2, y2, &style);
    }
    for r in 0..rows {
        for c in 0..cols {
            let (x, y) = at((r, c));
            let link = if (r, c) == m {
                Style::outline(ACCENT[0], 2.4)
            } else {
                Style::outline(INK, 1.3)
            };
            canvas.line(x, y, x + ox, y + oy, &link);
            let mut observed = Style::filled(OBSERVED);
            if (r, c) == m {
                observed.stroke = ACCENT[0].into();
                observed.width = 2.0;
            }
            canvas.circle(x + ox, y + oy, ry, &observed);
            let fill = if (r, c) == m {
                ACCENT[0]
            } else if neighbours.contains(&(r, c)) {
                TINT[0]
            } else {
                "white"
            };
            canvas.circle(x, y, rx, &Style::filled(fill));
        }
    }
    let (mx, my) = at(m);
    canvas.text_colored(mx, my + 5.0, "x_{m}", 13.0, Anchor::Middle, "white");
    canvas.text(
        mx + ox + ry + 3.0,
        my + oy - ry + 2.0,
        "y_{m}",
        13.0,
        Anchor::Start,
    );
    let (ix, iy) = at((rows - 1, cols - 1));
    canvas.text(ix, iy + rx + 17.0, "x_{i}", 13.0, Anchor::Middle);
    canvas.text(
        ix + ox + ry + 3.0,
        iy + oy - ry + 2.0,
        "y_{i}",
        13.0,
        Anchor::Start,
    );
    // legend
    let lx = x0 + step * (cols - 1) as f64 + 95.0;
    canvas.circle(lx, 60.0, rx, &Style::filled("white"));
    canvas.text(lx + 22.0, 64.0, "latent x_{i}", 12.0, Anchor::Start);
    canvas.circle(lx, 100.0, ry, &Style::filled(OBSERVED));
    canvas.text(lx + 22.0, 104.0, "observed y_{i}", 12.0, Anchor::Start);
    canvas.circle(lx, 140.0, rx, &Style::filled(TINT[0]));
    canvas.text(lx + 22.0, 144.0, "N(m)", 12.0, Anchor::Start);
    canvas.finish(
        "A 3 by 4 grid of latent pixels x_i, each joined to its four neighbours and to its own shaded observation y_i; one pixel x_m, its four neighbours and y_m are highlighted.",
    )
}

/// The distance from point `p` to the segment `a`-`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (dx * dx + dy * dy).max(1e-12);
    let u = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    ((a.0 + u * dx - p.0).powi(2) + (a.1 + u * dy - p.1).powi(2)).sqrt()
}

/// A number as the figures print it: the minus sign as Unicode.
fn number(v: f64) -> String {
    format!("{v}").replace('-', "−")
}

/// The s-t graph that [`cut_graph`] builds for the worked 3 x 3 example,
/// solved by its max-flow: every arc of non-zero capacity with that capacity,
/// each pixel on the side of the minimum cut where the flow left it, the arcs
/// the cut severs in red.
fn cut_diagram() -> String {
    let (y, p) = worked_example().expect("the worked example is valid");
    let (rows, cols) = y.dim();
    let (mut graph, constant) =
        cut_graph(field(y.view(), &p).view(), p.beta()).expect("the example's graph exists");
    let flow = graph.max_flow();
    let (edges, terminals) = graph.capacities();
    let source_side: Vec<bool> = (0..rows * cols)
        .map(|i| graph.in_source_set(i).expect("a node of the graph"))
        .collect();
    let cut = graph.cut_value(&source_side).expect("one side per node");
    // pixel (r, c) on a slanted plane, s and t placed so that no terminal
    // arc of this example passes within 25 pixels of another node
    let node = |i: usize| {
        let (r, c) = ((i / cols) as f64, (i % cols) as f64);
        (100.0 + c * 150.0 + r * 50.0, 130.0 + r * 100.0)
    };
    let (s, t) = ((200.0, 30.0), (250.0, 430.0));
    let radius = 17.0;
    let cut_style = Style::outline(ACCENT[1], 2.6);
    let terminal_style = Style::outline("#777777", 1.2);
    let pair_style = Style::outline(INK, 1.4);
    // every arc: from, to, capacity, severed by the cut, is a terminal arc
    let mut arcs = Vec::new();
    for (i, &(from_s, to_t)) in terminals.iter().enumerate() {
        if from_s > 0.0 {
            arcs.push((s, node(i), from_s, !source_side[i], true));
        }
        if to_t > 0.0 {
            arcs.push((node(i), t, to_t, source_side[i], true));
        }
    }
    for &(i, j, cap, rev_cap) in &edges {
        // of the two arcs, the one from the source side to the sink side is the one cut
        let (from, to, c) = if source_side[i] {
            (i, j, cap)
        } else {
            (j, i, rev_cap)
        };
        arcs.push((
            node(from),
            node(to),
            c,
            source_side[i] != source_side[j],
            false,
        ));
    }
    let mut canvas = Canvas::new(720.0, 470.0);
    for &(a, b, _, severed, terminal) in &arcs {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l = (dx * dx + dy * dy).sqrt();
        let (ux, uy) = (dx / l, dy / l);
        let start = if a == s { 20.0 } else { radius + 1.0 };
        let stop = if b == t { 20.0 } else { radius + 1.0 };
        let (x1, y1, x2, y2) = (
            a.0 + start * ux,
            a.1 + start * uy,
            b.0 - stop * ux,
            b.1 - stop * uy,
        );
        if severed {
            canvas.arrow(x1, y1, x2, y2, &cut_style);
        } else if terminal {
            canvas.arrow(x1, y1, x2, y2, &terminal_style);
        } else {
            canvas.line(a.0, a.1, b.0, b.1, &pair_style);
        }
    }
    // each capacity at the point of its arc farthest from the other arcs,
    // the nodes and the labels placed before it
    let nodes: Vec<(f64, f64)> = (0..rows * cols).map(node).chain([s, t]).collect();
    let mut placed: Vec<(f64, f64)> = Vec::new();
    for (k, &(a, b, capacity, severed, _)) in arcs.iter().enumerate() {
        let mut best = (f64::NEG_INFINITY, a);
        for f in [0.5, 0.42, 0.58, 0.35, 0.65, 0.3, 0.7] {
            let q = (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1));
            let mut score = f64::INFINITY;
            for (m, &(c, d, ..)) in arcs.iter().enumerate() {
                if m != k {
                    score = score.min(segment_distance(q, c, d));
                }
            }
            for &n in &nodes {
                score = score.min(segment_distance(q, n, n) - radius);
            }
            for &l in &placed {
                score = score.min(segment_distance(q, l, l) - 12.0);
            }
            if score > best.0 {
                best = (score, q);
            }
        }
        let (x, yy) = best.1;
        placed.push(best.1);
        let text = number(capacity);
        let w = 7.0 * text.chars().count() as f64 + 6.0;
        let mut bg = Style::filled("white");
        bg.stroke = "none".into();
        canvas.rect(x - w / 2.0, yy - 8.5, w, 15.0, &bg);
        let colour = if severed { ACCENT[1] } else { INK };
        canvas.text_colored(x, yy + 4.0, &text, 12.0, Anchor::Middle, colour);
    }
    for (i, &source) in source_side.iter().enumerate() {
        let (x, yy) = node(i);
        let fill = if source { ACCENT[0] } else { "white" };
        canvas.circle(x, yy, radius, &Style::filled(fill));
        let label = if y[(i / cols, i % cols)] == 1 {
            "+1"
        } else {
            "−1"
        };
        let colour = if source { "white" } else { INK };
        canvas.text_colored(x, yy + 4.5, label, 12.0, Anchor::Middle, colour);
    }
    for ((x, yy), name) in [(s, "s"), (t, "t")] {
        canvas.circle(x, yy, 19.0, &Style::filled(TINT[3]));
        canvas.text(x, yy + 5.5, name, 16.0, Anchor::Middle);
    }
    // legend
    let lx = 560.0;
    canvas.circle(lx, 70.0, 11.0, &Style::filled(ACCENT[0]));
    canvas.text(
        lx + 18.0,
        74.0,
        "source side, x_{i} = +1",
        12.0,
        Anchor::Start,
    );
    canvas.circle(lx, 102.0, 11.0, &Style::filled("white"));
    canvas.text(
        lx + 18.0,
        106.0,
        "sink side, x_{i} = −1",
        12.0,
        Anchor::Start,
    );
    canvas.line(lx - 12.0, 134.0, lx + 10.0, 134.0, &cut_style);
    canvas.text(lx + 18.0, 138.0, "arc in the cut", 12.0, Anchor::Start);
    canvas.text(lx - 12.0, 170.0, "in each node: y_{i}", 12.0, Anchor::Start);
    canvas.text(
        lx - 12.0,
        380.0,
        &format!("max flow = {}", number(flow)),
        12.0,
        Anchor::Start,
    );
    canvas.text(
        lx - 12.0,
        400.0,
        &format!("cut = {}", number(cut)),
        12.0,
        Anchor::Start,
    );
    canvas.text(
        lx - 12.0,
        420.0,
        &format!("E = cut + K = {}", number(cut + constant)),
        12.0,
        Anchor::Start,
    );
    canvas.finish(
        "The s-t graph of the 3 by 3 example: a source s above and a sink t below the nine pixel nodes; arcs from s to the pixels observed as ink, arcs to t from the pixels observed as paper, arcs between neighbours; the minimum cut separates the three pixels of the top-left corner, on the source side, from the rest, and severs the arcs drawn in red.",
    )
}

/// The worked 3 x 3 example in four panels, every value from the crate: the
/// observation y, the local differences at x = y (the pixels where one flip
/// lowers the energy tinted), ICM's result and the exact MAP, each pixel that
/// differs from y outlined, with the energies.
fn worked_diagram() -> String {
    let (y, p) = worked_example().expect("the worked example is valid");
    let (rows, cols) = y.dim();
    let by_icm = icm(y.view(), &p, 100).expect("ICM ends on a 3 x 3 image");
    let map = map_graph_cut(y.view(), &p).expect("the example's cut exists");
    let e = |x: &Array2<i8>| energy(x.view(), y.view(), &p).expect("one shape");
    let (cell, gap, top) = (44.0, 56.0, 30.0);
    let width = 4.0 * cols as f64 * cell + 3.0 * gap + 40.0;
    let mut canvas = Canvas::new(width, top + rows as f64 * cell + 62.0);
    let ink = |x: &Array2<i8>| {
        let x = x.clone();
        move |r: usize, c: usize| {
            if x[(r, c)] == 1 {
                "#444444".to_string()
            } else {
                "white".to_string()
            }
        }
    };
    let none = |_: usize, _: usize| String::new();
    let panels: [(&str, Option<&Array2<i8>>); 4] = [
        ("observation y", Some(&y)),
        ("Δ_{m} at x = y", None),
        ("ICM, raster order", Some(&by_icm.x)),
        ("exact MAP (min cut)", Some(&map.x)),
    ];
    for (k, (title, image)) in panels.iter().enumerate() {
        let x0 = 20.0 + k as f64 * (cols as f64 * cell + gap);
        let centre = x0 + cols as f64 * cell / 2.0;
        canvas.text(centre, top - 10.0, title, 13.0, Anchor::Middle);
        match image {
            Some(x) => {
                canvas.grid(x0, top, rows, cols, cell, ink(x), none);
                for ((r, c), &v) in x.indexed_iter() {
                    if v != y[(r, c)] {
                        let inset = 3.0;
                        canvas.rect(
                            x0 + c as f64 * cell + inset,
                            top + r as f64 * cell + inset,
                            cell - 2.0 * inset,
                            cell - 2.0 * inset,
                            &Style::outline(ACCENT[1], 3.0),
                        );
                    }
                }
                let energy_label = format!("E = {}", number(e(x)));
                canvas.text(
                    centre,
                    top + rows as f64 * cell + 22.0,
                    &energy_label,
                    13.0,
                    Anchor::Middle,
                );
            }
            None => {
                let fill = |r: usize, c: usize| {
                    let gain = flip_diff(y.view(), y.view(), &p, (r, c)).expect("a pixel");
                    if gain < 0.0 { TINT[1] } else { "white" }.to_string()
                };
                let label = |r: usize, c: usize| {
                    number(local_diff(y.view(), y.view(), &p, (r, c)).expect("a pixel"))
                };
                canvas.grid(x0, top, rows, cols, cell, fill, label);
                canvas.text(
                    centre,
                    top + rows as f64 * cell + 22.0,
                    "tinted: one flip lowers E",
                    12.0,
                    Anchor::Middle,
                );
            }
        }
    }
    canvas.text(
        20.0,
        top + rows as f64 * cell + 50.0,
        &format!(
            "α = {}, β = {}, η = {}; outlined: pixels that differ from y",
            number(p.alpha()),
            number(p.beta()),
            number(p.eta())
        ),
        12.0,
        Anchor::Start,
    );
    canvas.finish(
        "Four 3 by 3 grids: the observation y, a corner of ink with its centre and right-hand pixel flipped; the local difference of every pixel, three of them tinted where one flip lowers the energy; ICM's result, the top two rows in ink; and the exact MAP, the clean corner of three ink pixels.",
    )
}

fn png(name: &str, pixels: &Array2<f64>) -> Figure {
    Figure {
        path: format!("figures/ising/{name}.png"),
        bytes: grayscale_png(pixels.view(), 2),
    }
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let d = figure_8_30().expect("figure 8.30 uses valid constants");
    let [a_icm, a_cut, a_mpm] = accuracy_against_beta(&d).expect("figure 8.30's images are valid");
    let plot = Plot {
        title: "Pixels restored against the coupling β (η = 2.1, α = 0)".to_string(),
        x_label: "β".to_string(),
        y_label: "fraction of pixels equal to the clean image".to_string(),
        log_x: false,
        log_y: false,
        series: vec![
            Series::line("graph cut (exact MAP)", a_cut),
            Series::line("ICM", a_icm),
            Series::dots("maximum posterior marginal (Gibbs)", a_mpm),
        ],
    };
    vec![
        Figure::svg("figures/ising/mrf.svg", mrf_diagram()),
        Figure::svg("figures/ising/cut-graph.svg", cut_diagram()),
        Figure::svg("figures/ising/worked.svg", worked_diagram()),
        png("original", &to_gray(d.x.view())),
        png("noisy", &to_gray(d.y.view())),
        png("icm", &to_gray(d.icm.view())),
        png("graph-cut", &to_gray(d.cut.view())),
        // ink black: the gray level is the probability of paper, 1 - p(x_m = +1 | y)
        png("marginals", &d.marginals.mapv(|p| 1.0 - p)),
        png("mpm", &to_gray(d.mpm.view())),
        Figure::svg("figures/ising/accuracy-beta.svg", plot.to_svg()),
    ]
}

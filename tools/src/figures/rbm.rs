//! The figures of the RBM chapter: the graph of a machine and why its hidden
//! units are independent given the visible ones (both drawn from the edges
//! that `Rbm::edges` and `Rbm::shared_visible` return), training curves on
//! bars and stripes, the most probable images of each trained machine, and
//! the Gibbs chain's distance from the exact joint.

use ndarray::Array2;

use verified_dl::rbm::bars_stripes::bars_and_stripes;
use verified_dl::rbm::chain::{
    chain_total_variation, gibbs_demo_rbm, GIBBS_BURN_IN, GIBBS_CHAIN_SEED,
};
use verified_dl::rbm::exact::state;
use verified_dl::rbm::examples::diagram_rbm;
use verified_dl::rbm::experiment::{bas_runs, most_probable, BAS_EPOCHS, BAS_HIDDEN};
use verified_dl::rbm::model::Rbm;

use super::draw::{Anchor, Canvas, Style, ACCENT, GRID, INK, PAPER, TINT};
use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

/// Draws rows of `side` x `side` images (one image a row of `images`, pixel
/// (r, c) at column r * side + c), on pixels black, separated by gray lines.
fn image_grid(rows: &[Array2<f64>], side: usize) -> Array2<f64> {
    let columns = rows.iter().map(|r| r.nrows()).max().unwrap_or(0);
    let cell = side + 1;
    let mut canvas = Array2::from_elem((rows.len() * cell + 1, columns * cell + 1), 0.75);
    for (row, images) in rows.iter().enumerate() {
        for (col, image) in images.outer_iter().enumerate() {
            for r in 0..side {
                for c in 0..side {
                    canvas[(row * cell + 1 + r, col * cell + 1 + c)] = 1.0 - image[r * side + c];
                }
            }
        }
    }
    canvas
}

/// The total-variation distance of the Gibbs chain (and of the chain with the
/// source's stray constant) from the exact joint against the number of sweeps.
fn gibbs_figure() -> Figure {
    let rbm = gibbs_demo_rbm();
    let stray = Rbm::new(
        rbm.w().to_owned(),
        ndarray::Array1::ones(rbm.n_h()),
        rbm.visible_bias().to_owned(),
    )
    .expect("finite parameters");
    // 100, 200, 500, 1000, ..., 100 000 sweeps: prefixes of one chain.
    let checkpoints: Vec<usize> = (2..=5)
        .flat_map(|e| [1, 2, 5].map(|m| m * 10usize.pow(e - 1)))
        .chain([100_000])
        .collect();
    let curve = |sampler: &Rbm| -> Vec<(f64, f64)> {
        let tv =
            chain_total_variation(sampler, &rbm, GIBBS_BURN_IN, &checkpoints, GIBBS_CHAIN_SEED)
                .expect("valid checkpoints");
        checkpoints.iter().map(|&n| n as f64).zip(tv).collect()
    };
    let states = (1usize << (rbm.n_v() + rbm.n_h())) as f64;
    let bound = checkpoints
        .iter()
        .map(|&n| (n as f64, 0.5 * (states / n as f64).sqrt()))
        .collect();
    let plot = Plot {
        title: "Block Gibbs sampling on an RBM with 3 visible and 2 hidden units".to_string(),
        x_label: "sweeps counted, N".to_string(),
        y_label: "total-variation distance from p(v, h)".to_string(),
        log_x: true,
        log_y: true,
        series: vec![
            Series::line("Gibbs chain", curve(&rbm)),
            Series::line("chain with a replaced by 1 (the source)", curve(&stray)),
            Series::line("½√(32/N), independent draws", bound),
        ],
    };
    Figure::svg("figures/rbm/gibbs-tv.svg", plot.to_svg())
}

/// Radius of a unit's circle in the graph diagrams.
const UNIT_R: f64 = 19.0;
/// Height of the hidden and of the visible row in the graph diagrams.
const HIDDEN_Y: f64 = 62.0;
const VISIBLE_Y: f64 = 202.0;
/// Horizontal distance between the centres of two units of a row.
const UNIT_GAP: f64 = 96.0;

/// The centres of the units of a row of `n`, centred on `mid`.
fn row_positions(n: usize, mid: f64) -> Vec<f64> {
    (0..n)
        .map(|u| mid + (u as f64 - (n as f64 - 1.0) / 2.0) * UNIT_GAP)
        .collect()
}

/// A line between the rims of two circles of radius [`UNIT_R`].
fn rim_to_rim(canvas: &mut Canvas, (x1, y1): (f64, f64), (x2, y2): (f64, f64), style: &Style) {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let length = (dx * dx + dy * dy).sqrt();
    let (ux, uy) = (dx / length, dy / length);
    canvas.line(
        x1 + UNIT_R * ux,
        y1 + UNIT_R * uy,
        x2 - UNIT_R * ux,
        y2 - UNIT_R * uy,
        style,
    );
}

/// A unit: a circle with its name inside.
fn unit(canvas: &mut Canvas, x: f64, y: f64, name: &str, fill: &str) {
    canvas.circle(x, y, UNIT_R, &Style::filled(fill));
    canvas.text(x, y + 5.0, name, 15.0, Anchor::Middle);
}

/// The bipartite graph of the diagram machine, an edge for each nonzero
/// W_ij (blue for a positive weight, red for a negative one, wider for a
/// larger one), next to its weight matrix with the zero entries marked.
fn graph_figure() -> Figure {
    let rbm = diagram_rbm().expect("the diagram machine has valid parameters");
    let (n_v, n_h) = (rbm.n_v(), rbm.n_h());
    let mid = 210.0;
    let (hx, vx) = (row_positions(n_h, mid), row_positions(n_v, mid));
    let mut c = Canvas::new(660.0, 290.0);
    c.text(22.0, HIDDEN_Y + 5.0, "h", 15.0, Anchor::Start);
    c.text(22.0, VISIBLE_Y + 5.0, "v", 15.0, Anchor::Start);
    for e in rbm.edges() {
        let color = if e.weight > 0.0 { ACCENT[0] } else { ACCENT[1] };
        rim_to_rim(
            &mut c,
            (vx[e.visible], VISIBLE_Y),
            (hx[e.hidden], HIDDEN_Y),
            &Style::outline(color, 0.8 + 1.2 * e.weight.abs()),
        );
    }
    for (j, &x) in hx.iter().enumerate() {
        unit(&mut c, x, HIDDEN_Y, &format!("h_{}", j + 1), "white");
    }
    for (i, &x) in vx.iter().enumerate() {
        unit(&mut c, x, VISIBLE_Y, &format!("v_{}", i + 1), "white");
    }
    c.text(
        mid,
        20.0,
        "hidden layer: no edge between two h_j",
        13.0,
        Anchor::Middle,
    );
    c.text(
        mid,
        250.0,
        "visible layer: no edge between two v_i",
        13.0,
        Anchor::Middle,
    );
    // The weight matrix, a row per visible unit, a column per hidden unit.
    let (gx, gy, cell) = (478.0, 62.0, 40.0);
    let w = rbm.w();
    c.text(
        gx + cell * n_h as f64 / 2.0,
        38.0,
        "W",
        15.0,
        Anchor::Middle,
    );
    for j in 0..n_h {
        c.text(
            gx + (j as f64 + 0.5) * cell,
            gy - 10.0,
            &format!("h_{}", j + 1),
            13.0,
            Anchor::Middle,
        );
    }
    for i in 0..n_v {
        c.text(
            gx - 10.0,
            gy + (i as f64 + 0.5) * cell + 5.0,
            &format!("v_{}", i + 1),
            13.0,
            Anchor::End,
        );
    }
    c.grid(
        gx,
        gy,
        n_v,
        n_h,
        cell,
        |i, j| match w[(i, j)] {
            x if x > 0.0 => TINT[0].to_string(),
            x if x < 0.0 => TINT[1].to_string(),
            _ => PAPER.to_string(),
        },
        |i, j| format!("{}", w[(i, j)]).replace('-', "−"),
    );
    c.text(
        gx + cell * n_h as f64 / 2.0,
        gy + cell * n_v as f64 + 22.0,
        "W_{ij} = 0: no edge",
        13.0,
        Anchor::Middle,
    );
    let legend_y = gy + cell * n_v as f64 + 44.0;
    c.text_colored(
        gx - 30.0,
        legend_y,
        "W_{ij} > 0",
        13.0,
        Anchor::Start,
        ACCENT[0],
    );
    c.text_colored(
        gx + cell * n_h as f64 + 14.0,
        legend_y,
        "W_{ij} < 0",
        13.0,
        Anchor::End,
        ACCENT[1],
    );
    Figure::svg(
        "figures/rbm/graph.svg",
        c.finish("The graph of an RBM with 4 visible and 3 hidden units and its weight matrix"),
    )
}

/// Why h_1 and h_2 are independent given v: the visible units are observed
/// (shaded), and every path between the two hidden units, h_1 - v_i - h_2
/// for the visible units `shared_visible` returns, passes through one of them.
fn independence_figure() -> Figure {
    let rbm = diagram_rbm().expect("the diagram machine has valid parameters");
    let (n_v, n_h) = (rbm.n_v(), rbm.n_h());
    let (j, k) = (0, 1);
    let shared = rbm
        .shared_visible(j, k)
        .expect("two hidden units of the machine");
    let mid = 210.0;
    let (hx, vx) = (row_positions(n_h, mid), row_positions(n_v, mid));
    let mut c = Canvas::new(660.0, 262.0);
    c.text(22.0, HIDDEN_Y + 5.0, "h", 15.0, Anchor::Start);
    c.text(22.0, VISIBLE_Y + 5.0, "v", 15.0, Anchor::Start);
    let path = Style::outline(ACCENT[3], 3.0);
    for e in rbm.edges() {
        let on_path = shared.contains(&e.visible) && (e.hidden == j || e.hidden == k);
        let style = if on_path {
            path.clone()
        } else {
            Style::outline(GRID, 1.2)
        };
        rim_to_rim(
            &mut c,
            (vx[e.visible], VISIBLE_Y),
            (hx[e.hidden], HIDDEN_Y),
            &style,
        );
    }
    // The edge the graph does not have.
    let no_edge = Style::outline(INK, 1.2).dashed("5 4");
    rim_to_rim(&mut c, (hx[j], HIDDEN_Y), (hx[k], HIDDEN_Y), &no_edge);
    let (cx, cy) = ((hx[j] + hx[k]) / 2.0, HIDDEN_Y);
    let cross = Style::outline(ACCENT[1], 2.0);
    c.line(cx - 7.0, cy - 7.0, cx + 7.0, cy + 7.0, &cross);
    c.line(cx - 7.0, cy + 7.0, cx + 7.0, cy - 7.0, &cross);
    c.text(cx, cy - 14.0, "no edge", 12.0, Anchor::Middle);
    for (u, &x) in hx.iter().enumerate() {
        let fill = if u == j || u == k { TINT[3] } else { "white" };
        unit(&mut c, x, HIDDEN_Y, &format!("h_{}", u + 1), fill);
    }
    for (i, &x) in vx.iter().enumerate() {
        unit(&mut c, x, VISIBLE_Y, &format!("v_{}", i + 1), "#9a9a9a");
    }
    c.text(
        mid,
        250.0,
        "observed: v is given (shaded)",
        13.0,
        Anchor::Middle,
    );
    // The paths, listed.
    let lx = 440.0;
    c.text(lx, 70.0, "every path from h_1 to h_2:", 13.0, Anchor::Start);
    for (n, &i) in shared.iter().enumerate() {
        c.line(
            lx,
            96.0 + 24.0 * n as f64,
            lx + 26.0,
            96.0 + 24.0 * n as f64,
            &path,
        );
        c.text(
            lx + 34.0,
            100.0 + 24.0 * n as f64,
            &format!("h_1 − v_{} − h_2", i + 1),
            13.0,
            Anchor::Start,
        );
    }
    let below = 100.0 + 24.0 * shared.len() as f64 + 12.0;
    c.text(lx, below, "each passes through an", 13.0, Anchor::Start);
    c.text(
        lx,
        below + 18.0,
        "observed v_i, so given v",
        13.0,
        Anchor::Start,
    );
    c.text(
        lx,
        below + 36.0,
        "h_1 and h_2 are independent",
        13.0,
        Anchor::Start,
    );
    Figure::svg(
        "figures/rbm/independence.svg",
        c.finish("Given the visible units, every path between two hidden units is blocked"),
    )
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let runs = bas_runs().expect("the bars-and-stripes runs use valid settings");
    let data = bars_and_stripes(4).expect("side 4 is valid");
    let mut rows = vec![data.clone()];
    for (_, run) in &runs {
        let top = most_probable(&run.rbm, data.nrows()).expect("16 visible units enumerate");
        let mut images = Array2::zeros((top.len(), 16));
        for (n, &k) in top.iter().enumerate() {
            images
                .row_mut(n)
                .assign(&state(k, 16).expect("16 units and a state number below 2^16"));
        }
        rows.push(images);
    }
    let images = Figure {
        path: "figures/rbm/bas-most-probable.png".to_string(),
        bytes: grayscale_png(image_grid(&rows, 4).view(), 6),
    };
    let mut series: Vec<Series> = runs
        .iter()
        .map(|(e, run)| {
            let points = run
                .log_likelihood
                .iter()
                .enumerate()
                .map(|(epoch, &ll)| (epoch as f64, ll))
                .collect();
            Series::line(&e.name(), points)
        })
        .collect();
    let best = -(30f64.ln());
    series.push(Series::line(
        "best possible, −ln 30",
        vec![(0.0, best), (BAS_EPOCHS as f64, best)],
    ));
    let plot = Plot {
        title: format!("RBM with {BAS_HIDDEN} hidden units on 4×4 bars and stripes"),
        x_label: "epoch (one full-batch step)".to_string(),
        y_label: "exact average log-likelihood (nats)".to_string(),
        series,
        ..Plot::default()
    };
    vec![
        graph_figure(),
        independence_figure(),
        Figure::svg("figures/rbm/bas-training.svg", plot.to_svg()),
        images,
        gibbs_figure(),
    ]
}

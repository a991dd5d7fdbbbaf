//! The figures of the convolution chapter: the training curves, the learned
//! filters and sample images of the training run.

use ndarray::{Array2, Axis};

use verified_dl::conv::experiment::{task_data, training_run, EPOCHS};
use verified_dl::conv::train::Epoch;

use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

/// Lays images side by side, each scaled to [0, 1] by its own range, with a
/// one-pixel white gap between them.
fn tile(images: &[Array2<f64>]) -> Array2<f64> {
    let h = images.iter().map(|x| x.nrows()).max().unwrap_or(0);
    let w: usize = images
        .iter()
        .map(|x| x.ncols() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    let mut out = Array2::from_elem((h, w), 1.0);
    let mut col = 0;
    for x in images {
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let span = (hi - lo).max(1e-12);
        for ((r, c), &v) in x.indexed_iter() {
            out[[r, col + c]] = (v - lo) / span;
        }
        col += x.ncols() + 1;
    }
    out
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let (net, history) = training_run(EPOCHS).expect("the training run's sizes are valid");
    let curve = |f: fn(&Epoch) -> f64| {
        history
            .iter()
            .enumerate()
            .map(|(e, h)| ((e + 1) as f64, f(h)))
            .collect::<Vec<_>>()
    };
    let loss = Plot {
        title: "SGD on the bars task: mean cross-entropy and held-out error rate".into(),
        x_label: "epoch".into(),
        y_label: "loss (nats) / error rate".into(),
        log_y: true,
        series: vec![
            Series::line("training loss", curve(|h| h.train_loss)),
            Series::line("held-out loss", curve(|h| h.test_loss)),
            Series::dots("held-out error rate", curve(|h| 1.0 - h.test_accuracy)),
        ],
        ..Plot::default()
    };
    let filters: Vec<Array2<f64>> = net.w().axis_iter(Axis(0)).map(|w| w.to_owned()).collect();
    let (_, test_set) = task_data().expect("the task's sizes are valid");
    let samples: Vec<Array2<f64>> = (0..6).map(|j| test_set[j].x.clone()).collect();
    let mut figures = vec![
        Figure::svg("figures/conv/loss.svg", loss.to_svg()),
        Figure {
            path: "figures/conv/filters.png".into(),
            bytes: grayscale_png(tile(&filters).view(), 24),
        },
        Figure {
            path: "figures/conv/samples.png".into(),
            bytes: grayscale_png(tile(&samples).view(), 8),
        },
    ];
    figures.extend(diagrams());
    figures
}

// ---------------------------------------------------------------------------
// Diagrams: every structure they show (windows, winners, index maps) is asked
// of the crate's kernels, never retyped here.

use ndarray::Array3;
use verified_dl::conv::convolution::{conv_backward_x, dilate, rot180};
use verified_dl::conv::dense::flat_index;
use verified_dl::conv::exercises::avg_pool_backward;
use verified_dl::conv::fast::im2col;
use verified_dl::conv::pooling::{max_pool_backward, max_pool_forward};
use verified_dl::conv::size::{Conv, Pool};

use super::draw::{Anchor, Canvas, Style, ACCENT, INK, PAPER, TINT};

/// Side of a cell of the diagrams' grids, in pixels.
const CELL: f64 = 28.0;
/// Font size of the diagrams' captions inside the picture.
const LABEL: f64 = 13.0;

/// The input entries (0-based) that output entry (m, n) of a convolution of a
/// d x d input reads: the support of dL/dX for dL/dY = 1 at (m, n) and a
/// filter of ones, computed by the crate's backward pass.
fn window_cells(d: usize, conv: Conv, m: usize, n: usize) -> Vec<(usize, usize)> {
    let out = conv.out_size(d).expect("the diagram's sizes are valid");
    let k = conv.k();
    let w = Array3::from_elem((1, k, k), 1.0);
    let mut g = Array3::zeros((1, out, out));
    g[[0, m, n]] = 1.0;
    let dx = conv_backward_x(w.view(), g.view(), (d, d), conv).expect("valid sizes");
    dx.indexed_iter()
        .filter(|&(_, &v)| v != 0.0)
        .map(|(i, _)| i)
        .collect()
}

/// The bounding box (first row, first col, last row, last col) of cells.
fn bbox(cells: &[(usize, usize)]) -> (usize, usize, usize, usize) {
    let r0 = cells.iter().map(|c| c.0).min().unwrap_or(0);
    let c0 = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let r1 = cells.iter().map(|c| c.0).max().unwrap_or(0);
    let c1 = cells.iter().map(|c| c.1).max().unwrap_or(0);
    (r0, c0, r1, c1)
}

/// An outline around the cells of a bounding box of a grid at (x, y), inset by `inset`.
fn outline_box(
    canvas: &mut Canvas,
    (x, y): (f64, f64),
    (r0, c0, r1, c1): (usize, usize, usize, usize),
    inset: f64,
    color: &str,
) {
    canvas.rect(
        x + c0 as f64 * CELL + inset,
        y + r0 as f64 * CELL + inset,
        (c1 - c0 + 1) as f64 * CELL - 2.0 * inset,
        (r1 - r0 + 1) as f64 * CELL - 2.0 * inset,
        &Style::outline(color, 2.5),
    );
}

/// The windows of a 5 x 5 input under a 3 x 3 filter at strides 1 and 2.
fn windows_diagram() -> Figure {
    let d = 5;
    let mut canvas = Canvas::new(660.0, 250.0);
    for (panel, s) in [1usize, 2].into_iter().enumerate() {
        let conv = Conv::new(3, s).expect("valid");
        let m = conv.out_size(d).expect("valid");
        let x0 = 20.0 + panel as f64 * 330.0;
        let y0 = 48.0;
        let first = window_cells(d, conv, 0, 0);
        let second = window_cells(d, conv, 0, 1);
        let title = format!("s = {s}:  M = ⌊(5 − 3)/{s}⌋ + 1 = {m}");
        canvas.text(x0, 24.0, &title, LABEL + 1.0, Anchor::Start);
        canvas.grid(
            x0,
            y0,
            d,
            d,
            CELL,
            |r, c| {
                let (a, b) = (first.contains(&(r, c)), second.contains(&(r, c)));
                match (a, b) {
                    (true, true) => TINT[4].into(),
                    (true, false) => TINT[0].into(),
                    (false, true) => TINT[1].into(),
                    _ => "white".into(),
                }
            },
            |r, c| format!("X_{{{}{}}}", r + 1, c + 1),
        );
        outline_box(&mut canvas, (x0, y0), bbox(&first), 2.0, ACCENT[0]);
        outline_box(&mut canvas, (x0, y0), bbox(&second), 5.0, ACCENT[1]);
        canvas.text(
            x0 + d as f64 * CELL / 2.0,
            y0 + d as f64 * CELL + 20.0,
            "input X, d = 5",
            LABEL,
            Anchor::Middle,
        );
        // the output map, its first two entries in the windows' colours
        let ox = x0 + d as f64 * CELL + 60.0;
        let oy = y0 + (d - m) as f64 * CELL / 2.0;
        canvas.arrow(
            x0 + d as f64 * CELL + 10.0,
            y0 + d as f64 * CELL / 2.0,
            ox - 8.0,
            y0 + d as f64 * CELL / 2.0,
            &Style::outline(INK, 1.2),
        );
        canvas.grid(
            ox,
            oy,
            m,
            m,
            CELL,
            |r, c| match (r, c) {
                (0, 0) => TINT[0].into(),
                (0, 1) => TINT[1].into(),
                _ => "white".into(),
            },
            |r, c| format!("Y_{{{}{}}}", r + 1, c + 1),
        );
        canvas.text(
            ox + m as f64 * CELL / 2.0,
            y0 + d as f64 * CELL + 20.0,
            &format!("output Y, {m} × {m}"),
            LABEL,
            Anchor::Middle,
        );
    }
    canvas.text(
        330.0,
        236.0,
        "k = 3: blue, the window of Y_{11}; red, the window of Y_{12}; purple, entries both read",
        LABEL - 1.0,
        Anchor::Middle,
    );
    Figure::svg(
        "figures/conv/windows.svg",
        canvas.finish("The 3 by 3 windows of the first two output entries on a 5 by 5 input, at stride 1 and at stride 2"),
    )
}

/// dL/dX of a strided convolution as a full correlation: d = 5, k = 3, s = 2.
fn dx_full_diagram() -> Figure {
    let (d, k, s) = (5usize, 3usize, 2usize);
    let conv = Conv::new(k, s).expect("valid");
    let m = conv.out_size(d).expect("valid");
    // G carries the codes 1..=M^2 of its entries; dilation places them
    let codes = Array2::from_shape_fn((m, m), |(i, j)| (i * m + j + 1) as f64);
    let dilated = dilate(codes.view(), s).expect("valid");
    let side = dilated.nrows();
    let padded = side + 2 * (k - 1);
    // the filter's codes a k + b + 1, turned by the crate's rot180
    let w_codes = Array2::from_shape_fn((k, k), |(a, b)| (a * k + b + 1) as f64);
    let flipped = rot180(w_codes.view());
    let w_label = |code: f64| {
        let c = code as usize - 1;
        format!("W_{{{}{}}}", c / k + 1, c % k + 1)
    };
    let g_label = |code: f64| {
        let c = code as usize - 1;
        format!("G_{{{}{}}}", c / m + 1, c % m + 1)
    };
    let mut canvas = Canvas::new(680.0, 266.0);
    let y0 = 56.0;
    // G
    let gx = 20.0;
    canvas.text(
        gx,
        y0 + 2.0 * CELL - 10.0,
        "G = ∂L/∂Y",
        LABEL,
        Anchor::Start,
    );
    canvas.grid(
        gx,
        y0 + 2.0 * CELL,
        m,
        m,
        CELL,
        |_, _| TINT[0].into(),
        |r, c| g_label(codes[[r, c]]),
    );
    canvas.arrow(
        gx + m as f64 * CELL + 8.0,
        y0 + 3.5 * CELL,
        gx + m as f64 * CELL + 60.0,
        y0 + 3.5 * CELL,
        &Style::outline(INK, 1.2),
    );
    canvas.text(
        gx + m as f64 * CELL + 34.0,
        y0 + 3.5 * CELL - 8.0,
        "dilate",
        LABEL - 1.0,
        Anchor::Middle,
    );
    // the dilated gradient, padded with k - 1 zeros
    let px = 150.0;
    canvas.text(px, 26.0, "D: G dilated to stride 2,", LABEL, Anchor::Start);
    canvas.text(
        px,
        44.0,
        "padded with k − 1 = 2 zeros",
        LABEL,
        Anchor::Start,
    );
    canvas.grid(
        px,
        y0,
        padded,
        padded,
        CELL,
        |r, c| {
            let inside = (k - 1..k - 1 + side).contains(&r) && (k - 1..k - 1 + side).contains(&c);
            if inside && dilated[[r - (k - 1), c - (k - 1)]] != 0.0 {
                TINT[0].into()
            } else if inside {
                "white".into()
            } else {
                PAPER.into()
            }
        },
        |r, c| {
            let inside = (k - 1..k - 1 + side).contains(&r) && (k - 1..k - 1 + side).contains(&c);
            let v = if inside {
                dilated[[r - (k - 1), c - (k - 1)]]
            } else {
                0.0
            };
            if v != 0.0 {
                g_label(v)
            } else {
                "0".into()
            }
        },
    );
    // the window that makes dL/dX_{33}: padded rows and columns 3..5 (1-based)
    let (u, v) = (2usize, 2usize);
    outline_box(
        &mut canvas,
        (px, y0),
        (u, v, u + k - 1, v + k - 1),
        2.0,
        ACCENT[1],
    );
    // the flipped filter
    let fx = 395.0;
    canvas.text(fx, 44.0, "W", LABEL, Anchor::Start);
    canvas.grid(
        fx,
        y0,
        k,
        k,
        CELL,
        |_, _| "white".into(),
        |r, c| w_label(w_codes[[r, c]]),
    );
    canvas.arrow(
        fx + k as f64 * CELL + 8.0,
        y0 + 1.5 * CELL,
        fx + k as f64 * CELL + 62.0,
        y0 + 1.5 * CELL,
        &Style::outline(INK, 1.2),
    );
    canvas.text(
        fx + k as f64 * CELL + 35.0,
        y0 + 1.5 * CELL - 8.0,
        "rot 180°",
        LABEL - 1.0,
        Anchor::Middle,
    );
    let rx = fx + k as f64 * CELL + 72.0;
    canvas.text(rx, 44.0, "W̃ = rot_{180} W", LABEL, Anchor::Start);
    canvas.grid(
        rx,
        y0,
        k,
        k,
        CELL,
        |_, _| TINT[1].into(),
        |r, c| w_label(flipped[[r, c]]),
    );
    // the terms of dL/dX_{33}: which W entry each G entry meets, by the crate's loops
    let mut terms = Vec::new();
    for i in 0..m {
        for j in 0..m {
            let mut g = Array3::zeros((1, m, m));
            g[[0, i, j]] = 1.0;
            let w3 = w_codes.clone().insert_axis(ndarray::Axis(0));
            let dx = conv_backward_x(w3.view(), g.view(), (d, d), conv).expect("valid");
            let code = dx[[u, v]];
            if code != 0.0 {
                terms.push(format!("{} {}", g_label(codes[[i, j]]), w_label(code)));
            }
        }
    }
    let ty = y0 + k as f64 * CELL + 40.0;
    canvas.text(
        fx,
        ty,
        "the red window gives ∂L/∂X_{33}:",
        LABEL,
        Anchor::Start,
    );
    for (line, chunk) in terms.chunks(2).enumerate() {
        let sep = if line == 0 { "= " } else { "+ " };
        canvas.text(
            fx + 12.0,
            ty + 24.0 * (line as f64 + 1.0),
            &format!("{sep}{}", chunk.join(" + ")),
            LABEL,
            Anchor::Start,
        );
    }
    canvas.text(
        fx,
        ty + 24.0 * (terms.len().div_ceil(2) as f64 + 1.0) + 6.0,
        "(pixel (3, 3) lies in all four windows)",
        LABEL - 1.0,
        Anchor::Start,
    );
    Figure::svg(
        "figures/conv/dx-full.svg",
        canvas.finish("The input gradient of a stride-2 convolution as a full correlation of the dilated, padded output gradient with the flipped filter"),
    )
}

/// The window matrix of im2col for a 3 x 3 input, a 2 x 2 filter, stride 1.
fn im2col_diagram() -> Figure {
    let (d, k) = (3usize, 2usize);
    // pixels carry their codes u d + v + 1; im2col copies them into place
    let x = Array3::from_shape_fn((1, d, d), |(_, u, v)| (u * d + v + 1) as f64);
    let out = d - k + 1;
    let cols = im2col(x.view(), (k, k), 1, 0..out, out).expect("valid");
    let label = |code: f64| {
        let c = code as usize - 1;
        format!("X_{{{}{}}}", c / d + 1, c % d + 1)
    };
    let marked = (d + 1 + 1) as f64; // X_{22}, the code of pixel (2, 2)
    let mut canvas = Canvas::new(600.0, 268.0);
    let (x0, y0) = (30.0, 70.0);
    canvas.text(x0, 40.0, "input X, 3 × 3", LABEL, Anchor::Start);
    canvas.grid(
        x0,
        y0,
        d,
        d,
        CELL + 6.0,
        |r, c| {
            if x[[0, r, c]] == marked {
                TINT[1].into()
            } else if r < k && c < k {
                TINT[0].into()
            } else {
                "white".into()
            }
        },
        |r, c| label(x[[0, r, c]]),
    );
    let mx = 270.0;
    let cell = CELL + 12.0;
    canvas.text(
        mx,
        30.0,
        "cols: one column per window (m, n)",
        LABEL,
        Anchor::Start,
    );
    canvas.grid(
        mx,
        y0,
        cols.nrows(),
        cols.ncols(),
        cell,
        |r, c| {
            if cols[[r, c]] == marked {
                TINT[1].into()
            } else if c == 0 {
                TINT[0].into()
            } else {
                "white".into()
            }
        },
        |r, c| label(cols[[r, c]]),
    );
    for q in 0..cols.ncols() {
        canvas.text(
            mx + (q as f64 + 0.5) * cell,
            y0 - 8.0,
            &format!("({}, {})", q / out + 1, q % out + 1),
            LABEL - 1.0,
            Anchor::Middle,
        );
    }
    for r in 0..cols.nrows() {
        canvas.text(
            mx - 6.0,
            y0 + (r as f64 + 0.6) * cell,
            &format!("({}, {})", r / k + 1, r % k + 1),
            LABEL - 1.0,
            Anchor::End,
        );
    }
    canvas.text(
        mx,
        y0 + cols.nrows() as f64 * cell + 20.0,
        "rows: the filter taps (a, b)",
        LABEL - 1.0,
        Anchor::Start,
    );
    canvas.text(
        x0,
        y0 + 3.0 * (CELL + 6.0) + 24.0,
        "blue: the window of Y_{11}",
        LABEL - 1.0,
        Anchor::Start,
    );
    canvas.text(
        x0,
        y0 + 3.0 * (CELL + 6.0) + 42.0,
        "red: X_{22}, in every window",
        LABEL - 1.0,
        Anchor::Start,
    );
    canvas.arrow(
        x0 + d as f64 * cell + 12.0,
        y0 + 1.5 * cell,
        mx - 56.0,
        y0 + 1.5 * cell,
        &Style::outline(INK, 1.2),
    );
    Figure::svg(
        "figures/conv/im2col.svg",
        canvas.finish("The im2col window matrix of a 3 by 3 input and a 2 by 2 filter: each column holds the four pixels of one window"),
    )
}

/// Max-pool windows (p = 2, t = 1) with their winners and the routing of the
/// gradient, next to average pooling's even spreading.
fn pool_routing_diagram() -> Figure {
    let y = ndarray::array![[[0.1, 0.2, 0.3], [0.4, 0.9, 0.5], [0.6, 0.7, 1.0]]];
    let pool = Pool::new(2, 1).expect("valid");
    let q = pool.out_size(3).expect("valid");
    let dp = Array3::from_shape_fn((1, q, q), |(_, m, n)| (m * q + n + 1) as f64);
    let pooled = max_pool_forward(y.view(), pool).expect("valid");
    let dy = max_pool_backward(y.view(), dp.view(), pool).expect("valid");
    let avg = avg_pool_backward(dp.view(), y.dim(), pool).expect("valid");
    // the winner of each window: where a one-hot gradient of that window lands
    let winner = |m: usize, n: usize| {
        let mut e = Array3::zeros((1, q, q));
        e[[0, m, n]] = 1.0;
        let routed = max_pool_backward(y.view(), e.view(), pool).expect("valid");
        routed
            .indexed_iter()
            .find(|&(_, &v)| v != 0.0)
            .map(|((_, u, v), _)| (u, v))
            .unwrap_or((0, 0))
    };
    let fmt = |v: f64| {
        if v == v.round() {
            format!("{v:.0}")
        } else {
            let s = format!("{v:.2}");
            s.trim_end_matches('0').to_string()
        }
    };
    let mut canvas = Canvas::new(700.0, 320.0);
    let c = 44.0;
    let y0 = 60.0;
    let yc = 52.0;
    // Y with the four windows, each outlined in its colour, the winners circled
    let yx = 20.0;
    canvas.text(yx, 30.0, "Y, windows p = 2, t = 1", LABEL, Anchor::Start);
    canvas.grid(
        yx,
        y0,
        3,
        3,
        yc,
        |_, _| "white".into(),
        |r, col| fmt(y[[0, r, col]]),
    );
    for m in 0..q {
        for n in 0..q {
            let inset = 2.0 + 2.0 * (m * q + n) as f64;
            canvas.rect(
                yx + n as f64 * yc + inset,
                y0 + m as f64 * yc + inset,
                2.0 * yc - 2.0 * inset,
                2.0 * yc - 2.0 * inset,
                &Style::outline(ACCENT[m * q + n], 2.0),
            );
            let (u, v) = winner(m, n);
            canvas.circle(
                yx + (v as f64 + 0.5) * yc,
                y0 + (u as f64 + 0.5) * yc,
                13.0,
                &Style::outline(INK, 1.0),
            );
        }
    }
    let p_line = format!(
        "P_{{11}} = P_{{12}} = P_{{21}} = {}, P_{{22}} = {}",
        fmt(pooled[[0, 0, 0]]),
        fmt(pooled[[0, 1, 1]])
    );
    canvas.text(
        yx,
        y0 + 3.0 * yc + 20.0,
        &p_line,
        LABEL - 1.0,
        Anchor::Start,
    );
    canvas.text(
        yx,
        y0 + 3.0 * yc + 38.0,
        "circled: the winners",
        LABEL - 1.0,
        Anchor::Start,
    );
    // dP, each cell in its window's colour, arrows to the winners in dY
    let gx = 236.0;
    let gy = y0 + 0.5 * c;
    canvas.text(gx, 30.0, "∂L/∂P", LABEL, Anchor::Start);
    canvas.grid(
        gx,
        gy,
        q,
        q,
        c,
        |m, n| TINT[m * q + n].into(),
        |m, n| fmt(dp[[0, m, n]]),
    );
    let dx = 420.0;
    canvas.text(dx, 30.0, "max: ∂L/∂Y", LABEL, Anchor::Start);
    canvas.grid(
        dx,
        y0,
        3,
        3,
        c,
        |r, col| {
            if dy[[0, r, col]] != 0.0 {
                TINT[2].into()
            } else {
                "white".into()
            }
        },
        |r, col| fmt(dy[[0, r, col]]),
    );
    let mut arrived: Vec<(usize, usize)> = Vec::new();
    for m in 0..q {
        for n in 0..q {
            let (u, v) = winner(m, n);
            // the how-many-th arrow into this winner: arrows into one cell fan out
            let j = arrived.iter().filter(|&&w| w == (u, v)).count() as f64;
            arrived.push((u, v));
            let from = (
                gx + q as f64 * c + 4.0,
                gy + (m as f64 + 0.3 + 0.4 * n as f64) * c,
            );
            let to = (dx + v as f64 * c + 4.0, y0 + u as f64 * c + 5.0 + 4.5 * j);
            canvas.arrow(
                from.0,
                from.1,
                to.0,
                to.1,
                &Style::outline(ACCENT[m * q + n], 1.5),
            );
        }
    }
    let ax = 572.0;
    let ac = 40.0;
    canvas.text(ax, 30.0, "average: ∂L/∂Y", LABEL, Anchor::Start);
    canvas.grid(
        ax,
        y0,
        3,
        3,
        ac,
        |_, _| TINT[3].into(),
        |r, col| fmt(avg[[0, r, col]]),
    );
    canvas.text(
        350.0,
        y0 + 3.0 * yc + 68.0,
        "max routes each window's gradient to its winner: 0.9 wins three windows and receives 1 + 2 + 3;",
        LABEL - 1.0,
        Anchor::Middle,
    );
    canvas.text(
        350.0,
        y0 + 3.0 * yc + 86.0,
        "the average gives each entry of a window a quarter of that window's gradient",
        LABEL - 1.0,
        Anchor::Middle,
    );
    Figure::svg(
        "figures/conv/pool-routing.svg",
        canvas.finish("Max pooling with overlapping 2 by 2 windows: each window's gradient goes to its winner, and an entry that wins several windows receives the sum; average pooling spreads each gradient evenly"),
    )
}

/// The flatten order of two pooled maps of side 3.
fn flatten_diagram() -> Figure {
    let (maps, q) = (2usize, 3usize);
    let index = |c: usize, m: usize, n: usize| flat_index(c, m, n, q, q).expect("valid") + 1;
    let mut canvas = Canvas::new(700.0, 260.0);
    let y0 = 50.0;
    for (c, tint) in TINT.iter().enumerate().take(maps) {
        let x0 = 20.0 + c as f64 * 140.0;
        canvas.text(
            x0,
            32.0,
            &format!("map P^{{{}}}", c + 1),
            LABEL,
            Anchor::Start,
        );
        canvas.grid(
            x0,
            y0,
            q,
            q,
            CELL + 6.0,
            |_, _| tint.to_string(),
            |m, n| format!("{}", index(c, m, n)),
        );
    }
    let fy = 200.0;
    let fx = 20.0;
    let w = 36.0;
    canvas.text(
        fx,
        fy - 14.0,
        "F: flat index i = (c − 1)Q^{2} + (m − 1)Q + n",
        LABEL,
        Anchor::Start,
    );
    for (c, tint) in TINT.iter().enumerate().take(maps) {
        for m in 0..q {
            for n in 0..q {
                let i = index(c, m, n);
                let x = fx + (i - 1) as f64 * w;
                canvas.rect(x, fy, w, 26.0, &Style::filled(tint));
                canvas.text(
                    x + w / 2.0,
                    fy + 17.0,
                    &format!("{i}"),
                    LABEL - 1.0,
                    Anchor::Middle,
                );
                canvas.text(
                    x + w / 2.0,
                    fy + 42.0,
                    &format!("{},{}", m + 1, n + 1),
                    LABEL - 3.0,
                    Anchor::Middle,
                );
            }
        }
    }
    canvas.text(
        330.0,
        80.0,
        "each cell shows its flat index i;",
        LABEL,
        Anchor::Start,
    );
    canvas.text(
        330.0,
        100.0,
        "maps one after another, each row by row",
        LABEL,
        Anchor::Start,
    );
    canvas.text(
        330.0,
        120.0,
        "(under F: the position m, n in its map)",
        LABEL,
        Anchor::Start,
    );
    Figure::svg(
        "figures/conv/flatten.svg",
        canvas.finish("The flatten order of two 3 by 3 pooled maps: map 1 row by row to flat indices 1 to 9, then map 2 to 10 to 18"),
    )
}

/// The network the chapter trains, layer by layer, with the sizes its
/// `Shape` computes.
fn network_diagram() -> Figure {
    let shape = verified_dl::conv::experiment::task_shape().expect("the task's sizes are valid");
    let (d, m, q) = (shape.d(), shape.conv_side(), shape.pool_side());
    let (c_maps, flat, classes) = (shape.filters(), shape.flat_len(), shape.classes());
    let cell = 9.0;
    let mid = 120.0; // the vertical centre line of the layers
    let mut canvas = Canvas::new(700.0, 270.0);
    let stack = |canvas: &mut Canvas, x: f64, side: usize, maps: usize, tint: &str| {
        // maps drawn as a stack, each offset down and right by 8 pixels
        let h = side as f64 * cell + 8.0 * (maps - 1) as f64;
        for k in (0..maps).rev() {
            let off = 8.0 * k as f64;
            canvas.grid(
                x + off,
                mid - h / 2.0 + off,
                side,
                side,
                cell,
                |_, _| tint.to_string(),
                |_, _| String::new(),
            );
        }
        x + side as f64 * cell + 8.0 * (maps - 1) as f64
    };
    let column = |canvas: &mut Canvas, x: f64, len: usize, tint: &str| {
        let h = len as f64 * cell;
        canvas.grid(
            x,
            mid - h / 2.0,
            len,
            1,
            cell,
            |_, _| tint.to_string(),
            |_, _| String::new(),
        );
        x + cell
    };
    let arrow = |canvas: &mut Canvas, x0: f64, x1: f64, label: &str| {
        canvas.arrow(x0 + 6.0, mid, x1 - 6.0, mid, &Style::outline(INK, 1.2));
        canvas.text(
            (x0 + x1) / 2.0,
            mid - 8.0,
            label,
            LABEL - 2.0,
            Anchor::Middle,
        );
    };
    let caption = |canvas: &mut Canvas, x: f64, lines: &[String]| {
        for (i, line) in lines.iter().enumerate() {
            canvas.text(
                x,
                215.0 + 16.0 * i as f64,
                line,
                LABEL - 1.0,
                Anchor::Middle,
            );
        }
    };
    let x_end = stack(&mut canvas, 20.0, d, 1, "white");
    caption(
        &mut canvas,
        20.0 + d as f64 * cell / 2.0,
        &["X".into(), format!("{d} × {d}")],
    );
    let y0 = x_end + 62.0;
    arrow(&mut canvas, x_end, y0, "conv");
    let y_end = stack(&mut canvas, y0, m, c_maps, TINT[0]);
    caption(
        &mut canvas,
        (y0 + y_end) / 2.0,
        &["Y".into(), format!("{c_maps} × {m} × {m}")],
    );
    let p0 = y_end + 62.0;
    arrow(&mut canvas, y_end, p0, "max pool");
    let p_end = stack(&mut canvas, p0, q, c_maps, TINT[1]);
    caption(
        &mut canvas,
        (p0 + p_end) / 2.0,
        &["P".into(), format!("{c_maps} × {q} × {q}")],
    );
    let f0 = p_end + 62.0;
    arrow(&mut canvas, p_end, f0, "flatten");
    let f_end = column(&mut canvas, f0, flat, TINT[2]);
    caption(
        &mut canvas,
        f0 + cell / 2.0,
        &["F".into(), format!("{flat}")],
    );
    let z0 = f_end + 62.0;
    arrow(&mut canvas, f_end, z0, "fc");
    let z_end = column(&mut canvas, z0, classes, TINT[3]);
    caption(
        &mut canvas,
        z0 + cell / 2.0,
        &["z".into(), format!("{classes}")],
    );
    let s0 = z_end + 62.0;
    arrow(&mut canvas, z_end, s0, "softmax");
    let s_end = column(&mut canvas, s0, classes, TINT[4]);
    caption(
        &mut canvas,
        s0 + cell / 2.0,
        &["σ".into(), format!("{classes}")],
    );
    let l0 = s_end + 96.0;
    arrow(&mut canvas, s_end, l0, "cross-entropy");
    canvas.circle(l0 + 12.0, mid, 12.0, &Style::filled(PAPER));
    canvas.text(l0 + 12.0, mid + 5.0, "L", LABEL, Anchor::Middle);
    caption(&mut canvas, l0 + 12.0, &["L".into(), "loss".into()]);
    canvas.text(
        20.0,
        30.0,
        &format!(
            "the network of the training page: {c_maps} filters {k} × {k}, stride {s}; pooling {p} × {p}, stride {t}; {classes} classes",
            k = shape.conv().k(),
            s = shape.conv().s(),
            p = shape.pool().p(),
            t = shape.pool().t()
        ),
        LABEL,
        Anchor::Start,
    );
    canvas.text(
        20.0,
        262.0,
        "backward: the same arrows reversed, from ∂L/∂z = σ − τ to ∂L/∂W and ∂L/∂X",
        LABEL - 1.0,
        Anchor::Start,
    );
    Figure::svg(
        "figures/conv/network.svg",
        canvas.finish("The layers of the chapter's network, from an 8 by 8 image through convolution, max pooling, flatten, a fully connected layer and softmax to the loss"),
    )
}

/// The chapter's diagrams.
pub fn diagrams() -> Vec<Figure> {
    vec![
        network_diagram(),
        windows_diagram(),
        dx_full_diagram(),
        im2col_diagram(),
        pool_routing_diagram(),
        flatten_diagram(),
    ]
}

//! A small line-plot writer that emits SVG, enough for the book's curves.
//!
//! Coordinates are printed with two decimals, so the file does not change when
//! the last bits of a computed value do.

use std::fmt::Write;

/// One curve of a plot.
#[derive(Debug, Clone)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The points, in drawing order.
    pub points: Vec<(f64, f64)>,
    /// Draw markers at the points instead of a line.
    pub markers: bool,
}

impl Series {
    /// A curve drawn as a line.
    pub fn line(name: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            name: name.to_string(),
            points,
            markers: false,
        }
    }
    /// A curve drawn as markers.
    pub fn dots(name: &str, points: Vec<(f64, f64)>) -> Series {
        Series {
            name: name.to_string(),
            points,
            markers: true,
        }
    }
}

/// A line plot with optional logarithmic axes.
#[derive(Debug, Clone, Default)]
pub struct Plot {
    /// The title above the plot.
    pub title: String,
    /// The label of the horizontal axis.
    pub x_label: String,
    /// The label of the vertical axis.
    pub y_label: String,
    /// Logarithmic horizontal axis (base 10).
    pub log_x: bool,
    /// Logarithmic vertical axis (base 10).
    pub log_y: bool,
    /// The curves.
    pub series: Vec<Series>,
}

const W: f64 = 640.0;
const H: f64 = 400.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 50.0;
const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];

use super::draw::{display_width, math};

/// Tick positions for the range [lo, hi] (in axis units: log10 for log axes).
fn ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    if log {
        let (a, b) = (lo.floor() as i64, hi.ceil() as i64);
        let step = ((b - a) as f64 / 8.0).ceil().max(1.0) as i64;
        (a..=b).step_by(step as usize).map(|e| e as f64).collect()
    } else {
        let span = (hi - lo).max(1e-300);
        let raw = span / 6.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| span / s <= 8.0)
            .unwrap_or(10.0 * mag);
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        (first..=last).map(|i| i as f64 * step).collect()
    }
}

fn tick_label(v: f64, log: bool) -> String {
    if log {
        format!("10^{{{}}}", v as i64).replace('-', "−")
    } else if v == 0.0 || (v.abs() >= 0.01 && v.abs() < 1e5) {
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" {
            "0".to_string()
        } else {
            // a typeset minus, not a hyphen
            s.replace('-', "−")
        }
    } else {
        let s = format!("{v:.0e}");
        match s.split_once('e') {
            Some((m, e)) => format!("{}·10^{{{}}}", m.replace('-', "−"), e.replace('-', "−")),
            None => s,
        }
    }
}

impl Plot {
    /// Renders the plot as a standalone SVG document.
    ///
    /// Points that cannot be drawn (non-finite, or not positive on a log axis)
    /// are skipped.
    pub fn to_svg(&self) -> String {
        let tx = |x: f64| if self.log_x { x.log10() } else { x };
        let ty = |y: f64| if self.log_y { y.log10() } else { y };
        let pts: Vec<Vec<(f64, f64)>> = self
            .series
            .iter()
            .map(|s| {
                s.points
                    .iter()
                    .map(|&(x, y)| (tx(x), ty(y)))
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .collect()
            })
            .collect();
        let all = pts.iter().flatten();
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in all {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if x0 > x1 {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        if x1 - x0 < 1e-12 {
            x1 = x0 + 1.0;
        }
        if y1 - y0 < 1e-12 {
            y1 = y0 + 1.0;
        }
        if self.log_y {
            y0 = y0.floor();
            y1 = y1.ceil();
        } else {
            let pad = 0.05 * (y1 - y0);
            y0 -= pad;
            y1 += pad;
        }
        let px = |x: f64| LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
        let py = |y: f64| H - BOTTOM - (y - y0) / (y1 - y0) * (H - TOP - BOTTOM);

        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="sans-serif" font-size="13">"#
        );
        let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{:.2}" y="22" text-anchor="middle" font-size="15">{}</text>"#,
            W / 2.0,
            math(&self.title, 15.0)
        );
        // Axes box and ticks.
        let _ = writeln!(
            s,
            r#"<rect x="{LEFT}" y="{TOP}" width="{:.2}" height="{:.2}" fill="none" stroke="black"/>"#,
            W - LEFT - RIGHT,
            H - TOP - BOTTOM
        );
        for t in ticks(x0, x1, self.log_x) {
            let x = px(t);
            let _ = writeln!(
                s,
                r##"<line x1="{x:.2}" y1="{:.2}" x2="{x:.2}" y2="{TOP}" stroke="#ddd"/><text x="{x:.2}" y="{:.2}" text-anchor="middle">{}</text>"##,
                H - BOTTOM,
                H - BOTTOM + 18.0,
                math(&tick_label(t, self.log_x), 13.0)
            );
        }
        for t in ticks(y0, y1, self.log_y) {
            let y = py(t);
            let _ = writeln!(
                s,
                r##"<line x1="{LEFT}" y1="{y:.2}" x2="{:.2}" y2="{y:.2}" stroke="#ddd"/><text x="{:.2}" y="{:.2}" text-anchor="end">{}</text>"##,
                W - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                math(&tick_label(t, self.log_y), 13.0)
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.2}" y="{:.2}" text-anchor="middle">{}</text>"#,
            LEFT + (W - LEFT - RIGHT) / 2.0,
            H - 10.0,
            math(&self.x_label, 13.0)
        );
        let _ = writeln!(
            s,
            r#"<text x="16" y="{:.2}" text-anchor="middle" transform="rotate(-90 16 {:.2})">{}</text>"#,
            TOP + (H - TOP - BOTTOM) / 2.0,
            TOP + (H - TOP - BOTTOM) / 2.0,
            math(&self.y_label, 13.0)
        );
        let mut legend: Vec<(&str, &String)> = Vec::new();
        // Curves, then the legend on a white box above them.
        for (i, (series, points)) in self.series.iter().zip(&pts).enumerate() {
            let color = COLORS[i % COLORS.len()];
            if series.markers {
                for &(x, y) in points {
                    let _ = writeln!(
                        s,
                        r#"<circle cx="{:.2}" cy="{:.2}" r="2.5" fill="{color}"/>"#,
                        px(x),
                        py(y)
                    );
                }
            } else if !points.is_empty() {
                let path: Vec<String> = points
                    .iter()
                    .map(|&(x, y)| format!("{:.2},{:.2}", px(x), py(y)))
                    .collect();
                let _ = writeln!(
                    s,
                    r#"<polyline fill="none" stroke="{color}" stroke-width="1.8" points="{}"/>"#,
                    path.join(" ")
                );
            }
            legend.push((color, &series.name));
        }
        // The legend goes where it hides the least of the curves: a corner, or the
        // middle of the top or bottom edge.
        let longest = legend
            .iter()
            .map(|(_, n)| display_width(n))
            .fold(0.0, f64::max);
        let (bw, bh) = (34.0 + 7.2 * longest, 8.0 + 18.0 * legend.len() as f64);
        let corners = [
            (W - RIGHT - bw - 4.0, TOP + 4.0),
            (LEFT + 4.0, TOP + 4.0),
            (W - RIGHT - bw - 4.0, H - BOTTOM - bh - 4.0),
            (LEFT + 4.0, H - BOTTOM - bh - 4.0),
            // the middle of the top and bottom edges, for curves that leave
            // every corner busy
            (LEFT + (W - LEFT - RIGHT - bw) / 2.0, TOP + 4.0),
            (LEFT + (W - LEFT - RIGHT - bw) / 2.0, H - BOTTOM - bh - 4.0),
        ];
        // What a corner would hide: the markers, and the lines sampled along
        // each segment (a line of two points can cross a whole corner).
        let drawn: Vec<(f64, f64)> = self
            .series
            .iter()
            .zip(&pts)
            .flat_map(|(series, points)| {
                let steps = if series.markers { 1 } else { 16 };
                let mut out: Vec<(f64, f64)> = points.first().copied().into_iter().collect();
                for pair in points.windows(2) {
                    let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                    out.extend((1..=steps).map(|i| {
                        let f = i as f64 / steps as f64;
                        (x0 + f * (x1 - x0), y0 + f * (y1 - y0))
                    }));
                }
                out
            })
            .collect();
        let hidden = |(bx, by): (f64, f64)| {
            drawn
                .iter()
                .filter(|&&(x, y)| {
                    let (qx, qy) = (px(x), py(y));
                    qx >= bx && qx <= bx + bw && qy >= by && qy <= by + bh
                })
                .count()
        };
        let (bx, by) = corners
            .iter()
            .copied()
            .min_by_key(|&c| hidden(c))
            .expect("four corners");
        let _ = writeln!(
            s,
            r##"<rect x="{bx:.2}" y="{by:.2}" width="{bw:.2}" height="{bh:.2}" fill="white" fill-opacity="0.9" stroke="#999"/>"##
        );
        let lx = bx + 6.0;
        for (i, (color, name)) in legend.iter().enumerate() {
            let ly = by + 16.0 + 18.0 * i as f64;
            let _ = writeln!(
                s,
                r#"<rect x="{lx:.2}" y="{:.2}" width="14" height="4" fill="{color}"/><text x="{:.2}" y="{:.2}">{}</text>"#,
                ly - 6.0,
                lx + 20.0,
                ly,
                math(name, 13.0)
            );
        }
        s.push_str("</svg>\n");
        s
    }
}

//! A small SVG canvas for the book's diagrams: boxes, lines, arrows, circles
//! and text with sub- and superscripts.
//!
//! The diagrams draw structures the kernels compute (windows, index maps,
//! graphs), so the figure code asks the crate for the structure and only
//! places it here. Every diagram has a white background, so it reads the
//! same in the light and the dark themes, and carries a `<title>` for
//! screen readers. Coordinates are printed with two decimals.

use std::fmt::Write;

/// Dark ink for text and outlines.
pub const INK: &str = "#222222";
/// Light gray for grid lines and inactive cells.
pub const GRID: &str = "#bbbbbb";
/// Very light fill for unhighlighted cells.
pub const PAPER: &str = "#f4f4f4";
/// Accent colours (blue, red, green, orange, purple, brown), the plots' palette.
pub const ACCENT: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];
/// Light versions of the accents, for filled areas under text.
pub const TINT: [&str; 6] = [
    "#c6dbef", "#f4c2c2", "#c7e9c0", "#fdd9b5", "#dadaeb", "#e0cfc6",
];

/// Escapes the characters that XML reserves.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// SVG text content for a label written with TeX-like scripts: `x^{2}`,
/// `W_{ij}`, or one character after the mark (`x^2`, `h_j`). Everything else
/// is kept as written, so Greek letters and the minus sign are written as
/// Unicode (`θ`, `β`, `−`). `size` is the font size of the surrounding text,
/// in pixels; scripts are drawn at 70 % of it and shifted by absolute
/// amounts, which every SVG renderer honours.
pub fn math(markup: &str, size: f64) -> String {
    let mut out = String::new();
    let chars: Vec<char> = markup.chars().collect();
    let mut i = 0;
    let mut plain = String::new();
    while i < chars.len() {
        let c = chars[i];
        if (c == '^' || c == '_') && i + 1 < chars.len() {
            let (script, next) = if chars[i + 1] == '{' {
                let close = chars[i + 2..]
                    .iter()
                    .position(|&ch| ch == '}')
                    .map(|p| i + 2 + p)
                    .unwrap_or(chars.len());
                (chars[i + 2..close].iter().collect::<String>(), close + 1)
            } else {
                (chars[i + 1].to_string(), i + 2)
            };
            out.push_str(&escape(&plain));
            plain.clear();
            let shift = if c == '^' { -0.38 * size } else { 0.22 * size };
            let _ = write!(
                out,
                r#"<tspan dy="{shift:.2}" font-size="{:.2}">{}</tspan><tspan dy="{:.2}">&#8203;</tspan>"#,
                0.7 * size,
                escape(&script),
                -shift
            );
            i = next;
        } else {
            plain.push(c);
            i += 1;
        }
    }
    out.push_str(&escape(&plain));
    out
}

/// The number of characters a label shows, scripts counted at their reduced size.
pub fn display_width(markup: &str) -> f64 {
    let mut width = 0.0;
    let mut script = 0;
    let mut chars = markup.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' | '_' if chars.peek().is_some() => {
                if chars.peek() == Some(&'{') {
                    chars.next();
                    script += 1;
                } else {
                    chars.next();
                    width += 0.7;
                }
            }
            '}' if script > 0 => script -= 1,
            _ => width += if script > 0 { 0.7 } else { 1.0 },
        }
    }
    width
}

/// How a shape is painted.
#[derive(Debug, Clone)]
pub struct Style {
    /// Fill colour, or `none`.
    pub fill: String,
    /// Outline colour, or `none`.
    pub stroke: String,
    /// Outline width in pixels.
    pub width: f64,
    /// Dash pattern, e.g. `4 3`, or empty for a solid line.
    pub dash: String,
}

impl Style {
    /// A filled shape with a thin dark outline.
    pub fn filled(fill: &str) -> Style {
        Style {
            fill: fill.into(),
            stroke: INK.into(),
            width: 1.0,
            dash: String::new(),
        }
    }
    /// An outline only.
    pub fn outline(stroke: &str, width: f64) -> Style {
        Style {
            fill: "none".into(),
            stroke: stroke.into(),
            width,
            dash: String::new(),
        }
    }
    /// The same style with a dash pattern.
    pub fn dashed(mut self, dash: &str) -> Style {
        self.dash = dash.into();
        self
    }
    fn attributes(&self) -> String {
        let mut s = format!(
            r#"fill="{}" stroke="{}" stroke-width="{:.2}""#,
            self.fill, self.stroke, self.width
        );
        if !self.dash.is_empty() {
            let _ = write!(s, r#" stroke-dasharray="{}""#, self.dash);
        }
        s
    }
}

/// Where a text is anchored horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The text starts at the point.
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

/// An SVG drawing under construction.
#[derive(Debug, Clone)]
pub struct Canvas {
    width: f64,
    height: f64,
    body: String,
}

impl Canvas {
    /// An empty white canvas of the given size in pixels.
    pub fn new(width: f64, height: f64) -> Canvas {
        Canvas {
            width,
            height,
            body: String::new(),
        }
    }

    /// A rectangle with its top-left corner at (x, y).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, style: &Style) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{h:.2}" {}/>"#,
            style.attributes()
        );
    }

    /// A straight line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &Style) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{x1:.2}" y1="{y1:.2}" x2="{x2:.2}" y2="{y2:.2}" {}/>"#,
            style.attributes()
        );
    }

    /// A line with an arrowhead at (x2, y2), in the colour of its stroke.
    pub fn arrow(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, style: &Style) {
        let (dx, dy) = (x2 - x1, y2 - y1);
        let length = (dx * dx + dy * dy).sqrt().max(1e-9);
        let (ux, uy) = (dx / length, dy / length);
        let head = 7.0 + 1.5 * style.width;
        let (bx, by) = (x2 - head * ux, y2 - head * uy);
        self.line(x1, y1, bx, by, style);
        let (px, py) = (-uy * head * 0.45, ux * head * 0.45);
        let _ = writeln!(
            self.body,
            r#"<polygon points="{x2:.2},{y2:.2} {:.2},{:.2} {:.2},{:.2}" fill="{}"/>"#,
            bx + px,
            by + py,
            bx - px,
            by - py,
            style.stroke
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, style: &Style) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{cx:.2}" cy="{cy:.2}" r="{r:.2}" {}/>"#,
            style.attributes()
        );
    }

    /// A path given in SVG path syntax.
    pub fn path(&mut self, d: &str, style: &Style) {
        let _ = writeln!(self.body, r#"<path d="{d}" {}/>"#, style.attributes());
    }

    /// A label in the [`math`] markup, with its baseline at y.
    pub fn text(&mut self, x: f64, y: f64, markup: &str, size: f64, anchor: Anchor) {
        self.text_colored(x, y, markup, size, anchor, INK);
    }

    /// A label in the given colour.
    pub fn text_colored(
        &mut self,
        x: f64,
        y: f64,
        markup: &str,
        size: f64,
        anchor: Anchor,
        color: &str,
    ) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.2}" y="{y:.2}" font-size="{size:.2}" text-anchor="{anchor}" fill="{color}">{}</text>"#,
            math(markup, size)
        );
    }

    /// A rows x cols grid of square cells of side `cell` with its top-left
    /// corner at (x, y). `fill(r, c)` gives each cell's colour and
    /// `label(r, c)` the text written in it (empty for none).
    #[allow(clippy::too_many_arguments)]
    pub fn grid(
        &mut self,
        x: f64,
        y: f64,
        rows: usize,
        cols: usize,
        cell: f64,
        fill: impl Fn(usize, usize) -> String,
        label: impl Fn(usize, usize) -> String,
    ) {
        for r in 0..rows {
            for c in 0..cols {
                let (cx, cy) = (x + c as f64 * cell, y + r as f64 * cell);
                let mut style = Style::filled(&fill(r, c));
                style.stroke = GRID.into();
                self.rect(cx, cy, cell, cell, &style);
                let text = label(r, c);
                if !text.is_empty() {
                    let size = (cell * 0.38).min(14.0);
                    self.text(
                        cx + cell / 2.0,
                        cy + cell / 2.0 + size * 0.35,
                        &text,
                        size,
                        Anchor::Middle,
                    );
                }
            }
        }
        self.rect(
            x,
            y,
            cols as f64 * cell,
            rows as f64 * cell,
            &Style::outline(INK, 1.2),
        );
    }

    /// The finished document; `title` is its accessible name.
    pub fn finish(self, title: &str) -> String {
        let (w, h) = (self.width, self.height);
        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.2} {h:.2}" width="{w:.2}" height="{h:.2}" font-family="sans-serif" font-size="13">"#
        );
        let _ = writeln!(s, "<title>{}</title>", escape(title));
        let _ = writeln!(s, r#"<rect width="{w:.2}" height="{h:.2}" fill="white"/>"#);
        s.push_str(&self.body);
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_become_shifted_spans() {
        let m = math("(2θ − 1)^{2}", 10.0);
        assert!(m.starts_with("(2θ − 1)<tspan dy=\"-3.80\" font-size=\"7.00\">2</tspan>"));
        assert_eq!(math("a<b", 10.0), "a&lt;b");
        let sub = math("h_j", 10.0);
        assert!(sub.contains(r#"dy="2.20""#) && sub.contains(">j</tspan>"));
    }

    #[test]
    fn display_width_counts_scripts_smaller() {
        assert_eq!(display_width("abc"), 3.0);
        assert!((display_width("x^{12}") - 2.4).abs() < 1e-12);
        assert!((display_width("h_j") - 1.7).abs() < 1e-12);
    }
}

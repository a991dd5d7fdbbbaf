//! Figures of the chapter *How this book checks its claims*.

use verified_dl::check::study::{self, central_error_model, UNIT_ROUNDOFF};

use super::{Figure, Plot, Series};

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    vec![Figure::svg(
        "figures/checking/fd-error.svg",
        fd_error_plot(),
    )]
}

/// Measured error of the central and forward differences of e^x sin x at x = 1
/// against the step eps, with the error model of the central difference.
pub fn fd_error_plot() -> String {
    let rows = study::study();
    let x = 1.0;
    let (f_abs, d3f_abs, d2f_abs) = (study::f(x).abs(), study::d3f(x).abs(), study::d2f(x).abs());
    let central: Vec<(f64, f64)> = rows.iter().map(|r| (r.eps, r.central)).collect();
    let forward: Vec<(f64, f64)> = rows.iter().map(|r| (r.eps, r.forward)).collect();
    let model: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| (r.eps, central_error_model(r.eps, f_abs, d3f_abs)))
        .collect();
    let forward_model: Vec<(f64, f64)> = rows
        .iter()
        .map(|r| {
            (
                r.eps,
                r.eps * d2f_abs / 2.0 + 2.0 * UNIT_ROUNDOFF * f_abs / r.eps,
            )
        })
        .collect();
    Plot {
        title: "Error of difference quotients of e^{x} sin x at x = 1".into(),
        x_label: "step ε".into(),
        y_label: "absolute error of the derivative".into(),
        log_x: true,
        log_y: true,
        series: vec![
            Series::dots("central, measured", central),
            Series::line("central, ε^{2}|f'''|/6 + u|f|/ε", model),
            Series::dots("forward, measured", forward),
            Series::line("forward, ε|f''|/2 + 2u|f|/ε", forward_model),
        ],
    }
    .to_svg()
}

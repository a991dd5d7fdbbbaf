//! The error of finite differences, measured: the data behind the figure and
//! the tolerances of the chapter *How this book checks its claims*.
//!
//! The test function is f(x) = e^x sin x at x = 1, whose derivatives are known
//! in closed form, so the error of each difference quotient is known exactly
//! (up to the rounding of the closed forms themselves, about 1e-16).

// ANCHOR: unit_roundoff
/// The unit round-off of f64: half the distance from 1 to the next double, 2^-53.
pub const UNIT_ROUNDOFF: f64 = f64::EPSILON / 2.0;
// ANCHOR_END: unit_roundoff

/// The study's function f(x) = e^x sin x.
pub fn f(x: f64) -> f64 {
    x.exp() * x.sin()
}

/// f'(x) = e^x (sin x + cos x).
pub fn df(x: f64) -> f64 {
    x.exp() * (x.sin() + x.cos())
}

/// f'''(x) = 2 e^x (cos x - sin x).
pub fn d3f(x: f64) -> f64 {
    2.0 * x.exp() * (x.cos() - x.sin())
}

/// f''(x) = 2 e^x cos x.
pub fn d2f(x: f64) -> f64 {
    2.0 * x.exp() * x.cos()
}

// ANCHOR: difference_quotients
/// The central difference (f(x + eps) - f(x - eps)) / 2h.
pub fn central(f: impl Fn(f64) -> f64, x: f64, eps: f64) -> f64 {
    (f(x + eps) - f(x - eps)) / (2.0 * eps)
}

/// The forward difference (f(x + eps) - f(x)) / eps, shown for contrast.
pub fn forward(f: impl Fn(f64) -> f64, x: f64, eps: f64) -> f64 {
    (f(x + eps) - f(x)) / eps
}
// ANCHOR_END: difference_quotients

// ANCHOR: error_model
/// The model of the central difference's error: truncation eps^2 |f'''| / 6
/// plus round-off u |f| / eps.
pub fn central_error_model(eps: f64, f_abs: f64, d3f_abs: f64) -> f64 {
    eps * eps * d3f_abs / 6.0 + UNIT_ROUNDOFF * f_abs / eps
}

/// The step that minimises [`central_error_model`]: eps* = (3 u |f| / |f'''|)^(1/3).
pub fn optimal_central_step(f_abs: f64, d3f_abs: f64) -> f64 {
    (3.0 * UNIT_ROUNDOFF * f_abs / d3f_abs).cbrt()
}
// ANCHOR_END: error_model

/// One row of the study: the step and the absolute errors of both quotients.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// The step eps.
    pub eps: f64,
    /// |central difference - f'(x)|.
    pub central: f64,
    /// |forward difference - f'(x)|.
    pub forward: f64,
}

/// The steps of the study: 10^-13 to 10^-1 in 12 steps a decade.
pub fn steps() -> Vec<f64> {
    (0..=144)
        .map(|i| 10f64.powf(-13.0 + i as f64 / 12.0))
        .collect()
}

/// The errors of both quotients of f at x = 1 for every step of [`steps`].
pub fn study() -> Vec<Row> {
    let x = 1.0;
    steps()
        .into_iter()
        .map(|eps| Row {
            eps,
            central: (central(f, x, eps) - df(x)).abs(),
            forward: (forward(f, x, eps) - df(x)).abs(),
        })
        .collect()
}

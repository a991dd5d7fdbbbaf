//! Gauss-Hermite quadrature: the rule that integrates `f(t) e^{-t^2}` exactly
//! for every polynomial `f` of degree below `2n`.

use crate::error::{Error, Result};

// ANCHOR: gauss_hermite
/// Newton's iteration for a Hermite root stops when a step is below this
/// (a few ulps of the largest roots, which are below 20 for the sizes used).
const NEWTON_STEP: f64 = 1e-14;
/// Newton's iteration converges in a handful of steps from the starting
/// guesses below; more than this many means something is wrong.
const NEWTON_MAX_ITER: usize = 100;
/// The largest rule computed: beyond it the smallest weights underflow `f64`.
pub const MAX_NODES: usize = 150;

/// The `n`-point Gauss-Hermite rule: nodes `t_i` and weights `w_i` with
/// `sum_i w_i f(t_i) = int f(t) e^{-t^2} dt` for every polynomial `f` of degree
/// at most `2n - 1`.
///
/// The nodes are the roots of the Hermite polynomial `H_n`, found by Newton's
/// method on the three-term recurrence of the orthonormal Hermite functions
/// `h_0 = pi^{-1/4}`, `h_{j+1}(t) = t sqrt(2/(j+1)) h_j(t) - sqrt(j/(j+1)) h_{j-1}(t)`,
/// whose derivative is `h_n' = sqrt(2n) h_{n-1}`; the weight of a root is
/// `w_i = 2 / h_n'(t_i)^2`. Nodes are returned in decreasing order.
pub fn gauss_hermite(n: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    if n == 0 || n > MAX_NODES {
        return Err(Error::BadSize {
            what: "number of Gauss-Hermite nodes".into(),
            value: n,
            constraint: format!("must be in 1..={MAX_NODES}"),
        });
    }
    let nf = n as f64;
    let mut t = vec![0.0; n];
    let mut w = vec![0.0; n];
    let mut z = 0.0;
    for i in 0..n.div_ceil(2) {
        // Starting guesses for the i-th largest root (Numerical Recipes, gauher).
        z = match i {
            0 => (2.0 * nf + 1.0).sqrt() - 1.85575 * (2.0 * nf + 1.0).powf(-1.0 / 6.0),
            1 => z - 1.14 * nf.powf(0.426) / z,
            2 => 1.86 * z - 0.86 * t[0],
            3 => 1.91 * z - 0.91 * t[1],
            _ => 2.0 * z - t[i - 2],
        };
        let mut converged = false;
        let mut derivative = 0.0;
        for _ in 0..NEWTON_MAX_ITER {
            let (mut h, mut h_prev) = (std::f64::consts::PI.powf(-0.25), 0.0);
            for j in 0..n {
                let jf = j as f64;
                let next = z * (2.0 / (jf + 1.0)).sqrt() * h - (jf / (jf + 1.0)).sqrt() * h_prev;
                h_prev = h;
                h = next;
            }
            derivative = (2.0 * nf).sqrt() * h_prev;
            let step = h / derivative;
            z -= step;
            if step.abs() <= NEWTON_STEP * z.abs().max(1.0) {
                converged = true;
                break;
            }
        }
        if !converged || !z.is_finite() {
            return Err(Error::Invalid(format!(
                "Gauss-Hermite root {i} of n = {n} did not converge"
            )));
        }
        t[i] = z;
        t[n - 1 - i] = -z;
        w[i] = 2.0 / (derivative * derivative);
        w[n - 1 - i] = w[i];
    }
    if n % 2 == 1 {
        t[n / 2] = 0.0; // the middle root is exactly 0
    }
    Ok((t, w))
}
// ANCHOR_END: gauss_hermite

//! The continuous case integrated: the proof's step and the total of a
//! linear-Gaussian DAG by Gauss-Hermite quadrature.

use super::gaussian::LinearGaussian;
use super::prob::neumaier_sum;
use super::quadrature::gauss_hermite;
use crate::error::{ensure_finite_scalar, Error, Result};

// ANCHOR: total_gh
/// The most points of a tensor-product grid, `n^K <= 2^24`: the total then
/// takes a few seconds.
pub const MAX_GRID_POINTS: usize = 1 << 24;

/// The smallest ratio of a standard deviation to the largest one that
/// [`LinearGaussian::total_by_gauss_hermite`] accepts, `1e-150`: the
/// variances are computed relative to the largest, and the square of a
/// smaller ratio would underflow.
pub const MIN_SIGMA_RATIO: f64 = 1e-150;

impl LinearGaussian {
    /// The standard deviations, conditional `sigma_k / c` and marginal
    /// `s_k / c`, of the model scaled by the power of two `c` at or below
    /// the largest `sigma_k`: the scaling is exact, and the variances of the
    /// scaled model neither underflow nor overflow for a tiny or huge `sigma`.
    fn scaled_deviations(&self) -> Result<(Vec<f64>, Vec<f64>)> {
        let largest = self.sigma.iter().fold(0.0f64, |a, &s| a.max(s));
        // sigma_k >= f64::MIN_POSITIVE, so masking the mantissa leaves 2^e.
        let c = f64::from_bits(largest.to_bits() & 0x7ff0_0000_0000_0000);
        if let Some(k) = (0..self.len()).find(|&k| self.sigma[k] < MIN_SIGMA_RATIO * largest) {
            return Err(Error::OutOfRange {
                what: format!("standard deviation sigma_{k}"),
                value: self.sigma[k],
                range: format!("at least {MIN_SIGMA_RATIO:e} times the largest, {largest:e}"),
            });
        }
        let scaled = LinearGaussian {
            parents: self.parents.clone(),
            weights: self.weights.clone(),
            bias: vec![0.0; self.len()], // the means do not enter
            sigma: self.sigma.iter().map(|&s| s / c).collect(),
        };
        let (_, cov) = scaled.moments()?;
        let marginal = (0..self.len()).map(|i| cov[(i, i)].sqrt()).collect();
        Ok((scaled.sigma, marginal))
    }

    /// `int p(x) dx` by the `n^K`-point tensor-product Gauss-Hermite rule on
    /// one fixed grid: `x_k = mu_k + sqrt(2) s_k t_k` with `mu_k`, `s_k` the
    /// marginal mean and standard deviation of `x_k`, so that
    /// `int p(x) dx = int e^{-|t|^2} [e^{|t|^2} p(x(t)) prod_k sqrt(2) s_k] dt`.
    ///
    /// The means cancel from `x_k - E[x_k | pa_k]`, which is
    /// `sqrt(2) (s_k t_k - sum_j w_kj s_j t_j)`, and the code computes it so:
    /// the grid does not lose digits to a large mean. The bracket is not a
    /// polynomial (the `x_k` are correlated), so the rule is not exact; it
    /// converges as `n` grows. At most [`MAX_GRID_POINTS`] points.
    pub fn total_by_gauss_hermite(&self, n: usize) -> Result<f64> {
        let (t, w) = gauss_hermite(n)?;
        let k = self.len();
        let points = u32::try_from(k)
            .ok()
            .and_then(|k| n.checked_pow(k))
            .filter(|&p| p <= MAX_GRID_POINTS)
            .ok_or_else(|| Error::BadSize {
                what: "number of Gauss-Hermite nodes per axis n".into(),
                value: n,
                constraint: format!("n^{k} grid points must be at most {MAX_GRID_POINTS}"),
            })?;
        // The integrand is unchanged when every deviation is scaled by c.
        let (sigma, marginal) = self.scaled_deviations()?;
        let scale: Vec<f64> = marginal
            .iter()
            .map(|s| std::f64::consts::SQRT_2 * s)
            .collect();
        // x_k - mu_k = scale_k t_k; each factor is w e^{t^2} (scale_k / sigma_k) phi(z_k).
        let ratio: Vec<f64> = (0..k).map(|i| scale[i] / sigma[i]).collect();
        let mut d = vec![0.0; k];
        let mut a = vec![0; k];
        let terms = (0..points).map(|mut index| {
            for i in (0..k).rev() {
                a[i] = index % n;
                index /= n;
                d[i] = scale[i] * t[a[i]];
            }
            let mut value = 1.0;
            for i in 0..k {
                let shift: f64 = self.parents[i]
                    .iter()
                    .zip(&self.weights[i])
                    .map(|(&j, &wj)| wj * d[j])
                    .sum();
                let z = (d[i] - shift) / sigma[i];
                let ta = t[a[i]];
                value *= w[a[i]] * (ta * ta).exp() * ratio[i] * (-0.5 * z * z).exp()
                    / (2.0 * std::f64::consts::PI).sqrt();
            }
            value
        });
        let total = neumaier_sum(terms);
        ensure_finite_scalar("Gauss-Hermite total", total)?;
        Ok(total)
    }
}
// ANCHOR_END: total_gh

// ANCHOR: step_gh
/// The largest rounding error that [`LinearGaussian::conditional_total`]
/// accepts in the standardized variable `z = (x_k - m_k) / sigma_k`: `f64`
/// rounding of the centre and the conditional mean, bounded by
/// `EPSILON (|mu| + |b_k| + sum_j |w_kj x_j|) / sigma_k`. At `1e-12` it moves
/// the total by less than `1e-11`; beyond it (a mean `1e17` with `sigma = 1`,
/// say) the answer would be rounding, and the call is an error.
pub const MAX_Z_ROUNDING: f64 = 1e-12;

impl LinearGaussian {
    /// The proof's step in the continuous case: `int p(x_k | pa_k) dx_k` at
    /// the parents' values in `x`, by the `n`-point rule on the fixed axis
    /// `x_k = mu + sqrt(2) s t` (any finite centre `mu` and scale `s > 0`).
    ///
    /// A centre or a mean so large against `sigma_k` that rounding alone
    /// would move `z = (x_k - E[x_k | pa_k]) / sigma_k` by more than
    /// [`MAX_Z_ROUNDING`] is an error, and so is an axis beyond the range of
    /// `f64`: the answer would be rounding.
    pub fn conditional_total(&self, k: usize, x: &[f64], n: usize, mu: f64, s: f64) -> Result<f64> {
        let m = self.conditional_mean(k, x)?;
        ensure_finite_scalar("centre mu", mu)?;
        if !(s.is_finite() && s >= f64::MIN_POSITIVE) {
            return Err(Error::OutOfRange {
                what: "scale s".into(),
                value: s,
                range: "finite and > 0 (not subnormal)".into(),
            });
        }
        let (t, w) = gauss_hermite(n)?;
        let sigma = self.sigma[k];
        let size = mu.abs()
            + self.bias[k].abs()
            + self.parents[k]
                .iter()
                .zip(&self.weights[k])
                .map(|(&j, &wj)| (wj * x[j]).abs())
                .sum::<f64>();
        let rounding = f64::EPSILON * size / sigma;
        // The axis's widest point must be finite too.
        let widest = mu.abs() + std::f64::consts::SQRT_2 * s * t.first().map_or(0.0, |t| t.abs());
        if !(rounding <= MAX_Z_ROUNDING && widest.is_finite()) {
            return Err(Error::OutOfRange {
                what: "centre mu".into(),
                value: mu,
                range: format!(
                    "centres and means small enough against sigma_{k} = {sigma:e} that rounding moves z by at most {MAX_Z_ROUNDING:e} (here {rounding:e})"
                ),
            });
        }
        let scale = std::f64::consts::SQRT_2 * s;
        let total = neumaier_sum(t.iter().zip(&w).map(|(&ti, &wi)| {
            let xk = mu + scale * ti;
            let z = (xk - m) / sigma;
            wi * (ti * ti).exp() * scale * (-0.5 * z * z).exp()
                / ((2.0 * std::f64::consts::PI).sqrt() * sigma)
        }));
        if !total.is_finite() {
            return Err(Error::OutOfRange {
                what: "scale s".into(),
                value: s,
                range: format!("scales whose ratio to sigma_{k} = {sigma:e} keeps the rule finite"),
            });
        }
        Ok(total)
    }
}
// ANCHOR_END: step_gh

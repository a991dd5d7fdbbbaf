//! The continuous case: a linear-Gaussian DAG, integrated by tensor-product
//! Gauss-Hermite quadrature.

use super::order::parents_after_order;
use super::prob::neumaier_sum;
use super::quadrature::gauss_hermite;
use crate::error::{Error, Result};
use ndarray::Array2;
use std::f64::consts::PI;

// ANCHOR: linear_gaussian
/// A linear-Gaussian DAG: `x_k | pa_k ~ N(b_k + sum_{j in pa_k} w_kj x_j, sigma_k^2)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearGaussian {
    parents: Vec<Vec<usize>>,
    weights: Vec<Vec<f64>>,
    bias: Vec<f64>,
    sigma: Vec<f64>,
}
// ANCHOR_END: linear_gaussian

impl LinearGaussian {
    /// Builds and validates the model: `weights[k][i]` multiplies the parent
    /// `parents[k][i]`; the graph must be acyclic; every number finite; every
    /// `sigma_k > 0`.
    pub fn new(
        parents: Vec<Vec<usize>>,
        weights: Vec<Vec<f64>>,
        bias: Vec<f64>,
        sigma: Vec<f64>,
    ) -> Result<Self> {
        let n = parents.len();
        crate::error::ensure_shape("number of weight lists", &[n], &[weights.len()])?;
        crate::error::ensure_shape("number of biases", &[n], &[bias.len()])?;
        crate::error::ensure_shape("number of standard deviations", &[n], &[sigma.len()])?;
        for k in 0..n {
            let what = format!("weights of node {k}");
            crate::error::ensure_shape(&what, &[parents[k].len()], &[weights[k].len()])?;
            for (i, &wk) in weights[k].iter().enumerate() {
                if !wk.is_finite() {
                    return Err(Error::NonFinite {
                        what,
                        index: vec![i],
                        value: wk,
                    });
                }
            }
            if parents[k].contains(&k) {
                return Err(Error::Cycle { nodes: vec![k] });
            }
            if !bias[k].is_finite() {
                return Err(Error::NonFinite {
                    what: "bias".into(),
                    index: vec![k],
                    value: bias[k],
                });
            }
            if !(sigma[k].is_finite() && sigma[k] > 0.0) {
                return Err(Error::BadValue {
                    what: "standard deviation".into(),
                    index: vec![k],
                    value: sigma[k],
                    allowed: "finite and > 0".into(),
                });
            }
        }
        parents_after_order(&parents)?;
        Ok(LinearGaussian {
            parents,
            weights,
            bias,
            sigma,
        })
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// True for the model with no nodes.
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// The mean of `x_k` given the values `x` of (at least) its parents.
    pub fn conditional_mean(&self, k: usize, x: &[f64]) -> f64 {
        self.bias[k]
            + self.parents[k]
                .iter()
                .zip(&self.weights[k])
                .map(|(&j, &w)| w * x[j])
                .sum::<f64>()
    }

    /// The standard deviation `sigma_k` of `x_k` given its parents.
    pub fn sigma(&self, k: usize) -> f64 {
        self.sigma[k]
    }

    // ANCHOR: density
    /// The density `p(x) = prod_k N(x_k; b_k + w_k . pa_k, sigma_k^2)`.
    pub fn density(&self, x: &[f64]) -> f64 {
        (0..self.len())
            .map(|k| {
                let z = (x[k] - self.conditional_mean(k, x)) / self.sigma[k];
                (-0.5 * z * z).exp() / ((2.0 * PI).sqrt() * self.sigma[k])
            })
            .product()
    }
    // ANCHOR_END: density

    /// The marginal means and the covariance of the joint Gaussian, by the
    /// recursions `E x_k = b_k + sum_j w_kj E x_j` and
    /// `Cov(x_k, x_l) = sum_j w_kj Cov(x_j, x_l) (+ sigma_k^2 if k = l)` for
    /// every `l` placed before `k`, parents first.
    pub fn moments(&self) -> Result<(Vec<f64>, Array2<f64>)> {
        let n = self.len();
        let mut parents_first = parents_after_order(&self.parents)?;
        parents_first.reverse();
        let mut mean = vec![0.0; n];
        let mut cov = Array2::zeros((n, n));
        for (i, &k) in parents_first.iter().enumerate() {
            mean[k] = self.conditional_mean(k, &mean);
            for &l in &parents_first[..=i] {
                let mut c: f64 = self.parents[k]
                    .iter()
                    .zip(&self.weights[k])
                    .map(|(&j, &w)| w * cov[(j, l)])
                    .sum();
                if l == k {
                    // Var x_k = sum_j w_kj Cov(x_j, x_k) + sigma_k^2, where
                    // Cov(x_j, x_k) = sum_i w_ki Cov(x_j, x_i) is not stored yet.
                    c = self.parents[k]
                        .iter()
                        .zip(&self.weights[k])
                        .map(|(&j, &wj)| {
                            wj * self.parents[k]
                                .iter()
                                .zip(&self.weights[k])
                                .map(|(&m, &wm)| wm * cov[(j, m)])
                                .sum::<f64>()
                        })
                        .sum::<f64>()
                        + self.sigma[k] * self.sigma[k];
                }
                cov[(k, l)] = c;
                cov[(l, k)] = c;
            }
        }
        Ok((mean, cov))
    }

    // ANCHOR: total_gh
    /// `int p(x) dx` by the `n^K`-point tensor-product Gauss-Hermite rule on
    /// one fixed grid: `x_k = mu_k + sqrt(2) s_k t_k` with `mu_k`, `s_k` the
    /// marginal mean and standard deviation of `x_k`, so that
    /// `int p(x) dx = int e^{-|t|^2} [e^{|t|^2} p(x(t)) prod_k sqrt(2) s_k] dt`.
    ///
    /// The bracket is not a polynomial (the `x_k` are correlated), so the rule
    /// is not exact; it converges as `n` grows.
    pub fn total_by_gauss_hermite(&self, n: usize) -> Result<f64> {
        let (t, w) = gauss_hermite(n)?;
        let (mean, cov) = self.moments()?;
        let k = self.len();
        let scale: Vec<f64> = (0..k)
            .map(|i| std::f64::consts::SQRT_2 * cov[(i, i)].sqrt())
            .collect();
        let points = n
            .checked_pow(k as u32)
            .filter(|&p| p <= 1 << 24)
            .ok_or_else(|| Error::BadSize {
                what: "number of Gauss-Hermite nodes per axis".into(),
                value: n,
                constraint: format!("n^{k} grid points must be at most 2^24"),
            })?;
        let mut x = vec![0.0; k];
        let terms = (0..points).map(|mut index| {
            let mut weight = 1.0;
            for i in (0..k).rev() {
                let a = index % n;
                index /= n;
                x[i] = mean[i] + scale[i] * t[a];
                weight *= w[a] * (t[a] * t[a]).exp() * scale[i];
            }
            weight * self.density(&x)
        });
        Ok(neumaier_sum(terms))
    }
    // ANCHOR_END: total_gh

    // ANCHOR: step_gh
    /// The proof's step in the continuous case: `int p(x_k | pa_k) dx_k` at the
    /// parents' values in `x`, by the `n`-point rule on the fixed axis
    /// `x_k = mu + sqrt(2) s t` (any centre `mu` and scale `s > 0`).
    pub fn conditional_total(&self, k: usize, x: &[f64], n: usize, mu: f64, s: f64) -> Result<f64> {
        let (t, w) = gauss_hermite(n)?;
        let m = self.conditional_mean(k, x);
        let sigma = self.sigma[k];
        let scale = std::f64::consts::SQRT_2 * s;
        Ok(neumaier_sum(t.iter().zip(&w).map(|(&ti, &wi)| {
            let xk = mu + scale * ti;
            let z = (xk - m) / sigma;
            wi * (ti * ti).exp() * scale * (-0.5 * z * z).exp() / ((2.0 * PI).sqrt() * sigma)
        })))
    }
    // ANCHOR_END: step_gh
}

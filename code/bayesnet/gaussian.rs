//! The continuous case: a linear-Gaussian DAG, its density and its moments
//! (integrated in [`super::integration`]).

use super::order::parents_after_order;
use crate::error::{ensure_allocatable, ensure_shape, Error, Result};
use ndarray::Array2;

// ANCHOR: linear_gaussian
/// A linear-Gaussian DAG: `x_k | pa_k ~ N(b_k + sum_{j in pa_k} w_kj x_j, sigma_k^2)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearGaussian {
    pub(crate) parents: Vec<Vec<usize>>,
    pub(crate) weights: Vec<Vec<f64>>,
    pub(crate) bias: Vec<f64>,
    pub(crate) sigma: Vec<f64>,
}

impl LinearGaussian {
    /// Builds and validates the model: `weights[k][i]` multiplies the parent
    /// `parents[k][i]`; the graph must be acyclic; every number finite; every
    /// `sigma_k > 0` and not subnormal.
    pub fn new(
        parents: Vec<Vec<usize>>,
        weights: Vec<Vec<f64>>,
        bias: Vec<f64>,
        sigma: Vec<f64>,
    ) -> Result<Self> {
        let n = parents.len();
        ensure_shape("number of weight lists", &[n], &[weights.len()])?;
        ensure_shape("number of biases", &[n], &[bias.len()])?;
        ensure_shape("number of standard deviations", &[n], &[sigma.len()])?;
        for k in 0..n {
            let what = format!("weights of node {k}");
            ensure_shape(&what, &[parents[k].len()], &[weights[k].len()])?;
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
            if !(sigma[k].is_finite() && sigma[k] >= f64::MIN_POSITIVE) {
                return Err(Error::BadValue {
                    what: "standard deviation".into(),
                    index: vec![k],
                    value: sigma[k],
                    allowed: "finite and > 0, at least f64::MIN_POSITIVE (not subnormal)".into(),
                });
            }
        }
        parents_after_order(&parents)?; // a parent that is no node, or a cycle
        Ok(LinearGaussian {
            parents,
            weights,
            bias,
            sigma,
        })
    }
}
// ANCHOR_END: linear_gaussian

// ANCHOR: gaussian_access
impl LinearGaussian {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.parents.len()
    }

    /// True for the model with no nodes.
    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    /// Checks that `k` is a node, naming the argument `k` otherwise.
    fn check_node(&self, k: usize) -> Result<()> {
        if k < self.len() {
            return Ok(());
        }
        Err(Error::OutOfRange {
            what: "node k".into(),
            value: k as f64,
            range: format!("0..{} (the nodes of the model)", self.len()),
        })
    }

    /// Checks that `x` holds one finite value per node.
    fn check_point(&self, x: &[f64]) -> Result<()> {
        ensure_shape("point x", &[self.len()], &[x.len()])?;
        match x.iter().position(|v| !v.is_finite()) {
            Some(i) => Err(Error::NonFinite {
                what: "point x".into(),
                index: vec![i],
                value: x[i],
            }),
            None => Ok(()),
        }
    }

    /// The mean of `x_k` given the values `x` of every node (only its
    /// parents' values are read); a mean that overflows is an error.
    pub fn conditional_mean(&self, k: usize, x: &[f64]) -> Result<f64> {
        self.check_node(k)?;
        self.check_point(x)?;
        let m = self.mean_at(k, x);
        if !m.is_finite() {
            return Err(Error::OutOfRange {
                what: "point x".into(),
                value: m,
                range: format!("points at which the mean of node {k} is finite"),
            });
        }
        Ok(m)
    }

    /// `b_k + sum_j w_kj x_j` for a valid `k` and an `x` of length `K`.
    pub(crate) fn mean_at(&self, k: usize, x: &[f64]) -> f64 {
        self.bias[k]
            + self.parents[k]
                .iter()
                .zip(&self.weights[k])
                .map(|(&j, &w)| w * x[j])
                .sum::<f64>()
    }

    /// The standard deviation `sigma_k` of `x_k` given its parents.
    pub fn sigma(&self, k: usize) -> Result<f64> {
        self.check_node(k)?;
        Ok(self.sigma[k])
    }
}
// ANCHOR_END: gaussian_access

// ANCHOR: gaussian_density
impl LinearGaussian {
    /// The density `p(x) = prod_k N(x_k; b_k + w_k . pa_k, sigma_k^2)`,
    /// summed in logarithms so that no factor overflows on its own; a
    /// density beyond the largest `f64` is an error.
    pub fn density(&self, x: &[f64]) -> Result<f64> {
        self.check_point(x)?;
        let mut log_p = 0.0;
        for k in 0..self.len() {
            let z = (x[k] - self.conditional_mean(k, x)?) / self.sigma[k];
            log_p += -0.5 * z * z - ((2.0 * std::f64::consts::PI).sqrt() * self.sigma[k]).ln();
        }
        let p = log_p.exp();
        if !p.is_finite() {
            return Err(Error::OutOfRange {
                what: "point x".into(),
                value: log_p,
                range: "points at which log p(x) is below the log of the largest f64".into(),
            });
        }
        Ok(p)
    }
}
// ANCHOR_END: gaussian_density

// ANCHOR: gaussian_moments
impl LinearGaussian {
    /// The marginal means and the covariance of the joint Gaussian, by the
    /// recursions `E x_k = b_k + sum_j w_kj E x_j` and
    /// `Cov(x_k, x_l) = sum_j w_kj Cov(x_j, x_l) (+ sigma_k^2 if k = l)` for
    /// every `l` placed before `k`, parents first. A mean or covariance
    /// beyond the range of `f64` is an error.
    pub fn moments(&self) -> Result<(Vec<f64>, Array2<f64>)> {
        let n = self.len();
        ensure_allocatable("covariance of the model", &[n, n])?;
        let mut parents_first = parents_after_order(&self.parents)?;
        parents_first.reverse();
        let mut mean = vec![0.0; n];
        let mut cov = Array2::zeros((n, n));
        for (i, &k) in parents_first.iter().enumerate() {
            mean[k] = self.mean_at(k, &mean);
            let pairs = || self.parents[k].iter().zip(&self.weights[k]);
            for &l in &parents_first[..=i] {
                let mut c: f64 = pairs().map(|(&j, &w)| w * cov[(j, l)]).sum();
                if l == k {
                    // Var x_k = sum_j w_kj Cov(x_j, x_k) + sigma_k^2, where
                    // Cov(x_j, x_k) = sum_i w_ki Cov(x_j, x_i) is not stored yet.
                    c = pairs()
                        .map(|(&j, &wj)| {
                            wj * pairs().map(|(&m, &wm)| wm * cov[(j, m)]).sum::<f64>()
                        })
                        .sum::<f64>()
                        + self.sigma[k] * self.sigma[k];
                }
                cov[(k, l)] = c;
                cov[(l, k)] = c;
            }
        }
        let bad = mean.iter().chain(cov.iter()).find(|v| !v.is_finite());
        if let Some(&value) = bad {
            return Err(Error::OutOfRange {
                what: "moments of the model".into(),
                value,
                range: "finite f64 (the weights and deviations make a moment overflow)".into(),
            });
        }
        Ok((mean, cov))
    }
}
// ANCHOR_END: gaussian_moments

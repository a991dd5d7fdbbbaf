//! Code that the chapter's exercises ask for: the size of a network's tables,
//! and a network with a continuous node (a Gaussian child of a discrete
//! parent) integrated by Gauss-Hermite quadrature.

use super::network::BayesNet;
use super::prob::{neumaier_sum, Prob, ROW_TOL_F64};
use super::quadrature::gauss_hermite;
use crate::error::{checked_product, ensure_finite_scalar, ensure_shape, Error, Result};

// ANCHOR: factor_entries
impl<T: Prob> BayesNet<T> {
    /// How many numbers the tables of the network hold:
    /// `sum_k r_k prod_{j in pa_k} r_j`, one row per joint value of a node's
    /// parents and one entry per value of the node ([`Error::Overflow`] if
    /// the count does not fit in a `usize`).
    pub fn factor_entries(&self) -> Result<usize> {
        let mut total = 0usize;
        for k in 0..self.len() {
            let parent_arity: Vec<usize> =
                self.parents(k)?.iter().map(|&j| self.arity()[j]).collect();
            let rows = checked_product(&format!("rows of node {k}'s table"), &parent_arity)?;
            let entries = checked_product(
                &format!("entries of node {k}'s table"),
                &[rows, self.arity()[k]],
            )?;
            total = total.checked_add(entries).ok_or_else(|| Error::Overflow {
                what: "number of table entries".into(),
                operands: vec![total, entries],
            })?;
        }
        Ok(total)
    }
}
// ANCHOR_END: factor_entries

// ANCHOR: hybrid_total
/// The largest mean and standard deviation [`hybrid_total`] accepts, `1e150`:
/// the marginal variance is formed from their squares, which stay finite.
pub const HYBRID_MAX_SCALE: f64 = 1e150;

/// A discrete root `z` with prior `p(z)` and a Gaussian child
/// `x | z ~ N(mean[z], sigma[z]^2)`, integrated as the proof does: the leaf
/// `x` first, for each value of its parent, by the `n`-point Gauss-Hermite
/// rule, then the root by its finite sum. Returns
/// `(sum_z p(z) int p(x | z) dx, sum_z p(z) int x p(x | z) dx)`, the total
/// (1) and the mean of `x` (`sum_z p(z) mean[z]`).
///
/// Every integral uses one fixed axis, `x = c + sqrt(2) s t` with `c`, `s` the
/// mean and standard deviation of the marginal of `x`, so the rule is not
/// exact for any single component and its error falls as `n` grows. Errors:
/// lengths that differ, a prior that is not a distribution (within
/// `ROW_TOL_F64`), a mean that is not finite, a `sigma` that is not a
/// positive normal number, `n` outside the rule's range.
pub fn hybrid_total(prior: &[f64], mean: &[f64], sigma: &[f64], n: usize) -> Result<(f64, f64)> {
    let r = prior.len();
    ensure_shape("means of x given z", &[r], &[mean.len()])?;
    ensure_shape("standard deviations of x given z", &[r], &[sigma.len()])?;
    if r == 0 {
        return Err(Error::BadSize {
            what: "number of values of z (prior)".into(),
            value: 0,
            constraint: "a variable needs at least one value".into(),
        });
    }
    for (z, &p) in prior.iter().enumerate() {
        if !(p.is_finite() && p >= 0.0) {
            return Err(Error::BadValue {
                what: "prior".into(),
                index: vec![z],
                value: p,
                allowed: "a probability, finite and at least 0".into(),
            });
        }
    }
    let sum = neumaier_sum(prior.iter().copied());
    if (sum - 1.0).abs() > ROW_TOL_F64 {
        return Err(Error::NotNormalized {
            what: "prior".into(),
            row: vec![],
            sum,
            tolerance: ROW_TOL_F64,
        });
    }
    for (z, (&m, &s)) in mean.iter().zip(sigma).enumerate() {
        if !(m.is_finite() && m.abs() <= HYBRID_MAX_SCALE) {
            return Err(Error::OutOfRange {
                what: format!("mean of x given z = {z}"),
                value: m,
                range: format!("finite, at most {HYBRID_MAX_SCALE:e} in size"),
            });
        }
        if !(s.is_normal() && s > 0.0 && s <= HYBRID_MAX_SCALE) {
            return Err(Error::OutOfRange {
                what: format!("standard deviation of x given z = {z}"),
                value: s,
                range: format!("a positive normal number, at most {HYBRID_MAX_SCALE:e}"),
            });
        }
    }
    let (t, w) = gauss_hermite(n)?;
    // The marginal of x: mean c, variance sum_z p(z) (sigma_z^2 + (mean_z - c)^2).
    let c = neumaier_sum(prior.iter().zip(mean).map(|(p, m)| p * m));
    let var = neumaier_sum(
        prior
            .iter()
            .zip(mean.iter().zip(sigma))
            .map(|(p, (m, s))| p * (s * s + (m - c) * (m - c))),
    );
    let scale = std::f64::consts::SQRT_2 * var.sqrt();
    let (mut total, mut first) = (Vec::new(), Vec::new());
    for z in 0..r {
        // int p(x | z) dx = int e^{-t^2} [e^{t^2} phi((x - mean_z) / sigma_z) scale / sigma_z] dt
        let terms: Vec<(f64, f64)> = t
            .iter()
            .zip(&w)
            .map(|(&ti, &wi)| {
                let x = c + scale * ti;
                let u = (x - mean[z]) / sigma[z];
                let density =
                    (-0.5 * u * u).exp() / ((2.0 * std::f64::consts::PI).sqrt() * sigma[z]);
                let f = wi * (ti * ti).exp() * scale * density;
                (f, f * x)
            })
            .collect();
        let integral = neumaier_sum(terms.iter().map(|p| p.0));
        let moment = neumaier_sum(terms.iter().map(|p| p.1));
        total.push(prior[z] * integral);
        first.push(prior[z] * moment);
    }
    let (total, first) = (neumaier_sum(total), neumaier_sum(first));
    ensure_finite_scalar("total of the hybrid network", total)?;
    ensure_finite_scalar("mean of x", first)?;
    Ok((total, first))
}
// ANCHOR_END: hybrid_total

//! The binary restricted Boltzmann machine
//!
//! p(v, h) = exp(v^T W h + v^T b + h^T a) / Z,
//!
//! with `n_v` visible units v in {0,1}^{n_v}, `n_h` hidden units h in {0,1}^{n_h},
//! weights W (n_v x n_h), visible bias b (length n_v) and hidden bias a
//! (length n_h). These are the source's symbols: b belongs to the visible
//! layer, a to the hidden one.
//!
//! This module holds the machine, its energy, its factorized conditionals and
//! its free energies; [`crate::rbm::exact`] sums them over a layer, and
//! [`crate::rbm::sampling`] draws from the conditionals.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::{ensure_finite, ensure_shape, Error, Result};
use crate::numerics::{sigmoid, softplus};

pub use crate::rbm::exact::state;

// ANCHOR: rbm_struct
/// A binary RBM: weights `w` (n_v x n_h), hidden bias `a` (n_h), visible bias `b` (n_v).
#[derive(Debug, Clone, PartialEq)]
pub struct Rbm {
    pub(crate) w: Array2<f64>,
    pub(crate) a: Array1<f64>,
    pub(crate) b: Array1<f64>,
}
// ANCHOR_END: rbm_struct

// ANCHOR: ensure_binary
/// Checks that every entry of a state vector is exactly 0 or 1.
pub fn ensure_binary(what: &str, s: ArrayView1<f64>) -> Result<()> {
    for (i, &x) in s.iter().enumerate() {
        if !x.is_finite() {
            return Err(Error::NonFinite {
                what: what.to_string(),
                index: vec![i],
                value: x,
            });
        }
        if x != 0.0 && x != 1.0 {
            return Err(Error::BadValue {
                what: what.to_string(),
                index: vec![i],
                value: x,
                allowed: "0 or 1".to_string(),
            });
        }
    }
    Ok(())
}
// ANCHOR_END: ensure_binary

/// Checks that a data set has `n_v` columns, at least one row, and binary entries.
pub fn ensure_data(data: ArrayView2<f64>, n_v: usize) -> Result<()> {
    if data.nrows() == 0 {
        return Err(Error::BadSize {
            what: "number of data vectors".to_string(),
            value: 0,
            constraint: "at least one data vector is needed".to_string(),
        });
    }
    ensure_shape("data", &[data.nrows(), n_v], data.shape())?;
    for (n, row) in data.outer_iter().enumerate() {
        ensure_binary(&format!("data vector {n}"), row)?;
    }
    Ok(())
}

impl Rbm {
    /// An RBM from its weights (n_v x n_h), hidden bias a (n_h) and visible bias b (n_v).
    pub fn new(w: Array2<f64>, a: Array1<f64>, b: Array1<f64>) -> Result<Rbm> {
        let (n_v, n_h) = w.dim();
        for (what, n) in [
            ("number of visible units", n_v),
            ("number of hidden units", n_h),
        ] {
            if n == 0 {
                return Err(Error::BadSize {
                    what: what.to_string(),
                    value: 0,
                    constraint: "an RBM needs at least one unit in each layer".to_string(),
                });
            }
        }
        ensure_shape("hidden bias a", &[n_h], a.shape())?;
        ensure_shape("visible bias b", &[n_v], b.shape())?;
        ensure_finite("weights W", &w)?;
        ensure_finite("hidden bias a", &a)?;
        ensure_finite("visible bias b", &b)?;
        Ok(Rbm { w, a, b })
    }

    /// The number of visible units.
    pub fn n_v(&self) -> usize {
        self.w.nrows()
    }
    /// The number of hidden units.
    pub fn n_h(&self) -> usize {
        self.w.ncols()
    }
    /// The weights W (n_v x n_h).
    pub fn w(&self) -> ArrayView2<'_, f64> {
        self.w.view()
    }
    /// The hidden bias a (n_h).
    pub fn a(&self) -> ArrayView1<'_, f64> {
        self.a.view()
    }
    /// The visible bias b (n_v).
    pub fn b(&self) -> ArrayView1<'_, f64> {
        self.b.view()
    }

    pub(crate) fn check_v(&self, v: ArrayView1<f64>) -> Result<()> {
        ensure_shape("visible state v", &[self.n_v()], v.shape())?;
        ensure_binary("visible state v", v)
    }
    pub(crate) fn check_h(&self, h: ArrayView1<f64>) -> Result<()> {
        ensure_shape("hidden state h", &[self.n_h()], h.shape())?;
        ensure_binary("hidden state h", h)
    }

    // ANCHOR: energy
    /// The energy E(v, h) = -v^T W h - v^T b - h^T a, so that p(v, h) = e^{-E(v, h)} / Z.
    pub fn energy(&self, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
        self.check_v(v)?;
        self.check_h(h)?;
        Ok(-(v.dot(&self.w.dot(&h)) + v.dot(&self.b) + h.dot(&self.a)))
    }
    // ANCHOR_END: energy

    // ANCHOR: inputs
    /// The input of the hidden units, x = W^T v + a (one entry per hidden unit).
    pub fn hidden_input(&self, v: ArrayView1<f64>) -> Result<Array1<f64>> {
        self.check_v(v)?;
        Ok(self.w.t().dot(&v) + &self.a)
    }

    /// The input of the visible units, y = W h + b (one entry per visible unit).
    pub fn visible_input(&self, h: ArrayView1<f64>) -> Result<Array1<f64>> {
        self.check_h(h)?;
        Ok(self.w.dot(&h) + &self.b)
    }
    // ANCHOR_END: inputs

    // ANCHOR: conditionals
    /// p(h_j = 1 | v) = sigma((W^T v + a)_j) for every hidden unit j.
    pub fn p_h_given_v(&self, v: ArrayView1<f64>) -> Result<Array1<f64>> {
        Ok(self.hidden_input(v)?.mapv(sigmoid))
    }

    /// p(v_i = 1 | h) = sigma((W h + b)_i) for every visible unit i.
    pub fn p_v_given_h(&self, h: ArrayView1<f64>) -> Result<Array1<f64>> {
        Ok(self.visible_input(h)?.mapv(sigmoid))
    }

    /// p(h | v) = prod_j sigma((2 h_j - 1)(W^T v + a)_j): the product of the per-unit conditionals.
    pub fn prob_h_given_v(&self, h: ArrayView1<f64>, v: ArrayView1<f64>) -> Result<f64> {
        self.check_h(h)?;
        let x = self.hidden_input(v)?;
        Ok(h.iter()
            .zip(x.iter())
            .map(|(&hj, &xj)| sigmoid((2.0 * hj - 1.0) * xj))
            .product())
    }

    /// p(v | h) = prod_i sigma((2 v_i - 1)(W h + b)_i).
    pub fn prob_v_given_h(&self, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
        self.check_v(v)?;
        let y = self.visible_input(h)?;
        Ok(v.iter()
            .zip(y.iter())
            .map(|(&vi, &yi)| sigmoid((2.0 * vi - 1.0) * yi))
            .product())
    }
    // ANCHOR_END: conditionals

    // ANCHOR: free_energy
    /// The free energy F(v) = -v^T b - sum_j softplus((W^T v + a)_j), so that p(v) = e^{-F(v)} / Z.
    pub fn free_energy(&self, v: ArrayView1<f64>) -> Result<f64> {
        let x = self.hidden_input(v)?;
        Ok(-v.dot(&self.b) - x.iter().map(|&xj| softplus(xj)).sum::<f64>())
    }

    /// The free energy of the hidden layer, F(h) = -h^T a - sum_i softplus((W h + b)_i),
    /// so that p(h) = e^{-F(h)} / Z.
    pub fn free_energy_hidden(&self, h: ArrayView1<f64>) -> Result<f64> {
        let y = self.visible_input(h)?;
        Ok(-h.dot(&self.a) - y.iter().map(|&yi| softplus(yi)).sum::<f64>())
    }
    // ANCHOR_END: free_energy
}

//! The binary restricted Boltzmann machine
//!
//! p(v, h) = exp(v^T W h + v^T b + h^T a) / Z,
//!
//! with `n_v` visible units v in {0,1}^{n_v}, `n_h` hidden units h in {0,1}^{n_h},
//! weights W (n_v x n_h), visible bias b (length n_v) and hidden bias a
//! (length n_h). These are the source's symbols; the code names them
//! [`Rbm::w`], [`Rbm::visible_bias`] (b) and [`Rbm::hidden_bias`] (a).
//!
//! This module holds the machine, its energy, its factorized conditionals and
//! its free energies; [`crate::rbm::exact`] sums them over a layer, and
//! [`crate::rbm::sampling`] draws from the conditionals.

use ndarray::{Array, Array1, Array2, ArrayView1, ArrayView2, Dimension};

use crate::error::{ensure_finite, ensure_shape, Error, Result};
use crate::numerics::{sigmoid, softplus};

// ANCHOR: rbm_struct
/// A binary RBM. `w` is n_v x n_h: row i belongs to visible unit i, column j
/// to hidden unit j, so `w[(i, j)]` is the source's W_ij. `visible_bias` is
/// the source's b (length n_v), `hidden_bias` its a (length n_h).
#[derive(Debug, Clone, PartialEq)]
pub struct Rbm {
    w: Array2<f64>,
    visible_bias: Array1<f64>,
    hidden_bias: Array1<f64>,
}
// ANCHOR_END: rbm_struct

// ANCHOR: rbm_ensure_binary
/// Checks that every entry of a state vector is exactly 0 or 1.
pub(crate) fn ensure_binary(what: &str, s: ArrayView1<f64>) -> Result<()> {
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

/// Checks that a data set has `n_v` columns, at least one row, and binary entries.
pub(crate) fn ensure_data(data: ArrayView2<f64>, n_v: usize) -> Result<()> {
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
// ANCHOR_END: rbm_ensure_binary

// ANCHOR: rbm_new
/// The largest magnitude of a weight or bias, 10^6. A sigmoid or a Bernoulli
/// draw already saturates in `f64` at inputs beyond about 40, so larger
/// parameters describe no other machine; and with this bound every energy,
/// input and free energy is a sum of terms of at most 10^6, so it cannot
/// overflow, and its rounding error (about 2^-53 times the sum) stays far
/// below one unit in the exponent: the routines of the chapter return finite,
/// accurate numbers. Larger parameters are refused with [`Error::OutOfRange`].
pub const MAX_PARAMETER: f64 = 1e6;

/// Checks that every entry of `a` is finite and at most [`MAX_PARAMETER`] in magnitude.
fn ensure_parameter<D: Dimension>(what: &str, a: &Array<f64, D>) -> Result<()> {
    ensure_finite(what, a)?;
    for (index, &value) in a.indexed_iter() {
        if value.abs() > MAX_PARAMETER {
            let index = ndarray::IntoDimension::into_dimension(index);
            return Err(Error::OutOfRange {
                what: format!("{what} at index {:?}", index.slice()),
                value,
                range: format!("[-{MAX_PARAMETER:e}, {MAX_PARAMETER:e}]"),
            });
        }
    }
    Ok(())
}

impl Rbm {
    /// An RBM from its weights `w` (n_v x n_h, the source's W), its hidden
    /// bias (n_h, the source's a) and its visible bias (n_v, the source's b).
    /// Every parameter must be finite and at most [`MAX_PARAMETER`] in magnitude.
    /// The builder [`Rbm::from_weights`] with [`Rbm::with_hidden_bias`] and
    /// [`Rbm::with_visible_bias`] does the same with every argument named.
    pub fn new(w: Array2<f64>, hidden_bias: Array1<f64>, visible_bias: Array1<f64>) -> Result<Rbm> {
        let (n_v, n_h) = w.dim();
        for (what, n) in [
            ("number of visible units (rows of w)", n_v),
            ("number of hidden units (columns of w)", n_h),
        ] {
            if n == 0 {
                return Err(Error::BadSize {
                    what: what.to_string(),
                    value: 0,
                    constraint: "an RBM needs at least one unit in each layer".to_string(),
                });
            }
        }
        ensure_shape("hidden bias a", &[n_h], hidden_bias.shape())?;
        ensure_shape("visible bias b", &[n_v], visible_bias.shape())?;
        ensure_parameter("weights W", &w)?;
        ensure_parameter("hidden bias a", &hidden_bias)?;
        ensure_parameter("visible bias b", &visible_bias)?;
        Ok(Rbm {
            w,
            visible_bias,
            hidden_bias,
        })
    }

    /// An RBM with weights `w` (n_v x n_h) and both biases zero; set them
    /// with [`Rbm::with_visible_bias`] and [`Rbm::with_hidden_bias`].
    pub fn from_weights(w: Array2<f64>) -> Result<Rbm> {
        let (n_v, n_h) = w.dim();
        Rbm::new(w, Array1::zeros(n_h), Array1::zeros(n_v))
    }

    /// The same machine with visible bias b (one entry per visible unit).
    pub fn with_visible_bias(self, visible_bias: Array1<f64>) -> Result<Rbm> {
        Rbm::new(self.w, self.hidden_bias, visible_bias)
    }

    /// The same machine with hidden bias a (one entry per hidden unit).
    pub fn with_hidden_bias(self, hidden_bias: Array1<f64>) -> Result<Rbm> {
        Rbm::new(self.w, hidden_bias, self.visible_bias)
    }

    /// The number of visible units, n_v (the rows of `w`).
    pub fn n_v(&self) -> usize {
        self.w.nrows()
    }
    /// The number of hidden units, n_h (the columns of `w`).
    pub fn n_h(&self) -> usize {
        self.w.ncols()
    }
    /// The weights W, n_v x n_h: entry (i, j) joins visible unit i to hidden unit j.
    pub fn w(&self) -> ArrayView2<'_, f64> {
        self.w.view()
    }
    /// The visible bias, the source's b (length n_v).
    pub fn visible_bias(&self) -> ArrayView1<'_, f64> {
        self.visible_bias.view()
    }
    /// The hidden bias, the source's a (length n_h).
    pub fn hidden_bias(&self) -> ArrayView1<'_, f64> {
        self.hidden_bias.view()
    }

    /// Checks that `v` is a visible state: n_v entries, each 0 or 1.
    pub(crate) fn check_v(&self, v: ArrayView1<f64>) -> Result<()> {
        ensure_shape("visible state v", &[self.n_v()], v.shape())?;
        ensure_binary("visible state v", v)
    }
    /// Checks that `h` is a hidden state: n_h entries, each 0 or 1.
    pub(crate) fn check_h(&self, h: ArrayView1<f64>) -> Result<()> {
        ensure_shape("hidden state h", &[self.n_h()], h.shape())?;
        ensure_binary("hidden state h", h)
    }
}
// ANCHOR_END: rbm_new

// ANCHOR: rbm_energy
impl Rbm {
    /// The energy E(v, h) = -v^T W h - v^T b - h^T a, so that p(v, h) = e^{-E(v, h)} / Z.
    pub fn energy(&self, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
        self.check_v(v)?;
        self.check_h(h)?;
        Ok(-(v.dot(&self.w.dot(&h)) + v.dot(&self.visible_bias) + h.dot(&self.hidden_bias)))
    }
}
// ANCHOR_END: rbm_energy

// ANCHOR: rbm_inputs
impl Rbm {
    /// The input of the hidden units, x = W^T v + a (one entry per hidden unit).
    pub fn hidden_input(&self, v: ArrayView1<f64>) -> Result<Array1<f64>> {
        self.check_v(v)?;
        Ok(self.w.t().dot(&v) + &self.hidden_bias)
    }

    /// The input of the visible units, y = W h + b (one entry per visible unit).
    pub fn visible_input(&self, h: ArrayView1<f64>) -> Result<Array1<f64>> {
        self.check_h(h)?;
        Ok(self.w.dot(&h) + &self.visible_bias)
    }
}
// ANCHOR_END: rbm_inputs

// ANCHOR: rbm_conditionals
impl Rbm {
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

    /// ln p(h | v) = sum_j ln sigma((2 h_j - 1) x_j) = -sum_j softplus(-(2 h_j - 1) x_j):
    /// finite where p(h | v) itself underflows to 0.
    pub fn log_prob_h_given_v(&self, h: ArrayView1<f64>, v: ArrayView1<f64>) -> Result<f64> {
        self.check_h(h)?;
        let x = self.hidden_input(v)?;
        Ok(-h
            .iter()
            .zip(x.iter())
            .map(|(&hj, &xj)| softplus(-(2.0 * hj - 1.0) * xj))
            .sum::<f64>())
    }

    /// ln p(v | h) = -sum_i softplus(-(2 v_i - 1)(W h + b)_i).
    pub fn log_prob_v_given_h(&self, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
        self.check_v(v)?;
        let y = self.visible_input(h)?;
        Ok(-v
            .iter()
            .zip(y.iter())
            .map(|(&vi, &yi)| softplus(-(2.0 * vi - 1.0) * yi))
            .sum::<f64>())
    }
}
// ANCHOR_END: rbm_conditionals

// ANCHOR: rbm_free_energy
impl Rbm {
    /// The free energy F(v) = -v^T b - sum_j softplus((W^T v + a)_j), so that p(v) = e^{-F(v)} / Z.
    pub fn free_energy(&self, v: ArrayView1<f64>) -> Result<f64> {
        let x = self.hidden_input(v)?;
        Ok(-v.dot(&self.visible_bias) - x.iter().map(|&xj| softplus(xj)).sum::<f64>())
    }

    /// The free energy of the hidden layer, F(h) = -h^T a - sum_i softplus((W h + b)_i),
    /// so that p(h) = e^{-F(h)} / Z.
    pub fn free_energy_hidden(&self, h: ArrayView1<f64>) -> Result<f64> {
        let y = self.visible_input(h)?;
        Ok(-h.dot(&self.hidden_bias) - y.iter().map(|&yi| softplus(yi)).sum::<f64>())
    }
}
// ANCHOR_END: rbm_free_energy

//! The code the chapter's exercises ask for: the partition function of a
//! machine with one hidden unit in closed form, the gradient of the free
//! energy of one data vector, and an RBM with Gaussian visible units.

use ndarray::{Array1, ArrayView1};

use crate::error::{ensure_finite, ensure_finite_scalar, ensure_shape, Error, Result};
use crate::numerics::{log_sum_exp, sigmoid, softplus};
use crate::rbm::model::Rbm;
use crate::rbm::moments::Gradient;

// ANCHOR: rbm_ex_one_hidden
/// ln Z of a machine with exactly one hidden unit, in closed form: summing
/// h_1 in {0, 1} by hand,
/// Z = prod_i (1 + e^{b_i}) + e^{a_1} prod_i (1 + e^{b_i + W_i1}),
/// each product taken in the log domain as a sum of softplus terms.
pub fn one_hidden_log_z(rbm: &Rbm) -> Result<f64> {
    if rbm.n_h() != 1 {
        return Err(Error::BadSize {
            what: "number of hidden units n_h".to_string(),
            value: rbm.n_h(),
            constraint: "the closed form is for exactly one hidden unit".to_string(),
        });
    }
    let b = rbm.visible_bias();
    let w = rbm.w();
    let off: f64 = b.iter().map(|&b_i| softplus(b_i)).sum();
    let on: f64 = rbm.hidden_bias()[0]
        + b.iter()
            .zip(w.column(0))
            .map(|(&b_i, &w_i)| softplus(b_i + w_i))
            .sum::<f64>();
    Ok(log_sum_exp(&[off, on]))
}
// ANCHOR_END: rbm_ex_one_hidden

// ANCHOR: rbm_ex_free_energy_gradient
/// The gradient of the free energy F(v) of one visible vector:
/// dF/dW = -v sigma(x)^T, dF/da = -sigma(x), dF/db = -v, with x = W^T v + a.
/// Minus it is the data term of the log-likelihood's gradient for v.
pub fn free_energy_gradient(rbm: &Rbm, v: ArrayView1<f64>) -> Result<Gradient> {
    let p = rbm.hidden_input(v)?.mapv(sigmoid);
    let (n_v, n_h) = (rbm.n_v(), rbm.n_h());
    let dw = ndarray::Array2::from_shape_fn((n_v, n_h), |(i, j)| -v[i] * p[j]);
    Gradient::new(dw, -&p, -&v.to_owned())
}
// ANCHOR_END: rbm_ex_free_energy_gradient

// ANCHOR: rbm_ex_gaussian
/// The energy of an RBM whose visible units are real with unit variance:
/// E(v, h) = |v - b|^2 / 2 - v^T W h - h^T a, for real v (n_v entries) and
/// binary h. An energy too large for `f64` is an error.
pub fn gaussian_energy(rbm: &Rbm, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
    ensure_shape("visible vector v", &[rbm.n_v()], v.shape())?;
    ensure_finite("visible vector v", &v)?;
    rbm.check_h(h)?;
    let d = &v - &rbm.visible_bias();
    let energy = 0.5 * d.dot(&d) - v.dot(&rbm.w().dot(&h)) - h.dot(&rbm.hidden_bias());
    ensure_finite_scalar("energy E(v, h)", energy)?;
    Ok(energy)
}

/// The mean of p(v | h) for Gaussian visible units: b + W h. Completing the
/// square, E(v, h) = |v - (b + W h)|^2 / 2 + terms without v, so
/// p(v | h) is the normal distribution of this mean and the identity covariance.
pub fn gaussian_visible_mean(rbm: &Rbm, h: ArrayView1<f64>) -> Result<Array1<f64>> {
    rbm.visible_input(h)
}

/// ln p(v | h) = -|v - (b + W h)|^2 / 2 - (n_v / 2) ln(2 pi), the log density
/// of the normal distribution with mean b + W h and unit variance.
pub fn gaussian_log_p_v_given_h(rbm: &Rbm, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
    ensure_shape("visible vector v", &[rbm.n_v()], v.shape())?;
    ensure_finite("visible vector v", &v)?;
    let d = &v - &gaussian_visible_mean(rbm, h)?;
    let log_p = -0.5 * d.dot(&d) - 0.5 * rbm.n_v() as f64 * (2.0 * std::f64::consts::PI).ln();
    ensure_finite_scalar("log density ln p(v | h)", log_p)?;
    Ok(log_p)
}
// ANCHOR_END: rbm_ex_gaussian

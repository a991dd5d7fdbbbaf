//! The source's formulas for problem 3, exactly as written, so that the errata
//! can show each wrong line failing on a concrete case. Nothing else in the
//! crate uses them.

use ndarray::ArrayView1;

use crate::error::{ensure_finite, ensure_finite_scalar, Error, Result};
use crate::numerics::sigmoid;
use crate::rbm::model::Rbm;

// ANCHOR: source_formulas
/// Source, first line: "p(h | v) = p(v, h) / p(h)", with the true p(v, h) and p(h).
/// Since p(v, h) = e^{-E(v, h)} / Z and p(h) = e^{-F(h)} / Z, the ratio is e^{F(h) - E(v, h)}.
pub fn joint_over_p_h(rbm: &Rbm, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
    Ok((rbm.free_energy_hidden(h)? - rbm.energy(v, h)?).exp())
}

/// Source, end of the first display: "prod_j sigma(h_j (W^T v + a)_j)".
pub fn product_of_sigma_h_x(rbm: &Rbm, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
    rbm.check_h(h)?;
    let x = rbm.hidden_input(v)?;
    Ok(h.iter()
        .zip(x.iter())
        .map(|(&hj, &xj)| sigmoid(hj * xj))
        .product())
}

/// Source, "sum over h_i in {0, 1} of sigma(h_i (W^T v + a)_i)", which its last
/// step needs to be 1: it is sigma(0) + sigma(x_i) = 1/2 + sigma(x_i).
pub fn unit_sum(x_i: f64) -> Result<f64> {
    ensure_finite_scalar("input x_i", x_i)?;
    Ok(sigmoid(0.0 * x_i) + sigmoid(x_i))
}

/// Checks that `j` (0-based) is one of `n_h` hidden units.
fn ensure_hidden_unit(j: usize, n_h: usize) -> Result<()> {
    if j >= n_h {
        return Err(Error::BadSize {
            what: "hidden unit j".to_string(),
            value: j,
            constraint: format!("must be less than the number of hidden units, {n_h}"),
        });
    }
    Ok(())
}

/// The source's chain for p(h_j = 1 | v) evaluated with its own factors:
/// sigma(x_j) prod_{i != j} sum_{h_i} sigma(h_i x_i), for the inputs x of the
/// hidden units. (`j` is 0-based.) The product lies in [0, (3/2)^{n_h}].
pub fn marginal_by_source_chain(x: ArrayView1<f64>, j: usize) -> Result<f64> {
    ensure_hidden_unit(j, x.len())?;
    ensure_finite("inputs x", &x)?;
    let p: f64 = x
        .iter()
        .enumerate()
        .map(|(i, &xi)| {
            if i == j {
                Ok(sigmoid(xi))
            } else {
                unit_sum(xi)
            }
        })
        .product::<Result<f64>>()?;
    if !p.is_finite() {
        // (3/2)^{n - 1} overflows from about n = 1750 inputs on.
        return Err(Error::Overflow {
            what: "product over the inputs x".to_string(),
            operands: vec![x.len()],
        });
    }
    Ok(p)
}

/// Source, closing remark: "p(h_j | v) = sigma(h_j (W^T v + 1)_j)", at h_j = 1.
pub fn stray_constant(rbm: &Rbm, v: ArrayView1<f64>, j: usize) -> Result<f64> {
    ensure_hidden_unit(j, rbm.n_h())?;
    let x = rbm.hidden_input(v)?;
    Ok(sigmoid(x[j] - rbm.hidden_bias()[j] + 1.0))
}

/// Source, last line: "p(v, h) = prod_j p(h_j | v)": the product the source
/// names a joint, with the true per-unit conditionals.
pub fn product_named_joint(rbm: &Rbm, v: ArrayView1<f64>, h: ArrayView1<f64>) -> Result<f64> {
    rbm.prob_h_given_v(h, v)
}
// ANCHOR_END: source_formulas

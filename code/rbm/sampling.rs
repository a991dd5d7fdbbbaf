//! Block Gibbs sampling: each layer is drawn at once from its factorized
//! conditional, one Bernoulli draw a unit.

use ndarray::{Array1, ArrayView1};
use rand::{Rng, RngExt};

use crate::error::{ensure_shape, Result};
use crate::numerics::sigmoid;
use crate::rbm::model::Rbm;

// ANCHOR: rbm_sampling
/// 1 with probability `p`, else 0: one uniform draw u in [0, 1), compared with p.
fn bernoulli_unit<R: Rng + ?Sized>(p: f64, rng: &mut R) -> f64 {
    if rng.random::<f64>() < p {
        1.0
    } else {
        0.0
    }
}

/// Draws each unit independently: unit i is 1 with probability p_i.
fn bernoulli<R: Rng + ?Sized>(p: ArrayView1<f64>, rng: &mut R) -> Array1<f64> {
    p.mapv(|pi| bernoulli_unit(pi, rng))
}

impl Rbm {
    /// Draws h ~ p(h | v): each h_j is 1 with probability sigma((W^T v + a)_j), independently.
    pub fn sample_h_given_v<R: Rng + ?Sized>(
        &self,
        v: ArrayView1<f64>,
        rng: &mut R,
    ) -> Result<Array1<f64>> {
        Ok(bernoulli(self.p_h_given_v(v)?.view(), rng))
    }

    /// Draws v ~ p(v | h): each v_i is 1 with probability sigma((W h + b)_i), independently.
    pub fn sample_v_given_h<R: Rng + ?Sized>(
        &self,
        h: ArrayView1<f64>,
        rng: &mut R,
    ) -> Result<Array1<f64>> {
        Ok(bernoulli(self.p_v_given_h(h)?.view(), rng))
    }

    /// One step of block Gibbs sampling from v: h ~ p(h | v), then v' ~ p(v | h).
    /// Returns (h, v'); the pair is a draw from p(v, h) when v is.
    pub fn gibbs_step<R: Rng + ?Sized>(
        &self,
        v: ArrayView1<f64>,
        rng: &mut R,
    ) -> Result<(Array1<f64>, Array1<f64>)> {
        let h = self.sample_h_given_v(v, rng)?;
        let v_next = self.sample_v_given_h(h.view(), rng)?;
        Ok((h, v_next))
    }
}
// ANCHOR_END: rbm_sampling

// ANCHOR: rbm_sweep
impl Rbm {
    /// One block Gibbs sweep in place, the same draws as [`Rbm::gibbs_step`]
    /// without allocating: h ~ p(h | v) into `h`, then v ~ p(v | h) into `v`.
    /// The inputs W^T v + a and W h + b are formed by the same matrix-vector
    /// product as [`Rbm::hidden_input`] and [`Rbm::visible_input`], so the
    /// draws agree bit for bit.
    pub fn gibbs_sweep<R: Rng + ?Sized>(
        &self,
        v: &mut Array1<f64>,
        h: &mut Array1<f64>,
        rng: &mut R,
    ) -> Result<()> {
        self.check_v(v.view())?;
        ensure_shape("hidden state h", &[self.n_h()], h.shape())?;
        ndarray::linalg::general_mat_vec_mul(1.0, &self.w().t(), &*v, 0.0, &mut *h);
        *h += &self.hidden_bias();
        h.mapv_inplace(|x| bernoulli_unit(sigmoid(x), rng));
        ndarray::linalg::general_mat_vec_mul(1.0, &self.w(), &*h, 0.0, &mut *v);
        *v += &self.visible_bias();
        v.mapv_inplace(|y| bernoulli_unit(sigmoid(y), rng));
        Ok(())
    }
}
// ANCHOR_END: rbm_sweep

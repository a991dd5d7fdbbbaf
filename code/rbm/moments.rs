//! The statistics the gradient of the log-likelihood is made of: the moments
//! E[v h^T], E[h], E[v] of a distribution, and the gradient with respect to
//! W, a and b as the difference of two such moments.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::{
    ensure_allocatable, ensure_finite, ensure_finite_scalar, ensure_shape, Error, Result,
};

// ANCHOR: rbm_moments_type
/// Expectations of the sufficient statistics v h^T, h and v under some
/// distribution: E[v h^T] (n_v x n_h), E[h] (n_h) and E[v] (n_v).
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    vh: Array2<f64>,
    h: Array1<f64>,
    v: Array1<f64>,
}

impl Moments {
    /// All moments zero, for n_v visible and n_h hidden units.
    pub fn zeros(n_v: usize, n_h: usize) -> Result<Moments> {
        ensure_allocatable("moments E[v h^T]", &[n_v, n_h])?;
        // Each axis on its own too: a product with a zero would pass any length.
        ensure_allocatable("moments E[v]: number of visible units n_v", &[n_v])?;
        ensure_allocatable("moments E[h]: number of hidden units n_h", &[n_h])?;
        Ok(Moments {
            vh: Array2::zeros((n_v, n_h)),
            h: Array1::zeros(n_h),
            v: Array1::zeros(n_v),
        })
    }

    /// E[v h^T], n_v x n_h.
    pub fn vh(&self) -> ArrayView2<'_, f64> {
        self.vh.view()
    }
    /// E[h], one entry per hidden unit.
    pub fn h(&self) -> ArrayView1<'_, f64> {
        self.h.view()
    }
    /// E[v], one entry per visible unit.
    pub fn v(&self) -> ArrayView1<'_, f64> {
        self.v.view()
    }

    /// Adds weight * (v h^T, h, v): `v` has one entry per visible unit, `h`
    /// one per hidden unit. Fails, leaving the moments unchanged, if a shape
    /// differs, an input is not finite, or a sum would overflow.
    pub fn add(&mut self, v: ArrayView1<f64>, h: ArrayView1<f64>, weight: f64) -> Result<()> {
        ensure_shape("visible vector v", self.v.shape(), v.shape())?;
        ensure_shape("hidden vector h", self.h.shape(), h.shape())?;
        ensure_finite("visible vector v", &v)?;
        ensure_finite("hidden vector h", &h)?;
        ensure_finite_scalar("weight", weight)?;
        // First pass: every new value must be finite; second pass: write them.
        let vh_ok = self.vh.outer_iter().zip(v.iter()).all(|(row, &vi)| {
            let wv = weight * vi;
            row.iter()
                .zip(h.iter())
                .all(|(&m, &hj)| (m + wv * hj).is_finite())
        });
        let h_ok = self
            .h
            .iter()
            .zip(h.iter())
            .all(|(&m, &hj)| (m + weight * hj).is_finite());
        let v_ok = self
            .v
            .iter()
            .zip(v.iter())
            .all(|(&m, &vi)| (m + weight * vi).is_finite());
        if !(vh_ok && h_ok && v_ok) {
            return Err(Error::OutOfRange {
                what: "weight".to_string(),
                value: weight,
                range: "small enough that the moments stay finite".to_string(),
            });
        }
        for (mut row, &vi) in self.vh.outer_iter_mut().zip(v.iter()) {
            if vi != 0.0 {
                let wv = weight * vi;
                row.zip_mut_with(&h, |m, &hj| *m += wv * hj);
            }
        }
        self.h.scaled_add(weight, &h);
        self.v.scaled_add(weight, &v);
        Ok(())
    }

    /// Multiplies every moment by `factor`. Fails, leaving the moments
    /// unchanged, if `factor` is not finite or a product would overflow.
    pub fn scale(&mut self, factor: f64) -> Result<()> {
        ensure_finite_scalar("factor", factor)?;
        let all = self.vh.iter().chain(self.h.iter()).chain(self.v.iter());
        if !all.map(|&m| m * factor).all(f64::is_finite) {
            return Err(Error::OutOfRange {
                what: "factor".to_string(),
                value: factor,
                range: "small enough that the moments stay finite".to_string(),
            });
        }
        self.vh *= factor;
        self.h *= factor;
        self.v *= factor;
        Ok(())
    }
}
// ANCHOR_END: rbm_moments_type

// ANCHOR: rbm_gradient_type
/// The gradient of the average log-likelihood with respect to W (n_v x n_h),
/// the hidden bias a (n_h) and the visible bias b (n_v).
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient {
    w: Array2<f64>,
    hidden_bias: Array1<f64>,
    visible_bias: Array1<f64>,
}

impl Gradient {
    /// A gradient from its parts, in the order of [`Rbm::new`]: d/dW
    /// (n_v x n_h), d/da (n_h), d/db (n_v). The shapes must fit one machine
    /// and every entry must be finite.
    pub fn new(
        w: Array2<f64>,
        hidden_bias: Array1<f64>,
        visible_bias: Array1<f64>,
    ) -> Result<Gradient> {
        let (n_v, n_h) = w.dim();
        ensure_shape("gradient of the hidden bias a", &[n_h], hidden_bias.shape())?;
        ensure_shape(
            "gradient of the visible bias b",
            &[n_v],
            visible_bias.shape(),
        )?;
        ensure_finite("gradient of W", &w)?;
        ensure_finite("gradient of the hidden bias a", &hidden_bias)?;
        ensure_finite("gradient of the visible bias b", &visible_bias)?;
        Ok(Gradient {
            w,
            hidden_bias,
            visible_bias,
        })
    }
    /// d/dW, n_v x n_h.
    pub fn w(&self) -> ArrayView2<'_, f64> {
        self.w.view()
    }
    /// d/da, the derivative with respect to the hidden bias (n_h).
    pub fn hidden_bias(&self) -> ArrayView1<'_, f64> {
        self.hidden_bias.view()
    }
    /// d/db, the derivative with respect to the visible bias (n_v).
    pub fn visible_bias(&self) -> ArrayView1<'_, f64> {
        self.visible_bias.view()
    }
}

impl Moments {
    /// The gradient "these moments minus `other`": W from v h^T, a from h, b
    /// from v. Both must be moments of machines of the same shape.
    pub fn minus(&self, other: &Moments) -> Result<Gradient> {
        ensure_shape("other moments", self.vh.shape(), other.vh.shape())?;
        Gradient::new(&self.vh - &other.vh, &self.h - &other.h, &self.v - &other.v)
    }
}
// ANCHOR_END: rbm_gradient_type

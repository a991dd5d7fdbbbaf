//! Exact sums over a layer: the partition function, the log-likelihood and
//! its gradient, by enumerating the 2^n states of the smaller layer through
//! its free energy. Each routine refuses a layer of more than
//! [`MAX_ENUMERATED_UNITS`] units.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};

use crate::error::{Error, Result};
use crate::numerics::{log_sum_exp, sigmoid, softplus};
use crate::rbm::model::{ensure_data, Rbm};

/// The largest layer the exact routines enumerate (2^20 states, about a
/// million): beyond it an exact partition function is no longer cheap, and the
/// routines return [`Error::BadSize`] instead of running for minutes.
pub const MAX_ENUMERATED_UNITS: usize = 20;

/// One of the two layers of an RBM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The visible units v.
    Visible,
    /// The hidden units h.
    Hidden,
}

/// Expectations of the sufficient statistics v h^T, h and v under some distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    /// E[v h^T] (n_v x n_h).
    pub vh: Array2<f64>,
    /// E[h] (n_h).
    pub h: Array1<f64>,
    /// E[v] (n_v).
    pub v: Array1<f64>,
}

/// The gradient of the average log-likelihood with respect to W, a and b.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradient {
    /// d/dW (n_v x n_h).
    pub w: Array2<f64>,
    /// d/da (n_h).
    pub a: Array1<f64>,
    /// d/db (n_v).
    pub b: Array1<f64>,
}

/// The binary state number `index` of `n` units: unit `i` (0-based) is bit `i` of `index`.
pub fn state(index: usize, n: usize) -> Array1<f64> {
    Array1::from_shape_fn(n, |i| ((index >> i) & 1) as f64)
}

/// Checks that a layer of `n` units is small enough to enumerate.
pub fn ensure_enumerable(what: &str, n: usize) -> Result<()> {
    if n > MAX_ENUMERATED_UNITS {
        return Err(Error::BadSize {
            what: what.to_string(),
            value: n,
            constraint: format!(
                "exact enumeration needs at most {MAX_ENUMERATED_UNITS} units in the smaller layer"
            ),
        });
    }
    Ok(())
}

impl Rbm {
    // ANCHOR: log_z
    /// The smaller layer (the hidden one on a tie): the one the exact routines enumerate.
    pub fn smaller_layer(&self) -> Layer {
        if self.n_h() <= self.n_v() {
            Layer::Hidden
        } else {
            Layer::Visible
        }
    }

    /// ln Z, by enumerating the smaller layer through its free energy:
    /// ln Z = ln sum_v e^{-F(v)} = ln sum_h e^{-F(h)}.
    pub fn log_z(&self) -> Result<f64> {
        self.log_z_by(self.smaller_layer())
    }

    /// ln Z by enumerating the given layer: ln sum_s e^{-F(s)} over its 2^n states.
    pub fn log_z_by(&self, layer: Layer) -> Result<f64> {
        let layer = EnumeratedLayer::new(self, layer)?;
        Ok(log_sum_exp(&layer.minus_free_energies()))
    }
    // ANCHOR_END: log_z

    // ANCHOR: log_likelihood
    /// The exact average log-likelihood (1/N) sum_n ln p(v_n) = (1/N) sum_n (-F(v_n)) - ln Z
    /// of the rows of `data` (N x n_v, entries 0 or 1).
    pub fn log_likelihood(&self, data: ArrayView2<f64>) -> Result<f64> {
        ensure_data(data, self.n_v())?;
        let log_z = self.log_z()?;
        let mut sum = 0.0;
        for v in data.outer_iter() {
            sum -= self.free_energy(v)?;
        }
        Ok(sum / data.nrows() as f64 - log_z)
    }
    // ANCHOR_END: log_likelihood

    // ANCHOR: moments
    /// The data term of the gradient: the averages over the rows v_n of `data` of
    /// v_n E[h | v_n]^T, E[h | v_n] and v_n, where E[h | v] = sigma(W^T v + a).
    pub fn data_moments(&self, data: ArrayView2<f64>) -> Result<Moments> {
        ensure_data(data, self.n_v())?;
        let mut m = Moments::zeros(self.n_v(), self.n_h());
        for v in data.outer_iter() {
            let p_h = self.p_h_given_v(v)?;
            m.add(v, p_h.view(), 1.0);
        }
        m.scale(1.0 / data.nrows() as f64);
        Ok(m)
    }

    /// The model term of the gradient: E[v h^T], E[h] and E[v] under p(v, h), exactly,
    /// by enumerating the smaller layer. Enumerating v uses
    /// E[v h^T] = sum_v p(v) v sigma(W^T v + a)^T; enumerating h uses
    /// E[v h^T] = sum_h p(h) sigma(W h + b) h^T.
    pub fn model_moments(&self) -> Result<Moments> {
        let layer = EnumeratedLayer::new(self, self.smaller_layer())?;
        let minus_f = layer.minus_free_energies();
        let log_z = log_sum_exp(&minus_f);
        let mut m = Moments::zeros(self.n_v(), self.n_h());
        let mut input = Array1::zeros(layer.m.nrows());
        for (k, &mf) in minus_f.iter().enumerate() {
            let p = (mf - log_z).exp();
            layer.minus_free_energy(k, &mut input);
            let s = state(k, layer.c.len());
            let expected_other = input.mapv(sigmoid);
            match layer.layer {
                Layer::Hidden => m.add(expected_other.view(), s.view(), p),
                Layer::Visible => m.add(s.view(), expected_other.view(), p),
            }
        }
        Ok(m)
    }
    // ANCHOR_END: moments

    // ANCHOR: gradient
    /// The exact gradient of the average log-likelihood of `data`:
    /// data moments minus model moments, for W, a and b.
    pub fn gradient(&self, data: ArrayView2<f64>) -> Result<Gradient> {
        let data_term = self.data_moments(data)?;
        let model_term = self.model_moments()?;
        Ok(data_term.minus(&model_term))
    }
    // ANCHOR_END: gradient
}

/// A layer of an RBM, oriented for enumeration: `m` maps its state s
/// to the input `m s + d` of the other layer, and `c` is its own bias.
struct EnumeratedLayer {
    layer: Layer,
    m: Array2<f64>,
    c: Array1<f64>,
    d: Array1<f64>,
}

impl EnumeratedLayer {
    /// The given layer of `rbm`, set up for enumeration, if it is small enough.
    fn new(rbm: &Rbm, layer: Layer) -> Result<EnumeratedLayer> {
        let (m, c, d) = match layer {
            Layer::Hidden => {
                ensure_enumerable("number of hidden units", rbm.n_h())?;
                (rbm.w().to_owned(), rbm.a().to_owned(), rbm.b().to_owned())
            }
            Layer::Visible => {
                ensure_enumerable("number of visible units", rbm.n_v())?;
                (
                    rbm.w().t().to_owned(),
                    rbm.b().to_owned(),
                    rbm.a().to_owned(),
                )
            }
        };
        Ok(EnumeratedLayer { layer, m, c, d })
    }

    /// -F(s) for every state s of the layer, in state order.
    fn minus_free_energies(&self) -> Vec<f64> {
        let mut input = Array1::zeros(self.m.nrows());
        (0..1usize << self.c.len())
            .map(|k| self.minus_free_energy(k, &mut input))
            .collect()
    }

    /// -F(s) = c^T s + sum_r softplus((m s + d)_r) for state number `k`; leaves
    /// the input m s + d of the other layer in `input`.
    fn minus_free_energy(&self, k: usize, input: &mut Array1<f64>) -> f64 {
        // The units that are on in state k (at most MAX_ENUMERATED_UNITS).
        let mut on = [0usize; MAX_ENUMERATED_UNITS];
        let mut count = 0;
        for u in 0..self.c.len() {
            if (k >> u) & 1 == 1 {
                on[count] = u;
                count += 1;
            }
        }
        let on = &on[..count];
        let mut total: f64 = on.iter().map(|&u| self.c[u]).sum();
        for ((slot, row), &d) in input.iter_mut().zip(self.m.outer_iter()).zip(self.d.iter()) {
            let x = d + on.iter().map(|&u| row[u]).sum::<f64>();
            *slot = x;
            total += softplus(x);
        }
        total
    }
}

impl Moments {
    /// All moments zero.
    pub fn zeros(n_v: usize, n_h: usize) -> Moments {
        Moments {
            vh: Array2::zeros((n_v, n_h)),
            h: Array1::zeros(n_h),
            v: Array1::zeros(n_v),
        }
    }

    /// Adds weight * (v h^T, h, v).
    pub fn add(&mut self, v: ArrayView1<f64>, h: ArrayView1<f64>, weight: f64) {
        for (i, &vi) in v.iter().enumerate() {
            if vi != 0.0 {
                let wv = weight * vi;
                for (j, &hj) in h.iter().enumerate() {
                    self.vh[(i, j)] += wv * hj;
                }
            }
        }
        self.h.scaled_add(weight, &h);
        self.v.scaled_add(weight, &v);
    }

    /// Multiplies every moment by `factor`.
    pub fn scale(&mut self, factor: f64) {
        self.vh *= factor;
        self.h *= factor;
        self.v *= factor;
    }

    /// The gradient "these moments minus `other`": W from v h^T, a from h, b from v.
    pub fn minus(&self, other: &Moments) -> Gradient {
        Gradient {
            w: &self.vh - &other.vh,
            a: &self.h - &other.h,
            b: &self.v - &other.v,
        }
    }
}

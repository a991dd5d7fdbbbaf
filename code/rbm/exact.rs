//! Exact sums over a layer: the partition function, the log-likelihood and
//! its gradient, by enumerating the 2^n states of the smaller layer through
//! its free energy. Each routine refuses a layer of more than
//! [`MAX_ENUMERATED_UNITS`] units.

use ndarray::{Array1, Array2, ArrayView2};

use crate::error::{Error, Result};
use crate::numerics::{log_sum_exp, sigmoid, softplus};
use crate::rbm::model::{ensure_data, Rbm};
use crate::rbm::moments::{Gradient, Moments};

// ANCHOR: rbm_state
/// The largest layer the exact routines enumerate (2^20 states, about a
/// million): beyond it an exact partition function is no longer cheap, and the
/// routines return [`Error::TooLarge`] instead of running for minutes.
pub const MAX_ENUMERATED_UNITS: usize = 20;

/// The most units a state number describes: a state number is a `usize`, one
/// bit a unit.
pub const MAX_STATE_UNITS: usize = usize::BITS as usize;

/// One of the two layers of an RBM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// The visible units v.
    Visible,
    /// The hidden units h.
    Hidden,
}

/// The binary state number `index` of `n` units: unit `i` (0-based) is bit `i`
/// of `index`. Needs n <= [`MAX_STATE_UNITS`] and index < 2^n.
pub fn state(index: usize, n: usize) -> Result<Array1<f64>> {
    if n > MAX_STATE_UNITS {
        return Err(Error::TooLarge {
            what: "number of units n".to_string(),
            value: n as u128,
            limit: MAX_STATE_UNITS as u128,
        });
    }
    // n < MAX_STATE_UNITS here, so the shift cannot overflow.
    if n < MAX_STATE_UNITS && index >> n != 0 {
        return Err(Error::BadSize {
            what: "state number index".to_string(),
            value: index,
            constraint: format!("a state of {n} units has a number below 2^{n}"),
        });
    }
    // i < n <= MAX_STATE_UNITS, so no shift overflows.
    Ok(Array1::from_shape_fn(n, |i| ((index >> i) & 1) as f64))
}

/// Checks that a layer of `n` units is small enough to enumerate: at most
/// [`MAX_ENUMERATED_UNITS`].
pub(crate) fn ensure_enumerable(what: &str, n: usize) -> Result<()> {
    if n > MAX_ENUMERATED_UNITS {
        return Err(Error::TooLarge {
            what: what.to_string(),
            value: n as u128,
            limit: MAX_ENUMERATED_UNITS as u128,
        });
    }
    Ok(())
}
// ANCHOR_END: rbm_state

// ANCHOR: rbm_log_z
impl Rbm {
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
}
// ANCHOR_END: rbm_log_z

// ANCHOR: rbm_log_likelihood
impl Rbm {
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
}
// ANCHOR_END: rbm_log_likelihood

// ANCHOR: rbm_moments
impl Rbm {
    /// The data term of the gradient: the averages over the rows v_n of `data` of
    /// v_n E[h | v_n]^T, E[h | v_n] and v_n, where E[h | v] = sigma(W^T v + a).
    pub fn data_moments(&self, data: ArrayView2<f64>) -> Result<Moments> {
        ensure_data(data, self.n_v())?;
        let mut m = Moments::zeros(self.n_v(), self.n_h())?;
        for v in data.outer_iter() {
            let p_h = self.p_h_given_v(v)?;
            m.add(v, p_h.view(), 1.0)?;
        }
        m.scale(1.0 / data.nrows() as f64)?;
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
        let mut m = Moments::zeros(self.n_v(), self.n_h())?;
        let mut input = Array1::zeros(layer.m.nrows());
        for (k, &mf) in minus_f.iter().enumerate() {
            let p = (mf - log_z).exp();
            layer.minus_free_energy(k, &mut input);
            let s = state(k, layer.c.len())?;
            let expected_other = input.mapv(sigmoid);
            match layer.layer {
                Layer::Hidden => m.add(expected_other.view(), s.view(), p)?,
                Layer::Visible => m.add(s.view(), expected_other.view(), p)?,
            }
        }
        Ok(m)
    }
}
// ANCHOR_END: rbm_moments

// ANCHOR: rbm_gradient
impl Rbm {
    /// The exact gradient of the average log-likelihood of `data`:
    /// data moments minus model moments, for W, a and b.
    pub fn gradient(&self, data: ArrayView2<f64>) -> Result<Gradient> {
        let data_term = self.data_moments(data)?;
        let model_term = self.model_moments()?;
        data_term.minus(&model_term)
    }
}
// ANCHOR_END: rbm_gradient

// ANCHOR: rbm_enumerated_layer
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
                (
                    rbm.w().to_owned(),
                    rbm.hidden_bias().to_owned(),
                    rbm.visible_bias().to_owned(),
                )
            }
            Layer::Visible => {
                ensure_enumerable("number of visible units", rbm.n_v())?;
                (
                    rbm.w().t().to_owned(),
                    rbm.visible_bias().to_owned(),
                    rbm.hidden_bias().to_owned(),
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
// ANCHOR_END: rbm_enumerated_layer

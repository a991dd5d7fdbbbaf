//! The binary restricted Boltzmann machine
//!
//! p(v, h) = exp(v^T W h + v^T b + h^T a) / Z,
//!
//! with `n_v` visible units v in {0,1}^{n_v}, `n_h` hidden units h in {0,1}^{n_h},
//! weights W (n_v x n_h), visible bias b (length n_v) and hidden bias a
//! (length n_h). These are the source's symbols: b belongs to the visible
//! layer, a to the hidden one.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2};
use rand::{Rng, RngExt};

use crate::error::{ensure_finite, ensure_shape, Error, Result};
use crate::numerics::{log_sum_exp, sigmoid, softplus};

/// The largest layer the exact routines enumerate (2^20 states, about a
/// million): beyond it an exact partition function is no longer cheap, and the
/// routines return [`Error::BadSize`] instead of running for minutes.
pub const MAX_ENUMERATED_UNITS: usize = 20;

// ANCHOR: rbm_struct
/// A binary RBM: weights `w` (n_v x n_h), hidden bias `a` (n_h), visible bias `b` (n_v).
#[derive(Debug, Clone, PartialEq)]
pub struct Rbm {
    pub(crate) w: Array2<f64>,
    pub(crate) a: Array1<f64>,
    pub(crate) b: Array1<f64>,
}
// ANCHOR_END: rbm_struct

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
        // Row-major storage, so that the sweeps below can walk W as one slice.
        let w = w.as_standard_layout().into_owned();
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

    fn check_v(&self, v: ArrayView1<f64>) -> Result<()> {
        ensure_shape("visible state v", &[self.n_v()], v.shape())?;
        ensure_binary("visible state v", v)
    }
    fn check_h(&self, h: ArrayView1<f64>) -> Result<()> {
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

    // ANCHOR: log_z
    /// ln Z, by enumerating the smaller layer through its free energy:
    /// ln Z = ln sum_v e^{-F(v)} = ln sum_h e^{-F(h)}.
    pub fn log_z(&self) -> Result<f64> {
        let layer = if self.n_h() <= self.n_v() {
            Layer::Hidden
        } else {
            Layer::Visible
        };
        self.log_z_by(layer)
    }

    /// ln Z by enumerating the given layer: ln sum_s e^{-F(s)} over its 2^n states.
    pub fn log_z_by(&self, layer: Layer) -> Result<f64> {
        let layer = self.enumerated(layer)?;
        let mut input = vec![0.0; layer.m.nrows()];
        let terms: Vec<f64> = (0..1usize << layer.c.len())
            .map(|k| layer.minus_free_energy(k, &mut input))
            .collect();
        Ok(log_sum_exp(&terms))
    }

    /// The smaller layer (the hidden one on a tie), set up for enumeration.
    fn smaller_layer(&self) -> Result<EnumeratedLayer> {
        if self.n_h() <= self.n_v() {
            self.enumerated(Layer::Hidden)
        } else {
            self.enumerated(Layer::Visible)
        }
    }

    /// A layer set up for enumeration.
    fn enumerated(&self, layer: Layer) -> Result<EnumeratedLayer> {
        match layer {
            Layer::Hidden => {
                ensure_enumerable("number of hidden units", self.n_h())?;
                Ok(EnumeratedLayer {
                    hidden: true,
                    m: self.w.as_standard_layout().into_owned(),
                    c: self.a.clone(),
                    d: self.b.clone(),
                })
            }
            Layer::Visible => {
                ensure_enumerable("number of visible units", self.n_v())?;
                Ok(EnumeratedLayer {
                    hidden: false,
                    m: self.w.t().as_standard_layout().into_owned(),
                    c: self.b.clone(),
                    d: self.a.clone(),
                })
            }
        }
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
        let (n_v, n_h) = (self.n_v(), self.n_h());
        let layer = self.smaller_layer()?;
        let mut input = vec![0.0; layer.m.nrows()];
        let states = 1usize << layer.c.len();
        let minus_f: Vec<f64> = (0..states)
            .map(|k| layer.minus_free_energy(k, &mut input))
            .collect();
        let log_z = log_sum_exp(&minus_f);
        let mut m = Moments::zeros(n_v, n_h);
        let n = layer.c.len();
        let mut s = Array1::zeros(n);
        let mut expected_other = Array1::zeros(input.len());
        for (k, &mf) in minus_f.iter().enumerate() {
            let p = (mf - log_z).exp();
            layer.minus_free_energy(k, &mut input);
            for (u, su) in s.iter_mut().enumerate() {
                *su = ((k >> u) & 1) as f64;
            }
            for (e, &x) in expected_other.iter_mut().zip(input.iter()) {
                *e = sigmoid(x);
            }
            if layer.hidden {
                m.add(expected_other.view(), s.view(), p);
            } else {
                m.add(s.view(), expected_other.view(), p);
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

    // ANCHOR: sampling
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
    // ANCHOR_END: sampling

    // ANCHOR: sweep
    /// One block Gibbs sweep in place, the same draws as [`Rbm::gibbs_step`]
    /// without allocating: h ~ p(h | v) into `h`, then v ~ p(v | h) into `v`.
    pub fn gibbs_sweep<R: Rng + ?Sized>(
        &self,
        v: &mut Array1<f64>,
        h: &mut Array1<f64>,
        rng: &mut R,
    ) -> Result<()> {
        self.check_v(v.view())?;
        ensure_shape("hidden state h", &[self.n_h()], h.shape())?;
        let n_h = self.n_h();
        let w = self.w.as_slice().expect("W is stored row-major");
        for (j, hj) in h.iter_mut().enumerate() {
            let mut x = self.a[j];
            for (i, &vi) in v.iter().enumerate() {
                x += vi * w[i * n_h + j];
            }
            *hj = if rng.random::<f64>() < sigmoid(x) {
                1.0
            } else {
                0.0
            };
        }
        for (i, vi) in v.iter_mut().enumerate() {
            let row = &w[i * n_h..(i + 1) * n_h];
            let y = self.b[i]
                + row
                    .iter()
                    .zip(h.iter())
                    .map(|(wij, hj)| wij * hj)
                    .sum::<f64>();
            *vi = if rng.random::<f64>() < sigmoid(y) {
                1.0
            } else {
                0.0
            };
        }
        Ok(())
    }
    // ANCHOR_END: sweep

    /// Adds `rate` times `gradient` to the parameters (one step of gradient ascent).
    /// Fails, leaving the parameters unchanged, if a shape differs or a result is not finite.
    pub fn ascend(&mut self, gradient: &Gradient, rate: f64) -> Result<()> {
        ensure_shape("gradient of W", self.w.shape(), gradient.w.shape())?;
        ensure_shape("gradient of a", self.a.shape(), gradient.a.shape())?;
        ensure_shape("gradient of b", self.b.shape(), gradient.b.shape())?;
        if !rate.is_finite() {
            return Err(Error::NonFinite {
                what: "learning rate".to_string(),
                index: vec![],
                value: rate,
            });
        }
        let w = &self.w + &(rate * &gradient.w);
        let a = &self.a + &(rate * &gradient.a);
        let b = &self.b + &(rate * &gradient.b);
        *self = Rbm::new(w, a, b)?;
        Ok(())
    }
}

/// A layer of an RBM, oriented for enumeration: `m` maps its state s
/// to the input `m s + d` of the other layer, and `c` is its own bias.
struct EnumeratedLayer {
    hidden: bool,
    m: Array2<f64>,
    c: Array1<f64>,
    d: Array1<f64>,
}

impl EnumeratedLayer {
    /// -F(s) = c^T s + sum_r softplus((m s + d)_r) for state number `k`; leaves
    /// the input m s + d of the other layer in `input`.
    fn minus_free_energy(&self, k: usize, input: &mut [f64]) -> f64 {
        let n = self.c.len();
        let (m, c, d) = (
            self.m.as_slice().expect("standard layout"),
            self.c.as_slice().expect("contiguous"),
            self.d.as_slice().expect("contiguous"),
        );
        // The units that are on in state k.
        let mut on = [0usize; MAX_ENUMERATED_UNITS];
        let mut count = 0;
        for u in 0..n {
            if (k >> u) & 1 == 1 {
                on[count] = u;
                count += 1;
            }
        }
        let on = &on[..count];
        let mut total: f64 = on.iter().map(|&u| c[u]).sum();
        for (r, slot) in input.iter_mut().enumerate() {
            let row = &m[r * n..(r + 1) * n];
            let x = d[r] + on.iter().map(|&u| row[u]).sum::<f64>();
            *slot = x;
            total += softplus(x);
        }
        total
    }
}

/// Draws each unit independently: unit i is 1 with probability p_i.
fn bernoulli<R: Rng + ?Sized>(p: ArrayView1<f64>, rng: &mut R) -> Array1<f64> {
    p.mapv(|pi| if rng.random::<f64>() < pi { 1.0 } else { 0.0 })
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

//! The source's network: convolution with a few filters (two in the source),
//! max pooling, flatten, a fully connected layer, softmax and cross-entropy,
//! with its forward and backward passes composed from the layers of
//! [`super::convolution`], [`super::pooling`], [`super::dense`] and [`super::softmax`].

use ndarray::{Array1, Array2, Array3, ArrayView2};

use super::convolution::{conv_backward_w, conv_backward_x, conv_forward};
use super::dense::{fc_backward, fc_forward, flatten, unflatten};
use super::pooling::{max_pool_backward, max_pool_forward};
use super::size::{conv_out_size, pool_out_size};
use super::softmax::{cross_entropy, one_hot, softmax_xent_grad};
use crate::check::{uniform, Rng};
use crate::error::{Error, Result};

/// The sizes that fix the network's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Input size: the image is d x d.
    pub d: usize,
    /// Kernel size: each filter is k x k.
    pub k: usize,
    /// Stride of the convolution.
    pub s: usize,
    /// Pooling window: p x p.
    pub p: usize,
    /// Stride of the pooling (1 in the source).
    pub t: usize,
    /// Number of filters (2 in the source).
    pub filters: usize,
    /// Number of classes.
    pub classes: usize,
}

impl Shape {
    /// The side of each convolution output map, floor((d - k)/s) + 1.
    pub fn conv_side(&self) -> Result<usize> {
        conv_out_size(self.d, self.k, self.s)
    }
    /// The side of each pooled map, floor((conv_side - p)/t) + 1.
    pub fn pool_side(&self) -> Result<usize> {
        pool_out_size(self.conv_side()?, self.p, self.t)
    }
    /// The length of the flat vector: filters x pool_side^2.
    pub fn flat_len(&self) -> Result<usize> {
        Ok(self.filters * self.pool_side()?.pow(2))
    }
}

/// The parameters of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    /// The shape.
    pub shape: Shape,
    /// Filters, `[filters, k, k]`.
    pub w: Array3<f64>,
    /// Fully connected weights, `[classes, flat_len]`.
    pub v: Array2<f64>,
    /// Fully connected biases, `[classes]`.
    pub b: Array1<f64>,
}

/// The gradient of the loss with respect to every parameter and the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Grads {
    /// dL/dW, `[filters, k, k]`.
    pub w: Array3<f64>,
    /// dL/dV, `[classes, flat_len]`.
    pub v: Array2<f64>,
    /// dL/db, `[classes]`.
    pub b: Array1<f64>,
    /// dL/dX, `[d, d]`.
    pub x: Array2<f64>,
}

impl Net {
    /// A network with filters uniform in +-1/k and fully connected weights
    /// uniform in +-1/sqrt(flat_len) (so every pre-activation starts of order
    /// one), biases zero.
    pub fn new(shape: Shape, rng: &mut Rng) -> Result<Net> {
        let flat = shape.flat_len()?;
        if shape.filters == 0 || shape.classes == 0 {
            return Err(Error::BadSize {
                what: "filters or classes".into(),
                value: 0,
                constraint: "both must be at least 1".into(),
            });
        }
        let a = 1.0 / shape.k as f64;
        let c = 1.0 / (flat as f64).sqrt();
        Ok(Net {
            shape,
            w: uniform(rng, (shape.filters, shape.k, shape.k), -a, a),
            v: uniform(rng, (shape.classes, flat), -c, c),
            b: Array1::zeros(shape.classes),
        })
    }

    // ANCHOR: logits
    /// The logits z = V flatten(pool(conv(X))) + b.
    pub fn logits(&self, x: ArrayView2<f64>) -> Result<Array1<f64>> {
        let y = conv_forward(x, self.w.view(), self.shape.s)?;
        let p = max_pool_forward(y.view(), self.shape.p, self.shape.t)?;
        fc_forward(self.v.view(), self.b.view(), flatten(p.view()).view())
    }
    // ANCHOR_END: logits

    /// The cross-entropy loss of image `x` with class `label`.
    pub fn loss(&self, x: ArrayView2<f64>, label: usize) -> Result<f64> {
        let target = one_hot(label, self.shape.classes)?;
        cross_entropy(self.logits(x)?.view(), target.view())
    }

    /// The most probable class of image `x`.
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<usize> {
        let z = self.logits(x)?;
        let mut best = 0;
        for j in 1..z.len() {
            if z[j] > z[best] {
                best = j;
            }
        }
        Ok(best)
    }

    // ANCHOR: loss_and_grad
    /// The loss and its gradient with respect to W, V, b and X: the forward
    /// pass keeps every intermediate, the backward pass runs the layers'
    /// backward functions in reverse order.
    pub fn loss_and_grad(&self, x: ArrayView2<f64>, label: usize) -> Result<(f64, Grads)> {
        let Shape { s, p, t, k, .. } = self.shape;
        let target = one_hot(label, self.shape.classes)?;
        // forward
        let y = conv_forward(x, self.w.view(), s)?;
        let pooled = max_pool_forward(y.view(), p, t)?;
        let f = flatten(pooled.view());
        let z = fc_forward(self.v.view(), self.b.view(), f.view())?;
        let loss = cross_entropy(z.view(), target.view())?;
        // backward
        let dz = softmax_xent_grad(z.view(), target.view())?;
        let (dv, db, df) = fc_backward(self.v.view(), f.view(), dz.view())?;
        let dpooled = unflatten(df.view(), pooled.dim())?;
        let dy = max_pool_backward(y.view(), dpooled.view(), p, t)?;
        let dw = conv_backward_w(x, dy.view(), k, s)?;
        let dx = conv_backward_x(self.w.view(), dy.view(), x.dim(), s)?;
        Ok((
            loss,
            Grads {
                w: dw,
                v: dv,
                b: db,
                x: dx,
            },
        ))
    }
    // ANCHOR_END: loss_and_grad

    // ANCHOR: sgd_step
    /// One step of plain stochastic gradient descent: theta <- theta - lr dL/dtheta.
    pub fn sgd_step(&mut self, g: &Grads, lr: f64) {
        self.w.scaled_add(-lr, &g.w);
        self.v.scaled_add(-lr, &g.v);
        self.b.scaled_add(-lr, &g.b);
    }
    // ANCHOR_END: sgd_step
}

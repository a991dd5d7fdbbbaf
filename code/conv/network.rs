//! The source's network: convolution with a few filters (two in the source),
//! max pooling, flatten, a fully connected layer, softmax and cross-entropy,
//! with its forward and backward passes composed from the layers of
//! [`super::convolution`], [`super::pooling`], [`super::dense`] and
//! [`super::softmax`]. Its convolution runs on the loops of the formulas or
//! on the im2col path of [`super::fast`] ([`ConvPath`]).

use ndarray::{Array1, Array2, Array3, ArrayView2, Axis};

use super::convolution::{conv_backward_w, conv_backward_x, conv_forward};
use super::dense::{fc_backward, fc_forward, flatten, unflatten};
use super::fast::{conv2d_backward_fast, conv2d_forward_fast};
use super::pooling::{max_pool_backward, max_pool_forward};
use super::size::{Conv, Pool};
use super::softmax::{cross_entropy, one_hot, softmax_xent_grad};
use crate::error::{
    checked_product, ensure_allocatable, ensure_finite, ensure_shape, Error, Result,
};

// ANCHOR: network_shape
/// The sizes that fix the network's shape, checked by [`Shape::new`]: a
/// d x d image, a convolution, a pooling, C filters and K classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    d: usize,
    conv: Conv,
    pool: Pool,
    filters: usize,
    classes: usize,
    m: usize,
    q: usize,
    flat: usize,
}

impl Shape {
    /// The network on d x d images with the convolution `conv` (C = `filters`
    /// filters), the pooling `pool`, and `classes` classes. Errors if a size is
    /// 0, if the kernel does not fit in the image or the pooling window in
    /// the map, or if the image or a parameter would be too large to allocate.
    pub fn new(d: usize, conv: Conv, pool: Pool, filters: usize, classes: usize) -> Result<Shape> {
        ensure_allocatable("input size d (an image is d x d)", &[d, d])?;
        for (what, value) in [
            ("number of filters", filters),
            ("number of classes", classes),
        ] {
            if value == 0 {
                return Err(Error::BadSize {
                    what: what.into(),
                    value,
                    constraint: "must be at least 1".into(),
                });
            }
        }
        let m = conv.out_size(d)?;
        let q = pool.out_size(m)?;
        let flat = checked_product("flat length C Q^2", &[filters, q, q])?;
        ensure_allocatable("filters W (C k k)", &[filters, conv.k(), conv.k()])?;
        ensure_allocatable("fully connected weights V (K C Q^2)", &[classes, flat])?;
        Ok(Shape {
            d,
            conv,
            pool,
            filters,
            classes,
            m,
            q,
            flat,
        })
    }
    /// The input side d.
    pub fn d(&self) -> usize {
        self.d
    }
    /// The convolution: kernel side k, stride s.
    pub fn conv(&self) -> Conv {
        self.conv
    }
    /// The pooling: window side p, stride t.
    pub fn pool(&self) -> Pool {
        self.pool
    }
    /// The number of filters C.
    pub fn filters(&self) -> usize {
        self.filters
    }
    /// The number of classes K.
    pub fn classes(&self) -> usize {
        self.classes
    }
    /// The side M = floor((d - k)/s) + 1 of each convolution map.
    pub fn conv_side(&self) -> usize {
        self.m
    }
    /// The side Q = floor((M - p)/t) + 1 of each pooled map.
    pub fn pool_side(&self) -> usize {
        self.q
    }
    /// The length C Q^2 of the flat vector.
    pub fn flat_len(&self) -> usize {
        self.flat
    }
}
// ANCHOR_END: network_shape

// ANCHOR: network_types
/// How the network computes its convolution: the loops of the formulas, or
/// im2col and matrix products (the same numbers up to rounding, faster on
/// large images).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConvPath {
    /// [`conv_forward`], [`conv_backward_w`], [`conv_backward_x`].
    #[default]
    Loops,
    /// [`conv2d_forward_fast`] and [`conv2d_backward_fast`].
    Im2col,
}

/// The parameters of the network. Build it with [`Net::new`] (random) or
/// [`Net::from_weights`] (given, checked); read the weights with [`Net::w`],
/// [`Net::v`] and [`Net::b`]. The weights are private, so every `Net` has
/// the shapes of its [`Shape`] and finite entries: the constructors check
/// it once, and [`Net::sgd_step`] keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Net {
    shape: Shape,
    path: ConvPath,
    pub(crate) w: Array3<f64>,
    pub(crate) v: Array2<f64>,
    pub(crate) b: Array1<f64>,
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
    /// The network of shape `shape` with the given filters `w`, fully
    /// connected weights `v` and biases `b`; errors unless their shapes fit
    /// `shape` and every entry is finite.
    pub fn from_weights(
        shape: Shape,
        w: Array3<f64>,
        v: Array2<f64>,
        b: Array1<f64>,
    ) -> Result<Net> {
        let net = Net {
            shape,
            path: ConvPath::Loops,
            w,
            v,
            b,
        };
        net.check_weights()?;
        Ok(net)
    }
    /// Checks that the weights have the shapes of `shape` and are finite.
    fn check_weights(&self) -> Result<()> {
        let sh = self.shape;
        let k = sh.conv().k();
        ensure_shape("conv filters W", &[sh.filters(), k, k], self.w.shape())?;
        ensure_shape(
            "fully connected weights V",
            &[sh.classes(), sh.flat_len()],
            self.v.shape(),
        )?;
        ensure_shape("fully connected bias b", &[sh.classes()], self.b.shape())?;
        ensure_finite("conv filters W", &self.w)?;
        ensure_finite("fully connected weights V", &self.v)?;
        ensure_finite("fully connected bias b", &self.b)
    }
    /// The shape.
    pub fn shape(&self) -> Shape {
        self.shape
    }
    /// The filters W, `[filters, k, k]`.
    pub fn w(&self) -> &Array3<f64> {
        &self.w
    }
    /// The fully connected weights V, `[classes, flat_len]`.
    pub fn v(&self) -> &Array2<f64> {
        &self.v
    }
    /// The fully connected biases b, `[classes]`.
    pub fn b(&self) -> &Array1<f64> {
        &self.b
    }
    /// The path the convolution runs on.
    pub fn conv_path(&self) -> ConvPath {
        self.path
    }
    /// The same network, its convolution run on `path`.
    pub fn with_conv_path(self, path: ConvPath) -> Net {
        Net { path, ..self }
    }
}
// ANCHOR_END: network_types

// ANCHOR: net_new
impl Net {
    /// A network with filters uniform in +-1/k and fully connected weights
    /// uniform in +-1/sqrt(flat_len) (so every pre-activation starts of order
    /// one), biases zero.
    pub fn new<R: rand::Rng + ?Sized>(shape: Shape, rng: &mut R) -> Result<Net> {
        use rand::RngExt;
        let (k, flat) = (shape.conv().k(), shape.flat_len());
        let a = 1.0 / k as f64;
        let c = 1.0 / (flat as f64).sqrt();
        // the filters first, then V, each in row-major order
        let w = Array3::from_shape_simple_fn((shape.filters(), k, k), || rng.random_range(-a..a));
        let v = Array2::from_shape_simple_fn((shape.classes(), flat), || rng.random_range(-c..c));
        Net::from_weights(shape, w, v, Array1::zeros(shape.classes()))
    }
}
// ANCHOR_END: net_new

// ANCHOR: net_conv
impl Net {
    /// Checks the image `x` against the network's d x d before anything else.
    fn check_image(&self, x: ArrayView2<f64>) -> Result<()> {
        let d = self.shape.d();
        ensure_shape("input image X", &[d, d], x.shape())
    }
    /// The maps Y of the convolution, on the network's path.
    fn conv_maps(&self, x: ArrayView2<f64>) -> Result<Array3<f64>> {
        let conv = self.shape.conv();
        match self.path {
            ConvPath::Loops => conv_forward(x, self.w.view(), conv),
            ConvPath::Im2col => {
                let x4 = x.insert_axis(Axis(0)).insert_axis(Axis(0));
                let w4 = self.w.view().insert_axis(Axis(1));
                let zero = Array1::zeros(self.w.dim().0);
                let y = conv2d_forward_fast(x4, w4, zero.view(), conv.s())?;
                Ok(y.index_axis_move(Axis(0), 0))
            }
        }
    }
    /// dL/dW and dL/dX from dL/dY, on the network's path.
    fn conv_grads(
        &self,
        x: ArrayView2<f64>,
        dy: ndarray::ArrayView3<f64>,
    ) -> Result<(Array3<f64>, Array2<f64>)> {
        let conv = self.shape.conv();
        match self.path {
            ConvPath::Loops => Ok((
                conv_backward_w(x, dy, conv)?,
                conv_backward_x(self.w.view(), dy, x.dim(), conv)?,
            )),
            ConvPath::Im2col => {
                let x4 = x.insert_axis(Axis(0)).insert_axis(Axis(0));
                let w4 = self.w.view().insert_axis(Axis(1));
                let dy4 = dy.insert_axis(Axis(0));
                let g = conv2d_backward_fast(x4, w4, dy4, conv.s())?;
                let dx = g.x.index_axis_move(Axis(0), 0).index_axis_move(Axis(0), 0);
                Ok((g.w.index_axis_move(Axis(1), 0), dx))
            }
        }
    }
}
// ANCHOR_END: net_conv

// ANCHOR: logits
impl Net {
    /// The logits z = V flatten(pool(conv(X))) + b.
    pub fn logits(&self, x: ArrayView2<f64>) -> Result<Array1<f64>> {
        self.check_image(x)?;
        let y = self.conv_maps(x)?;
        let p = max_pool_forward(y.view(), self.shape.pool())?;
        fc_forward(self.v.view(), self.b.view(), flatten(p.view())?.view())
    }

    /// The cross-entropy loss of image `x` with class `label`.
    pub fn loss(&self, x: ArrayView2<f64>, label: usize) -> Result<f64> {
        let target = one_hot(label, self.shape.classes())?;
        cross_entropy(self.logits(x)?.view(), target.view())
    }

    /// The most probable class of image `x` (the first, if several tie).
    pub fn predict(&self, x: ArrayView2<f64>) -> Result<usize> {
        let z = self.logits(x)?;
        let mut best = 0;
        for (j, &zj) in z.iter().enumerate() {
            if zj > z[best] {
                best = j;
            }
        }
        Ok(best)
    }
}
// ANCHOR_END: logits

// ANCHOR: loss_and_grad
impl Net {
    /// The loss and its gradient with respect to W, V, b and X: the forward
    /// pass keeps every intermediate, the backward pass runs the layers'
    /// backward functions in reverse order.
    pub fn loss_and_grad(&self, x: ArrayView2<f64>, label: usize) -> Result<(f64, Grads)> {
        self.check_image(x)?;
        let pool = self.shape.pool();
        let target = one_hot(label, self.shape.classes())?;
        // forward
        let y = self.conv_maps(x)?;
        let pooled = max_pool_forward(y.view(), pool)?;
        let f = flatten(pooled.view())?;
        let z = fc_forward(self.v.view(), self.b.view(), f.view())?;
        let loss = cross_entropy(z.view(), target.view())?;
        // backward
        let dz = softmax_xent_grad(z.view(), target.view())?;
        let (dv, db, df) = fc_backward(self.v.view(), f.view(), dz.view())?;
        let dpooled = unflatten(df.view(), pooled.dim())?;
        let dy = max_pool_backward(y.view(), dpooled.view(), pool)?;
        let (dw, dx) = self.conv_grads(x, dy.view())?;
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
}
// ANCHOR_END: loss_and_grad

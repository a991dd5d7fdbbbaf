//! The general convolution: a batch of images with several input channels,
//! several output channels (filters), a bias per filter, stride `s` and
//! zero padding `pad` (a [`Conv2d`]). The source's layer is the case of one
//! image with one channel and no padding.
//!
//! Shapes: input X `[batch, channels, rows, cols]`, filters W
//! `[filters, channels, kh, kw]`, bias `[filters]`, output Y
//! `[batch, filters, out_rows, out_cols]`. These loops mirror the formulas
//! index by index; [`super::fast`] computes the same numbers with matrix
//! products (without padding).

use ndarray::{Array1, Array4, ArrayView1, ArrayView4, Axis};

use super::convolution::{ensure_no_overflow, windows_containing};
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};

// ANCHOR: conv2d_geometry
/// The geometry of the general convolution: stride `s` and `pad` rows and
/// columns of zeros added on every side of the input (both checked by
/// [`Conv2d::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conv2d {
    s: usize,
    pad: usize,
}

impl Conv2d {
    /// Stride `s` (at least 1) and padding `pad` (any size, 0 for none).
    pub fn new(s: usize, pad: usize) -> Result<Conv2d> {
        if s == 0 {
            return Err(Error::BadSize {
                what: "stride s".into(),
                value: s,
                constraint: "must be at least 1".into(),
            });
        }
        Ok(Conv2d { s, pad })
    }
    /// The stride s.
    pub fn s(&self) -> usize {
        self.s
    }
    /// The padding P on every side.
    pub fn pad(&self) -> usize {
        self.pad
    }
    /// The output side floor((d + 2P - k)/s) + 1 of an axis of length `d`
    /// under a kernel of side `k`. Errors if d + 2P overflows, or unless
    /// 1 <= k <= d + 2P.
    pub fn out_size(&self, d: usize, k: usize) -> Result<usize> {
        let padded = d
            .checked_add(self.pad)
            .and_then(|v| v.checked_add(self.pad))
            .ok_or_else(|| Error::Overflow {
                what: "padding pad".into(),
                operands: vec![d, self.pad, self.pad],
            })?;
        if k == 0 || k > padded {
            return Err(Error::BadSize {
                what: "kernel size k".into(),
                value: k,
                constraint: format!(
                    "must be between 1 and the padded input size d + 2P = {padded}"
                ),
            });
        }
        Ok((padded - k) / self.s + 1)
    }
    /// The input index of position `i` of the padded axis (of an axis of
    /// length `d`), or `None` where `i` lies in the padding.
    fn unpadded(&self, i: usize, d: usize) -> Option<usize> {
        i.checked_sub(self.pad).filter(|&u| u < d)
    }
}
// ANCHOR_END: conv2d_geometry

// ANCHOR: conv_grads
/// The gradients of a general convolution.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvGrads {
    /// dL/dX, the shape of X.
    pub x: Array4<f64>,
    /// dL/dW, the shape of W.
    pub w: Array4<f64>,
    /// dL/db, one entry per filter.
    pub b: Array1<f64>,
}
// ANCHOR_END: conv_grads

// ANCHOR: conv2d_checks
/// The output shape `[batch, filters, out_rows, out_cols]` of a general
/// convolution of an input of shape `x = [batch, channels, rows, cols]` by
/// filters of shape `w = [filters, channels, kh, kw]` with stride `s`, no padding.
///
/// Errors if a shape does not have four axes, if the channels differ, if a
/// size is 0, if a kernel is larger than the input, or if the output is too large.
pub fn conv2d_shape(x: &[usize], w: &[usize], s: usize) -> Result<[usize; 4]> {
    conv2d_shape_padded(x, w, Conv2d::new(s, 0)?)
}

/// The output shape of a general convolution with the geometry `conv`
/// (stride and padding): [`conv2d_shape`], with the sides of (conv.pad-size).
pub fn conv2d_shape_padded(x: &[usize], w: &[usize], conv: Conv2d) -> Result<[usize; 4]> {
    let (&[batch, channels, rows, cols], &[filters, w_channels, kh, kw]) = (x, w) else {
        let (what, len) = if x.len() != 4 {
            ("axes of conv input X", x.len())
        } else {
            ("axes of conv filters W", w.len())
        };
        return Err(Error::BadSize {
            what: what.into(),
            value: len,
            constraint:
                "must be 4: X is [batch, channels, rows, cols], W [filters, channels, kh, kw]"
                    .into(),
        });
    };
    if w_channels != channels {
        return Err(Error::ShapeMismatch {
            what: "filter channels (axis 1 of W) against input channels (axis 1 of X)".into(),
            expected: vec![channels],
            found: vec![w_channels],
        });
    }
    for (what, value) in [
        ("batch size", batch),
        ("input channels", channels),
        ("number of filters", filters),
    ] {
        if value == 0 {
            return Err(Error::BadSize {
                what: what.into(),
                value,
                constraint: "must be at least 1".into(),
            });
        }
    }
    let shape = [
        batch,
        filters,
        conv.out_size(rows, kh)?,
        conv.out_size(cols, kw)?,
    ];
    ensure_allocatable("conv output Y", &shape)?;
    Ok(shape)
}

/// The checks both forward passes make: the shapes fit (the output's shape
/// is returned) and every input is finite.
pub(crate) fn check_forward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    conv: Conv2d,
) -> Result<[usize; 4]> {
    let shape = conv2d_shape_padded(x.shape(), w.shape(), conv)?;
    ensure_shape("conv bias b", &[shape[1]], bias.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv bias b", &bias)?;
    Ok(shape)
}

/// The checks both backward passes make: the shapes fit (the output gradient
/// has the output's shape, which is returned) and every input is finite.
pub(crate) fn check_backward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    conv: Conv2d,
) -> Result<[usize; 4]> {
    let expected = conv2d_shape_padded(x.shape(), w.shape(), conv)?;
    ensure_shape("conv output gradient dL/dY", &expected, dy.shape())?;
    ensure_finite("conv input X", &x)?;
    ensure_finite("conv filters W", &w)?;
    ensure_finite("conv output gradient dL/dY", &dy)?;
    Ok(expected)
}

/// Checks that the gradients of a general convolution are finite (see
/// [`ensure_no_overflow`]), naming the output gradient otherwise.
pub(crate) fn ensure_grads_finite(dy: ArrayView4<f64>, grads: &ConvGrads) -> Result<()> {
    let what = "conv output gradient dL/dY";
    ensure_no_overflow(what, &dy, &grads.x)?;
    ensure_no_overflow(what, &dy, &grads.w)?;
    ensure_no_overflow(what, &dy, &grads.b)
}
// ANCHOR_END: conv2d_checks

// ANCHOR: conv2d_forward
/// Y_{i,f,m,n} = b_f + sum_c sum_{a,b} X^pad_{i,c,(m-1)s+a,(n-1)s+b} W_{f,c,a,b},
/// where X^pad is X with `conv.pad()` zeros on every side: the taps that fall
/// into the padding add nothing and are skipped.
pub fn conv2d_forward_padded(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    conv: Conv2d,
) -> Result<Array4<f64>> {
    let [batch, filters, rows, cols] = check_forward(x, w, bias, conv)?;
    let (_, channels, kh, kw) = w.dim();
    let (d_rows, d_cols, s) = (x.shape()[2], x.shape()[3], conv.s());
    let mut y = Array4::zeros((batch, filters, rows, cols));
    for i in 0..batch {
        for f in 0..filters {
            for m in 0..rows {
                for n in 0..cols {
                    let mut sum = bias[f];
                    for c in 0..channels {
                        for a in 0..kh {
                            let Some(u) = conv.unpadded(m * s + a, d_rows) else {
                                continue;
                            };
                            for b in 0..kw {
                                if let Some(v) = conv.unpadded(n * s + b, d_cols) {
                                    sum += x[[i, c, u, v]] * w[[f, c, a, b]];
                                }
                            }
                        }
                    }
                    y[[i, f, m, n]] = sum;
                }
            }
        }
    }
    ensure_no_overflow("conv input X", &x, &y)?;
    Ok(y)
}

/// The general convolution without padding, stride `s`:
/// Y_{i,f,m,n} = b_f + sum_c sum_{a,b} X_{i,c,(m-1)s+a,(n-1)s+b} W_{f,c,a,b}.
pub fn conv2d_forward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    s: usize,
) -> Result<Array4<f64>> {
    conv2d_forward_padded(x, w, bias, Conv2d::new(s, 0)?)
}
// ANCHOR_END: conv2d_forward

// ANCHOR: conv2d_backward
/// The three gradients of [`conv2d_forward_padded`], with X^pad as there:
/// dL/dW_{f,c,a,b} = sum_i sum_{m,n} dL/dY_{i,f,m,n} X^pad_{i,c,(m-1)s+a,(n-1)s+b},
/// dL/db_f = sum_i sum_{m,n} dL/dY_{i,f,m,n},
/// dL/dX_{i,c,u,v} = sum_f sum_{m,n} dL/dY_{i,f,m,n} W_{f,c,u+P-(m-1)s,v+P-(n-1)s}.
pub fn conv2d_backward_padded(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    conv: Conv2d,
) -> Result<ConvGrads> {
    let [batch, filters, rows, cols] = check_backward(x, w, dy, conv)?;
    let (_, channels, kh, kw) = w.dim();
    let (d_rows, d_cols, s, pad) = (x.shape()[2], x.shape()[3], conv.s(), conv.pad());
    let mut dw = Array4::zeros(w.raw_dim());
    for f in 0..filters {
        for c in 0..channels {
            for a in 0..kh {
                for b in 0..kw {
                    let mut sum = 0.0;
                    for i in 0..batch {
                        for m in 0..rows {
                            let Some(u) = conv.unpadded(m * s + a, d_rows) else {
                                continue;
                            };
                            for n in 0..cols {
                                if let Some(v) = conv.unpadded(n * s + b, d_cols) {
                                    sum += dy[[i, f, m, n]] * x[[i, c, u, v]];
                                }
                            }
                        }
                    }
                    dw[[f, c, a, b]] = sum;
                }
            }
        }
    }
    let db = Array1::from_shape_fn(filters, |f| dy.index_axis(Axis(1), f).sum());
    let mut dx = Array4::zeros(x.raw_dim());
    for i in 0..batch {
        for c in 0..channels {
            for u in 0..d_rows {
                for v in 0..d_cols {
                    // pixel (u, v) sits at (u + P, v + P) of the padded input
                    let (pu, pv) = (u + pad, v + pad);
                    let mut sum = 0.0;
                    for f in 0..filters {
                        for m in windows_containing(pu, kh, s, rows) {
                            for n in windows_containing(pv, kw, s, cols) {
                                sum += dy[[i, f, m, n]] * w[[f, c, pu - m * s, pv - n * s]];
                            }
                        }
                    }
                    dx[[i, c, u, v]] = sum;
                }
            }
        }
    }
    let grads = ConvGrads {
        x: dx,
        w: dw,
        b: db,
    };
    ensure_grads_finite(dy, &grads)?;
    Ok(grads)
}

/// The gradients of [`conv2d_forward`] (no padding, stride `s`):
/// dL/dW_{f,c,a,b} = sum_i sum_{m,n} dL/dY_{i,f,m,n} X_{i,c,(m-1)s+a,(n-1)s+b},
/// dL/db_f = sum_i sum_{m,n} dL/dY_{i,f,m,n},
/// dL/dX_{i,c,u,v} = sum_f sum_{m,n} dL/dY_{i,f,m,n} W_{f,c,u-(m-1)s,v-(n-1)s}.
pub fn conv2d_backward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    s: usize,
) -> Result<ConvGrads> {
    conv2d_backward_padded(x, w, dy, Conv2d::new(s, 0)?)
}
// ANCHOR_END: conv2d_backward

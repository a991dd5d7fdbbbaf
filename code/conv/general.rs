//! The general convolution: a batch of images with several input channels,
//! several output channels (filters), a bias per filter, stride `s`. The
//! source's layer is the case of one image with one channel.
//!
//! Shapes: input X `[batch, channels, rows, cols]`, filters W
//! `[filters, channels, kh, kw]`, bias `[filters]`, output Y
//! `[batch, filters, out_rows, out_cols]`. These loops mirror the formulas
//! index by index; [`super::fast`] computes the same numbers with matrix products.

use ndarray::{Array1, Array4, ArrayView1, ArrayView4, Axis};

use super::convolution::{ensure_no_overflow, windows_containing};
use super::size::conv_out_size;
use crate::error::{ensure_allocatable, ensure_finite, ensure_shape, Error, Result};

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
/// filters of shape `w = [filters, channels, kh, kw]` with stride `s`.
///
/// Errors if a shape does not have four axes, if the channels differ, if a
/// size is 0, if a kernel is larger than the input, or if the output is too large.
pub fn conv2d_shape(x: &[usize], w: &[usize], s: usize) -> Result<[usize; 4]> {
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
        conv_out_size(rows, kh, s)?,
        conv_out_size(cols, kw, s)?,
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
    s: usize,
) -> Result<[usize; 4]> {
    let shape = conv2d_shape(x.shape(), w.shape(), s)?;
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
    s: usize,
) -> Result<[usize; 4]> {
    let expected = conv2d_shape(x.shape(), w.shape(), s)?;
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
/// Y_{i,f,m,n} = b_f + sum_c sum_{a,b} X_{i,c,(m-1)s+a,(n-1)s+b} W_{f,c,a,b}.
pub fn conv2d_forward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    bias: ArrayView1<f64>,
    s: usize,
) -> Result<Array4<f64>> {
    let [batch, filters, rows, cols] = check_forward(x, w, bias, s)?;
    let (_, channels, kh, kw) = w.dim();
    let mut y = Array4::zeros((batch, filters, rows, cols));
    for i in 0..batch {
        for f in 0..filters {
            for m in 0..rows {
                for n in 0..cols {
                    let mut sum = bias[f];
                    for c in 0..channels {
                        for a in 0..kh {
                            for b in 0..kw {
                                sum += x[[i, c, m * s + a, n * s + b]] * w[[f, c, a, b]];
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
// ANCHOR_END: conv2d_forward

// ANCHOR: conv2d_backward
/// dL/dW_{f,c,a,b} = sum_i sum_{m,n} dL/dY_{i,f,m,n} X_{i,c,(m-1)s+a,(n-1)s+b},
/// dL/db_f = sum_i sum_{m,n} dL/dY_{i,f,m,n},
/// dL/dX_{i,c,u,v} = sum_f sum_{m,n} dL/dY_{i,f,m,n} W_{f,c,u-(m-1)s,v-(n-1)s}.
pub fn conv2d_backward(
    x: ArrayView4<f64>,
    w: ArrayView4<f64>,
    dy: ArrayView4<f64>,
    s: usize,
) -> Result<ConvGrads> {
    let [batch, filters, rows, cols] = check_backward(x, w, dy, s)?;
    let (_, channels, kh, kw) = w.dim();
    let mut dw = Array4::zeros(w.raw_dim());
    for f in 0..filters {
        for c in 0..channels {
            for a in 0..kh {
                for b in 0..kw {
                    let mut sum = 0.0;
                    for i in 0..batch {
                        for m in 0..rows {
                            for n in 0..cols {
                                sum += dy[[i, f, m, n]] * x[[i, c, m * s + a, n * s + b]];
                            }
                        }
                    }
                    dw[[f, c, a, b]] = sum;
                }
            }
        }
    }
    let db = Array1::from_shape_fn(filters, |f| dy.index_axis(Axis(1), f).sum());
    let (d_rows, d_cols) = (x.shape()[2], x.shape()[3]);
    let mut dx = Array4::zeros(x.raw_dim());
    for i in 0..batch {
        for c in 0..channels {
            for u in 0..d_rows {
                for v in 0..d_cols {
                    let mut sum = 0.0;
                    for f in 0..filters {
                        for m in windows_containing(u, kh, s, rows) {
                            for n in windows_containing(v, kw, s, cols) {
                                sum += dy[[i, f, m, n]] * w[[f, c, u - m * s, v - n * s]];
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
// ANCHOR_END: conv2d_backward

//! Output sizes of the convolution and the pooling, and the checks of their parameters.

use crate::error::{Error, Result};

// ANCHOR: conv_out_size
/// The number of positions of a `k`-wide window that slides with stride `s`
/// along an axis of length `d` and stays inside it: floor((d - k) / s) + 1.
///
/// Errors if `k` is 0 or larger than `d`, or if `s` is 0.
pub fn conv_out_size(d: usize, k: usize, s: usize) -> Result<usize> {
    if k == 0 || k > d {
        return Err(Error::BadSize {
            what: "kernel size k".into(),
            value: k,
            constraint: format!("must be between 1 and the input size d = {d}"),
        });
    }
    if s == 0 {
        return Err(Error::BadSize {
            what: "stride s".into(),
            value: s,
            constraint: "must be at least 1".into(),
        });
    }
    Ok((d - k) / s + 1)
}
// ANCHOR_END: conv_out_size

// ANCHOR: pool_out_size
/// The number of `p`-wide pooling windows, stride `t`, along an axis of length `m`:
/// floor((m - p) / t) + 1 (with `t = 1`, as in the source, m - p + 1).
///
/// Errors if `p` is 0 or larger than `m`, or if `t` is 0.
pub fn pool_out_size(m: usize, p: usize, t: usize) -> Result<usize> {
    if p == 0 || p > m {
        return Err(Error::BadSize {
            what: "pool window p".into(),
            value: p,
            constraint: format!("must be between 1 and the map size {m}"),
        });
    }
    if t == 0 {
        return Err(Error::BadSize {
            what: "pool stride".into(),
            value: t,
            constraint: "must be at least 1".into(),
        });
    }
    Ok((m - p) / t + 1)
}
// ANCHOR_END: pool_out_size

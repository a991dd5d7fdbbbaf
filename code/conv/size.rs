//! Output sizes of the convolution and the pooling, and the geometry of each
//! as a small validated struct: [`Conv`] (kernel side `k`, stride `s`) and
//! [`Pool`] (window side `p`, stride `t`), whose `out_size` gives the side of
//! the map they produce.

use crate::error::{Error, Result};

// ANCHOR: conv_out_size
/// The number of positions of a `k`-wide window that slides with stride `s`
/// along an axis of length `d` and stays inside it: floor((d - k) / s) + 1.
///
/// Errors if `k` is 0 or larger than `d`, or if `s` is 0. (With 1 <= k <= d
/// and s >= 1 the result is at most d: nothing can overflow.)
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
            what: "pool stride t".into(),
            value: t,
            constraint: "must be at least 1".into(),
        });
    }
    Ok((m - p) / t + 1)
}
// ANCHOR_END: pool_out_size

// ANCHOR: conv_geometry
/// The geometry of the source's convolution: `k` x `k` filters at stride `s`,
/// both at least 1 (checked by [`Conv::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conv {
    k: usize,
    s: usize,
}

impl Conv {
    /// `k` x `k` filters at stride `s`; errors unless both are at least 1.
    pub fn new(k: usize, s: usize) -> Result<Conv> {
        for (what, value) in [("kernel size k", k), ("stride s", s)] {
            if value == 0 {
                return Err(Error::BadSize {
                    what: what.into(),
                    value,
                    constraint: "must be at least 1".into(),
                });
            }
        }
        Ok(Conv { k, s })
    }
    /// The kernel side k.
    pub fn k(&self) -> usize {
        self.k
    }
    /// The stride s.
    pub fn s(&self) -> usize {
        self.s
    }
    /// The side M = floor((d - k)/s) + 1 of the map made from an axis of
    /// length `d`; errors if k > d.
    pub fn out_size(&self, d: usize) -> Result<usize> {
        conv_out_size(d, self.k, self.s)
    }
}
// ANCHOR_END: conv_geometry

// ANCHOR: pool_geometry
/// The geometry of max pooling: a `p` x `p` window at stride `t` (the source
/// has t = 1), both at least 1 (checked by [`Pool::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    p: usize,
    t: usize,
}

impl Pool {
    /// A `p` x `p` window at stride `t`; errors unless both are at least 1.
    pub fn new(p: usize, t: usize) -> Result<Pool> {
        for (what, value) in [("pool window p", p), ("pool stride t", t)] {
            if value == 0 {
                return Err(Error::BadSize {
                    what: what.into(),
                    value,
                    constraint: "must be at least 1".into(),
                });
            }
        }
        Ok(Pool { p, t })
    }
    /// The window side p.
    pub fn p(&self) -> usize {
        self.p
    }
    /// The stride t.
    pub fn t(&self) -> usize {
        self.t
    }
    /// The side Q = floor((m - p)/t) + 1 of the pooled map made from a map
    /// of side `m`; errors if p > m.
    pub fn out_size(&self, m: usize) -> Result<usize> {
        pool_out_size(m, self.p, self.t)
    }
}
// ANCHOR_END: pool_geometry

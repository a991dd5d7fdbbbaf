//! The checking toolkit: every numerical claim in the book is verified with
//! these few tools, and with nothing written twice.
//!
//! * [`gradient`] and [`jacobian`]: central finite differences in `f64`;
//! * [`rel_err`]: a relative error that stays sane near zero;
//! * [`compare`]: the worst entry of two arrays, with its index, as a [`Report`];
//! * [`seeded`] and [`uniform`]: reproducible random inputs;
//! * the named tolerances [`FD_STEP`], [`FD_TOL`] and [`EXACT_TOL`], derived in
//!   the chapter *How this book checks its claims*.
//!
//! The ledger of checked identities is written by the [`verify!`](crate::verify)
//! macro, see [`ledger`].

pub mod ledger;
pub mod study;

use ndarray::{Array, Array2, ArrayViewD, Dimension, IntoDimension};

use crate::error::{Error, Result};
use rand::{RngExt, SeedableRng};

// ANCHOR: tolerances
/// Step of the central differences: near the optimum (3u)^(1/3), u = 2^-53, ~ 1e-5 for f64.
pub const FD_STEP: f64 = 1e-5;
/// Tolerance of a gradient checked by central differences (relative error, see [`rel_err`]).
///
/// The error of a central difference at the step [`FD_STEP`] is about 1e-10
/// for functions whose values and third derivatives are of order one, and
/// about 1e-9 for values and curvatures of 100; 1e-7 leaves about two orders
/// of magnitude of room above that, yet a wrong gradient (a missing term, a
/// wrong index, a factor of two) is off by order one.
pub const FD_TOL: f64 = 1e-7;
/// Tolerance of an identity computed two ways in floating point without any
/// approximation (the same sum in two orders, say): about 4500 ulps at 1
/// (1e-12 / 2^-52), room for sums of thousands of rounded terms.
pub const EXACT_TOL: f64 = 1e-12;
// ANCHOR_END: tolerances

// ANCHOR: rel_err
/// The relative error of `a` against `b`, sane near zero:
///
/// |a - b| / max(1, |a|, |b|).
///
/// For values of size one or more it is the relative error; below one it is
/// the absolute error, so that two tiny numbers that differ only by round-off
/// (1e-17 against 3e-17, say) do not count as 200% apart.
pub fn rel_err(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0; // covers equal infinities
    }
    if (a.is_infinite() || b.is_infinite()) && !a.is_nan() && !b.is_nan() {
        return f64::INFINITY; // a finite number and an infinity, or two opposite ones
    }
    (a - b).abs() / 1f64.max(a.abs()).max(b.abs())
}
// ANCHOR_END: rel_err

// ANCHOR: report
/// The outcome of comparing two arrays entry by entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The largest [`rel_err`] over all entries (NaN if any entry is NaN).
    pub worst: f64,
    /// The index of that entry.
    pub index: Vec<usize>,
    /// The value expected there.
    pub expected: f64,
    /// The value found there.
    pub actual: f64,
    /// How many entries were compared.
    pub count: usize,
}
// ANCHOR_END: report

impl Report {
    /// True when the worst error is at most `tol` (false for NaN).
    pub fn within(&self, tol: f64) -> bool {
        self.worst <= tol
    }

    /// Combines two reports into the one with the larger error.
    pub fn max(self, other: Report) -> Report {
        if other.worst > self.worst || other.worst.is_nan() {
            Report {
                count: self.count + other.count,
                ..other
            }
        } else {
            Report {
                count: self.count + other.count,
                ..self
            }
        }
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "worst relative error {:.3e} at index {:?} (expected {}, found {}) over {} entries",
            self.worst, self.index, self.expected, self.actual, self.count
        )
    }
}

// ANCHOR: compare
/// Compares `actual` with `expected` entry by entry and reports the worst one.
///
/// Arrays of different shapes are never close: the report then has an
/// infinite error, no index, and counts no entries, so `within` fails for
/// every tolerance (a checking tool must not compare the wrong things).
pub fn compare(expected: ArrayViewD<f64>, actual: ArrayViewD<f64>) -> Report {
    if expected.shape() != actual.shape() {
        return Report {
            worst: f64::INFINITY,
            index: Vec::new(),
            expected: f64::NAN,
            actual: f64::NAN,
            count: 0,
        };
    }
    let mut report = Report {
        worst: 0.0,
        index: vec![0; expected.ndim()],
        expected: f64::NAN,
        actual: f64::NAN,
        count: expected.len(),
    };
    for ((index, &e), &a) in expected.indexed_iter().zip(actual.iter()) {
        let err = if e.is_nan() || a.is_nan() {
            f64::NAN
        } else {
            rel_err(e, a)
        };
        if err > report.worst || (err.is_nan() && !report.worst.is_nan()) {
            report.worst = err;
            report.index = index.into_dimension().slice().to_vec();
            report.expected = e;
            report.actual = a;
        }
    }
    report
}
// ANCHOR_END: compare

/// [`compare`] for any two arrays of the same dimension type.
pub fn compare_arrays<D: Dimension>(expected: &Array<f64, D>, actual: &Array<f64, D>) -> Report {
    compare(expected.view().into_dyn(), actual.view().into_dyn())
}

// ANCHOR: gradient
/// The gradient of a scalar function by central differences:
///
/// df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps).
///
/// The truncation error is eps^2 f'''/6 and the round-off error about u |f| / eps (u the unit round-off);
/// the chapter *How this book checks its claims* derives the best eps from them.
/// An error if the step `eps` is not a positive finite number.
pub fn gradient<D, F>(mut f: F, x: &Array<f64, D>, eps: f64) -> Result<Array<f64, D>>
where
    D: Dimension,
    F: FnMut(&Array<f64, D>) -> f64,
{
    ensure_step(eps)?;
    let mut probe = x.as_standard_layout().into_owned();
    let mut grad = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let xi = nudge(&mut probe, i, eps)?;
        let up = f(&probe);
        set(&mut probe, i, xi - eps)?;
        let down = f(&probe);
        set(&mut probe, i, xi)?;
        grad.push((up - down) / (2.0 * eps));
    }
    Array::from_shape_vec(x.raw_dim(), grad)
        .map_err(|e| Error::Invalid(format!("the gradient's shape: {e}")))
}
// ANCHOR_END: gradient

// ANCHOR: fd_helpers
/// Checks that a finite-difference step is a positive finite number.
fn ensure_step(eps: f64) -> Result<()> {
    if eps > 0.0 && eps.is_finite() {
        Ok(())
    } else {
        Err(Error::OutOfRange {
            what: "finite-difference step eps".to_string(),
            value: eps,
            range: "(0, inf)".to_string(),
        })
    }
}

/// Adds `by` to entry `i` (row-major) of a standard-layout array and returns
/// the entry's old value.
fn nudge<D: Dimension>(a: &mut Array<f64, D>, i: usize, by: f64) -> Result<f64> {
    let old = a
        .as_slice()
        .and_then(|s| s.get(i).copied())
        .ok_or_else(|| probe_error(i, a.shape()))?;
    set(a, i, old + by)?;
    Ok(old)
}

/// Sets entry `i` (row-major) of a standard-layout array.
fn set<D: Dimension>(a: &mut Array<f64, D>, i: usize, v: f64) -> Result<()> {
    let shape = a.shape().to_vec();
    let slot = a
        .as_slice_mut()
        .and_then(|s| s.get_mut(i))
        .ok_or_else(|| probe_error(i, &shape))?;
    *slot = v;
    Ok(())
}

/// The probe is an owned standard-layout copy of the input, so every entry
/// below its length is in its slice; this error names the impossible case.
fn probe_error(i: usize, shape: &[usize]) -> Error {
    Error::Invalid(format!("entry {i} of a probe of shape {shape:?}"))
}
// ANCHOR_END: fd_helpers

/// The Jacobian of a vector function by central differences.
///
/// Row `r` holds the derivatives of output `r` (outputs in row-major order),
/// column `c` those with respect to input `c` (inputs in row-major order).
/// An error if `eps` is not a positive finite number, or if `f` returns
/// outputs of different lengths.
pub fn jacobian<D, E, F>(mut f: F, x: &Array<f64, D>, eps: f64) -> Result<Array2<f64>>
where
    D: Dimension,
    E: Dimension,
    F: FnMut(&Array<f64, D>) -> Array<f64, E>,
{
    ensure_step(eps)?;
    let mut probe = x.as_standard_layout().into_owned();
    let n_in = x.len();
    let n_out = f(x).len();
    crate::error::ensure_allocatable("the Jacobian", &[n_out, n_in])?;
    let mut jac = Array2::zeros((n_out, n_in));
    for c in 0..n_in {
        let xc = nudge(&mut probe, c, eps)?;
        let up = f(&probe);
        set(&mut probe, c, xc - eps)?;
        let down = f(&probe);
        set(&mut probe, c, xc)?;
        crate::error::ensure_shape("an output of f", &[n_out], &[up.len()])?;
        crate::error::ensure_shape("an output of f", &[n_out], &[down.len()])?;
        for (slot, (u, d)) in jac.column_mut(c).iter_mut().zip(up.iter().zip(down.iter())) {
            *slot = (u - d) / (2.0 * eps);
        }
    }
    Ok(jac)
}

// ANCHOR: seeded
/// The generator used for every random input in the book: xoshiro256++, whose
/// output for a given seed is fixed by its published algorithm, so every
/// number and figure in the book is reproducible.
pub type SeededRng = rand::rngs::Xoshiro256PlusPlus;

/// A generator seeded with `seed`.
pub fn seeded(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}
// ANCHOR_END: seeded

/// [`SeededRng`] under its former name. Functions that draw random numbers
/// take any `rand::Rng`; this alias remains for code written against it.
pub type Rng = SeededRng;

/// An array of the given shape with entries drawn uniformly from [lo, hi),
/// from any generator.
///
/// An empty range, `lo >= hi`, gives every entry the value `lo` (a noise level
/// of zero, say). An error if a bound is not finite, if `hi - lo` overflows,
/// or if the shape is too large to allocate ([`MAX_ELEMENTS`](crate::error::MAX_ELEMENTS)).
pub fn uniform<R, Sh>(rng: &mut R, shape: Sh, lo: f64, hi: f64) -> Result<Array<f64, Sh::Dim>>
where
    R: rand::Rng + ?Sized,
    Sh: ndarray::ShapeBuilder,
{
    crate::error::ensure_finite_scalar("lower bound lo", lo)?;
    crate::error::ensure_finite_scalar("upper bound hi", hi)?;
    let shape = shape.into_shape_with_order();
    crate::error::ensure_allocatable("the shape", shape.raw_dim().slice())?;
    if lo >= hi {
        return Ok(Array::from_elem(shape, lo));
    }
    crate::error::ensure_finite_scalar("the width hi - lo", hi - lo)?;
    Ok(Array::from_shape_simple_fn(shape, || {
        rng.random_range(lo..hi)
    }))
}

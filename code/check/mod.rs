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
use rand::{RngExt, SeedableRng};

// ANCHOR: tolerances
/// Step of the central differences: near the optimum (3 eps)^(1/3) ~ 1e-5 for f64.
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
/// Panics if the shapes differ: a checking tool must not compare the wrong things.
pub fn compare(expected: ArrayViewD<f64>, actual: ArrayViewD<f64>) -> Report {
    assert_eq!(expected.shape(), actual.shape(), "compare: shapes differ");
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
/// df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h).
///
/// The truncation error is h^2 f'''/6 and the round-off error about eps |f| / h;
/// the chapter *How this book checks its claims* derives the best h from them.
pub fn gradient<D, F>(mut f: F, x: &Array<f64, D>, h: f64) -> Array<f64, D>
where
    D: Dimension,
    F: FnMut(&Array<f64, D>) -> f64,
{
    let mut probe = x.as_standard_layout().into_owned();
    let mut grad = Vec::with_capacity(x.len());
    for i in 0..x.len() {
        let xi = probe.as_slice().expect("standard layout")[i];
        probe.as_slice_mut().expect("standard layout")[i] = xi + h;
        let up = f(&probe);
        probe.as_slice_mut().expect("standard layout")[i] = xi - h;
        let down = f(&probe);
        probe.as_slice_mut().expect("standard layout")[i] = xi;
        grad.push((up - down) / (2.0 * h));
    }
    Array::from_shape_vec(x.raw_dim(), grad).expect("one entry per input")
}
// ANCHOR_END: gradient

/// The Jacobian of a vector function by central differences.
///
/// Row `r` holds the derivatives of output `r` (outputs in row-major order),
/// column `c` those with respect to input `c` (inputs in row-major order).
pub fn jacobian<D, E, F>(mut f: F, x: &Array<f64, D>, h: f64) -> Array2<f64>
where
    D: Dimension,
    E: Dimension,
    F: FnMut(&Array<f64, D>) -> Array<f64, E>,
{
    let mut probe = x.as_standard_layout().into_owned();
    let n_in = x.len();
    let n_out = f(x).len();
    let mut jac = Array2::zeros((n_out, n_in));
    for c in 0..n_in {
        let xc = probe.as_slice().expect("standard layout")[c];
        probe.as_slice_mut().expect("standard layout")[c] = xc + h;
        let up = f(&probe);
        probe.as_slice_mut().expect("standard layout")[c] = xc - h;
        let down = f(&probe);
        probe.as_slice_mut().expect("standard layout")[c] = xc;
        for (r, (u, d)) in up.iter().zip(down.iter()).enumerate() {
            jac[(r, c)] = (u - d) / (2.0 * h);
        }
    }
    jac
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

/// An array of the given shape with entries drawn uniformly from [lo, hi).
///
/// An empty range, `lo >= hi`, gives every entry the value `lo` (a noise level
/// of zero, say), rather than a panic.
pub fn uniform<Sh: ndarray::ShapeBuilder>(
    rng: &mut Rng,
    shape: Sh,
    lo: f64,
    hi: f64,
) -> Array<f64, Sh::Dim> {
    if lo >= hi {
        return Array::from_elem(shape, lo);
    }
    Array::from_shape_simple_fn(shape, || rng.random_range(lo..hi))
}

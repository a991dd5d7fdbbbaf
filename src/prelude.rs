// prelude.rs: what every listing of "Four Derivations, Verified" assumes.
// Put it next to your lib.rs or main.rs as `mod prelude; use prelude::*;`.
// It is the crate's code/error.rs followed by the imports of code/prelude.rs.

//! The one error type of the crate.
//!
//! Every kernel that can be handed bad input returns `Result<T, Error>`. Each
//! variant carries the offending values, and its message names them, so that a
//! caller sees *what* did not fit, not only that something did not.

use std::fmt;

/// What went wrong, with the values that made it go wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Two shapes that must agree do not.
    ShapeMismatch {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The shape it must have.
        expected: Vec<usize>,
        /// The shape it has.
        found: Vec<usize>,
    },
    /// A size parameter (kernel, window, stride, ...) is outside its allowed range.
    BadSize {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The size given.
        value: usize,
        /// The rule it breaks.
        constraint: String,
    },
    /// An input contains NaN or an infinity.
    NonFinite {
        /// The argument (or part of it) the error is about.
        what: String,
        /// Where in the array (empty for a scalar).
        index: Vec<usize>,
        /// The offending value.
        value: f64,
    },
    /// A value lies outside the set it must belong to (a state other than 0/1 or -1/+1, say).
    BadValue {
        /// The argument (or part of it) the error is about.
        what: String,
        /// Where in the array (empty for a scalar).
        index: Vec<usize>,
        /// The offending value.
        value: f64,
        /// The values it may take.
        allowed: String,
    },
    /// A graph has a directed cycle; the nodes are listed in cycle order.
    Cycle {
        /// The nodes of the cycle, in order.
        nodes: Vec<usize>,
    },
    /// A probability table row does not sum to one, or has a negative entry.
    NotNormalized {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The row (the parents' values).
        row: Vec<usize>,
        /// What the row sums to.
        sum: f64,
        /// The tolerance of the check.
        tolerance: f64,
    },
    /// A size computed from the arguments (a product of dimensions, a shift)
    /// does not fit in a `usize`.
    Overflow {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The numbers whose product or power overflows.
        operands: Vec<usize>,
    },
    /// A size is representable but beyond a documented limit: the memory a
    /// result would take ([`MAX_ELEMENTS`]), or the configurations an exact
    /// enumeration would visit.
    TooLarge {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The size asked for.
        value: u128,
        /// The largest size allowed.
        limit: u128,
    },
    /// A scalar argument is finite but outside the documented range of the
    /// function (a negative learning rate, a coupling so large that the energy
    /// overflows).
    OutOfRange {
        /// The argument (or part of it) the error is about.
        what: String,
        /// The offending value.
        value: f64,
        /// The documented range.
        range: String,
    },
    /// Anything else that is invalid, with a message that names the value.
    Invalid(String),
}

impl Error {
    /// The argument the error is about, as its message names it (`None` for
    /// [`Error::Cycle`] and [`Error::Invalid`]). Tests match on this and on the
    /// variant rather than on the text of the message.
    pub fn argument(&self) -> Option<&str> {
        match self {
            Error::ShapeMismatch { what, .. }
            | Error::BadSize { what, .. }
            | Error::NonFinite { what, .. }
            | Error::BadValue { what, .. }
            | Error::NotNormalized { what, .. }
            | Error::Overflow { what, .. }
            | Error::TooLarge { what, .. }
            | Error::OutOfRange { what, .. } => Some(what),
            Error::Cycle { .. } | Error::Invalid(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ShapeMismatch {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected shape {expected:?}, found {found:?}"),
            Error::BadSize {
                what,
                value,
                constraint,
            } => write!(f, "{what} = {value} is invalid: {constraint}"),
            Error::NonFinite { what, index, value } if index.is_empty() => {
                write!(f, "{what} is not finite: {value}")
            }
            Error::NonFinite { what, index, value } => {
                write!(f, "{what} at index {index:?} is not finite: {value}")
            }
            Error::BadValue {
                what,
                index,
                value,
                allowed,
            } if index.is_empty() => write!(f, "{what} is {value}, but must be {allowed}"),
            Error::BadValue {
                what,
                index,
                value,
                allowed,
            } => write!(
                f,
                "{what} at index {index:?} is {value}, but must be {allowed}"
            ),
            Error::Cycle { nodes } => {
                let path: Vec<String> = nodes.iter().map(|n| n.to_string()).collect();
                write!(
                    f,
                    "the graph has a directed cycle through nodes {}",
                    path.join(" -> ")
                )
            }
            Error::NotNormalized {
                what,
                row,
                sum,
                tolerance,
            } => write!(
                f,
                "{what}, row {row:?}, sums to {sum}, not to 1 within {tolerance:e}"
            ),
            Error::Overflow { what, operands } => {
                write!(f, "{what} overflows a usize (from {operands:?})")
            }
            Error::TooLarge { what, value, limit } => {
                write!(f, "{what} = {value} exceeds the limit {limit}")
            }
            Error::OutOfRange { what, value, range } => {
                write!(f, "{what} = {value} is outside the range {range}")
            }
            Error::Invalid(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// The crate's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that every entry of an ndarray array is finite.
pub fn ensure_finite<S, D>(what: &str, a: &ndarray::ArrayBase<S, D>) -> Result<()>
where
    S: ndarray::Data<Elem = f64>,
    D: ndarray::Dimension,
{
    use ndarray::IntoDimension;
    // One fast pass over the values; the index is searched for only on failure.
    if a.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    for (pattern, &value) in a.indexed_iter() {
        if !value.is_finite() {
            return Err(Error::NonFinite {
                what: what.to_string(),
                index: pattern.into_dimension().slice().to_vec(),
                value,
            });
        }
    }
    Ok(())
}

/// Checks that a scalar argument is finite, naming it otherwise.
pub fn ensure_finite_scalar(what: &str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::NonFinite {
            what: what.to_string(),
            index: Vec::new(),
            value,
        })
    }
}

/// The most entries an array that the crate allocates may hold: 2^28, that
/// is 2 GiB of `f64`. A size beyond it is refused with [`Error::TooLarge`]
/// before anything is allocated, since a failed allocation aborts the
/// process rather than returning an error.
pub const MAX_ELEMENTS: usize = 1 << 28;

/// The product of `dims`, checked: [`Error::Overflow`] if it does not fit in
/// a `usize`.
pub fn checked_product(what: &str, dims: &[usize]) -> Result<usize> {
    if dims.contains(&0) {
        return Ok(0); // an empty array, however large its other sides
    }
    dims.iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| Error::Overflow {
            what: what.to_string(),
            operands: dims.to_vec(),
        })
}

/// The number of entries of an array of shape `dims`, checked against
/// overflow and against [`MAX_ELEMENTS`], so that it is safe to allocate.
pub fn ensure_allocatable(what: &str, dims: &[usize]) -> Result<usize> {
    let n = checked_product(what, dims)?;
    if n > MAX_ELEMENTS {
        return Err(Error::TooLarge {
            what: what.to_string(),
            value: n as u128,
            limit: MAX_ELEMENTS as u128,
        });
    }
    Ok(n)
}

/// `2^n` as a `usize`, checked: [`Error::Overflow`] when `n` is too large
/// for the shift.
pub fn checked_pow2(what: &str, n: usize) -> Result<usize> {
    u32::try_from(n)
        .ok()
        .and_then(|n| 1usize.checked_shl(n))
        .ok_or_else(|| Error::Overflow {
            what: what.to_string(),
            operands: vec![2, n],
        })
}

/// Checks that `found` equals `expected`, naming `what` otherwise.
pub fn ensure_shape(what: &str, expected: &[usize], found: &[usize]) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            what: what.to_string(),
            expected: expected.to_vec(),
            found: found.to_vec(),
        })
    }
}

// The imports every listing assumes.
#[doc(no_inline)]
pub use ndarray::prelude::*;
#[doc(no_inline)]
pub use ndarray::{IntoDimension, Zip};
#[doc(no_inline)]
pub use rand::{Rng, RngExt, SeedableRng};

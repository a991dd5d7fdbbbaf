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
        what: String,
        expected: Vec<usize>,
        found: Vec<usize>,
    },
    /// A size parameter (kernel, window, stride, ...) is outside its allowed range.
    BadSize {
        what: String,
        value: usize,
        constraint: String,
    },
    /// An input contains NaN or an infinity.
    NonFinite {
        what: String,
        index: Vec<usize>,
        value: f64,
    },
    /// A value lies outside the set it must belong to (a state other than 0/1 or -1/+1, say).
    BadValue {
        what: String,
        index: Vec<usize>,
        value: f64,
        allowed: String,
    },
    /// A graph has a directed cycle; the nodes are listed in cycle order.
    Cycle { nodes: Vec<usize> },
    /// A probability table row does not sum to one, or has a negative entry.
    NotNormalized {
        what: String,
        row: Vec<usize>,
        sum: f64,
        tolerance: f64,
    },
    /// Anything else that is invalid, with a message that names the value.
    Invalid(String),
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
            Error::NonFinite { what, index, value } => {
                write!(f, "{what} at index {index:?} is not finite: {value}")
            }
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

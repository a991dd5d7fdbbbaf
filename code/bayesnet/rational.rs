//! Exact rational numbers over `i128`, always in lowest terms.
//!
//! Every operation is checked: an overflow is an [`Error`], never a wrong
//! answer. Probability tables with small denominators (tenths, twelfths) stay
//! far from the limit: a product of twelve factors with denominators at most
//! 12 has a denominator at most 12^12 < 2^44.

use crate::error::{Error, Result};

// ANCHOR: bayes_rational
/// The rational number `num / den`, with `den > 0` and `gcd(num, den) = 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

/// The greatest common divisor of `|a|` and `|b|`, in `u128` so that
/// `|i128::MIN| = 2^127` has a value.
fn gcd(a: i128, b: i128) -> u128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The error of an operation whose exact result does not fit in `i128`: it
/// names the argument `other` and both operands.
fn overflow(op: &str, a: Rational, b: Rational) -> Error {
    Error::OutOfRange {
        what: "other".into(),
        value: b.to_f64(),
        range: format!(
            "numbers r for which {a} {op} r fits in i128 / i128 (here r = {b}: the result overflows)"
        ),
    }
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// The fraction `num / den` in lowest terms; a zero denominator, or a
    /// fraction whose lowest terms need a denominator of `2^127` (as
    /// `1 / i128::MIN` does), is an error.
    pub fn new(num: i128, den: i128) -> Result<Rational> {
        if den == 0 {
            return Err(Error::BadValue {
                what: "den".into(),
                index: vec![],
                value: 0.0,
                allowed: format!("nonzero (rational {num}/0 has a zero denominator)"),
            });
        }
        let g = gcd(num, den); // at least 1, since den != 0
        let (n, d) = (num.unsigned_abs() / g, den.unsigned_abs() / g);
        let negative = (num < 0) != (den < 0) && n != 0;
        let den_out = i128::try_from(d).map_err(|_| Error::OutOfRange {
            what: "den".into(),
            value: den as f64,
            range: format!(
                "denominators for which {num}/{den} in lowest terms has a denominator below 2^127"
            ),
        })?;
        // n <= 2^127, and -2^127 = i128::MIN is representable.
        let num_out = if negative {
            0i128.checked_sub_unsigned(n)
        } else {
            i128::try_from(n).ok()
        }
        .ok_or_else(|| Error::OutOfRange {
            what: "num".into(),
            value: num as f64,
            range: format!(
                "numerators for which {num}/{den} in lowest terms has a numerator in i128"
            ),
        })?;
        Ok(Rational {
            num: num_out,
            den: den_out,
        })
    }

    /// The integer `n`.
    pub fn int(n: i128) -> Rational {
        Rational { num: n, den: 1 }
    }

    /// The numerator (its sign is the number's sign).
    pub fn num(self) -> i128 {
        self.num
    }

    /// The denominator, always positive.
    pub fn den(self) -> i128 {
        self.den
    }

    /// `self + other`, exactly.
    pub fn checked_add(self, other: Rational) -> Result<Rational> {
        // a/b + c/d = (a (d/g) + c (b/g)) / (b (d/g)) with g = gcd(b, d).
        // g divides both positive denominators, so it is at most i128::MAX.
        let g = gcd(self.den, other.den) as i128;
        let (bg, dg) = (self.den / g, other.den / g);
        let num = self
            .num
            .checked_mul(dg)
            .and_then(|x| other.num.checked_mul(bg).and_then(|y| x.checked_add(y)))
            .ok_or_else(|| overflow("+", self, other))?;
        let den = self
            .den
            .checked_mul(dg)
            .ok_or_else(|| overflow("+", self, other))?;
        Rational::new(num, den)
    }

    /// `self * other`, exactly.
    pub fn checked_mul(self, other: Rational) -> Result<Rational> {
        // Cancel across first, so the products stay as small as they can.
        // Each gcd divides a positive denominator, so it is in 1..=i128::MAX.
        let g1 = gcd(self.num, other.den).max(1) as i128;
        let g2 = gcd(other.num, self.den).max(1) as i128;
        let num = (self.num / g1)
            .checked_mul(other.num / g2)
            .ok_or_else(|| overflow("*", self, other))?;
        let den = (self.den / g2)
            .checked_mul(other.den / g1)
            .ok_or_else(|| overflow("*", self, other))?;
        Rational::new(num, den)
    }

    /// The nearest `f64` (for display and for building a floating-point twin).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }
}
impl std::fmt::Display for Rational {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl PartialOrd for Rational {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rational {
    /// Exact comparison, by the continued fractions of the two numbers (no
    /// product that could overflow, no rounding).
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        use std::cmp::Ordering;
        // a/b against c/d with b, d > 0.
        let (mut a, mut b, mut c, mut d) = (self.num, self.den, other.num, other.den);
        let mut flip = false; // true when the comparison is of reciprocals
        loop {
            let (qa, qc) = (a.div_euclid(b), c.div_euclid(d));
            if qa != qc {
                let order = qa.cmp(&qc);
                return if flip { order.reverse() } else { order };
            }
            let (ra, rc) = (a.rem_euclid(b), c.rem_euclid(d));
            match (ra == 0, rc == 0) {
                (true, true) => return Ordering::Equal,
                (true, false) => {
                    return if flip {
                        Ordering::Greater
                    } else {
                        Ordering::Less
                    }
                }
                (false, true) => {
                    return if flip {
                        Ordering::Less
                    } else {
                        Ordering::Greater
                    }
                }
                // ra/b < rc/d  <=>  d/rc < b/ra: compare the reciprocals.
                (false, false) => {
                    (a, b, c, d) = (b, ra, d, rc);
                    flip = !flip;
                }
            }
        }
    }
}
// ANCHOR_END: bayes_rational

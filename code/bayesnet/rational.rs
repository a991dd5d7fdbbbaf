//! Exact rational numbers over `i128`, always in lowest terms.
//!
//! Every operation is checked: an overflow is an [`Error`], never a wrong
//! answer. Probability tables with small denominators (tenths, twelfths) stay
//! far from the limit: a product of twelve factors with denominators at most
//! 12 has a denominator at most 12^12 < 2^44.

use crate::error::{Error, Result};
use std::fmt;

// ANCHOR: rational
/// The rational number `num / den`, with `den > 0` and `gcd(num, den) = 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rational {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn overflow(op: &str, a: Rational, b: Rational) -> Error {
    Error::Invalid(format!("rational overflow in {a} {op} {b}"))
}

impl Rational {
    /// Zero.
    pub const ZERO: Rational = Rational { num: 0, den: 1 };
    /// One.
    pub const ONE: Rational = Rational { num: 1, den: 1 };

    /// The fraction `num / den` in lowest terms; a zero denominator is an error.
    pub fn new(num: i128, den: i128) -> Result<Rational> {
        if den == 0 {
            return Err(Error::Invalid(format!(
                "rational {num}/0 has a zero denominator"
            )));
        }
        let g = gcd(num, den);
        let (mut num, mut den) = (num / g, den / g);
        if den < 0 {
            num = num
                .checked_neg()
                .ok_or_else(|| Error::Invalid(format!("rational overflow negating {num}")))?;
            den = den
                .checked_neg()
                .ok_or_else(|| Error::Invalid(format!("rational overflow negating {den}")))?;
        }
        Ok(Rational { num, den })
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
        let g = gcd(self.den, other.den);
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
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
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
// ANCHOR_END: rational

impl fmt::Display for Rational {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // a/b < c/d  <=>  a d < c b (b, d > 0); i128 products of the sizes used
        // here cannot overflow, and if they would we fall back to f64.
        match (
            self.num.checked_mul(other.den),
            other.num.checked_mul(self.den),
        ) {
            (Some(l), Some(r)) => l.cmp(&r),
            _ => self.to_f64().total_cmp(&other.to_f64()),
        }
    }
}

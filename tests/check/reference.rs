//! An independent reference for the stable numerics: double-double
//! arithmetic (about 32 significant digits), with its own exponential (Taylor
//! series after reduction by ln 2 and by 2^-10, then squaring) and logarithm
//! (Newton's method on that exponential). None of it shares code or formulas
//! with `verified_dl::numerics`, so agreement to a few ulp is evidence, not
//! an echo.

/// A double-double number hi + lo, |lo| <= ulp(hi) / 2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dd {
    pub hi: f64,
    pub lo: f64,
}

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd {
        hi: s,
        lo: (a - (s - bb)) + (b - bb),
    }
}

fn quick(hi: f64, lo: f64) -> Dd {
    let s = hi + lo;
    Dd {
        hi: s,
        lo: lo - (s - hi),
    }
}

impl Dd {
    pub const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };
    /// ln 2 to double-double precision.
    const LN2: Dd = Dd {
        hi: std::f64::consts::LN_2,
        lo: 2.319_046_813_846_299_6e-17,
    };

    pub fn from(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }
    pub fn add(self, o: Dd) -> Dd {
        let s = two_sum(self.hi, o.hi);
        let t = two_sum(self.lo, o.lo);
        let s = quick(s.hi, s.lo + t.hi);
        quick(s.hi, s.lo + t.lo)
    }
    pub fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
    pub fn sub(self, o: Dd) -> Dd {
        self.add(o.neg())
    }
    pub fn mul(self, o: Dd) -> Dd {
        let p = self.hi * o.hi;
        let e = self.hi.mul_add(o.hi, -p);
        quick(p, e + (self.hi * o.lo + self.lo * o.hi))
    }
    pub fn div(self, o: Dd) -> Dd {
        let q1 = self.hi / o.hi;
        let r = self.sub(o.mul(Dd::from(q1)));
        let q2 = r.hi / o.hi;
        let r = r.sub(o.mul(Dd::from(q2)));
        let q3 = r.hi / o.hi;
        quick(q1, q2).add(Dd::from(q3))
    }
    /// self * 2^k, exactly (k within the exponent range of the parts).
    fn scale(self, k: i32) -> Dd {
        let f = |x: f64| {
            // two steps so that 2^k itself never overflows or underflows
            let half = k / 2;
            x * 2f64.powi(half) * 2f64.powi(k - half)
        };
        Dd {
            hi: f(self.hi),
            lo: f(self.lo),
        }
    }

    /// e^x for an f64 x with e^x a normal number (-708 < x < 709).
    pub fn exp(x: Dd) -> Dd {
        let k = (x.hi / std::f64::consts::LN_2).round();
        let r = x.sub(Dd::LN2.mul(Dd::from(k)));
        // e^r = (e^(r / 1024))^1024, the inner one by its Taylor series
        let s = r.mul(Dd::from(1.0 / 1024.0));
        let mut term = Dd::ONE;
        let mut sum = Dd::ONE;
        for n in 1..=14 {
            term = term.mul(s).div(Dd::from(n as f64));
            sum = sum.add(term);
        }
        for _ in 0..10 {
            sum = sum.mul(sum);
        }
        sum.scale(k as i32)
    }

    /// ln a for a > 0: a = r 2^k with r in [1, 2), ln a = ln r + k ln 2, and
    /// ln r by Newton's method on `exp`: y <- y + r e^-y - 1.
    pub fn ln(a: Dd) -> Dd {
        let k = a.hi.log2().floor() as i32;
        let r = a.scale(-k);
        let mut y = Dd::from(r.hi.ln());
        for _ in 0..2 {
            y = y.add(r.mul(Dd::exp(y.neg()))).sub(Dd::ONE);
        }
        y.add(Dd::LN2.mul(Dd::from(f64::from(k))))
    }

    pub fn to_f64(self) -> f64 {
        self.hi + self.lo
    }
}

/// sigma(x) = 1 / (1 + e^-x), in double-double (x > -708).
pub fn sigmoid(x: f64) -> f64 {
    Dd::ONE.div(Dd::ONE.add(Dd::exp(Dd::from(-x)))).to_f64()
}

/// ln(1 + e^x) in double-double; for x < -40 by the series
/// e^x - e^2x / 2 + e^3x / 3, whose next term is below 1e-52 relative.
pub fn softplus(x: f64) -> f64 {
    if x < -40.0 {
        let e = Dd::exp(Dd::from(x));
        let e2 = e.mul(e);
        return e
            .sub(e2.div(Dd::from(2.0)))
            .add(e2.mul(e).div(Dd::from(3.0)))
            .to_f64();
    }
    if x > 40.0 {
        // x + ln(1 + e^-x) = x + e^-x - ...
        let e = Dd::exp(Dd::from(-x));
        return Dd::from(x).add(e).sub(e.mul(e).div(Dd::from(2.0))).to_f64();
    }
    Dd::ln(Dd::ONE.add(Dd::exp(Dd::from(x)))).to_f64()
}

/// ln softmax(z)_i = (z_i - m) - ln sum_j e^(z_j - m), m = max z, every
/// difference formed exactly in double-double; terms with z_j - m below -708
/// are dropped (each is below 1e-307 of the sum, which is at least 1).
pub fn log_softmax(z: &[f64]) -> Vec<Dd> {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let diff = |v: f64| Dd::from(v).sub(Dd::from(m));
    let sum = z
        .iter()
        .map(|&v| diff(v))
        .filter(|d| d.hi > -708.0)
        .fold(Dd::from(0.0), |s, d| s.add(Dd::exp(d)));
    let tail = Dd::ln(sum);
    z.iter().map(|&v| diff(v).sub(tail)).collect()
}

/// ln sum_i e^(x_i) = m + ln sum_i e^(x_i - m), in double-double.
pub fn log_sum_exp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // lse = m - log_softmax(x)_argmax, since the largest entry's is -tail
    let tail = log_softmax(x)
        .into_iter()
        .zip(x)
        .find(|&(_, &v)| v == m)
        .map(|(l, _)| l.neg());
    Dd::from(m).add(tail.unwrap_or(Dd::from(f64::NAN))).to_f64()
}

/// The spacing of the doubles at |x|: one unit in the last place.
pub fn ulp(x: f64) -> f64 {
    let a = x.abs();
    if a == 0.0 {
        return f64::from_bits(1);
    }
    f64::from_bits(a.to_bits() + 1) - a
}

/// The distance from `a` to `b` in units of the last place of `b`.
pub fn ulps(a: f64, b: f64) -> f64 {
    if a == b {
        return 0.0;
    }
    let b_abs = b.abs();
    let ulp = if b_abs == 0.0 {
        f64::from_bits(1)
    } else {
        f64::from_bits(b_abs.to_bits() + 1) - b_abs
    };
    (a - b).abs() / ulp
}

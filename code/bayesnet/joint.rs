//! The joint distribution of a network: the product of one entry per table,
//! at one assignment or at every joint configuration.

use super::network::{row_assignment, BayesNet};
use super::prob::Prob;
use crate::error::{checked_product, Error, Result};

// ANCHOR: bayes_joint
impl<T: Prob> BayesNet<T> {
    /// The factorization `p(x) = prod_k p(x_k | pa_k)` at the assignment `x`.
    pub fn joint(&self, x: &[usize]) -> Result<T> {
        self.check_assignment(x)?;
        self.product_at(x)
    }

    /// `prod_k p(x_k | pa_k)` for an `x` known to be a valid assignment.
    pub(crate) fn product_at(&self, x: &[usize]) -> Result<T> {
        (0..self.len()).try_fold(T::one(), |p, k| p.mul(self.entry_at(k, x)))
    }
}
// ANCHOR_END: bayes_joint

// ANCHOR: bayes_enumeration
/// The most joint configurations an exhaustive enumeration visits, 2^24: a
/// brute-force sum over them takes seconds, and the table of the joint
/// ([`BayesNet::joint_values`]) at most 2^24 numbers. Beyond it every
/// enumeration is refused with [`Error::TooLarge`].
pub const MAX_CONFIGURATIONS: usize = 1 << 24;

/// The number of joint configurations of variables with arities `arity`,
/// `prod_k arity[k]`, refused beyond [`MAX_CONFIGURATIONS`].
pub(crate) fn enumerable(what: &str, arity: &[usize]) -> Result<usize> {
    let total = checked_product(what, arity)?;
    if total > MAX_CONFIGURATIONS {
        return Err(Error::TooLarge {
            what: format!("joint configurations of {what}"),
            value: total as u128,
            limit: MAX_CONFIGURATIONS as u128,
        });
    }
    Ok(total)
}

/// Every joint configuration of variables with arities `arity`, in row-major
/// order (the last variable varies fastest); at most [`MAX_CONFIGURATIONS`].
pub fn configurations(arity: &[usize]) -> Result<impl Iterator<Item = Vec<usize>> + '_> {
    let total = enumerable("arity", arity)?;
    Ok((0..total).map(move |i| row_assignment(i, arity)))
}

/// Calls `f` on every joint configuration in row-major order, counting like
/// an odometer in one buffer (no allocation per configuration). The caller
/// bounds the count (by [`enumerable`]).
pub(crate) fn for_each_configuration(
    arity: &[usize],
    mut f: impl FnMut(&[usize]) -> Result<()>,
) -> Result<()> {
    if arity.contains(&0) {
        return Ok(()); // no configurations at all
    }
    let mut x = vec![0; arity.len()];
    loop {
        f(&x)?;
        let mut i = arity.len();
        loop {
            if i == 0 {
                return Ok(());
            }
            i -= 1;
            x[i] += 1; // cannot fail: i < arity.len() = x.len()
            if x[i] < arity[i] {
                break;
            }
            x[i] = 0;
        }
    }
}

impl<T: Prob> BayesNet<T> {
    /// The number of joint configurations, `prod_k arity[k]`
    /// ([`Error::Overflow`] if it does not fit in a `usize`).
    pub fn configurations(&self) -> Result<usize> {
        checked_product("arities of the network", self.arity())
    }

    /// The joint at every configuration, in row-major order (the last node
    /// varies fastest); at most [`MAX_CONFIGURATIONS`] of them.
    pub fn joint_values(&self) -> Result<Vec<T>> {
        let mut values = Vec::with_capacity(enumerable("the network", self.arity())?);
        for_each_configuration(self.arity(), |x| {
            values.push(self.product_at(x)?);
            Ok(())
        })?;
        Ok(values)
    }
}
// ANCHOR_END: bayes_enumeration

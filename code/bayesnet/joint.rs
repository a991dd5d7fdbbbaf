//! The joint distribution of a network: the product of one entry per table,
//! at one assignment or at every joint configuration.

use super::network::BayesNet;
use super::prob::Prob;
use crate::error::{Error, Result};

/// The values of the parents in row `row` of a table (row-major, first parent slowest).
pub(crate) fn row_assignment(row: usize, parent_arity: &[usize]) -> Vec<usize> {
    let mut rest = row;
    let mut values = vec![0; parent_arity.len()];
    for (v, &a) in values.iter_mut().zip(parent_arity).rev() {
        *v = rest % a;
        rest /= a;
    }
    values
}

impl<T: Prob> BayesNet<T> {
    /// The number of joint configurations, `prod_k arity[k]`.
    pub fn configurations(&self) -> Result<usize> {
        self.arity
            .iter()
            .try_fold(1usize, |c, &a| c.checked_mul(a))
            .ok_or_else(|| {
                Error::Invalid(format!("{:?}: too many joint configurations", self.arity))
            })
    }

    // ANCHOR: joint
    /// The factorization `p(x) = prod_k p(x_k | pa_k)` at the assignment `x`.
    pub fn joint(&self, x: &[usize]) -> Result<T> {
        self.check_assignment(x)?;
        self.product_at(x)
    }

    /// `prod_k p(x_k | pa_k)` for an `x` known to be a valid assignment.
    pub(crate) fn product_at(&self, x: &[usize]) -> Result<T> {
        (0..self.len()).try_fold(T::one(), |p, k| {
            p.mul(self.tables[k][(self.row(k, x), x[k])])
        })
    }
    // ANCHOR_END: joint

    /// The joint at every configuration, in row-major order (the last node
    /// varies fastest).
    pub fn joint_values(&self) -> Result<Vec<T>> {
        let mut values = Vec::with_capacity(self.configurations()?);
        for_each_configuration(&self.arity, |x| {
            values.push(self.product_at(x)?);
            Ok(())
        })?;
        Ok(values)
    }
}

/// Every joint configuration of variables with the given arities, in
/// row-major order (the last variable varies fastest).
pub fn configurations(arity: &[usize]) -> impl Iterator<Item = Vec<usize>> + '_ {
    let total: usize = arity.iter().product();
    (0..total).map(move |i| row_assignment(i, arity))
}

/// Calls `f` on every joint configuration in row-major order, counting like
/// an odometer in one buffer (no allocation per configuration).
pub fn for_each_configuration(
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
            x[i] += 1;
            if x[i] < arity[i] {
                break;
            }
            x[i] = 0;
        }
    }
}

//! The marginal distribution of one node, `p(x_k)`, by the chapter's
//! elimination: the nodes that are not ancestors of `k` are summed out for
//! free, childless first, as in (bayes.childless); the ancestors are summed
//! out parents first, each after multiplying the factors that mention it.

use super::joint::MAX_CONFIGURATIONS;
use super::network::{row_assignment, BayesNet};
use super::order::parents_after_order;
use super::prob::Prob;
use super::proof::Table;
use crate::error::{checked_product, Error, Result};

// ANCHOR: bayes_factor
/// The most entries a factor of the elimination may hold: the same bound as
/// an exhaustive enumeration, [`MAX_CONFIGURATIONS`]. A network whose
/// elimination needs a larger factor is refused with [`Error::TooLarge`].
pub const MAX_FACTOR_ENTRIES: usize = MAX_CONFIGURATIONS;

impl<T: Prob> Table<T> {
    /// Node `k`'s table `p(x_k | pa_k)` as a function of the variables
    /// `pa_k` and `x_k`, named by their nodes.
    pub(crate) fn of_node(net: &BayesNet<T>, k: usize) -> Result<Table<T>> {
        let mut vars = net.parents(k)?.to_vec();
        vars.push(k);
        vars.sort_unstable();
        let arity: Vec<usize> = vars.iter().map(|&j| net.arity()[j]).collect();
        // As many entries as node k's table, which exists.
        let entries = checked_product("arity of node k and its parents", &arity)?;
        let mut x = vec![0; net.len()];
        let mut values = Vec::with_capacity(entries);
        for i in 0..entries {
            for (&j, v) in vars.iter().zip(row_assignment(i, &arity)) {
                x[j] = v;
            }
            values.push(net.entry_at(k, &x));
        }
        Table::new(vars, arity, values)
    }

    /// The pointwise product of two tables, a function of the union of their
    /// variables; more than [`MAX_FACTOR_ENTRIES`] entries is an error that
    /// names `what`.
    pub(crate) fn product(&self, other: &Table<T>, what: &str) -> Result<Table<T>> {
        let mut vars = self.vars.clone();
        vars.extend(other.vars.iter().filter(|v| !self.vars.contains(v)));
        vars.sort_unstable();
        let arity_of = |v: &usize| -> usize {
            let (mine, theirs) = (self.vars.iter(), other.vars.iter());
            mine.zip(&self.arity)
                .chain(theirs.zip(&other.arity))
                .find(|(u, _)| *u == v)
                .map_or(1, |(_, &a)| a)
        };
        let arity: Vec<usize> = vars.iter().map(arity_of).collect();
        let entries = checked_product(what, &arity)?;
        if entries > MAX_FACTOR_ENTRIES {
            return Err(Error::TooLarge {
                what: format!("entries of a factor in {what}"),
                value: entries as u128,
                limit: MAX_FACTOR_ENTRIES as u128,
            });
        }
        // Where each table's variables sit among the union's.
        let at = |t: &Table<T>| -> Vec<usize> {
            t.vars
                .iter()
                .map(|v| vars.binary_search(v).unwrap_or(0)) // cannot fail: v is in the union
                .collect()
        };
        let (mine, theirs) = (at(self), at(other));
        let index = |t: &Table<T>, pos: &[usize], u: &[usize]| -> usize {
            pos.iter().zip(&t.arity).fold(0, |i, (&p, &a)| i * a + u[p])
        };
        let mut values = Vec::with_capacity(entries);
        for i in 0..entries {
            let u = row_assignment(i, &arity);
            let a = self.values[index(self, &mine, &u)];
            let b = other.values[index(other, &theirs, &u)];
            values.push(a.mul(b)?);
        }
        Table::new(vars, arity, values)
    }
}
// ANCHOR_END: bayes_factor

// ANCHOR: bayes_marginal
impl<T: Prob> BayesNet<T> {
    /// The marginal distribution `p(x_k)` of node `k`, one entry per value.
    ///
    /// A node that is not an ancestor of `k` has no child that is (a child of
    /// it would make it one), so the proof's order sums all of them out
    /// first, each touching only its own table, which sums to one: they drop
    /// out. The ancestors are then summed out parents first, each after
    /// multiplying the tables and factors that mention it. Every factor has
    /// at most [`MAX_FACTOR_ENTRIES`] entries.
    pub fn marginal(&self, k: usize) -> Result<Vec<T>> {
        self.check_node("node k", k)?;
        let mut ancestor = vec![false; self.len()];
        ancestor[k] = true;
        let mut stack = vec![k];
        while let Some(v) = stack.pop() {
            for &j in self.parents(v)? {
                if !ancestor[j] {
                    ancestor[j] = true;
                    stack.push(j);
                }
            }
        }
        let what = format!("the marginal of node k = {k}");
        let mut factors = Vec::new();
        for j in (0..self.len()).filter(|&j| ancestor[j]) {
            factors.push(Table::of_node(self, j)?);
        }
        let mut parents_first = parents_after_order(self.parent_lists())?;
        parents_first.reverse();
        for &v in parents_first.iter().filter(|&&v| ancestor[v] && v != k) {
            let (with, without): (Vec<_>, Vec<_>) =
                factors.into_iter().partition(|f| f.vars.contains(&v));
            let mut product = Table::new(vec![], vec![], vec![T::one()])?;
            for f in &with {
                product = product.product(f, &what)?;
            }
            factors = without;
            factors.push(product.sum_out(v)?);
        }
        // Only x_k is left: the product of what remains is p(x_k).
        let mut result = Table::new(vec![], vec![], vec![T::one()])?;
        for f in &factors {
            result = result.product(f, &what)?;
        }
        Ok(result.values)
    }
}
// ANCHOR_END: bayes_marginal

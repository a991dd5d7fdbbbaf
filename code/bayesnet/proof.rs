//! The proof of problem 2 as code: sum out the first node of the order, find
//! the factorization of the smaller network, repeat.

use super::network::BayesNet;
use super::order::parents_after_order;
use super::prob::Prob;
use crate::error::{Error, Result};

// ANCHOR: table
/// A function of some of the variables, stored as a table: `vars` are node
/// names in increasing order, `values` runs over their joint values in
/// row-major order (the last variable varies fastest).
#[derive(Debug, Clone, PartialEq)]
pub struct Table<T> {
    /// The variables, by name (the node's index in the original network).
    pub vars: Vec<usize>,
    /// Their arities.
    pub arity: Vec<usize>,
    /// One value per joint assignment of `vars`.
    pub values: Vec<T>,
}
// ANCHOR_END: table

impl<T: Prob> Table<T> {
    // ANCHOR: joint_table
    /// The joint `prod_k p(x_k | pa_k)` of `net` at every assignment; node `k`
    /// of `net` is called `names[k]` (names must increase).
    pub fn joint(net: &BayesNet<T>, names: &[usize]) -> Result<Table<T>> {
        crate::error::ensure_shape("names of the nodes", &[net.len()], &[names.len()])?;
        if names.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::Invalid(format!(
                "node names {names:?} must increase"
            )));
        }
        let values = net.joint_values()?;
        Ok(Table {
            vars: names.to_vec(),
            arity: net.arity().to_vec(),
            values,
        })
    }
    // ANCHOR_END: joint_table

    // ANCHOR: sum_out
    /// The table of `sum_{x_var} f(..., x_var, ...)`: the variable `var` summed out.
    pub fn sum_out(&self, var: usize) -> Result<Table<T>> {
        let pos = self.vars.iter().position(|&v| v == var).ok_or_else(|| {
            Error::Invalid(format!("variable {var} is not among {:?}", self.vars))
        })?;
        // Row-major: index = (outer * arity[pos] + value) * inner + rest.
        let inner: usize = self.arity[pos + 1..].iter().product();
        let a = self.arity[pos];
        let outer = self.values.len() / (a * inner);
        let mut values = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for i in 0..inner {
                values.push(T::sum(
                    (0..a).map(|v| self.values[(o * a + v) * inner + i]),
                )?);
            }
        }
        let mut vars = self.vars.clone();
        let mut arity = self.arity.clone();
        vars.remove(pos);
        arity.remove(pos);
        Ok(Table {
            vars,
            arity,
            values,
        })
    }
    // ANCHOR_END: sum_out

    /// The value at an assignment of `vars` (in their order).
    pub fn get(&self, x: &[usize]) -> Result<T> {
        crate::error::ensure_shape("assignment of the table", &[self.vars.len()], &[x.len()])?;
        let mut index = 0;
        for (k, (&v, &a)) in x.iter().zip(&self.arity).enumerate() {
            if v >= a {
                return Err(Error::BadValue {
                    what: "assignment of the table".into(),
                    index: vec![k],
                    value: v as f64,
                    allowed: format!("a value of variable {} in 0..{a}", self.vars[k]),
                });
            }
            index = index * a + v;
        }
        Ok(self.values[index])
    }
}

// ANCHOR: step
/// The state after `j` steps of the proof: the nodes `I_1, ..., I_j` are
/// summed out and what remains is the network `rest` on the other nodes.
#[derive(Debug, Clone)]
pub struct Step<T> {
    /// The node summed out in this step (its name in the original network).
    pub summed: usize,
    /// The network on the nodes that remain.
    pub rest: BayesNet<T>,
    /// The names of `rest`'s nodes in the original network, increasing.
    pub names: Vec<usize>,
}

/// The proof's steps: for `j = 1, ..., K`, sum `I_j` out of the network left
/// by step `j - 1`. Node `I_j` is childless there (its children come before it
/// in the order and are gone), so summing it out touches only its own table,
/// whose rows sum to one, and leaves the factorization of `rest`.
pub fn proof_steps<T: Prob>(net: &BayesNet<T>) -> Result<Vec<Step<T>>> {
    let order = parents_after_order(net.parent_lists())?;
    let mut rest = net.clone();
    let mut names: Vec<usize> = (0..net.len()).collect();
    let mut steps = Vec::with_capacity(order.len());
    for &summed in &order {
        let k = names
            .binary_search(&summed)
            .expect("an unsummed node is named");
        rest = rest.without(k)?;
        names.remove(k);
        steps.push(Step {
            summed,
            rest: rest.clone(),
            names: names.clone(),
        });
    }
    Ok(steps)
}
// ANCHOR_END: step

// ANCHOR: totals
/// `sum_x p(x)` by brute force: every joint configuration, one sum.
pub fn total_by_enumeration<T: Prob>(net: &BayesNet<T>) -> Result<T> {
    T::sum(net.joint_values()?)
}

/// `sum_x p(x)` as the proof computes it: sum the nodes out one at a time in
/// the order, each sum running over one variable only.
pub fn total_by_steps<T: Prob>(net: &BayesNet<T>) -> Result<T> {
    let order = parents_after_order(net.parent_lists())?;
    let names: Vec<usize> = (0..net.len()).collect();
    let mut table = Table::joint(net, &names)?;
    for &k in &order {
        table = table.sum_out(k)?;
    }
    table.get(&[])
}
// ANCHOR_END: totals

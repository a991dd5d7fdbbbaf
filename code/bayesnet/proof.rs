//! The proof of problem 2 as code: sum out the first node of the order, find
//! the factorization of the smaller network, repeat.

use super::network::BayesNet;
use super::order::parents_after_order;
use super::prob::Prob;
use crate::error::{checked_product, ensure_shape, Error, Result};

// ANCHOR: bayes_table
/// A function of some of the variables, stored as a table: `vars` are node
/// names in increasing order, `values` runs over their joint values in
/// row-major order (the last variable varies fastest).
#[derive(Debug, Clone, PartialEq)]
pub struct Table<T> {
    /// The variables, by name (the node's index in the original network).
    pub(crate) vars: Vec<usize>,
    /// Their arities, each at least 1.
    pub(crate) arity: Vec<usize>,
    /// One value per joint assignment of `vars`.
    pub(crate) values: Vec<T>,
}

impl<T: Prob> Table<T> {
    /// A table of `values` over the variables `vars` with arities `arity`:
    /// the names must increase, every arity be at least 1, and there must be
    /// one value per joint assignment.
    pub fn new(vars: Vec<usize>, arity: Vec<usize>, values: Vec<T>) -> Result<Table<T>> {
        ensure_shape(
            "arity of the table's variables",
            &[vars.len()],
            &[arity.len()],
        )?;
        if let Some(i) = (1..vars.len()).find(|&i| vars[i - 1] >= vars[i]) {
            return Err(Error::BadValue {
                what: "vars".into(),
                index: vec![i],
                value: vars[i] as f64,
                allowed: format!("a name above {} (names must increase)", vars[i - 1]),
            });
        }
        if let Some(i) = arity.iter().position(|&a| a == 0) {
            return Err(Error::BadSize {
                what: format!("arity of variable {}", vars[i]),
                value: 0,
                constraint: "a variable needs at least one value".into(),
            });
        }
        let entries = checked_product("arity of the table's variables", &arity)?;
        ensure_shape("values of the table", &[entries], &[values.len()])?;
        Ok(Table {
            vars,
            arity,
            values,
        })
    }

    /// The variables, by name, in increasing order.
    pub fn vars(&self) -> &[usize] {
        &self.vars
    }

    /// The arities of the variables.
    pub fn arity(&self) -> &[usize] {
        &self.arity
    }

    /// The values, one per joint assignment of the variables, row-major.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// The value at an assignment of `vars` (in their order).
    pub fn get(&self, x: &[usize]) -> Result<T> {
        ensure_shape("assignment x of the table", &[self.vars.len()], &[x.len()])?;
        let mut index = 0;
        for (k, (&v, &a)) in x.iter().zip(&self.arity).enumerate() {
            if v >= a {
                return Err(Error::BadValue {
                    what: "assignment x of the table".into(),
                    index: vec![k],
                    value: v as f64,
                    allowed: format!("a value of variable {} in 0..{a}", self.vars[k]),
                });
            }
            index = index * a + v;
        }
        Ok(self.values[index]) // cannot fail: index < prod(arity) = values.len()
    }
}
// ANCHOR_END: bayes_table

// ANCHOR: joint_table
impl<T: Prob> Table<T> {
    /// The joint `prod_k p(x_k | pa_k)` of `net` at every assignment; node `k`
    /// of `net` is called `names[k]` (names must increase). At most
    /// `MAX_CONFIGURATIONS` entries.
    pub fn joint(net: &BayesNet<T>, names: &[usize]) -> Result<Table<T>> {
        ensure_shape("names of the nodes", &[net.len()], &[names.len()])?;
        Table::new(names.to_vec(), net.arity().to_vec(), net.joint_values()?)
    }
}
// ANCHOR_END: joint_table

// ANCHOR: bayes_sum_out
impl<T: Prob> Table<T> {
    /// The table of `sum_{x_var} f(..., x_var, ...)`: the variable `var` summed out.
    pub fn sum_out(&self, var: usize) -> Result<Table<T>> {
        let pos = self
            .vars
            .iter()
            .position(|&v| v == var)
            .ok_or_else(|| Error::BadValue {
                what: "var".into(),
                index: vec![],
                value: var as f64,
                allowed: format!("one of the table's variables {:?}", self.vars),
            })?;
        // Row-major: index = (outer * arity[pos] + value) * inner + rest.
        // Every arity is at least 1, and their product is values.len().
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
}
// ANCHOR_END: bayes_sum_out

// ANCHOR: bayes_step
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
        // `summed` is not summed out yet, so it is still named: the error
        // cannot happen, and is an error rather than a panic all the same.
        let k = names
            .binary_search(&summed)
            .map_err(|_| Error::Invalid(format!("node {summed} was summed out twice")))?;
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
// ANCHOR_END: bayes_step

// ANCHOR: bayes_totals
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
// ANCHOR_END: bayes_totals

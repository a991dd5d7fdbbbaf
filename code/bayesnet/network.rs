//! A Bayesian network over discrete variables: a DAG, an arity per node and a
//! conditional probability table per node, validated when built.

use super::joint::row_assignment;
use super::order::parents_after_order;
use super::prob::Prob;
use crate::error::{Error, Result};
use ndarray::Array2;

// ANCHOR: bayesnet
/// A directed acyclic graph over discrete variables `x_0, ..., x_{K-1}` with
/// `x_k` in `{0, ..., arity[k]-1}`, and one table `p(x_k | pa_k)` per node.
///
/// The table of node `k` has one row per assignment of its parents, in
/// row-major order over `parents[k]` as listed (the first parent varies
/// slowest), and one column per value of `x_k`.
#[derive(Debug, Clone, PartialEq)]
pub struct BayesNet<T = f64> {
    pub(crate) arity: Vec<usize>,
    pub(crate) parents: Vec<Vec<usize>>,
    pub(crate) tables: Vec<Array2<T>>,
    pub(crate) children: Vec<Vec<usize>>,
}
// ANCHOR_END: bayesnet

/// The name of node `k`'s table in error messages.
fn table_name(k: usize, parents: &[usize]) -> String {
    format!("table p(x_{k} | parents {parents:?}) of node {k}")
}

impl<T: Prob> BayesNet<T> {
    // ANCHOR: new
    /// Builds and validates a network.
    ///
    /// Errors, each naming the offending node: a node count that differs
    /// between the three arguments, an arity of 0, a parent that is not a node,
    /// the node itself or listed twice, a directed cycle (the error lists the
    /// nodes on it), a table of the wrong shape, an entry that is negative or
    /// not finite, a row that does not sum to one within `T::ROW_TOL`.
    pub fn new(
        arity: Vec<usize>,
        parents: Vec<Vec<usize>>,
        tables: Vec<Array2<T>>,
    ) -> Result<Self> {
        let n = arity.len();
        crate::error::ensure_shape("number of parent lists", &[n], &[parents.len()])?;
        crate::error::ensure_shape("number of tables", &[n], &[tables.len()])?;
        for (k, &a) in arity.iter().enumerate() {
            if a == 0 {
                return Err(Error::BadSize {
                    what: format!("arity of node {k}"),
                    value: 0,
                    constraint: "a variable needs at least one value".into(),
                });
            }
        }
        for (k, pa) in parents.iter().enumerate() {
            for (i, &j) in pa.iter().enumerate() {
                if j >= n {
                    return Err(Error::Invalid(format!(
                        "node {k} has parent {j}, but the nodes are 0..{n}"
                    )));
                }
                if j == k {
                    return Err(Error::Cycle { nodes: vec![k] });
                }
                if pa[..i].contains(&j) {
                    return Err(Error::Invalid(format!("node {k} lists parent {j} twice")));
                }
            }
        }
        parents_after_order(&parents)?; // a cycle is an error naming its nodes
        for (k, table) in tables.iter().enumerate() {
            let parent_arity: Vec<usize> = parents[k].iter().map(|&j| arity[j]).collect();
            let rows = parent_arity
                .iter()
                .try_fold(1usize, |r, &a| r.checked_mul(a));
            let rows = rows.ok_or_else(|| {
                Error::Invalid(format!(
                    "node {k}: the table for parents {:?} is too large",
                    parents[k]
                ))
            })?;
            let what = table_name(k, &parents[k]);
            crate::error::ensure_shape(&what, &[rows, arity[k]], table.shape())?;
            for (r, row) in table.rows().into_iter().enumerate() {
                for (v, &p) in row.iter().enumerate() {
                    if !p.is_probability() {
                        let index = vec![r, v];
                        let value = p.to_f64();
                        if !value.is_finite() {
                            return Err(Error::NonFinite { what, index, value });
                        }
                        return Err(Error::BadValue {
                            what,
                            index,
                            value,
                            allowed: "a probability, at least 0".into(),
                        });
                    }
                }
                let sum = T::sum(row.iter().copied())?;
                if !sum.is_one() {
                    return Err(Error::NotNormalized {
                        what,
                        row: row_assignment(r, &parent_arity),
                        sum: sum.to_f64(),
                        tolerance: T::ROW_TOL,
                    });
                }
            }
        }
        let mut children = vec![Vec::new(); n];
        for (k, pa) in parents.iter().enumerate() {
            for &j in pa {
                children[j].push(k);
            }
        }
        Ok(BayesNet {
            arity,
            parents,
            tables,
            children,
        })
    }
    // ANCHOR_END: new

    /// The number of nodes `K`.
    pub fn len(&self) -> usize {
        self.arity.len()
    }

    /// True for the network with no nodes (its joint is the empty product, 1).
    pub fn is_empty(&self) -> bool {
        self.arity.is_empty()
    }

    /// The arities of the nodes.
    pub fn arity(&self) -> &[usize] {
        &self.arity
    }

    /// The parents of node `k`, in the order that indexes its table's rows.
    pub fn parents(&self, k: usize) -> &[usize] {
        &self.parents[k]
    }

    /// The children of node `k`, in increasing order.
    pub fn children(&self, k: usize) -> &[usize] {
        &self.children[k]
    }

    /// The table `p(x_k | pa_k)` of node `k`.
    pub fn table(&self, k: usize) -> &Array2<T> {
        &self.tables[k]
    }

    /// All parent lists.
    pub fn parent_lists(&self) -> &[Vec<usize>] {
        &self.parents
    }

    /// Checks that `x` is an assignment of every node.
    pub fn check_assignment(&self, x: &[usize]) -> Result<()> {
        crate::error::ensure_shape("assignment", &[self.len()], &[x.len()])?;
        for (k, (&v, &a)) in x.iter().zip(&self.arity).enumerate() {
            if v >= a {
                return Err(Error::BadValue {
                    what: "assignment".into(),
                    index: vec![k],
                    value: v as f64,
                    allowed: format!("a value of node {k} in 0..{a}"),
                });
            }
        }
        Ok(())
    }

    // ANCHOR: row
    /// The row of node `k`'s table selected by the parents' values in `x`.
    pub fn row(&self, k: usize, x: &[usize]) -> usize {
        self.parents[k]
            .iter()
            .fold(0, |r, &j| r * self.arity[j] + x[j])
    }
    // ANCHOR_END: row

    // ANCHOR: without
    /// The network on the other nodes once the childless node `node` is
    /// removed; nodes after `node` move down by one index.
    ///
    /// No other table mentions a childless node, so each keeps its rows. A
    /// node with children is an error naming them: removing it would leave
    /// their tables conditioned on a variable that is no longer there.
    pub fn without(&self, node: usize) -> Result<BayesNet<T>> {
        if node >= self.len() {
            return Err(Error::Invalid(format!(
                "node {node} is not in a network of {} nodes",
                self.len()
            )));
        }
        if !self.children[node].is_empty() {
            return Err(Error::Invalid(format!(
                "node {node} has children {:?}, so it cannot be summed out alone",
                self.children[node]
            )));
        }
        let rename = |j: usize| if j > node { j - 1 } else { j };
        let keep = |k: &usize| *k != node;
        let arity = (0..self.len())
            .filter(keep)
            .map(|k| self.arity[k])
            .collect();
        let parents = (0..self.len())
            .filter(keep)
            .map(|k| self.parents[k].iter().map(|&j| rename(j)).collect())
            .collect();
        let tables = (0..self.len())
            .filter(keep)
            .map(|k| self.tables[k].clone())
            .collect();
        BayesNet::new(arity, parents, tables)
    }
    // ANCHOR_END: without

    /// The same network with every entry mapped by `f` (a rational network's
    /// floating-point twin, say); the result is validated again.
    pub fn map<U: Prob>(&self, f: impl Fn(T) -> U) -> Result<BayesNet<U>> {
        let tables = self.tables.iter().map(|t| t.mapv(&f)).collect();
        BayesNet::new(self.arity.clone(), self.parents.clone(), tables)
    }
}

//! A Bayesian network over discrete variables: a DAG, an arity per node and a
//! conditional probability table per node, validated when built.

use super::order::parents_after_order;
use super::prob::Prob;
use crate::error::{checked_product, ensure_shape, Error, Result};
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
    arity: Vec<usize>,
    parents: Vec<Vec<usize>>,
    tables: Vec<Array2<T>>,
    children: Vec<Vec<usize>>,
}
// ANCHOR_END: bayesnet

// ANCHOR: bayes_new
/// The name of node `k`'s table in error messages.
fn table_name(k: usize, parents: &[usize]) -> String {
    format!("table p(x_{k} | parents {parents:?}) of node {k}")
}

/// The values of the variables with arities `arity` at position `index` of
/// their row-major order (the first variable slowest); `index` must be below
/// the product of the arities.
pub(crate) fn row_assignment(index: usize, arity: &[usize]) -> Vec<usize> {
    let mut rest = index;
    let mut values = vec![0; arity.len()];
    for (v, &a) in values.iter_mut().zip(arity).rev() {
        *v = rest % a.max(1);
        rest /= a.max(1);
    }
    values
}

impl<T: Prob> BayesNet<T> {
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
        ensure_shape("number of parent lists", &[n], &[parents.len()])?;
        ensure_shape("number of tables", &[n], &[tables.len()])?;
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
                    return Err(Error::BadValue {
                        what: format!("parents of node {k}"),
                        index: vec![i],
                        value: j as f64,
                        allowed: format!("a node in 0..{n}"),
                    });
                }
                if j == k {
                    return Err(Error::Cycle { nodes: vec![k] });
                }
                if pa[..i].contains(&j) {
                    return Err(Error::BadValue {
                        what: format!("parents of node {k}"),
                        index: vec![i],
                        value: j as f64,
                        allowed: format!(
                            "a node not listed before (node {k} lists parent {j} twice)"
                        ),
                    });
                }
            }
        }
        parents_after_order(&parents)?; // a cycle is an error naming its nodes
        for (k, (table, pa)) in tables.iter().zip(&parents).enumerate() {
            let parent_arity: Vec<usize> = pa.iter().map(|&j| arity[j]).collect();
            let what = table_name(k, pa);
            let rows = checked_product(&what, &parent_arity)?;
            ensure_shape(&what, &[rows, arity[k]], table.shape())?;
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
                children[j].push(k); // cannot fail: every parent j < n was checked
            }
        }
        Ok(BayesNet {
            arity,
            parents,
            tables,
            children,
        })
    }
}
// ANCHOR_END: bayes_new

// ANCHOR: bayesnet_access
impl<T: Prob> BayesNet<T> {
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

    /// All parent lists.
    pub fn parent_lists(&self) -> &[Vec<usize>] {
        &self.parents
    }

    /// Checks that `k` is a node, naming the argument `what` otherwise.
    pub(crate) fn check_node(&self, what: &str, k: usize) -> Result<()> {
        if k < self.len() {
            Ok(())
        } else {
            Err(Error::OutOfRange {
                what: what.to_string(),
                value: k as f64,
                range: format!("0..{} (the nodes of the network)", self.len()),
            })
        }
    }

    /// The parents of node `k`, in the order that indexes its table's rows.
    pub fn parents(&self, k: usize) -> Result<&[usize]> {
        self.check_node("node k", k)?;
        Ok(&self.parents[k])
    }

    /// The children of node `k`, in increasing order.
    pub fn children(&self, k: usize) -> Result<&[usize]> {
        self.check_node("node k", k)?;
        Ok(&self.children[k])
    }

    /// The table `p(x_k | pa_k)` of node `k`.
    pub fn table(&self, k: usize) -> Result<&Array2<T>> {
        self.check_node("node k", k)?;
        Ok(&self.tables[k])
    }

    /// Checks that `x` is an assignment of every node.
    pub fn check_assignment(&self, x: &[usize]) -> Result<()> {
        ensure_shape("assignment x", &[self.len()], &[x.len()])?;
        for (k, (&v, &a)) in x.iter().zip(&self.arity).enumerate() {
            if v >= a {
                return Err(Error::BadValue {
                    what: "assignment x".into(),
                    index: vec![k],
                    value: v as f64,
                    allowed: format!("a value of node {k} in 0..{a}"),
                });
            }
        }
        Ok(())
    }

    /// The same network with every entry mapped by `f` (a rational network's
    /// floating-point twin, say); the result is validated again.
    pub fn map<U: Prob>(&self, f: impl Fn(T) -> U) -> Result<BayesNet<U>> {
        let tables = self.tables.iter().map(|t| t.mapv(&f)).collect();
        BayesNet::new(self.arity.clone(), self.parents.clone(), tables)
    }
}
// ANCHOR_END: bayesnet_access

// ANCHOR: bayes_row
impl<T: Prob> BayesNet<T> {
    /// The row of node `k`'s table selected by the parents' values in the
    /// assignment `x` of every node.
    pub fn row(&self, k: usize, x: &[usize]) -> Result<usize> {
        self.check_node("node k", k)?;
        self.check_assignment(x)?;
        Ok(self.row_at(k, x))
    }

    /// The row for a `k` and an `x` known to be valid: the mixed-radix
    /// number formed by the parents' values, the first parent slowest. It is
    /// below the table's row count, the product of the parents' arities.
    pub(crate) fn row_at(&self, k: usize, x: &[usize]) -> usize {
        self.parents[k]
            .iter()
            .fold(0, |r, &j| r * self.arity[j] + x[j])
    }

    /// The table of a node `k` known to be valid.
    pub(crate) fn table_at(&self, k: usize) -> &Array2<T> {
        &self.tables[k]
    }

    /// The entry `p(x_k | pa_k)` of node `k`'s table at a valid assignment `x`.
    pub(crate) fn entry_at(&self, k: usize, x: &[usize]) -> T {
        self.tables[k][(self.row_at(k, x), x[k])]
    }
}
// ANCHOR_END: bayes_row

// ANCHOR: bayes_without
impl<T: Prob> BayesNet<T> {
    /// The network on the other nodes once the childless node `node` is
    /// removed; nodes after `node` move down by one index.
    ///
    /// No other table mentions a childless node, so each keeps its rows. A
    /// node with children is an error naming them: removing it would leave
    /// their tables conditioned on a variable that is no longer there.
    pub fn without(&self, node: usize) -> Result<BayesNet<T>> {
        self.check_node("node", node)?;
        if !self.children[node].is_empty() {
            return Err(Error::BadValue {
                what: "node".into(),
                index: vec![],
                value: node as f64,
                allowed: format!(
                    "a childless node (node {node} has children {:?}, so it cannot be summed out alone)",
                    self.children[node]
                ),
            });
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
}
// ANCHOR_END: bayes_without

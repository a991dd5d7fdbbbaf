//! A Bayesian network over discrete variables: a DAG, an arity per node and a
//! conditional probability table per node, validated when built.

use super::order::parents_after_order;
use super::rational::Rational;
use crate::error::{Error, Result};
use ndarray::Array2;
use std::fmt;

// ANCHOR: prob
/// The numbers a probability table can hold: `f64`, or [`Rational`] for exact sums.
pub trait Prob: Copy + PartialEq + fmt::Debug + fmt::Display {
    /// How far from one a row of a table may sum (0 for exact numbers).
    const ROW_TOL: f64;
    /// The additive identity.
    fn zero() -> Self;
    /// The multiplicative identity (the value of an empty product).
    fn one() -> Self;
    /// `self + other` (an error if it cannot be represented).
    fn add(self, other: Self) -> Result<Self>;
    /// `self * other` (an error if it cannot be represented).
    fn mul(self, other: Self) -> Result<Self>;
    /// The nearest `f64`.
    fn to_f64(self) -> f64;
    /// True if the value can be a probability: finite and not negative.
    fn is_probability(self) -> bool;
    /// True if a row sum counts as one.
    fn is_one(self) -> bool;
    /// The sum of many terms (compensated in `f64`, exact for rationals).
    fn sum<I: IntoIterator<Item = Self>>(terms: I) -> Result<Self>;
}
// ANCHOR_END: prob

/// Tolerance of a row sum in `f64`: a row normalized in `f64` sums to one within
/// a few units in the last place (2.2e-16 each), so 1e-12 accepts every row that
/// was computed correctly and rejects a row with a wrong entry.
pub const ROW_TOL_F64: f64 = 1e-12;

impl Prob for f64 {
    const ROW_TOL: f64 = ROW_TOL_F64;
    fn zero() -> f64 {
        0.0
    }
    fn one() -> f64 {
        1.0
    }
    fn add(self, other: f64) -> Result<f64> {
        Ok(self + other)
    }
    fn mul(self, other: f64) -> Result<f64> {
        Ok(self * other)
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn is_probability(self) -> bool {
        self.is_finite() && self >= 0.0
    }
    fn is_one(self) -> bool {
        (self - 1.0).abs() <= ROW_TOL_F64
    }
    fn sum<I: IntoIterator<Item = f64>>(terms: I) -> Result<f64> {
        Ok(neumaier_sum(terms))
    }
}

impl Prob for Rational {
    const ROW_TOL: f64 = 0.0;
    fn zero() -> Rational {
        Rational::ZERO
    }
    fn one() -> Rational {
        Rational::ONE
    }
    fn add(self, other: Rational) -> Result<Rational> {
        self.checked_add(other)
    }
    fn mul(self, other: Rational) -> Result<Rational> {
        self.checked_mul(other)
    }
    fn to_f64(self) -> f64 {
        Rational::to_f64(self)
    }
    fn is_probability(self) -> bool {
        self.num() >= 0
    }
    fn is_one(self) -> bool {
        self == Rational::ONE
    }
    fn sum<I: IntoIterator<Item = Rational>>(terms: I) -> Result<Rational> {
        terms
            .into_iter()
            .try_fold(Rational::ZERO, |acc, t| acc.checked_add(t))
    }
}

// ANCHOR: neumaier
/// Neumaier's compensated sum: the error is about one rounding of the result,
/// independent of the number of terms (a plain loop over n terms can be off by
/// n roundings, 1.8e-9 for the 4^12 terms of the largest networks here).
pub fn neumaier_sum<I: IntoIterator<Item = f64>>(terms: I) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for t in terms {
        let next = sum + t;
        carry += if sum.abs() >= t.abs() {
            (sum - next) + t
        } else {
            (t - next) + sum
        };
        sum = next;
    }
    sum + carry
}
// ANCHOR_END: neumaier

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

/// The name of node `k`'s table in error messages.
fn table_name(k: usize, parents: &[usize]) -> String {
    format!("table p(x_{k} | parents {parents:?}) of node {k}")
}

/// The values of the parents in row `row` of a table (row-major, first parent slowest).
fn row_assignment(row: usize, parent_arity: &[usize]) -> Vec<usize> {
    let mut rest = row;
    let mut values = vec![0; parent_arity.len()];
    for (v, &a) in values.iter_mut().zip(parent_arity).rev() {
        *v = rest % a;
        rest /= a;
    }
    values
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

    /// The number of joint configurations, `prod_k arity[k]`.
    pub fn configurations(&self) -> Result<usize> {
        self.arity
            .iter()
            .try_fold(1usize, |c, &a| c.checked_mul(a))
            .ok_or_else(|| {
                Error::Invalid(format!("{:?}: too many joint configurations", self.arity))
            })
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

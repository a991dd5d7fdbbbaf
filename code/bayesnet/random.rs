//! Random networks for the checks: random DAGs with hidden orders, random
//! tables in `f64` and in small-denominator rationals.

use super::network::BayesNet;
use super::rational::Rational;
use crate::check::Rng;
use crate::error::Result;
use ndarray::Array2;
use rand::RngExt;

/// The shape of the random networks.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Nodes are drawn uniformly from `1..=max_nodes`.
    pub max_nodes: usize,
    /// Arities are drawn uniformly from `min_arity..=max_arity`.
    pub min_arity: usize,
    /// See `min_arity`.
    pub max_arity: usize,
    /// At most this many parents a node (keeps tables small).
    pub max_parents: usize,
    /// Arities are drawn again until the network has at most this many joint
    /// configurations (keeps exhaustive checks fast).
    pub max_configurations: usize,
}

/// A random DAG on `n` nodes: a hidden random order, and each node takes
/// each later node of that order as a parent with probability `density`, up
/// to `max_parents` parents.
pub fn random_dag(rng: &mut Rng, n: usize, density: f64, max_parents: usize) -> Vec<Vec<usize>> {
    let mut hidden: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        hidden.swap(i, rng.random_range(0..=i));
    }
    let mut parents = vec![Vec::new(); n];
    for i in 0..n {
        for j in i + 1..n {
            if parents[hidden[i]].len() < max_parents && rng.random_bool(density) {
                parents[hidden[i]].push(hidden[j]);
            }
        }
        // List parents in a random order, so tables are not always indexed
        // by increasing parent index.
        let pa = &mut parents[hidden[i]];
        for a in (1..pa.len()).rev() {
            pa.swap(a, rng.random_range(0..=a));
        }
    }
    parents
}

fn random_graph(rng: &mut Rng, shape: Shape) -> (Vec<usize>, Vec<Vec<usize>>, Vec<usize>) {
    let n = rng.random_range(1..=shape.max_nodes);
    let mut arity: Vec<usize>;
    loop {
        arity = (0..n)
            .map(|_| rng.random_range(shape.min_arity..=shape.max_arity))
            .collect();
        let configurations = arity.iter().try_fold(1usize, |c, &a| c.checked_mul(a));
        // The smallest arities always fit once max_configurations >= min_arity^n.
        let smallest = shape.min_arity.checked_pow(n as u32);
        if configurations.is_some_and(|c| c <= shape.max_configurations)
            || smallest.is_none_or(|s| s > shape.max_configurations)
        {
            break;
        }
    }
    let density = rng.random_range(0.1..0.7);
    let parents = random_dag(rng, n, density, shape.max_parents);
    let rows = parents
        .iter()
        .map(|pa| pa.iter().map(|&j| arity[j]).product())
        .collect();
    (arity, parents, rows)
}

/// A random network with `f64` tables: each row is uniform draws, one in ten
/// set to zero, divided by their sum.
pub fn random_network(rng: &mut Rng, shape: Shape) -> Result<BayesNet<f64>> {
    let (arity, parents, rows) = random_graph(rng, shape);
    let tables = (0..arity.len())
        .map(|k| {
            let mut t = Array2::zeros((rows[k], arity[k]));
            for mut row in t.rows_mut() {
                row.mapv_inplace(|_| {
                    if rng.random_bool(0.1) {
                        0.0
                    } else {
                        rng.random_range(0.01..1.0)
                    }
                });
                let sum = row.sum();
                if sum == 0.0 {
                    row[0] = 1.0;
                } else {
                    row.mapv_inplace(|p| p / sum);
                }
            }
            t
        })
        .collect();
    BayesNet::new(arity, parents, tables)
}

/// A random network with rational tables: each row is `c_v / d` with a
/// random denominator `d` in `1..=max_den` and counts `c_v >= 0` summing to `d`.
pub fn random_rational_network(
    rng: &mut Rng,
    shape: Shape,
    max_den: i128,
) -> Result<BayesNet<Rational>> {
    let (arity, parents, rows) = random_graph(rng, shape);
    let mut tables = Vec::with_capacity(arity.len());
    for k in 0..arity.len() {
        let mut t = Array2::from_elem((rows[k], arity[k]), Rational::ZERO);
        for mut row in t.rows_mut() {
            let d = rng.random_range(1..=max_den);
            // arity - 1 sorted cut points in 0..=d split d into arity counts.
            let mut cuts: Vec<i128> = (1..arity[k]).map(|_| rng.random_range(0..=d)).collect();
            cuts.push(0);
            cuts.push(d);
            cuts.sort_unstable();
            for (v, pair) in cuts.windows(2).enumerate() {
                row[v] = Rational::new(pair[1] - pair[0], d)?;
            }
        }
        tables.push(t);
    }
    BayesNet::new(arity, parents, tables)
}

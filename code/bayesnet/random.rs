//! Random networks for the checks: random DAGs with hidden orders, random
//! tables in `f64` and in small-denominator rationals. Every generator takes
//! any random number generator, `&mut R` with `R: rand::Rng + ?Sized`.

use super::joint::MAX_CONFIGURATIONS;
use super::network::BayesNet;
use super::rational::Rational;
use crate::error::{Error, Result, MAX_ELEMENTS};
use ndarray::Array2;
use rand::{Rng, RngExt};

/// The most nodes a random DAG or network may have: 4096 (a DAG takes
/// `n (n - 1) / 2` coin flips, 8 million at this size).
pub const MAX_RANDOM_NODES: usize = 1 << 12;

/// How many times the arities of a random network are drawn before the
/// generator gives up drawing and lowers them, first node first, to
/// `min_arity` until the network fits in `max_configurations`. The shapes of
/// the chapter's checks never come near it.
pub const ARITY_DRAWS: usize = 1000;

/// The shape of the random networks, validated by [`Shape::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    max_nodes: usize,
    min_arity: usize,
    max_arity: usize,
    max_parents: usize,
    max_configurations: usize,
}

impl Shape {
    /// Networks of `1..=max_nodes` nodes, arities in `min_arity..=max_arity`,
    /// at most `max_parents` parents a node and at most `max_configurations`
    /// joint configurations (arities are drawn again until the network fits,
    /// which keeps exhaustive checks fast).
    ///
    /// Errors: `max_nodes` outside `1..=MAX_RANDOM_NODES`, `min_arity` of 0
    /// or above `max_arity`, `max_configurations` above
    /// [`MAX_CONFIGURATIONS`] or below `min_arity^max_nodes` (the smallest
    /// network of the largest size must fit).
    pub fn new(
        max_nodes: usize,
        min_arity: usize,
        max_arity: usize,
        max_parents: usize,
        max_configurations: usize,
    ) -> Result<Shape> {
        if max_nodes == 0 || max_nodes > MAX_RANDOM_NODES {
            return Err(Error::OutOfRange {
                what: "max_nodes".into(),
                value: max_nodes as f64,
                range: format!("1..={MAX_RANDOM_NODES}"),
            });
        }
        if min_arity == 0 || min_arity > max_arity {
            return Err(Error::OutOfRange {
                what: "min_arity".into(),
                value: min_arity as f64,
                range: format!("1..={max_arity} (1 to max_arity)"),
            });
        }
        if max_configurations > MAX_CONFIGURATIONS {
            return Err(Error::TooLarge {
                what: "max_configurations".into(),
                value: max_configurations as u128,
                limit: MAX_CONFIGURATIONS as u128,
            });
        }
        let smallest = u32::try_from(max_nodes)
            .ok()
            .and_then(|n| min_arity.checked_pow(n));
        if smallest.is_none_or(|s| s > max_configurations) {
            return Err(Error::OutOfRange {
                what: "max_configurations".into(),
                value: max_configurations as f64,
                range: format!(
                    "at least min_arity^max_nodes = {min_arity}^{max_nodes}, so that every size fits"
                ),
            });
        }
        Ok(Shape {
            max_nodes,
            min_arity,
            max_arity,
            max_parents,
            max_configurations,
        })
    }

    /// The largest number of nodes.
    pub fn max_nodes(&self) -> usize {
        self.max_nodes
    }

    /// The smallest arity.
    pub fn min_arity(&self) -> usize {
        self.min_arity
    }

    /// The largest arity.
    pub fn max_arity(&self) -> usize {
        self.max_arity
    }

    /// The most parents a node.
    pub fn max_parents(&self) -> usize {
        self.max_parents
    }

    /// The most joint configurations a network.
    pub fn max_configurations(&self) -> usize {
        self.max_configurations
    }
}

/// A random DAG on `n` nodes: a hidden random order, and each node takes
/// each later node of that order as a parent with probability `density`, up
/// to `max_parents` parents. Errors: `n` above [`MAX_RANDOM_NODES`], a
/// `density` outside `[0, 1]`.
pub fn random_dag<R: Rng + ?Sized>(
    rng: &mut R,
    n: usize,
    density: f64,
    max_parents: usize,
) -> Result<Vec<Vec<usize>>> {
    if n > MAX_RANDOM_NODES {
        return Err(Error::OutOfRange {
            what: "n".into(),
            value: n as f64,
            range: format!("0..={MAX_RANDOM_NODES}"),
        });
    }
    if !(0.0..=1.0).contains(&density) {
        return Err(Error::OutOfRange {
            what: "density".into(),
            value: density,
            range: "[0, 1] (a probability)".into(),
        });
    }
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
    Ok(parents)
}

/// The arities, the parent lists and the row counts of a random network.
type Graph = (Vec<usize>, Vec<Vec<usize>>, Vec<usize>);

fn random_graph<R: Rng + ?Sized>(rng: &mut R, shape: Shape) -> Result<Graph> {
    let n = rng.random_range(1..=shape.max_nodes);
    let fits = |arity: &[usize]| {
        arity
            .iter()
            .try_fold(1usize, |c, &a| c.checked_mul(a))
            .is_some_and(|c| c <= shape.max_configurations)
    };
    let mut arity: Vec<usize> = Vec::new();
    for _ in 0..ARITY_DRAWS {
        arity = (0..n)
            .map(|_| rng.random_range(shape.min_arity..=shape.max_arity))
            .collect();
        if fits(&arity) {
            break;
        }
    }
    // Shape::new made min_arity^n fit, so lowering every arity ends the loop.
    for i in 0..n {
        if fits(&arity) {
            break;
        }
        arity[i] = shape.min_arity;
    }
    let density = rng.random_range(0.1..0.7);
    let parents = random_dag(rng, n, density, shape.max_parents)?;
    // Each table has at most prod(arity) <= max_configurations entries; all
    // of them together must be allocatable.
    let rows: Vec<usize> = parents
        .iter()
        .map(|pa| pa.iter().map(|&j| arity[j]).product())
        .collect();
    let entries = rows
        .iter()
        .zip(&arity)
        .try_fold(0usize, |s, (&r, &a)| s.checked_add(r * a));
    if entries.is_none_or(|e| e > MAX_ELEMENTS) {
        return Err(Error::TooLarge {
            what: "entries of the tables of a random network of this shape".into(),
            value: entries.map_or(u128::MAX, |e| e as u128),
            limit: MAX_ELEMENTS as u128,
        });
    }
    Ok((arity, parents, rows))
}

/// A random network with `f64` tables: each row is uniform draws, one in ten
/// set to zero, divided by their sum.
pub fn random_network<R: Rng + ?Sized>(rng: &mut R, shape: Shape) -> Result<BayesNet<f64>> {
    let (arity, parents, rows) = random_graph(rng, shape)?;
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
/// random denominator `d` in `1..=max_den` and counts `c_v >= 0` summing to
/// `d`. A `max_den` below 1 is an error.
pub fn random_rational_network<R: Rng + ?Sized>(
    rng: &mut R,
    shape: Shape,
    max_den: i128,
) -> Result<BayesNet<Rational>> {
    if max_den < 1 {
        return Err(Error::OutOfRange {
            what: "max_den".into(),
            value: max_den as f64,
            range: "1..=i128::MAX".into(),
        });
    }
    let (arity, parents, rows) = random_graph(rng, shape)?;
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

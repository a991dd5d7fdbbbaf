//! The chapter's examples: the sprinkler network and the three-node network
//! of the worked example, in exact rationals, and two linear-Gaussian
//! networks for the continuous case.

use super::gaussian::LinearGaussian;
use super::network::BayesNet;
use super::rational::Rational;
use crate::error::{Error, Result};
use ndarray::Array2;

// ANCHOR: sprinkler
/// A table of fractions `(num, den)`, one slice per row.
fn table(rows: &[&[(i128, i128)]]) -> Result<Array2<Rational>> {
    let arity = rows.first().map_or(0, |row| row.len());
    let mut values = Vec::with_capacity(rows.len() * arity);
    for row in rows {
        for &(num, den) in row.iter() {
            values.push(Rational::new(num, den)?);
        }
    }
    Array2::from_shape_vec((rows.len(), arity), values)
        .map_err(|e| Error::Invalid(format!("example table: {e}")))
}

/// The sprinkler network: node 0 = wet grass (parents: sprinkler, rain),
/// node 1 = sprinkler (parent: cloudy), node 2 = rain (parent: cloudy),
/// node 3 = cloudy. Every variable is binary (0 = no, 1 = yes).
pub fn sprinkler() -> Result<BayesNet<Rational>> {
    let wet = table(&[
        &[(1, 1), (0, 1)],      // sprinkler 0, rain 0
        &[(1, 10), (9, 10)],    // sprinkler 0, rain 1
        &[(1, 10), (9, 10)],    // sprinkler 1, rain 0
        &[(1, 100), (99, 100)], // sprinkler 1, rain 1
    ])?;
    let sprinkler = table(&[&[(1, 2), (1, 2)], &[(9, 10), (1, 10)]])?; // given cloudy 0, 1
    let rain = table(&[&[(4, 5), (1, 5)], &[(1, 5), (4, 5)]])?; // given cloudy 0, 1
    let cloudy = table(&[&[(1, 2), (1, 2)]])?;
    BayesNet::new(
        vec![2, 2, 2, 2],
        vec![vec![1, 2], vec![3], vec![3], vec![]],
        vec![wet, sprinkler, rain, cloudy],
    )
}
// ANCHOR_END: sprinkler

/// The names of the sprinkler network's nodes, by code index (the figures
/// label the nodes with them).
pub const SPRINKLER_NAMES: [&str; 4] = ["wet grass", "sprinkler", "rain", "cloudy"];

// ANCHOR: worked_example
/// The three-node network of the worked example: node 0 = wet grass
/// (parents: sprinkler, rain), node 1 = sprinkler (parent: rain), node 2 =
/// rain, every variable binary, with tables of small fractions.
pub fn worked_example() -> Result<BayesNet<Rational>> {
    let wet = table(&[
        &[(1, 1), (0, 1)],   // sprinkler 0, rain 0
        &[(1, 5), (4, 5)],   // sprinkler 0, rain 1
        &[(1, 10), (9, 10)], // sprinkler 1, rain 0
        &[(0, 1), (1, 1)],   // sprinkler 1, rain 1
    ])?;
    // given rain 0, 1
    let sprinkler = table(&[&[(1, 2), (1, 2)], &[(3, 4), (1, 4)]])?;
    let rain = table(&[&[(4, 5), (1, 5)]])?;
    BayesNet::new(
        vec![2, 2, 2],
        vec![vec![1, 2], vec![2], vec![]],
        vec![wet, sprinkler, rain],
    )
}
// ANCHOR_END: worked_example

/// The names of the worked example's nodes, by code index.
pub const WORKED_NAMES: [&str; 3] = ["wet grass", "sprinkler", "rain"];

/// The chapter's three-node linear-Gaussian example (code indices, parents
/// after): `x_2 ~ N(0.5, 1.2^2)`, `x_1 | x_2 ~ N(0.8 x_2 - 0.3, 0.7^2)`,
/// `x_0 | x_1, x_2 ~ N(-0.6 x_1 + 0.4 x_2 + 1, 0.9^2)`.
pub fn three_node_example() -> Result<LinearGaussian> {
    LinearGaussian::new(
        vec![vec![1, 2], vec![2], vec![]],
        vec![vec![-0.6, 0.4], vec![0.8], vec![]],
        vec![1.0, -0.3, 0.5],
        vec![0.9, 0.7, 1.2],
    )
}

/// The correlated pair: `x_1 ~ N(-1, 0.5^2)`, `x_0 | x_1 ~ N(1.5 x_1 + 2, 0.4^2)`
/// (correlation 0.88).
pub fn two_node_example() -> Result<LinearGaussian> {
    LinearGaussian::new(
        vec![vec![1], vec![]],
        vec![vec![1.5], vec![]],
        vec![2.0, -1.0],
        vec![0.4, 0.5],
    )
}

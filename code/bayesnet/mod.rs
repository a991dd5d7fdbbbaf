//! Problem 2: why a directed graphical model is normalized.
//!
//! * [`network`]: the [`BayesNet`] type, validated when built;
//! * [`prob`]: the numbers a table can hold, [`Prob`] (`f64` or exact rationals);
//! * [`joint`]: the joint distribution, at one assignment or at all of them;
//! * [`marginal`]: the marginal distribution of one node;
//! * [`order`]: the order in which every node's parents come after it;
//! * [`proof`]: the proof's steps as code (sum the first node out, repeat);
//! * [`rational`]: exact rationals, so the total is seen to be exactly 1;
//! * [`quadrature`]: the Gauss-Hermite rule;
//! * [`gaussian`]: the continuous case, a linear-Gaussian network;
//! * [`integration`]: its conditionals and its density integrated by that rule;
//! * [`sampling`]: ancestral sampling;
//! * [`random`]: random networks for the checks;
//! * [`exercises`]: code the exercises ask for (table sizes, a Gaussian child of a discrete parent).

pub mod example;
pub mod exercises;
pub mod gaussian;
pub mod integration;
pub mod joint;
pub mod marginal;
pub mod network;
pub mod order;
pub mod prob;
pub mod proof;
pub mod quadrature;
pub mod random;
pub mod rational;
pub mod sampling;

pub use network::BayesNet;
pub use order::{is_parents_after, parents_after_order};
pub use prob::Prob;
pub use proof::{proof_steps, total_by_enumeration, total_by_steps, Step, Table};
pub use rational::Rational;

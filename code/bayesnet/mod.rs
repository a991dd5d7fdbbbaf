//! Problem 2: why a directed graphical model is normalized.
//!
//! * [`network`]: the [`BayesNet`] type, validated when built;
//! * [`order`]: the order in which every node's parents come after it;
//! * [`proof`]: the proof's steps as code (sum the first node out, repeat);
//! * [`rational`]: exact rationals, so the total is seen to be exactly 1;
//! * [`gaussian`]: the continuous case, with Gauss-Hermite quadrature;
//! * [`sampling`]: ancestral sampling;
//! * [`random`]: random networks for the checks.

pub mod example;
pub mod gaussian;
pub mod network;
pub mod order;
pub mod proof;
pub mod random;
pub mod rational;
pub mod sampling;

pub use network::{BayesNet, Prob};
pub use order::{is_parents_after, parents_after_order};
pub use proof::{proof_steps, total_by_enumeration, total_by_steps, Step, Table};
pub use rational::Rational;

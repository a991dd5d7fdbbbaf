//! Problem 3: the conditionals of a restricted Boltzmann machine.
//!
//! * [`model`]: the RBM, its energy, its factorized conditionals and its free
//!   energies;
//! * [`exact`]: the exact partition function, log-likelihood and gradient, by
//!   enumerating the smaller layer;
//! * [`moments`]: the moments E\[v h^T\], E\[h\], E\[v\] and the gradient made of them;
//! * [`sampling`]: Bernoulli draws and block Gibbs sampling;
//! * [`train`]: gradient ascent with the exact gradient, CD-k and PCD;
//! * [`bars_stripes`]: the bars-and-stripes data set;
//! * [`brute`]: brute-force references over every (v, h) pair, for the checks;
//! * [`chain`]: how close a block Gibbs chain comes to the exact joint;
//! * [`experiment`]: the chapter's training runs on bars and stripes ([`bas_runs`]);
//! * [`source`]: the source's formulas as written, for the errata;
//! * [`graph`]: the bipartite graph of a machine, its edges and the paths between hidden units;
//! * [`examples`]: the small machines the chapter works by hand;
//! * [`exercises`]: the code the exercises ask for.

pub mod bars_stripes;
pub mod brute;
pub mod chain;
pub mod exact;
pub mod examples;
pub mod exercises;
pub mod experiment;
pub mod graph;
pub mod model;
pub mod moments;
pub mod sampling;
pub mod source;
pub mod train;

pub use exact::Layer;
pub use experiment::{
    bas_runs, log_marginals, mass_on, most_probable, BAS_CD_K, BAS_EPOCHS, BAS_ESTIMATORS,
    BAS_HIDDEN, BAS_RATE, BAS_SEED,
};
pub use graph::Edge;
pub use model::Rbm;
pub use moments::{Gradient, Moments};

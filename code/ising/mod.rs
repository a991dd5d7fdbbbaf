//! Problem 4: denoising a binary image with an Ising model.
//!
//! * [`model`]: pixels, neighbour pairs, the energy (8.42) and its local differences;
//! * [`icm`](mod@icm): iterated conditional modes;
//! * [`maxflow`]: maximum flow / minimum cut (Boykov and Kolmogorov);
//! * [`graphcut`]: the exact MAP configuration as a minimum cut (Greig, Porteous and Seheult);
//! * [`gibbs`]: posterior marginals by Gibbs sampling;
//! * [`image`]: the test image and its noise;
//! * [`grid`]: every configuration of a small grid, random grids, exact parameters;
//! * [`experiment`]: Bishop's figure 8.30, the sweep over beta and the worked 3 x 3 example;
//! * [`exercises`]: the code the chapter's exercises ask for.

pub mod exercises;
pub mod experiment;
pub mod gibbs;
pub mod graphcut;
pub mod grid;
pub mod icm;
pub mod image;
pub mod maxflow;
pub mod model;

pub use graphcut::{map_graph_cut, MapEstimate};
pub use icm::{icm, icm_from, Icm};
pub use model::{energy, local_diff, Params};

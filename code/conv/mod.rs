//! Problem 1: backpropagation through a small convolutional network.
//!
//! * [`size`]: the output size of every map, and the geometry of the
//!   convolution ([`size::Conv`]: `k`, `s`) and of the pooling ([`size::Pool`]: `p`, `t`);
//! * the source's layers, one image at a time, forward and backward, one
//!   module per concept of the pages: [`convolution`], [`pooling`],
//!   [`dense`] (flatten and the fully connected layer) and [`softmax`];
//! * [`network`]: the source's network composed from them, on the loops or
//!   on the im2col path;
//! * [`general`]: the convolution with a batch, input and output channels,
//!   stride and zero padding ([`general::Conv2d`]);
//! * [`fast`]: the same convolution by im2col and matrix products;
//! * [`source`]: the source's formulas as it states them, for the errata;
//! * [`data`] and [`train`]: a synthetic task, and plain SGD on it (the step
//!   [`network::Net::sgd_step`] and the training loop);
//! * [`experiment`]: the chapter's training run, [`training_run`];
//! * [`exercises`]: the code the exercises ask for (average pooling, the
//!   gradients of a 1 x 1 convolution).

pub mod convolution;
pub mod data;
pub mod dense;
pub mod exercises;
pub mod experiment;
pub mod fast;
pub mod general;
pub mod network;
pub mod pooling;
pub mod size;
pub mod softmax;
pub mod source;
pub mod train;

pub use experiment::{training_run, EPOCHS};

//! Companion crate of the book *Four Derivations, Verified*.
//!
//! The module tree mirrors the book:
//!
//! | module | book part |
//! |---|---|
//! | [`check`] | *How this book checks its claims*: finite differences, errors, the ledger |
//! | [`numerics`] | stable sigmoid, softplus, log-sum-exp and softmax, used by every chapter |
//! | [`conv`] | Problem 1: backpropagation through a small convolutional network |
//! | [`bayesnet`] | Problem 2: why a directed graphical model is normalized |
//! | [`rbm`] | Problem 3: the conditionals of a restricted Boltzmann machine |
//! | [`ising`] | Problem 4: denoising a binary image with an Ising model |
//! | [`prelude`] | the error type and the imports every listing of the book assumes |
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod bayesnet;
pub mod check;
pub mod conv;
pub mod error;
pub mod ising;
pub mod numerics;
pub mod prelude;
pub mod rbm;

pub use error::{Error, Result};

/// The chapters of the book, compiled as doctests by `cargo test`, so that
/// every runnable example in the text runs under plain cargo as well as under
/// `mdbook test`. (The structural test `tools/tests/book.rs` fails if a chapter is
/// missing from this list.)
#[cfg(doctest)]
pub mod chapters {
    #[doc = include_str!("../src/introduction.md")]
    pub struct Introduction;
    #[doc = include_str!("../src/notation.md")]
    pub struct Notation;
    #[doc = include_str!("../src/checking.md")]
    pub struct Checking;
    #[doc = include_str!("../src/checking/numerics.md")]
    pub struct CheckingNumerics;
    #[doc = include_str!("../src/conv.md")]
    pub struct Conv;
    #[doc = include_str!("../src/conv/convolution.md")]
    pub struct ConvConvolution;
    #[doc = include_str!("../src/conv/input-gradient.md")]
    pub struct ConvInputGradient;
    #[doc = include_str!("../src/conv/example.md")]
    pub struct ConvExample;
    #[doc = include_str!("../src/conv/pooling.md")]
    pub struct ConvPooling;
    #[doc = include_str!("../src/conv/flatten.md")]
    pub struct ConvFlatten;
    #[doc = include_str!("../src/conv/softmax.md")]
    pub struct ConvSoftmax;
    #[doc = include_str!("../src/conv/network.md")]
    pub struct ConvNetwork;
    #[doc = include_str!("../src/conv/general.md")]
    pub struct ConvGeneral;
    #[doc = include_str!("../src/conv/fast.md")]
    pub struct ConvFast;
    #[doc = include_str!("../src/conv/training.md")]
    pub struct ConvTraining;
    #[doc = include_str!("../src/conv/exercises.md")]
    pub struct ConvExercises;
    #[doc = include_str!("../src/bayesnet.md")]
    pub struct Bayesnet;
    #[doc = include_str!("../src/bayesnet/network.md")]
    pub struct BayesnetNetwork;
    #[doc = include_str!("../src/bayesnet/proof.md")]
    pub struct BayesnetProof;
    #[doc = include_str!("../src/bayesnet/worked.md")]
    pub struct BayesnetWorked;
    #[doc = include_str!("../src/bayesnet/exact.md")]
    pub struct BayesnetExact;
    #[doc = include_str!("../src/bayesnet/cycles.md")]
    pub struct BayesnetCycles;
    #[doc = include_str!("../src/bayesnet/continuous.md")]
    pub struct BayesnetContinuous;
    #[doc = include_str!("../src/bayesnet/sampling.md")]
    pub struct BayesnetSampling;
    #[doc = include_str!("../src/bayesnet/exercises.md")]
    pub struct BayesnetExercises;
    #[doc = include_str!("../src/rbm.md")]
    pub struct Rbm;
    #[doc = include_str!("../src/rbm/model.md")]
    pub struct RbmModel;
    #[doc = include_str!("../src/rbm/hidden.md")]
    pub struct RbmHidden;
    #[doc = include_str!("../src/rbm/worked.md")]
    pub struct RbmWorked;
    #[doc = include_str!("../src/rbm/free-energy.md")]
    pub struct RbmFreeEnergy;
    #[doc = include_str!("../src/rbm/gradient.md")]
    pub struct RbmGradient;
    #[doc = include_str!("../src/rbm/training.md")]
    pub struct RbmTraining;
    #[doc = include_str!("../src/rbm/checks.md")]
    pub struct RbmChecks;
    #[doc = include_str!("../src/rbm/exercises.md")]
    pub struct RbmExercises;
    #[doc = include_str!("../src/ising.md")]
    pub struct Ising;
    #[doc = include_str!("../src/ising/model.md")]
    pub struct IsingModel;
    #[doc = include_str!("../src/ising/local.md")]
    pub struct IsingLocal;
    #[doc = include_str!("../src/ising/icm.md")]
    pub struct IsingIcm;
    #[doc = include_str!("../src/ising/beta-zero.md")]
    pub struct IsingBetaZero;
    #[doc = include_str!("../src/ising/cut.md")]
    pub struct IsingCut;
    #[doc = include_str!("../src/ising/worked.md")]
    pub struct IsingWorked;
    #[doc = include_str!("../src/ising/maxflow.md")]
    pub struct IsingMaxflow;
    #[doc = include_str!("../src/ising/figure.md")]
    pub struct IsingFigure;
    #[doc = include_str!("../src/ising/gibbs.md")]
    pub struct IsingGibbs;
    #[doc = include_str!("../src/ising/checks.md")]
    pub struct IsingChecks;
    #[doc = include_str!("../src/ising/exercises.md")]
    pub struct IsingExercises;
    #[doc = include_str!("../src/appendix/errata.md")]
    pub struct Errata;
    #[doc = include_str!("../src/appendix/ledger.md")]
    pub struct Ledger;
    #[doc = include_str!("../src/appendix/references.md")]
    pub struct References;
}

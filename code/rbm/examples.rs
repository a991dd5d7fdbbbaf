//! The small machines the chapter works by hand: the 2 x 2 machine of the
//! worked example, and the 4 x 3 machine whose graph the diagrams draw.

use ndarray::array;

use crate::error::Result;
use crate::rbm::model::Rbm;

// ANCHOR: rbm_example_machines
/// The machine of the worked example: 2 visible and 2 hidden units, with
/// W = ((1, -1), (2, 1/2)) (row i is visible unit i), visible bias
/// b = (-1/2, 0) and hidden bias a = (1/2, -1). Its 16 energies are exact
/// multiples of 1/2.
pub fn worked_rbm() -> Result<Rbm> {
    Rbm::from_weights(array![[1.0, -1.0], [2.0, 0.5]])?
        .with_visible_bias(array![-0.5, 0.0])?
        .with_hidden_bias(array![0.5, -1.0])
}

/// The machine of the chapter's diagrams: 4 visible and 3 hidden units, with
/// two weights zero, so that its graph lacks those two edges.
pub fn diagram_rbm() -> Result<Rbm> {
    Rbm::from_weights(array![
        [1.5, -1.0, 0.0],
        [0.5, 2.0, -0.5],
        [-1.0, 0.0, 1.0],
        [0.5, 1.0, 1.5]
    ])?
    .with_visible_bias(array![0.0, -0.5, 0.5, 0.0])?
    .with_hidden_bias(array![-1.0, 0.5, 0.0])
}
// ANCHOR_END: rbm_example_machines

//! The figures of the Ising chapter: Bishop's figure 8.30 reproduced, the
//! posterior marginals, and the restoration accuracy against beta.

use ndarray::Array2;

use verified_dl::ising::experiment::{accuracy_against_beta, figure_8_30};
use verified_dl::ising::model::to_gray;

use super::raster::grayscale_png;
use super::{Figure, Plot, Series};

fn png(name: &str, pixels: &Array2<f64>) -> Figure {
    Figure {
        path: format!("figures/ising/{name}.png"),
        bytes: grayscale_png(pixels.view(), 2),
    }
}

/// The figures of this chapter.
pub fn figures() -> Vec<Figure> {
    let d = figure_8_30().expect("figure 8.30 uses valid constants");
    let [a_icm, a_cut, a_mpm] = accuracy_against_beta(&d).expect("figure 8.30's images are valid");
    let plot = Plot {
        title: "Pixels restored against the coupling β (η = 2.1, α = 0)".to_string(),
        x_label: "β".to_string(),
        y_label: "fraction of pixels equal to the clean image".to_string(),
        log_x: false,
        log_y: false,
        series: vec![
            Series::line("graph cut (exact MAP)", a_cut),
            Series::line("ICM", a_icm),
            Series::dots("maximum posterior marginal (Gibbs)", a_mpm),
        ],
    };
    vec![
        png("original", &to_gray(d.x.view())),
        png("noisy", &to_gray(d.y.view())),
        png("icm", &to_gray(d.icm.view())),
        png("graph-cut", &to_gray(d.cut.view())),
        // ink black: the gray level is the probability of paper, 1 - p(x_m = +1 | y)
        png("marginals", &d.marginals.mapv(|p| 1.0 - p)),
        png("mpm", &to_gray(d.mpm.view())),
        Figure::svg("figures/ising/accuracy-beta.svg", plot.to_svg()),
    ]
}

//! The chapter's experiment: Bishop's figure 8.30 reproduced, the posterior
//! marginals beyond it, and the restoration accuracy against beta. Every
//! number the chapter quotes about them is asserted and recorded here.

use std::sync::OnceLock;

use ndarray::Array2;
use verified_dl::ising::experiment::{
    accuracy_against_beta, betas, figure_8_30, Denoising, BURN_IN, GIBBS_SEED, NOISE_SEED, SAMPLES,
    SIDE, SWEEP_GIBBS,
};
use verified_dl::ising::icm;
use verified_dl::ising::model::{energy, Params};

/// Figure 8.30's images, computed once for the tests of this file.
fn denoising() -> &'static Denoising {
    static D: OnceLock<Denoising> = OnceLock::new();
    D.get_or_init(|| figure_8_30().unwrap())
}

/// The fraction of pixels where `a` and `b` agree, counted here.
fn agree(a: &Array2<i8>, b: &Array2<i8>) -> f64 {
    assert_eq!(a.dim(), b.dim());
    let same = a.iter().zip(b.iter()).filter(|(u, v)| u == v).count();
    same as f64 / a.len() as f64
}

/// Bishop's figure 8.30: 10% of the pixels flipped, beta = 1.0, eta = 2.1, alpha = 0.
/// He reports that ICM restores 96% of the pixels and the graph cut 99%.
#[test]
fn figure_8_30_restores_as_bishop_reports() {
    let d = denoising();
    let p = Params::bishop();
    assert_eq!((p.alpha(), p.beta(), p.eta()), (0.0, 1.0, 2.1));
    let pixels = d.x.len();
    assert_eq!(pixels, SIDE * SIDE);
    let ink = d.x.iter().filter(|&&v| v == 1).count();
    // exactly a tenth of the pixels flipped
    let flipped = d.x.iter().zip(d.y.iter()).filter(|(a, b)| a != b).count();
    assert_eq!(flipped * 10, pixels);
    let (noisy, by_icm, by_cut, by_mpm) = (
        agree(&d.x, &d.y),
        agree(&d.x, &d.icm),
        agree(&d.x, &d.cut),
        agree(&d.x, &d.mpm),
    );
    assert_eq!(noisy, 0.9);
    // Bishop's percentages are rounded to the nearest per cent
    assert!((0.955..0.965).contains(&by_icm), "ICM restores {by_icm}");
    assert!(
        (0.985..0.995).contains(&by_cut),
        "the graph cut restores {by_cut}"
    );
    let e = |x: &Array2<i8>| energy(x.view(), d.y.view(), &p).unwrap();
    let (e_y, e_icm, e_cut, e_x, e_mpm) = (e(&d.y), e(&d.icm), e(&d.cut), e(&d.x), e(&d.mpm));
    // the MAP has the least energy of all, below the original image's
    assert!(e_cut <= e_icm && e_cut <= e_mpm && e_cut < e_x && e_icm < e_y);
    // the MPM estimate restores more pixels than the MAP, at a higher energy
    assert!(by_mpm > by_cut && e_mpm > e_cut, "{by_mpm} {e_mpm}");
    // ICM's sweeps, the last one changing nothing
    let run = icm(d.y.view(), &p, 1000).unwrap();
    assert_eq!(run.x, d.icm);
    // pixels the model is unsure of, and those near an edge of the original:
    // a pixel of the other colour within the 5 x 5 square around them
    let (rows, cols) = d.x.dim();
    let near_edge = |r: usize, c: usize| {
        let v = d.x[(r, c)];
        (r.saturating_sub(2)..(r + 3).min(rows))
            .any(|a| (c.saturating_sub(2)..(c + 3).min(cols)).any(|b| d.x[(a, b)] != v))
    };
    let (mut unsure, mut unsure_near_edge) = (0usize, 0usize);
    for ((r, c), &m) in d.marginals.indexed_iter() {
        if 0.1 < m && m < 0.9 {
            unsure += 1;
            unsure_near_edge += usize::from(near_edge(r, c));
        }
    }
    assert!(unsure > 0 && unsure_near_edge <= unsure);
    for (name, value) in [
        ("pixels", pixels as f64),
        ("ink", ink as f64),
        ("flipped", flipped as f64),
        ("noisy", noisy),
        ("icm", by_icm),
        ("cut", by_cut),
        ("cut-wrong", 1.0 - by_cut),
        ("mpm", by_mpm),
        ("energy-y", e_y),
        ("energy-icm", e_icm),
        ("energy-cut", e_cut),
        ("energy-x", e_x),
        ("energy-mpm", e_mpm),
        ("icm-sweeps", run.sweeps as f64),
        ("unsure", unsure as f64),
        ("unsure-near-edge", unsure_near_edge as f64),
        ("noise-seed", NOISE_SEED as f64),
        ("gibbs-seed", GIBBS_SEED as f64),
        ("burn-in", BURN_IN as f64),
        ("samples", SAMPLES as f64),
    ] {
        verified_dl::record!(format!("ising.fig.{name}"), value);
    }
}

/// The accuracy of the three estimates against beta (eta = 2.1, alpha = 0): what
/// the chapter says of the plot.
#[test]
fn accuracy_against_beta_is_flat_then_steps_where_the_derivation_says() {
    let d = denoising();
    let [a_icm, a_cut, a_mpm] = accuracy_against_beta(d).unwrap();
    let eta = 2.1;
    assert_eq!(a_icm.len(), betas().len());
    assert_eq!(a_mpm.len(), betas().len().div_ceil(2));
    let noisy = agree(&d.x, &d.y);
    // 4 beta < eta: every estimate is y itself; and at 0.6 every one is better
    let mut flat = 0;
    for curve in [&a_icm, &a_cut, &a_mpm] {
        for &(beta, a) in curve.iter() {
            if 4.0 * beta < eta {
                assert_eq!(a, noisy, "beta = {beta}");
                flat += 1;
            }
        }
        let at = |b: f64| curve.iter().find(|&&(beta, _)| beta == b).unwrap().1;
        assert!(at(0.6) > noisy);
    }
    // ICM's staircase: constant between eta/4, eta/3, eta/2 and eta, and a
    // step across each (beta |S| > eta with |S| = 4, 3, 2, 1)
    // the betas of the list on either side of each threshold
    let steps = [(0.5, 0.6), (0.7, 0.8), (1.0, 1.1), (2.1, 2.2)];
    let icm_at = |b: f64| a_icm.iter().find(|&&(beta, _)| beta == b).unwrap().1;
    let mut lo = 0.0;
    for (k, &threshold) in [eta / 4.0, eta / 3.0, eta / 2.0, eta, f64::INFINITY]
        .iter()
        .enumerate()
    {
        let level: Vec<f64> = a_icm
            .iter()
            .filter(|&&(beta, _)| beta >= lo && beta <= threshold)
            .map(|&(_, a)| a)
            .collect();
        assert!(level.iter().all(|&a| a == level[0]), "{k}: {level:?}");
        lo = threshold + 1e-9;
    }
    for &(below, above) in &steps {
        assert_ne!(icm_at(below), icm_at(above), "beta = {below}");
    }
    // the graph cut: its lowest value from 1.1 to 2.1, its peak, and beta = 3
    let cut_at = |b: f64| a_cut.iter().find(|&&(beta, _)| beta == b).unwrap().1;
    let plateau = a_cut
        .iter()
        .filter(|&&(beta, _)| (1.1..=2.1).contains(&beta))
        .map(|&(_, a)| a)
        .fold(f64::INFINITY, f64::min);
    let (peak_beta, peak) =
        a_cut
            .iter()
            .copied()
            .fold((0.0, 0.0), |best, p| if p.1 > best.1 { p } else { best });
    let last = cut_at(3.0);
    assert!(last < plateau, "{last} {plateau}");
    assert!((1.1..=2.1).contains(&peak_beta), "{peak_beta}");
    verified_dl::record!("ising.beta.flat-points", flat as f64);
    verified_dl::record!("ising.beta.icm-at-b11", icm_at(1.1));
    verified_dl::record!("ising.beta.cut-plateau-min", plateau);
    verified_dl::record!("ising.beta.cut-peak", peak);
    verified_dl::record!("ising.beta.cut-peak-beta", peak_beta);
    verified_dl::record!("ising.beta.cut-at-b30", last);
    verified_dl::record!("ising.beta.gibbs-burn-in", SWEEP_GIBBS.0 as f64);
    verified_dl::record!("ising.beta.gibbs-samples", SWEEP_GIBBS.1 as f64);
}

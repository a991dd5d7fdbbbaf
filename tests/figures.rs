//! Every committed figure is exactly what the code draws now.
//!
//! The figures are drawn from fixed seeds, so the bytes are reproducible; a
//! figure that no longer matches means the code changed and the figure was not
//! regenerated (`cargo run --bin book -- figures`). One test per chapter, so
//! that they run in parallel.

use std::path::Path;

use verified_dl::figures::Figure;

fn assert_committed(figures: Vec<Figure>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for figure in figures {
        let path = src.join(&figure.path);
        let committed = std::fs::read(&path).unwrap_or_else(|_| {
            panic!(
                "src/{} is missing: run `cargo run --bin book -- figures`",
                figure.path
            )
        });
        assert!(
            committed == figure.bytes,
            "src/{} differs from what the code draws: run `cargo run --bin book -- figures`",
            figure.path
        );
    }
}

#[test]
fn checking_figures_are_current() {
    assert_committed(verified_dl::check::figures::figures());
}

#[test]
fn conv_figures_are_current() {
    assert_committed(verified_dl::conv::figures());
}

#[test]
fn bayesnet_figures_are_current() {
    assert_committed(verified_dl::bayesnet::figures());
}

#[test]
fn rbm_figures_are_current() {
    assert_committed(verified_dl::rbm::figures());
}

#[test]
fn ising_figures_are_current() {
    assert_committed(verified_dl::ising::figures());
}

#[test]
fn every_figure_is_shown_by_a_chapter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text: String = verified_dl::book::read_chapters(root)
        .unwrap()
        .into_iter()
        .map(|c| c.text)
        .collect();
    for figure in verified_dl::figures::all() {
        assert!(
            text.contains(&figure.path),
            "no chapter shows {}",
            figure.path
        );
    }
}

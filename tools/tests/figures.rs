//! Every committed figure is exactly what the code draws now.
//!
//! The figures are drawn from fixed seeds, so the bytes are reproducible; a
//! figure that no longer matches means the code changed and the figure was not
//! regenerated (`cargo run -p book-tools -- figures`). One test per chapter, so
//! that they run in parallel.

use book_tools::figures::{self, Figure};

fn assert_committed(figures: Vec<Figure>) {
    let src = book_tools::book_root().join("src");
    for figure in figures {
        let path = src.join(&figure.path);
        let committed = std::fs::read(&path).unwrap_or_else(|_| {
            panic!(
                "src/{} is missing: run `cargo run -p book-tools -- figures`",
                figure.path
            )
        });
        assert!(
            committed == figure.bytes,
            "src/{} differs from what the code draws: run `cargo run -p book-tools -- figures`",
            figure.path
        );
    }
}

#[test]
fn checking_figures_are_current() {
    assert_committed(figures::checking::figures());
}

#[test]
fn conv_figures_are_current() {
    assert_committed(figures::conv::figures());
}

#[test]
fn bayesnet_figures_are_current() {
    assert_committed(figures::bayesnet::figures());
}

#[test]
fn rbm_figures_are_current() {
    assert_committed(figures::rbm::figures());
}

#[test]
fn ising_figures_are_current() {
    assert_committed(figures::ising::figures());
}

#[test]
fn every_figure_is_shown_by_a_chapter() {
    let text: String = book_tools::chapters::read_chapters(&book_tools::book_root())
        .unwrap()
        .into_iter()
        .map(|c| c.text)
        .collect();
    for figure in figures::all() {
        assert!(
            text.contains(&figure.path),
            "no chapter shows {}",
            figure.path
        );
    }
}

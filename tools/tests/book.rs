//! The book's structure: the rules of CONVENTIONS.md that a program can check.
//!
//! `the_book_breaks_no_rule` runs the linter on the real book; the other tests
//! build small broken books and show that the linter catches each defect, so
//! that a silent linter cannot pass for a satisfied one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use book_tools::chapters;
use book_tools::errata::{errata_markdown, ERRATA_PREAMBLE};
use book_tools::lint::lint;

fn root() -> &'static Path {
    static ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    ROOT.get_or_init(book_tools::book_root)
}

#[test]
fn the_book_breaks_no_rule() {
    let problems = lint(root());
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_errata_appendix_is_generated_from_the_chapters() {
    let chapters = chapters::read_chapters(root()).unwrap();
    let generated = errata_markdown(&chapters, ERRATA_PREAMBLE).unwrap();
    let committed = fs::read_to_string(root().join("src/appendix/errata.md")).unwrap();
    assert!(
        generated == committed,
        "src/appendix/errata.md differs from the chapters' errata: run `cargo run -p book-tools -- errata`"
    );
}

/// `mdbook build` must print no warning. It needs the pinned tools in
/// `.tools/` (book.toml runs `.tools/bin/mdbook-katex`); where they are not
/// installed the test says so and skips, except under CI (CI=true), where a
/// missing tool is a failure. `make test` installs them.
#[test]
fn mdbook_builds_without_warnings() {
    let bin = root().join(".tools/bin");
    let mdbook = bin.join("mdbook");
    if !mdbook.is_file() || !bin.join("mdbook-katex").is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "mdbook and mdbook-katex are not installed in .tools/ (run `make test`, which installs them)"
        );
        eprintln!("SKIPPED: mdbook and mdbook-katex are not in .tools/; `make test` installs them");
        return;
    }
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("book-build");
    let out = Command::new(&mdbook)
        .arg("build")
        .arg("-d")
        .arg(&out_dir)
        .env("BOOK_MEASURED_LENIENT", "1")
        .current_dir(root())
        .output()
        .expect("run mdbook");
    let log =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "mdbook build failed:\n{log}");
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    assert!(
        warnings.is_empty(),
        "mdbook build warned:\n{}",
        warnings.join("\n")
    );
}

/// A small book in a temporary folder, to be broken one way per test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("lint")
            .join(name);
        let _ = fs::remove_dir_all(&dir);
        for sub in ["src/appendix", "code", "tests"] {
            fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let s = Scratch(dir);
        s.write(
            "src/SUMMARY.md",
            "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Ledger](appendix/ledger.md)\n",
        );
        s.write(
            "src/one.md",
            "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rust,ignore\n{{#include ../code/a.rs:f}}\n```\n",
        );
        // a second page shows the anchor too, so that tests which rewrite
        // one.md leave it shown
        s.write(
            "src/two.md",
            "# Two\n\n```rust,ignore\n{{#include ../code/a.rs:f}}\n```\n",
        );
        s.write(
            "src/appendix/ledger.md",
            "# Ledger\n\n| [one.x](../one.html) |\n",
        );
        s.write(
            "code/lib.rs",
            "#[doc = include_str!(\"../src/one.md\")]\n#[doc = include_str!(\"../src/two.md\")]\n#[doc = include_str!(\"../src/appendix/ledger.md\")]\n",
        );
        s.write("code/a.rs", "// ANCHOR: f\nfn f() {}\n// ANCHOR_END: f\n");
        s.write(
            "tests/one.rs",
            "verify!(\"one.x\", Method::Property, 0.0, 0.0, 1);\n",
        );
        s
    }
    fn write(&self, path: &str, text: &str) {
        fs::write(self.0.join(path), text).unwrap();
    }
    fn problems(&self) -> Vec<String> {
        lint(&self.0)
    }
}

fn assert_caught(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "expected a problem containing {needle:?}, got {problems:#?}"
    );
}

#[test]
fn the_scratch_book_is_sound() {
    assert_eq!(Scratch::new("sound").problems(), Vec::<String>::new());
}

#[test]
fn catches_a_chapter_missing_from_the_summary_and_the_reverse() {
    let s = Scratch::new("summary");
    s.write("src/extra.md", "# Extra\n");
    assert_caught(&s.problems(), "src/extra.md is not listed in SUMMARY.md");
    s.write(
        "src/SUMMARY.md",
        "# Summary\n\n- [One](one.md)\n- [Two](two.md)\n- [Extra](extra.md)\n- [Three](three.md)\n- [Ledger](appendix/ledger.md)\n",
    );
    assert_caught(
        &s.problems(),
        "SUMMARY.md lists three.md, which does not exist",
    );
    assert_caught(&s.problems(), "src/extra.md is not compiled as a doctest");
}

#[test]
fn catches_a_missing_file_or_anchor() {
    let s = Scratch::new("include");
    s.write("code/a.rs", "// ANCHOR: g\nfn g() {}\n// ANCHOR_END: g\n");
    assert_caught(&s.problems(), "has no anchor `f`");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rust,ignore\n{{#include ../code/b.rs:f}}\n```\n",
    );
    assert_caught(&s.problems(), "include of missing file ../code/b.rs");
}

#[test]
fn catches_a_hand_written_block_that_is_not_run_without_a_reason() {
    let s = Scratch::new("ignored");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\nSome text.\n\n```rust,ignore\nlet x = 1;\n```\n",
    );
    assert_caught(&s.problems(), "without a reason");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\nThis sketch is not run: it shows a signature only.\n\n```rust,ignore\nlet x = 1;\n```\n",
    );
    assert_eq!(s.problems(), Vec::<String>::new());
}

#[test]
fn catches_hand_written_code_in_an_rs_listing() {
    let s = Scratch::new("listing");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rs\n{{#include ../code/a.rs:f}}\n```\n",
    );
    assert_eq!(s.problems(), Vec::<String>::new());
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rs\nfn never_compiled() {}\n```\n",
    );
    assert_caught(&s.problems(), "an `rs` listing must hold only");
}

#[test]
fn catches_a_fence_without_a_language_and_an_example_without_extern_crate() {
    let s = Scratch::new("fences");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```\nplain\n```\n\n```rust\nuse verified_dl::check::rel_err;\n```\n",
    );
    let problems = s.problems();
    assert_caught(&problems, "a fence without a language");
    assert_caught(&problems, "has no `# extern crate verified_dl;` line");
}

#[test]
fn catches_a_label_that_no_test_verifies_and_a_test_of_no_label() {
    let s = Scratch::new("labels");
    s.write(
        "tests/one.rs",
        "verify!(\"one.y\", Method::Property, 0.0, 0.0, 1);\n",
    );
    let problems = s.problems();
    assert_caught(
        &problems,
        "label (one.x) in src/one.md is verified by no test",
    );
    assert_caught(
        &problems,
        "a test verifies (one.y), which no chapter labels",
    );
}

#[test]
fn catches_a_label_missing_from_the_ledger_and_a_duplicate_label() {
    let s = Scratch::new("ledger");
    s.write("src/appendix/ledger.md", "# Ledger\n");
    assert_caught(
        &s.problems(),
        "label (one.x) is missing from src/appendix/ledger.md",
    );
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n$$\ny = 2 \\tag{one.x}\n$$\n",
    );
    assert_caught(&s.problems(), "label (one.x) is used 2 times");
}

#[test]
fn catches_a_malformed_erratum() {
    let s = Scratch::new("erratum");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n> **Erratum one-typo.**\n> *Source (problem 1):* x = 2.\n",
    );
    assert_caught(
        &s.problems(),
        "erratum one-typo must follow the line <a id=\"erratum-one-typo\"></a>",
    );
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n<a id=\"erratum-one-typo\"></a>\n> **Erratum one-typo.**\n> *Source (problem 1):* x = 2.\n> *Wrong:* it is 1.\n",
    );
    assert_caught(&s.problems(), "erratum one-typo has no *Correct...:* field");
}

#[test]
fn catches_a_heading_with_math_and_no_explicit_id() {
    let s = Scratch::new("heading");
    s.write(
        "src/one.md",
        "# One\n\n## With $\\beta$\n\n$$\nx = 1 \\tag{one.x}\n$$\n",
    );
    assert_caught(&s.problems(), "a heading with math needs an explicit id");
    s.write(
        "src/one.md",
        "# One\n\n## With $\\beta$ {#with-beta}\n\n$$\nx = 1 \\tag{one.x}\n$$\n",
    );
    assert_eq!(s.problems(), Vec::<String>::new());
    assert_eq!(
        chapters::label_sections(&fs::read_to_string(s.0.join("src/one.md")).unwrap()),
        vec![("one.x".to_string(), "with-beta".to_string())]
    );
}

#[test]
fn catches_a_measured_number_typed_by_hand() {
    let s = Scratch::new("typed-numbers");
    assert_eq!(s.problems(), Vec::<String>::new());
    for typed in [
        "the worst error is 1.05e-10.",
        "the worst error is $1.05 \\times 10^{-10}$.",
        "ICM restores 96.1% of the pixels.",
        "checked on 512 machines.",
        "the loop takes 3.33 ms.",
        "one sweep takes 187 µs.",
        "the fast path is 15.3× faster.",
        "it runs 4 times faster.",
    ] {
        s.write(
            "src/one.md",
            &format!("# One\n\n$$\nx = 1 \\tag{{one.x}}\n$$\n\nWe find that {typed}\n"),
        );
        assert_caught(&s.problems(), "looks measured");
    }
    // the same numbers in code, in a comment, or quoted from the tests are fine
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\nThe tolerance `1e-7`, <!-- 96.1% --> and {{#measured one.x:worst}}, on a 4×4 grid and a 4 × 4 grid.\n",
    );
    assert_eq!(s.problems(), Vec::<String>::new());
}

#[test]
fn catches_an_anchor_that_no_page_shows() {
    let s = Scratch::new("unshown-anchor");
    assert_eq!(s.problems(), Vec::<String>::new());
    s.write(
        "code/a.rs",
        "// ANCHOR: f\nfn f() {}\n// ANCHOR_END: f\n// ANCHOR: g\nfn g() {}\n// ANCHOR_END: g\n",
    );
    assert_caught(&s.problems(), "anchor `g` is shown by no page");
}

#[test]
fn catches_two_listings_back_to_back_and_a_page_too_long() {
    let s = Scratch::new("pages");
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rs\n{{#include ../code/a.rs:f}}\n```\n\n<!-- uses: f -->\n```rs\n{{#include ../code/a.rs:f}}\n```\n",
    );
    assert_caught(
        &s.problems(),
        "src/one.md:12: a listing follows the previous one",
    );
    s.write(
        "src/one.md",
        "# One\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rs\n{{#include ../code/a.rs:f}}\n```\n\nThe next one calls it:\n\n```rs\n{{#include ../code/a.rs:f}}\n```\n",
    );
    assert_eq!(s.problems(), Vec::<String>::new());
    let long = format!(
        "# One\n\n$$\nx = 1 \\tag{{one.x}}\n$$\n{}",
        "text\n".repeat(book_tools::lint::MAX_PAGE_LINES)
    );
    s.write("src/one.md", &long);
    assert_caught(&s.problems(), "src/one.md has 305 lines: split it");
}

#[test]
fn every_check_in_the_ledger_says_what_would_make_it_fail() {
    let root = book_tools::book_root();
    let ledger = fs::read_to_string(root.join("src/appendix/ledger.md")).unwrap();
    let unstated: Vec<&str> = ledger
        .lines()
        .filter(|l| l.ends_with("| (not stated) |"))
        .collect();
    assert!(
        unstated.is_empty(),
        "checks whose test has no \"Fails if\" paragraph (run `cargo run -p book-tools -- unstated`):\n{}",
        unstated.join("\n")
    );
    // The parser takes the paragraph that starts with "Fails if", and only it.
    let s = Scratch::new("fails-if");
    fs::create_dir_all(s.0.join("tests/one")).unwrap();
    s.write(
        "tests/one/part.rs",
        "/// What it checks.\n///\n/// Fails if the sum is off\n/// by one.\n///\n/// More.\n#[test]\nfn checked() {\n    verify!(\"one.x\", Method::Property, 0.0, 0.0, 1);\n}\n\n#[test]\nfn unstated() {\n    verify!(\"one.x\", Method::Property, 0.0, 0.0, 1);\n}\n",
    );
    let stated = book_tools::ledger::failure_conditions(&s.0);
    assert_eq!(
        stated.get("part::checked").map(String::as_str),
        Some("Fails if the sum is off by one.")
    );
    assert!(!stated.contains_key("part::unstated"));
}

#[test]
fn catches_a_table_of_contents_entry_that_is_not_the_page_title() {
    let s = Scratch::new("titles");
    s.write(
        "src/one.md",
        "# One, at length\n\n$$\nx = 1 \\tag{one.x}\n$$\n\n```rs\n{{#include ../code/a.rs:f}}\n```\n",
    );
    assert_caught(
        &s.problems(),
        "SUMMARY.md calls one.md \"One\", but its title is \"One, at length\"",
    );
}

#[test]
fn catches_a_link_to_a_section_a_page_does_not_have() {
    let s = Scratch::new("section-links");
    s.write(
        "src/two.md",
        "# Two\n\n## A section\n\n<a id=\"erratum-x\"></a>\n\nSee [one](one.md#nowhere), [here](#a-section), [x](#erratum-x), [there](one.html#missing).\n\n```rust,ignore\n{{#include ../code/a.rs:f}}\n```\n",
    );
    let problems = s.problems();
    assert_caught(
        &problems,
        "src/two.md:7: link to one.md#nowhere, which has no such section",
    );
    assert_caught(&problems, "link to one.md#missing");
    assert!(
        !problems
            .iter()
            .any(|p| p.contains("#a-section") || p.contains("#erratum-x")),
        "{problems:#?}"
    );
}

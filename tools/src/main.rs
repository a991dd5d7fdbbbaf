//! `cargo run -p book-tools -- <command>`: regenerate what the book makes from code.
//!
//! * `figures`: write every figure under `src/figures/`;
//! * `ledger [dir]`: write `src/appendix/ledger.md` and `measurements.tsv` (the
//!   numbers the prose quotes) from the records that the
//!   checks left in `dir/ledger/` (default `target/tmp`, where `verify!`
//!   writes); fails, naming them, if any labelled equation has no record;
//! * `errata`: write `src/appendix/errata.md` from the chapters' erratum blocks;
//! * `prelude`: write `src/prelude.rs`, the file a reader downloads to compile
//!   copied listings, from `code/error.rs` and `code/prelude.rs`;
//! * `preprocess`: the mdBook preprocessor that captions every listing
//!   (book.toml runs it; see `book_tools::captions`);
//! * `typed-numbers`: list the numbers of the prose that look measured;
//! * `lint`: list every breach of the book's structural rules (see `book_tools::lint`).

use std::path::Path;
use std::process::exit;

use book_tools::{captions, chapters, errata, figures, ledger, lint, listings, measured, typed};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root_buf = book_tools::book_root();
    let root = root_buf.as_path();
    let chapters = || {
        chapters::read_chapters(root).unwrap_or_else(|e| {
            eprintln!("cannot read the chapters: {e}");
            exit(1)
        })
    };
    match args.first().map(String::as_str) {
        Some("figures") => {
            for figure in figures::all() {
                let path = root.join("src").join(&figure.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("create figure folder");
                }
                std::fs::write(&path, &figure.bytes).expect("write figure");
                println!("wrote src/{}", figure.path);
            }
        }
        Some("unstated") => {
            // The checks of the last test run whose test states no "Fails if".
            let entries = ledger::read_ledger(&root.join("target/tmp/ledger"));
            let stated = ledger::failure_conditions(root);
            let mut tests: Vec<&str> = entries
                .iter()
                .map(|e| e.test.as_str())
                .filter(|t| !stated.contains_key(*t))
                .collect();
            tests.sort();
            tests.dedup();
            for t in &tests {
                println!("{t}");
            }
            eprintln!("{} tests state no \"Fails if\"", tests.len());
        }
        Some("ledger") => {
            let dir = args
                .get(1)
                .map(|d| Path::new(d).to_path_buf())
                .unwrap_or_else(|| root.join("target/tmp"));
            let entries = ledger::read_ledger(&dir.join("ledger"));
            let values = ledger::read_measured(&dir.join("ledger"));
            let quotable = measured::collect(&entries, &values);
            match ledger::ledger_markdown(
                &chapters(),
                &entries,
                &values,
                &ledger::failure_conditions(root),
            ) {
                Ok(md) => {
                    std::fs::write(root.join("src/appendix/ledger.md"), md).expect("write ledger");
                    std::fs::write(
                        root.join("src/appendix/measurements.tsv"),
                        measured::to_tsv(&quotable),
                    )
                    .expect("write measurements");
                    println!(
                        "wrote src/appendix/ledger.md and measurements.tsv ({} checks and {} measured values from {})",
                        entries.len(),
                        values.len(),
                        dir.display()
                    );
                }
                Err(missing) => {
                    eprintln!(
                        "no check recorded these labelled equations: {}\n(run `cargo test` first; every label needs a test ending in verify!)",
                        missing.join(", ")
                    );
                    exit(1);
                }
            }
        }
        Some("errata") => match errata::errata_markdown(&chapters(), errata::ERRATA_PREAMBLE) {
            Ok(md) => {
                std::fs::write(root.join("src/appendix/errata.md"), md).expect("write errata");
                println!("wrote src/appendix/errata.md");
            }
            Err(e) => {
                eprintln!("{e}");
                exit(1);
            }
        },
        Some("prelude") => match listings::prelude(root) {
            Ok(text) => {
                std::fs::write(root.join("src/prelude.rs"), text).expect("write prelude");
                println!("wrote src/prelude.rs");
            }
            Err(e) => {
                eprintln!("cannot read code/error.rs or code/prelude.rs: {e}");
                exit(1);
            }
        },
        Some("preprocess") => {
            // mdBook asks `book preprocess supports <renderer>` first: every
            // renderer gets the captions.
            if args.get(1).map(String::as_str) == Some("supports") {
                exit(0);
            }
            let mut input = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input) {
                eprintln!("cannot read the book from mdBook: {e}");
                exit(1);
            }
            match captions::preprocess(&input) {
                Ok(book) => println!("{book}"),
                Err(e) => {
                    eprintln!("listing captions: {e}");
                    exit(1);
                }
            }
        }
        Some("typed-numbers") => {
            let mut n = 0;
            for chapter in chapters() {
                if chapter.path.starts_with("appendix/ledger") {
                    continue;
                }
                for (line, text) in typed::unallowed_typed_numbers(&chapter.path, &chapter.text) {
                    println!("src/{}:{line}: {text}", chapter.path);
                    n += 1;
                }
            }
            println!("{n} numbers that look measured and are not on the allow-list");
        }
        Some("lint") => {
            let problems = lint::lint(root);
            for p in &problems {
                println!("{p}");
            }
            if !problems.is_empty() {
                exit(1);
            }
            println!("the book's structure is sound");
        }
        _ => {
            eprintln!(
                "usage: book figures | book ledger [dir] | book unstated | book errata | book prelude | book preprocess | book lint"
            );
            exit(2);
        }
    }
}

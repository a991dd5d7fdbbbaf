//! `cargo run --bin book -- <command>`: regenerate what the book makes from code.
//!
//! * `figures`: write every figure under `src/`;
//! * `ledger <dir>`: write `src/appendix/ledger.md` from the ledger lines that
//!   the checks left in `<dir>/ledger/` (by default `target/tmp`).

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match args.first().map(String::as_str) {
        Some("figures") => {
            for figure in verified_dl::figures::all() {
                let path = root.join("src").join(&figure.path);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("create figure folder");
                }
                std::fs::write(&path, &figure.bytes).expect("write figure");
                println!("wrote src/{}", figure.path);
            }
        }
        _ => {
            eprintln!("usage: book figures");
            std::process::exit(2);
        }
    }
}

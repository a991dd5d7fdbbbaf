//! Every listing of the book can be copied: pasted, as the copy button gives
//! it, into a fresh crate that depends on ndarray and rand, together with the
//! book's prelude and the listings it `uses`, it compiles.
//!
//! The test writes one such crate per listing (members of one scratch
//! workspace, so the dependencies are checked once), runs `cargo check` on
//! all of them, and fails naming every listing that does not compile, with
//! rustc's first error. `a_broken_listing_is_caught` shows that it can fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use book_tools::chapters::read_chapters;
use book_tools::listings::{self, by_anchor, closure, copy_crate_lib, Listing};

fn root() -> PathBuf {
    book_tools::book_root()
}

/// The files the prelude is made of: their listings show the prelude, which
/// every copy crate holds already.
const IN_PRELUDE: [&str; 2] = ["code/error.rs", "code/prelude.rs"];

/// The dependencies of a copy crate, at the versions of the book's lock file.
const DEPENDENCIES: &str = r#"
[dependencies]
ndarray = { version = "0.17", features = ["approx"] }
rand = { version = "0.10", default-features = false, features = ["std"] }
"#;

/// Writes one crate per entry of `crates` (name, lib.rs) under `dir`, checks
/// them all, and returns the first error of each crate that fails.
fn check_crates(
    dir: &Path,
    prelude: &str,
    crates: &[(String, String)],
) -> BTreeMap<String, String> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).unwrap();
    let members: Vec<String> = crates.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // the book's lock file pins the same versions as the book's own build, offline
    fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    for (name, lib) in crates {
        let src = dir.join(name).join("src");
        fs::create_dir_all(&src).unwrap();
        fs::write(
            dir.join(name).join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{DEPENDENCIES}"),
        )
        .unwrap();
        fs::write(src.join("lib.rs"), lib).unwrap();
        fs::write(src.join("prelude.rs"), prelude).unwrap();
    }
    let out = Command::new(env!("CARGO"))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--offline",
            "--quiet",
        ])
        .args(["--message-format", "json"])
        .arg("--target-dir")
        .arg(root().join("target/listings"))
        .current_dir(dir)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut errors = BTreeMap::new();
    for line in stdout.lines() {
        if !line.contains("\"reason\":\"compiler-message\"")
            || !line.contains("\"level\":\"error\"")
        {
            continue;
        }
        let name = crates
            .iter()
            .map(|(n, _)| n)
            .find(|n| {
                line.contains(&format!(
                    "\"package_id\":\"path+file://{}",
                    dir.join(n).display()
                ))
            })
            .or_else(|| {
                crates
                    .iter()
                    .map(|(n, _)| n)
                    .find(|n| line.contains(&format!("/{n}#")))
            });
        if let Some(name) = name {
            errors.entry(name.clone()).or_insert_with(|| rendered(line));
        }
    }
    if !out.status.success() && errors.is_empty() {
        errors.insert(
            "cargo".to_string(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        );
    }
    errors
}

/// The "rendered" field of a compiler message (rustc's own text), unescaped.
fn rendered(json: &str) -> String {
    let Some(start) = json.find("\"rendered\":\"") else {
        return json.to_string();
    };
    let rest = &json[start + 12..];
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => break,
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => break,
            },
            _ => out.push(c),
        }
    }
    out.lines().take(12).collect::<Vec<_>>().join("\n")
}

fn crate_name(l: &Listing) -> String {
    let name: String = l
        .key()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("listing_{name}")
}

#[test]
fn every_listing_compiles_as_copied() {
    let root = root();
    let chapters = read_chapters(&root).unwrap();
    let all = listings::listings(&root, &chapters).unwrap();
    let index = by_anchor(&all);
    let prelude = listings::prelude(&root).unwrap();
    let mut seen = BTreeSet::new();
    let mut crates = Vec::new();
    let mut problems = Vec::new();
    let mut exceptions = Vec::new();
    for l in &all {
        if !seen.insert(l.key()) || IN_PRELUDE.contains(&l.file.as_str()) {
            continue; // the same listing shown again, or a part of the prelude itself
        }
        if let Some(why) = &l.not_copyable {
            exceptions.push(format!(
                "src/{}:{}: {} ({why})",
                l.chapter, l.line, l.anchor
            ));
            continue;
        }
        match closure(l, &index) {
            Ok(needed) => crates.push((crate_name(l), copy_crate_lib(&needed))),
            Err(e) => problems.push(e),
        }
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listings");
    let errors = check_crates(&dir, &prelude, &crates);
    for l in &all {
        if let Some(e) = errors.get(&crate_name(l)) {
            problems.push(format!(
                "src/{}:{}: listing {} (`{}` of {}) does not compile as copied:\n{e}\n",
                l.chapter, l.line, l.number, l.anchor, l.file
            ));
        }
    }
    if let Some(e) = errors.get("cargo") {
        problems.push(format!("cargo check failed:\n{e}"));
    }
    println!(
        "{} listings ({} distinct) checked, {} do not compile; exceptions named in their captions:\n{}",
        all.len(),
        crates.len(),
        errors.len(),
        exceptions.join("\n")
    );
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The check can fail: a listing that calls an item it does not `use`, and
/// one that leans on an import the prelude does not have, are both caught,
/// while a self-contained one passes.
#[test]
fn a_broken_listing_is_caught() {
    let root = root();
    let prelude = listings::prelude(&root).unwrap();
    let make = |anchor: &str, uses: &[&str], text: &str| Listing {
        chapter: "scratch.md".into(),
        number: 1,
        line: 1,
        file: "scratch.rs".into(),
        anchor: anchor.into(),
        uses: uses.iter().map(|s| s.to_string()).collect(),
        not_copyable: None,
        text: text.into(),
    };
    let helper = make(
        "helper",
        &[],
        "pub fn twice(x: f64) -> f64 {\n    2.0 * x\n}\n",
    );
    let good = make(
        "good",
        &["helper"],
        "pub fn quadruple(x: Array1<f64>) -> Result<Array1<f64>> {\n    ensure_finite(\"x\", &x)?;\n    Ok(x.mapv(|v| twice(twice(v))))\n}\n",
    );
    let missing_use = make("missing_use", &[], &good.text);
    let foreign = make(
        "foreign",
        &[],
        "pub fn n() -> usize {\n    HashMap::<u8, u8>::new().len()\n}\n",
    );
    let listings = [helper, good, missing_use, foreign];
    let index = by_anchor(&listings);
    let crates: Vec<(String, String)> = listings
        .iter()
        .map(|l| (crate_name(l), copy_crate_lib(&closure(l, &index).unwrap())))
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("listings-broken");
    let errors = check_crates(&dir, &prelude, &crates);
    let failed: BTreeSet<&str> = errors.keys().map(String::as_str).collect();
    assert_eq!(
        failed,
        BTreeSet::from([
            "listing_scratch_rs_foreign",
            "listing_scratch_rs_missing_use"
        ]),
        "{errors:#?}"
    );
    assert!(
        errors["listing_scratch_rs_missing_use"].contains("twice"),
        "{errors:#?}"
    );
}

#[test]
fn the_downloadable_prelude_is_current() {
    let generated = listings::prelude(&root()).unwrap();
    let committed = fs::read_to_string(root().join("src/prelude.rs")).unwrap_or_default();
    assert!(
        generated == committed,
        "src/prelude.rs differs from code/error.rs and code/prelude.rs: run `cargo run -p book-tools -- prelude`"
    );
}

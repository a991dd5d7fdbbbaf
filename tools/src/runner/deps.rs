//! The compiled crate the examples link against, built once when the runner
//! starts.
//!
//! The runner asks cargo to build the library `verified_dl` into
//! `target/mdbook`, the target folder `scripts/mdbook-deps.sh` uses for
//! `mdbook test` (so the two share one build), and reads from cargo's JSON
//! messages exactly which files this build made. Each example is then
//! compiled with `--extern name=file` for every library of that build (so
//! `use verified_dl::...` works with or without an `extern crate` line) and
//! `-L dependency=` the folders they are in, as cargo itself does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// What an example is compiled with.
#[derive(Clone, Debug)]
pub struct Deps {
    /// The rustc of the toolchain that built the libraries (not the rustup proxy).
    pub rustc: PathBuf,
    /// Crate name to its compiled library, for `--extern`.
    pub externs: BTreeMap<String, PathBuf>,
    /// The folders holding those libraries, for `-L dependency=`.
    pub search: Vec<PathBuf>,
}

/// Builds the library into `root/target/mdbook` (a no-op when it is up to
/// date) and lists what the examples link against.
pub fn prepare(root: &Path) -> Result<Deps, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let target_dir = root.join("target/mdbook");
    let out = Command::new(&cargo)
        .current_dir(root)
        .args([
            "build",
            "--quiet",
            "-p",
            "verified_dl",
            "--lib",
            "--message-format=json",
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo could not build verified_dl ({})",
            out.status
        ));
    }
    let mut externs = BTreeMap::new();
    let mut search = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if msg.get("reason").and_then(Value::as_str) != Some("compiler-artifact") {
            continue;
        }
        let name = msg
            .pointer("/target/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .replace('-', "_");
        let files = msg.get("filenames").and_then(Value::as_array);
        for file in files.into_iter().flatten().filter_map(Value::as_str) {
            let path = PathBuf::from(file);
            let is_lib = path.extension().is_some_and(|e| e == "rlib" || e == "so");
            if !is_lib {
                continue;
            }
            if let Some(dir) = path.parent() {
                if !search.iter().any(|d: &PathBuf| d == dir) {
                    search.push(dir.to_path_buf());
                }
            }
            if path.extension().is_some_and(|e| e == "rlib") {
                externs.insert(name.clone(), path);
            }
        }
    }
    if !externs.contains_key("verified_dl") {
        return Err("cargo reported no compiled verified_dl library".into());
    }
    let deps_dir = target_dir.join("debug/deps");
    if deps_dir.is_dir() && !search.contains(&deps_dir) {
        search.push(deps_dir);
    }
    Ok(Deps {
        rustc: rustc_of_toolchain(root)?,
        externs,
        search,
    })
}

/// The real rustc of the toolchain cargo uses in `root` (`rustc --print
/// sysroot`), so that each run does not go through rustup's proxy.
fn rustc_of_toolchain(root: &Path) -> Result<PathBuf, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = Command::new(&rustc)
        .current_dir(root)
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    let sysroot = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let real = Path::new(&sysroot).join("bin/rustc");
    Ok(if real.is_file() {
        real
    } else {
        PathBuf::from(rustc)
    })
}

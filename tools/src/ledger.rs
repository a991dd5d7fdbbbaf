//! The ledger appendix: every labelled equation with the checks that
//! recorded it. The records are written by `verified_dl::verify!` and read
//! back with the crate's own parser ([`Entry::from_line`]), so the format is
//! defined once.

use std::collections::BTreeMap;
use std::path::Path;

use verified_dl::check::ledger::{Entry, Measured, Method};

use crate::chapters::{escape_cell, label_sections, labels, Chapter};

/// Reads every ledger line left in `dir` (the files written by `verified_dl::verify!`).
pub fn read_ledger(dir: &Path) -> Vec<Entry> {
    read_lines(dir, Entry::from_line)
}

/// Reads every measured value left in `dir` (the files written by
/// `verified_dl::record!`).
pub fn read_measured(dir: &Path) -> Vec<Measured> {
    read_lines(dir, Measured::from_line)
}

fn read_lines<T>(dir: &Path, parse: fn(&str) -> Option<T>) -> Vec<T> {
    let Ok(files) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = files.filter_map(|f| f.ok()).map(|f| f.path()).collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .flat_map(|text| text.lines().filter_map(parse).collect::<Vec<_>>())
        .collect()
}

fn fmt_err(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if (0.01..1e4).contains(&x.abs()) {
        format!("{x:.3}")
    } else {
        format!("{x:.2e}")
    }
}

/// A pass-or-fail property: no tolerance, nothing measured.
fn is_pass_fail(e: &Entry) -> bool {
    e.method == Method::Property && e.tolerance == 0.0 && e.worst == 0.0
}

/// The tolerance column: a pass-or-fail property has none; a zero tolerance is exact.
fn tolerance_cell(e: &Entry) -> String {
    if is_pass_fail(e) {
        "—".to_string()
    } else if e.tolerance == 0.0 {
        "0 (exact)".to_string()
    } else {
        fmt_err(e.tolerance)
    }
}

/// The worst-error column: "holds" for a pass-or-fail property.
fn worst_cell(e: &Entry) -> String {
    if is_pass_fail(e) {
        "holds".to_string()
    } else {
        fmt_err(e.worst)
    }
}

/// The ledger appendix: every labelled equation with the checks that recorded it.
///
/// Returns the markdown, or the labels that no check recorded.
pub fn ledger_markdown(
    chapters: &[Chapter],
    entries: &[Entry],
    values: &[Measured],
    fails_if: &BTreeMap<String, String>,
) -> std::result::Result<String, Vec<String>> {
    let mut by_label: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_label.entry(e.label.as_str()).or_default().push(e);
    }
    let mut missing = Vec::new();
    let mut s = String::from(
        "# Ledger of checked identities\n\n\
         Every labelled equation of the book, with the test that checks it, how, the\n\
         tolerance its error had to stay within, and the worst error measured. This\n\
         page is written by `cargo run -p book-tools -- ledger` from the records that the\n\
         checks leave when they pass (the `verify!` macro), so it shows the last run of\n\
         the test command, never numbers typed by hand. The errors are those of\n\
         [`rel_err`](../checking.md#a-relative-error-that-is-sane-near-zero) unless the\n\
         method says otherwise; a property's \"error\" is the measured quantity that\n\
         its bound limits. The last column says what would make the check fail, as\n\
         the test's own documentation states it.\n",
    );
    let mut total = 0;
    for chapter in chapters {
        let labels = labels(&chapter.text);
        if labels.is_empty() {
            continue;
        }
        s.push_str(&format!("\n## {}\n\n", chapter.title));
        s.push_str("| label | test | method | tolerance | worst error | cases | what would make it fail |\n");
        s.push_str("|---|---|---|---|---|---|---|\n");
        let sections = label_sections(&chapter.text);
        let mut seen = Vec::new();
        for label in labels {
            if seen.contains(&label) {
                continue;
            }
            seen.push(label.clone());
            let section = sections
                .iter()
                .find(|(l, _)| *l == label)
                .map(|(_, id)| id.clone())
                .unwrap_or_default();
            match by_label.get(label.as_str()) {
                None => missing.push(label),
                Some(list) => {
                    for e in list {
                        total += 1;
                        s.push_str(&format!(
                            "| [{label}](../{}#{section}) | `{}` | {} | {} | {} | {} | {} |\n",
                            chapter.path.replace(".md", ".html"),
                            escape_cell(&e.test),
                            e.method.name(),
                            tolerance_cell(e),
                            worst_cell(e),
                            e.cases,
                            fails_if
                                .get(&e.test)
                                .map(|f| escape_cell(f))
                                .unwrap_or_else(|| "(not stated)".to_string())
                        ));
                    }
                }
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    s.push_str(&format!(
        "\n{total} checks of {} labelled equations.\n",
        by_label_count(chapters)
    ));
    s.push_str(&counts_section(
        values,
        ".coverage.",
        "Coverage of the random checks",
        "How many of the random cases of each check fall in each case its \
         derivation is about (the generators are stratified, and each test asserts \
         a minimum count for every case it names).",
    ));
    s.push_str(&counts_section(
        values,
        ".mutants-caught",
        "Broken kernels caught",
        "How many deliberately broken copies of each family of kernels (an index \
         off by one, a wrong sign, a missing term) the checks of the family reject; \
         each test asserts that it rejects all of them.",
    ));
    Ok(s)
}

/// A table of the recorded values whose names contain `marker`, in name order.
fn counts_section(values: &[Measured], marker: &str, title: &str, intro: &str) -> String {
    let mut rows: BTreeMap<&str, f64> = BTreeMap::new();
    for v in values.iter().filter(|v| v.name.contains(marker)) {
        rows.insert(&v.name, v.value);
    }
    if rows.is_empty() {
        return String::new();
    }
    let mut s = format!("\n## {title}\n\n{intro}\n\n| record | count |\n|---|---|\n");
    for (name, value) in rows {
        s.push_str(&format!("| `{name}` | {value} |\n"));
    }
    s
}

fn by_label_count(chapters: &[Chapter]) -> usize {
    let mut all: Vec<String> = chapters.iter().flat_map(|c| labels(&c.text)).collect();
    all.sort();
    all.dedup();
    all.len()
}

/// What the tests of `tests/<binary>/<module>.rs` say would make them fail,
/// by `module::function` (the name the ledger records): the paragraph of a
/// function's doc comment that starts with "Fails if" (or "Fails when"), up
/// to the next blank doc line.
pub fn failure_conditions(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(dirs) = std::fs::read_dir(root.join("tests")) else {
        return out;
    };
    let files = dirs
        .filter_map(|d| d.ok())
        .map(|d| d.path())
        .filter(|p| p.is_dir())
        .flat_map(|d| {
            std::fs::read_dir(d)
                .into_iter()
                .flatten()
                .filter_map(|f| f.ok())
        })
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"));
    for path in files {
        let (Ok(text), Some(module)) = (std::fs::read_to_string(&path), path.file_stem()) else {
            continue;
        };
        let module = module.to_string_lossy();
        for (name, doc) in documented_functions(&text) {
            if let Some(fails) = fails_sentence(&doc) {
                out.insert(format!("{module}::{name}"), fails);
            }
        }
    }
    out
}

/// Every `fn` of a source file with the doc comment above it (attributes and
/// plain comments between the two are skipped).
fn documented_functions(text: &str) -> Vec<(String, Vec<String>)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix("fn ").or_else(|| t.strip_prefix("pub fn ")) else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut doc = Vec::new();
        for above in lines[..i].iter().rev().map(|l| l.trim()) {
            if let Some(d) = above.strip_prefix("///") {
                doc.push(d.trim().to_string());
            } else if !(above.starts_with("#[") || above.starts_with("//")) {
                break;
            }
        }
        doc.reverse();
        out.push((name, doc));
    }
    out
}

fn fails_sentence(doc: &[String]) -> Option<String> {
    let start = doc
        .iter()
        .position(|l| l.starts_with("Fails if") || l.starts_with("Fails when"))?;
    let paragraph: Vec<&str> = doc[start..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(String::as_str)
        .collect();
    Some(paragraph.join(" "))
}

//! The structural rules of the book, as one function that lists every breach.
//!
//! `tools/tests/book.rs` runs [`lint`] on the real book (which must give no
//! problem) and on small broken books (each of which must give the problem it
//! was built to show).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::chapters::{anchors, fences, includes, labels, read_chapters, summary_chapters};
use crate::errata::{confirmations, errata, omissions, remarks};
use crate::typed::{unallowed_typed_numbers, PENDING_CONVERSION};

fn files_under(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path, ext));
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every breach of the book's structural rules under `root`, one message each.
///
/// The rules: every chapter file is listed in `SUMMARY.md` and every listed
/// file exists; every chapter is compiled as a doctest by `code/lib.rs`; every
/// include names an existing file and anchor; every fence has a language;
/// every hand-written Rust block runs, or the line before it says why it is
/// "not run"; every runnable example that uses a crate names it with an
/// `extern crate` line (so that `mdbook test` finds it); every label is unique
/// and verified by a test in `tests/`; every label a test verifies exists;
/// and the ledger appendix lists every label.
pub fn lint(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let src = root.join("src");
    let summary = match fs::read_to_string(src.join("SUMMARY.md")) {
        Ok(s) => s,
        Err(e) => return vec![format!("cannot read src/SUMMARY.md: {e}")],
    };
    let listed: Vec<String> = summary_chapters(&summary);
    let listed_set: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    for file in files_under(&src, "md") {
        let rel = file
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        // src/api/ is the generated API documentation (scripts/api-docs.sh)
        if rel != "SUMMARY.md" && !rel.starts_with("api/") && !listed_set.contains(rel.as_str()) {
            problems.push(format!("src/{rel} is not listed in SUMMARY.md"));
        }
    }
    for path in &listed {
        if !src.join(path).is_file() {
            problems.push(format!("SUMMARY.md lists {path}, which does not exist"));
        }
    }
    // The table of contents names each page by its title, so that the
    // sidebar, the page and the PDF's outline agree.
    for (title, path) in summary_titles(&summary) {
        let Ok(text) = fs::read_to_string(src.join(&path)) else {
            continue;
        };
        let heading = crate::chapters::title(&text);
        if heading != title {
            problems.push(format!(
                "SUMMARY.md calls {path} \"{title}\", but its title is \"{heading}\""
            ));
        }
    }
    let lib = fs::read_to_string(root.join("code/lib.rs")).unwrap_or_default();
    for path in &listed {
        if !lib.contains(&format!("include_str!(\"../src/{path}\")")) {
            problems.push(format!(
                "src/{path} is not compiled as a doctest (add it to the chapters module of code/lib.rs)"
            ));
        }
    }
    let chapters = match read_chapters(root) {
        Ok(c) => c,
        Err(e) => {
            problems.push(format!("cannot read the chapters: {e}"));
            return problems;
        }
    };

    problems.extend(unshown_anchors(root, &chapters));

    // Measured numbers come from the tests, never from the keyboard.
    for chapter in &chapters {
        let pending = PENDING_CONVERSION.iter().any(|p| {
            chapter.path == format!("{p}.md") || chapter.path.starts_with(&format!("{p}/"))
        });
        if pending || chapter.path == "appendix/ledger.md" {
            continue;
        }
        for (line, text) in unallowed_typed_numbers(&chapter.path, &chapter.text) {
            problems.push(format!(
                "src/{}:{line}: `{text}` looks measured: quote it with {{{{#measured name}}}} from a test's record, or list it in tools/src/allowed-numbers.txt with the reason",
                chapter.path
            ));
        }
    }

    // Every link from a page to a section of a page names an id that page has.
    let ids: BTreeMap<String, BTreeSet<String>> = chapters
        .iter()
        .map(|c| (c.path.clone(), page_ids(&c.text)))
        .collect();
    for chapter in &chapters {
        for (line, target, id) in section_links(&chapter.text) {
            let dir = Path::new(&chapter.path).parent().unwrap_or(Path::new(""));
            let page = if target.is_empty() {
                chapter.path.clone()
            } else {
                normalize(&dir.join(&target))
            };
            if let Some(known) = ids.get(&page) {
                if !known.contains(&id) {
                    problems.push(format!(
                        "src/{}:{line}: link to {page}#{id}, which has no such section or anchor",
                        chapter.path
                    ));
                }
            }
        }
    }

    // Pages a reader can take in, and listings that prose introduces.
    for chapter in &chapters {
        let lines = chapter.text.lines().count();
        if lines > MAX_PAGE_LINES && !chapter.path.starts_with("appendix/") {
            problems.push(format!(
                "src/{} has {lines} lines: split it into sub-pages of at most {MAX_PAGE_LINES}",
                chapter.path
            ));
        }
        for line in back_to_back_listings(&chapter.text) {
            problems.push(format!(
                "src/{}:{line}: a listing follows the previous one with no sentence between them (say what the next one does)",
                chapter.path
            ));
        }
    }

    // Listings and fences.
    for chapter in &chapters {
        let dir = src.join(&chapter.path);
        let dir = dir.parent().expect("chapter has a folder");
        for inc in includes(&chapter.text) {
            let file = dir.join(&inc.path);
            let Ok(text) = fs::read_to_string(&file) else {
                problems.push(format!(
                    "src/{}:{}: include of missing file {}",
                    chapter.path, inc.line, inc.path
                ));
                continue;
            };
            if let Some(anchor) = &inc.anchor {
                let is_range = anchor.chars().all(|c| c.is_ascii_digit() || c == ':');
                if !is_range && !anchors(&text).contains(anchor) {
                    problems.push(format!(
                        "src/{}:{}: {} has no anchor `{anchor}`",
                        chapter.path, inc.line, inc.path
                    ));
                }
            }
        }
        for (i, line) in chapter.text.lines().enumerate() {
            if line.starts_with('#') && line.contains('$') && !line.trim_end().ends_with('}') {
                problems.push(format!(
                    "src/{}:{}: a heading with math needs an explicit id, `## Title {{#id}}` (the generated one depends on KaTeX's output)",
                    chapter.path,
                    i + 1
                ));
            }
        }
        for fence in fences(&chapter.text) {
            let at = format!("src/{}:{}", chapter.path, fence.line);
            if fence.info.is_empty() {
                problems.push(format!(
                    "{at}: a fence without a language (rustdoc would run it as Rust)"
                ));
                continue;
            }
            if fence.info == "rs" {
                // A listing: highlighted as Rust, never compiled by rustdoc,
                // so it must be cut from code that cargo compiles.
                if !fence.is_include() {
                    problems.push(format!(
                        "{at}: an `rs` listing must hold only {{{{#include}}}} lines (hand-written code there is never compiled)"
                    ));
                }
                continue;
            }
            if !fence.is_rust() {
                continue;
            }
            if fence.is_include() {
                continue;
            }
            if fence.is_not_run() {
                if !fence.before.to_lowercase().contains("not run") {
                    problems.push(format!(
                        "{at}: a hand-written Rust block marked `{}` without a reason (the line before it must say why it is not run)",
                        fence.info
                    ));
                }
                continue;
            }
            let code = fence.body.join("\n");
            for krate in ["verified_dl", "ndarray", "rand", "approx"] {
                if code.contains(&format!("{krate}::"))
                    && !code.contains(&format!("extern crate {krate};"))
                {
                    problems.push(format!(
                        "{at}: the example uses {krate} but has no `# extern crate {krate};` line (mdbook test would not find it)"
                    ));
                }
            }
        }
    }

    // Labels and the tests that verify them.
    let mut where_labelled: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for chapter in &chapters {
        for label in labels(&chapter.text) {
            where_labelled
                .entry(label)
                .or_default()
                .push(chapter.path.clone());
        }
    }
    let mut tests_text = String::new();
    for file in files_under(&root.join("tests"), "rs") {
        tests_text.push_str(&fs::read_to_string(&file).unwrap_or_default());
        tests_text.push('\n');
    }
    let errata_ids: BTreeSet<String> = chapters
        .iter()
        .filter_map(|c| errata(&c.path, &c.text).ok())
        .flatten()
        .map(|e| e.id)
        .collect();
    let confirmed_ids: BTreeSet<String> = chapters
        .iter()
        .filter_map(|c| confirmations(&c.path, &c.text).ok())
        .flatten()
        .map(|e| e.id)
        .collect();
    let other_ids: BTreeSet<String> = chapters
        .iter()
        .flat_map(|c| {
            let omitted = omissions(&c.path, &c.text).unwrap_or_default();
            let remarked = remarks(&c.path, &c.text).unwrap_or_default();
            omitted
                .into_iter()
                .map(|e| format!("omission.{}", e.id))
                .chain(remarked.into_iter().map(|e| format!("remark.{}", e.id)))
        })
        .collect();
    for (label, places) in &where_labelled {
        if places.len() > 1 {
            problems.push(format!(
                "label ({label}) is used {} times ({})",
                places.len(),
                places.join(", ")
            ));
        }
        if !tests_text.contains(&format!("\"{label}\"")) {
            problems.push(format!(
                "label ({label}) in src/{} is verified by no test in tests/ (no verify!(\"{label}\", ...))",
                places[0]
            ));
        }
    }
    for label in verified_labels(&tests_text) {
        let known = where_labelled.contains_key(&label)
            || label
                .strip_prefix("erratum.")
                .is_some_and(|id| errata_ids.contains(id))
            || label
                .strip_prefix("confirmed.")
                .is_some_and(|id| confirmed_ids.contains(id))
            || other_ids.contains(&label);
        if !known {
            problems.push(format!(
                "a test verifies ({label}), which no chapter labels (a typo, or a stale test)"
            ));
        }
    }
    for chapter in &chapters {
        if let Err(e) = errata(&chapter.path, &chapter.text) {
            problems.push(e);
        }
        if let Err(e) = confirmations(&chapter.path, &chapter.text) {
            problems.push(e);
        }
        if let Err(e) = omissions(&chapter.path, &chapter.text) {
            problems.push(e);
        }
        if let Err(e) = remarks(&chapter.path, &chapter.text) {
            problems.push(e);
        }
    }
    let ledger = fs::read_to_string(src.join("appendix/ledger.md")).unwrap_or_default();
    for label in where_labelled.keys() {
        if !ledger.contains(&format!("[{label}]")) {
            problems.push(format!(
                "label ({label}) is missing from src/appendix/ledger.md (run the test command, which regenerates it)"
            ));
        }
    }
    problems
}

/// The labels named as the first argument of `verify!(` in test sources.
pub fn verified_labels(tests_text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = tests_text;
    while let Some(start) = rest.find("verify!(") {
        let after = rest[start + 8..].trim_start();
        if let Some(lit) = after.strip_prefix('"') {
            if let Some(end) = lit.find('"') {
                out.push(lit[..end].to_string());
            }
        }
        rest = &rest[start + 8..];
    }
    out.sort();
    out.dedup();
    out
}

/// The anchored regions of `code/` and `tests/` that no page includes: an
/// anchor no page shows is a listing that was dropped, or one never written.
pub fn unshown_anchors(root: &Path, chapters: &[crate::chapters::Chapter]) -> Vec<String> {
    let src = root.join("src");
    let mut problems = Vec::new();
    let mut shown: BTreeSet<(PathBuf, String)> = BTreeSet::new();
    for chapter in chapters {
        let dir = src.join(&chapter.path);
        let dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        for inc in includes(&chapter.text) {
            if let (Ok(file), Some(anchor)) = (fs::canonicalize(dir.join(&inc.path)), &inc.anchor) {
                shown.insert((file, anchor.clone()));
            }
        }
    }
    for folder in ["code", "tests"] {
        for file in files_under(&root.join(folder), "rs") {
            let text = fs::read_to_string(&file).unwrap_or_default();
            let Ok(canonical) = fs::canonicalize(&file) else {
                continue;
            };
            for anchor in anchors(&text) {
                if !shown.contains(&(canonical.clone(), anchor.clone())) {
                    let rel = file
                        .strip_prefix(root)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    problems.push(format!(
                        "{rel}: anchor `{anchor}` is shown by no page (include it, or remove the markers)"
                    ));
                }
            }
        }
    }

    problems
}

/// The most lines of Markdown a page of the book may have (the generated
/// appendices excepted): a longer page is split into sub-pages.
pub const MAX_PAGE_LINES: usize = 300;

/// The 1-based lines of the `rs` listings that follow another listing with
/// nothing but blank lines and HTML comments (`<!-- uses: ... -->`) between
/// them.
pub fn back_to_back_listings(markdown: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut last_was_listing = false;
    // Only blank lines and comments since the last listing closed.
    let mut only_quiet = false;
    for (i, line) in markdown.lines().enumerate() {
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            if in_fence {
                in_fence = false;
                only_quiet = last_was_listing;
                continue;
            }
            in_fence = true;
            let listing = info.trim() == "rs";
            if listing && only_quiet {
                out.push(i + 1);
            }
            last_was_listing = listing;
            continue;
        }
        if in_fence {
            continue;
        }
        let quiet = t.is_empty() || (t.starts_with("<!--") && t.ends_with("-->"));
        if !quiet {
            only_quiet = false;
        }
    }
    out
}

/// The (title, path) of every page that `SUMMARY.md` links.
fn summary_titles(summary: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in summary.lines() {
        let (Some(open), Some(mid)) = (line.find('['), line.find("](")) else {
            continue;
        };
        let Some(close) = line[mid..].find(')') else {
            continue;
        };
        if open < mid {
            out.push((
                line[open + 1..mid].to_string(),
                line[mid + 2..mid + close].to_string(),
            ));
        }
    }
    out
}

/// The ids a page gives its sections and anchors: a heading's explicit
/// `{#id}` or the id mdBook derives from its text (lower case, spaces to
/// `-`, other punctuation dropped), and every HTML `id="..."`.
fn page_ids(markdown: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            let heading = heading.trim_start_matches('#').trim();
            if let Some((_, rest)) = heading.rsplit_once("{#") {
                ids.insert(rest.trim_end_matches('}').trim().to_string());
            } else {
                let id: String = heading
                    .chars()
                    .filter_map(|c| {
                        if c.is_alphanumeric() || c == '_' || c == '-' {
                            Some(c.to_lowercase().next().unwrap_or(c))
                        } else if c.is_whitespace() {
                            Some('-')
                        } else {
                            None
                        }
                    })
                    .collect();
                ids.insert(id);
            }
        }
        let mut rest = line;
        while let Some(at) = rest.find("id=\"") {
            let after = &rest[at + 4..];
            let Some(end) = after.find('"') else { break };
            ids.insert(after[..end].to_string());
            rest = &after[end..];
        }
    }
    ids
}

/// The Markdown links `[text](page.md#id)` (or `page.html#id`, as the
/// generated appendices write them) and `[text](#id)` of a page,
/// outside code: (1-based line, page as written or empty, id).
fn section_links(markdown: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for (i, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            let target = &after[..end];
            if let Some((page, id)) = target.split_once('#') {
                let page = match page.strip_suffix(".html") {
                    Some(stem) => format!("{stem}.md"),
                    None => page.to_string(),
                };
                let local = page.is_empty() || (page.ends_with(".md") && !page.contains("://"));
                if local && !id.is_empty() {
                    out.push((i + 1, page, id.to_string()));
                }
            }
            rest = &after[end..];
        }
    }
    out
}

/// `a/../b/c.md` as `b/c.md`: the path of a linked page relative to `src/`.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().to_string()),
            _ => {}
        }
    }
    parts.join("/")
}

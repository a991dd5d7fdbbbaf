//! The book's listings: every `rs` fence of a chapter, resolved the way
//! mdBook's `{{#include}}` resolves it, with what the listing `uses`.
//!
//! Both the caption preprocessor and the copy test read listings through
//! this module, so the caption a reader sees and the crate the copy test
//! builds name the same code.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::chapters::{fences, includes, Chapter};

/// One listing: an `rs` fence of include lines, as the book renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    /// The chapter it stands in, relative to `src/`.
    pub chapter: String,
    /// Its number within the chapter, from 1.
    pub number: usize,
    /// The 1-based line of its opening fence.
    pub line: usize,
    /// The file it is cut from, relative to the book's root (`code/conv/pooling.rs`).
    pub file: String,
    /// The anchor of its (first) include; listings are named by it.
    pub anchor: String,
    /// The anchors named on its `<!-- uses: a, b -->` line.
    pub uses: Vec<String>,
    /// The text the reader sees (and the copy button copies).
    pub text: String,
}

/// The `uses` of a fence, from the `<!-- uses: a, b -->` line right above it.
pub fn uses_line(before: &str) -> Option<Vec<String>> {
    let inner = before.trim().strip_prefix("<!--")?.strip_suffix("-->")?;
    let list = inner.trim().strip_prefix("uses:")?;
    Some(
        list.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// The lines of `source` between `ANCHOR: anchor` and `ANCHOR_END: anchor`,
/// without any line that holds an anchor marker, as mdBook includes them;
/// `None` if the anchor is missing.
pub fn anchored_region(source: &str, anchor: &str) -> Option<String> {
    let mut inside = false;
    let mut found = false;
    let mut out = String::new();
    for line in source.lines() {
        if let Some((_, name)) = line.split_once("ANCHOR_END:") {
            if name.trim() == anchor {
                inside = false;
            }
            continue;
        }
        if let Some((_, name)) = line.split_once("ANCHOR:") {
            if name.trim() == anchor {
                inside = true;
                found = true;
            }
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    found.then_some(out)
}

/// Every listing of the book's chapters, in book order. Fails with a
/// message on an include that names a missing file or anchor.
pub fn listings(root: &Path, chapters: &[Chapter]) -> Result<Vec<Listing>, String> {
    let mut out = Vec::new();
    for chapter in chapters {
        let dir = root.join("src").join(&chapter.path);
        let dir = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut number = 0;
        for fence in fences(&chapter.text) {
            if fence.info != "rs" {
                continue;
            }
            number += 1;
            let body = fence.body.join("\n");
            let mut text = String::new();
            let mut first: Option<(String, String)> = None;
            for inc in includes(&body) {
                let path = normalize(&dir.join(&inc.path));
                let source = fs::read_to_string(&path)
                    .map_err(|e| format!("src/{}: {}: {e}", chapter.path, inc.path))?;
                let file = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let anchor = inc.anchor.clone().unwrap_or_default();
                let region = if anchor.is_empty() {
                    source.clone()
                } else {
                    anchored_region(&source, &anchor).ok_or_else(|| {
                        format!(
                            "src/{}:{}: {} has no anchor `{anchor}`",
                            chapter.path, fence.line, inc.path
                        )
                    })?
                };
                text.push_str(&region);
                first.get_or_insert((file, anchor));
            }
            let Some((file, anchor)) = first else {
                continue;
            };
            out.push(Listing {
                chapter: chapter.path.clone(),
                number,
                line: fence.line,
                file,
                anchor,
                uses: uses_line(&fence.before).unwrap_or_default(),
                text,
            });
        }
    }
    Ok(out)
}

/// Resolves `..` and `.` in a path without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The listings `listing` needs, its `uses` and theirs in turn, each once,
/// every one after what it uses; an unknown name or a cycle is an error.
pub fn closure<'a>(
    listing: &'a Listing,
    by_anchor: &BTreeMap<String, &'a Listing>,
) -> Result<Vec<&'a Listing>, String> {
    fn visit<'a>(
        l: &'a Listing,
        by_anchor: &BTreeMap<String, &'a Listing>,
        stack: &mut Vec<String>,
        out: &mut Vec<&'a Listing>,
    ) -> Result<(), String> {
        if out.iter().any(|o| o.key() == l.key()) {
            return Ok(());
        }
        if stack.contains(&l.key()) {
            return Err(format!("listings use each other in a cycle: {stack:?}"));
        }
        stack.push(l.key());
        for u in &l.uses {
            let dep = by_anchor.get(u.as_str()).ok_or_else(|| {
                format!(
                    "src/{}:{}: the listing uses `{u}`, which names no listing of the book (or several: write `file:anchor`)",
                    l.chapter, l.line
                )
            })?;
            visit(dep, by_anchor, stack, out)?;
        }
        stack.pop();
        out.push(l);
        Ok(())
    }
    let mut out = Vec::new();
    visit(listing, by_anchor, &mut Vec::new(), &mut out)?;
    Ok(out)
}

/// The listings by the names a `uses` line may give: the anchor alone where
/// only one file has it, and always `file:anchor` with the file relative to
/// `code/` (`check/mod.rs:gradient`). The same listing shown twice is one
/// entry; two different listings under one bare anchor are reachable only by
/// their full names.
pub fn by_anchor(listings: &[Listing]) -> BTreeMap<String, &Listing> {
    let mut bare: BTreeMap<&str, Vec<&Listing>> = BTreeMap::new();
    let mut map: BTreeMap<String, &Listing> = BTreeMap::new();
    for l in listings {
        map.entry(l.key()).or_insert(l);
        let list = bare.entry(&l.anchor).or_default();
        if !list.iter().any(|o| o.key() == l.key()) {
            list.push(l);
        }
    }
    for (anchor, list) in bare {
        if let [only] = list[..] {
            map.insert(anchor.to_string(), only);
        }
    }
    map
}

impl Listing {
    /// The listing's full name: its file relative to `code/`, a colon, its anchor.
    pub fn key(&self) -> String {
        let file = self.file.strip_prefix("code/").unwrap_or(&self.file);
        format!("{file}:{}", self.anchor)
    }
}

/// The book's prelude, the file a reader downloads once: the crate's error
/// type and its helpers (`code/error.rs`, verbatim) followed by the imports
/// every listing assumes.
pub fn prelude(root: &Path) -> std::io::Result<String> {
    let error = fs::read_to_string(root.join("code/error.rs"))?;
    let imports = fs::read_to_string(root.join("code/prelude.rs"))?;
    let imports = anchored_region(&imports, "imports").unwrap_or_default();
    let mut s = String::from(
        "// prelude.rs: what every listing of \"Four Derivations, Verified\" assumes.\n\
         // Put it next to your lib.rs or main.rs as `mod prelude; use prelude::*;`.\n\
         // It is the crate's code/error.rs followed by the imports of code/prelude.rs.\n\n",
    );
    s.push_str(&error);
    s.push('\n');
    s.push_str(&imports);
    Ok(s)
}

/// The source of the copy crate of `listing`: the prelude, what it uses,
/// and itself, in the order a reader pastes them.
pub fn copy_crate_lib(needed: &[&Listing]) -> String {
    let mut s = String::from(
        "// Listings pasted as the book's copy button gives them.\n\
         #![allow(dead_code, unused_imports)]\n\
         mod prelude;\n\
         use prelude::*;\n",
    );
    for l in needed {
        let _ = write!(
            s,
            "\n// {} (src/{}, listing {})\n{}",
            l.anchor, l.chapter, l.number, l.text
        );
    }
    s
}

//! The mdBook preprocessor that captions every listing, and replaces every
//! `{{#measured name}}` with the number a test recorded (see [`measured`]).
//!
//! Run by mdBook before its `links` preprocessor (so it still sees the
//! `{{#include}}` lines and `<!-- uses: -->` comments), it puts a caption
//! under each `rs` listing, in the manner of the Rust Book's listings: its
//! number, the file and the item it is cut from, a link to the item's page in
//! the API documentation (`api/verified_dl/...`, built next to the book), and
//! links to the listings it uses.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::chapters::{title, Chapter};
use crate::items::{api_page, first_item, Item};
use crate::listings::{by_anchor, listings, Listing};
use crate::measured;

/// The HTML id of a listing's caption.
pub fn caption_id(listing: &Listing) -> String {
    let slug: String = listing
        .key()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("listing-{slug}")
}

fn relative(from_chapter: &str, to: &str) -> String {
    let depth = from_chapter.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// The caption of `listing` in `chapter`, as HTML.
pub fn caption(
    root: &Path,
    listing: &Listing,
    label: &str,
    labels: &BTreeMap<String, String>,
    index: &BTreeMap<String, &Listing>,
    with_id: bool,
) -> String {
    let id = if with_id {
        format!(" id=\"{}\"", caption_id(listing))
    } else {
        String::new()
    };
    let item = first_item(&listing.text);
    let name = match &item {
        Some(Item {
            method: Some(m),
            name,
            ..
        }) => format!("{name}::{m}"),
        Some(i) => i.name.clone(),
        None => listing.anchor.clone(),
    };
    let item_html = match api_page(root, listing) {
        Some(page) => format!(
            "<a href=\"{}\"><code>{name}</code></a>",
            relative(&listing.chapter, &page)
        ),
        None => format!("<code>{name}</code> (private to the crate)"),
    };
    let mut s = format!(
        "<p class=\"listing-caption\"{id}><strong>{label}</strong>: {item_html}, from <code>{}</code>",
        listing.file
    );
    let uses: Vec<String> = listing
        .uses
        .iter()
        .filter_map(|u| index.get(u.as_str()))
        .map(|dep| {
            let text = labels.get(&dep.key()).cloned().unwrap_or_default();
            let page = dep.chapter.replace(".md", ".html");
            let href = if dep.chapter == listing.chapter {
                format!("#{}", caption_id(dep))
            } else {
                format!("{}#{}", relative(&listing.chapter, &page), caption_id(dep))
            };
            format!("<a href=\"{href}\">{text}</a>")
        })
        .collect();
    if !uses.is_empty() {
        s.push_str(&format!("; uses {}", uses.join(", ")));
    }
    if let Some(why) = &listing.not_copyable {
        s.push_str(&format!("; not for copying alone: {why}"));
    }
    if matches!(listing.file.as_str(), "code/error.rs" | "code/prelude.rs") {
        let depth = "../".repeat(listing.chapter.matches('/').count());
        s.push_str(&format!(
            "; part of the <a href=\"{depth}notation.html#the-prelude\">prelude</a>"
        ));
    }
    s.push_str(".</p>");
    s
}

/// The label of every listing ("Listing 1.2.3", numbered within its page,
/// after the page's section number), by listing key, at its first showing.
pub fn labels(
    listings: &[Listing],
    numbers: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for l in listings {
        let label = match numbers.get(&l.chapter) {
            Some(n) if !n.is_empty() => format!("Listing {n}.{}", l.number),
            _ => format!("Listing {}", l.number),
        };
        out.entry(l.key()).or_insert(label);
    }
    out
}

/// Adds the captions to the chapters of an mdBook preprocessor input
/// (`[context, book]`, JSON) and returns the book (JSON).
pub fn preprocess(input: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(input).map_err(|e| format!("bad input: {e}"))?;
    let [context, mut book] = match value {
        Value::Array(a) if a.len() == 2 => {
            let mut it = a.into_iter();
            match (it.next(), it.next()) {
                (Some(c), Some(b)) => [c, b],
                _ => return Err("expected [context, book]".into()),
            }
        }
        _ => return Err("expected [context, book]".into()),
    };
    let root = context
        .get("root")
        .and_then(Value::as_str)
        .ok_or("the context has no root")?;
    let src = context
        .pointer("/config/book/src")
        .and_then(Value::as_str)
        .unwrap_or("src");
    if src != "src" {
        return Err(format!("the book's src must be src/, not {src}"));
    }
    let root = Path::new(root);
    let values = std::fs::read_to_string(root.join("src/appendix/measurements.tsv"))
        .map(|t| measured::from_tsv(&t))
        .unwrap_or_default();
    let mut missing = Vec::new();
    visit(book.get_mut("items"), &mut |ch| {
        let path = ch
            .get("source_path")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(text) = ch.get("content").and_then(Value::as_str) else {
            return;
        };
        match measured::substitute(text, &values) {
            Ok(new) => ch["content"] = Value::String(new),
            Err(list) => missing.extend(list.into_iter().map(|m| format!("src/{path}: {m}"))),
        }
        if std::env::var_os("BOOK_MEASURED_LENIENT").is_some() {
            if let Some(text) = ch.get("content").and_then(Value::as_str) {
                ch["content"] = Value::String(measured::substitute_lenient(text, &values));
            }
        }
    });
    // The structural test builds the book before the test run has written
    // its records; it asks for leniency, the real builds never do.
    if !missing.is_empty() && std::env::var_os("BOOK_MEASURED_LENIENT").is_none() {
        return Err(format!(
            "measured numbers without a record (run `make test`, which records them):\n{}",
            missing.join("\n")
        ));
    }
    let mut chapters = Vec::new();
    let mut numbers = BTreeMap::new();
    visit(book.get_mut("items"), &mut |ch| {
        let (Some(path), Some(text)) = (
            ch.get("source_path").and_then(Value::as_str),
            ch.get("content").and_then(Value::as_str),
        ) else {
            return;
        };
        let number = ch
            .get("number")
            .and_then(Value::as_array)
            .map(|n| {
                n.iter()
                    .filter_map(Value::as_u64)
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(".")
            })
            .unwrap_or_default();
        numbers.insert(path.to_string(), number);
        chapters.push(Chapter {
            path: path.to_string(),
            title: title(text),
            text: text.to_string(),
        });
    });
    let all = listings(root, &chapters)?;
    let index = by_anchor(&all);
    let labels = labels(&all, &numbers);
    let mut captions: BTreeMap<(String, usize), String> = BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for l in &all {
        let first = seen.insert(l.key());
        let label = labels.get(&l.key()).cloned().unwrap_or_default();
        captions.insert(
            (l.chapter.clone(), l.line),
            caption(root, l, &label, &labels, &index, first),
        );
    }
    visit(book.get_mut("items"), &mut |ch| {
        let Some(path) = ch
            .get("source_path")
            .and_then(Value::as_str)
            .map(String::from)
        else {
            return;
        };
        let Some(text) = ch.get("content").and_then(Value::as_str) else {
            return;
        };
        let new = insert_captions(text, |line| captions.get(&(path.clone(), line)).cloned());
        ch["content"] = Value::String(new);
    });
    serde_json::to_string(&book).map_err(|e| e.to_string())
}

/// Calls `f` on every chapter object of a list of book items, depth first.
fn visit(items: Option<&mut Value>, f: &mut dyn FnMut(&mut Value)) {
    let Some(Value::Array(items)) = items else {
        return;
    };
    for item in items {
        if let Some(ch) = item.get_mut("Chapter") {
            f(ch);
            visit(ch.get_mut("sub_items"), f);
        }
    }
}

/// The markdown with `caption(line)` inserted after the closing fence of the
/// block that opens on `line` (1-based), as a paragraph of its own.
pub fn insert_captions(text: &str, caption: impl Fn(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len() + 1024);
    let mut open: Option<(usize, Option<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &open {
            None if ticks >= 3 => open = Some((ticks, caption(i + 1))),
            Some((n, cap)) if ticks >= *n && trimmed[ticks..].trim().is_empty() => {
                if let Some(cap) = cap {
                    out.push('\n');
                    out.push_str(cap);
                    out.push('\n');
                }
                open = None;
            }
            _ => {}
        }
    }
    out
}

//! Tools that read the book's own sources: the chapter list, equation labels,
//! listings, fences and errata. The structural test `tests/book.rs` and the
//! appendix generators of `cargo run --bin book` share them, so the rules
//! they enforce are written once.

pub mod lint;

/// The introduction of the errata appendix, above the generated tables.
pub const ERRATA_PREAMBLE: &str = include_str!("errata_preamble.md");

use std::collections::BTreeMap;
use std::path::Path;

use crate::check::ledger::Entry;

/// The chapter files listed in `SUMMARY.md`, in order, as paths relative to `src/`.
pub fn summary_chapters(summary: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in summary.lines() {
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            if let Some(end) = after.find(')') {
                let target = &after[..end];
                if target.ends_with(".md") {
                    out.push(target.to_string());
                }
                rest = &after[end..];
            } else {
                break;
            }
        }
    }
    out
}

/// The labels of a chapter's equations, `\tag{label}`, in order of appearance.
pub fn labels(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("\\tag{") {
        let after = &rest[start + 5..];
        match after.find('}') {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

/// A listing: `{{#include path:anchor}}` (or `{{#rustdoc_include ...}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// The path as written, relative to the chapter's folder.
    pub path: String,
    /// The anchor, if any (`None` includes the whole file; a number range is kept as written).
    pub anchor: Option<String>,
    /// The 1-based line of the chapter it stands on.
    pub line: usize,
}

/// Every include directive of a chapter.
pub fn includes(markdown: &str) -> Vec<Include> {
    let mut out = Vec::new();
    for (i, line) in markdown.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let body = after[..end].trim();
            let arg = body
                .strip_prefix("include ")
                .or_else(|| body.strip_prefix("rustdoc_include "));
            if let Some(arg) = arg {
                let arg = arg.trim();
                let (path, anchor) = match arg.split_once(':') {
                    Some((p, a)) => (p.to_string(), Some(a.to_string())),
                    None => (arg.to_string(), None),
                };
                out.push(Include {
                    path,
                    anchor,
                    line: i + 1,
                });
            }
            rest = &after[end..];
        }
    }
    out
}

/// The anchors a source file defines: every name with both `ANCHOR: name`
/// and `ANCHOR_END: name`.
pub fn anchors(source: &str) -> Vec<String> {
    let starts: Vec<String> = marker_names(source, "ANCHOR:");
    let ends: Vec<String> = marker_names(source, "ANCHOR_END:");
    starts.into_iter().filter(|s| ends.contains(s)).collect()
}

fn marker_names(source: &str, marker: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|l| l.split_once(marker).map(|(_, n)| n.trim().to_string()))
        .collect()
}

/// A fenced code block of a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The info string after the opening backticks (`rust,ignore`, `text`, ...).
    pub info: String,
    /// The 1-based line of the opening fence.
    pub line: usize,
    /// The block's lines.
    pub body: Vec<String>,
    /// The last non-empty line of text before the block.
    pub before: String,
}

impl Fence {
    /// True for a Rust block (`rust`, `rust,ignore`, ...).
    pub fn is_rust(&self) -> bool {
        self.info.split(',').next().map(str::trim) == Some("rust")
    }
    /// True if the block is marked `ignore`, `no_run` or `compile_fail`.
    pub fn is_not_run(&self) -> bool {
        self.info
            .split(',')
            .any(|a| matches!(a.trim(), "ignore" | "no_run"))
    }
    /// True if the block's only content is include directives.
    pub fn is_include(&self) -> bool {
        let lines: Vec<&String> = self.body.iter().filter(|l| !l.trim().is_empty()).collect();
        !lines.is_empty()
            && lines.iter().all(|l| {
                let l = l.trim();
                l.starts_with("{{#include ") || l.starts_with("{{#rustdoc_include ")
            })
    }
}

/// Every fenced block of a chapter (backtick fences of three or more).
pub fn fences(markdown: &str) -> Vec<Fence> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String, usize, String)> = None; // (ticks, info, line, before)
    let mut body = Vec::new();
    let mut before = String::new();
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|&c| c == '`').count();
        match &open {
            None if ticks >= 3 => {
                open = Some((
                    ticks,
                    trimmed[ticks..].trim().to_string(),
                    i + 1,
                    before.clone(),
                ));
                body.clear();
            }
            None => {
                if !line.trim().is_empty() {
                    before = line.trim().to_string();
                }
            }
            Some((n, _, _, _)) if ticks >= *n && trimmed[ticks..].trim().is_empty() => {
                let (_, info, start, before_block) = open.take().expect("open fence");
                out.push(Fence {
                    info,
                    line: start,
                    body: std::mem::take(&mut body),
                    before: before_block,
                });
            }
            Some(_) => body.push(line.to_string()),
        }
    }
    out
}

/// An erratum block of a chapter (see CONVENTIONS.md for its form), or a
/// confirmation: a step of the source checked and found right, which has the
/// same form with only the *Source* and *Test* fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erratum {
    /// Its id, as in `<a id="erratum-ID">` and `**Erratum ID.**`.
    pub id: String,
    /// The chapter file it stands in, relative to `src/`.
    pub chapter: String,
    /// What the source says.
    pub source: String,
    /// Where in the source, as the *Source* field's parenthesis says.
    pub place: String,
    /// What is wrong (empty for a confirmation).
    pub wrong: String,
    /// The correction (empty for a confirmation).
    pub correct: String,
    /// The test that shows the source's version failing (or, for a
    /// confirmation, holding).
    pub test: String,
}

/// The errata blocks of a chapter, or a message naming the first malformed one.
pub fn errata(chapter: &str, markdown: &str) -> std::result::Result<Vec<Erratum>, String> {
    markers(
        chapter,
        markdown,
        "Erratum",
        "erratum",
        &["Source", "Wrong", "Correct", "Test"],
    )
}

/// The confirmation blocks of a chapter (`> **Confirmed ID.**` after
/// `<a id="confirmed-ID"></a>`, with *Source* and *Test* fields).
pub fn confirmations(chapter: &str, markdown: &str) -> std::result::Result<Vec<Erratum>, String> {
    markers(
        chapter,
        markdown,
        "Confirmed",
        "confirmed",
        &["Source", "Test"],
    )
}

fn markers(
    chapter: &str,
    markdown: &str,
    heading: &str,
    anchor_prefix: &str,
    fields: &[&str],
) -> std::result::Result<Vec<Erratum>, String> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = Vec::new();
    let lead = format!("> **{heading} ");
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(lead.as_str()) else {
            continue;
        };
        let kind = heading.to_lowercase();
        let id = rest
            .split_once(".**")
            .map(|(id, _)| id.trim().to_string())
            .ok_or_else(|| format!("{chapter}:{}: {kind} heading without `.**`", i + 1))?;
        let anchor = format!("<a id=\"{anchor_prefix}-{id}\"></a>");
        if i == 0 || lines[i - 1].trim() != anchor {
            return Err(format!(
                "{chapter}:{}: {kind} {id} must follow the line {anchor}",
                i + 1
            ));
        }
        // The block: this line's remainder and the following lines that start with '>'.
        let mut block = rest
            .split_once(".**")
            .map(|(_, r)| r.to_string())
            .unwrap_or_default();
        for l in &lines[i + 1..] {
            match l.trim_start().strip_prefix('>') {
                Some(t) => {
                    block.push(' ');
                    block.push_str(t.trim());
                }
                None => break,
            }
        }
        let field = |name: &str| -> std::result::Result<(String, String), String> {
            let start = block
                .find(&format!("*{name}"))
                .ok_or_else(|| format!("{chapter}: {kind} {id} has no *{name}...:* field"))?;
            let after = &block[start + 1 + name.len()..];
            let colon = after
                .find(":*")
                .ok_or_else(|| format!("{chapter}: {kind} {id}: field {name} lacks ':*'"))?;
            let qualifier = after[..colon].trim().trim_matches(|c| c == '(' || c == ')');
            let text = &after[colon + 2..];
            let end = ["*Source", "*Wrong:*", "*Correct:*", "*Test:*"]
                .iter()
                .filter_map(|m| text.find(m))
                .min()
                .unwrap_or(text.len());
            Ok((qualifier.to_string(), text[..end].trim().to_string()))
        };
        let mut values = Vec::new();
        for name in fields {
            values.push(field(name)?);
        }
        let get = |name: &str| {
            fields
                .iter()
                .position(|f| *f == name)
                .map(|k| values[k].1.clone())
                .unwrap_or_default()
        };
        out.push(Erratum {
            id,
            chapter: chapter.to_string(),
            place: values[0].0.clone(),
            source: get("Source"),
            wrong: get("Wrong"),
            correct: get("Correct"),
            test: get("Test"),
        });
    }
    Ok(out)
}

/// The HTML id that mdBook gives a heading (lower case, spaces to `-`,
/// punctuation dropped), before duplicates get their `-1`, `-2` suffixes.
pub fn heading_id(text: &str) -> String {
    text.replace('`', "")
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// For each label of a chapter, the id of the section it stands in (the last
/// heading above it, made unique as mdBook does).
pub fn label_sections(markdown: &str) -> Vec<(String, String)> {
    let mut used: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.starts_with('#') {
            let text = line.trim_start_matches('#').trim();
            // An explicit id, `## Title {#id}`, wins over the generated one.
            let base = match text.rfind("{#") {
                Some(at) if text.ends_with('}') => text[at + 2..text.len() - 1].to_string(),
                _ => heading_id(text),
            };
            let mut id = base.clone();
            let mut n = 0;
            while used.contains(&id) {
                n += 1;
                id = format!("{base}-{n}");
            }
            used.push(id.clone());
            current = id;
        }
        for label in labels(line) {
            out.push((label, current.clone()));
        }
    }
    out
}

/// The title of a chapter: its first `# ` heading.
pub fn title(markdown: &str) -> String {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Reads every ledger line left in `dir` (the files written by [`verify!`](crate::verify)).
pub fn read_ledger(dir: &Path) -> Vec<Entry> {
    use crate::check::ledger::Method;
    let methods = [
        Method::FiniteDifferences,
        Method::Exhaustive,
        Method::ExactArithmetic,
        Method::FloatingPoint,
        Method::Quadrature,
        Method::Sampling,
        Method::Property,
    ];
    let mut out = Vec::new();
    let Ok(files) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<_> = files.filter_map(|f| f.ok()).map(|f| f.path()).collect();
    paths.sort();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 6 {
                continue;
            }
            let Some(method) = methods.iter().copied().find(|m| m.name() == cols[2]) else {
                continue;
            };
            let (Ok(tolerance), Ok(worst), Ok(cases)) =
                (cols[3].parse(), cols[4].parse(), cols[5].parse())
            else {
                continue;
            };
            out.push(Entry {
                label: cols[0].to_string(),
                test: cols[1].to_string(),
                method,
                tolerance,
                worst,
                cases,
            });
        }
    }
    out
}

/// A chapter of the book: its path relative to `src/`, its title and text.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Path relative to `src/`.
    pub path: String,
    /// The first heading.
    pub title: String,
    /// The markdown.
    pub text: String,
}

/// Reads every chapter listed in `src/SUMMARY.md` under `root`.
pub fn read_chapters(root: &Path) -> std::io::Result<Vec<Chapter>> {
    let summary = std::fs::read_to_string(root.join("src/SUMMARY.md"))?;
    summary_chapters(&summary)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(root.join("src").join(&path))?;
            Ok(Chapter {
                title: title(&text),
                path,
                text,
            })
        })
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

/// Makes text safe inside a markdown table cell: a `|` outside math becomes
/// `\|`; inside `$...$` (which KaTeX renders before the table is parsed) it
/// becomes `\vert`, since `\|` would be read there as a double bar.
fn is_pass_fail(e: &Entry) -> bool {
    e.method == crate::check::ledger::Method::Property && e.tolerance == 0.0 && e.worst == 0.0
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

fn escape_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_math = false;
    for ch in s.chars() {
        match ch {
            '$' => {
                in_math = !in_math;
                out.push(ch);
            }
            '|' if in_math => out.push_str("\\vert "),
            '|' => out.push_str("\\|"),
            _ => out.push(ch),
        }
    }
    out
}

/// The ledger appendix: every labelled equation with the checks that recorded it.
///
/// Returns the markdown, or the labels that no check recorded.
pub fn ledger_markdown(
    chapters: &[Chapter],
    entries: &[Entry],
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
         page is written by `cargo run --bin book -- ledger` from the records that the\n\
         checks leave when they pass (the `verify!` macro), so it shows the last run of\n\
         the test command, never numbers typed by hand. The errors are those of\n\
         [`rel_err`](../checking.md#a-relative-error-that-is-sane-near-zero) unless the\n\
         method says otherwise; a property's \"error\" is the measured quantity that\n\
         its bound limits.\n",
    );
    let mut total = 0;
    for chapter in chapters {
        let labels = labels(&chapter.text);
        if labels.is_empty() {
            continue;
        }
        s.push_str(&format!("\n## {}\n\n", chapter.title));
        s.push_str("| label | test | method | tolerance | worst error | cases |\n");
        s.push_str("|---|---|---|---|---|---|\n");
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
                            "| [{label}](../{}#{section}) | `{}` | {} | {} | {} | {} |\n",
                            chapter.path.replace(".md", ".html"),
                            escape_cell(&e.test),
                            e.method.name(),
                            tolerance_cell(e),
                            worst_cell(e),
                            e.cases
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
    Ok(s)
}

fn by_label_count(chapters: &[Chapter]) -> usize {
    let mut all: Vec<String> = chapters.iter().flat_map(|c| labels(&c.text)).collect();
    all.sort();
    all.dedup();
    all.len()
}

/// The errata appendix, from the erratum blocks of every chapter.
pub fn errata_markdown(
    chapters: &[Chapter],
    preamble: &str,
) -> std::result::Result<String, String> {
    let mut s = String::from("# Errata to the source\n\n");
    s.push_str(preamble.trim());
    s.push_str("\n\n");
    let mut count = 0;
    for chapter in chapters {
        let list = errata(&chapter.path, &chapter.text)?;
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!("## {}\n\n", chapter.title));
        s.push_str("| erratum | the source | what is wrong | correction | test |\n");
        s.push_str("|---|---|---|---|---|\n");
        for e in list {
            count += 1;
            s.push_str(&format!(
                "| [{}](../{}#erratum-{}) ({}) | {} | {} | {} | {} |\n",
                e.id,
                chapter.path.replace(".md", ".html"),
                e.id,
                escape_cell(&e.place),
                escape_cell(&e.source),
                escape_cell(&e.wrong),
                escape_cell(&e.correct),
                escape_cell(&e.test)
            ));
        }
        s.push('\n');
    }
    s.push_str(&format!("{count} errata in all.\n\n"));
    s.push_str("## Steps of the source checked and found right\n\n");
    let mut confirmed = 0;
    for chapter in chapters {
        let list = confirmations(&chapter.path, &chapter.text)?;
        if list.is_empty() {
            continue;
        }
        s.push_str(&format!("**{}.**\n\n", chapter.title));
        for e in list {
            confirmed += 1;
            s.push_str(&format!(
                "* [{}](../{}#confirmed-{}) ({}): {} Checked by {}\n",
                e.id,
                chapter.path.replace(".md", ".html"),
                e.id,
                e.place,
                e.source,
                e.test
            ));
        }
        s.push('\n');
    }
    s.push_str(&format!("{confirmed} steps confirmed in all.\n"));
    Ok(s)
}

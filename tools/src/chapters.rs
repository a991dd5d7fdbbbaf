//! Reading the book's own sources: the chapter list, equation labels,
//! listings, fences, errata and confirmations. The linter, the appendix
//! generators and the structural tests share these parsers, so the rules they
//! enforce are written once.

use std::path::Path;

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
    /// An erratum's kind, from `**Erratum ID (kind).**`: `error` unless the
    /// block says `notation` (loose notation, the statement itself true).
    pub kind: String,
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

/// The omission blocks of a chapter: a step the source leaves out, which the
/// book supplies. `<a id="omission-ID"></a>` then `> **Omission ID.**` with
/// the fields *Source (place):*, *Supplied:* (where and what the book adds)
/// and *Test:*. The *Supplied* text is kept in `correct`.
pub fn omissions(chapter: &str, markdown: &str) -> std::result::Result<Vec<Erratum>, String> {
    markers(
        chapter,
        markdown,
        "Omission",
        "omission",
        &["Source", "Supplied", "Test"],
    )
}

/// The remark blocks of a chapter: a step of the source that is right under
/// an assumption it does not state. `<a id="remark-ID"></a>` then
/// `> **Remark ID.**` with *Source (place):*, *Assumption:* (kept in `correct`)
/// and *Test:*.
pub fn remarks(chapter: &str, markdown: &str) -> std::result::Result<Vec<Erratum>, String> {
    markers(
        chapter,
        markdown,
        "Remark",
        "remark",
        &["Source", "Assumption", "Test"],
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
        let heading_text = rest
            .split_once(".**")
            .map(|(id, _)| id.trim().to_string())
            .ok_or_else(|| format!("{chapter}:{}: {kind} heading without `.**`", i + 1))?;
        // `ID (notation)`: the kind of an erratum, in parentheses after its id
        let (id, erratum_kind) = match heading_text.split_once(" (") {
            Some((id, k)) => (
                id.trim().to_string(),
                k.trim_end_matches(')').trim().to_string(),
            ),
            None => (heading_text.clone(), "error".to_string()),
        };
        if !["error", "notation"].contains(&erratum_kind.as_str()) {
            return Err(format!(
                "{chapter}:{}: {kind} {id}: unknown kind `{erratum_kind}` (error or notation)",
                i + 1
            ));
        }
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
            let end = [
                "*Source",
                "*Wrong:*",
                "*Correct:*",
                "*Supplied:*",
                "*Assumption:*",
                "*Test:*",
            ]
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
            correct: [get("Correct"), get("Supplied"), get("Assumption")].concat(),
            kind: erratum_kind,
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

/// Makes text safe inside a markdown table cell: a `|` outside math becomes
/// `\|`; inside `$...$` (which KaTeX renders before the table is parsed) it
/// becomes `\vert`, since `\|` would be read there as a double bar.
pub(crate) fn escape_cell(s: &str) -> String {
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

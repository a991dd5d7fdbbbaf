//! The errata, omission, remark and confirmation blocks of the chapters, and
//! the errata appendix generated from them.

use crate::chapters::{escape_cell, Chapter};

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

/// Text of a chapter's block, with its links to places on the chapter's own
/// page (`](#erratum-x)`) made to work from the appendix.
fn from_chapter(text: &str, chapter: &str) -> String {
    text.replace("](#", &format!("](../{}#", chapter.replace(".md", ".html")))
}

/// The introduction of the errata appendix, above the generated tables.
pub const ERRATA_PREAMBLE: &str = include_str!("errata_preamble.md");

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
        s.push_str("| erratum | kind | the source | what is wrong | correction | test |\n");
        s.push_str("|---|---|---|---|---|---|\n");
        for e in list {
            count += 1;
            s.push_str(&format!(
                "| [{}](../{}#erratum-{}) ({}) | {} | {} | {} | {} | {} |\n",
                e.id,
                chapter.path.replace(".md", ".html"),
                e.id,
                escape_cell(&e.place),
                e.kind,
                escape_cell(&from_chapter(&e.source, &chapter.path)),
                escape_cell(&from_chapter(&e.wrong, &chapter.path)),
                escape_cell(&from_chapter(&e.correct, &chapter.path)),
                escape_cell(&e.test)
            ));
        }
        s.push('\n');
    }
    s.push_str(&format!("{count} errata in all.\n\n"));
    let mut omitted = 0;
    let mut omission_rows = String::new();
    for chapter in chapters {
        for e in omissions(&chapter.path, &chapter.text)? {
            omitted += 1;
            omission_rows.push_str(&format!(
                "| [{}](../{}#omission-{}) ({}) | {} | {} | {} |\n",
                e.id,
                chapter.path.replace(".md", ".html"),
                e.id,
                escape_cell(&e.place),
                escape_cell(&from_chapter(&e.source, &chapter.path)),
                escape_cell(&from_chapter(&e.correct, &chapter.path)),
                escape_cell(&e.test)
            ));
        }
    }
    if omitted > 0 {
        s.push_str("## What the source leaves out\n\n");
        s.push_str("| omission | what is missing | what the book supplies | test |\n");
        s.push_str("|---|---|---|---|\n");
        s.push_str(&omission_rows);
        s.push_str(&format!("\n{omitted} omissions in all.\n\n"));
    }
    let mut remarked = Vec::new();
    for chapter in chapters {
        for e in remarks(&chapter.path, &chapter.text)? {
            remarked.push(format!(
                "* [{}](../{}#remark-{}) ({}): {} *Assumption:* {} Checked by {}\n",
                e.id,
                chapter.path.replace(".md", ".html"),
                e.id,
                e.place,
                e.source,
                e.correct,
                e.test
            ));
        }
    }
    if !remarked.is_empty() {
        s.push_str("## Steps right under an assumption the source does not state\n\n");
        for r in &remarked {
            s.push_str(r);
        }
        s.push('\n');
    }
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

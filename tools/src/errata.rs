//! The errata appendix, generated from the erratum and confirmation blocks of
//! the chapters.

use crate::chapters::{confirmations, errata, escape_cell, omissions, remarks, Chapter};

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
                escape_cell(&e.source),
                escape_cell(&e.wrong),
                escape_cell(&e.correct),
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
                escape_cell(&e.source),
                escape_cell(&e.correct),
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

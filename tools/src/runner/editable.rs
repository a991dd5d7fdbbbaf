//! The mdBook preprocessor that makes every runnable example editable: it
//! adds `editable` to the info string of each ```` ```rust ```` fence that
//! mdBook shows with a Run button, so the reader can change the code and run
//! it again, as on the Rust Book. `rs` listings and `ignore`, `no_run`,
//! `compile_fail` and `noplayground` fences are left alone.

use serde_json::Value;

/// Attributes that make a fence not runnable, or already editable.
const SKIP: &[&str] = &[
    "ignore",
    "no_run",
    "compile_fail",
    "noplayground",
    "noplaypen",
    "editable",
];

/// The fence opener of a line (character, length, info string), if it is one.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim_start_matches(' ');
    if line.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = t.chars().take_while(|x| *x == c).count();
    (n >= 3).then(|| (c, n, t[n..].trim()))
}

/// The markdown with `,editable` added to every runnable Rust fence.
pub fn make_editable(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 256);
    let mut open: Option<(char, usize)> = None;
    for line in markdown.split_inclusive('\n') {
        match (open, fence(line.trim_end_matches(['\n', '\r']))) {
            (None, Some((c, n, info))) => {
                open = Some((c, n));
                let words: Vec<&str> = info.split([',', ' ']).filter(|w| !w.is_empty()).collect();
                let runnable =
                    words.first() == Some(&"rust") && !words.iter().any(|w| SKIP.contains(w));
                if runnable {
                    let indent = &line[..line.len() - line.trim_start_matches(' ').len()];
                    let marks: String = std::iter::repeat_n(c, n).collect();
                    let eol = if line.ends_with('\n') { "\n" } else { "" };
                    out.push_str(&format!("{indent}{marks}{info},editable{eol}"));
                    continue;
                }
            }
            (Some((c, n)), Some((c2, n2, ""))) if c == c2 && n2 >= n => open = None,
            _ => {}
        }
        out.push_str(line);
    }
    out
}

/// The preprocessor: `[context, book]` (JSON) in, the book (JSON) out.
pub fn preprocess(input: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(input).map_err(|e| format!("bad input: {e}"))?;
    let Value::Array(mut pair) = value else {
        return Err("expected [context, book]".into());
    };
    if pair.len() != 2 {
        return Err("expected [context, book]".into());
    }
    let mut book = pair.remove(1);
    visit(book.get_mut("items"));
    serde_json::to_string(&book).map_err(|e| e.to_string())
}

fn visit(items: Option<&mut Value>) {
    let Some(Value::Array(items)) = items else {
        return;
    };
    for item in items {
        if let Some(ch) = item.get_mut("Chapter") {
            if let Some(text) = ch.get("content").and_then(Value::as_str) {
                let new = make_editable(text);
                ch["content"] = Value::String(new);
            }
            visit(ch.get_mut("sub_items"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::make_editable;

    #[test]
    fn only_runnable_rust_fences_become_editable() {
        let md = "```rust\nlet a = 1;\n```\n\n```rs\n{{#include x.rs}}\n```\n\n```rust,ignore\nx\n```\n\n````text\n```rust\n````\n";
        let out = make_editable(md);
        assert!(out.starts_with("```rust,editable\nlet a = 1;\n```\n"));
        assert!(out.contains("```rs\n"));
        assert!(out.contains("```rust,ignore\n"));
        assert!(out.contains("````text\n```rust\n````\n"));
        assert_eq!(out.matches("editable").count(), 1);
    }
}

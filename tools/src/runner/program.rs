//! The program the runner compiles from an example's text, made as rustdoc
//! makes a doctest: hidden-line markers removed, and code without a `main`
//! wrapped in one.

/// The text of a line without rustdoc's hidden-line marker: `# x` is `x`, a
/// lone `#` is empty, `##x` is `#x`; other lines are unchanged.
fn unhide(line: &str) -> &str {
    let trimmed = line.trim_start();
    if trimmed == "#" {
        ""
    } else if let Some(rest) = trimmed.strip_prefix("# ") {
        rest
    } else if trimmed.starts_with("##") {
        &trimmed[1..]
    } else {
        line
    }
}

/// Whether the code defines its own `fn main` (outside line comments).
fn has_main(lines: &[&str]) -> bool {
    lines.iter().any(|l| {
        let code = l.split("//").next().unwrap_or_default();
        code.contains("fn main(") || code.contains("fn main (") || code.contains("fn main<")
    })
}

/// The whole program for an example, as rustdoc would compile it.
///
/// Code with a `fn main` is kept as it is (hidden lines shown). Otherwise
/// crate attributes (`#![...]`) and `extern crate` lines stay at the top and
/// the rest becomes the body of `main`; when the body ends in `(())`, as an
/// example that uses `?` does (`Ok::<(), Error>(())`), `main` calls it as a
/// function returning a `Result` and unwraps it, exactly as rustdoc does.
/// The wrapping adds no line before the reader's code, so rustc's line
/// numbers are the lines the reader sees in the editor. (Warnings, such as
/// unused imports, are not shown: only a failed compilation's messages are.)
pub fn program(code: &str) -> String {
    let lines: Vec<&str> = code.lines().map(unhide).collect();
    if has_main(&lines) {
        let mut text = lines.join("\n");
        text.push('\n');
        return text;
    }
    let hoisted = |l: &str| {
        let t = l.trim_start();
        t.starts_with("#![") || t.starts_with("extern crate ")
    };
    let returns_result = lines
        .iter()
        .filter(|l| !hoisted(l))
        .map(|l| l.trim())
        .rfind(|l| !l.is_empty())
        .is_some_and(|l| l.ends_with("(())"));
    let open = if returns_result {
        "fn main() { fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> { "
    } else {
        "fn main() { "
    };
    let close = if returns_result {
        "} _inner().unwrap() }"
    } else {
        "}"
    };
    // Crate attributes and `extern crate` lines after the first line of the
    // body move to the top, on lines of their own (rare: only then do the
    // line numbers shift).
    let first_body = lines
        .iter()
        .position(|l| !hoisted(l))
        .unwrap_or(lines.len());
    let mut out = String::new();
    for l in lines.iter().skip(first_body).filter(|l| hoisted(l)) {
        out.push_str(l);
        out.push('\n');
    }
    // `fn main() {` goes at the end of the last line before the body, so
    // that the reader's lines keep their numbers and columns; if there is
    // no such line (or it ends in a comment), at the start of the body.
    let at_end_of_head = first_body > 0 && !lines[first_body - 1].contains("//");
    for (i, line) in lines.iter().enumerate() {
        if i == first_body && !at_end_of_head {
            out.push_str(open);
        }
        if i < first_body || !hoisted(line) {
            out.push_str(line);
        }
        if at_end_of_head && i + 1 == first_body {
            out.push(' ');
            out.push_str(open);
        }
        out.push('\n');
    }
    if first_body == lines.len() && !at_end_of_head {
        out.push_str(open);
    }
    out.push_str(close);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::program;

    #[test]
    fn wraps_code_without_main_and_hoists_extern_crate() {
        let p = program("# extern crate verified_dl;\nlet x = 1;\nprintln!(\"{x}\");");
        assert_eq!(
            p,
            "extern crate verified_dl; fn main() { \nlet x = 1;\nprintln!(\"{x}\");\n}\n"
        );
    }

    #[test]
    fn keeps_a_program_with_main() {
        let p = program("# fn main() -> Result<(), String> {\nOk(())\n# }");
        assert_eq!(p, "fn main() -> Result<(), String> {\nOk(())\n}\n");
    }

    #[test]
    fn an_example_ending_in_ok_returns_a_result() {
        let p = program("let x: u8 = \"1\".parse()?;\nOk::<(), std::num::ParseIntError>(())");
        assert!(p.contains("fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug>"));
        assert!(p.contains("_inner().unwrap()"));
    }
}

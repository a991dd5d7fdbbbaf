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
/// crate attributes (`#![...]`) and `extern crate` lines move to the top and
/// the rest becomes the body of `main`; when the body ends in `(())`, as an
/// example that uses `?` does (`Ok::<(), Error>(())`), `main` calls it as a
/// function returning a `Result` and unwraps it, exactly as rustdoc does.
pub fn program(code: &str) -> String {
    let lines: Vec<&str> = code.lines().map(unhide).collect();
    if has_main(&lines) {
        let mut text = lines.join("\n");
        text.push('\n');
        return text;
    }
    let mut head = String::from("#![allow(unused)]\n");
    let mut body = String::new();
    for line in lines {
        let t = line.trim_start();
        if t.starts_with("#![") || t.starts_with("extern crate ") {
            head.push_str(line);
            head.push('\n');
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    if body.trim_end().ends_with("(())") {
        format!(
            "{head}fn main() {{\n    fn _inner() -> ::core::result::Result<(), impl ::core::fmt::Debug> {{\n{body}    }}\n    _inner().unwrap()\n}}\n"
        )
    } else {
        format!("{head}fn main() {{\n{body}}}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::program;

    #[test]
    fn wraps_code_without_main_and_hoists_extern_crate() {
        let p = program("# extern crate verified_dl;\nlet x = 1;\nprintln!(\"{x}\");");
        assert!(p.starts_with("#![allow(unused)]\nextern crate verified_dl;\nfn main() {\n"));
        assert!(p.contains("let x = 1;"));
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

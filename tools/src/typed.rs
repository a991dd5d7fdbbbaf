//! The rule against typed numbers: a number of the prose that looks measured
//! (scientific notation, a percentage, a count of checked things) must come
//! from the tests through `{{#measured}}`, or be a constant of the problem
//! named, with its reason, in `tools/src/allowed-numbers.txt`.

use std::collections::BTreeSet;

/// The chapters whose prose still quotes measured numbers typed by hand; the
/// rule against typed numbers covers every other page. (Each chapter leaves
/// this list once its numbers come from `{{#measured}}`.)
pub const PENDING_CONVERSION: [&str; 0] = [];

/// The allow-list of numbers that look measured but are not.
pub const ALLOWED_NUMBERS: &str = include_str!("allowed-numbers.txt");

/// The typed numbers of `chapter` that the allow-list does not name.
pub fn unallowed_typed_numbers(chapter: &str, markdown: &str) -> Vec<(usize, String)> {
    let allowed: BTreeSet<(String, String)> = ALLOWED_NUMBERS
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let l = l.split("  #").next().unwrap_or(l);
            let (file, text) = l.split_once(": ")?;
            Some((file.trim().to_string(), text.trim().to_string()))
        })
        .collect();
    typed_numbers(markdown)
        .into_iter()
        .filter(|(_, t)| !allowed.contains(&(format!("src/{chapter}"), t.clone())))
        .collect()
}

/// The numbers of a chapter's prose that look measured: scientific notation
/// (`1.05e-10`, `1.05 \times 10^{-10}`), percentages (`98.9%`, `96 %`,
/// `96\%`), timings (`3.3 ms`, `187 µs`), speed-ups (`15.3×`, `4 times
/// faster`, but not the dimension `4×4`) and counts of checked things
/// (`512 machines`, `1,000 cases`),
/// outside code blocks, inline code and HTML comments. Each is the 1-based
/// line and the text found. A measured number must come from the tests
/// (`{{#measured name}}`); a constant of the problem is allowed by listing it
/// in `tools/src/allowed-numbers.txt`.
pub fn typed_numbers(markdown: &str) -> Vec<(usize, String)> {
    const COUNTED: [&str; 18] = [
        "cases",
        "configurations",
        "machines",
        "networks",
        "graphs",
        "pairs",
        "inputs",
        "problems",
        "shapes",
        "points",
        "entries",
        "totals",
        "images",
        "sequences",
        "grids",
        "draws",
        "sweeps",
        "DAGs",
    ];
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_comment = false;
    for (i, raw) in markdown.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        // drop inline code and comments
        let mut line = String::new();
        let mut in_code = false;
        let mut rest = raw;
        while !rest.is_empty() {
            if in_comment {
                match rest.find("-->") {
                    Some(e) => {
                        rest = &rest[e + 3..];
                        in_comment = false;
                    }
                    None => rest = "",
                }
                continue;
            }
            if !in_code && rest.starts_with("<!--") {
                in_comment = true;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            if c == '`' {
                in_code = !in_code;
            } else if !in_code {
                line.push(c);
            }
            rest = &rest[c.len_utf8()..];
        }
        let chars: Vec<char> = line.chars().collect();
        let mut k = 0;
        while k < chars.len() {
            let starts_number =
                chars[k].is_ascii_digit() && (k == 0 || !chars[k - 1].is_alphanumeric());
            if !starts_number {
                k += 1;
                continue;
            }
            let mut j = k;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || chars[j] == '.' || chars[j] == ',')
            {
                j += 1;
            }
            let number: String = chars[k..j].iter().collect();
            let number = number.trim_end_matches(['.', ',']).to_string();
            let tail: String = chars[j..].iter().collect();
            let exponent = tail
                .strip_prefix("e-")
                .or_else(|| tail.strip_prefix('e'))
                .map(|t| {
                    t.chars()
                        .take_while(|c| c.is_ascii_digit())
                        .collect::<String>()
                });
            let found = if let Some(exp) = exponent.filter(|e| !e.is_empty()) {
                Some(format!(
                    "{number}e{}{exp}",
                    if tail.starts_with("e-") { "-" } else { "" }
                ))
            } else if ["\\times 10^", "\\times10^", "\\cdot 10^", "\\cdot10^"]
                .iter()
                .any(|p| tail.trim_start().starts_with(p))
            {
                let t = tail.trim_start();
                let exp: String = t
                    .chars()
                    .take_while(|&c| c != '$' && c != ' ' && c != ')')
                    .collect();
                Some(format!("{number} {exp}"))
            } else if tail.starts_with('%')
                || tail.starts_with(" %")
                || tail.starts_with("\\%")
                || tail.starts_with(" percent")
            {
                Some(format!("{number}%"))
            } else if let Some(unit) = ["ms", "µs", "ns"].iter().find(|u| {
                let t = tail.trim_start_matches([' ', '\u{a0}']);
                t.starts_with(*u) && !t[u.len()..].starts_with(char::is_alphanumeric)
            }) {
                Some(format!("{number} {unit}"))
            } else if (tail.starts_with('×') || tail.starts_with(" ×"))
                && !tail
                    .trim_start()
                    .trim_start_matches('×')
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit() || c == '$' || c == '\\')
                || tail.starts_with(" times faster")
                || tail.starts_with(" times slower")
            {
                Some(format!("{number}×"))
            } else {
                let word: String = tail
                    .trim_start_matches([' ', '\u{a0}'])
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                (tail.starts_with(' ') && COUNTED.contains(&word.as_str()) && number.len() > 1)
                    .then(|| format!("{number} {word}"))
            };
            if let Some(f) = found {
                out.push((i + 1, f));
            }
            k = j.max(k + 1);
        }
    }
    out
}

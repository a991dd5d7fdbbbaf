//! Measured numbers in the prose: `{{#measured name}}` in a chapter is
//! replaced, when the book is built, by a number that a test measured.
//!
//! The tests leave their records in the ledger folder (`verify!` one
//! [`Entry`] per check, `record!` one [`Measured`] value per quoted number);
//! `cargo run -p book-tools -- ledger` collects them into
//! `src/appendix/measurements.tsv`, which the book's preprocessor reads. A
//! name with no record fails the build, so a quoted number can neither be
//! typed by hand nor go missing.
//!
//! Names: a recorded value by its own name (`erratum.rbm-denominator.p`); a
//! field of a labelled equation's checks, `label:worst` (the largest worst
//! error of its records), `label:cases` (their total) or `label:tolerance`;
//! or, over every check of one method, `method.<method>:worst` and
//! `method.<method>:margin` (the smallest tolerance / worst), the method
//! named as in the ledger with dashes for spaces
//! (`method.finite-differences:margin`); and `exact-tolerance:worst`, the
//! largest error of the checks held to `EXACT_TOL`.
//!
//! Formats, after the name: `{{#measured conv.dW:worst e2}}`.
//!
//! | format | shows 0.000123456 as | use |
//! |---|---|---|
//! | (none) | three significant digits, scientific below 1e-3 | most numbers |
//! | `sN` | N significant digits | |
//! | `.N` | N decimals | |
//! | `eN` | N decimals of a power of ten, $1.23 \times 10^{-4}$ | errors |
//! | `%N` | a percentage with N decimals | accuracies |
//! | `int` | a whole number with thousands separated, 12,345 | counts |
//!
//! Scientific numbers are written as inline math (`$...$`), so a
//! placeholder stands in the prose, not inside math; inside math, add `m` to
//! the format (`e2m`) to get the math without the dollars.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use verified_dl::check::ledger::{Entry, Measured};

/// Every quotable number of a run, by name.
pub fn collect(entries: &[Entry], values: &[Measured]) -> BTreeMap<String, f64> {
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for e in entries {
        let worst = out.entry(format!("{}:worst", e.label)).or_insert(e.worst);
        *worst = worst.max(e.worst);
        let tol = out
            .entry(format!("{}:tolerance", e.label))
            .or_insert(e.tolerance);
        *tol = tol.max(e.tolerance);
        *out.entry(format!("{}:cases", e.label)).or_insert(0.0) += e.cases as f64;
    }
    // per method: the largest worst error, and the smallest margin
    // tolerance / worst over the checks with an error to speak of
    for e in entries {
        let slug: String = e
            .method
            .name()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let worst = out.entry(format!("method.{slug}:worst")).or_insert(e.worst);
        *worst = worst.max(e.worst);
        if e.worst > 0.0 && e.tolerance > 0.0 {
            let margin = out
                .entry(format!("method.{slug}:margin"))
                .or_insert(f64::INFINITY);
            *margin = margin.min(e.tolerance / e.worst);
        }
    }
    // the checks held to the exact tolerance, whatever their method
    for e in entries
        .iter()
        .filter(|e| e.tolerance == verified_dl::check::EXACT_TOL)
    {
        let worst = out
            .entry("exact-tolerance:worst".to_string())
            .or_insert(e.worst);
        *worst = worst.max(e.worst);
    }
    for v in values {
        out.insert(v.name.clone(), v.value);
    }
    out
}

/// The measurements file: one `name<TAB>value` line per number, sorted.
pub fn to_tsv(values: &BTreeMap<String, f64>) -> String {
    let mut s = String::from("# name\tvalue (written by `cargo run -p book-tools -- ledger`)\n");
    for (name, value) in values {
        let _ = writeln!(s, "{name}\t{value:e}");
    }
    s
}

/// Reads a measurements file back.
pub fn from_tsv(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (name, value) = l.split_once('\t')?;
            Some((name.to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

/// `x` with `digits` significant digits, as a plain decimal.
fn significant(x: f64, digits: usize) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    format!("{x:.decimals$}")
}

/// `x` as `mantissa \times 10^{exponent}` with `decimals` decimals.
fn scientific(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    if exponent == "0" {
        return mantissa.to_string();
    }
    format!("{mantissa} \\times 10^{{{exponent}}}")
}

/// A whole number with its thousands separated by commas.
fn grouped(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// `value` in the format `format` (see the module documentation).
pub fn format_value(value: f64, format: &str) -> Result<String, String> {
    let (format, in_math) = match format.strip_suffix('m') {
        Some(f) => (f, true),
        None => (format, false),
    };
    let math = |s: String| if in_math { s } else { format!("${s}$") };
    let number = |f: &str| -> Result<usize, String> {
        f.parse().map_err(|_| format!("bad format `{format}`"))
    };
    Ok(match format {
        "" if value != 0.0 && (value.abs() < 1e-3 || value.abs() >= 1e6) => {
            math(scientific(value, 2))
        }
        "" => significant(value, 3),
        "int" => grouped(value),
        f if f.starts_with('s') => significant(value, number(&f[1..])?),
        f if f.starts_with('.') => {
            let d = number(&f[1..])?;
            format!("{value:.d$}")
        }
        f if f.starts_with('e') => math(scientific(value, number(&f[1..])?)),
        f if f.starts_with('%') => {
            let d = number(&f[1..])?;
            format!("{:.d$}%", value * 100.0)
        }
        _ => return Err(format!("bad format `{format}`")),
    })
}

/// The markdown with every `{{#measured name [format]}}` replaced; the
/// names that have no value are an error, listed with their lines.
pub fn substitute(text: &str, values: &BTreeMap<String, f64>) -> Result<String, Vec<String>> {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#measured ") {
            out.push_str(&rest[..start]);
            let after = &rest[start + "{{#measured ".len()..];
            let Some(end) = after.find("}}") else {
                missing.push(format!("line {}: unclosed {{{{#measured", i + 1));
                rest = "";
                break;
            };
            let mut words = after[..end].split_whitespace();
            let name = words.next().unwrap_or_default();
            let format = words.next().unwrap_or_default();
            match values.get(name).map(|&v| format_value(v, format)) {
                Some(Ok(s)) => out.push_str(&s),
                Some(Err(e)) => missing.push(format!("line {}: {name}: {e}", i + 1)),
                None => missing.push(format!("line {}: no test recorded `{name}`", i + 1)),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out.push('\n');
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// [`substitute`], with a visible `(name: not measured yet)` for each name
/// that has no value, for a build that must not fail on them.
pub fn substitute_lenient(text: &str, values: &BTreeMap<String, f64>) -> String {
    let mut values = values.clone();
    for name in references(text) {
        values.entry(name).or_insert(f64::NAN);
    }
    substitute(text, &values).unwrap_or_else(|_| text.to_string())
}

/// Every name a chapter refers to with `{{#measured}}`.
pub fn references(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#measured ") {
        let after = &rest[start + "{{#measured ".len()..];
        if let Some(name) = after.split_whitespace().next() {
            out.push(name.trim_end_matches("}}").to_string());
        }
        rest = after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(
            format_value(1.0467e-10, "").unwrap(),
            "$1.05 \\times 10^{-10}$"
        );
        assert_eq!(
            format_value(1.0467e-10, "e1m").unwrap(),
            "1.0 \\times 10^{-10}"
        );
        assert_eq!(format_value(0.98883, "%2").unwrap(), "98.88%");
        assert_eq!(format_value(182668.0, "int").unwrap(), "182,668");
        assert_eq!(format_value(0.62251, "s4").unwrap(), "0.6225");
        assert_eq!(format_value(3.3351, ".3").unwrap(), "3.335");
        assert_eq!(format_value(1.13, "").unwrap(), "1.13");
        assert!(format_value(1.0, "x").is_err());
    }

    #[test]
    fn substitution_fails_on_a_missing_name() {
        let values = BTreeMap::from([("a.b".to_string(), 0.5)]);
        assert_eq!(
            substitute("p = {{#measured a.b .2}}.", &values).unwrap(),
            "p = 0.50.\n"
        );
        let err = substitute("x {{#measured nope}}", &values).unwrap_err();
        assert!(err[0].contains("nope"), "{err:?}");
    }
}

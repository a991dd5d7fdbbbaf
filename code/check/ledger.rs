//! The ledger of checked identities.
//!
//! Every test that checks a labelled equation of the book ends with the
//! [`verify!`](crate::verify) macro. The macro asserts that the measured error
//! is within the tolerance and, when the assertion holds, writes one line to
//! the ledger folder of the build (`target/tmp/ledger/`). `cargo run -p book-tools
//! -- ledger` then turns those lines into the appendix *Ledger of checked
//! identities*, so the appendix always shows the errors of the last run.

use std::fs;
use std::path::Path;

/// How an identity is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Against central finite differences.
    FiniteDifferences,
    /// By summing or minimising over every configuration.
    Exhaustive,
    /// In exact (integer or rational) arithmetic.
    ExactArithmetic,
    /// Two floating-point computations of the same quantity, no approximation.
    FloatingPoint,
    /// By numerical quadrature.
    Quadrature,
    /// By sampling, against a statistical tolerance.
    Sampling,
    /// A property that holds or fails (a count, an order, an inequality).
    Property,
    /// Against an independent double-double (about 32 digits) reference; the
    /// error is counted in units of the last place of the reference.
    Reference,
}

impl Method {
    /// Every method, in the order the ledger documents them.
    pub const ALL: [Method; 8] = [
        Method::FiniteDifferences,
        Method::Exhaustive,
        Method::ExactArithmetic,
        Method::FloatingPoint,
        Method::Quadrature,
        Method::Sampling,
        Method::Property,
        Method::Reference,
    ];

    /// The method whose [`name`](Method::name) is `name`.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The name printed in the ledger.
    pub fn name(self) -> &'static str {
        match self {
            Method::FiniteDifferences => "finite differences",
            Method::Exhaustive => "exhaustive enumeration",
            Method::ExactArithmetic => "exact arithmetic",
            Method::FloatingPoint => "two computations in f64",
            Method::Quadrature => "quadrature",
            Method::Sampling => "sampling",
            Method::Property => "property",
            Method::Reference => "ulps from a double-double reference",
        }
    }
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The equation's label, as in its `\tag{...}`.
    pub label: String,
    /// The test that checked it.
    pub test: String,
    /// How it was checked.
    pub method: Method,
    /// The tolerance the measured error had to stay within.
    pub tolerance: f64,
    /// The worst error measured.
    pub worst: f64,
    /// How many cases were checked.
    pub cases: usize,
}

impl Entry {
    /// The entry as one tab-separated line.
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{}\t{:e}\t{:e}\t{}",
            self.label,
            self.test,
            self.method.name(),
            self.tolerance,
            self.worst,
            self.cases
        )
    }

    /// Reads back a line written by [`to_line`](Entry::to_line); `None` if it
    /// is not one.
    pub fn from_line(line: &str) -> Option<Entry> {
        let cols: Vec<&str> = line.split('\t').collect();
        let [label, test, method, tolerance, worst, cases] = cols[..] else {
            return None;
        };
        Some(Entry {
            label: label.to_string(),
            test: test.to_string(),
            method: Method::from_name(method)?,
            tolerance: tolerance.parse().ok()?,
            worst: worst.parse().ok()?,
            cases: cases.parse().ok()?,
        })
    }
}

/// The name of the running test: libtest names each test's thread after it.
pub fn test_name(module: &str) -> String {
    match std::thread::current().name() {
        Some(name) if name != "main" => name.to_string(),
        _ => module.to_string(),
    }
}

/// Writes `entry` to `<dir>/ledger/<label>@<test>.tsv` (one file an entry, so
/// tests running in parallel never write the same file).
pub fn record(dir: &str, entry: &Entry) {
    let file = format!("{}@{}.tsv", entry.label, entry.test.replace("::", "."));
    write_record(dir, &file, &entry.to_line());
}

/// Writes one record line to `<dir>/ledger/<file>`.
fn write_record(dir: &str, file: &str, line: &str) {
    let folder = Path::new(dir).join("ledger");
    if fs::create_dir_all(&folder).is_err() {
        return; // the ledger is a report; a read-only target must not fail a check
    }
    let _ = fs::write(folder.join(file), format!("{line}\n"));
}

/// Asserts that a measured error is within its tolerance and records it in the ledger.
///
/// `verify!(label, method, tolerance, worst, cases)`: `label` is the equation's
/// tag, `worst` the largest error measured over `cases` cases. Use it in
/// integration tests (it reads `CARGO_TARGET_TMPDIR`, which cargo sets for them).
#[macro_export]
macro_rules! verify {
    ($label:expr, $method:expr, $tol:expr, $worst:expr, $cases:expr) => {{
        let label: &str = $label;
        let tolerance: f64 = $tol;
        let worst: f64 = $worst;
        let cases: usize = $cases;
        assert!(cases > 0, "({label}) no cases were checked");
        assert!(
            worst <= tolerance,
            "({label}) worst error {worst:e} exceeds the tolerance {tolerance:e} over {cases} cases"
        );
        $crate::check::ledger::record(
            env!("CARGO_TARGET_TMPDIR"),
            &$crate::check::ledger::Entry {
                label: label.to_string(),
                test: $crate::check::ledger::test_name(module_path!()),
                method: $method,
                tolerance,
                worst,
                cases,
            },
        );
    }};
}

/// A number a test measured that the book quotes in its prose, under a name
/// (`erratum.rbm-denominator.p`). The prose shows it with
/// `{{#measured name}}`, so a quoted number is always the last run's.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The name the prose refers to it by.
    pub name: String,
    /// The value.
    pub value: f64,
    /// The test that measured it.
    pub test: String,
}

impl Measured {
    /// The first column of a measured value's line; an [`Entry`]'s line has
    /// six columns, a measured value's four, so the two never mix.
    pub const TAG: &'static str = "measured";

    /// The value as one tab-separated line (`{:e}` keeps every digit).
    pub fn to_line(&self) -> String {
        format!(
            "{}\t{}\t{:e}\t{}",
            Self::TAG,
            self.name,
            self.value,
            self.test
        )
    }

    /// Reads back a line written by [`to_line`](Measured::to_line).
    pub fn from_line(line: &str) -> Option<Measured> {
        let cols: Vec<&str> = line.split('\t').collect();
        let [tag, name, value, test] = cols[..] else {
            return None;
        };
        (tag == Self::TAG).then_some(())?;
        Some(Measured {
            name: name.to_string(),
            value: value.parse().ok()?,
            test: test.to_string(),
        })
    }
}

/// Writes `m` to `<dir>/ledger/=<name>@<test>.tsv`.
pub fn record_measured(dir: &str, m: &Measured) {
    let file = format!("={}@{}.tsv", m.name, m.test.replace("::", "."));
    write_record(dir, &file, &m.to_line());
}

/// Records a number the book quotes: `record!(name, value)`, in an
/// integration test, after the assertions that make the number true. The
/// prose refers to it as `{{#measured name}}`.
#[macro_export]
macro_rules! record {
    ($name:expr, $value:expr) => {{
        let value: f64 = $value;
        $crate::check::ledger::record_measured(
            env!("CARGO_TARGET_TMPDIR"),
            &$crate::check::ledger::Measured {
                name: ($name).to_string(),
                value,
                test: $crate::check::ledger::test_name(module_path!()),
            },
        );
    }};
}

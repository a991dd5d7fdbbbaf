//! The library of the `checks` package: the helpers that every chapter's test
//! binary (`tests/<chapter>/main.rs`) shares, compiled once and re-exported
//! by each binary's `main.rs`.

#![forbid(unsafe_code)]

/// The number of cases of a property test: `n`, times the factor in the
/// environment variable `PROPTEST_SCALE` (a long run: `PROPTEST_SCALE=20
/// cargo test --test <chapter> props`), 1 when it is unset.
pub fn scaled(n: u32) -> u32 {
    let factor = std::env::var("PROPTEST_SCALE")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1);
    n.saturating_mul(factor)
}

/// The comparisons of a check that fail: their number is what the check
/// measures (its `worst` in the ledger, so that `verify!` is what fails), and
/// the first is kept to be shown when there is one.
#[derive(Debug, Default)]
pub struct Misses {
    count: usize,
    first: Option<String>,
}

impl Misses {
    /// Counts a miss unless `holds`; `what` says which case it is.
    pub fn holds(&mut self, holds: bool, what: impl FnOnce() -> String) {
        if !holds {
            self.count += 1;
            self.first.get_or_insert_with(what);
        }
    }

    /// Counts a miss unless `got == want`; `what` says which case it is.
    pub fn compare<T: PartialEq + std::fmt::Debug>(
        &mut self,
        got: T,
        want: T,
        what: impl FnOnce() -> String,
    ) {
        if got != want {
            self.holds(false, || format!("{}: {got:?}, not {want:?}", what()));
        }
    }

    /// The number of misses, as the measured worst of `label`, after printing
    /// the first of them if there is one.
    pub fn worst(&self, label: &str) -> f64 {
        if let Some(first) = &self.first {
            eprintln!(
                "({label}) {} comparisons fail, the first {first}",
                self.count
            );
        }
        self.count as f64
    }
}

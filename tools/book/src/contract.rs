//! A listing's contract: `expect.toml` beside its source, and the checks of its output.

use regex::Regex;
use serde::Deserialize;
use std::path::Path;

/// What kind of listing this is, and so how the harness checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Compiled and run; exits with `exit` (default 0).
    Run,
    /// Compiled and run; panics with the message `panic`.
    ShouldPanic,
    /// Rejected by rustc with exactly the error codes / lint names in `errors`.
    CompileFail,
    /// Compiled and run; still running and blocked after `bound_ms`, then killed.
    Hangs,
    /// C++: compiled with g++ and `flags`, run, exits with `exit`.
    Cpp,
}

impl Kind {
    /// The fence a chapter must give this listing, e.g. `rust,no_run` for a hanging one.
    pub fn fence_hint(self) -> &'static str {
        match self {
            Kind::Run => "```rust",
            Kind::ShouldPanic => "```rust,should_panic",
            Kind::CompileFail => "```rust,compile_fail,E….",
            Kind::Hangs => "```rust,no_run",
            Kind::Cpp => "```cpp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// stdout equals output.txt byte for byte.
    Exact,
    /// stdout has the same lines as output.txt, in any order.
    Unordered,
    /// every stdout line fully matches one of `patterns`.
    Patterns,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdoutContract {
    #[serde(rename = "match")]
    pub mode: Match,
    #[serde(default)]
    pub patterns: Vec<String>,
    /// The exact number of lines.
    pub lines: Option<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StderrContract {
    #[serde(default)]
    pub contains: Vec<String>,
}

/// The contents of `expect.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub kind: Kind,
    pub runs: Option<u32>,
    pub exit: Option<i32>,
    pub panic: Option<String>,
    pub errors: Option<Vec<String>>,
    pub bound_ms: Option<u64>,
    pub timeout_ms: Option<u64>,
    pub flags: Option<Vec<String>>,
    /// Also a benchmark: `cargo xtask bench` builds it with optimisations and reports what it
    /// prints. The test only checks the format of what it prints, never its figures.
    pub bench: Option<bool>,
    pub stdout: Option<StdoutContract>,
    pub stderr: Option<StderrContract>,
}

/// The default bound on one run of a listing that should finish.
pub const DEFAULT_TIMEOUT_MS: u64 = 20_000;

impl Expect {
    /// Reads and validates `dir/expect.toml`.
    pub fn load(dir: &Path) -> Result<Expect, String> {
        let path = dir.join("expect.toml");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let expect: Expect =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        expect.validate().map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(expect)
    }

    fn validate(&self) -> Result<(), String> {
        let k = self.kind;
        let only = |present: bool, key: &str, kinds: &[Kind]| {
            if present && !kinds.contains(&k) {
                Err(format!("`{key}` does not apply to kind = \"{}\"", kind_name(k)))
            } else {
                Ok(())
            }
        };
        only(self.panic.is_some(), "panic", &[Kind::ShouldPanic])?;
        only(self.errors.is_some(), "errors", &[Kind::CompileFail])?;
        only(self.bound_ms.is_some(), "bound_ms", &[Kind::Hangs])?;
        only(self.flags.is_some(), "flags", &[Kind::Cpp])?;
        only(self.exit.is_some(), "exit", &[Kind::Run, Kind::Cpp])?;
        only(self.bench.is_some(), "bench", &[Kind::Run])?;
        only(self.stdout.is_some() || self.runs.is_some(), "stdout/runs", &[
            Kind::Run,
            Kind::ShouldPanic,
            Kind::Hangs,
            Kind::Cpp,
        ])?;
        match k {
            Kind::ShouldPanic if self.panic.as_deref().unwrap_or("").is_empty() => {
                return Err("kind = \"should_panic\" needs `panic = \"<message>\"`".into());
            }
            Kind::CompileFail if self.errors.as_ref().is_none_or(|e| e.is_empty()) => {
                return Err("kind = \"compile_fail\" needs `errors = [\"E….\"]` (codes or lint names)".into());
            }
            Kind::Hangs if self.bound_ms.is_none() => {
                return Err("kind = \"hangs\" needs `bound_ms`".into());
            }
            Kind::Cpp if self.flags.is_none() => {
                return Err("kind = \"cpp\" needs `flags = [\"-std=c++20\", \"-pthread\", …]`".into());
            }
            _ => {}
        }
        if self.runs == Some(0) {
            return Err("`runs` must be at least 1".into());
        }
        if let Some(out) = &self.stdout {
            if out.mode == Match::Patterns && out.patterns.is_empty() {
                return Err("[stdout] match = \"patterns\" needs `patterns = [...]`".into());
            }
            if out.mode != Match::Patterns && !out.patterns.is_empty() {
                return Err("[stdout] `patterns` only applies to match = \"patterns\"".into());
            }
            for p in &out.patterns {
                Regex::new(p).map_err(|e| format!("[stdout] pattern {p:?} is not a regex: {e}"))?;
            }
        }
        Ok(())
    }

    /// How many times to run it: race-dependent output is sampled several times.
    pub fn runs(&self) -> u32 {
        self.runs.unwrap_or(match &self.stdout {
            Some(s) if s.mode == Match::Exact => 1,
            _ if self.kind == Kind::Hangs => 1,
            _ => 5,
        })
    }

    pub fn needs_sample(&self) -> bool {
        matches!(&self.stdout, Some(s) if s.mode != Match::Patterns)
    }
}

pub fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Run => "run",
        Kind::ShouldPanic => "should_panic",
        Kind::CompileFail => "compile_fail",
        Kind::Hangs => "hangs",
        Kind::Cpp => "cpp",
    }
}

/// Checks `actual` stdout against the contract. `sample` is output.txt, when the listing has one.
pub fn check_stdout(c: &StdoutContract, sample: Option<&str>, actual: &str) -> Result<(), String> {
    match c.mode {
        Match::Exact => {
            let sample = sample.ok_or("match = \"exact\" needs an output.txt")?;
            if sample != actual {
                return Err(format!(
                    "stdout differs from output.txt\n--- output.txt\n{sample}\n--- actual stdout\n{actual}\n---"
                ));
            }
        }
        Match::Unordered => {
            let sample = sample.ok_or("match = \"unordered\" needs an output.txt")?;
            let mut want: Vec<&str> = sample.lines().collect();
            let mut got: Vec<&str> = actual.lines().collect();
            want.sort_unstable();
            got.sort_unstable();
            if want != got {
                return Err(format!(
                    "stdout does not have the lines of output.txt (in any order)\n--- output.txt\n{sample}\n--- actual stdout\n{actual}\n---"
                ));
            }
        }
        Match::Patterns => {
            let regexes: Vec<Regex> = c
                .patterns
                .iter()
                .map(|p| Regex::new(&format!("^(?:{p})$")).expect("validated"))
                .collect();
            for (i, line) in actual.lines().enumerate() {
                if !regexes.iter().any(|r| r.is_match(line)) {
                    return Err(format!(
                        "stdout line {} matches none of the patterns {:?}: {line:?}\n--- stdout\n{actual}\n---",
                        i + 1,
                        c.patterns
                    ));
                }
            }
        }
    }
    if let Some(n) = c.lines {
        let got = actual.lines().count();
        if got != n {
            return Err(format!("expected {n} lines of stdout, got {got}\n--- stdout\n{actual}\n---"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(mode: Match, patterns: &[&str], lines: Option<usize>) -> StdoutContract {
        StdoutContract { mode, patterns: patterns.iter().map(|s| s.to_string()).collect(), lines }
    }

    #[test]
    fn exact_and_unordered() {
        let exact = contract(Match::Exact, &[], None);
        assert!(check_stdout(&exact, Some("a\nb\n"), "a\nb\n").is_ok());
        assert!(check_stdout(&exact, Some("a\nb\n"), "b\na\n").is_err());
        let unordered = contract(Match::Unordered, &[], None);
        assert!(check_stdout(&unordered, Some("a\nb\n"), "b\na\n").is_ok());
        assert!(check_stdout(&unordered, Some("a\nb\n"), "a\na\n").is_err());
    }

    #[test]
    fn patterns_are_anchored_and_counted() {
        let c = contract(Match::Patterns, &[r"thread \d done"], Some(2));
        assert!(check_stdout(&c, None, "thread 1 done\nthread 2 done\n").is_ok());
        assert!(check_stdout(&c, None, "thread 1 done!\nthread 2 done\n").is_err());
        assert!(check_stdout(&c, None, "thread 1 done\n").is_err());
    }
}

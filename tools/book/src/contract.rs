//! A listing's contract: `expect.toml` beside its source, and the checks of its output.
//!
//! A contract has three orthogonal axes:
//!
//! - what the program must do: [`Expectation`] (`expect = "run" | "panic" | "compile_fail" |
//!   "hang" | "compile_only"`), with `mode = "test"` for a program that is a set of `#[test]`s;
//! - which language it is in: [`Language`], from the source file's name (`main.rs`, `main.cpp`,
//!   `main.py`), never written in the contract;
//! - which extra tools check it: [`Tool`] (`tools = ["tsan"]`, `["loom"]`, …).
//!
//! What each language can do and what each tool adds are two tables, [`LANGUAGES`] and
//! [`TOOLS`]: "C++ under ASan", "Rust checked by loom" or "a Python program that deadlocks" are
//! rows and columns of those tables, not code written for each pair.

use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The axes

/// What the program must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// Compiled and run; exits with `exit` (default 0) within its budget.
    Run,
    /// Compiled and run; panics (an uncaught exception, for C++ and Python) with `panic`.
    Panic,
    /// Rejected by the compiler: exactly the error codes or lint names of `errors` (Rust), or a
    /// message matching each of `errors` (C++).
    CompileFail,
    /// Compiled and run; still running, every thread blocked, after `bound_ms`; then killed.
    Hang,
    /// Compiled, never run (`why` says why not), e.g. a server that waits for connections.
    CompileOnly,
}

impl Expectation {
    pub const ALL: [Expectation; 5] =
        [Expectation::Run, Expectation::Panic, Expectation::CompileFail, Expectation::Hang, Expectation::CompileOnly];

    pub fn name(self) -> &'static str {
        match self {
            Expectation::Run => "run",
            Expectation::Panic => "panic",
            Expectation::CompileFail => "compile_fail",
            Expectation::Hang => "hang",
            Expectation::CompileOnly => "compile_only",
        }
    }

    /// Whether the harness runs the program.
    pub fn runs(self) -> bool {
        matches!(self, Expectation::Run | Expectation::Panic | Expectation::Hang)
    }
}

/// How a Rust program is built: as a program (`fn main`), or in cargo's test mode (`--test`:
/// its `#[test]`s run; `rust,test_harness` in the chapter's fence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    Bin,
    Test,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Bin => "bin",
            Mode::Test => "test",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Rust,
    Cpp,
    Python,
}

impl Language {
    /// The language of a listing's source file, from its name.
    pub fn of(source: &Path) -> Option<Language> {
        let name = source.file_name()?.to_str()?;
        LANGUAGES.iter().find(|l| l.file == name).map(|l| l.language)
    }

    pub fn spec(self) -> &'static LanguageSpec {
        LANGUAGES.iter().find(|l| l.language == self).expect("every language has a row")
    }
}

/// An extra tool that checks a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// ThreadSanitizer (C++): the program's runs are instrumented.
    Tsan,
    /// AddressSanitizer (C++), stack-use-after-return included.
    Asan,
    /// loom (Rust, test mode): the `#[test]`s are built again with `--cfg loom` against the
    /// loom crate of listings/deps, which explores their interleavings.
    Loom,
    /// Miri (Rust, nightly): the program is interpreted and undefined behaviour reported. Skipped,
    /// and said so, when `cargo +nightly miri` is not installed.
    Miri,
    /// A benchmark: built with optimisations where the language has such a build (Rust);
    /// `cargo xtask bench` runs it at its full size ([`BENCH_ENV`]) and reports its figures.
    Bench,
}

impl Tool {
    pub fn spec(self) -> &'static ToolSpec {
        TOOLS.iter().find(|t| t.tool == self).expect("every tool has a row")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

// ---------------------------------------------------------------------------------------------
// The tables

/// How a process ended: an exit status, or a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(i32),
    Signal(i32),
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "exit status {c}"),
            Status::Signal(s) => write!(f, "killed by signal {s}"),
        }
    }
}

/// How a run shows an event (a panic, a sanitizer's report): its status, and a marker in its
/// output that the message follows.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// `None`: the status is not part of the signature (a failing loom model's status is the
    /// test harness's).
    pub status: Option<Status>,
    pub marker: &'static str,
}

/// One row of the language table.
#[derive(Debug)]
pub struct LanguageSpec {
    pub language: Language,
    pub name: &'static str,
    /// The source file of a listing in this language.
    pub file: &'static str,
    /// The first token of the chapter's fence, and other spellings accepted for it.
    pub fence: &'static str,
    pub fence_aliases: &'static [&'static str],
    /// The mdbook directive that shows the source (rustdoc_include hides Rust's `# ` lines).
    pub include: &'static str,
    pub expectations: &'static [Expectation],
    pub modes: &'static [Mode],
    /// Whether `edition` applies (Rust).
    pub editions: bool,
    /// The compiler flags used when expect.toml gives no `flags` (`None`: `flags` do not apply).
    pub default_flags: Option<&'static [&'static str]>,
    /// An uncaught panic or exception.
    pub panic: Signature,
    /// What `errors` of a compile-fail listing are.
    pub errors_are: &'static str,
    /// Whether a tool's compiler flags make another program (`-C opt-level=3`: the bench tool's
    /// release build). Python runs its source as it is: its benchmark build is its own build.
    pub optimises: bool,
}

pub const LANGUAGES: &[LanguageSpec] = &[
    LanguageSpec {
        language: Language::Rust,
        name: "Rust",
        file: "main.rs",
        fence: "rust",
        fence_aliases: &[],
        include: "rustdoc_include",
        expectations: &Expectation::ALL,
        modes: &[Mode::Bin, Mode::Test],
        editions: true,
        default_flags: None,
        panic: Signature { status: Some(Status::Code(101)), marker: "panicked at" },
        errors_are: "exactly the error codes (E0499) or lint names (let_underscore_lock) rustc reports",
        optimises: true,
    },
    LanguageSpec {
        language: Language::Cpp,
        name: "C++",
        file: "main.cpp",
        fence: "cpp",
        fence_aliases: &["c++"],
        include: "include",
        expectations: &Expectation::ALL,
        modes: &[Mode::Bin],
        editions: false,
        default_flags: Some(&["-std=c++20", "-pthread"]),
        panic: Signature { status: Some(Status::Signal(6)), marker: "terminate called" },
        errors_are: "regexes that g++'s message must each match",
        optimises: true,
    },
    LanguageSpec {
        language: Language::Python,
        name: "Python",
        file: "main.py",
        fence: "python",
        fence_aliases: &["py", "python3"],
        include: "include",
        // No compile step that could reject a program for its meaning: only its syntax is
        // checked before it runs.
        expectations: &[Expectation::Run, Expectation::Panic, Expectation::Hang, Expectation::CompileOnly],
        modes: &[Mode::Bin],
        editions: false,
        default_flags: None,
        panic: Signature { status: Some(Status::Code(1)), marker: "Traceback (most recent call last):" },
        errors_are: "",
        optimises: false,
    },
];

/// Whether a tool changes how the listing's own runs are built (a sanitizer) or is a check of
/// its own with its own build and run (loom, Miri, a release build).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Instrument,
    Check,
}

/// One row of the tool table.
#[derive(Debug)]
pub struct ToolSpec {
    pub tool: Tool,
    /// As written in `tools = [...]`.
    pub name: &'static str,
    /// What to call it in messages.
    pub title: &'static str,
    pub languages: &'static [Language],
    pub expectations: &'static [Expectation],
    pub role: Role,
    /// The mode the listing must have (loom models are `#[test]`s).
    pub needs_mode: Option<Mode>,
    /// Compiler arguments the tool adds.
    pub flags: &'static [&'static str],
    /// Environment of the tool's runs.
    pub env: &'static [(&'static str, &'static str)],
    /// How the tool reports a finding; `reports = { tool = "…" }` says it must report one (the
    /// marker followed by that text), and without it the runs must show no report.
    pub report: Option<Signature>,
    /// The budget of a run under the tool, as a multiple of the listing's budget (sanitizers
    /// slow programs down), or a fixed bound in ms (Miri also builds in its run).
    pub budget: ToolBudget,
    /// A stderr message after which the run is retried without address-space randomisation.
    pub retry_without_aslr: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub enum ToolBudget {
    Times(u64),
    FixedMs(u64),
}

pub const TOOLS: &[ToolSpec] = &[
    ToolSpec {
        tool: Tool::Tsan,
        name: "tsan",
        title: "ThreadSanitizer",
        languages: &[Language::Cpp],
        expectations: &[Expectation::Run, Expectation::Panic, Expectation::Hang, Expectation::CompileOnly],
        role: Role::Instrument,
        needs_mode: None,
        flags: &["-fsanitize=thread", "-g", "-O1"],
        env: &[],
        // TSan goes on after a report and exits with 66 at the end.
        report: Some(Signature { status: Some(Status::Code(66)), marker: "WARNING: ThreadSanitizer: " }),
        // TSan's documented slowdown is 5x-15x.
        budget: ToolBudget::Times(10),
        // Older TSan runtimes cannot cope with high ASLR entropy.
        retry_without_aslr: Some("ThreadSanitizer: unexpected memory mapping"),
    },
    ToolSpec {
        tool: Tool::Asan,
        name: "asan",
        title: "AddressSanitizer",
        languages: &[Language::Cpp],
        expectations: &[Expectation::Run, Expectation::Panic, Expectation::Hang, Expectation::CompileOnly],
        role: Role::Instrument,
        needs_mode: None,
        flags: &["-fsanitize=address", "-fno-omit-frame-pointer", "-g", "-O1"],
        // A returned function's frame stays poisoned only with this (off by default in GCC's
        // runtime), so that stack-use-after-return is reported.
        env: &[("ASAN_OPTIONS", "detect_stack_use_after_return=1")],
        // ASan stops at the first report and exits with 1.
        report: Some(Signature { status: Some(Status::Code(1)), marker: "ERROR: AddressSanitizer: " }),
        budget: ToolBudget::Times(3),
        retry_without_aslr: None,
    },
    ToolSpec {
        tool: Tool::Loom,
        name: "loom",
        title: "loom",
        languages: &[Language::Rust],
        expectations: &[Expectation::Run],
        role: Role::Check,
        needs_mode: Some(Mode::Test),
        flags: &["--cfg", "loom"],
        // loom's own advice for CI: bound the preemptions explored.
        env: &[("LOOM_MAX_PREEMPTIONS", "3")],
        // A model that finds a bug panics in its #[test]; the test harness fails.
        report: Some(Signature { status: Some(Status::Code(101)), marker: "" }),
        budget: ToolBudget::Times(1),
        retry_without_aslr: None,
    },
    ToolSpec {
        tool: Tool::Miri,
        name: "miri",
        title: "Miri",
        languages: &[Language::Rust],
        expectations: &[Expectation::Run, Expectation::Panic],
        role: Role::Check,
        needs_mode: None,
        flags: &[],
        env: &[("MIRIFLAGS", "-Zmiri-strict-provenance")],
        report: Some(Signature { status: Some(Status::Code(1)), marker: "Undefined Behavior: " }),
        budget: ToolBudget::FixedMs(180_000),
        retry_without_aslr: None,
    },
    ToolSpec {
        tool: Tool::Bench,
        name: "bench",
        title: "the release build (benchmark)",
        languages: &[Language::Rust, Language::Python],
        expectations: &[Expectation::Run],
        role: Role::Check,
        needs_mode: Some(Mode::Bin),
        flags: &["-C", "opt-level=3"],
        env: &[],
        report: None,
        budget: ToolBudget::Times(1),
        retry_without_aslr: None,
    },
];

/// The environment of `cargo xtask bench`'s runs, and of no test run: a benchmark may read it
/// to pick its full size, so that the test suite runs the same program small and fast.
pub const BENCH_ENV: (&str, &str) = ("BOOK_BENCH", "1");

// ---------------------------------------------------------------------------------------------
// expect.toml

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Match {
    /// stdout equals output.txt byte for byte.
    Exact,
    /// stdout has the lines of output.txt, in any order `order` and `barriers` allow.
    Unordered,
    /// every stdout line fully matches one of `patterns`.
    Patterns,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdoutContract {
    #[serde(rename = "match")]
    pub mode: Match,
    /// `patterns`: every line fully matches one of them.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// The exact number of lines.
    pub lines: Option<usize>,
    /// `unordered`: lines that one of these matches keep output.txt's order among themselves
    /// when they have the same key: the capture group `key` (or the first group; without a
    /// group, every line it matches has the same key). One thread's or producer's lines.
    #[serde(default)]
    pub order: Vec<String>,
    /// `unordered`: a line that one of these matches keeps its place relative to every other
    /// line: the line printed after a join or a barrier.
    #[serde(default)]
    pub barriers: Vec<String>,
    /// How many lines each pattern fully matches.
    #[serde(default)]
    pub counts: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StderrContract {
    /// Texts stderr contains.
    #[serde(default)]
    pub contains: Vec<String>,
    /// Regexes found in stderr (multi-line: `^` and `$` match at line ends; `\n` spans lines).
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// The contents of `expect.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub expect: Expectation,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub tools: Vec<Tool>,
    /// Rust: the edition (default: book.toml's `[rust] edition`); the fence must name it when
    /// it differs from the book's.
    pub edition: Option<String>,
    pub runs: Option<u32>,
    pub exit: Option<i32>,
    /// run: the process is killed by this signal (6 for an abort, 11 for a segfault) instead of
    /// exiting.
    pub signal: Option<i32>,
    pub panic: Option<String>,
    pub errors: Option<Vec<String>>,
    pub bound_ms: Option<u64>,
    /// The bound on one run of a program that should finish (default [`DEFAULT_BUDGET_MS`]);
    /// raising it needs a `why`.
    pub budget_ms: Option<u64>,
    pub why: Option<String>,
    /// C++: the compiler flags (default `-std=c++20 -pthread`); tools add theirs.
    pub flags: Option<Vec<String>>,
    /// What a tool must report: `reports = { tsan = "data race" }`.
    #[serde(default)]
    pub reports: BTreeMap<String, String>,
    pub stdout: Option<StdoutContract>,
    pub stderr: Option<StderrContract>,
    /// A benchmark's plot: how its samples' table becomes series (see `plot`).
    pub plot: Option<crate::plot::PlotSpec>,
}

/// The default bound on one run of a listing that should finish: CONTRIBUTING promises that
/// runnable listings finish in well under a second.
pub const DEFAULT_BUDGET_MS: u64 = 2_000;

pub const EDITIONS: &[&str] = &["2015", "2018", "2021", "2024"];

impl Expect {
    /// Reads and validates `dir/expect.toml` (everything that does not depend on the language).
    pub fn load(dir: &Path) -> Result<Expect, String> {
        let path = dir.join("expect.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        Expect::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Expect, String> {
        if let Ok(table) = toml::from_str::<toml::Table>(text) {
            if let Some(kind) = table.get("kind").and_then(|k| k.as_str()) {
                return Err(format!(
                    "`kind = \"{kind}\"` is the old format: write `expect = \"{}\"`{} (see CONTRIBUTING.md, \"The contract\")",
                    match kind {
                        "should_panic" => "panic",
                        "hangs" => "hang",
                        "cpp" => "run",
                        k => k,
                    },
                    if kind == "cpp" { "; the language comes from main.cpp, sanitizers go in `tools`" } else { "" }
                ));
            }
        }
        if let Ok(table) = toml::from_str::<toml::Table>(text) {
            let old = [
                ("bench", "`bench = true` is now `tools = [\"bench\"]`"),
                ("timeout_ms", "`timeout_ms` is now `budget_ms` (default 2000 ms; raising it needs a `why`)"),
            ];
            if let Some((_, hint)) = old.iter().find(|(k, _)| table.contains_key(*k)) {
                return Err(format!("{hint} (see CONTRIBUTING.md, \"The contract\")"));
            }
            let flags = table.get("flags").and_then(|f| f.as_array()).into_iter().flatten();
            if let Some(f) = flags.filter_map(|f| f.as_str()).find(|f| f.starts_with("-fsanitize")) {
                return Err(format!("flags: {f:?}: a sanitizer is a tool, `tools = [\"tsan\"]` or `[\"asan\"]`, which adds its own flags"));
            }
        }
        let expect: Expect = toml::from_str(text).map_err(|e| e.to_string())?;
        expect.validate()?;
        Ok(expect)
    }

    fn validate(&self) -> Result<(), String> {
        let e = self.expect;
        let only = |present: bool, key: &str, allowed: &[Expectation]| {
            if present && !allowed.contains(&e) {
                let names: Vec<String> = allowed.iter().map(|a| format!("\"{}\"", a.name())).collect();
                Err(format!("`{key}` does not apply to expect = \"{}\" (only to {})", e.name(), names.join(", ")))
            } else {
                Ok(())
            }
        };
        use Expectation::*;
        only(self.panic.is_some(), "panic", &[Panic])?;
        only(self.errors.is_some(), "errors", &[CompileFail])?;
        only(self.bound_ms.is_some(), "bound_ms", &[Hang])?;
        only(self.exit.is_some(), "exit", &[Run])?;
        only(self.signal.is_some(), "signal", &[Run])?;
        if self.exit.is_some() && self.signal.is_some() {
            return Err("`exit` and `signal`: a process either exits with a status or is killed by a signal; keep one".into());
        }
        only(self.budget_ms.is_some(), "budget_ms", &[Run, Panic])?;
        only(self.stdout.is_some(), "[stdout]", &[Run, Panic, Hang])?;
        only(self.stderr.is_some(), "[stderr]", &[Run, Panic, Hang])?;
        only(self.runs.is_some(), "runs", &[Run, Panic, Hang])?;
        match e {
            Panic if self.panic.as_deref().unwrap_or("").is_empty() => {
                return Err("expect = \"panic\" needs `panic = \"<message>\"`".into());
            }
            CompileFail if self.errors.as_ref().is_none_or(|e| e.is_empty()) => {
                return Err("expect = \"compile_fail\" needs `errors = [\"E….\"]` (codes or lint names; for C++, regexes of g++'s message)".into());
            }
            Hang if self.bound_ms.is_none() => return Err("expect = \"hang\" needs `bound_ms`".into()),
            _ => {}
        }
        if self.runs == Some(0) {
            return Err("`runs` must be at least 1".into());
        }
        if let Some(ed) = &self.edition {
            if !EDITIONS.contains(&ed.as_str()) {
                return Err(format!("edition = {ed:?} is not an edition ({})", EDITIONS.join(", ")));
            }
        }
        // `why` explains what the harness cannot see: a raised budget, a program never run.
        let raised = |v: Option<u64>| v.is_some_and(|ms| ms > DEFAULT_BUDGET_MS);
        let needs_why = raised(self.budget_ms) || raised(self.bound_ms) || e == CompileOnly;
        match (&self.why, needs_why) {
            (None, true) if e == CompileOnly => {
                return Err("expect = \"compile_only\" needs `why = \"…\"`: why the program is never run".into());
            }
            (None, true) => {
                return Err(format!(
                    "a budget above the default {DEFAULT_BUDGET_MS} ms (`{}`) needs `why = \"…\"`: runnable listings \
                     finish in well under a second, so say why this one may not",
                    if raised(self.budget_ms) { "budget_ms" } else { "bound_ms" }
                ));
            }
            (Some(w), true) if w.trim().is_empty() => return Err("`why` is empty".into()),
            (Some(_), false) => {
                return Err(format!(
                    "`why` explains a budget above {DEFAULT_BUDGET_MS} ms or a compile_only listing, and this contract \
                     has neither; write other remarks as # comments"
                ));
            }
            _ => {}
        }
        let mut seen = Vec::new();
        for t in &self.tools {
            if seen.contains(t) {
                return Err(format!("tools names {:?} twice", t.name()));
            }
            seen.push(*t);
        }
        for (tool, what) in &self.reports {
            let Some(t) = TOOLS.iter().find(|t| t.name == tool) else {
                return Err(format!("reports: {tool:?} is not a tool ({})", tool_names()));
            };
            if !self.tools.contains(&t.tool) {
                return Err(format!("reports names {tool:?}, which is not in `tools`"));
            }
            if t.report.is_none() {
                return Err(format!("reports: {} reports nothing; it checks the stdout contract", t.title));
            }
            if what.trim().is_empty() {
                return Err(format!("reports.{tool} is empty: write what {} must report", t.title));
            }
        }
        if let Some(plot) = &self.plot {
            if !self.tools.contains(&Tool::Bench) {
                return Err("[plot] draws a benchmark's figures, and only `cargo xtask bench` writes them: it needs tools = [\"bench\"]".into());
            }
            plot.validate()?;
        }
        let instruments: Vec<&str> = self.tools.iter().map(|t| t.spec()).filter(|t| t.role == Role::Instrument).map(|t| t.name).collect();
        if instruments.len() > 1 {
            return Err(format!("tools {instruments:?}: a program is built with one sanitizer at a time (g++ rejects -fsanitize=thread with address)"));
        }
        if let Some(t) = self.instrument() {
            if self.reports.contains_key(t.name) && e != Run && e != Hang {
                return Err(format!("reports.{}: a run that must report exits with {}'s status, so expect = \"run\" (or \"hang\")", t.name, t.title));
            }
            if self.reports.contains_key(t.name) && self.exit.is_some() {
                let status = t.report.and_then(|r| r.status).map(|s| s.to_string()).unwrap_or_default();
                return Err(format!("`exit`: a run where {} reports ends with its status ({status}); remove `exit`", t.title));
            }
        }
        if let Some(out) = &self.stdout {
            if out.mode == Match::Patterns && out.patterns.is_empty() {
                return Err("[stdout] match = \"patterns\" needs `patterns = [...]`".into());
            }
            if out.mode != Match::Patterns && !out.patterns.is_empty() {
                return Err("[stdout] `patterns` only applies to match = \"patterns\"".into());
            }
            if out.mode != Match::Unordered && !(out.order.is_empty() && out.barriers.is_empty()) {
                return Err("[stdout] `order` and `barriers` only apply to match = \"unordered\" (exact keeps every line's place; patterns has no sample order)".into());
            }
            for p in out.patterns.iter().chain(&out.order).chain(&out.barriers).chain(out.counts.keys()) {
                line_regex(p).map_err(|e| format!("[stdout] {e}"))?;
            }
        }
        if let Some(err) = &self.stderr {
            for p in &err.patterns {
                text_regex(p).map_err(|e| format!("[stderr] {e}"))?;
            }
        }
        Ok(())
    }

    /// The checks that depend on the listing's language: the two tables.
    pub fn check_against(&self, language: Language) -> Result<(), String> {
        let lang = language.spec();
        if !lang.expectations.contains(&self.expect) {
            let names: Vec<&str> = lang.expectations.iter().map(|e| e.name()).collect();
            let why = if language == Language::Python && self.expect == Expectation::CompileFail {
                " (Python has no compile step that rejects a program)"
            } else {
                ""
            };
            return Err(format!(
                "expect = \"{}\" does not apply to a {} listing ({}){why}: it can be {}",
                self.expect.name(),
                lang.name,
                lang.file,
                names.join(", ")
            ));
        }
        if !lang.modes.contains(&self.mode) {
            return Err(format!("mode = \"{}\" does not apply to a {} listing", self.mode.name(), lang.name));
        }
        if self.mode == Mode::Test && self.expect == Expectation::Panic {
            return Err("mode = \"test\" with expect = \"panic\": mark the test #[should_panic] instead, and expect = \"run\"".into());
        }
        if self.edition.is_some() && !lang.editions {
            return Err(format!("`edition` does not apply to a {} listing", lang.name));
        }
        if self.flags.is_some() && lang.default_flags.is_none() {
            return Err(format!(
                "`flags` do not apply to a {} listing{}",
                lang.name,
                if language == Language::Rust { " (the edition is `edition`, test mode `mode = \"test\"`, tools add theirs)" } else { "" }
            ));
        }
        for t in &self.tools {
            let spec = t.spec();
            if !spec.languages.contains(&language) {
                let langs: Vec<&str> = spec.languages.iter().map(|l| l.spec().name).collect();
                return Err(format!("tools: {} checks {} listings, not {}", spec.name, langs.join(", "), lang.name));
            }
            if !spec.expectations.contains(&self.expect) {
                let names: Vec<&str> = spec.expectations.iter().map(|e| e.name()).collect();
                return Err(format!(
                    "tools: {} does not apply to expect = \"{}\" (only to {})",
                    spec.name,
                    self.expect.name(),
                    names.join(", ")
                ));
            }
            if let Some(m) = spec.needs_mode {
                if m != self.mode {
                    return Err(format!("tools: {} needs mode = \"{}\"", spec.name, m.name()));
                }
            }
        }
        Ok(())
    }

    /// The sanitizer the listing's runs are built with, if any.
    pub fn instrument(&self) -> Option<&'static ToolSpec> {
        self.tools.iter().map(|t| t.spec()).find(|t| t.role == Role::Instrument)
    }

    /// The tools that are checks of their own (loom, Miri, bench).
    pub fn checks(&self) -> impl Iterator<Item = &'static ToolSpec> + '_ {
        self.tools.iter().map(|t| t.spec()).filter(|t| t.role == Role::Check)
    }

    pub fn has_tool(&self, tool: Tool) -> bool {
        self.tools.contains(&tool)
    }

    /// What `tool` must report, if anything.
    pub fn report_of(&self, tool: Tool) -> Option<&str> {
        self.reports.get(tool.name()).map(String::as_str)
    }

    /// The edition it is compiled with.
    pub fn edition<'a>(&'a self, book_edition: &'a str) -> &'a str {
        self.edition.as_deref().unwrap_or(book_edition)
    }

    /// How a run that is not a panic must end: `signal`, else `exit` (default 0).
    pub fn expected_status(&self) -> Status {
        match self.signal {
            Some(sig) => Status::Signal(sig),
            None => Status::Code(self.exit.unwrap_or(0)),
        }
    }

    pub fn budget_ms(&self) -> u64 {
        self.budget_ms.unwrap_or(DEFAULT_BUDGET_MS)
    }

    /// How many times to run it: race-dependent output is sampled several times.
    pub fn runs(&self) -> u32 {
        self.runs.unwrap_or(match &self.stdout {
            Some(s) if s.mode == Match::Exact => 1,
            _ if self.expect == Expectation::Hang => 1,
            _ => 5,
        })
    }

    pub fn needs_sample(&self) -> bool {
        matches!(&self.stdout, Some(s) if s.mode != Match::Patterns)
    }

    /// The fence a chapter must give this listing, derived from the contract, e.g.
    /// `rust,compile_fail,E0499` or `rust,no_run,edition2021`.
    pub fn fence(&self, language: Language, book_edition: &str) -> String {
        let lang = language.spec();
        let mut t = vec![lang.fence.to_string()];
        if language != Language::Rust {
            return t.remove(0);
        }
        t.extend(self.rustdoc_attributes(book_edition));
        t.join(",")
    }

    /// The rustdoc attributes the fence of a Rust listing must have (and no others).
    pub fn rustdoc_attributes(&self, book_edition: &str) -> Vec<String> {
        let mut t: Vec<String> = Vec::new();
        match self.expect {
            // rustdoc fails a doctest that does not exit with 0: such a program is shown, and
            // compiled, but only the harness runs it.
            Expectation::Run if self.expected_status() != Status::Code(0) => t.push("no_run".into()),
            Expectation::Run => {}
            Expectation::Panic => t.push("should_panic".into()),
            Expectation::CompileFail => {
                t.push("compile_fail".into());
                t.extend(self.errors.iter().flatten().filter(|e| is_error_code(e)).cloned());
            }
            Expectation::Hang | Expectation::CompileOnly => t.push("no_run".into()),
        }
        if self.mode == Mode::Test {
            t.push("test_harness".into());
        }
        let edition = self.edition(book_edition);
        if edition != book_edition {
            t.push(format!("edition{edition}"));
        }
        t
    }
}

fn tool_names() -> String {
    TOOLS.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
}

/// rustdoc's error-code attribute, such as `E0499`.
pub fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].chars().all(|c| c.is_ascii_digit())
}

/// A stdout regex: it matches a whole line.
pub fn line_regex(p: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{p})$")).map_err(|e| format!("{p:?} is not a regex: {e}"))
}

/// A stderr regex: found anywhere in stderr, `^`/`$` at line ends.
pub fn text_regex(p: &str) -> Result<Regex, String> {
    Regex::new(&format!("(?m){p}")).map_err(|e| format!("{p:?} is not a regex: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The checks of output

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
            check_order(c, sample, actual)
                .map_err(|e| format!("{e}\n--- output.txt\n{sample}\n--- actual stdout\n{actual}\n---"))?;
        }
        Match::Patterns => {
            let regexes: Vec<Regex> = c.patterns.iter().map(|p| line_regex(p).expect("validated")).collect();
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
    for (p, &want) in &c.counts {
        let r = line_regex(p).expect("validated");
        let got = actual.lines().filter(|l| r.is_match(l)).count();
        if got != want {
            return Err(format!(
                "{got} stdout line(s) match {p:?}, but [stdout] counts says {want}\n--- stdout\n{actual}\n---"
            ));
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

/// The partial order of an `unordered` contract: `actual` has the lines of `sample`; every pair
/// of lines that the contract relates (same key of an `order` pattern, or one is a barrier)
/// comes in the sample's order.
fn check_order(c: &StdoutContract, sample: &str, actual: &str) -> Result<(), String> {
    if c.order.is_empty() && c.barriers.is_empty() {
        return Ok(());
    }
    let sample_lines: Vec<&str> = sample.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    // The k-th occurrence of a text in the run is its k-th occurrence in the sample (equal lines
    // have equal keys, so which one is which does not matter).
    let mut places: BTreeMap<&str, std::collections::VecDeque<usize>> = BTreeMap::new();
    for (i, l) in sample_lines.iter().enumerate() {
        places.entry(l).or_default().push_back(i);
    }
    let pos: Vec<usize> = actual_lines.iter().map(|l| places.get_mut(l).and_then(|q| q.pop_front()).expect("same lines")).collect();

    let orders: Vec<(String, Regex)> = c.order.iter().map(|p| (p.clone(), line_regex(p).expect("validated"))).collect();
    let barriers: Vec<(String, Regex)> = c.barriers.iter().map(|p| (p.clone(), line_regex(p).expect("validated"))).collect();
    // Per sample line: its key under each order pattern, and the barrier pattern it matches.
    let key = |r: &Regex, line: &str| -> Option<String> {
        let caps = r.captures(line)?;
        let k = caps.name("key").or_else(|| caps.get(1)).map_or("", |m| m.as_str());
        Some(k.to_string())
    };
    let keys: Vec<Vec<Option<String>>> =
        sample_lines.iter().map(|l| orders.iter().map(|(_, r)| key(r, l)).collect()).collect();
    let barrier: Vec<Option<&str>> =
        sample_lines.iter().map(|l| barriers.iter().find(|(_, r)| r.is_match(l)).map(|(p, _)| p.as_str())).collect();

    for i in 0..actual_lines.len() {
        for j in i + 1..actual_lines.len() {
            let (a, b) = (pos[i], pos[j]);
            if a < b {
                continue;
            }
            // The run has sample line `a` before sample line `b`, which the sample has first.
            let why = if let Some(p) = barrier[a].or(barrier[b]) {
                let line = if barrier[a].is_some() { sample_lines[a] } else { sample_lines[b] };
                Some(format!("{line:?} is a barrier line ({p:?}): every line keeps its side of it"))
            } else {
                orders.iter().enumerate().find_map(|(k, (p, _))| match (&keys[a][k], &keys[b][k]) {
                    (Some(x), Some(y)) if x == y => Some(format!(
                        "both match the order pattern {p:?}{}, so they keep output.txt's order",
                        if x.is_empty() { String::new() } else { format!(" with the key {x:?}") }
                    )),
                    _ => None,
                })
            };
            if let Some(why) = why {
                return Err(format!(
                    "stdout line {} {:?} comes before line {} {:?}, but output.txt has them the other way round; {why}",
                    i + 1,
                    actual_lines[i],
                    j + 1,
                    actual_lines[j]
                ));
            }
        }
    }
    Ok(())
}

/// Checks stderr against the `[stderr]` contract.
pub fn check_stderr(c: &StderrContract, actual: &str) -> Result<(), String> {
    for s in &c.contains {
        if !actual.contains(s.as_str()) {
            return Err(format!("stderr does not contain {s:?}"));
        }
    }
    for p in &c.patterns {
        if !text_regex(p).expect("validated").is_match(actual) {
            return Err(format!("stderr has no match for the pattern {p:?}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(mode: Match, patterns: &[&str], lines: Option<usize>) -> StdoutContract {
        StdoutContract {
            mode,
            patterns: patterns.iter().map(|s| s.to_string()).collect(),
            lines,
            order: Vec::new(),
            barriers: Vec::new(),
            counts: BTreeMap::new(),
        }
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

    #[test]
    fn partial_order_keeps_each_producers_lines_in_order() {
        let mut c = contract(Match::Unordered, &[], None);
        c.order = vec![r"(p\d): .*".into()];
        let sample = "p1: a\np2: a\np1: b\np2: b\n";
        // Interleavings that keep each producer's order pass.
        assert!(check_stdout(&c, Some(sample), "p2: a\np2: b\np1: a\np1: b\n").is_ok());
        // One producer's lines reversed: rejected, naming the key.
        let e = check_stdout(&c, Some(sample), "p1: b\np2: a\np1: a\np2: b\n").unwrap_err();
        assert!(e.contains("\"p1\"") && e.contains("line 1"), "{e}");
        // A line no order pattern matches may go anywhere.
        let sample = "p1: a\nnote\np1: b\n";
        assert!(check_stdout(&c, Some(sample), "note\np1: a\np1: b\n").is_ok());
    }

    #[test]
    fn a_pattern_without_a_group_orders_all_its_lines() {
        let mut c = contract(Match::Unordered, &[], None);
        c.order = vec![r"main: .*".into()];
        let sample = "main: 1\nworker\nmain: 2\n";
        assert!(check_stdout(&c, Some(sample), "worker\nmain: 1\nmain: 2\n").is_ok());
        assert!(check_stdout(&c, Some(sample), "main: 2\nworker\nmain: 1\n").is_err());
    }

    #[test]
    fn barriers_keep_their_place() {
        let mut c = contract(Match::Unordered, &[], None);
        c.barriers = vec![r"joined".into()];
        let sample = "a\nb\njoined\nc\n";
        assert!(check_stdout(&c, Some(sample), "b\na\njoined\nc\n").is_ok());
        let e = check_stdout(&c, Some(sample), "a\njoined\nb\nc\n").unwrap_err();
        assert!(e.contains("barrier"), "{e}");
        assert!(check_stdout(&c, Some(sample), "a\nb\nc\njoined\n").is_err());
    }

    #[test]
    fn counts_per_pattern() {
        let mut c = contract(Match::Patterns, &[r"ok \d", r"done"], None);
        c.counts.insert(r"ok \d".into(), 2);
        assert!(check_stdout(&c, None, "ok 1\nok 2\ndone\n").is_ok());
        let e = check_stdout(&c, None, "ok 1\ndone\n").unwrap_err();
        assert!(e.contains("1 stdout line(s) match") && e.contains("says 2"), "{e}");
    }

    #[test]
    fn stderr_patterns_are_regexes_over_lines() {
        let c = StderrContract { contains: vec![], patterns: vec![r"^thread '\w+' \(\d+\) panicked at src/main\.rs:\d+:\d+:\nboom$".into()] };
        assert!(check_stderr(&c, "thread 'main' (12) panicked at src/main.rs:3:5:\nboom\nnote: …\n").is_ok());
        assert!(check_stderr(&c, "thread 'main' (12) panicked at src/main.rs:3:5:\nbang\n").is_err());
    }

    fn parse_err(text: &str) -> String {
        Expect::parse(text).unwrap_err()
    }

    #[test]
    fn contracts_that_cannot_hold_are_rejected() {
        assert!(parse_err("expect = \"run\"\nbudget_ms = 5000\n").contains("needs `why"));
        assert!(Expect::parse("expect = \"run\"\nbudget_ms = 5000\nwhy = \"a benchmark\"\n").is_ok());
        assert!(parse_err("expect = \"run\"\nwhy = \"because\"\n").contains("has neither"));
        assert!(parse_err("expect = \"compile_only\"\n").contains("why the program is never run"));
        assert!(parse_err("kind = \"hangs\"\nbound_ms = 5\n").contains("expect = \"hang\""));
        assert!(parse_err("kind = \"cpp\"\n").contains("language comes from main.cpp"));
        assert!(parse_err("expect = \"run\"\nbench = true\n").contains("tools = [\"bench\"]"));
        assert!(parse_err("expect = \"run\"\nflags = [\"-fsanitize=thread\"]\n").contains("a sanitizer is a tool"));
        assert!(parse_err("expect = \"run\"\ntools = [\"tsan\", \"asan\"]\n").contains("one sanitizer"));
        assert!(parse_err("expect = \"run\"\nreports = { tsan = \"data race\" }\n").contains("not in `tools`"));
        assert!(parse_err("expect = \"run\"\ntools = [\"tsan\"]\nexit = 66\nreports = { tsan = \"data race\" }\n").contains("remove `exit`"));
        assert!(parse_err("expect = \"run\"\nedition = \"2020\"\n").contains("not an edition"));
        assert!(parse_err("expect = \"compile_fail\"\nerrors = [\"E0499\"]\n[stdout]\nmatch = \"exact\"\n").contains("does not apply"));
        assert!(parse_err("expect = \"run\"\n[stdout]\nmatch = \"exact\"\norder = ['x']\n").contains("only apply to match = \"unordered\""));
        let e = Expect::parse("expect = \"compile_fail\"\nerrors = [\"x\"]\n").unwrap();
        assert!(e.check_against(Language::Python).unwrap_err().contains("no compile step"));
        let e = Expect::parse("expect = \"run\"\ntools = [\"loom\"]\n").unwrap();
        assert!(e.check_against(Language::Rust).unwrap_err().contains("needs mode = \"test\""));
        let e = Expect::parse("expect = \"run\"\ntools = [\"tsan\"]\n").unwrap();
        assert!(e.check_against(Language::Rust).unwrap_err().contains("checks C++ listings"));
        let e = Expect::parse("expect = \"run\"\nflags = [\"-O2\"]\n").unwrap();
        assert!(e.check_against(Language::Rust).is_err() && e.check_against(Language::Cpp).is_ok());
    }

    #[test]
    fn the_fence_is_derived_from_the_contract() {
        let e = Expect::parse("expect = \"compile_fail\"\nerrors = [\"E0499\", \"let_underscore_lock\"]\nedition = \"2021\"\n").unwrap();
        assert_eq!(e.fence(Language::Rust, "2024"), "rust,compile_fail,E0499,edition2021");
        let e = Expect::parse("expect = \"run\"\nmode = \"test\"\n").unwrap();
        assert_eq!(e.fence(Language::Rust, "2024"), "rust,test_harness");
        let e = Expect::parse("expect = \"hang\"\nbound_ms = 100\n").unwrap();
        assert_eq!(e.fence(Language::Rust, "2024"), "rust,no_run");
        assert_eq!(e.fence(Language::Cpp, "2024"), "cpp");
    }
}

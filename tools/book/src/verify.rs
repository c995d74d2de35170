//! Verifying listings against their contracts: the folders of listings/, the chapters' fences,
//! the crates a program names, compiling (cached by content), running within a budget, and the
//! tools of the contract (sanitizers, loom, Miri, the release build).
//!
//! Every message starts with the file (and line) at fault.

use crate::book::{Book, Listing};
use crate::contract::{
    BENCH_ENV, Expect, Expectation, LANGUAGES, Language, Match, Mode, Signature, Status, Tool, ToolBudget, ToolSpec,
    check_stderr, check_stdout, is_error_code, text_regex,
};
use crate::markdown::CodeBlock;
use crate::process::{Outcome, run_bounded, run_watched};
use regex::Regex;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// Set `BLESS=1` to write rustc.stderr snapshots (and output.txt of "exact" listings) from the
/// current toolchain instead of comparing with them.
pub fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| v != "0" && !v.is_empty())
}

/// A tool check that could not run on this machine, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The listing's folder, e.g. `listings/ch03-…/listing-03-02`.
    pub listing: PathBuf,
    pub tool: Tool,
    pub why: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.tool.spec();
        write!(f, "SKIPPED {}: the {} check (tools = [\"{}\"]) did not run: {}", self.listing.display(), t.title, t.name, self.why)
    }
}

/// What a verified listing leaves to say: the tool checks that ran (each with whether its
/// contract required the tool to report a finding, as a loom model that must fail does), and
/// those that were skipped.
#[derive(Debug, Default)]
pub struct Verdict {
    pub ran: Vec<(Tool, bool)>,
    pub skipped: Vec<Skipped>,
}

/// The line the listings test prints at its end: how many checks of each tool ran, and how many
/// of them had to find something, e.g. `tool checks run: loom 10 (6 required to find a failure),
/// miri 7 (2 …)`. Instrumenting tools (TSan, ASan) are counted with the listing's own runs.
pub fn tool_summary(verdicts: &[(Tool, bool)]) -> String {
    let parts: Vec<String> = crate::contract::TOOLS
        .iter()
        .filter_map(|t| {
            let n = verdicts.iter().filter(|(tool, _)| *tool == t.tool).count();
            let must = verdicts.iter().filter(|(tool, r)| *tool == t.tool && *r).count();
            (n > 0).then(|| {
                if must > 0 { format!("{} {n} ({must} required to find a failure)", t.name) } else { format!("{} {n}", t.name) }
            })
        })
        .collect();
    format!("tool checks run: {}", if parts.is_empty() { "none".to_string() } else { parts.join(", ") })
}

// ---------------------------------------------------------------------------------------------
// Listings

/// A listing's program (main.rs, main.cpp or main.py, relative to the book root), its language
/// and its contract, checked against the language and tool tables.
pub fn contract_of(book: &Book, listing: &Listing) -> Result<(PathBuf, Language, Expect), String> {
    let dir = listing.dir.display();
    let found: Vec<PathBuf> =
        LANGUAGES.iter().map(|l| listing.dir.join(l.file)).filter(|p| book.abs(p).is_file()).collect();
    let source = match found.as_slice() {
        [] => {
            let files: Vec<&str> = LANGUAGES.iter().map(|l| l.file).collect();
            return Err(format!("{dir}: has no program ({})", files.join(", ")));
        }
        [one] => one.clone(),
        more => {
            let names: Vec<String> = more.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
            return Err(format!("{dir}: has {}: a listing is one program; split it into two listings", names.join(" and ")));
        }
    };
    let language = Language::of(&source).expect("found by its language's file name");
    let expect = book.expect(listing)?;
    expect
        .check_against(language)
        .map_err(|e| format!("{}: {e}", listing.dir.join("expect.toml").display()))?;
    if language == Language::Cpp && expect.expect == Expectation::CompileFail {
        for p in expect.errors.iter().flatten() {
            text_regex(p).map_err(|e| format!("{}: errors: {e}", listing.dir.join("expect.toml").display()))?;
        }
    }
    Ok((source, language, expect))
}

/// Verifies one listing according to its expect.toml, and checks that the chapters show it with
/// the fence its contract implies.
pub fn verify_listing(book: &Book, listing: &Listing) -> Result<Verdict, String> {
    let name = listing.dir.display().to_string();
    let (source, language, expect) = contract_of(book, listing)?;
    check_files(book, listing, &expect, language)?;
    let lang = language.spec();
    // book.rs finds main.rs and main.cpp; a Python listing's uses are looked up by its source.
    let shown = Listing { dir: listing.dir.clone(), name: listing.name.clone(), source: Some(source.clone()) };
    let uses = book.uses_of(&shown);
    if uses.is_empty() {
        return Err(format!(
            "{name}: no chapter shows {}; show it in a ```{} block with {{{{#{} ../{}}}}} (or delete the listing)",
            source.display(),
            expect.fence(language, &book.edition),
            lang.include,
            source.display()
        ));
    }
    for u in &uses {
        if let Some(block) = u.block {
            check_fence(book, &expect, language, block).map_err(|e| format!("{}: {name}: {e}", u.location()))?;
        }
    }
    let shown_at = uses.iter().map(|u| u.location()).collect::<Vec<_>>().join(", ");
    let ctx = |e: String| format!("{name} (shown at {shown_at}): {e}");

    let code = std::fs::read_to_string(book.abs(&source)).map_err(|e| format!("{}: {e}", source.display()))?;
    let facade = facade_crates(book)?;
    if language == Language::Rust {
        check_crate_uses(&source, &code, &facade)?;
    }

    // The sample output shown to readers must satisfy the same contract as a real run.
    let sample = std::fs::read_to_string(book.abs(&listing.dir).join("output.txt")).ok();
    if expect.needs_sample() && sample.is_none() && !blessing() {
        return Err(ctx(format!(
            "needs an output.txt (its [stdout] match is {:?})",
            expect.stdout.as_ref().unwrap().mode
        )));
    }
    check_samples(book, listing, &expect, language, sample.as_deref()).map_err(ctx)?;
    // The plot is drawn from the samples just checked; the committed SVGs must be that drawing.
    if let Some(spec) = &expect.plot {
        crate::plot::check(book, listing, spec).map_err(ctx)?;
    }

    let build = base_build(book, listing, &source, language, &expect, &facade)?;
    match expect.expect {
        Expectation::CompileFail => verify_compile_fail(book, listing, &build, &expect).map_err(ctx)?,
        _ => {
            let compiled = compile(&build)?;
            require_clean(&compiled, &build, &source, "")?;
            if expect.expect.runs() {
                verify_runs(book, listing, &expect, language, &compiled.program, sample.as_deref()).map_err(ctx)?;
            }
        }
    }

    let mut verdict = Verdict::default();
    if let Some(t) = expect.instrument() {
        verdict.ran.push((t.tool, expect.report_of(t.tool).is_some()));
    }
    for tool in expect.checks() {
        let skipped = match tool.tool {
            Tool::Loom => check_loom(book, listing, &source, &expect, &build, &facade).map(|_| None),
            Tool::Miri => check_miri(book, listing, &source, &expect, sample.as_deref(), MIRI_TOOLCHAIN),
            Tool::Bench => check_bench(book, listing, &source, &expect, &build, sample.as_deref()).map(|_| None),
            Tool::Tsan | Tool::Asan => unreachable!("sanitizers instrument the listing's own runs"),
        }
        .map_err(|e| ctx(format!("the {} check (tools = [\"{}\"]): {e}", tool.title, tool.name)))?;
        match skipped {
            Some(s) => verdict.skipped.push(s),
            None => verdict.ran.push((tool.tool, expect.report_of(tool.tool).is_some())),
        }
    }
    Ok(verdict)
}

/// The listings whose contract names the `bench` tool, for `cargo xtask bench`.
pub fn bench_listings(book: &Book) -> Result<Vec<&Listing>, String> {
    let mut out = Vec::new();
    for l in &book.listings {
        if contract_of(book, l)?.2.has_tool(Tool::Bench) {
            out.push(l);
        }
    }
    Ok(out)
}

/// Builds a benchmark listing as the harness does (its edition, the facade's `--extern`s), with
/// the bench tool's `-C opt-level=3`, and returns the executable (in the harness's cache), or
/// for a language without an optimising build (Python) the checked source.
/// The facade must be built first (`cargo build -p book-deps`: its rlibs in target/debug/deps).
pub fn build_bench(book: &Book, listing: &Listing) -> Result<PathBuf, String> {
    Ok(bench_build(book, listing)?.0)
}

/// A Rust listing built as its contract's check `tool` builds it (`--cfg loom` against the
/// facade's loom, for a widget's data check that runs the model: tools/book/src/litmus.rs),
/// warning-free, from the harness's cache; and the environment that tool runs it with.
pub fn build_for_tool(book: &Book, listing: &Listing, tool: Tool) -> Result<(PathBuf, &'static [(&'static str, &'static str)]), String> {
    let (source, language, expect) = contract_of(book, listing)?;
    if !expect.has_tool(tool) || language != Language::Rust {
        return Err(format!("{}: is not a Rust listing checked by {} (its tools have no {:?})", listing.dir.join("expect.toml").display(), tool.spec().title, tool.spec().name));
    }
    let facade = facade_crates(book)?;
    let mut build = base_build(book, listing, &source, language, &expect, &facade)?;
    build.tool_flags.extend(tool.spec().flags.iter().map(|s| s.to_string()));
    let compiled = compile(&build)?;
    require_clean(&compiled, &build, &source, &format!(" (the {} build)", tool.spec().title))?;
    Ok((compiled.program, tool.spec().env))
}

/// The command that runs a benchmark listing at its full size: its release build (see
/// [`build_bench`]), run as the harness runs that language, in the listing's folder, with
/// [`BENCH_ENV`], after the words of `prefix` (`taskset -c 0`), if any.
pub fn bench_command(book: &Book, listing: &Listing, prefix: &[&str]) -> Result<Command, String> {
    let (program, language) = bench_build(book, listing)?;
    let run = command(language, &program, &book.abs(&listing.dir), &[BENCH_ENV]);
    let Some((first, rest)) = prefix.split_first() else { return Ok(run) };
    let mut cmd = Command::new(first);
    cmd.args(rest).arg(run.get_program()).args(run.get_args()).current_dir(book.abs(&listing.dir));
    for (k, v) in run.get_envs() {
        if let Some(v) = v {
            cmd.env(k, v);
        }
    }
    Ok(cmd)
}

fn bench_build(book: &Book, listing: &Listing) -> Result<(PathBuf, Language), String> {
    let (source, language, expect) = contract_of(book, listing)?;
    if !expect.has_tool(Tool::Bench) {
        return Err(format!("{}: is not a benchmark (its tools have no \"bench\")", listing.dir.join("expect.toml").display()));
    }
    let facade = facade_crates(book)?;
    let mut build = base_build(book, listing, &source, language, &expect, &facade)?;
    build.tool_flags.extend(Tool::Bench.spec().flags.iter().map(|s| s.to_string()));
    let compiled = compile(&build)?;
    require_clean(&compiled, &build, &source, " (release build)")?;
    Ok((compiled.program, language))
}

/// The files a listing folder may hold; anything else would never be checked.
fn check_files(book: &Book, listing: &Listing, expect: &Expect, language: Language) -> Result<(), String> {
    let dir = book.abs(&listing.dir);
    let mut names: Vec<(String, bool)> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", listing.dir.display()))?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir()))
        .collect();
    names.sort();
    for (f, is_dir) in names {
        let at = listing.dir.join(&f);
        let at = at.display();
        let sample = f.ends_with(".txt") && (f.starts_with("output") || f.starts_with("stderr"));
        if is_dir {
            return Err(format!("{at}/: the harness reads no folder inside a listing, so nothing in it is checked; a listing is one program (main.rs, main.cpp or main.py) and its samples"));
        } else if f == language.spec().file || f == "expect.toml" {
        } else if sample {
            if !expect.expect.runs() {
                return Err(format!(
                    "{at}: an expect = \"{}\" listing never runs, so it has no output to show or to check; delete {f}{}",
                    expect.expect.name(),
                    if expect.expect == Expectation::CompileFail && language == Language::Rust {
                        " (the chapter shows the compiler's message, rustc.stderr)"
                    } else {
                        ""
                    }
                ));
            }
        } else if f == "rustc.stderr" {
            if !(language == Language::Rust && expect.expect == Expectation::CompileFail) {
                return Err(format!(
                    "{at}: rustc.stderr is the compiler's message of a Rust compile-fail listing; this one is a {} expect = \"{}\" listing, so nothing checks it: delete it",
                    language.spec().name,
                    expect.expect.name()
                ));
            }
        } else {
            return Err(format!(
                "{at}: the harness does not read this file, so nothing checks it; a listing holds {}, expect.toml, output*.txt and stderr*.txt samples, and rustc.stderr (Rust compile_fail)",
                language.spec().file
            ));
        }
    }
    Ok(())
}

/// Every folder under listings/ is one that the harness tests: `deps/` (the facade crate), and
/// `chNN-slug/` folders holding `listing-NN-MM/` and `no-listing-NN-slug/` folders.
pub fn check_listing_folders(book: &Book) -> Result<(), String> {
    let root = book.root.join("listings");
    let slug = "[a-z0-9]+(?:-[a-z0-9]+)*";
    let chapter_re = Regex::new(&format!(r"^ch(\d\d)-{slug}$")).unwrap();
    let mut problems = Vec::new();
    let entries = |dir: &Path| -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = std::fs::read_dir(dir)
            .map(|rd| rd.flatten().map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_dir())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    for (name, is_dir) in entries(&root) {
        if name == "deps" && is_dir {
            continue;
        }
        let Some(caps) = chapter_re.captures(&name).filter(|_| is_dir) else {
            problems.push(format!(
                "listings/{name}{}: not a chapter's folder (chNN-slug/) nor deps/, so the harness never tests what is in it; move it or delete it",
                if is_dir { "/" } else { "" }
            ));
            continue;
        };
        let nn = &caps[1];
        let listing_re = Regex::new(&format!(r"^(?:listing-{nn}-\d\d|no-listing-{nn}-{slug})$")).unwrap();
        for (inner, inner_dir) in entries(&root.join(&name)) {
            if inner_dir && listing_re.is_match(&inner) {
                continue;
            }
            let what = if !inner_dir {
                "a file here is never read".to_string()
            } else if Regex::new(r"^(?:no-)?listing-\d\d-").unwrap().is_match(&inner) {
                format!("its number is not chapter {nn}'s, so it is in the wrong chapter's folder")
            } else {
                format!("not a listing's folder (listing-{nn}-MM/ or no-listing-{nn}-slug/), so the harness never tests it")
            };
            problems.push(format!("listings/{name}/{inner}{}: {what}; rename it or delete it (see CONTRIBUTING.md, \"A listing\")", if inner_dir { "/" } else { "" }));
        }
    }
    problems.extend(crate::plot::check_orphans(book));
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// The samples shown to readers satisfy the same contract as a real run: every `output*.txt`
/// the stdout contract, every `stderr*.txt` the stderr contract (and the panic message, and the
/// report a sanitizer must make).
fn check_samples(book: &Book, listing: &Listing, expect: &Expect, language: Language, sample: Option<&str>) -> Result<(), String> {
    let mut files: Vec<String> = std::fs::read_dir(book.abs(&listing.dir))
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".txt") && (f.starts_with("output") || f.starts_with("stderr")))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(book.abs(&listing.dir).join(&f)).map_err(|e| format!("{f}: {e}"))?;
        let bad = |e: String| format!("{f}, a sample shown to readers, breaks the contract: {e}");
        if f.starts_with("output") {
            match &expect.stdout {
                Some(c) => check_stdout(c, sample, &text).map_err(bad)?,
                None => return Err(bad("expect.toml has no [stdout] contract to check it against; add one".into())),
            }
        } else {
            let mut wanted: Vec<String> = Vec::new();
            if expect.expect == Expectation::Panic {
                wanted.extend([language.spec().panic.marker.to_string(), expect.panic.clone().unwrap()]);
            }
            if let Some(t) = expect.instrument() {
                if let (Some(what), Some(sig)) = (expect.report_of(t.tool), t.report) {
                    wanted.push(format!("{}{what}", sig.marker));
                }
            }
            if wanted.is_empty() && expect.stderr.is_none() {
                return Err(bad("expect.toml has no [stderr] contract (or panic message, or report) to check it against; add one".into()));
            }
            if let Some(w) = wanted.iter().find(|w| !text.contains(w.as_str())) {
                return Err(bad(format!("it does not contain {w:?}")));
            }
            if let Some(c) = &expect.stderr {
                check_stderr(c, &text).map_err(bad)?;
            }
        }
    }
    Ok(())
}

/// The tokens of a fence that change what rustdoc does with the block.
fn rustdoc_attribute(t: &str) -> bool {
    matches!(t, "compile_fail" | "no_run" | "should_panic" | "test_harness" | "ignore" | "standalone_crate")
        || is_error_code(t)
        || (t.starts_with("edition") && t.len() > "edition".len())
}

/// The fence of a block that shows a listing must be the one its contract implies
/// ([`Expect::fence`]), so that `mdbook test` treats it as the harness does.
fn check_fence(book: &Book, expect: &Expect, language: Language, b: &CodeBlock) -> Result<(), String> {
    let lang = language.spec();
    let want = expect.fence(language, &book.edition);
    let bad = |why: String| Err(format!("fence ```{} does not match expect.toml: {why}; write ```{want}", b.info));
    let toks = b.tokens();
    if language != Language::Rust {
        if !toks.first().is_some_and(|t| *t == lang.fence || lang.fence_aliases.contains(t)) {
            return bad(format!("a {} listing ({})", lang.name, lang.file));
        }
        if b.is_rust() {
            return bad("a rustdoc attribute makes rustdoc (mdbook test) compile any block as Rust".into());
        }
        return Ok(());
    }
    if !b.is_rust() {
        return bad("rustdoc would not treat this block as Rust".into());
    }
    let have: BTreeSet<String> = toks.iter().copied().filter(|t| rustdoc_attribute(t)).map(String::from).collect();
    let need: BTreeSet<String> = expect.rustdoc_attributes(&book.edition).into_iter().collect();
    if have == need {
        return Ok(());
    }
    let edition = expect.edition(&book.edition);
    let fence_edition = have.iter().find(|t| t.starts_with("edition")).map(|t| t["edition".len()..].to_string());
    if fence_edition.as_deref().unwrap_or(&book.edition) != edition {
        return bad(match (&fence_edition, &expect.edition) {
            (Some(f), None) => format!(
                "the fence says edition{f}, so mdbook test compiles it as edition {f}, but expect.toml names no edition, so the harness compiles it as {} (book.toml); add edition = \"{f}\" to expect.toml, or remove edition{f}",
                book.edition
            ),
            (Some(f), Some(e)) => format!("the fence says edition{f}, expect.toml says edition = \"{e}\""),
            (None, Some(e)) => format!(
                "expect.toml says edition = \"{e}\", but without edition{e} in the fence mdbook test compiles it as {} (book.toml)",
                book.edition
            ),
            (None, None) => unreachable!("both use the book's edition"),
        });
    }
    let codes = |s: &BTreeSet<String>| s.iter().filter(|t| is_error_code(t)).cloned().collect::<BTreeSet<_>>();
    if codes(&have) != codes(&need) {
        return bad(format!("the fence names {:?}, expect.toml's errors name {:?}", codes(&have), codes(&need)));
    }
    let why = |t: &str| match t {
        "no_run" if expect.expect == Expectation::Hang => "a hanging listing is no_run, or mdbook test would hang",
        "no_run" => "a compile_only listing is never run",
        "should_panic" => "expect = \"panic\": rustdoc must expect the panic",
        "compile_fail" => "expect = \"compile_fail\": rustdoc must expect the error",
        "test_harness" => "mode = \"test\": rustdoc runs a block's #[test]s only with test_harness",
        _ => "",
    };
    if let Some(missing) = need.difference(&have).next() {
        return bad(format!("it lacks {missing} ({})", why(missing)));
    }
    let extra = have.difference(&need).next().unwrap();
    bad(format!(
        "{extra} does not apply to expect = \"{}\"{}",
        expect.expect.name(),
        if expect.mode == Mode::Test { ", mode = \"test\"" } else { "" }
    ))
}

fn verify_runs(book: &Book, listing: &Listing, expect: &Expect, language: Language, program: &Path, sample: Option<&str>) -> Result<(), String> {
    let runs = expect.runs();
    let instrument = expect.instrument();
    let bound_ms = match (expect.expect, instrument.map(|t| t.budget)) {
        (Expectation::Hang, _) => expect.bound_ms.unwrap(),
        (_, Some(ToolBudget::Times(k))) => expect.budget_ms() * k,
        (_, Some(ToolBudget::FixedMs(ms))) => ms,
        (_, None) => expect.budget_ms(),
    };
    // The budget is CPU time, which load on the machine does not stretch; the wall-clock bound,
    // WALL_FACTOR times longer, only stops a program that sleeps or blocks too long.
    let wall_ms = if expect.expect == Expectation::Hang { bound_ms } else { bound_ms * WALL_FACTOR };
    let env: &[(&str, &str)] = instrument.map_or(&[], |t| t.env);
    // A listing that should end but has every thread blocked is stopped after STALL_MS.
    let stall = (expect.expect != Expectation::Hang).then_some(Duration::from_millis(STALL_MS));
    for i in 1..=runs {
        let mut cmd = command(language, program, &book.abs(&listing.dir), env);
        let mut out = run_watched(&mut cmd, Duration::from_millis(wall_ms), stall).map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        if let Some(m) = instrument.and_then(|t| t.retry_without_aslr) {
            if out.stderr.contains(m) {
                let mut cmd = Command::new("setarch");
                cmd.arg("-R").arg(program).current_dir(book.abs(&listing.dir)).envs(env.iter().copied());
                out = run_bounded(&mut cmd, Duration::from_millis(wall_ms)).map_err(|e| format!("cannot run setarch: {e}"))?;
            }
        }
        let run = if runs > 1 { format!("run {i} of {runs}: ") } else { String::new() };
        check_outcome(expect, language, instrument, &out, sample, bound_ms).map_err(|e| failure(&run, &e, &out))?;
        if blessing() && i == 1 {
            if let Some(c) = &expect.stdout {
                if c.mode == Match::Exact && sample != Some(out.stdout.as_str()) {
                    std::fs::write(book.abs(&listing.dir).join("output.txt"), &out.stdout).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    Ok(())
}

/// A failed run's message: what was wrong, then the ends of its stdout and stderr.
fn failure(prefix: &str, e: &str, out: &Outcome) -> String {
    let mut msg = format!("{prefix}{e}");
    if !e.contains("--- stdout") && !e.contains("--- actual stdout") && !out.stdout.is_empty() {
        msg.push_str(&format!("\n--- stdout\n{}---", tail(&out.stdout, 40)));
    }
    msg.push_str(&format!("\n--- stderr\n{}---", tail(&out.stderr, 60)));
    msg
}

fn status_of(out: &Outcome) -> Option<Status> {
    out.code().map(Status::Code).or_else(|| out.signal().map(Status::Signal))
}

/// How many times its CPU budget a run may last on the wall clock before it is stopped.
pub const WALL_FACTOR: u64 = 10;

/// How long every thread of a run that should end may be blocked, with no CPU time used, before
/// the run is stopped as deadlocked. Runs finish in well under a second and never sleep to order
/// threads, so this is far longer than any wait a working listing has.
pub const STALL_MS: u64 = 3000;

/// `out` is None when the run was stopped at the wall-clock bound, else the finished run that
/// used more CPU time than its budget.
fn over_budget(expect: &Expect, bound_ms: u64, instrument: Option<&ToolSpec>, out: Option<&Outcome>) -> String {
    let tool = match instrument.map(|t| (t, t.budget)) {
        Some((t, ToolBudget::Times(k))) if k > 1 => format!(", × {k} under {}", t.title),
        _ => String::new(),
    };
    let what = match out {
        Some(o) => format!("used {} ms of CPU time, over its budget of {bound_ms} ms", o.cpu.as_millis()),
        None => format!(
            "still running after {} ms ({WALL_FACTOR} × its budget of {bound_ms} ms of CPU time); killed",
            bound_ms * WALL_FACTOR
        ),
    };
    format!(
        "{what} (budget_ms = {}{tool}). Runnable listings finish in well under a second: if it blocks on \
         purpose it is expect = \"hang\"; if it is slow on purpose (a benchmark, a long demo), raise \
         budget_ms and say why in `why`",
        expect.budget_ms()
    )
}

/// The verdict of one run: the expectation, the sanitizer's report (or its absence), the
/// stderr and stdout contracts.
fn check_outcome(expect: &Expect, language: Language, instrument: Option<&ToolSpec>, out: &Outcome, sample: Option<&str>, bound_ms: u64) -> Result<(), String> {
    let status = status_of(out);
    let report = instrument.and_then(|t| Some((t, t.report?, expect.report_of(t.tool))));
    match expect.expect {
        Expectation::Hang => {
            if !out.timed_out() {
                return Err(format!(
                    "expected to still be blocked after {bound_ms} ms, but it ended first ({}) after {} ms",
                    out.describe_status(),
                    out.elapsed.as_millis()
                ));
            }
            if out.blocked_at_bound == Some(false) {
                return Err(format!(
                    "still running after {bound_ms} ms, but not blocked: a thread was busy (state R), so this is a loop, not a deadlock"
                ));
            }
        }
        _ if out.stalled => {
            return Err(format!(
                "every thread was blocked, and no CPU time was used, for {} s, so it was stopped: a \
                 deadlock? (a receive loop ends only when every Sender is dropped: a forgotten \
                 drop(tx)? two locks taken in opposite orders? a join of a thread that waits for \
                 this one?) If it blocks on purpose, it is expect = \"hang\" with a bound_ms",
                STALL_MS / 1000
            ));
        }
        _ if out.timed_out() => return Err(over_budget(expect, bound_ms, instrument, None)),
        _ if out.cpu > Duration::from_millis(bound_ms) => return Err(over_budget(expect, bound_ms, instrument, Some(out))),
        _ => {}
    }
    match report {
        Some((t, sig, Some(what))) => {
            let needle = format!("{}{what}", sig.marker);
            if !out.stderr.contains(&needle) {
                return Err(format!("{} did not report {needle:?}, which reports.{} expects; got {}", t.title, t.name, out.describe_status()));
            }
            if let (Some(want), false) = (sig.status, out.timed_out()) {
                if status != Some(want) {
                    return Err(format!("{} reported, so the run must end with {want}; got {}", t.title, out.describe_status()));
                }
            }
        }
        Some((t, sig, None)) if out.stderr.contains(sig.marker) => {
            let line = out.stderr.lines().find(|l| l.contains(sig.marker)).unwrap_or("");
            let what = line.split(sig.marker).nth(1).unwrap_or("").split(" (").next().unwrap_or("").trim();
            return Err(format!(
                "{} reported {line:?}, and expect.toml expects no report. If the report is what the listing shows, write reports = {{ {} = {what:?} }}",
                t.title,
                t.name
            ));
        }
        _ => match expect.expect {
            Expectation::Run => {
                let want = expect.expected_status();
                if status != Some(want) {
                    return Err(format!("expected {want}, got {}", out.describe_status()));
                }
            }
            Expectation::Panic => {
                let msg = expect.panic.as_deref().unwrap();
                let sig = language.spec().panic;
                if sig.status.is_some_and(|s| status != Some(s)) || !out.stderr.contains(sig.marker) || !out.stderr.contains(msg) {
                    return Err(format!(
                        "expected a panic with the message {msg:?} ({}, and {:?} on stderr); got {}",
                        sig.status.map_or(String::new(), |s| s.to_string()),
                        sig.marker,
                        out.describe_status()
                    ));
                }
            }
            _ => {}
        },
    }
    if let Some(c) = &expect.stderr {
        check_stderr(c, &out.stderr)?;
    }
    if let Some(c) = &expect.stdout {
        if !(blessing() && c.mode == Match::Exact) {
            check_stdout(c, sample, &out.stdout)?;
        }
    }
    Ok(())
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let from = lines.len().saturating_sub(n);
    let mut t = lines[from..].join("\n");
    if !t.is_empty() {
        t.push('\n');
    }
    t
}

// ---------------------------------------------------------------------------------------------
// Crates

/// `(name in code, rlib file prefix)` of every crate in listings/deps/Cargo.toml [dependencies].
pub fn facade_crates(book: &Book) -> Result<Vec<(String, String)>, String> {
    let path = book.root.join("listings/deps/Cargo.toml");
    let Ok(text) = std::fs::read_to_string(&path) else { return Ok(Vec::new()) };
    let table: toml::Table = toml::from_str(&text).map_err(|e| format!("listings/deps/Cargo.toml: {e}"))?;
    let mut out = Vec::new();
    if let Some(deps) = table.get("dependencies").and_then(|d| d.as_table()) {
        for (key, spec) in deps {
            let package = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            out.push((key.replace('-', "_"), package.replace('-', "_")));
        }
    }
    Ok(out)
}

/// The crates of the toolchain's sysroot other than std's own (libc, cfg_if, memchr…): a
/// program cannot link a second copy of one with `mdbook test -L`.
fn sysroot_crates() -> &'static BTreeSet<String> {
    static S: OnceLock<BTreeSet<String>> = OnceLock::new();
    S.get_or_init(|| {
        let Ok(out) = Command::new("rustc").args(["--print", "target-libdir"]).output() else { return BTreeSet::new() };
        let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
        std::fs::read_dir(dir)
            .map(|rd| {
                rd.flatten()
                    .filter_map(|e| {
                        let f = e.file_name().to_string_lossy().into_owned();
                        let stem = f.strip_prefix("lib")?.strip_suffix(".rlib")?;
                        Some(stem.rsplit_once('-').map_or(stem, |(n, _)| n).to_string())
                    })
                    .filter(|n| !["std", "core", "alloc", "proc_macro", "test"].contains(&n.as_str()))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// A Rust listing names every crate it uses with `extern crate` (rustdoc, in `mdbook test -L
/// target/book-lib`, links no other), from the facade, and none that the sysroot ships. The line
/// carries [`EXTERN_HINT`] inside the item, which rustc prints with its E0463 when a reader runs a bare `mdbook
/// test` (mdBook has no book.toml setting for library paths: mdBook issue 706).
/// Inside the item, because rustdoc re-emits a doctest's `extern crate` items from their spans: a
/// comment after the `;` would not reach rustc's message.
/// A line `extern crate [/* comment */] name` (with attributes before it); the name is group 1.
fn extern_crate_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*(?:#\[[^\]]*\]\s*)*extern\s+crate\s+(?:/\*.*?\*/\s*)?(\w+)").unwrap())
}

pub const EXTERN_HINT: &str = "/* not found? run: mdbook test -L target/book-lib */";

fn check_crate_uses(source: &Path, code: &str, facade: &[(String, String)]) -> Result<(), String> {
    let sysroot = sysroot_crates();
    let extern_re = extern_crate_re();
    let path_re = Regex::new(r"(?:^|[^\w:])(\w+)::|\buse\s+(\w+)\s*;").unwrap();
    let mut declared = BTreeSet::new();
    let mut used: Vec<(String, usize)> = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let line = line.split("//").next().unwrap_or("");
        if let Some(c) = extern_re.captures(line) {
            let name = c[1].to_string();
            if sysroot.contains(&name) {
                return Err(sysroot_message(source, i + 1, &name));
            }
            if !facade.iter().any(|(n, _)| *n == name) && !["std", "core", "alloc", "proc_macro", "test"].contains(&name.as_str()) {
                return Err(format!(
                    "{}:{}: `extern crate {name};`: {name} is not in listings/deps/Cargo.toml; add it there, pinned with `=`",
                    source.display(),
                    i + 1
                ));
            }
            if !line.contains(&format!("extern crate {EXTERN_HINT} {name};")) {
                return Err(format!(
                    "{}:{}: a bare `mdbook test` cannot find {name} and fails with E0463, printing this line; write \
                     the hint that names the fix into it:\n    extern crate {EXTERN_HINT} {name};",
                    source.display(),
                    i + 1
                ));
            }
            declared.insert(name);
            continue;
        }
        for c in path_re.captures_iter(line) {
            let name = c.get(1).or_else(|| c.get(2)).unwrap().as_str().to_string();
            if !used.iter().any(|(n, _)| *n == name) {
                used.push((name, i + 1));
            }
        }
    }
    for (name, line) in used {
        if sysroot.contains(&name) {
            return Err(sysroot_message(source, line, &name));
        }
        if facade.iter().any(|(n, _)| *n == name) && !declared.contains(&name) {
            return Err(format!(
                "{}:{line}: uses the crate `{name}` without `extern crate {name};`. The harness would link it, but \
                 `mdbook test -L target/book-lib` (rustdoc) links only the crates a program names with `extern \
                 crate`, and fails with E0433 (unresolved `{name}`). Add `extern crate {EXTERN_HINT} {name};` at the top of \
                 {}, outside the visible anchor",
                source.display(),
                source.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    Ok(())
}

fn sysroot_message(source: &Path, line: usize, name: &str) -> String {
    format!(
        "{}:{line}: uses the crate `{name}`, which the Rust toolchain also ships in its sysroot: `mdbook test -L \
         target/book-lib` would find two copies and fail with E0464 (multiple candidates for `{name}`), so no \
         listing can use it. Use the standard library's API instead (std::os::unix, std::process, std::thread…), or \
         another crate",
        source.display()
    )
}

/// `--extern name=path` for every crate of the facade that has an rlib in target/debug/deps:
/// the newest `lib<name>-*.rlib`.
fn externs(facade: &[(String, String)]) -> Result<Vec<(String, PathBuf)>, String> {
    let deps = deps_dir();
    let files: Vec<(String, PathBuf, std::time::SystemTime)> = std::fs::read_dir(&deps)
        .map_err(|e| format!("{}: {e}", deps.display()))?
        .flatten()
        .filter_map(|e| {
            let f = e.file_name().to_string_lossy().into_owned();
            let mtime = e.metadata().and_then(|m| m.modified()).ok()?;
            f.ends_with(".rlib").then(|| (f, e.path(), mtime))
        })
        .collect();
    let mut out = Vec::new();
    for (name, lib) in facade {
        let prefix = format!("lib{lib}-");
        if let Some((_, p, _)) = files.iter().filter(|(f, _, _)| f.starts_with(&prefix)).max_by_key(|(_, _, t)| *t) {
            out.push((name.clone(), p.clone()));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Compilation, cached by content

/// `rustc -vV`, once: part of every cache key, and named in snapshot mismatches.
pub fn rustc_version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let out = Command::new("rustc").arg("-vV").output().expect("rustc is not on PATH");
        String::from_utf8_lossy(&out.stdout).into_owned()
    })
}

fn short_rustc_version() -> &'static str {
    rustc_version().lines().next().unwrap_or("rustc ?")
}

fn gxx_version() -> Result<&'static str, String> {
    static V: OnceLock<Result<String, String>> = OnceLock::new();
    V.get_or_init(|| {
        let out = Command::new("g++").arg("--version").output().map_err(|e| format!("g++ is needed for C++ listings: {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    })
    .as_deref()
    .map_err(|e| e.clone())
}

fn python_version() -> Result<&'static str, String> {
    static V: OnceLock<Result<String, String>> = OnceLock::new();
    V.get_or_init(|| {
        let out = Command::new("python3").arg("--version").output().map_err(|e| format!("python3 is needed for Python listings: {e}"))?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    })
    .as_deref()
    .map_err(|e| e.clone())
}

/// target/debug/deps, where cargo put the rlibs of book-deps (rayon…): the folder of a test
/// binary, or `deps/` beside a binary such as xtask's.
pub fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let dir = exe.parent().unwrap().to_path_buf();
    if dir.file_name().is_some_and(|n| n == "deps") { dir } else { dir.join("deps") }
}

/// Each source folder of cargo's registry (`$CARGO_HOME/registry/src/<index>`), and the name a
/// reader's default set-up shows for it, `~/.cargo/registry/src/<index>`: a diagnostic that points
/// into a crate's source then reads the same on every machine.
fn registry_remaps() -> Vec<(PathBuf, String)> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let Some(src) = home.map(|h| h.join("registry").join("src")) else { return Vec::new() };
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(&src)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (e.path(), format!("~/.cargo/registry/src/{name}"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn cache_dir() -> PathBuf {
    deps_dir().parent().unwrap().join("listing-cache")
}

pub(crate) fn hash_of(parts: &[&[u8]]) -> String {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Everything that goes into building one program.
#[derive(Debug, Clone)]
struct Build {
    language: Language,
    /// Absolute paths of the listing's folder and program.
    dir: PathBuf,
    source: PathBuf,
    edition: String,
    mode: Mode,
    /// C++: the listing's flags (or the language's default).
    flags: Vec<String>,
    /// The tools' compiler arguments (a sanitizer, `--cfg loom`, `-C opt-level=3`).
    tool_flags: Vec<String>,
    externs: Vec<(String, PathBuf)>,
}

/// The listing's own build: its language, edition, mode and flags, its sanitizer, the facade.
fn base_build(book: &Book, listing: &Listing, source: &Path, language: Language, expect: &Expect, facade: &[(String, String)]) -> Result<Build, String> {
    let flags = match language.spec().default_flags {
        Some(default) => expect.flags.clone().unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect()),
        None => Vec::new(),
    };
    let tool_flags = expect.instrument().map_or(Vec::new(), |t| t.flags.iter().map(|s| s.to_string()).collect());
    let externs = if language == Language::Rust { externs(facade)? } else { Vec::new() };
    // A crate the program names must have been built (cargo test builds listings/deps first).
    let code = std::fs::read_to_string(book.abs(source)).unwrap_or_default();
    for c in code.lines().filter_map(|l| extern_crate_re().captures(l)) {
        if facade.iter().any(|(n, _)| *n == c[1]) && !externs.iter().any(|(n, _)| *n == c[1]) {
            return Err(format!(
                "{}: `extern crate {};`: no lib{}-*.rlib in {}; build listings/deps first (cargo test does it, as a dev-dependency)",
                source.display(),
                &c[1],
                &c[1],
                deps_dir().display()
            ));
        }
    }
    Ok(Build {
        language,
        dir: book.abs(&listing.dir),
        source: book.abs(source),
        edition: expect.edition(&book.edition).to_string(),
        mode: expect.mode,
        flags,
        tool_flags,
        externs,
    })
}

/// What the compiler said.
#[derive(Debug, Default)]
struct Diagnostics {
    /// As `cargo build` prints it (paths as `src/main.rs`), lines trimmed at the end.
    rendered: String,
    /// Error codes and lint names of the errors (`(no code) <message>` for others).
    codes: BTreeSet<String>,
    warnings: usize,
}

struct Compiled {
    ok: bool,
    /// The executable (for Python, the script).
    program: PathBuf,
    diagnostics: Diagnostics,
}

fn compiler_name(b: &Build) -> String {
    match b.language {
        Language::Rust => short_rustc_version().to_string(),
        Language::Cpp => format!("g++ {}", b.flags.iter().chain(&b.tool_flags).cloned().collect::<Vec<_>>().join(" ")),
        Language::Python => "python3 (syntax check)".into(),
    }
}

/// A program that does not build, or builds with warnings, is rejected: the two are told apart.
fn require_clean(c: &Compiled, b: &Build, source: &Path, what: &str) -> Result<(), String> {
    // Name the listing's own file in rustc's `--> src/main.rs:3:5` lines.
    let rendered = c.diagnostics.rendered.replace("--> src/main.rs", &format!("--> {}", source.display()));
    if !c.ok {
        return Err(format!("{}: does not compile{what} with {}:\n{rendered}", source.display(), compiler_name(b)));
    }
    if c.diagnostics.warnings > 0 {
        return Err(format!(
            "{}: has warnings (denied: listings compile warning-free){what} with {}:\n{rendered}",
            source.display(),
            compiler_name(b)
        ));
    }
    Ok(())
}

/// Builds `b`, or takes it from the cache (target/debug/listing-cache/<hash of its inputs>/):
/// failures are cached too, with their diagnostics.
fn compile(b: &Build) -> Result<Compiled, String> {
    let code = std::fs::read(&b.source).map_err(|e| format!("{}: {e}", b.source.display()))?;
    match b.language {
        Language::Rust => compile_rust(b, &code),
        Language::Cpp => compile_cpp(b, &code),
        Language::Python => {
            // No compile step: the syntax is checked before the first run.
            let key = hash_of(&[&code, python_version()?.as_bytes(), b"python-v1"]);
            let (stderr, ok) = cached(&key, "diagnostics.txt", |_| {
                let mut cmd = Command::new("python3");
                cmd.current_dir(&b.dir)
                    .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])"])
                    .arg(b.source.file_name().unwrap());
                cmd
            })?;
            Ok(Compiled { ok, program: b.source.clone(), diagnostics: Diagnostics { rendered: stderr, ..Default::default() } })
        }
    }
}

fn compile_rust(b: &Build, code: &[u8]) -> Result<Compiled, String> {
    let ext_key: Vec<String> = b.externs.iter().map(|(n, p)| format!("{n}={}", p.display())).collect();
    let key = hash_of(&[
        code,
        rustc_version().as_bytes(),
        b.edition.as_bytes(),
        b.mode.name().as_bytes(),
        b.tool_flags.join(" ").as_bytes(),
        ext_key.join(" ").as_bytes(),
        b"rust-v4",
    ]);
    let (json, ok) = cached(&key, "diagnostics.json", |tmp| {
        let mut cmd = Command::new("rustc");
        cmd.current_dir(tmp)
            .arg("--edition")
            .arg(&b.edition)
            .args(["--crate-type", "bin", "--crate-name", "main", "--error-format", "json"])
            .arg("-L")
            .arg(format!("dependency={}", deps_dir().display()));
        if b.mode == Mode::Test {
            cmd.arg("--test");
        }
        for (n, p) in &b.externs {
            cmd.arg("--extern").arg(format!("{n}={}", p.display()));
        }
        // Paths as cargo shows them (src/main.rs), in messages and in panics alike.
        cmd.args(&b.tool_flags).arg("--remap-path-prefix").arg(format!("{}=src", b.dir.display()));
        cmd.arg(&b.source).arg("-o").arg(tmp.join("main"));
        cmd
    })?;
    let mut d = Diagnostics::default();
    let mut rendered = String::new();
    for line in json.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("rustc JSON: {e}"))?;
        let level = v.get("level").and_then(|l| l.as_str()).unwrap_or("");
        let message = v.get("message").and_then(|m| m.as_str()).unwrap_or("");
        if let Some(r) = v.get("rendered").and_then(|r| r.as_str()) {
            rendered.push_str(r);
        }
        match level {
            "error" => match v.get("code").and_then(|c| c.get("code")).and_then(|c| c.as_str()) {
                Some(c) => {
                    d.codes.insert(c.to_string());
                }
                None if message.starts_with("aborting due to") => {}
                None => {
                    d.codes.insert(format!("(no code) {message}"));
                }
            },
            "warning" if !message.ends_with("emitted") => d.warnings += 1,
            _ => {}
        }
    }
    // Paths into the crates' sources as a reader's cargo shows them, whatever CARGO_HOME is on
    // this machine (`~/.cargo/registry/src/index.crates.io-…/tokio-1.54.1/src/…`). rustc's
    // --remap-path-prefix does not reach the spans of other crates, so the text is rewritten.
    for (from, to) in registry_remaps() {
        rendered = rendered.replace(&*from.to_string_lossy(), &to);
    }
    d.rendered = rendered.lines().map(|l| format!("{}\n", l.trim_end())).collect();
    Ok(Compiled { ok, program: cache_dir().join(&key).join("main"), diagnostics: d })
}

fn compile_cpp(b: &Build, code: &[u8]) -> Result<Compiled, String> {
    let flags: Vec<String> = b.flags.iter().chain(&b.tool_flags).cloned().collect();
    let key = hash_of(&[code, gxx_version()?.as_bytes(), flags.join(" ").as_bytes(), b"cpp-v4"]);
    let (stderr, ok) = cached(&key, "diagnostics.txt", |tmp| {
        // Compiled from the listing's folder, its path mapped away: messages, debug information
        // and sanitizer reports name `main.cpp`, wherever the book is.
        let mut cmd = Command::new("g++");
        cmd.current_dir(&b.dir)
            .args(&flags)
            .arg(format!("-ffile-prefix-map={}=.", b.dir.display()))
            .arg(b.source.file_name().unwrap())
            .arg("-o")
            .arg(tmp.join("main"));
        cmd
    })?;
    let warnings = stderr.lines().filter(|l| l.contains(": warning:")).count();
    Ok(Compiled { ok, program: cache_dir().join(&key).join("main"), diagnostics: Diagnostics { rendered: stderr, codes: BTreeSet::new(), warnings } })
}

/// Runs the compiler command that `command` makes for a scratch folder (the executable, if
/// any, is `main` in it), or takes its result from the cache: (what it printed on stderr, saved
/// as `log`; whether it succeeded, saved as the file `succeeded`).
pub(crate) fn cached(key: &str, log: &str, command: impl FnOnce(&Path) -> Command) -> Result<(String, bool), String> {
    let dir = cache_dir().join(key);
    if dir.join(log).is_file() {
        let text = std::fs::read_to_string(dir.join(log)).unwrap_or_default();
        return Ok((text, dir.join("succeeded").is_file()));
    }
    let tmp = tempdir(key)?;
    let mut cmd = command(&tmp);
    let out = run_bounded(&mut cmd, Duration::from_secs(300)).map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.timed_out() {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(format!("{:?} was still running after 300 s", cmd.get_program()));
    }
    let ok = out.status.is_some_and(|s| s.success());
    if ok {
        std::fs::write(tmp.join("succeeded"), b"").map_err(|e| e.to_string())?;
    } else {
        let _ = std::fs::remove_file(tmp.join("main"));
    }
    std::fs::write(tmp.join(log), &out.stderr).map_err(|e| e.to_string())?;
    publish(&tmp, &dir)?;
    Ok((out.stderr, ok))
}

fn tempdir(key: &str) -> Result<PathBuf, String> {
    let t = cache_dir().join(format!("tmp-{key}-{}-{:?}", std::process::id(), std::thread::current().id()));
    let _ = std::fs::remove_dir_all(&t);
    std::fs::create_dir_all(&t).map_err(|e| format!("{}: {e}", t.display()))?;
    Ok(t)
}

/// Moves a finished build into the cache in one rename, so a killed run never leaves half a file.
fn publish(tmp: &Path, dir: &Path) -> Result<(), String> {
    if std::fs::rename(tmp, dir).is_err() {
        // Another run finished the same build first.
        let _ = std::fs::remove_dir_all(tmp);
    }
    Ok(())
}

/// The command that runs a built program in the listing's folder.
fn command(language: Language, program: &Path, dir: &Path, env: &[(&str, &str)]) -> Command {
    let mut cmd = match language {
        Language::Python => {
            let mut c = Command::new("python3");
            c.arg(program).env("PYTHONDONTWRITEBYTECODE", "1");
            c
        }
        _ => Command::new(program),
    };
    cmd.current_dir(dir).env("RUST_BACKTRACE", "0").envs(env.iter().copied());
    cmd
}

// ---------------------------------------------------------------------------------------------
// Compile-fail listings

fn verify_compile_fail(book: &Book, listing: &Listing, build: &Build, expect: &Expect) -> Result<(), String> {
    let compiled = compile(build)?;
    let want: BTreeSet<String> = expect.errors.iter().flatten().cloned().collect();
    let rendered = &compiled.diagnostics.rendered;
    if compiled.ok {
        return Err(format!("compiles with {}, but expect.toml says it must fail with {want:?}\n{rendered}", compiler_name(build)));
    }
    if build.language == Language::Cpp {
        for p in &want {
            if !text_regex(p).expect("validated").is_match(rendered) {
                return Err(format!("{}'s message has no match for {p:?} (errors in expect.toml):\n{rendered}", compiler_name(build)));
            }
        }
        return Ok(());
    }
    let codes = &compiled.diagnostics.codes;
    if *codes != want {
        return Err(format!("{} rejects it with {codes:?}, but expect.toml expects {want:?}:\n{rendered}", short_rustc_version()));
    }
    let snapshot = book.abs(&listing.dir).join("rustc.stderr");
    if blessing() {
        return std::fs::write(&snapshot, rendered).map_err(|e| format!("{}: {e}", snapshot.display()));
    }
    let committed = std::fs::read_to_string(&snapshot).map_err(|_| {
        format!("{} is missing; create it with `BLESS=1 cargo test --test listings -- {}`", listing.dir.join("rustc.stderr").display(), listing.name)
    })?;
    if committed != *rendered {
        return Err(format!(
            "the diagnostic shown to readers ({}) is not what {} prints.\n--- committed\n{committed}--- actual\n{rendered}---\n\
             If the new message is right, update it with `BLESS=1 cargo test --test listings -- {}`",
            listing.dir.join("rustc.stderr").display(),
            short_rustc_version(),
            listing.name
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The tools that are checks of their own

fn tool_budget_ms(expect: &Expect, t: &ToolSpec) -> u64 {
    match t.budget {
        ToolBudget::Times(k) => expect.budget_ms() * k,
        ToolBudget::FixedMs(ms) => ms,
    }
}

/// The verdict of a tool's run: the report it must make, or a clean run as the expectation says.
fn tool_verdict(t: &ToolSpec, expect: &Expect, out: &Outcome, bound_ms: u64) -> Result<(), String> {
    if out.timed_out() {
        return Err(format!("still running after {bound_ms} ms, its bound under {}; killed", t.title));
    }
    let status = status_of(out);
    let sig: Signature = t.report.expect("loom and Miri report");
    let both = format!("{}{}", out.stdout, out.stderr);
    match expect.report_of(t.tool) {
        Some(what) => {
            let needle = format!("{}{what}", sig.marker);
            if !both.contains(&needle) || sig.status.is_some_and(|s| status != Some(s)) {
                return Err(format!(
                    "expected {} to report {needle:?} ({}); got {}",
                    t.title,
                    sig.status.map_or(String::new(), |s| s.to_string()),
                    out.describe_status()
                ));
            }
        }
        None => {
            if !sig.marker.is_empty() && both.contains(sig.marker) {
                let line = both.lines().find(|l| l.contains(sig.marker)).unwrap_or("");
                return Err(format!("{} reported {line:?}, and expect.toml expects no report (reports = {{ {} = \"…\" }} if it must)", t.title, t.name));
            }
            let want = match expect.expect {
                Expectation::Panic => Status::Code(101),
                _ => expect.expected_status(),
            };
            if status != Some(want) {
                return Err(format!("expected {want} under {}, got {}", t.title, out.describe_status()));
            }
            if expect.expect == Expectation::Panic {
                let msg = expect.panic.as_deref().unwrap();
                if !out.stderr.contains(msg) {
                    return Err(format!("expected the panic message {msg:?} under {}", t.title));
                }
            }
        }
    }
    Ok(())
}

/// loom: the `#[test]`s built again with `--cfg loom` against the facade's loom, and run.
fn check_loom(book: &Book, listing: &Listing, source: &Path, expect: &Expect, base: &Build, facade: &[(String, String)]) -> Result<(), String> {
    let t = Tool::Loom.spec();
    if !base.externs.iter().any(|(n, _)| n == "loom") {
        return Err(if facade.iter().any(|(n, _)| n == "loom") {
            format!("no libloom-*.rlib in {}: build the workspace first (cargo test builds listings/deps)", deps_dir().display())
        } else {
            "the loom crate is not in listings/deps/Cargo.toml; add it there, pinned with `=`".into()
        });
    }
    let mut build = base.clone();
    build.tool_flags.extend(t.flags.iter().map(|s| s.to_string()));
    let compiled = compile(&build)?;
    require_clean(&compiled, &build, source, " with --cfg loom")?;
    let bound = tool_budget_ms(expect, t);
    let mut cmd = command(Language::Rust, &compiled.program, &book.abs(&listing.dir), t.env);
    let out = run_bounded(&mut cmd, Duration::from_millis(bound)).map_err(|e| e.to_string())?;
    tool_verdict(t, expect, &out, bound).map_err(|e| failure("", &e, &out))
}

/// The release build: it builds warning-free and its run keeps the stdout contract (the format
/// of what a benchmark prints; `cargo xtask bench` reports the figures). A language that has no
/// optimising build (Python) has nothing more to check: the listing's own runs were its runs.
fn check_bench(book: &Book, listing: &Listing, source: &Path, expect: &Expect, base: &Build, sample: Option<&str>) -> Result<(), String> {
    if !base.language.spec().optimises {
        return Ok(());
    }
    let t = Tool::Bench.spec();
    let mut build = base.clone();
    build.tool_flags.extend(t.flags.iter().map(|s| s.to_string()));
    let compiled = compile(&build)?;
    require_clean(&compiled, &build, source, " (release build)")?;
    let bound = tool_budget_ms(expect, t);
    let mut cmd = command(Language::Rust, &compiled.program, &book.abs(&listing.dir), t.env);
    let out = run_bounded(&mut cmd, Duration::from_millis(bound)).map_err(|e| e.to_string())?;
    check_outcome(expect, Language::Rust, None, &out, sample, bound).map_err(|e| failure("release build: ", &e, &out))
}

/// The toolchain `cargo +… miri` runs with.
pub const MIRI_TOOLCHAIN: &str = "nightly";

/// Whether `cargo +<toolchain> miri` can run here: its version, or why not. Asked once.
fn miri_available(toolchain: &str) -> Result<String, String> {
    static CACHE: std::sync::Mutex<Vec<(String, Result<String, String>)>> = std::sync::Mutex::new(Vec::new());
    if let Some((_, r)) = CACHE.lock().unwrap().iter().find(|(t, _)| t == toolchain) {
        return r.clone();
    }
    let mut cmd = Command::new("cargo");
    cmd.arg(format!("+{toolchain}")).args(["miri", "--version"]);
    let r = match run_bounded(&mut cmd, Duration::from_secs(60)) {
        Err(e) => Err(format!("`cargo +{toolchain} miri --version` cannot run ({e}); rustup's cargo is not on PATH")),
        Ok(out) if out.status.is_some_and(|s| s.success()) => Ok(out.stdout.trim().to_string()),
        Ok(out) => {
            let why = out.stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim().trim_start_matches("error: ").to_string();
            Err(format!(
                "`cargo +{toolchain} miri --version` failed ({why}); install Miri with `rustup toolchain install {toolchain} --component miri`"
            ))
        }
    };
    CACHE.lock().unwrap().push((toolchain.to_string(), r.clone()));
    r
}

/// Miri's sysroot is built once, with a bound of its own, before the first listing's check.
fn miri_setup(toolchain: &str) -> Result<(), String> {
    static DONE: std::sync::Mutex<Option<Result<(), String>>> = std::sync::Mutex::new(None);
    let mut done = DONE.lock().unwrap();
    if let Some(r) = &*done {
        return r.clone();
    }
    let mut cmd = Command::new("cargo");
    cmd.arg(format!("+{toolchain}")).args(["miri", "setup"]);
    let r = match run_bounded(&mut cmd, Duration::from_secs(900)) {
        Ok(out) if out.status.is_some_and(|s| s.success()) => Ok(()),
        Ok(out) => Err(format!("`cargo +{toolchain} miri setup` failed ({}):\n{}", out.describe_status(), tail(&out.stderr, 20))),
        Err(e) => Err(format!("cannot run cargo: {e}")),
    };
    *done = Some(r.clone());
    r
}

/// Miri: the listing as a scratch cargo package (its edition; the facade's crates as its
/// dependencies, pinned by the workspace's Cargo.lock), `cargo +nightly miri run` (or `test`).
/// The outcome is cached by content: Miri is deterministic for the same inputs.
fn check_miri(book: &Book, listing: &Listing, source: &Path, expect: &Expect, sample: Option<&str>, toolchain: &str) -> Result<Option<Skipped>, String> {
    let t = Tool::Miri.spec();
    let version = match miri_available(toolchain) {
        Ok(v) => v,
        Err(why) => return Ok(Some(Skipped { listing: listing.dir.clone(), tool: Tool::Miri, why })),
    };
    let code = std::fs::read(book.abs(source)).map_err(|e| format!("{}: {e}", source.display()))?;
    let deps_toml = std::fs::read_to_string(book.root.join("listings/deps/Cargo.toml")).unwrap_or_default();
    let dependencies = toml::from_str::<toml::Table>(&deps_toml)
        .ok()
        .and_then(|t| t.get("dependencies").and_then(|d| d.as_table()).cloned())
        .unwrap_or_default();
    let edition = expect.edition(&book.edition).to_string();
    let env: Vec<String> = t.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let key = hash_of(&[
        &code,
        version.as_bytes(),
        edition.as_bytes(),
        expect.mode.name().as_bytes(),
        toml::Value::Table(dependencies.clone()).to_string().as_bytes(),
        env.join(" ").as_bytes(),
        b"miri-v2",
    ]);
    let saved = cache_dir().join(&key).join("miri-outcome.json");
    let load = || std::fs::read_to_string(&saved).ok().and_then(|s| Outcome::from_json(&s));
    let out = match load() {
        Some(o) => o,
        None => {
            // One Miri run at a time: they share a target folder, and each is heavy.
            static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
            let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
            match load() {
                Some(o) => o,
                None => {
                    let package = MiriPackage { key: &key, code: &code, edition: &edition, dependencies: &dependencies, mode: expect.mode };
                    let out = package.run(book, toolchain, tool_budget_ms(expect, t))?;
                    // A failure of cargo-miri itself (not of the program) is not an outcome to keep.
                    if out.stderr.contains("cargo-miri/src/") || out.stderr.contains("error: failed to ") {
                        return Err(format!("cargo miri failed to run the program:\n{}", tail(&out.stderr, 30)));
                    }
                    std::fs::create_dir_all(saved.parent().unwrap()).map_err(|e| e.to_string())?;
                    let tmp = saved.with_extension(format!("tmp-{}", std::process::id()));
                    std::fs::write(&tmp, out.to_json()).map_err(|e| e.to_string())?;
                    std::fs::rename(&tmp, &saved).map_err(|e| e.to_string())?;
                    out
                }
            }
        }
    };
    tool_verdict(t, expect, &out, tool_budget_ms(expect, t)).map_err(|e| failure("", &e, &out))?;
    if expect.report_of(Tool::Miri).is_none() && expect.mode == Mode::Bin {
        if let Some(c) = &expect.stdout {
            check_stdout(c, sample, &out.stdout).map_err(|e| failure("under Miri: ", &e, &out))?;
        }
    }
    Ok(None)
}

/// A listing as the cargo package Miri runs.
struct MiriPackage<'a> {
    key: &'a str,
    code: &'a [u8],
    edition: &'a str,
    dependencies: &'a toml::Table,
    mode: Mode,
}

impl MiriPackage<'_> {
    /// `cargo +<toolchain> miri run` (or `test`) in the package's folder. Each key has its own
    /// folder and package name, so that cargo never takes one listing's build for another's.
    fn run(&self, book: &Book, toolchain: &str, bound_ms: u64) -> Result<Outcome, String> {
        miri_setup(toolchain)?;
        let pkg = cache_dir().join("miri-packages").join(self.key);
        std::fs::create_dir_all(pkg.join("src")).map_err(|e| e.to_string())?;
        let (file, target) = match self.mode {
            Mode::Test => ("src/lib.rs", "[lib]\npath = \"src/lib.rs\"\ndoctest = false\n"),
            Mode::Bin => ("src/main.rs", ""),
        };
        let manifest = format!(
            "[package]\nname = \"listing-{}\"\nversion = \"0.0.0\"\nedition = \"{}\"\npublish = false\n\n{target}\n[dependencies]\n{}\n[workspace]\n",
            self.key,
            self.edition,
            toml::to_string(self.dependencies).map_err(|e| e.to_string())?
        );
        std::fs::write(pkg.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
        std::fs::write(pkg.join(file), self.code).map_err(|e| e.to_string())?;
        if let Ok(lock) = std::fs::read(book.root.join("Cargo.lock")) {
            std::fs::write(pkg.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
        }
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&pkg)
            .arg(format!("+{toolchain}"))
            .args(["miri", if self.mode == Mode::Test { "test" } else { "run" }, "--quiet", "--offline"])
            .env("CARGO_TARGET_DIR", cache_dir().join("miri-target"))
            .env("RUST_BACKTRACE", "0")
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .envs(Tool::Miri.spec().env.iter().copied());
        let out = run_bounded(&mut cmd, Duration::from_millis(bound_ms)).map_err(|e| format!("cannot run cargo miri: {e}"))?;
        if out.timed_out() {
            return Err(format!("still running after {bound_ms} ms, its bound under Miri; killed"));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_tool_summary_counts_each_tool_and_its_required_findings() {
        let ran = [(Tool::Loom, true), (Tool::Loom, false), (Tool::Miri, false), (Tool::Tsan, true)];
        assert_eq!(tool_summary(&ran), "tool checks run: tsan 1 (1 required to find a failure), loom 2 (1 required to find a failure), miri 1");
        assert_eq!(tool_summary(&[]), "tool checks run: none");
    }

    use super::*;

    #[test]
    fn miri_is_skipped_plainly_when_its_toolchain_is_missing() {
        let why = miri_available("no-such-toolchain-for-this-test").unwrap_err();
        assert!(why.contains("cargo +no-such-toolchain-for-this-test miri --version") && why.contains("rustup toolchain install"), "{why}");
        let s = Skipped { listing: PathBuf::from("listings/ch09-x/listing-09-01"), tool: Tool::Miri, why };
        let text = s.to_string();
        assert!(text.starts_with("SKIPPED listings/ch09-x/listing-09-01: the Miri check (tools = [\"miri\"]) did not run: "), "{text}");
    }

    #[test]
    fn a_listings_miri_check_is_skipped_naming_it_when_miri_is_missing() {
        let root = std::env::temp_dir().join(format!("book-miri-skip-{}", std::process::id()));
        let dir = root.join("listings/ch09-x/listing-09-01");
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(root.join("book.toml"), "[rust]\nedition = \"2024\"\n").unwrap();
        std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n").unwrap();
        std::fs::write(dir.join("main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(dir.join("expect.toml"), "expect = \"run\"\ntools = [\"miri\"]\n").unwrap();
        let book = Book::load(&root).unwrap();
        let listing = &book.listings[0];
        let (source, _, expect) = contract_of(&book, listing).unwrap();
        let skipped = check_miri(&book, listing, &source, &expect, None, "no-such-toolchain-for-this-test").unwrap();
        let _ = std::fs::remove_dir_all(&root);
        let text = skipped.expect("no such toolchain, so no Miri: skipped").to_string();
        assert!(text.starts_with("SKIPPED listings/ch09-x/listing-09-01: the Miri check (tools = [\"miri\"]) did not run: "), "{text}");
    }

    #[test]
    fn crate_uses_need_extern_crate_and_no_sysroot_copy() {
        let facade = vec![("rayon".to_string(), "rayon".to_string())];
        let src = Path::new("listings/ch01-x/listing-01-01/main.rs");
        let e = check_crate_uses(src, "use std::thread;\nuse rayon::prelude::*;\nfn main() {}\n", &facade).unwrap_err();
        assert!(e.starts_with("listings/ch01-x/listing-01-01/main.rs:2: ") && e.contains("extern crate rayon;") && e.contains("E0433"), "{e}");
        let ok = format!("extern crate {EXTERN_HINT} rayon;\nuse rayon::prelude::*;\nfn main() {{}}\n");
        assert!(check_crate_uses(src, &ok, &facade).is_ok());
        // Without the hint, a bare `mdbook test` would fail naming nothing.
        let e = check_crate_uses(src, "extern crate rayon;\nuse rayon::prelude::*;\nfn main() {}\n", &facade).unwrap_err();
        assert!(e.starts_with("listings/ch01-x/listing-01-01/main.rs:1: ") && e.contains("E0463") && e.contains(EXTERN_HINT), "{e}");
        // A path in a comment is not a use.
        assert!(check_crate_uses(src, "fn main() {} // rayon::join would do it\n", &facade).is_ok());
        let e = check_crate_uses(src, "fn main() {\n    let _ = unsafe { libc::getpid() };\n}\n", &facade).unwrap_err();
        assert!(e.starts_with("listings/ch01-x/listing-01-01/main.rs:2: ") && e.contains("E0464"), "{e}");
        let e = check_crate_uses(src, "extern crate crossbeam;\nfn main() {}\n", &facade).unwrap_err();
        assert!(e.contains("not in listings/deps/Cargo.toml"), "{e}");
    }
}

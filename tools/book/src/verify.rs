//! The checks: one per kind of listing, one for a chapter's markdown.
//!
//! Every message starts with the file (and line) at fault.

use crate::book::{Book, Listing};
use crate::contract::{DEFAULT_TIMEOUT_MS, Expect, Kind, check_stdout, kind_name};
use crate::markdown::{CodeBlock, is_error_code};
use crate::process::{Outcome, run_bounded};
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

// ---------------------------------------------------------------------------------------------
// Listings

/// Verifies one listing according to its expect.toml, and checks that the chapters show it with
/// the right fence.
pub fn verify_listing(book: &Book, listing: &Listing) -> Result<(), String> {
    let name = listing.dir.display().to_string();
    let source = listing
        .source
        .as_ref()
        .ok_or_else(|| format!("{name}: has neither main.rs nor main.cpp"))?;
    let expect = book.expect(listing)?;
    let uses = book.uses_of(listing);
    if uses.is_empty() {
        let directive = if expect.kind == Kind::Cpp { "include" } else { "rustdoc_include" };
        return Err(format!(
            "{name}: no chapter shows {}; show it in a {} block with {{{{#{directive} ../{}}}}} (or delete the listing)",
            source.display(),
            expect.kind.fence_hint(),
            source.display()
        ));
    }
    for u in &uses {
        if let Some(block) = u.block {
            check_fence(&expect, block).map_err(|e| format!("{}: {name}: {e}", u.location()))?;
        }
    }
    let shown_at = uses.iter().map(|u| u.location()).collect::<Vec<_>>().join(", ");
    let ctx = |e: String| format!("{name} (shown at {shown_at}): {e}");

    // The sample output shown to readers must satisfy the same contract as a real run.
    let sample_path = book.abs(&listing.dir).join("output.txt");
    let sample = std::fs::read_to_string(&sample_path).ok();
    if expect.needs_sample() && sample.is_none() && !blessing() {
        return Err(ctx(format!("needs an output.txt (its [stdout] match is {:?})", expect.stdout.as_ref().unwrap().mode)));
    }
    check_samples(book, listing, &expect, sample.as_deref()).map_err(ctx)?;

    match expect.kind {
        Kind::CompileFail => verify_compile_fail(book, listing, &expect),
        Kind::Cpp => {
            let exe = compile_cpp(book, source, &expect)?;
            verify_runs(book, listing, &expect, &exe, sample.as_deref())
        }
        _ => {
            let exe = compile_rust(book, source)?;
            verify_runs(book, listing, &expect, &exe, sample.as_deref())
        }
    }
    .map_err(ctx)
}

/// The samples shown to readers satisfy the same contract as a real run: every `output*.txt`
/// the stdout contract, every `stderr*.txt` the stderr contract (and the panic message).
fn check_samples(book: &Book, listing: &Listing, expect: &Expect, sample: Option<&str>) -> Result<(), String> {
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
                None => return Err(bad("expect.toml has no [stdout] contract to check it against".into())),
            }
        } else {
            let mut wanted: Vec<&str> = expect.stderr.iter().flat_map(|c| c.contains.iter().map(String::as_str)).collect();
            if expect.kind == Kind::ShouldPanic {
                wanted.extend(["panicked at", expect.panic.as_deref().unwrap()]);
            }
            if wanted.is_empty() {
                return Err(bad("expect.toml has no [stderr] contract (or panic message) to check it against".into()));
            }
            if let Some(w) = wanted.iter().find(|w| !text.contains(*w)) {
                return Err(bad(format!("it does not contain {w:?}")));
            }
        }
    }
    Ok(())
}

/// The fence of a block that shows a listing must say what the listing is, so that `mdbook test`
/// treats it the same way as the harness.
fn check_fence(expect: &Expect, b: &CodeBlock) -> Result<(), String> {
    let toks = b.tokens();
    let want = expect.kind.fence_hint();
    let bad = |why: &str| Err(format!("fence ```{} does not match kind = \"{}\" in expect.toml ({why}; use {want})", b.info, kind_name(expect.kind)));
    if expect.kind == Kind::Cpp {
        return if toks.first().is_some_and(|t| *t == "cpp" || *t == "c++") { Ok(()) } else { bad("a C++ listing") };
    }
    if !b.is_rust() {
        return bad("rustdoc would not treat this block as Rust");
    }
    let flag = |t: &str| toks.contains(&t);
    let (cf, np, sp) = (flag("compile_fail"), flag("no_run"), flag("should_panic"));
    match expect.kind {
        Kind::Run if cf || np || sp => bad("a runnable listing has no compile_fail/no_run/should_panic"),
        Kind::ShouldPanic if !sp || cf || np => bad("needs should_panic"),
        Kind::Hangs if !np || cf || sp => bad("a hanging listing must be no_run, or mdbook test would hang"),
        Kind::CompileFail if !cf => bad("needs compile_fail"),
        Kind::CompileFail => {
            let in_fence: BTreeSet<&str> = toks.iter().copied().filter(|t| is_error_code(t)).collect();
            let codes: BTreeSet<&str> = expect.errors.iter().flatten().map(String::as_str).filter(|t| is_error_code(t)).collect();
            if in_fence != codes {
                return bad(&format!("the fence names {in_fence:?}, expect.toml's errors name {codes:?}"));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn verify_runs(book: &Book, listing: &Listing, expect: &Expect, exe: &Path, sample: Option<&str>) -> Result<(), String> {
    let runs = expect.runs();
    let timeout = Duration::from_millis(expect.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS));
    for i in 1..=runs {
        let bound = if expect.kind == Kind::Hangs { Duration::from_millis(expect.bound_ms.unwrap()) } else { timeout };
        let mut cmd = Command::new(exe);
        cmd.current_dir(book.abs(&listing.dir)).env("RUST_BACKTRACE", "0");
        let mut out = run_bounded(&mut cmd, bound).map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        if expect.kind == Kind::Cpp && out.stderr.contains("ThreadSanitizer: unexpected memory mapping") {
            // Older TSan runtimes cannot cope with high ASLR entropy; rerun without ASLR.
            let mut cmd = Command::new("setarch");
            cmd.arg("-R").arg(exe).current_dir(book.abs(&listing.dir));
            out = run_bounded(&mut cmd, bound).map_err(|e| format!("cannot run setarch: {e}"))?;
        }
        let run = if runs > 1 { format!("run {i} of {runs}: ") } else { String::new() };
        check_outcome(expect, &out, sample).map_err(|e| {
            format!("{run}{e}\n--- stderr\n{}---", tail(&out.stderr, 60))
        })?;
        if blessing() && i == 1 {
            if let Some(c) = &expect.stdout {
                if c.mode == crate::contract::Match::Exact && sample != Some(out.stdout.as_str()) {
                    std::fs::write(book.abs(&listing.dir).join("output.txt"), &out.stdout).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    Ok(())
}

fn check_outcome(expect: &Expect, out: &Outcome, sample: Option<&str>) -> Result<(), String> {
    match expect.kind {
        Kind::Hangs => {
            if !out.timed_out() {
                return Err(format!(
                    "expected to still be blocked after {} ms, but it ended first ({}) after {} ms",
                    expect.bound_ms.unwrap(),
                    out.describe_status(),
                    out.elapsed.as_millis()
                ));
            }
            if out.blocked_at_bound == Some(false) {
                return Err(format!(
                    "still running after {} ms, but not blocked: a thread was busy (state R), so \
                     this is a loop, not a deadlock",
                    expect.bound_ms.unwrap()
                ));
            }
        }
        _ if out.timed_out() => {
            return Err(format!(
                "still running after {} ms; killed. Does it hang? A listing that blocks on purpose \
                 is kind = \"hangs\"",
                out.elapsed.as_millis()
            ));
        }
        Kind::ShouldPanic => {
            let msg = expect.panic.as_deref().unwrap();
            let code = out.status.and_then(|s| s.code());
            if code != Some(101) || !out.stderr.contains("panicked at") || !out.stderr.contains(msg) {
                return Err(format!("expected a panic with the message {msg:?} (exit status 101); got {}", out.describe_status()));
            }
        }
        Kind::Run | Kind::Cpp => {
            let want = expect.exit.unwrap_or(0);
            if out.status.and_then(|s| s.code()) != Some(want) {
                return Err(format!("expected exit status {want}, got {}", out.describe_status()));
            }
        }
        Kind::CompileFail => unreachable!(),
    }
    if let Some(c) = &expect.stderr {
        for s in &c.contains {
            if !out.stderr.contains(s.as_str()) {
                return Err(format!("stderr does not contain {s:?}"));
            }
        }
    }
    if let Some(c) = &expect.stdout {
        if !(blessing() && c.mode == crate::contract::Match::Exact) {
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

/// The folder that holds the test binary: target/debug/deps, where cargo put the rlibs of
/// book-deps (rayon…).
pub fn deps_dir() -> PathBuf {
    std::env::current_exe().expect("current_exe").parent().unwrap().to_path_buf()
}

fn cache_dir() -> PathBuf {
    deps_dir().parent().unwrap().join("listing-cache")
}

fn hash_of(parts: &[&[u8]]) -> String {
    let mut h = std::hash::DefaultHasher::new();
    for p in parts {
        p.hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// `--extern name=path` for each `extern crate name;` line of the source: the newest
/// `libname-*.rlib` in target/debug/deps.
fn externs(source: &str) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    for line in source.lines() {
        let Some(rest) = line.trim().strip_prefix("extern crate ") else { continue };
        let name = rest.trim_end_matches(';').split_whitespace().next().unwrap_or("").to_string();
        let prefix = format!("lib{name}-");
        let newest = std::fs::read_dir(deps_dir())
            .map_err(|e| e.to_string())?
            .flatten()
            .filter(|e| {
                let f = e.file_name().to_string_lossy().to_string();
                f.starts_with(&prefix) && f.ends_with(".rlib")
            })
            .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
            .map(|e| e.path())
            .ok_or_else(|| format!("`extern crate {name};`: no lib{name}-*.rlib in {}; add the crate to listings/deps/Cargo.toml", deps_dir().display()))?;
        out.push((name, newest));
    }
    Ok(out)
}

/// Compiles a Rust listing as `cargo run` would in a debug build (overflow checks on), warnings
/// denied. Returns the cached executable.
fn compile_rust(book: &Book, source: &Path) -> Result<PathBuf, String> {
    let abs = book.abs(source);
    let code = std::fs::read(&abs).map_err(|e| format!("{}: {e}", source.display()))?;
    let ext = externs(&String::from_utf8_lossy(&code))?;
    let ext_key: Vec<String> = ext.iter().map(|(n, p)| format!("{n}={}", p.display())).collect();
    let key = hash_of(&[&code, rustc_version().as_bytes(), book.edition.as_bytes(), ext_key.join(" ").as_bytes(), b"rust-v1"]);
    cached_exe(
        &key,
        |out| {
            let mut cmd = Command::new("rustc");
            cmd.arg("--edition").arg(&book.edition)
                .args(["--crate-type", "bin", "--crate-name", "main", "-D", "warnings", "--color", "never"])
                .arg("-L").arg(format!("dependency={}", deps_dir().display()));
            for (n, p) in &ext {
                cmd.arg("--extern").arg(format!("{n}={}", p.display()));
            }
            cmd.arg(&abs).arg("-o").arg(out);
            cmd
        },
        |stderr| format!("{}: does not compile warning-free with {}:\n{stderr}", source.display(), short_rustc_version()),
    )
}

fn compile_cpp(book: &Book, source: &Path, expect: &Expect) -> Result<PathBuf, String> {
    let abs = book.abs(source);
    let code = std::fs::read(&abs).map_err(|e| format!("{}: {e}", source.display()))?;
    let flags = expect.flags.clone().unwrap_or_default();
    let gxx = Command::new("g++").arg("--version").output().map_err(|e| format!("g++ is needed for C++ listings: {e}"))?;
    let key = hash_of(&[&code, &gxx.stdout, flags.join(" ").as_bytes(), b"cpp-v1"]);
    cached_exe(
        &key,
        |out| {
            let mut cmd = Command::new("g++");
            cmd.args(&flags).arg(&abs).arg("-o").arg(out);
            cmd
        },
        |stderr| format!("{}: g++ {} failed:\n{stderr}", source.display(), flags.join(" ")),
    )
}

/// The executable for `key` (a hash of everything that goes into it) from the cache, or built
/// there by the compiler command that `command` makes for a given output path.
fn cached_exe(key: &str, command: impl FnOnce(&Path) -> Command, failure: impl FnOnce(String) -> String) -> Result<PathBuf, String> {
    let dir = cache_dir().join(key);
    let exe = dir.join("main");
    if exe.is_file() {
        return Ok(exe);
    }
    let tmp = tempdir(key)?;
    let mut cmd = command(&tmp.join("main"));
    let out = run_bounded(&mut cmd, Duration::from_secs(300)).map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.is_none_or(|s| !s.success()) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(failure(out.stderr));
    }
    publish(&tmp, &dir)?;
    Ok(exe)
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

// ---------------------------------------------------------------------------------------------
// Compile-fail listings

/// The diagnostics rustc gives for a compile-fail listing: (error codes and lint names, the
/// human-readable text as `cargo build` would print it, with the path `src/main.rs`).
fn rustc_diagnostics(book: &Book, source: &Path) -> Result<(BTreeSet<String>, String, bool), String> {
    let code = std::fs::read(book.abs(source)).map_err(|e| format!("{}: {e}", source.display()))?;
    let key = hash_of(&[&code, rustc_version().as_bytes(), book.edition.as_bytes(), b"fail-v1"]);
    let dir = cache_dir().join(&key);
    let json_path = dir.join("diagnostics.json");
    let (json, compiled) = if json_path.is_file() {
        (std::fs::read_to_string(&json_path).unwrap_or_default(), dir.join("compiled").exists())
    } else {
        let tmp = tempdir(&key)?;
        std::fs::create_dir_all(tmp.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(tmp.join("src/main.rs"), &code).map_err(|e| e.to_string())?;
        let mut cmd = Command::new("rustc");
        cmd.current_dir(&tmp)
            .arg("--edition").arg(&book.edition)
            .args(["--crate-type", "bin", "--crate-name", "main", "--error-format", "json", "src/main.rs", "-o", "main"]);
        let out = run_bounded(&mut cmd, Duration::from_secs(300)).map_err(|e| format!("cannot run rustc: {e}"))?;
        let compiled = out.status.is_some_and(|s| s.success());
        std::fs::write(tmp.join("diagnostics.json"), &out.stderr).map_err(|e| e.to_string())?;
        if compiled {
            std::fs::write(tmp.join("compiled"), b"").map_err(|e| e.to_string())?;
        }
        let _ = std::fs::remove_file(tmp.join("main"));
        let _ = std::fs::remove_dir_all(tmp.join("src"));
        publish(&tmp, &dir)?;
        (out.stderr, compiled)
    };
    let mut codes = BTreeSet::new();
    let mut rendered = String::new();
    for line in json.lines().filter(|l| l.starts_with('{')) {
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("rustc JSON: {e}"))?;
        let level = v.get("level").and_then(|l| l.as_str()).unwrap_or("");
        let message = v.get("message").and_then(|m| m.as_str()).unwrap_or("");
        if let Some(r) = v.get("rendered").and_then(|r| r.as_str()) {
            rendered.push_str(r);
        }
        if level == "error" {
            match v.get("code").and_then(|c| c.get("code")).and_then(|c| c.as_str()) {
                Some(c) => {
                    codes.insert(c.to_string());
                }
                None if message.starts_with("aborting due to") => {}
                None => {
                    codes.insert(format!("(no code) {message}"));
                }
            }
        }
    }
    let normalized: String = rendered.lines().map(|l| format!("{}\n", l.trim_end())).collect();
    Ok((codes, normalized, compiled))
}

fn verify_compile_fail(book: &Book, listing: &Listing, expect: &Expect) -> Result<(), String> {
    let source = listing.source.as_ref().unwrap();
    let (codes, rendered, compiled) = rustc_diagnostics(book, source)?;
    let want: BTreeSet<String> = expect.errors.iter().flatten().cloned().collect();
    if compiled {
        return Err(format!(
            "compiles with {}, but expect.toml says it must fail with {want:?}\n{rendered}",
            short_rustc_version()
        ));
    }
    if codes != want {
        return Err(format!(
            "{} rejects it with {codes:?}, but expect.toml expects {want:?}:\n{rendered}",
            short_rustc_version()
        ));
    }
    let snapshot = book.abs(&listing.dir).join("rustc.stderr");
    if blessing() {
        return std::fs::write(&snapshot, &rendered).map_err(|e| format!("{}: {e}", snapshot.display()));
    }
    let committed = std::fs::read_to_string(&snapshot).map_err(|_| {
        format!("{} is missing; create it with `BLESS=1 cargo test --test listings -- {}`", snapshot.display(), listing.name)
    })?;
    if committed != rendered {
        return Err(format!(
            "the diagnostic shown to readers ({}) is not what {} prints.\n--- committed\n{committed}--- actual\n{rendered}---\n\
             If the new message is right, update it with `BLESS=1 cargo test --test listings -- {}`",
            snapshot.display(),
            short_rustc_version(),
            listing.name
        ));
    }
    Ok(())
}

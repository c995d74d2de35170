//! The checks can fail: each test copies the book, breaks one thing the way a contributor might,
//! and asserts that the harness rejects the copy with a message naming the file at fault.
//!
//! The mutants are picked from the book as it is (the first listing of the right kind), so these
//! tests keep working as chapters change; if the book has no listing of a kind, the test says so
//! and fails rather than passing vacuously. The tools and contract features no listing of the
//! book uses yet (ASan, loom, Miri, Python, test mode, editions) are proved on tiny listings
//! added to a copy of the book ([`add_listing`]).

use concurrency_book::book::{Book, Listing};
use concurrency_book::chapter::check_chapter;
use concurrency_book::contract::{Expect, Expectation, Language, Match};
use concurrency_book::quiz::{check_quiz, quiz_files};
use concurrency_book::verify::{Verdict, check_listing_folders, verify_listing};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scratch copy of the book (book.toml, src/, listings/, theme/, tools/, exercises/, and a
/// link to .tools/).
struct Copy {
    root: PathBuf,
}

impl Copy {
    fn new() -> Copy {
        static N: AtomicUsize = AtomicUsize::new(0);
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = std::env::temp_dir().join(format!(
            "book-mutant-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        for item in ["book.toml", "src", "listings", "theme", "tools", "exercises", "Cargo.lock"] {
            copy_tree(&here.join(item), &root.join(item));
        }
        let _ = std::os::unix::fs::symlink(here.join(".tools"), root.join(".tools"));
        Copy { root }
    }

    fn book(&self) -> Book {
        Book::load(&self.root).unwrap()
    }

    fn edit(&self, rel: &Path, f: impl FnOnce(String) -> String) {
        let p = self.root.join(rel);
        let before = std::fs::read_to_string(&p).unwrap();
        let after = f(before.clone());
        assert_ne!(before, after, "the mutation of {} changed nothing", rel.display());
        std::fs::write(p, after).unwrap();
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else if from.is_file() {
        std::fs::copy(from, to).unwrap();
    }
}

/// The language of a listing of the book, from its source file.
fn language(book: &Book, l: &Listing) -> Option<Language> {
    let _ = book;
    l.source.as_deref().and_then(Language::of)
}

/// The first listing of the book for which `pick` holds.
fn find(book: &Book, what: &str, pick: impl Fn(&Listing, &Expect, &str) -> bool) -> String {
    for l in &book.listings {
        let (Ok(e), Some(src)) = (book.expect(l), &l.source) else { continue };
        let code = std::fs::read_to_string(book.abs(src)).unwrap_or_default();
        if pick(l, &e, &code) {
            return l.name.clone();
        }
    }
    panic!("the book has no {what} to mutate; these tests need one");
}

/// A Rust listing that runs to completion.
fn runs(book: &Book, l: &Listing, e: &Expect) -> bool {
    e.expect == Expectation::Run && language(book, l) == Some(Language::Rust)
}

fn listing<'a>(book: &'a Book, name: &str) -> &'a Listing {
    book.listings.iter().find(|l| l.name == name).unwrap()
}

/// Asserts the mutated listing fails verification with a message naming it.
fn assert_rejected(copy: &Copy, name: &str, why: &str) -> String {
    let book = copy.book();
    let l = listing(&book, name);
    match verify_listing(&book, l) {
        Ok(_) => panic!("{name}: the harness accepted a listing with {why}"),
        Err(e) => {
            assert!(e.contains(&l.dir.display().to_string()), "the message does not name {}: {e}", l.dir.display());
            e
        }
    }
}

const CH01: &str = "ch01-concurrency-vs-parallelism";

/// Adds the listing `listings/ch01-…/<folder>/` with `files` to the copy, shown in §1.3 in a
/// block with `fence`, and returns its name.
fn add_listing(copy: &Copy, folder: &str, fence: &str, files: &[(&str, &str)]) -> String {
    let dir = copy.root.join("listings").join(CH01).join(folder);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    let source = files.iter().map(|(f, _)| *f).find(|f| f.starts_with("main.")).expect("a program");
    let directive = if source == "main.rs" { "rustdoc_include" } else { "include" };
    let ch = copy.book().chapters.iter().find(|c| c.path.to_string_lossy().contains("ch01-03")).unwrap().path.clone();
    copy.edit(&ch, |s| format!("{s}\n```{fence}\n{{{{#{directive} ../listings/{CH01}/{folder}/{source}}}}}\n```\n"));
    format!("{CH01}/{folder}")
}

/// Verifies a listing added with [`add_listing`].
fn verify(copy: &Copy, name: &str) -> Result<Verdict, String> {
    let book = copy.book();
    verify_listing(&book, listing(&book, name))
}

// ---------------------------------------------------------------------------------------------
// Listings of the book, broken

#[test]
fn a_changed_hidden_assertion_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with assert_eq!", |l, e, code| runs(&book, l, e) && code.contains("assert_eq!("));
    let src = listing(&book, &name).source.clone().unwrap();
    copy.edit(&src, |s| s.replacen("assert_eq!(", "assert_ne!(", 1));
    let e = assert_rejected(&copy, &name, "an assertion that no longer holds");
    assert!(e.contains("exit status 101"), "{e}");
}

#[test]
fn a_wrong_error_code_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "compile_fail listing with an E-code", |_, e, _| {
        e.expect == Expectation::CompileFail && e.errors.iter().flatten().any(|c| c.starts_with('E'))
    });
    let l = listing(&book, &name);
    let expect = book.expect(l).unwrap();
    let code = expect.errors.unwrap().into_iter().find(|c| c.starts_with('E')).unwrap();
    // Change the code consistently in expect.toml and in the chapter's fence, so that it is the
    // compiler, not the fence check, that must catch it.
    let wrong = if code == "E0502" { "E0499" } else { "E0502" };
    copy.edit(&l.dir.join("expect.toml"), |s| s.replace(&code, wrong));
    for u in book.uses_of(l).into_iter().filter(|u| u.block.is_some()) {
        copy.edit(&u.chapter.path, |s| s.replace(&format!("compile_fail,{code}"), &format!("compile_fail,{wrong}")));
    }
    let e = assert_rejected(&copy, &name, "the wrong error code");
    assert!(e.contains(&code) && e.contains(wrong), "{e}");
}

#[test]
fn a_compile_fail_listing_that_compiles_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let fail = find(&book, "compile_fail listing", |_, e, _| e.expect == Expectation::CompileFail);
    let ok = find(&book, "runnable listing without crates", |l, e, code| runs(&book, l, e) && !code.contains("extern crate"));
    let (fail_src, ok_src) = (listing(&book, &fail).source.clone().unwrap(), listing(&book, &ok).source.clone().unwrap());
    std::fs::copy(copy.root.join(&ok_src), copy.root.join(&fail_src)).unwrap();
    let e = assert_rejected(&copy, &fail, "a program that compiles");
    assert!(e.contains("compiles"), "{e}");
}

#[test]
fn a_drifted_diagnostic_snapshot_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "compile_fail listing", |_, e, _| e.expect == Expectation::CompileFail);
    copy.edit(&listing(&book, &name).dir.join("rustc.stderr"), |s| s.replacen("error", "eror", 1));
    let e = assert_rejected(&copy, &name, "a stale rustc.stderr");
    assert!(e.contains("rustc.stderr"), "{e}");
}

#[test]
fn a_compile_fail_listing_with_a_sample_output_is_told_to_delete_it() {
    // Not to add a [stdout] contract, which a compile_fail contract cannot have.
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "compile_fail listing", |_, e, _| e.expect == Expectation::CompileFail);
    std::fs::write(copy.root.join(&listing(&book, &name).dir).join("output.txt"), "hello\n").unwrap();
    let e = assert_rejected(&copy, &name, "an output.txt that nothing can produce");
    assert!(e.contains("output.txt") && e.contains("never runs") && e.contains("delete output.txt") && !e.contains("[stdout]"), "{e}");
}

#[test]
fn a_wrong_sample_output_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "listing with an output.txt", |l, e, _| {
        e.stdout.is_some() && book.abs(&l.dir).join("output.txt").is_file()
    });
    let l = listing(&book, &name);
    let mode = book.expect(l).unwrap().stdout.unwrap().mode;
    copy.edit(&l.dir.join("output.txt"), |s| match mode {
        // A line that is not in the program's output, whatever the order.
        Match::Exact | Match::Unordered => s + "a line the program never prints\n",
        // A line that no pattern accepts.
        Match::Patterns => s.replacen(|c: char| c.is_ascii_digit(), "x", 1) + "\u{1}\n",
    });
    let e = assert_rejected(&copy, &name, "a sample output the program cannot print");
    assert!(e.contains("output.txt"), "{e}");
}

#[test]
fn a_sample_with_one_producers_lines_reversed_fails_the_partial_order() {
    // The sample still has the lines of every run, so only the order check can reject it: the
    // run prints each thread's lines in program order, the sample claims another.
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "unordered listing with a keyed `order`", |_, e, _| {
        e.stdout.as_ref().is_some_and(|s| s.mode == Match::Unordered && s.order.iter().any(|p| p.contains('(')))
    });
    let l = listing(&book, &name);
    let order = regex::Regex::new(&format!("^(?:{})$", book.expect(l).unwrap().stdout.unwrap().order[0])).unwrap();
    copy.edit(&l.dir.join("output.txt"), |s| {
        let mut lines: Vec<String> = s.lines().map(String::from).collect();
        let key = |line: &str| order.captures(line).map(|c| c[1].to_string());
        // Reverse the lines of the first key among their own places.
        let first = lines.iter().find_map(|x| key(x)).expect("a keyed line");
        let places: Vec<usize> = (0..lines.len()).filter(|&i| key(&lines[i]).as_deref() == Some(&first)).collect();
        assert!(places.len() > 1, "{name}: the key {first:?} has one line; nothing to reverse");
        let reversed: Vec<String> = places.iter().rev().map(|&i| lines[i].clone()).collect();
        for (&i, line) in places.iter().zip(reversed) {
            lines[i] = line;
        }
        lines.join("\n") + "\n"
    });
    let e = assert_rejected(&copy, &name, "a sample whose thread prints its lines backwards");
    assert!(e.contains("comes before") && e.contains("order pattern"), "{e}");
}

#[test]
fn a_count_mismatch_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "listing with [stdout] counts", |_, e, _| e.stdout.as_ref().is_some_and(|s| !s.counts.is_empty()));
    let l = listing(&book, &name);
    let (pattern, n) = book.expect(l).unwrap().stdout.unwrap().counts.into_iter().next().unwrap();
    copy.edit(&l.dir.join("expect.toml"), |s| s.replacen(&format!("= {n} }}"), &format!("= {} }}", n + 1), 1));
    let e = assert_rejected(&copy, &name, "a count the program does not print");
    assert!(e.contains(&format!("match {pattern:?}, but [stdout] counts says {}", n + 1)), "{e}");
}

#[test]
fn a_stderr_pattern_mismatch_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "listing with [stderr] patterns", |_, e, _| e.stderr.as_ref().is_some_and(|s| !s.patterns.is_empty()));
    let l = listing(&book, &name);
    // The pattern (a TOML literal string, as written) now wants a line the program never prints.
    let pattern = book.expect(l).unwrap().stderr.unwrap().patterns[0].clone();
    copy.edit(&l.dir.join("expect.toml"), |s| s.replacen(&pattern, &format!("{pattern}\\nno such line"), 1));
    let e = assert_rejected(&copy, &name, "a stderr pattern that the report does not match");
    assert!(e.contains("has no match for the pattern"), "{e}");
}

#[test]
fn a_run_over_its_budget_is_rejected_with_the_budget_message() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with fn main", |l, e, code| runs(&book, l, e) && code.contains("fn main() {"));
    let l = listing(&book, &name);
    copy.edit(l.source.as_ref().unwrap(), |s| s.replacen("fn main() {", "fn main() {\n    while std::env::var_os(\"NEVER_SET_BY_ANYONE\").is_none() { std::thread::park(); }", 1));
    copy.edit(&l.dir.join("expect.toml"), |s| format!("budget_ms = 100\n{s}"));
    let start = std::time::Instant::now();
    let e = assert_rejected(&copy, &name, "a program that never ends");
    assert!(e.contains("still running after 1000 ms (10 × its budget of 100 ms of CPU time)") && e.contains("expect = \"hang\""), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(30), "took {:?}", start.elapsed());
}

/// The budget is CPU time: a program that computes for longer than its budget is rejected
/// however idle the machine, and load that only stretches the wall clock does not fail it.
#[test]
fn a_run_over_its_cpu_budget_is_rejected() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with fn main", |l, e, code| runs(&book, l, e) && code.contains("fn main() {"));
    let l = listing(&book, &name);
    // The whole program spins until it has used 250 ms of CPU time (25 ticks of
    // /proc/self/stat's utime + stime), well within the wall-clock bound even on a loaded machine.
    let spin = "fn main() {\n    let ticks = || { let s = std::fs::read_to_string(\"/proc/self/stat\").unwrap(); let f: Vec<u64> = s.rsplit_once(\") \").unwrap().1.split_whitespace().skip(11).take(2).map(|x| x.parse().unwrap()).collect(); f[0] + f[1] };\n    while ticks() < 25 { std::hint::spin_loop(); }\n}\n";
    copy.edit(l.source.as_ref().unwrap(), |_| spin.to_string());
    copy.edit(&l.dir.join("expect.toml"), |s| format!("budget_ms = 200\n{s}"));
    let e = assert_rejected(&copy, &name, "a program that computes past its budget");
    assert!(e.contains("ms of CPU time, over its budget of 200 ms (budget_ms = 200)"), "{e}");
}

#[test]
fn a_raised_budget_needs_a_why() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing", |l, e, _| runs(&book, l, e) && e.budget_ms.is_none());
    copy.edit(&listing(&book, &name).dir.join("expect.toml"), |s| format!("budget_ms = 45000\n{s}"));
    let e = assert_rejected(&copy, &name, "a 45 s budget and no reason");
    assert!(e.contains("expect.toml") && e.contains("needs `why"), "{e}");
}

#[test]
fn a_hanging_listing_that_ends_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "hang listing", |_, e, _| e.expect == Expectation::Hang);
    let l = listing(&book, &name);
    copy.edit(l.source.as_ref().unwrap(), |s| s.replacen("fn main() {", "fn main() {\n    if std::env::var_os(\"NEVER_SET_BY_ANYONE\").is_none() { return; }", 1));
    let e = assert_rejected(&copy, &name, "a deadlock that no longer happens");
    assert!(e.contains("expected to still be blocked"), "{e}");
}

#[test]
fn a_different_panic_message_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "panic listing", |_, e, _| e.expect == Expectation::Panic);
    copy.edit(&listing(&book, &name).dir.join("expect.toml"), |s| {
        let re = regex::Regex::new(r#"(?m)^panic = ".*"$"#).unwrap();
        re.replace(&s, r#"panic = "index out of bounds""#).into_owned()
    });
    let e = assert_rejected(&copy, &name, "a panic with another message");
    assert!(e.contains("index out of bounds"), "{e}");
}

#[test]
fn a_data_race_that_tsan_reports_unexpectedly_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "C++ listing under tsan that must report", |_, e, _| e.report_of(concurrency_book::contract::Tool::Tsan).is_some());
    let l = listing(&book, &name);
    // Without `reports`, the run must be clean (and its stderr sample cannot show a report).
    let _ = std::fs::remove_file(copy.root.join(&l.dir).join("stderr.txt"));
    copy.edit(&l.dir.join("expect.toml"), |s| {
        let s = regex::Regex::new(r"(?m)^reports = .*\n").unwrap().replace(&s, "").into_owned();
        let s = regex::Regex::new(r"(?s)\[stderr\].*").unwrap().replace(&s, "").into_owned();
        format!("runs = 1\n{s}")
    });
    let e = assert_rejected(&copy, &name, "a race that ThreadSanitizer reports");
    assert!(e.contains("ThreadSanitizer reported") && e.contains("reports = { tsan = \"data race\" }"), "{e}");
}

#[test]
fn an_edition_mismatch_between_fence_and_contract_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable Rust listing", |l, e, _| runs(&book, l, e) && e.edition.is_none());
    let l = listing(&book, &name);
    let u = book.uses_of(l).into_iter().find(|u| u.block.is_some_and(|b| b.info == "rust")).expect("shown in a ```rust block");
    let (path, line) = (u.chapter.path.clone(), u.block.unwrap().line);
    // rustdoc would compile it as 2021, the harness as 2024.
    copy.edit(&path, |s| {
        let mut lines: Vec<String> = s.lines().map(String::from).collect();
        lines[line - 1] = lines[line - 1].replace("```rust", "```rust,edition2021");
        lines.join("\n") + "\n"
    });
    let e = assert_rejected(&copy, &name, "a fence with another edition than its contract");
    assert!(e.starts_with(&format!("{}:{line}: ", path.display())) && e.contains("add edition = \"2021\" to expect.toml"), "{e}");
    // The other way round: the contract says 2021, the fence nothing.
    let copy = Copy::new();
    copy.edit(&l.dir.join("expect.toml"), |s| format!("edition = \"2021\"\n{s}"));
    let e = assert_rejected(&copy, &name, "a contract with another edition than its fence");
    assert!(e.starts_with(&format!("{}:{line}: ", path.display())) && e.contains("write ```rust,edition2021"), "{e}");
}

#[test]
fn a_facade_crate_without_extern_crate_gets_the_hint() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "listing that uses a facade crate", |_, _, code| code.contains(" rayon;") && code.contains("extern crate"));
    let src = listing(&book, &name).source.clone().unwrap();
    copy.edit(&src, |s| s.lines().filter(|l| !(l.starts_with("extern crate") && l.ends_with(" rayon;"))).map(|l| format!("{l}\n")).collect());
    let e = assert_rejected(&copy, &name, "a crate that mdbook test cannot link");
    let line = std::fs::read_to_string(copy.root.join(&src)).unwrap().lines().position(|l| l.contains("rayon::")).unwrap() + 1;
    assert!(e.contains(&format!("{}:{line}: uses the crate `rayon` without `extern crate rayon;`", src.display())) && e.contains("E0433"), "{e}");
}

/// A bare `mdbook test` fails with E0463 on a facade crate; rustc prints the `extern crate`
/// line, so that line must name the fix.
#[test]
fn an_extern_crate_line_without_the_hint_is_rejected() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "listing that uses a facade crate", |_, _, code| code.contains(concurrency_book::verify::EXTERN_HINT));
    let src = listing(&book, &name).source.clone().unwrap();
    copy.edit(&src, |s| s.replace(&format!("{} ", concurrency_book::verify::EXTERN_HINT), ""));
    let line = std::fs::read_to_string(copy.root.join(&src)).unwrap().lines().position(|l| l.starts_with("extern crate")).unwrap() + 1;
    let e = assert_rejected(&copy, &name, "an extern crate line that names no fix");
    assert!(e.contains(&format!("{}:{line}: a bare `mdbook test` cannot find", src.display())) && e.contains("E0463"), "{e}");
}

#[test]
fn a_crate_the_toolchain_ships_is_rejected() {
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust", &[
        ("main.rs", "extern crate libc;\n\nfn main() {\n    println!(\"{}\", unsafe { libc::getpid() } > 0);\n}\n"),
        ("expect.toml", "expect = \"run\"\n"),
    ]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("listing-01-99/main.rs:1: uses the crate `libc`") && e.contains("E0464"), "{e}");
}

#[test]
fn an_unknown_folder_or_file_is_rejected_naming_it() {
    let copy = Copy::new();
    let dir = copy.root.join("listings").join(CH01).join("output-only-01-demo");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.rs"), "fn main() {}\n").unwrap();
    std::fs::create_dir_all(copy.root.join("listings/ch02-thread-lifecycle/listing-01-99")).unwrap();
    let e = check_listing_folders(&copy.book()).expect_err("folders the harness never tests were accepted");
    assert!(e.contains(&format!("listings/{CH01}/output-only-01-demo/: not a listing's folder")), "{e}");
    assert!(e.contains("listings/ch02-thread-lifecycle/listing-01-99/: its number is not chapter 02's"), "{e}");
    // And a file inside a listing that nothing reads.
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing", |l, e, _| runs(&book, l, e));
    std::fs::write(copy.root.join(&listing(&book, &name).dir).join("notes.md"), "draft\n").unwrap();
    let e = assert_rejected(&copy, &name, "a file the harness never reads");
    assert!(e.contains("notes.md: the harness does not read this file"), "{e}");
}

#[test]
fn errors_and_warnings_are_told_apart() {
    let copy = Copy::new();
    let warns = add_listing(&copy, "listing-01-98", "rust", &[
        ("main.rs", "fn main() {\n    let unused = 1;\n}\n"),
        ("expect.toml", "expect = \"run\"\n"),
    ]);
    let fails = add_listing(&copy, "listing-01-99", "rust", &[
        ("main.rs", "fn main() {\n    let n: u32 = \"one\";\n}\n"),
        ("expect.toml", "expect = \"run\"\n"),
    ]);
    let e = verify(&copy, &warns).unwrap_err();
    assert!(e.contains("listing-01-98/main.rs: has warnings (denied") && e.contains("--> listings/"), "{e}");
    let e = verify(&copy, &fails).unwrap_err();
    assert!(e.contains("listing-01-99/main.rs: does not compile with rustc") && e.contains("E0308") && !e.contains("warning-free"), "{e}");
}

#[test]
fn a_lint_based_compile_fail_listing_is_checked_by_lint_name() {
    // `let _ = m.lock()` drops the guard at once; rustc's deny-by-default lint has no E-code.
    let program = "use std::sync::Mutex;\n\nfn main() {\n    let m = Mutex::new(0);\n    let _ = m.lock().unwrap();\n    *m.lock().unwrap() += 1;\n}\n";
    for (lint, accepted) in [("let_underscore_lock", true), ("unused_must_use", false)] {
        let copy = Copy::new();
        let toml = format!("expect = \"compile_fail\"\nerrors = [\"{lint}\"]\n");
        let name = add_listing(&copy, "listing-01-99", "rust,compile_fail", &[("main.rs", program), ("expect.toml", &toml)]);
        let e = verify(&copy, &name).unwrap_err();
        if accepted {
            // The lint matched; what is left is the snapshot that `cargo xtask bless` would write.
            assert!(e.contains("rustc.stderr is missing"), "{e}");
        } else {
            assert!(e.contains("rejects it with {\"let_underscore_lock\"}"), "{e}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The axes, on tiny listings: each accepts what it should and rejects what it should

#[test]
fn test_mode_runs_the_listings_tests() {
    let lib = "pub fn double(x: u32) -> u32 {\n    x * 2\n}\n\n#[test]\nfn doubles() {\n    assert_eq!(double(2), 4);\n}\n";
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust,test_harness", &[("main.rs", lib), ("expect.toml", "expect = \"run\"\nmode = \"test\"\n")]);
    verify(&copy, &name).expect("a test-mode listing whose test passes was rejected");
    // A failing #[test] fails the listing, and the message shows which.
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust,test_harness", &[
        ("main.rs", &lib.replace("4);", "5);")),
        ("expect.toml", "expect = \"run\"\nmode = \"test\"\n"),
    ]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("expected exit status 0, got exit status 101") && e.contains("test doubles ... FAILED"), "{e}");
    // Without test_harness in the fence, rustdoc would not run the tests.
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust", &[("main.rs", lib), ("expect.toml", "expect = \"run\"\nmode = \"test\"\n")]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("it lacks test_harness") && e.contains("write ```rust,test_harness"), "{e}");
}

#[test]
fn a_listing_edition_is_the_one_it_compiles_with() {
    // `gen` is a keyword from edition 2024 on: this program compiles only as 2021.
    let program = "fn main() {\n    let gen = 3;\n    println!(\"{gen}\");\n}\n";
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust,edition2021", &[
        ("main.rs", program),
        ("expect.toml", "expect = \"run\"\nedition = \"2021\"\n\n[stdout]\nmatch = \"exact\"\n"),
        ("output.txt", "3\n"),
    ]);
    verify(&copy, &name).expect("an edition-2021 listing was not compiled as 2021");
}

#[test]
fn asan_reports_a_stack_use_after_return() {
    // The frame of escape() is gone when main reads through the pointer; ASan reports it only
    // with detect_stack_use_after_return=1, which its table entry sets.
    let program = "#include <cstdio>\n\nint* escape() {\n    int local = 42;\n    int* volatile p = &local;\n    return p;\n}\n\nint main() {\n    int* p = escape();\n    std::printf(\"%d\\n\", *p);\n}\n";
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "cpp", &[
        ("main.cpp", program),
        ("expect.toml", "expect = \"run\"\ntools = [\"asan\"]\nreports = { asan = \"stack-use-after-return\" }\n\n[stderr]\npatterns = ['^READ of size 4 .*\\n +#0 .* in main main\\.cpp:11']\n"),
    ]);
    verify(&copy, &name).expect("ASan's report was not seen");
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "cpp", &[("main.cpp", program), ("expect.toml", "expect = \"run\"\ntools = [\"asan\"]\n")]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("AddressSanitizer reported") && e.contains("stack-use-after-return"), "{e}");
}

#[test]
fn cpp_compile_fail_checks_the_compilers_message() {
    let program = "#include <memory>\n\nint main() {\n    auto a = std::make_unique<int>(1);\n    auto b = a;\n}\n";
    for (pattern, accepted) in [("use of deleted function .*unique_ptr", true), ("no matching function", false)] {
        let copy = Copy::new();
        let toml = format!("expect = \"compile_fail\"\nerrors = ['{pattern}']\n");
        let name = add_listing(&copy, "listing-01-99", "cpp", &[("main.cpp", program), ("expect.toml", &toml)]);
        match verify(&copy, &name) {
            Ok(_) => assert!(accepted, "a message g++ does not print was accepted"),
            Err(e) => assert!(!accepted && e.contains("has no match for \"no matching function\""), "{e}"),
        }
    }
}

#[test]
fn a_cpp_program_that_blocks_forever_is_a_hang() {
    // No kind for it before: C++ was a kind, so a C++ listing could only run to its end.
    let program = "#include <condition_variable>\n#include <mutex>\n\nint main() {\n    std::mutex m;\n    std::condition_variable cv;\n    std::unique_lock<std::mutex> lock(m);\n    cv.wait(lock, [] { return false; });  // nobody will ever notify\n}\n";
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "cpp", &[("main.cpp", program), ("expect.toml", "expect = \"hang\"\nbound_ms = 300\n")]);
    verify(&copy, &name).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn python_listings_run_panic_and_hang() {
    let copy = Copy::new();
    let run = add_listing(&copy, "listing-01-97", "python", &[
        ("main.py", "import threading\n\nt = threading.Thread(target=lambda: print(\"worker\"))\nt.start()\nt.join()\nprint(\"main: joined\")\n"),
        ("expect.toml", "expect = \"run\"\nruns = 2\n\n[stdout]\nmatch = \"unordered\"\nbarriers = ['main: joined']\n"),
        ("output.txt", "worker\nmain: joined\n"),
    ]);
    let panic = add_listing(&copy, "listing-01-98", "python", &[
        ("main.py", "raise RuntimeError(\"sensor offline\")\n"),
        ("expect.toml", "expect = \"panic\"\nruns = 1\npanic = \"RuntimeError: sensor offline\"\n"),
    ]);
    let hang = add_listing(&copy, "listing-01-99", "python", &[
        ("main.py", "import threading\n\nlock = threading.Lock()\nlock.acquire()\nlock.acquire()\n"),
        ("expect.toml", "expect = \"hang\"\nbound_ms = 1500\n"),
    ]);
    for name in [run, panic, hang] {
        verify(&copy, &name).unwrap_or_else(|e| panic!("{e}"));
    }
    // A Python listing cannot be compile_fail: there is no compile step to reject it.
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "python", &[("main.py", "print(1)\n"), ("expect.toml", "expect = \"compile_fail\"\nerrors = [\"x\"]\n")]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("listing-01-99/expect.toml") && e.contains("no compile step"), "{e}");
}

/// A loom model of two threads that each increment a shared counter; `racy` does it with a load
/// and a store, which loom shows can lose an update.
fn loom_model(racy: bool) -> String {
    let increment = if racy {
        "let v = n.load(Ordering::SeqCst);\n                n.store(v + 1, Ordering::SeqCst);"
    } else {
        "n.fetch_add(1, Ordering::SeqCst);"
    };
    format!(
        "#[cfg(loom)]\nextern crate /* not found? run: mdbook test -L target/book-lib */ loom;\n\n#[cfg(loom)]\nuse loom::{{sync::Arc, sync::atomic::{{AtomicUsize, Ordering}}, thread}};\n#[cfg(not(loom))]\nuse std::{{sync::Arc, sync::atomic::{{AtomicUsize, Ordering}}, thread}};\n\n\
         #[cfg(loom)]\nfn model(f: impl Fn() + Sync + Send + 'static) {{\n    loom::model(f);\n}}\n#[cfg(not(loom))]\nfn model(f: impl Fn()) {{\n    f();\n}}\n\n\
         #[test]\nfn two_increments_make_two() {{\n    model(|| {{\n        let n = Arc::new(AtomicUsize::new(0));\n        let handles: Vec<_> = (0..2)\n            .map(|_| {{\n                let n = Arc::clone(&n);\n                thread::spawn(move || {{\n                {increment}\n                }})\n            }})\n            .collect();\n        for h in handles {{\n            h.join().unwrap();\n        }}\n        assert_eq!(n.load(Ordering::SeqCst), 2);\n    }});\n}}\n"
    )
}

#[test]
fn loom_explores_the_interleavings_of_a_model() {
    let toml = "expect = \"run\"\nmode = \"test\"\ntools = [\"loom\"]\n";
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust,test_harness", &[("main.rs", &loom_model(false)), ("expect.toml", toml)]);
    verify(&copy, &name).unwrap_or_else(|e| panic!("a correct loom model was rejected: {e}"));
    // The racy model: std's scheduler almost never loses the update, loom always finds it.
    let copy = Copy::new();
    let name = add_listing(&copy, "listing-01-99", "rust,test_harness", &[("main.rs", &loom_model(true)), ("expect.toml", toml)]);
    let e = verify(&copy, &name).unwrap_err();
    assert!(e.contains("the loom check (tools = [\"loom\"])") && e.contains("two_increments_make_two") && e.contains("left: 1"), "{e}");
    // ... and when finding it is the point, the contract says so.
    let copy = Copy::new();
    let toml = format!("{toml}reports = {{ loom = \"left: 1\" }}\n");
    let name = add_listing(&copy, "listing-01-99", "rust,test_harness", &[("main.rs", &loom_model(true)), ("expect.toml", &toml)]);
    if let Err(e) = verify(&copy, &name) {
        // Only the std run may fail, if it ever loses the update itself.
        assert!(!e.contains("the loom check"), "{e}");
    }
}

#[test]
fn miri_reports_undefined_behaviour_or_says_it_was_skipped() {
    // Reads a local through a pointer after its scope ended: undefined behaviour that a normal
    // run does not notice (it prints 5 or whatever is there).
    let ub = "fn main() {\n    let p: *const i32 = {\n        let x = 5;\n        &x as *const i32\n    };\n    let v = unsafe { std::ptr::read_volatile(p) };\n    println!(\"{}\", v > i32::MIN);\n}\n";
    let clean = "fn main() {\n    let x = 5;\n    let p = &x as *const i32;\n    println!(\"{}\", unsafe { *p } > i32::MIN);\n}\n";
    let copy = Copy::new();
    let reported = add_listing(&copy, "listing-01-97", "rust", &[
        ("main.rs", ub),
        ("expect.toml", "expect = \"run\"\ntools = [\"miri\"]\nreports = { miri = \"memory access failed\" }\n"),
    ]);
    let unexpected = add_listing(&copy, "listing-01-98", "rust", &[("main.rs", ub), ("expect.toml", "expect = \"run\"\ntools = [\"miri\"]\n")]);
    let fine = add_listing(&copy, "listing-01-99", "rust", &[
        ("main.rs", clean),
        ("expect.toml", "expect = \"run\"\ntools = [\"miri\"]\n\n[stdout]\nmatch = \"exact\"\n"),
        ("output.txt", "true\n"),
    ]);
    match verify(&copy, &reported) {
        Ok(v) if v.skipped.is_empty() => {
            // Miri ran: it must have seen the UB where it is expected, and only there.
            let e = verify(&copy, &unexpected).unwrap_err();
            assert!(e.contains("the Miri check") && e.contains("Undefined Behavior"), "{e}");
            let v = verify(&copy, &fine).unwrap_or_else(|e| panic!("{e}"));
            assert!(v.skipped.is_empty());
        }
        Ok(v) => {
            // No Miri here: the check says which listing it skipped, and why.
            let s = v.skipped[0].to_string();
            assert!(s.starts_with(&format!("SKIPPED listings/{CH01}/listing-01-97: the Miri check")) && s.contains("miri --version"), "{s}");
            eprintln!("{s}");
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_bench_build_is_the_harness_build_with_optimisations() {
    let book = Book::here();
    let benches = concurrency_book::verify::bench_listings(&book).unwrap();
    let l = benches.first().expect("the book has a benchmark listing");
    let exe = concurrency_book::verify::build_bench(&book, l).unwrap_or_else(|e| panic!("{e}"));
    let out = std::process::Command::new(&exe).current_dir(book.abs(&l.dir)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

// ---------------------------------------------------------------------------------------------
// Quizzes, links, chapters

#[test]
fn a_broken_quiz_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let rel = quiz_files(&book).into_iter().next().expect("a quiz");
    // A question without its explanation, and a multiple-choice question without distractors.
    copy.edit(&rel, |s| s.replacen("context = ", "contxt = ", 1).replacen("prompt.distractors", "prompt.distracters", 1));
    let book = copy.book();
    let e = check_quiz(&book, &rel).expect_err("a broken quiz was accepted");
    assert!(e.contains(&rel.display().to_string()) && e.contains("context") && e.contains("distractors"), "{e}");
}

#[test]
fn a_broken_internal_link_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path.to_string_lossy().contains("ch01-0")).expect("a chapter 1 section");
    let rel = ch.path.clone();
    copy.edit(&rel, |s| s + "\nSee [a section that does not exist](ch01-99-nowhere.md#nothing).\n");
    let book = copy.book();
    let site = copy.root.join("built");
    concurrency_book::site::build(&book, &site).unwrap();
    let problems = concurrency_book::site::check_links(&book, &site);
    assert!(
        problems.iter().any(|p| p.starts_with(&format!("{}:", rel.display())) && p.contains("ch01-99-nowhere.md")),
        "{problems:?}"
    );
}

/// Appends a Tracing question to the copy's first quiz and returns the quiz's path.
fn add_tracing_question(copy: &Copy, program: &str, stdout: &str) -> PathBuf {
    let book = copy.book();
    let rel = quiz_files(&book).into_iter().next().expect("a quiz");
    copy.edit(&rel, |s| {
        format!(
            "{s}\n[[questions]]\ntype = \"Tracing\"\nprompt.program = \"\"\"\n{program}\n\"\"\"\nanswer.doesCompile = true\nanswer.stdout = \"{stdout}\"\ncontext = \"Explained.\"\nid = \"00000000-0000-4000-8000-000000000001\"\n"
        )
    });
    rel
}

#[test]
fn a_tracing_question_checks_its_answer() {
    let copy = Copy::new();
    let rel = add_tracing_question(&copy, "fn main() {\n    println!(\"{}\", 6 * 7);\n}", "42");
    check_quiz(&copy.book(), &rel).expect("a right Tracing answer was rejected");

    let copy = Copy::new();
    let rel = add_tracing_question(&copy, "fn main() {\n    println!(\"{}\", 6 * 7);\n}", "43");
    let e = check_quiz(&copy.book(), &rel).expect_err("a wrong Tracing answer was accepted");
    assert!(e.contains(&rel.display().to_string()) && e.contains("answer.stdout"), "{e}");
}

#[test]
fn a_tracing_program_that_depends_on_the_edition_fails() {
    // `array.into_iter()` yields references in edition 2015 and values in 2021+, so the program
    // prints different types' names; the quiz validator compiles as 2015, readers think in 2024.
    let copy = Copy::new();
    let program = "fn name<T>(_: T) -> &'static str { std::any::type_name::<T>() }\nfn main() {\n    let a = [1u8];\n    for x in a.into_iter() { println!(\"{}\", name(x)); }\n}";
    let rel = add_tracing_question(&copy, program, "u8");
    let e = check_quiz(&copy.book(), &rel).expect_err("an edition-dependent Tracing program was accepted");
    assert!(e.contains("2015"), "{e}");
}


/// Copies the book, edits the first chapter that contains `marker` (`edit` gets the chapter's text
/// from the marker on and returns its new version), and returns the error of the chapter check,
/// which must name that chapter.
fn rejected_chapter(marker: &str, what: &str, edit: impl FnOnce(&str) -> String) -> String {
    let copy = Copy::new();
    let path = copy.book().chapters.iter().find(|c| c.text.contains(marker)).unwrap_or_else(|| panic!("the book has no {what} to mutate")).path.clone();
    copy.edit(&path, |s| {
        let (head, tail) = s.split_at(s.find(marker).unwrap());
        format!("{head}{}", edit(tail))
    });
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path == path).unwrap();
    let e = check_chapter(&book, ch).expect_err(&format!("a broken {what} was accepted"));
    assert!(e.contains(&format!("{}:", path.display())), "the message does not name {}: {e}", path.display());
    e
}

#[test]
fn a_missing_include_fails_naming_the_line() {
    let e = rejected_chapter("{{#rustdoc_include", "include", |t| t.replacen("/main.rs", "/mian.rs", 1));
    assert!(e.contains("mian.rs"), "{e}");
}

#[test]
fn a_flowchart_leaf_without_a_section_fails() {
    // The first § after the flowchart's opening fence is in one of its leaves.
    let e = rejected_chapter("```mermaid\nflowchart", "flowchart", |t| t.replacen('§', "section ", 1));
    assert!(e.contains("names no section"), "{e}");
}

#[test]
fn a_timeline_that_names_a_missing_line_fails_naming_the_chapter() {
    let re = regex::Regex::new(r#""line": \d+"#).unwrap();
    let e = rejected_chapter("data-widget=\"timeline\"", "timeline", |t| re.replace(t, "\"line\": 999").into_owned());
    assert!(e.contains("line 999"), "{e}");
}

#[test]
fn a_concept_deck_with_two_definitions_for_one_concept_fails() {
    // The second definition now claims the first one's concept.
    let re = regex::Regex::new(r#""concept": "[^"]+""#).unwrap();
    let e = rejected_chapter("data-widget=\"concept-match\"", "concept deck", |t| {
        let first = re.find(t).unwrap().as_str().to_string();
        let mut n = 0;
        re.replace_all(t, |c: &regex::Captures| {
            n += 1;
            if n == 2 { first.clone() } else { c[0].to_string() }
        })
        .into_owned()
    });
    assert!(e.contains("has 2 definitions") && e.contains("has 0 definitions"), "{e}");
}

#[test]
fn a_type_card_moved_to_the_wrong_bin_fails_with_the_compilers_verdict() {
    // The first deck whose key the compiler proves (a `proof`): its first card moves to another bin.
    const OPEN: &str = "<script type=\"application/json\" data-widget=\"concept-match\">";
    let copy = Copy::new();
    let book = copy.book();
    let (path, at, deck) = book
        .chapters
        .iter()
        .flat_map(|c| c.text.match_indices(OPEN).map(move |(i, _)| (c, i + OPEN.len())))
        .find_map(|(c, start)| {
            let body = &c.text[start..start + c.text[start..].find("</script>")?];
            let deck: serde_json::Value = serde_json::from_str(body).ok()?;
            deck.get("proof")?;
            Some((c.path.clone(), start, deck))
        })
        .expect("the book has no concept-match deck with a `proof` to mutate");
    let card = &deck["definitions"][0];
    let (ty, bin) = (card["type"].as_str().unwrap(), card["concept"].as_str().unwrap());
    let label = |id: &str| deck["concepts"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["label"].as_str().unwrap().to_string();
    let other = deck["concepts"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).find(|id| *id != bin).unwrap();
    let mut line = 0;
    copy.edit(&path, |s| {
        let defs = at + s[at..].find("\"definitions\"").unwrap();
        let (head, tail) = s.split_at(defs + s[defs..].find("\"concept\"").unwrap());
        line = head.matches('\n').count() + 1;
        format!("{head}{}", tail.replacen(&format!("\"concept\": \"{bin}\""), &format!("\"concept\": \"{other}\""), 1))
    });
    let book = copy.book();
    let e = check_chapter(&book, book.chapters.iter().find(|c| c.path == path).unwrap()).expect_err("a card in the wrong bin was accepted");
    let want = format!("{}:{line}: concept-match: card {ty:?} is in the bin {:?}, but the compiler says {ty} is ", path.display(), label(other));
    assert!(e.contains(&want), "expected {want:?}…, got:\n{e}");
    assert!(e.contains(&format!(": its bin is {:?}", label(bin))), "{e}");
}

#[test]
fn an_ignored_block_that_shows_a_listing_is_told_the_fence_of_its_contract() {
    // Not to "move it to listings/": it is in listings/ already.
    let e = rejected_chapter("```rust\n{{#rustdoc_include", "block showing a listing", |t| t.replacen("```rust\n", "```rust,ignore\n", 1));
    assert!(e.contains("this block shows listings/") && e.contains("the fence its contract implies: ```rust") && !e.contains("move it to listings/"), "{e}");
}

/// Like [`rejected_chapter`], and also returns the 1-based line of the marker in the mutated
/// copy, and the chapter's path, so that a test can check that the message names the line.
fn rejected_at(marker: &str, what: &str, edit: impl FnOnce(&str) -> String) -> (String, usize, String) {
    let copy = Copy::new();
    let path = copy.book().chapters.iter().find(|c| c.text.contains(marker)).unwrap_or_else(|| panic!("the book has no {what} to mutate")).path.clone();
    let mut line = 0;
    copy.edit(&path, |s| {
        let (head, tail) = s.split_at(s.find(marker).unwrap());
        line = head.matches('\n').count() + 1;
        format!("{head}{}", edit(tail))
    });
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path == path).unwrap();
    let e = check_chapter(&book, ch).expect_err(&format!("a broken {what} was accepted"));
    (path.display().to_string(), line, e)
}

/// The first `{{#include …}}` line that shows a sample (output or stderr) in a ```text block.
const TEXT_INCLUDE: &str = "```text\n{{#include ../listings/";

#[test]
fn a_typed_stack_overflow_message_fails_naming_the_line() {
    // The sample a block shows replaced by the message typed by hand, as a contributor might
    // paste it from a terminal.
    let typed = "thread 'tiny' (25362) has overflowed its stack\nfatal runtime error: stack overflow, aborting";
    let (path, line, e) = rejected_at(TEXT_INCLUDE, "text block showing a sample", |t| {
        let end = t.find("}}\n").unwrap() + 3;
        format!("```text\n{typed}\n{}", &t[end..])
    });
    // The message names the typed line (the one after the fence), says what it looks like, and
    // how to fix or escape it.
    assert!(e.contains(&format!("{path}:{}: this ```text block (line {line})", line + 1)), "{e}");
    assert!(e.contains("has overflowed its stack`: it looks like std's stack-overflow message"), "{e}");
    assert!(e.contains("put the program in a listing") && e.contains("<!-- illustration: why -->"), "{e}");
}

#[test]
fn the_illustration_comment_lets_a_block_that_looks_like_output_pass() {
    let copy = Copy::new();
    let path = copy.book().chapters.iter().find(|c| c.text.contains(TEXT_INCLUDE)).expect("a text block showing a sample").path.clone();
    copy.edit(&path, |s| {
        s.replacen(TEXT_INCLUDE, "<!-- illustration: the format of std's message, not a run -->\n```text\nthread 'tiny' (1) has overflowed its stack\n```\n\n```text\n{{#include ../listings/", 1)
    });
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path == path).unwrap();
    check_chapter(&book, ch).expect("an illustration with its reason was rejected");
    // Without a reason, it is rejected.
    copy.edit(&path, |s| s.replacen("<!-- illustration: the format of std's message, not a run -->", "<!-- illustration -->", 1));
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path == path).unwrap();
    let e = check_chapter(&book, ch).expect_err("an illustration without a reason was accepted");
    assert!(e.contains("needs its reason"), "{e}");
}

#[test]
fn output_typed_after_a_command_in_a_transcript_fails() {
    // A transcript whose command's output is typed instead of included.
    let (path, line, e) = rejected_at("```console\n$ ", "console transcript", |t| t.replacen("```console\n", "```console\n$ ./pingpong\n3.2 µs per hand-off\n", 1));
    assert!(e.contains(&format!("{path}:{}: this ```console block (line {line})", line + 2)), "{e}");
    assert!(e.contains("`3.2 µs per hand-off`: it looks like a measured time"), "{e}");
}

#[test]
fn a_caption_with_the_wrong_number_fails_naming_both() {
    let re = regex::Regex::new(r#"<span class="caption">Listing (\d+)-(\d+):"#).unwrap();
    let book = Book::here();
    let (n, m) = book.chapters.iter().find_map(|c| re.captures(&c.text).map(|c| (c[1].to_string(), c[2].to_string()))).expect("a caption");
    let marker = format!("<span class=\"caption\">Listing {n}-{m}:");
    let wrong = format!("{n}-{}", m.parse::<u32>().unwrap() + 1);
    let (path, line, e) = rejected_at(&marker, "caption", |t| t.replacen(&format!("Listing {n}-{m}:"), &format!("Listing {wrong}:"), 1));
    assert!(e.contains(&format!("{path}:{line}: this caption says Listing {wrong}, but the block above it shows listings/")), "{e}");
    assert!(e.contains(&format!("which is Listing {n}-{m}")), "{e}");
}

#[test]
fn a_listing_without_its_caption_fails() {
    let (path, _, e) = rejected_at("<span class=\"caption\">Listing ", "caption", |t| t.replacen("<span class=\"caption\">Listing ", "<span>Listing ", 1));
    assert!(e.contains(&path) && e.contains("but no caption follows it"), "{e}");
}

#[test]
fn prose_naming_a_listing_that_does_not_exist_fails_naming_the_line() {
    let (path, line, e) = rejected_at("Listing 2-", "reference to a chapter 2 listing", |t| t.replacen("Listing 2-", "Listing 2-99 and Listing 2-", 1));
    assert!(e.contains(&format!("{path}:{line}: \"Listing 2-99\" names no listing of the book: there is no listings/ch02-…/listing-02-99/ folder (chapter 2's listings are 2-1 to 2-")), "{e}");
}

#[test]
fn a_python_benchmark_sample_of_another_shape_fails_naming_it() {
    // The figures of a Python benchmark come from `cargo xtask bench`, which runs it with
    // BOOK_BENCH=1; its committed samples must keep the shape the program prints.
    let copy = Copy::new();
    let book = copy.book();
    let l = book
        .listings
        .iter()
        .find(|l| {
            language(&book, l) == Some(Language::Python)
                && book.expect(l).is_ok_and(|e| e.has_tool(concurrency_book::contract::Tool::Bench))
                && book.abs(&l.dir).join("output.txt").is_file()
        })
        .expect("the book has no Python benchmark with an output.txt to mutate; this test needs one");
    let cmd = concurrency_book::verify::bench_command(&book, l, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(cmd.get_envs().any(|(k, v)| k == "BOOK_BENCH" && v == Some("1".as_ref())), "{cmd:?}");
    let name = l.name.clone();
    // A figure typed by hand in another format: "0.33 s vs 0.37 s".
    copy.edit(&l.dir.join("output.txt"), |s| s + "threads: 0.33 s vs 0.37 s one after another\n");
    let e = assert_rejected(&copy, &name, "a sample line of a shape the program never prints");
    assert!(e.contains("output.txt, a sample shown to readers, breaks the contract"), "{e}");
}

/// The §1.4 hole: the Python program typed inline, where nothing runs it.
#[test]
fn an_inline_python_or_cpp_block_fails_naming_the_line() {
    for (fence, program) in [("python", "import threading\nprint(\"0.33 s with 4 threads\")\n"), ("cpp", "int main() { return 0; }\n")] {
        let marker = format!("```{fence}\n{{{{#include ../listings/");
        let (path, line, e) = rejected_at(&marker, &format!("{fence} block showing a listing"), |t| {
            let end = t.find("}}\n").unwrap() + 3;
            format!("```{fence}\n{program}{}", &t[end..])
        });
        assert!(e.contains(&format!("{path}:{line}: an inline ```{fence} block: nothing compiles or runs it")), "{e}");
    }
}

/// A flowchart drawn too wide to read in the page's column (chapter 3's first one was 2944 px).
#[test]
fn a_diagram_too_wide_to_read_fails_naming_the_line() {
    let copy = Copy::new();
    let book = copy.book();
    let d = concurrency_book::diagrams::all(&book).into_iter().next().expect("a diagram");
    let svg = d.svg("light");
    copy.edit(&svg, |s| {
        let w = concurrency_book::diagrams::svg_width(&s).unwrap();
        s.replacen(&format!(" {w} "), " 2944.1 ", 1)
    });
    let book = copy.book();
    let path = d.location.rsplit_once(':').unwrap().0.to_string();
    let ch = book.chapters.iter().find(|c| c.path.display().to_string() == path).unwrap();
    let e = check_chapter(&book, ch).expect_err("a diagram 2944 px wide was accepted");
    assert!(e.contains(&format!("{}: this diagram is drawn 2944 px wide", d.location)) && e.contains("4.1 px"), "{e}");
}

#[test]
fn a_run_whose_threads_all_block_is_stopped_early_as_a_deadlock() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with fn main", |l, e, code| {
        runs(&book, l, e) && code.contains("fn main() {") && e.budget_ms() == 2000
    });
    let l = listing(&book, &name);
    // A receive loop whose Sender is never dropped: every thread blocked, no CPU time used.
    copy.edit(l.source.as_ref().unwrap(), |s| {
        s.replacen("fn main() {", "fn main() {\n    let (_keep, never) = std::sync::mpsc::channel::<()>();\n    for () in never {}", 1)
    });
    let e = assert_rejected(&copy, &name, "a program whose threads all block for ever");
    // The stall's message, not the wall-clock bound's (20 s): it was stopped by the stall check.
    assert!(e.contains("every thread was blocked, and no CPU time was used, for 3 s") && e.contains("drop(tx)"), "{e}");
    assert!(!e.contains("still running after"), "{e}");
}

/// Copies the book, edits the data of the first timeline whose modes model a channel (`edit` gets
/// its JSON and marks the event it breaks with the note "MUTANT"), writes it back pretty-printed,
/// and returns the chapter check's error and the `path:line:` of the marked event's first line.
fn rejected_channel_timeline(edit: impl FnOnce(&mut serde_json::Value)) -> (String, String) {
    const OPEN: &str = "<script type=\"application/json\" data-widget=\"timeline\">\n";
    let copy = Copy::new();
    let book = copy.book();
    let ch = book
        .chapters
        .iter()
        .find(|c| c.text.split(OPEN).skip(1).any(|b| b.split("</script>").next().unwrap().contains("\"channel\"")))
        .expect("the book has no timeline with a channel to mutate");
    let path = ch.path.clone();
    let mut out = (String::new(), String::new());
    copy.edit(&path, |s| {
        let mut head = 0;
        let (start, end) = loop {
            let start = head + s[head..].find(OPEN).unwrap() + OPEN.len();
            let end = start + s[start..].find("</script>").unwrap();
            if s[start..end].contains("\"channel\"") {
                break (start, end);
            }
            head = end;
        };
        let mut data: serde_json::Value = serde_json::from_str(&s[start..end]).unwrap();
        edit(&mut data);
        let json = serde_json::to_string_pretty(&data).unwrap();
        let lines: Vec<&str> = json.lines().collect();
        let marked = lines.iter().position(|l| l.contains("\"MUTANT\"")).expect("the edit marks an event");
        let open = (0..marked).rev().find(|&i| lines[i].trim() == "{").unwrap();
        let line = s[..start].matches('\n').count() + 1 + open;
        out.1 = format!("{}:{line}: timeline: ", path.display());
        format!("{}{json}\n{}", &s[..start], &s[end..])
    });
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.path == path).unwrap();
    out.0 = check_chapter(&book, ch).expect_err("a broken channel timeline was accepted");
    out
}

/// Whether one line of the error starts with `at` (`path:line: timeline: `) and says `what`.
fn names_at(e: &str, at: &str, what: &str) -> bool {
    e.lines().any(|l| l.contains(at) && l.contains(what))
}

/// The index of the first mode whose channel has this capacity (None: unbounded).
fn channel_mode(d: &serde_json::Value, capacity: Option<u64>) -> usize {
    d["modes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m["channel"].is_object() && m["channel"]["capacity"].as_u64() == capacity)
        .unwrap_or_else(|| panic!("the channel timeline has no mode with capacity {capacity:?}"))
}

/// The index of the `n`-th event of mode `m` for which `pick` holds.
fn event_where(d: &serde_json::Value, m: usize, n: usize, pick: impl Fn(&serde_json::Value) -> bool) -> usize {
    let events = d["modes"][m]["events"].as_array().unwrap();
    events.iter().enumerate().filter(|(_, e)| pick(e)).nth(n).map(|(i, _)| i).expect("no such event")
}

#[test]
fn a_channel_timeline_with_a_negative_or_inconsistent_queue_length_fails_naming_its_line() {
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, None);
        let i = event_where(d, m, 0, |e| e["op"] == "send");
        d["modes"][m]["events"][i]["queue"] = (-1).into();
        d["modes"][m]["events"][i]["note"] = "MUTANT".into();
    });
    assert!(names_at(&e, &at, "queue is -1: a queue length is never negative"), "{at}\n{e}");
    // A queue length that the sends and receives before it do not leave.
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, None);
        let i = event_where(d, m, 0, |e| e["queue"] == 2);
        d["modes"][m]["events"][i]["queue"] = 1.into();
        d["modes"][m]["events"][i]["note"] = "MUTANT".into();
    });
    assert!(names_at(&e, &at, "queue is 1, but the sends and receives so far leave 2 value(s)"), "{at}\n{e}");
}

#[test]
fn a_rendezvous_timeline_with_a_queued_value_or_a_send_that_does_not_wait_fails_naming_its_line() {
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, Some(0));
        let i = event_where(d, m, 0, |e| e["op"] == "send");
        d["modes"][m]["events"][i]["queue"] = 1.into();
        d["modes"][m]["events"][i]["note"] = "MUTANT".into();
    });
    assert!(names_at(&e, &at, "queue is 1, above the channel's capacity 0"), "{at}\n{e}");
    // The first send, which blocks until main's recv takes the reading, goes on running instead.
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, Some(0));
        let i = event_where(d, m, 0, |e| e["op"] == "send" && e["state"] == "blocked");
        let events = d["modes"][m]["events"].as_array().unwrap();
        let core = events[..i].iter().rev().find(|e| e["thread"] == events[i]["thread"] && e["core"].is_u64()).unwrap()["core"].clone();
        let ev = &mut d["modes"][m]["events"][i];
        ev["state"] = "running".into();
        ev["core"] = core;
        ev["note"] = "MUTANT".into();
    });
    assert!(names_at(&e, &at, "a send completes only when a recv takes the value"), "{at}\n{e}");
}

#[test]
fn a_bounded_timeline_whose_send_finds_the_queue_full_and_goes_on_fails_naming_its_line() {
    // The unbounded mode made sync_channel(1): its second send finds one reading queued.
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, None);
        d["modes"][m]["channel"]["capacity"] = 1.into();
        let i = event_where(d, m, 0, |e| e["op"] == "send" && e["queue"] == 2);
        d["modes"][m]["events"][i]["note"] = "MUTANT".into();
    });
    assert!(names_at(&e, &at, "send: the queue is full (1 of 1): send blocks"), "{at}\n{e}");
}

#[test]
fn a_timeline_whose_recv_on_an_empty_channel_goes_on_fails_naming_its_line() {
    // main's first recv moved before the sensor's first send: nothing is there to take.
    let (e, at) = rejected_channel_timeline(|d| {
        let m = channel_mode(d, None);
        let send = event_where(d, m, 0, |e| e["op"] == "send");
        let recv = event_where(d, m, 0, |e| e["op"] == "recv");
        let events = d["modes"][m]["events"].as_array_mut().unwrap();
        let mut ev = events.remove(recv);
        ev["t"] = events[send]["t"].clone();
        ev["note"] = "MUTANT".into();
        events.insert(send, ev);
    });
    assert!(names_at(&e, &at, "recv: the queue is empty and no sender is waiting: recv blocks"), "{at}\n{e}");
}

#[test]
fn an_interleaving_lab_step_on_a_line_the_program_does_not_have_fails_naming_the_chapter() {
    let e = rejected_chapter("data-widget=\"interleaving-lab\"", "interleaving lab", |t| t.replacen("\"line\": 2,", "\"line\": 99,", 1));
    assert!(e.contains("thread 1, step 1: line 99 is outside the program"), "{e}");
}

#[test]
fn an_interleaving_lab_outcome_the_program_cannot_produce_fails_naming_the_chapter() {
    let e = rejected_chapter("data-widget=\"interleaving-lab\"", "interleaving lab", |t| {
        t.replacen("\"result\": \"counter = 1\"", "\"result\": \"counter = 3\"", 1)
    });
    assert!(e.contains("outcome \"counter = 3\": the program cannot produce it with schedule 1,2,1,2, which ends with \"counter = 1\""), "{e}");
}

#[test]
fn an_interleaving_lab_whose_program_does_otherwise_fails_on_the_real_run() {
    // The lab's data unchanged, its program's write made `v + 2`: the forced runs print other outcomes.
    let copy = Copy::new();
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.text.contains("data-widget=\"interleaving-lab\"")).expect("the book has no interleaving lab").path.clone();
    copy.edit(Path::new("listings/ch05-locks/no-listing-05-interleaving-lab/main.rs"), |s| s.replacen("= v + 1;", "= v + 2;", 1));
    let book = copy.book();
    let e = check_chapter(&book, book.chapters.iter().find(|c| c.path == ch).unwrap()).expect_err("a lab whose program disagrees was accepted");
    assert!(e.contains(&format!("{}:", ch.display())), "{e}");
    assert!(e.contains("the lab says schedule 1,1,2,2 ends with \"counter = 2\", but the program, run with it, prints schedule 1,1,2,2 and \"counter = 4\""), "{e}");
}

/// The litmus explorer's chapter, and the line of its message-passing test's first rule's
/// `allowed` (Release/Acquire on the flag, without SeqCst: (1, 0) forbidden).
fn litmus_first_rule(book: &Book) -> (PathBuf, usize) {
    const OPEN: &str = "data-widget=\"litmus-explorer\"";
    let ch = book.chapters.iter().find(|c| c.text.contains(OPEN)).expect("the book has no litmus explorer");
    let start = ch.text.find(OPEN).unwrap();
    let at = start + ch.text[start..].find("\"allowed\": [\"0,0\", \"0,1\", \"1,1\"]").expect("a rule that forbids 1,0");
    (ch.path.clone(), ch.text[..at].matches('\n').count() + 1)
}

#[test]
fn a_litmus_explorer_that_allows_what_the_model_forbids_fails_naming_its_line() {
    let copy = Copy::new();
    let (ch, line) = litmus_first_rule(&copy.book());
    copy.edit(&ch, |s| {
        let at = s.find("data-widget=\"litmus-explorer\"").unwrap();
        let (head, tail) = s.split_at(at);
        format!("{head}{}", tail.replacen("\"allowed\": [\"0,0\", \"0,1\", \"1,1\"]", "\"allowed\": [\"0,0\", \"0,1\", \"1,0\", \"1,1\"]", 1))
    });
    let book = copy.book();
    let e = check_chapter(&book, book.chapters.iter().find(|c| c.path == ch).unwrap()).expect_err("an explorer allowing (1, 0) after Release/Acquire was accepted");
    let want = format!("{}:{line}: litmus-explorer: mp Relaxed Release Acquire Relaxed (rule 1): the table allows 0,0 0,1 1,0 1,1, but the loom model (listings/ch07-lock-free/no-listing-07-litmus-model/main.rs) finds 0,0 0,1 1,1", ch.display());
    assert!(e.contains(&want), "expected {want:?}, got:\n{e}");
}

#[test]
fn a_litmus_sample_that_observed_a_forbidden_outcome_fails_the_explorer() {
    // Store buffering with all four SeqCst: one round of the hardware sample made (0, 0).
    let copy = Copy::new();
    let (ch, _) = litmus_first_rule(&copy.book());
    copy.edit(Path::new("listings/ch07-lock-free/no-listing-07-litmus-hardware/output.txt"), |s| {
        let at = s.find("sb SeqCst SeqCst SeqCst SeqCst: 0,0=0 0,1=").unwrap() + "sb SeqCst SeqCst SeqCst SeqCst: 0,0=".len();
        format!("{}1{}", &s[..at], &s[at + 1..])
    });
    let book = copy.book();
    let e = check_chapter(&book, book.chapters.iter().find(|c| c.path == ch).unwrap()).expect_err("a sample with a forbidden outcome was accepted");
    assert!(e.contains("sb SeqCst SeqCst SeqCst SeqCst (rule 1): the table forbids 0,0, but the hardware sample listings/ch07-lock-free/no-listing-07-litmus-hardware/output.txt observed it in 1 of its rounds"), "{e}");
}

#[test]
fn a_litmus_model_whose_acquire_is_weakened_to_relaxed_fails_the_explorer() {
    // The table unchanged; the model's message passing loads the flag Relaxed whatever o3 says.
    let copy = Copy::new();
    let (ch, line) = litmus_first_rule(&copy.book());
    copy.edit(Path::new("listings/ch07-lock-free/no-listing-07-litmus-model/main.rs"), |s| {
        s.replacen("fn mp([o1, o2, o3, o4]: [Ordering; 4]) -> (usize, usize) {", "fn mp([o1, o2, _, o4]: [Ordering; 4]) -> (usize, usize) {\n    let o3 = Ordering::Relaxed; // MUTANT", 1)
    });
    let book = copy.book();
    let e = check_chapter(&book, book.chapters.iter().find(|c| c.path == ch).unwrap()).expect_err("a weakened model was accepted");
    let want = format!("{}:{line}: litmus-explorer: mp Relaxed Release Acquire Relaxed (rule 1): the table allows 0,0 0,1 1,1, but the loom model (listings/ch07-lock-free/no-listing-07-litmus-model/main.rs) finds 0,0 0,1 1,0 1,1", ch.display());
    assert!(e.contains(&want), "expected {want:?}, got:\n{e}");
}

#[test]
fn an_indented_include_is_rejected_naming_its_line() {
    let copy = Copy::new();
    let book = copy.book();
    let ch = book.chapters.iter().find(|c| c.text.contains("\n{{#include ")).expect("a chapter with an include").path.clone();
    copy.edit(&ch, |s| s.replacen("\n{{#include ", "\n  {{#include ", 1));
    let book = copy.book();
    let chapter = book.chapters.iter().find(|c| c.path == ch).unwrap();
    let e = check_chapter(&book, chapter).expect_err("an indented include was accepted");
    assert!(e.contains(&format!("{}:", ch.display())) && e.contains("an indented {{#include}}"), "{e}");
}

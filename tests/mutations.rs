//! The checks can fail: each test copies the book, breaks one thing the way a contributor might,
//! and asserts that the harness rejects the copy with a message naming the file at fault.
//!
//! The mutants are picked from the book as it is (the first listing of the right kind), so these
//! tests keep working as chapters change; if the book has no listing of a kind, the test says so
//! and fails rather than passing vacuously.

use concurrency_book::book::{Book, Listing};
use concurrency_book::contract::{Expect, Kind, Match};
use concurrency_book::quiz::{check_quiz, quiz_files};
use concurrency_book::chapter::check_chapter;
use concurrency_book::verify::verify_listing;
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
        for item in ["book.toml", "src", "listings", "theme", "tools", "exercises"] {
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

fn listing<'a>(book: &'a Book, name: &str) -> &'a Listing {
    book.listings.iter().find(|l| l.name == name).unwrap()
}

/// Asserts the mutated listing fails verification with a message naming it.
fn assert_rejected(copy: &Copy, name: &str, why: &str) -> String {
    let book = copy.book();
    let l = listing(&book, name);
    match verify_listing(&book, l) {
        Ok(()) => panic!("{name}: the harness accepted a listing with {why}"),
        Err(e) => {
            assert!(e.contains(&l.dir.display().to_string()), "the message does not name {}: {e}", l.dir.display());
            e
        }
    }
}

#[test]
fn a_changed_hidden_assertion_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with assert_eq!", |_, e, code| e.kind == Kind::Run && code.contains("assert_eq!("));
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
        e.kind == Kind::CompileFail && e.errors.iter().flatten().any(|c| c.starts_with('E'))
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
    let fail = find(&book, "compile_fail listing", |_, e, _| e.kind == Kind::CompileFail);
    let ok = find(&book, "runnable listing without crates", |_, e, code| e.kind == Kind::Run && !code.contains("extern crate"));
    let (fail_src, ok_src) = (listing(&book, &fail).source.clone().unwrap(), listing(&book, &ok).source.clone().unwrap());
    std::fs::copy(copy.root.join(&ok_src), copy.root.join(&fail_src)).unwrap();
    let e = assert_rejected(&copy, &fail, "a program that compiles");
    assert!(e.contains("compiles"), "{e}");
}

#[test]
fn a_drifted_diagnostic_snapshot_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "compile_fail listing", |_, e, _| e.kind == Kind::CompileFail);
    copy.edit(&listing(&book, &name).dir.join("rustc.stderr"), |s| s.replacen("error", "eror", 1));
    let e = assert_rejected(&copy, &name, "a stale rustc.stderr");
    assert!(e.contains("rustc.stderr"), "{e}");
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
fn a_listing_that_hangs_fails_within_its_bound() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "runnable listing with fn main", |_, e, code| e.kind == Kind::Run && code.contains("fn main() {"));
    let l = listing(&book, &name);
    copy.edit(l.source.as_ref().unwrap(), |s| s.replacen("fn main() {", "fn main() {\n    while std::env::var_os(\"NEVER_SET_BY_ANYONE\").is_none() { std::thread::park(); }", 1));
    copy.edit(&l.dir.join("expect.toml"), |s| format!("timeout_ms = 2000\n{s}"));
    let start = std::time::Instant::now();
    let e = assert_rejected(&copy, &name, "a program that never ends");
    assert!(e.contains("still running"), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(60), "took {:?}", start.elapsed());
}

#[test]
fn a_hanging_listing_that_ends_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "hangs listing", |_, e, _| e.kind == Kind::Hangs);
    let l = listing(&book, &name);
    copy.edit(l.source.as_ref().unwrap(), |s| s.replacen("fn main() {", "fn main() {\n    if std::env::var_os(\"NEVER_SET_BY_ANYONE\").is_none() { return; }", 1));
    let e = assert_rejected(&copy, &name, "a deadlock that no longer happens");
    assert!(e.contains("expected to still be blocked"), "{e}");
}



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

#[test]
fn a_lint_based_compile_fail_listing_is_checked_by_lint_name() {
    // `let _ = m.lock()` drops the guard at once; rustc's deny-by-default lint has no E-code.
    let program = "use std::sync::Mutex;\n\nfn main() {\n    let m = Mutex::new(0);\n    let _ = m.lock().unwrap();\n    *m.lock().unwrap() += 1;\n}\n";
    for (lint, accepted) in [("let_underscore_lock", true), ("unused_must_use", false)] {
        let copy = Copy::new();
        let dir = copy.root.join("listings/ch01-concurrency-vs-parallelism/listing-01-99");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("main.rs"), program).unwrap();
        std::fs::write(dir.join("expect.toml"), format!("kind = \"compile_fail\"\nerrors = [\"{lint}\"]\n")).unwrap();
        let ch = copy.book().chapters.iter().find(|c| c.path.to_string_lossy().contains("ch01-03")).unwrap().path.clone();
        copy.edit(&ch, |s| s + "\n```rust,compile_fail\n{{#rustdoc_include ../listings/ch01-concurrency-vs-parallelism/listing-01-99/main.rs}}\n```\n");
        let book = copy.book();
        let e = verify_listing(&book, listing(&book, "ch01-concurrency-vs-parallelism/listing-01-99")).unwrap_err();
        if accepted {
            // The lint matched; what is left is the snapshot that `cargo xtask bless` would write.
            assert!(e.contains("rustc.stderr is missing"), "{e}");
        } else {
            assert!(e.contains("rejects it with {\"let_underscore_lock\"}"), "{e}");
        }
    }
}

#[test]
fn a_different_panic_message_fails() {
    let copy = Copy::new();
    let book = copy.book();
    let name = find(&book, "should_panic listing", |_, e, _| e.kind == Kind::ShouldPanic);
    copy.edit(&listing(&book, &name).dir.join("expect.toml"), |s| {
        let re = regex::Regex::new(r#"(?m)^panic = ".*"$"#).unwrap();
        re.replace(&s, r#"panic = "index out of bounds""#).into_owned()
    });
    let e = assert_rejected(&copy, &name, "a panic with another message");
    assert!(e.contains("index out of bounds"), "{e}");
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

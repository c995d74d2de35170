//! Checks of src/quizzes/*.toml beyond mdbook-quiz's own validation (which runs at build time):
//! every question explains its answer, has its committed id, avoids the pitfalls readers reported
//! (a NOT in the stem, "the option above" once options are shuffled), and every Tracing program
//! prints its answer under the book's edition as well as under the edition 2015 that the
//! validator uses, run after run.

use crate::book::Book;
use crate::process::run_bounded;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const MIN_QUESTIONS_PER_CHAPTER: usize = 6;

/// src/quizzes/*.toml, relative to the book root.
pub fn quiz_files(book: &Book) -> Vec<PathBuf> {
    let mut v = Vec::new();
    crate::book::walk(&book.root.join("src/quizzes"), &mut v, &|p| p.extension().is_some_and(|e| e == "toml"));
    v.into_iter().map(|p| p.strip_prefix(&book.root).unwrap().to_path_buf()).collect()
}

fn str_at<'a>(q: &'a toml::Value, path: &[&str]) -> Option<&'a str> {
    let mut v = q;
    for k in path {
        v = v.get(k)?;
    }
    v.as_str()
}

/// Checks one quiz file; the error lists every problem with its file and line.
pub fn check_quiz(book: &Book, rel: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(book.abs(rel)).map_err(|e| format!("{}: {e}", rel.display()))?;
    let doc: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", rel.display()))?;
    let question_lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[questions]]")
        .map(|(i, _)| i + 1)
        .collect();
    let questions = doc.get("questions").and_then(|q| q.as_array()).cloned().unwrap_or_default();
    let mut problems = Vec::new();
    if questions.is_empty() {
        problems.push(format!("{}: no [[questions]]", rel.display()));
    }
    let referenced = book.chapters.iter().any(|c| {
        c.directives
            .iter()
            .any(|d| d.name == "quiz" && d.place != crate::markdown::Place::Comment && book.resolve(c, &d.path) == rel)
    });
    if !referenced {
        problems.push(format!("{}: no chapter includes this quiz with {{{{#quiz …}}}}", rel.display()));
    }
    let mut ids = std::collections::BTreeSet::new();
    for (i, q) in questions.iter().enumerate() {
        let at = format!("{}:{} (question {})", rel.display(), question_lines.get(i).copied().unwrap_or(0), i + 1);
        let kind = str_at(q, &["type"]).unwrap_or("");
        if !["MultipleChoice", "ShortAnswer", "Tracing"].contains(&kind) {
            problems.push(format!("{at}: unknown type {kind:?}"));
        }
        if str_at(q, &["context"]).is_none_or(|c| c.trim().is_empty()) {
            problems.push(format!("{at}: no `context`: every question explains its answer"));
        }
        match str_at(q, &["id"]) {
            None => problems.push(format!(
                "{at}: no `id`. mdbook-quiz writes one when the book is built (`cargo xtask test` or \
                 `mdbook build`); commit it, or readers' saved answers and CI's clean tree break"
            )),
            Some(id) if !ids.insert(id.to_string()) => problems.push(format!("{at}: id {id} is used twice")),
            _ => {}
        }
        let stem = str_at(q, &["prompt", "prompt"]).unwrap_or("");
        if stem.split(|c: char| !c.is_alphanumeric()).any(|w| w == "NOT") {
            problems.push(format!("{at}: a NOT in the stem is easily misread; rephrase the question positively"));
        }
        if kind == "MultipleChoice" {
            let mut options: Vec<String> = Vec::new();
            match q.get("answer").and_then(|a| a.get("answer")) {
                Some(toml::Value::String(s)) => options.push(s.clone()),
                Some(toml::Value::Array(a)) if !a.is_empty() => options.extend(a.iter().filter_map(|v| v.as_str().map(String::from))),
                _ => problems.push(format!("{at}: MultipleChoice needs answer.answer (a string, or an array for several right answers)")),
            }
            let distractors = q.get("prompt").and_then(|p| p.get("distractors")).and_then(|d| d.as_array());
            match distractors {
                Some(d) if !d.is_empty() => options.extend(d.iter().filter_map(|v| v.as_str().map(String::from))),
                _ => problems.push(format!("{at}: MultipleChoice needs prompt.distractors")),
            }
            let mut seen = std::collections::BTreeSet::new();
            for o in &options {
                if !seen.insert(o.trim()) {
                    problems.push(format!("{at}: the option {o:?} appears twice"));
                }
                let lower = o.to_lowercase();
                if ["option above", "options above", "option below", "all of the above", "none of the above"].iter().any(|p| lower.contains(p)) {
                    problems.push(format!("{at}: the option {o:?} refers to other options, which are shuffled"));
                }
            }
        }
        if kind == "Tracing" {
            if let Err(e) = check_tracing(book, q) {
                problems.push(format!("{at}: {e}"));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// A Tracing program must give the stated answer under the book's edition and under edition
/// 2015 (what mdbook-quiz's validator compiles), on every one of several runs.
fn check_tracing(book: &Book, q: &toml::Value) -> Result<(), String> {
    let program = str_at(q, &["prompt", "program"]).ok_or("Tracing needs prompt.program")?;
    let compiles = q.get("answer").and_then(|a| a.get("doesCompile")).and_then(|v| v.as_bool()).ok_or("Tracing needs answer.doesCompile")?;
    let stdout = str_at(q, &["answer", "stdout"]).unwrap_or("");
    let editions = [book.edition.as_str(), "2015"];
    for edition in editions {
        let (exe, stderr) = compile_cached(program, edition)?;
        let ok = exe.is_some();
        if ok != compiles {
            return Err(format!(
                "answer.doesCompile = {compiles}, but under edition {edition} it {}:\n{stderr}",
                if ok { "compiles" } else { "does not compile" },
            ));
        }
        let Some(exe) = exe else { continue };
        for run in 1..=5 {
            let out = run_bounded(&mut Command::new(&exe), Duration::from_secs(10)).map_err(|e| e.to_string())?;
            if out.stdout.trim_end() != stdout.trim_end() {
                return Err(format!(
                    "under edition {edition}, run {run} printed {:?}; answer.stdout is {:?}",
                    out.stdout, stdout
                ));
            }
        }
    }
    Ok(())
}

/// A Tracing program compiled with `edition`: the executable, or None and rustc's message.
/// Cached by content (program, rustc version, edition) beside the listings' cache, so a warm run
/// compiles nothing.
fn compile_cached(program: &str, edition: &str) -> Result<(Option<std::path::PathBuf>, String), String> {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (program, crate::verify::rustc_version(), edition, "tracing-v1").hash(&mut h);
    let dir = crate::verify::deps_dir().parent().unwrap().join("quiz-cache").join(format!("{:016x}", h.finish()));
    let exe = dir.join("main");
    let failed = dir.join("rustc.stderr");
    if exe.is_file() {
        return Ok((Some(exe), String::new()));
    }
    if failed.is_file() {
        return Ok((None, std::fs::read_to_string(&failed).unwrap_or_default()));
    }
    let tmp = dir.with_extension(format!("tmp-{}-{:?}", std::process::id(), std::thread::current().id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::write(tmp.join("main.rs"), program).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("rustc");
    cmd.args(["--edition", edition, "-A", "warnings", "-o"]).arg(tmp.join("main")).arg(tmp.join("main.rs"));
    let out = run_bounded(&mut cmd, Duration::from_secs(120)).map_err(|e| e.to_string())?;
    if !out.status.is_some_and(|s| s.success()) {
        let _ = std::fs::remove_file(tmp.join("main"));
        std::fs::write(tmp.join("rustc.stderr"), &out.stderr).map_err(|e| e.to_string())?;
    }
    // One rename publishes the result; if another run got there first, keep theirs.
    if std::fs::rename(&tmp, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    if exe.is_file() { Ok((Some(exe), String::new())) } else { Ok((None, out.stderr)) }
}

/// Each chapter that has sections has at least MIN_QUESTIONS_PER_CHAPTER quiz questions.
pub fn check_counts(book: &Book) -> Result<(), String> {
    let mut problems = Vec::new();
    let chapters: std::collections::BTreeSet<String> = book
        .chapters
        .iter()
        .filter_map(|c| c.path.file_name()?.to_str()?.get(..4).map(String::from))
        .filter(|p| p.starts_with("ch") && p[2..].chars().all(|c| c.is_ascii_digit()))
        .collect();
    for ch in chapters {
        let mut n = 0;
        for rel in quiz_files(book) {
            if rel.file_name().and_then(|f| f.to_str()).is_some_and(|f| f.starts_with(&ch)) {
                let text = std::fs::read_to_string(book.abs(&rel)).unwrap_or_default();
                let doc: toml::Table = toml::from_str(&text).map_err(|e| format!("{}: {e}", rel.display()))?;
                n += doc.get("questions").and_then(|q| q.as_array()).map_or(0, |q| q.len());
            }
        }
        if n < MIN_QUESTIONS_PER_CHAPTER {
            problems.push(format!(
                "src/quizzes/{ch}-*.toml: chapter {ch} has {n} quiz questions; it needs at least {MIN_QUESTIONS_PER_CHAPTER}"
            ));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

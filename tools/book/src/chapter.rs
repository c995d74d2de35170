//! The check of a chapter's markdown: every code block labelled and testable, every include
//! resolved, every flowchart leaf naming a section, every widget's data consistent.
//!
//! Every message starts with the file and line at fault.

use crate::book::{Book, Chapter, is_include};
use crate::mermaid;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Chapters

/// Checks one markdown file: every code block is labelled and testable, every include resolves,
/// every flowchart leaf names a section.
pub fn check_chapter(book: &Book, chapter: &Chapter) -> Result<(), String> {
    let mut problems = Vec::new();
    let at = |line: usize| format!("{}:{line}", chapter.path.display());
    let numbers: Vec<String> = book.sections.iter().filter_map(|s| s.number.clone()).collect();
    // The table of contents shows this file, with the number its name states.
    let in_src = chapter.path.strip_prefix("src").unwrap_or(&chapter.path).to_string_lossy().to_string();
    if in_src != "SUMMARY.md" {
        match book.sections.iter().find(|s| s.path == in_src) {
            None => problems.push(format!(
                "{}: src/SUMMARY.md does not list this file, so readers never see it (mdbook renders only what SUMMARY.md lists)",
                chapter.path.display()
            )),
            Some(section) => {
                let named = crate::book::number_in_file_name(&in_src);
                if named.is_some() && named != section.number {
                    problems.push(format!(
                        "src/SUMMARY.md:{}: lists {} as §{}, but its file name says §{} (chNN-MM-slug.md is section NN.MM; rename the file or move the entry)",
                        section.line,
                        chapter.path.display(),
                        section.number.as_deref().unwrap_or("(unnumbered)"),
                        named.unwrap()
                    ));
                }
            }
        }
    }

    for block in &chapter.blocks {
        if !block.closed {
            problems.push(format!("{}: this code block is never closed", at(block.line)));
        }
        if !block.fenced {
            problems.push(format!(
                "{}: indented code block; rustdoc would compile it as Rust. Fence it and label it \
                 (```rust, ```text, ```console, …)",
                at(block.line)
            ));
            continue;
        }
        if block.info.is_empty() {
            problems.push(format!(
                "{}: unlabelled code block; rustdoc would compile it as Rust. Label it \
                 (```rust, ```text, ```console, …)",
                at(block.line)
            ));
            continue;
        }
        if block.info.split(|c: char| c == ',' || c.is_whitespace()).any(|t| t == "ignore") {
            // A block that already shows a listing gets the fence its contract implies.
            let listing = block
                .directives()
                .into_iter()
                .filter(|d| is_include(&d.name))
                .find_map(|d| book.listing_with_source(&book.resolve(chapter, &d.path)));
            problems.push(match listing {
                Some(l) => format!(
                    "{}: `ignore` blocks are never compiled; this block shows {}, which the harness \
                     checks by its expect.toml, so remove `ignore` and write the fence its contract \
                     implies{}",
                    at(block.line),
                    l.dir.display(),
                    crate::verify::contract_of(book, l).map_or(String::new(), |(_, lang, e)| format!(": ```{}", e.fence(lang, &book.edition)))
                ),
                None => format!(
                    "{}: `ignore` blocks are never compiled; every Rust block in this book is checked \
                     (use no_run for one that must not run, or move it to listings/)",
                    at(block.line)
                ),
            });
        }
        let includes: Vec<_> = block.directives().into_iter().filter(|d| is_include(&d.name)).collect();
        for d in &includes {
            let target = book.resolve(chapter, &d.path);
            if !book.abs(&target).is_file() {
                problems.push(format!("{}: {{{{#{} {}}}}}: no such file {}", at(d.line), d.name, d.path, target.display()));
                continue;
            }
            if let Some(sel) = &d.selector {
                if let Err(e) = check_selector(&book.abs(&target), sel) {
                    problems.push(format!("{}: {{{{#{} {}:{sel}}}}}: {e}", at(d.line), d.name, d.path));
                }
            }
        }
        let shows_listing = includes
            .iter()
            .any(|d| book.listing_with_source(&book.resolve(chapter, &d.path)).is_some());
        if block.is_rust() && !shows_listing {
            // An inline snippet: tested by skeptic and `mdbook test`.
            if block.has_token("compile_fail") {
                problems.push(format!(
                    "{}: an inline compile_fail block cannot have its error code checked; move it \
                     to listings/ with expect = \"compile_fail\" (see CONTRIBUTING.md)",
                    at(block.line)
                ));
            }
            // Besides listings, a block may show an exercise's code (exercises/<name>/src/…),
            // which the exercise's own tests verify; rustdoc compiles it too.
            let from_exercise = |d: &&crate::markdown::Directive| book.resolve(chapter, &d.path).starts_with("exercises");
            if includes.iter().any(|d| !from_exercise(&d)) {
                problems.push(format!(
                    "{}: this Rust block includes a file that is neither a listing's main.rs nor an \
                     exercise's source; Rust code is included only from listings/<chapter>/<listing>/main.rs \
                     or exercises/<name>/src/",
                    at(block.line)
                ));
            }
        }
        if crate::diagrams::is_diagram(block) {
            for e in mermaid::check_leaves(&block.body, &numbers) {
                problems.push(format!("{}: flowchart: {e}", at(block.line)));
            }
            let d = crate::diagrams::Diagram::of_block(at(block.line), block);
            if crate::diagrams::THEMES.iter().any(|(t, _)| !book.abs(&d.svg(t)).is_file()) {
                problems.push(format!(
                    "{}: this diagram has no pre-rendered SVGs ({}); run `cargo xtask diagrams` and commit {}/",
                    d.location,
                    d.svg("light").display(),
                    crate::diagrams::DIR
                ));
            }
        }
    }
    problems.extend(crate::widgets::check_widgets(book, chapter));
    // Directives outside code blocks (quizzes, includes in prose).
    for d in &chapter.directives {
        if d.name == "quiz" || (is_include(&d.name) && !matches!(d.place, crate::markdown::Place::Code(_))) {
            let target = book.resolve(chapter, &d.path);
            if !book.abs(&target).is_file() {
                problems.push(format!("{}: {{{{#{} {}}}}}: no such file {}", at(d.line), d.name, d.path, target.display()));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// mdbook's include selectors: `name` (an ANCHOR), `N`, `N:M`, `N:`, `:M`.
fn check_selector(file: &Path, sel: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| e.to_string())?;
    let numeric = |s: &str| s.is_empty() || s.chars().all(|c| c.is_ascii_digit());
    if sel.split(':').all(numeric) {
        let n = text.lines().count();
        for part in sel.split(':').filter(|s| !s.is_empty()) {
            let k: usize = part.parse().unwrap();
            if k == 0 || k > n {
                return Err(format!("line {k} is outside the file ({n} lines)"));
            }
        }
        return Ok(());
    }
    let start = format!("ANCHOR: {sel}");
    let end = format!("ANCHOR_END: {sel}");
    let has = |marker: &str| text.lines().any(|l| l.trim_end().ends_with(marker));
    if !has(&start) || !has(&end) {
        return Err(format!("{} has no `{start}` … `{end}` pair", file.display()));
    }
    Ok(())
}


//! The check of a chapter's markdown: every code block labelled and testable, every include
//! resolved, every flowchart leaf naming a section, every widget's data consistent.
//!
//! Every message starts with the file and line at fault.

use crate::book::{Book, Chapter, is_include};
use crate::markdown::CodeBlock;
use crate::mermaid;
use regex::Regex;
use std::path::Path;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Chapters

/// Checks one markdown file: every code block is labelled and testable, every include resolves,
/// every flowchart leaf names a section.
pub fn check_chapter(book: &Book, chapter: &Chapter) -> Result<(), String> {
    let mut problems = Vec::new();
    let at = |line: usize| format!("{}:{line}", chapter.path.display());
    let numbers: Vec<String> = book.sections.iter().filter_map(|s| s.number.clone()).collect();
    // mdbook pastes an included file's lines at column 0: in an indented block (a list item) the
    // first of them ends the item and the rest of the page renders wrong.
    for (i, line) in chapter.text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.len() < line.len() && (trimmed.starts_with("{{#include") || trimmed.starts_with("{{#rustdoc_include")) {
            problems.push(format!(
                "{}: an indented {{{{#include}}}}: mdbook inserts the file's lines unindented, which ends the \
                 list item (or indented block) around it; move the block out of the list, to column 0",
                at(i + 1)
            ));
        }
    }
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
        // A C++ or Python block is checked only as a listing: nothing compiles or runs an inline one.
        let first = block.tokens().first().copied().unwrap_or("");
        if let Some(lang) = crate::contract::LANGUAGES
            .iter()
            .find(|l| l.language != crate::contract::Language::Rust && (l.fence == first || l.fence_aliases.contains(&first)))
        {
            if !shows_listing && block.illustration.is_none() {
                problems.push(format!(
                    "{}: an inline ```{first} block: nothing compiles or runs it, so nothing checks what it shows. \
                     Make it a listing (listings/chNN-slug/…/{} with an expect.toml) and show it with \
                     {{{{#{} …}}}}; a fragment that is not a program (a declaration, a signature) says so right \
                     before the block: <!-- illustration: why -->",
                    at(block.line),
                    lang.file,
                    lang.include
                ));
            }
        }
        if crate::diagrams::is_diagram(block) {
            for e in mermaid::check_leaves(&block.body, &numbers) {
                problems.push(format!("{}: flowchart: {e}", at(block.line)));
            }
            let d = crate::diagrams::Diagram::of_block(at(block.line), block);
            let light = std::fs::read_to_string(book.abs(&d.svg("light"))).ok();
            if let Some(w) = light.as_deref().and_then(crate::diagrams::svg_width).filter(|w| *w > crate::diagrams::MAX_WIDTH) {
                problems.push(format!(
                    "{}: this diagram is drawn {w:.0} px wide; in the page's 750 px column its text would be {:.1} px \
                     high (at most {} px wide keeps it readable): lay it out the other way (flowchart LR or TD), \
                     shorten its labels, or split it",
                    d.location,
                    16.0 * 750.0 / w,
                    crate::diagrams::MAX_WIDTH
                ));
            }
            if let Some(broken) = light.as_deref().and_then(crate::diagrams::split_entity) {
                problems.push(format!(
                    "{}: mermaid wrapped a label in the middle of an entity, so the page shows {broken:?}: put a \
                     <br/> before the long word (Arc#lt;Mutex#lt;T#gt;#gt;) or shorten the label",
                    d.location
                ));
            }
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
    problems.extend(check_typed_output(book, chapter));
    problems.extend(check_listing_numbers(book, chapter));
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

// ---------------------------------------------------------------------------------------------
// Program output typed by hand

/// The info strings (first token) of blocks that show text a reader may take for a run's output:
/// plain text, shell transcripts and shell scripts.
const TEXT_LIKE: &[&str] = &["text", "txt", "plain", "plaintext", "output", "console", "terminal", "shell-session", "sh", "shell", "bash", "zsh"];

/// Whether the chapter check reads `block` for typed output: a ```text, ```console or shell
/// block.
pub fn shows_text(block: &CodeBlock) -> bool {
    block.info.split(|c: char| c == ',' || c.is_whitespace()).next().is_some_and(|t| TEXT_LIKE.contains(&t))
}

/// Why a line written in a chapter looks like the output of a program (what rustc, cargo, the
/// test runner, std's panic and abort messages, a shell reporting a crash, a sanitizer print,
/// or a timing), or `None`. Conservative on purpose: prose diagrams, type signatures, state
/// tables and commands do not match.
pub fn looks_like_output(line: &str) -> Option<&'static str> {
    static R: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let rules = R.get_or_init(|| {
        [
            (r"^\s*(error|warning)(\[[A-Z]?\d{4}\])?: \S", "a diagnostic of rustc or cargo"),
            (r"^\s*--> \S+:\d+:\d+\s*$", "a location line of a rustc diagnostic"),
            (r"^\s*= (note|help): ", "a note of a rustc diagnostic"),
            (r"\bthread '[^']*' (\(\d+\) )?panicked at\b", "std's panic message"),
            (r"\bhas overflowed its stack\b", "std's stack-overflow message"),
            (r"\bfatal runtime error: ", "std's abort message"),
            (r"^note: run with `RUST_BACKTRACE=", "std's panic message"),
            (r"^running \d+ tests?\s*$", "the test runner's output"),
            (r"^test result: (ok|FAILED)\. ", "the test runner's summary"),
            (r"^test \S+( - should panic)? \.\.\. (ok|FAILED|ignored)", "the test runner's output"),
            (r"^---- \S+ stdout ----$", "the test runner's failure report"),
            (r"^\s*(Compiling|Checking|Documenting) [\w-]+ v\d+\.\d+", "cargo's progress output"),
            (r"^\s*Finished .*\b(profile|target\(s\)) .*in \d", "cargo's progress output"),
            (r"^\s*Running (unittests |tests/|benches/|`|target/)", "cargo's progress output"),
            (r"^\s*Doc-tests \S+$", "cargo's progress output"),
            (r"^(.*: line \d+: +\d+ )?(Segmentation fault|Aborted|Illegal instruction|Bus error|Floating point exception|Killed)( \(core dumped\))?\s*$", "a shell reporting a crashed program"),
            (r"\(core dumped\)", "a shell reporting a crashed program"),
            (r"^==\d+==\s*(ERROR|WARNING)", "a sanitizer's report"),
            (r"\b(ThreadSanitizer|AddressSanitizer|LeakSanitizer|MemorySanitizer|UndefinedBehaviorSanitizer)\b", "a sanitizer's report"),
            (r"\b\d+\.\d+ ?(s|ms|µs|us|ns)\b", "a measured time"),
            (r"\b(took|elapsed|time[:=])\s*\d+(\.\d+)? ?(s|ms|µs|us|ns|seconds?|milliseconds?)\b", "a measured time"),
        ]
        .into_iter()
        .map(|(re, why)| (Regex::new(re).unwrap(), why))
        .collect()
    });
    rules.iter().find(|(re, _)| re.is_match(line)).map(|(_, why)| *why)
}

/// The first line of a ```text/```console/shell block that shows program output typed by hand:
/// `(index in the body, line, why)`. A line that is only mdbook directives is included, not
/// typed; `included` says, for such a line, what the included text is: `None` when it is a
/// checked file of a listing (a sample the harness checks against the contract, or a
/// program), else its lines, which are read like typed ones. In a transcript (a block with a
/// `$ ` prompt), every line after a command that is neither a command nor included is output
/// typed by hand.
pub fn typed_output(body: &[String], included: &dyn Fn(usize) -> Option<Vec<String>>) -> Option<(usize, String, String)> {
    let mut after_prompt: Option<String> = None;
    let mut continued = false;
    for (i, line) in body.iter().enumerate() {
        let t = line.trim();
        if t.starts_with("{{#") && t.ends_with("}}") {
            for inc in included(i).unwrap_or_default() {
                if let Some(why) = looks_like_output(&inc) {
                    return Some((i, inc, format!("the included file is not a checked sample, and this line of it looks like {why}")));
                }
            }
            continue;
        }
        if continued {
            continued = t.ends_with('\\');
            continue;
        }
        if let Some(cmd) = line.trim_start().strip_prefix("$ ").or_else(|| (t == "$").then_some("")) {
            after_prompt = Some(cmd.trim().to_string());
            continued = t.ends_with('\\');
            continue;
        }
        if let Some(why) = looks_like_output(line) {
            return Some((i, line.clone(), format!("it looks like {why}")));
        }
        if let Some(cmd) = &after_prompt {
            if !t.is_empty() {
                return Some((i, line.clone(), format!("it follows the command `$ {cmd}` in a transcript, so it reads as that command's output")));
            }
        }
    }
    None
}

/// Every ```text, ```console or shell block either shows only what checked files hold, or
/// nothing that looks like program output, or says why it may (`<!-- illustration: … -->`).
pub fn check_typed_output(book: &Book, chapter: &Chapter) -> Vec<String> {
    let mut problems = Vec::new();
    for block in chapter.blocks.iter().filter(|b| b.fenced && shows_text(b)) {
        if let Some(reason) = &block.illustration {
            if reason.is_empty() {
                problems.push(format!(
                    "{}:{}: `<!-- illustration -->` needs its reason, visible to the next author: `<!-- illustration: what this block shows, and why it is not a run's output -->`",
                    chapter.path.display(),
                    block.line
                ));
            }
            continue;
        }
        let included = |i: usize| -> Option<Vec<String>> {
            let mut lines = Vec::new();
            for d in crate::markdown::directives_in(&block.body[i]).into_iter().filter(|d| is_include(&d.name)) {
                let rel = book.resolve(chapter, &d.path);
                if book.listing_with_checked_file(&rel).is_some() || rel.starts_with("exercises") {
                    continue;
                }
                lines.extend(std::fs::read_to_string(book.abs(&rel)).unwrap_or_default().lines().map(String::from));
            }
            Some(lines)
        };
        if let Some((i, line, why)) = typed_output(&block.body, &included) {
            let fence = block.info.split(|c: char| c == ',' || c.is_whitespace()).next().unwrap_or("text");
            problems.push(format!(
                "{}:{}: this ```{fence} block (line {}) shows program output typed by hand: `{}`: {why}. \
                 Every output a reader sees comes from a checked run: put the program in a listing \
                 (listings/chNN-slug/…/main.rs and an expect.toml whose [stdout] or [stderr] contract \
                 checks this text, by patterns if it varies) and show its sample here with \
                 {{{{#include ../listings/…/output.txt}}}} (or stderr.txt, rustc.stderr). If the \
                 block is not output (a diagram, the format of a message), say so right before it: \
                 <!-- illustration: why -->",
                chapter.path.display(),
                block.line + 1 + i,
                block.line,
                line.trim()
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Listing numbers

/// A caption, `<span class="caption">Listing 2-3: …</span>`, in a chapter's prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Caption {
    /// 1-based line.
    pub line: usize,
    /// Byte offset of `<span` in the chapter.
    pub offset: usize,
    /// The caption's text, inside the span.
    pub text: String,
    /// "2-3", when the text starts with `Listing 2-3:`.
    pub number: Option<String>,
}

/// The text of a chapter with its code blocks and HTML comments blanked out (newlines kept, so
/// that offsets and lines stay those of the file): what a reader reads as prose.
pub fn prose_only(text: &str, doc_blocks: &[CodeBlock], comments: &[std::ops::Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for r in doc_blocks.iter().map(|b| b.range.clone()).chain(comments.iter().cloned()) {
        for b in &mut bytes[r] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes were replaced, whole characters at a time (multi-byte ones become spaces).
    String::from_utf8(bytes).unwrap_or_default()
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The captions of a chapter's prose (`prose` from [`prose_only`]).
pub fn captions(prose: &str) -> Vec<Caption> {
    const OPEN: &str = r#"<span class="caption">"#;
    static N: OnceLock<Regex> = OnceLock::new();
    let num = N.get_or_init(|| Regex::new(r"^\s*Listing (\d+)-(\d+):").unwrap());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = prose[from..].find(OPEN) {
        let start = from + pos;
        let inner = start + OPEN.len();
        let end = prose[inner..].find("</span>").map_or(prose.len(), |e| inner + e);
        let text = prose[inner..end].to_string();
        let number = num.captures(&text).map(|n| format!("{}-{}", n[1].parse::<u32>().unwrap_or(0), n[2].parse::<u32>().unwrap_or(0)));
        out.push(Caption { line: line_at(prose, start), offset: start, text, number });
        from = end;
    }
    out
}

/// Every listing number the prose names, "Listing 2-3", "listing 2-3", "Listings 1-2 and 1-3",
/// "Listings 1-4, 1-5 and 1-6" (a line break may sit anywhere between the words), except a
/// caption's own leading number: `(line, "2-3")`.
pub fn listing_references(prose: &str) -> Vec<(usize, String)> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| {
        Regex::new(r"(?-u:\b)[Ll]istings?\s+(\d+-\d+(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to|through)\s+)\d+-\d+)*)").unwrap()
    });
    static N: OnceLock<Regex> = OnceLock::new();
    let num = N.get_or_init(|| Regex::new(r"(\d+)-(\d+)").unwrap());
    let mut out = Vec::new();
    for m in re.find_iter(prose) {
        if prose[..m.start()].trim_end().ends_with(r#"<span class="caption">"#) {
            // The caption's own number, checked against its listing's folder instead.
            continue;
        }
        for n in num.captures_iter(m.as_str()) {
            let at = m.start() + n.get(0).unwrap().start();
            out.push((line_at(prose, at), format!("{}-{}", n[1].parse::<u32>().unwrap_or(0), n[2].parse::<u32>().unwrap_or(0))));
        }
    }
    out
}

/// Every caption's number is that of the listing folder whose program the block right above it
/// shows; every block that shows a numbered listing's program has that caption; every "Listing
/// N-M" of the prose names a listing of the book that a chapter shows.
pub fn check_listing_numbers(book: &Book, chapter: &Chapter) -> Vec<String> {
    let mut problems = Vec::new();
    let at = |line: usize| format!("{}:{line}", chapter.path.display());
    let doc = crate::markdown::Document::parse(&chapter.text);
    let prose = prose_only(&chapter.text, &doc.blocks, &doc.comments);
    let caps = captions(&prose);
    // The numbered listing whose program a block shows.
    let shown = |block: &CodeBlock| {
        block.directives().into_iter().filter(|d| is_include(&d.name)).find_map(|d| {
            let rel = book.resolve(chapter, &d.path);
            let folder = rel.parent()?.file_name()?.to_string_lossy().to_string();
            let is_program = rel.file_name().is_some_and(|f| crate::contract::LANGUAGES.iter().any(|l| f == l.file));
            (is_program && rel.starts_with("listings")).then(|| (rel.parent().unwrap().to_path_buf(), crate::book::listing_number(&folder)))
        })
    };
    // The block right above a caption (only whitespace between them).
    let above = |offset: usize| {
        chapter.blocks.iter().rev().find(|b| b.range.end <= offset).filter(|b| chapter.text[b.range.end..offset].trim().is_empty())
    };
    for c in &caps {
        let listing = above(c.offset).and_then(|b| shown(b));
        match (&c.number, listing) {
            (_, None) => problems.push(format!(
                "{}: this caption (\"{}\") is not right after a code block that shows a listing's program; a caption goes right after the block that includes listings/…/listing-NN-MM/main.rs",
                at(c.line),
                c.text.trim()
            )),
            (None, Some((dir, expected))) => problems.push(format!(
                "{}: this caption (\"{}\") has no number; it captions {}, so it starts with \"{}\"",
                at(c.line),
                c.text.trim(),
                dir.display(),
                expected.map_or("(nothing: an unnumbered no-listing folder has no caption)".to_string(), |n| format!("Listing {n}: "))
            )),
            (Some(found), Some((dir, expected))) if expected.as_deref() != Some(found.as_str()) => problems.push(format!(
                "{}: this caption says Listing {found}, but the block above it shows {}, which is {}; fix the caption's number (the folder's name is the listing's number)",
                at(c.line),
                dir.display(),
                expected.map_or("an unnumbered listing (no-listing-…), which has no caption".to_string(), |n| format!("Listing {n}"))
            )),
            _ => {}
        }
    }
    // Every block that shows a numbered listing's program is captioned.
    for block in &chapter.blocks {
        let Some((dir, Some(n))) = shown(block) else { continue };
        let captioned = caps.iter().any(|c| above(c.offset).is_some_and(|b| b.line == block.line));
        if !captioned {
            problems.push(format!(
                "{}: this block shows {}, Listing {n}, but no caption follows it; add `<span class=\"caption\">Listing {n}: …</span>` after it",
                at(block.line),
                dir.display()
            ));
        }
    }
    // Every number the prose names is a listing that a chapter shows.
    // One verdict per number: a chapter names the same listings many times.
    let mut verdicts: std::collections::HashMap<String, Option<Option<&crate::book::Listing>>> = Default::default();
    for (line, n) in listing_references(&prose) {
        let verdict = *verdicts.entry(n.clone()).or_insert_with(|| match book.numbered_listing(&n) {
            Some(l) if book.shows(l) => None,
            other => Some(other),
        });
        let Some(verdict) = verdict else { continue };
        match verdict {
            None => {
                let chapter_no = n.split('-').next().unwrap_or("");
                let mut of_chapter: Vec<(u32, String)> = book
                    .listings
                    .iter()
                    .filter_map(|l| l.number())
                    .filter(|m| m.split('-').next() == Some(chapter_no))
                    .map(|m| (m.split('-').nth(1).and_then(|x| x.parse().ok()).unwrap_or(0), m))
                    .collect();
                of_chapter.sort();
                let known = match (of_chapter.first(), of_chapter.last()) {
                    (Some(a), Some(b)) => format!("chapter {chapter_no}'s listings are {} to {}", a.1, b.1),
                    _ => format!("chapter {chapter_no} has no numbered listing"),
                };
                problems.push(format!(
                    "{}: \"Listing {n}\" names no listing of the book: there is no listings/ch{:0>2}-…/listing-{}/ folder ({known}); fix the number",
                    at(line),
                    chapter_no,
                    n.split('-').map(|p| format!("{:0>2}", p)).collect::<Vec<_>>().join("-")
                ));
            }
            Some(l) => problems.push(format!(
                "{}: \"Listing {n}\" names {}, which no chapter shows; show it (with its caption) or fix the number",
                at(line),
                l.dir.display()
            )),
        }
    }
    problems
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


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_lines_are_recognised() {
        for line in [
            "error[E0499]: cannot borrow `counter` as mutable more than once at a time",
            "warning: unused variable: `x`",
            "  --> src/main.rs:4:5",
            "thread 'tiny' (25362) has overflowed its stack",
            "fatal runtime error: stack overflow, aborting",
            "thread 'main' panicked at src/main.rs:2:5:",
            "thread '<unnamed>' (28089) panicked at src/main.rs:9:13:",
            "running 3 tests",
            "test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
            "test empty_input_gives_an_empty_vec ... FAILED",
            "---- one_item stdout ----",
            "   Compiling exercise-parallel-map v0.1.0 (/book/exercises/ch02-parallel-map)",
            "    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.52s",
            "     Running tests/grade.rs (target/debug/deps/grade-1a2b)",
            "Segmentation fault (core dumped)",
            "Aborted",
            "==4242==ERROR: AddressSanitizer: stack-use-after-return",
            "SUMMARY: ThreadSanitizer: data race main.cpp:12 in worker()",
            "[1, 2, 3, 4] 0.33 s with threads",
            "round trip: 3.2 µs per hand-off",
            "the sort took 12 ms",
        ] {
            assert!(looks_like_output(line).is_some(), "not recognised as output: {line}");
        }
        for line in [
            "pub fn spawn<F, T>(f: F) -> JoinHandle<T>",
            "    F: FnOnce() -> T + Send + 'static,",
            "core 0 |sample|wifi  |log   |sample|wifi  |led   |",
            "lock, read 100, unlock                                        100",
            "------------------- both wait at the barrier -------------------",
            "S(n) = 1 / ((1 − p) + p / n)",
            "created --> ready --> running --> terminated",
            "cargo test -p exercise-parallel-map --no-default-features",
            "a 5 ms cell, 2 cores",
            "Error handling: see §2.4",
            "test the flag, then act",
        ] {
            assert_eq!(looks_like_output(line), None, "taken for output: {line}");
        }
    }

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn transcripts_show_commands_and_included_output_only() {
        let none = |_: usize| None;
        // Commands only, with a continuation line: what a reader types.
        assert_eq!(typed_output(&lines("$ cargo xtask serve   # serve the book\n$ rustc -O \\\n    -o x main.rs"), &none), None);
        // Output that a checked sample holds.
        assert_eq!(typed_output(&lines("$ ./pingpong\n{{#include ../listings/a/listing-01-01/output.txt}}"), &none), None);
        // A line typed after a command, even one no rule knows, is that command's output.
        let (i, line, why) = typed_output(&lines("$ ./race; echo \"exit status $?\"\n{{#include x/output.txt}}\nexit status 66"), &none).unwrap();
        assert_eq!((i, line.as_str()), (2, "exit status 66"));
        assert!(why.contains("`$ ./race; echo \"exit status $?\"`"), "{why}");
        // Without a prompt, only lines that look like output count.
        assert_eq!(typed_output(&lines("cargo test -p exercise\ncargo grade exercise"), &none), None);
        let (i, _, why) = typed_output(&lines("A state table\nthread 'x' (1) has overflowed its stack"), &none).unwrap();
        assert_eq!(i, 1);
        assert!(why.contains("stack-overflow"), "{why}");
        // An included file that is not a checked sample is read like typed text.
        let unchecked = |_: usize| Some(vec!["test result: ok. 1 passed".to_string()]);
        let (i, _, why) = typed_output(&lines("{{#include ../notes/run.txt}}"), &unchecked).unwrap();
        assert_eq!(i, 0);
        assert!(why.contains("not a checked sample"), "{why}");
    }

    #[test]
    fn captions_and_references() {
        let prose = "As Listing 1-2 and\nListing 1-3 show, and Listings 1-4, 1-5 and 1-6, and listing\n2-7.\n\n<span class=\"caption\">Listing 2-3: The twin of Listing 2-1</span>\n<span class=\"caption\">No number</span>\nlisting-01-04 is a folder; a listing is a program.\n";
        let refs = listing_references(prose);
        let refs: Vec<(usize, &str)> = refs.iter().map(|(l, n)| (*l, n.as_str())).collect();
        assert_eq!(refs, vec![(1, "1-2"), (2, "1-3"), (2, "1-4"), (2, "1-5"), (2, "1-6"), (3, "2-7"), (5, "2-1")]);
        let caps = captions(prose);
        assert_eq!(caps.len(), 2);
        assert_eq!((caps[0].line, caps[0].number.as_deref()), (5, Some("2-3")));
        assert_eq!((caps[1].line, caps[1].number.as_deref()), (6, None));
        // Leading zeros do not make another listing.
        assert_eq!(listing_references("Listing 01-03")[0].1, "1-3");
    }

    #[test]
    fn prose_only_blanks_code_and_comments() {
        let text = "Listing 1-1 here.\n\n```text\nListing 9-9\n```\n\n<!-- Listing 8-8 -->\nµ Listing 1-2\n";
        let doc = crate::markdown::Document::parse(text);
        let prose = prose_only(text, &doc.blocks, &doc.comments);
        assert_eq!(prose.len(), text.len());
        let refs: Vec<String> = listing_references(&prose).into_iter().map(|(_, n)| n).collect();
        assert_eq!(refs, vec!["1-1", "1-2"]);
    }
}

//! Feeds skeptic the book's inline Rust snippets.
//!
//! skeptic 0.14 knows neither mdbook's `{{#include}}` nor `compile_fail`, and does not wrap a
//! snippet without `fn main` as rustdoc does. So for each chapter we write a copy into OUT_DIR in
//! which:
//! - blocks that show a listing (`{{#include …/listings/…}}`) become `text`: tests/listings.rs
//!   checks those, with their contracts;
//! - a snippet without `fn main` gets skeptic's `skt-main` template, which wraps it like rustdoc;
//! - line numbers are unchanged, so a failing test's name (`…_line_42`) points at the chapter.
//! Each generated test is then given a watchdog naming its chapter and line, because skeptic runs
//! snippets with no time bound.
use concurrency_book::markdown;

use std::fs;
use std::path::{Path, PathBuf};

fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "quiz") {
                md_files(&p, out);
            }
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("book");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).unwrap();
    println!("cargo:rerun-if-changed=src");
    
    let mut sources = Vec::new();
    md_files(&root.join("src"), &mut sources);
    let mut fed = Vec::new();
    let mut origin = Vec::new(); // (sanitized file stem, path relative to the root)
    for src in &sources {
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(src).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let mut any = false;
        for block in markdown::code_blocks(&text) {
            if !block.is_rust() || block.info.is_empty() {
                continue;
            }
            // The fence line, with whatever precedes the fence (indentation, `>` of a block quote).
            let fence_line = &mut lines[block.line - 1];
            let at = fence_line.find(['`', '~']).unwrap_or(0);
            let fence_char = fence_line[at..].chars().next().unwrap_or('`');
            let fence_end = at + fence_line[at..].chars().take_while(|c| *c == fence_char).count();
            let prefix = fence_line[..fence_end].to_string();
            let shows_file = block.directives().iter().any(|d| d.name == "include" || d.name == "rustdoc_include");
            let info = if shows_file || block.has_token("compile_fail") || block.has_token("ignore") {
                // Checked by tests/listings.rs (or rejected there, with a message).
                "text".to_string()
            } else {
                any = true;
                // skeptic tests only blocks that say `rust`; rustdoc also tests ```no_run and
                // friends. Say it, so that no block rustdoc tests is skipped here.
                let info = if block.has_token("rust") { block.info.clone() } else { format!("rust,{}", block.info) };
                let body = block.body.join("\n");
                if markdown::has_main(&body) { info } else { format!("{info},skt-main") }
            };
            *fence_line = format!("{prefix}{info}");
        }
        if !any {
            continue;
        }
        let name = src.file_name().unwrap();
        let copy = out.join(name);
        fs::write(&copy, lines.join("\n") + "\n").unwrap();
        fs::write(
            out.join(format!("{}.skt.md", name.to_string_lossy())),
            "```rust,skt-main\nfn main() {{\n{}\n}}\n```\n",
        )
        .unwrap();
        let stem = src.file_stem().unwrap().to_string_lossy().to_ascii_lowercase().replace(['-', '.'], "_");
        origin.push((stem, src.strip_prefix(&root).unwrap().display().to_string()));
        fed.push(copy);
    }
    skeptic::generate_doc_tests(&fed);

    // Arm a watchdog in every generated test: "src/ch01-04-speedup.md:57".
    let tests_rs = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("skeptic-tests.rs");
    let generated = fs::read_to_string(&tests_rs).unwrap_or_default();
    let mut result = String::new();
    for line in generated.lines() {
        result.push_str(line);
        result.push('\n');
        if let Some(name) = line.strip_prefix("#[test] fn ").and_then(|r| r.strip_suffix("() {")) {
            let (stem_part, line_no) = name.rsplit_once("_line_").unwrap_or((name, "?"));
            let file = origin
                .iter()
                .filter(|(stem, _)| stem_part.starts_with(stem.as_str()))
                .max_by_key(|(stem, _)| stem.len())
                .map(|(_, f)| f.as_str())
                .unwrap_or("src/?");
            result.push_str(&format!(
                "    let _watchdog = concurrency_book::Watchdog::arm(\"{file}:{line_no}\", std::time::Duration::from_secs(120));\n"
            ));
        }
    }
    fs::write(&tests_rs, result).unwrap();
}

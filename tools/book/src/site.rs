//! Building the book with the pinned mdbook, and checking every internal link and anchor of the
//! result.

use crate::book::{Book, normalize};
use crate::process::run_bounded;
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// PATH with the project's pinned tools (.tools/bin) first.
pub fn tools_path(book: &Book) -> std::ffi::OsString {
    let mut paths = vec![book.root.join(".tools/bin")];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap()
}

/// `mdbook build -d <dest>`. The error names what failed; mdbook's ERROR lines count as failure
/// (a missing include, for one, is only logged by mdbook).
pub fn build(book: &Book, dest: &Path) -> Result<(), String> {
    let mdbook = book.root.join(".tools/bin/mdbook");
    let needed = [".tools/bin/mdbook", ".tools/bin/mdbook-quiz", ".tools/bin/mdbook-mermaid", ".tools/bin/mdbook-book", "src/vendor/mermaid.min.js"];
    let missing: Vec<&str> = needed.iter().copied().filter(|f| !book.root.join(f).is_file()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "{} missing: `cargo xtask setup` installs the pinned mdBook tools, builds the book's \
             preprocessor and writes mermaid's script",
            missing.join(", ") + if missing.len() == 1 { " is" } else { " are" }
        ));
    }
    let _ = std::fs::remove_dir_all(dest);
    let mut cmd = Command::new(&mdbook);
    cmd.current_dir(&book.root).env("PATH", tools_path(book)).env("NO_COLOR", "1").arg("build").arg("-d").arg(dest);
    let out = run_bounded(&mut cmd, Duration::from_secs(600)).map_err(|e| format!("cannot run mdbook: {e}"))?;
    let log = format!("{}{}", out.stdout, out.stderr);
    // mdbook only logs a missing include, and a preprocessor it cannot run: count every ERROR
    // line as a failure.
    let errors: Vec<&str> = log.lines().filter(|l| l.contains("ERROR")).collect();
    if out.status.is_none_or(|s| !s.success()) || !errors.is_empty() {
        return Err(format!("mdbook build failed ({}):\n{log}", out.describe_status()));
    }
    Ok(())
}

/// What the browser tests need to know about each page, from the model (so no test parses
/// SUMMARY.md or a chapter again): the pages in table-of-contents order, each with its markdown
/// source, title, section number, diagrams, widgets and quizzes. `cargo xtask test` writes it to
/// target/book-model.json and names it in BOOK_MODEL.
pub fn page_model(book: &Book) -> serde_json::Value {
    let pages: Vec<serde_json::Value> = book
        .sections
        .iter()
        .map(|s| {
            let md = Path::new("src").join(&s.path);
            let chapter = book.chapters.iter().find(|c| c.path == md);
            let diagrams: Vec<String> = chapter
                .map(|c| {
                    c.blocks
                        .iter()
                        .filter(|b| crate::diagrams::is_diagram(b))
                        .map(|b| crate::diagrams::Diagram::of_block(String::new(), b).name)
                        .collect()
                })
                .unwrap_or_default();
            let widgets: Vec<serde_json::Value> = chapter
                .map(|c| {
                    crate::widgets::embedded(c)
                        .into_iter()
                        .map(|(kind, line)| serde_json::json!({ "kind": kind, "where": format!("{}:{line}", md.display()) }))
                        .collect()
                })
                .unwrap_or_default();
            let quizzes = chapter.map_or(0, |c| {
                c.directives.iter().filter(|d| d.name == "quiz" && d.place != crate::markdown::Place::Comment).count()
            });
            serde_json::json!({
                "html": Path::new(&s.path).with_extension("html").to_string_lossy(),
                "md": md.to_string_lossy(),
                "title": s.title,
                "number": s.number,
                "diagrams": diagrams,
                "widgets": widgets,
                "quizzes": quizzes,
            })
        })
        .collect();
    serde_json::json!({ "title": book.title, "pages": pages })
}

fn html_files(site: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    crate::book::walk(site, &mut v, &|p| p.extension().is_some_and(|e| e == "html"));
    v
}

/// Every relative `href`/`src` of the site's chapter pages resolves to a file, and every
/// `#fragment` to an `id` in it. Messages name the chapter's markdown file and line.
pub fn check_links(book: &Book, site: &Path) -> Vec<String> {
    let attr = Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let id = Regex::new(r#"\b(?:id|name)="([^"]*)""#).unwrap();
    let mut ids: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    let files = html_files(site);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        ids.insert(f.clone(), id.captures_iter(&text).map(|c| c[1].to_string()).collect());
    }
    let mut problems = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(site).unwrap();
        let name = rel.to_string_lossy();
        // print.html repeats every chapter, index.html the first one, toc.html the sidebar.
        if ["print.html", "index.html", "toc.html", "404.html"].contains(&name.as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let md = PathBuf::from("src").join(rel.with_extension("md"));
        let md_text = std::fs::read_to_string(book.abs(&md)).unwrap_or_default();
        for c in attr.captures_iter(&text) {
            let link = &c[1];
            if link.is_empty()
                || link.contains("://")
                || link.starts_with("//")
                || link.starts_with("mailto:")
                || link.starts_with("data:")
                || link.starts_with("javascript:")
            {
                continue;
            }
            let (path_part, frag) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link, None),
            };
            let path_part = path_part.split('?').next().unwrap();
            let target = if path_part.is_empty() {
                f.clone()
            } else if let Some(abs) = path_part.strip_prefix('/') {
                site.join(abs)
            } else {
                f.parent().unwrap().join(path_part)
            };
            let target = normalize(&target);
            let problem = if !target.is_file() {
                Some("no such page or file in the built book".to_string())
            } else if let Some(fr) = frag.filter(|fr| !fr.is_empty()) {
                match ids.get(&target) {
                    Some(set) if set.contains(fr) => None,
                    Some(_) => Some(format!("{} has no anchor #{fr}", target.strip_prefix(site).unwrap_or(&target).display())),
                    None => None,
                }
            } else {
                None
            };
            if let Some(p) = problem {
                let md_link = link.replace(".html", ".md");
                let line = md_text
                    .lines()
                    .position(|l| l.contains(&md_link) || l.contains(link))
                    .map(|i| format!(":{}", i + 1))
                    .unwrap_or_default();
                problems.push(format!("{}{line}: link `{md_link}`: {p}", md.display()));
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

//! The book as the harness sees it: its chapters, their code blocks, and the listings they show.

use crate::contract::Expect;
use crate::markdown::{self, CodeBlock, Directive, Place};
use std::path::{Path, PathBuf};

/// One markdown file under `src/`.
#[derive(Debug)]
pub struct Chapter {
    /// Relative to the book root, e.g. `src/ch01-03-hazards.md`.
    pub path: PathBuf,
    pub text: String,
    pub blocks: Vec<CodeBlock>,
    /// Every mdbook directive of the file, with the code block or comment it is in.
    pub directives: Vec<Directive>,
}

impl Chapter {
    pub fn parse(path: PathBuf, text: String) -> Chapter {
        let doc = markdown::Document::parse(&text);
        Chapter { path, text, blocks: doc.blocks, directives: doc.directives }
    }

    /// The code block a directive of this chapter is in.
    pub fn block_of(&self, d: &Directive) -> Option<&CodeBlock> {
        match d.place {
            Place::Code(i) => self.blocks.get(i),
            _ => None,
        }
    }
}

/// A listing directory, e.g. `listings/ch01-concurrency-vs-parallelism/listing-01-03/`.
#[derive(Debug)]
pub struct Listing {
    /// Relative to the book root.
    pub dir: PathBuf,
    /// `ch01-concurrency-vs-parallelism/listing-01-03`: the test's name.
    pub name: String,
    /// `main.rs` or `main.cpp`, relative to the book root; `None` if neither exists.
    pub source: Option<PathBuf>,
}

impl Listing {
    /// The number a caption and the prose give this listing, from its folder's name:
    /// `listing-02-03` is "2-3"; `None` for a `no-listing-…` folder.
    pub fn number(&self) -> Option<String> {
        listing_number(&self.dir.file_name()?.to_string_lossy())
    }

    /// Whether `rel` (relative to the book root) is this listing's program: its main.rs, main.cpp
    /// or main.py.
    pub fn is_program(&self, rel: &Path) -> bool {
        rel.parent() == Some(self.dir.as_path())
            && rel.file_name().is_some_and(|f| crate::contract::LANGUAGES.iter().any(|l| f == l.file))
    }

    /// Whether `rel` is one of this listing's checked files shown to readers: its program, or a
    /// sample that the harness checks against its contract (output*.txt, stderr*.txt,
    /// rustc.stderr).
    pub fn is_checked_file(&self, rel: &Path) -> bool {
        let Some(f) = rel.file_name().map(|f| f.to_string_lossy()) else { return false };
        self.is_program(rel)
            || (rel.parent() == Some(self.dir.as_path())
                && ((f.ends_with(".txt") && (f.starts_with("output") || f.starts_with("stderr"))) || f == "rustc.stderr"))
    }
}

/// "2-3" for a folder named `listing-02-03`; `None` for any other name.
pub fn listing_number(folder: &str) -> Option<String> {
    let (nn, mm) = folder.strip_prefix("listing-")?.split_once('-')?;
    let n: u32 = nn.parse().ok().filter(|_| nn.len() == 2)?;
    let m: u32 = mm.parse().ok().filter(|_| mm.len() == 2)?;
    Some(format!("{n}-{m}"))
}

/// A place in a chapter that shows a listing's source: a code block, or a widget's program
/// (an include outside any code block).
#[derive(Debug)]
pub struct Use<'a> {
    pub chapter: &'a Chapter,
    /// The code block, when the listing is shown as one (its fence must then match the kind).
    pub block: Option<&'a CodeBlock>,
    pub directive_line: usize,
}

impl Use<'_> {
    /// `src/ch01-03-hazards.md:42`, the place to name in a message.
    pub fn location(&self) -> String {
        format!("{}:{}", self.chapter.path.display(), self.block.map_or(self.directive_line, |b| b.line))
    }
}

#[derive(Debug)]
pub struct Book {
    pub root: PathBuf,
    /// book.toml's `[book] title`.
    pub title: String,
    /// From book.toml's `[rust] edition`, which `mdbook test` uses too.
    pub edition: String,
    pub chapters: Vec<Chapter>,
    pub listings: Vec<Listing>,
    /// The table of contents, from src/SUMMARY.md.
    pub sections: Vec<Section>,
}

impl Book {
    /// The book this crate belongs to (tools/book is two levels below the book's root).
    pub fn here() -> Book {
        Book::load(&Book::root_dir()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The book's root folder: where book.toml is.
    pub fn root_dir() -> PathBuf {
        normalize(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
    }

    pub fn load(root: &Path) -> Result<Book, String> {
        let toml_path = root.join("book.toml");
        let text = std::fs::read_to_string(&toml_path)
            .map_err(|e| format!("{}: {e}", toml_path.display()))?;
        let value: toml::Table =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", toml_path.display()))?;
        let edition = value
            .get("rust")
            .and_then(|r| r.get("edition"))
            .and_then(|e| e.as_str())
            .ok_or_else(|| {
                format!(
                    "{}: [rust] edition is not set (mdbook test would compile as edition 2015)",
                    toml_path.display()
                )
            })?
            .to_string();

        let mut md_files = Vec::new();
        walk(&root.join("src"), &mut md_files, &|p| {
            p.extension().is_some_and(|e| e == "md")
        });
        // src/quiz/ and src/vendor/ are generated (mdbook-quiz's scripts, mermaid).
        md_files.retain(|p| !p.starts_with(root.join("src/quiz")) && !p.starts_with(root.join("src/vendor")));
        md_files.sort();
        let mut chapters = Vec::new();
        for abs in md_files {
            let text = std::fs::read_to_string(&abs).map_err(|e| format!("{}: {e}", abs.display()))?;
            let path = abs.strip_prefix(root).unwrap().to_path_buf();
            chapters.push(Chapter::parse(path, text));
        }

        let mut listings = Vec::new();
        let listings_root = root.join("listings");
        for chapter_dir in sorted_dirs(&listings_root) {
            for dir in sorted_dirs(&chapter_dir) {
                let name = dir.file_name().unwrap().to_string_lossy().to_string();
                // Numbered listings (Listing 1-3) and unnumbered ones that a widget or a
                // paragraph uses (no-listing-01-two-workers), as The Rust Programming Language names them.
                if !name.starts_with("listing-") && !name.starts_with("no-listing-") {
                    continue;
                }
                let rel = dir.strip_prefix(root).unwrap().to_path_buf();
                let source = crate::contract::LANGUAGES
                    .iter()
                    .map(|l| rel.join(l.file))
                    .find(|p| root.join(p).is_file());
                let chapter_name = chapter_dir.file_name().unwrap().to_string_lossy();
                listings.push(Listing { name: format!("{chapter_name}/{name}"), dir: rel, source });
            }
        }
        let summary_path = root.join("src/SUMMARY.md");
        let sections = summary(&std::fs::read_to_string(&summary_path).map_err(|e| format!("{}: {e}", summary_path.display()))?);
        let title = value.get("book").and_then(|b| b.get("title")).and_then(|t| t.as_str()).unwrap_or("").to_string();
        Ok(Book { root: root.to_path_buf(), title, edition, chapters, listings, sections })
    }

    pub fn abs(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// Resolves a directive's path, relative to the chapter that contains it, to a path relative
    /// to the book root (lexically: `src/../listings/x` becomes `listings/x`).
    pub fn resolve(&self, chapter: &Chapter, path: &str) -> PathBuf {
        let base = chapter.path.parent().unwrap_or(Path::new(""));
        normalize(&base.join(path))
    }

    /// Every code block that shows `listing`'s source file.
    pub fn uses_of<'a>(&'a self, listing: &Listing) -> Vec<Use<'a>> {
        let Some(source) = &listing.source else { return Vec::new() };
        let mut uses = Vec::new();
        for chapter in &self.chapters {
            for d in &chapter.directives {
                // An include in an HTML comment shows the reader nothing.
                if is_include(&d.name) && d.place != Place::Comment && self.resolve(chapter, &d.path) == *source {
                    uses.push(Use { chapter, block: chapter.block_of(d), directive_line: d.line });
                }
            }
        }
        uses
    }

    /// The listing whose source `rel` is, if any.
    pub fn listing_with_source(&self, rel: &Path) -> Option<&Listing> {
        self.listings.iter().find(|l| l.source.as_deref() == Some(rel))
    }

    /// The numbered listing "N-M" (`listings/chNN-…/listing-NN-MM/`), if the book has one.
    pub fn numbered_listing(&self, number: &str) -> Option<&Listing> {
        self.listings.iter().find(|l| l.number().as_deref() == Some(number))
    }

    /// Whether some chapter shows `listing`'s program (main.rs, main.cpp or main.py) in a code
    /// block.
    pub fn shows(&self, listing: &Listing) -> bool {
        self.chapters.iter().any(|c| {
            c.directives.iter().any(|d| {
                is_include(&d.name) && matches!(d.place, Place::Code(_)) && listing.is_program(&self.resolve(c, &d.path))
            })
        })
    }

    /// The listing of which `rel` (relative to the book root) is a checked file shown to
    /// readers (see [`Listing::is_checked_file`]).
    pub fn listing_with_checked_file(&self, rel: &Path) -> Option<&Listing> {
        self.listings.iter().find(|l| l.is_checked_file(rel))
    }

    pub fn expect(&self, listing: &Listing) -> Result<Expect, String> {
        Expect::load(&self.abs(&listing.dir))
    }
}

pub fn is_include(name: &str) -> bool {
    name == "include" || name == "rustdoc_include"
}

/// Resolves `..` and `.` lexically, without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

pub fn walk(dir: &Path, out: &mut Vec<PathBuf>, keep: &dyn Fn(&Path) -> bool) {
    for path in sorted_dirs(dir) {
        walk(&path, out, keep);
    }
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_file() && keep(&p) {
                out.push(p);
            }
        }
    }
}

/// An entry of `src/SUMMARY.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The number mdbook shows in the table of contents ("1.3"); `None` for a prefix or suffix
    /// chapter such as the introduction.
    pub number: Option<String>,
    pub title: String,
    /// Relative to `src/`, e.g. `ch01-03-hazards.md`.
    pub path: String,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
}

/// The entries of `src/SUMMARY.md`, numbered as mdbook numbers them.
pub fn summary(text: &str) -> Vec<Section> {
    let mut out = Vec::new();
    let mut counters: Vec<usize> = Vec::new();
    let mut unit = 0;
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        let link = |rest: &str| -> Option<(String, String)> {
            let (title, after) = rest.split_once("](")?;
            Some((title.to_string(), after.split_once(')')?.0.trim().to_string()))
        };
        let Some(rest) = t.strip_prefix("- [").or_else(|| t.strip_prefix("* [")) else {
            if let Some((title, path)) = t.strip_prefix('[').and_then(link) {
                out.push(Section { number: None, title, path, line: i + 1 });
            }
            continue;
        };
        if unit == 0 && indent > 0 {
            unit = indent;
        }
        let level = if unit == 0 { 0 } else { indent / unit };
        counters.truncate(level + 1);
        while counters.len() < level + 1 {
            counters.push(0);
        }
        counters[level] += 1;
        let number = counters.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(".");
        let (title, path) = link(rest).unwrap_or_default();
        out.push(Section { number: Some(number), title, path, line: i + 1 });
    }
    out
}

/// The numbered entries of `src/SUMMARY.md`: ("1.3", "ch01-03-hazards.md").
pub fn summary_numbers(text: &str) -> Vec<(String, String)> {
    summary(text).into_iter().filter_map(|s| Some((s.number?, s.path))).collect()
}

/// The section number a file name `chNN-MM-slug.md` states: "N" for `MM` = 00, else "N.M".
pub fn number_in_file_name(file: &str) -> Option<String> {
    let rest = file.strip_prefix("ch")?;
    let (nn, rest) = rest.split_at_checked(2)?;
    let (mm, rest) = rest.strip_prefix('-')?.split_at_checked(2)?;
    rest.strip_prefix('-')?;
    let (n, m): (u32, u32) = (nn.parse().ok()?, mm.parse().ok()?);
    Some(if m == 0 { n.to_string() } else { format!("{n}.{m}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_nested_summary() {
        let s = "# Summary\n\n[Intro](intro.md)\n\n- [One](ch01-00.md)\n    - [A](ch01-01.md)\n    - [B](ch01-02.md)\n- [Two](ch02-00.md)\n    - [C](ch02-01.md)\n";
        let n = summary_numbers(s);
        assert_eq!(n[0], ("1".to_string(), "ch01-00.md".to_string()));
        assert_eq!(n[2].0, "1.2");
        assert_eq!(n[4].0, "2.1");
    }

    #[test]
    fn file_names_state_section_numbers() {
        assert_eq!(number_in_file_name("ch01-00-concurrency.md").as_deref(), Some("1"));
        assert_eq!(number_in_file_name("ch02-06-exercise.md").as_deref(), Some("2.6"));
        assert_eq!(number_in_file_name("introduction.md"), None);
        let s = summary("# Summary\n\n[Intro](intro.md)\n\n- [One](ch01-00-one.md)\n");
        assert_eq!(s[0], Section { number: None, title: "Intro".into(), path: "intro.md".into(), line: 3 });
        assert_eq!(s[1].number.as_deref(), Some("1"));
    }

    #[test]
    fn listing_numbers_come_from_folder_names() {
        assert_eq!(listing_number("listing-02-03").as_deref(), Some("2-3"));
        assert_eq!(listing_number("listing-01-10").as_deref(), Some("1-10"));
        assert_eq!(listing_number("no-listing-01-two-workers"), None);
        assert_eq!(listing_number("listing-2-3"), None);
        assert_eq!(listing_number("listing-02-03-extra"), None);
        let l = Listing { dir: "listings/ch02-x/listing-02-07".into(), name: "ch02-x/listing-02-07".into(), source: None };
        assert_eq!(l.number().as_deref(), Some("2-7"));
        assert!(l.is_program(Path::new("listings/ch02-x/listing-02-07/main.py")));
        assert!(l.is_checked_file(Path::new("listings/ch02-x/listing-02-07/stderr.txt")));
        assert!(l.is_checked_file(Path::new("listings/ch02-x/listing-02-07/output-pinned.txt")));
        assert!(!l.is_checked_file(Path::new("listings/ch02-x/listing-02-07/notes.txt")));
        assert!(!l.is_checked_file(Path::new("listings/ch02-x/listing-02-08/output.txt")));
    }

    #[test]
    fn normalizes_relative_paths() {
        assert_eq!(normalize(Path::new("src/../listings/a/main.rs")), PathBuf::from("listings/a/main.rs"));
    }
}

//! The preprocessor as mdbook runs it: `supports <renderer>`, then `[context, book]` as JSON on
//! stdin and the book as JSON on stdout.
use concurrency_book::diagrams::{DIR, THEMES, name_of};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::config::Config;
use std::io::Write;
use std::process::{Command, Stdio};

const EXE: &str = env!("CARGO_BIN_EXE_mdbook-book");

#[test]
fn supports_every_renderer() {
    for renderer in ["html", "test"] {
        assert!(Command::new(EXE).args(["supports", renderer]).status().unwrap().success());
    }
}

#[test]
fn inlines_prerendered_diagrams_relative_to_the_page_and_defers_the_quiz() {
    let root = std::env::temp_dir().join(format!("mdbook-book-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join(DIR)).unwrap();
    let source = "flowchart TD\n  A --> B";
    for (theme, _) in THEMES {
        std::fs::write(root.join(DIR).join(format!("{}-{theme}.svg", name_of(source))), "<svg/>").unwrap();
    }
    let content = "# Page\n\n- In a list:\n\n  ```mermaid\n  flowchart TD\n    A --> B\n  ```\n\n\
                   <script type=\"text/javascript\" src=\"../quiz/quiz-embed.iife.js\"></script>\n";
    let mut book = Book::new();
    book.push_item(BookItem::Chapter(Chapter::new("Page", content.to_string(), "sub/page.md", vec![])));
    let ctx = PreprocessorContext::new(root.clone(), Config::default(), "html".into());
    let input = serde_json::to_vec(&(&ctx, &book)).unwrap();

    let mut child = Command::new(EXE).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let book: Book = serde_json::from_slice(&out.stdout).unwrap();
    let page = book.chapters().next().unwrap();
    let name = name_of(source);
    assert!(page.content.contains(&format!("  <figure class=\"diagram\" data-diagram=\"{name}\">")), "{}", page.content);
    assert!(page.content.contains(&format!("src=\"../diagrams/{name}-dark.svg\"")), "{}", page.content);
    assert!(!page.content.contains("```mermaid"));
    assert!(page.content.contains("<script type=\"text/plain\" data-lazy-src=\"../quiz/quiz-embed.iife.js\"></script>"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn bad_input_fails_with_a_message() {
    let mut child = Command::new(EXE).stdin(Stdio::piped()).stderr(Stdio::piped()).stdout(Stdio::null()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(b"not json").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mdbook-book"), "{}", String::from_utf8_lossy(&out.stderr));
}

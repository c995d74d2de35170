//! The book's own mdbook preprocessor. It runs after mdbook-quiz and before mdbook-mermaid and
//! does two things to each chapter, nothing else (both live in `concurrency_book::diagrams`, so
//! the chapter checks and `cargo xtask diagrams` read the book the same way):
//!
//! 1. A ```` ```mermaid ```` block whose pre-rendered SVGs exist in src/diagrams/ becomes those
//!    two images (light and dark themes) with a text alternative, so the reader's browser needs
//!    no mermaid. A block without SVGs is left to mdbook-mermaid, drawn in the browser while the
//!    diagram is being edited (the test suite fails until its SVGs are committed).
//! 2. mdbook-quiz's parser-blocking quiz bundle becomes a script that theme/loader.js loads when
//!    the quiz comes near the screen.

use concurrency_book::diagrams::{defer_quiz_bundle, inline_prerendered};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::process::ExitCode;

struct BookPreprocessor;

impl Preprocessor for BookPreprocessor {
    fn name(&self) -> &str {
        "book"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        // Pre-rendered diagrams are found relative to the book's root.
        let root = ctx.root.clone();
        book.for_each_mut(|item| {
            if let BookItem::Chapter(ch) = item {
                // Image paths are relative to the chapter's page.
                let depth = ch.path.as_ref().map_or(0, |p| p.components().count().saturating_sub(1));
                let content = inline_prerendered(&ch.content, &root, &"../".repeat(depth));
                ch.content = defer_quiz_bundle(&content);
            }
        });
        Ok(book)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("supports") {
        // Every renderer: the html one, and `mdbook test`, which sees the same chapters.
        return ExitCode::SUCCESS;
    }
    let result = mdbook_preprocessor::parse_input(std::io::stdin().lock())
        .and_then(|(ctx, book)| BookPreprocessor.run(&ctx, book))
        .and_then(|book| Ok(serde_json::to_writer(std::io::stdout().lock(), &book)?));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-book (the book's preprocessor, tools/mdbook-book): {e:#}");
            ExitCode::FAILURE
        }
    }
}

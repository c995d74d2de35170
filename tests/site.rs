//! The built book: every internal link and anchor resolves, and src/diagrams/ holds only the
//! SVGs of the book's diagrams. `cargo xtask test` builds the site once and names it in
//! BOOK_SITE_DIR (the browser tests read the same one); a plain `cargo test` builds it here, with
//! the pinned mdbook (which runs mdbook-quiz's validator and the book's preprocessor).
use concurrency_book::book::Book;
use concurrency_book::diagrams::check_orphans;
use concurrency_book::site::{build, check_links};
use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let trials = vec![
        Trial::test("the book builds and its internal links resolve", || {
            let book = Book::here();
            let dest = match std::env::var_os("BOOK_SITE_DIR") {
                Some(dir) => dir.into(),
                None => {
                    let dest = concurrency_book::verify::deps_dir().parent().unwrap().join("site-check");
                    build(&book, &dest)?;
                    dest
                }
            };
            let problems = check_links(&book, &dest);
            if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
        }),
        Trial::test("src/diagrams holds only the SVGs of the book's diagrams", || {
            let problems = check_orphans(&Book::here());
            if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
        }),
    ];
    libtest_mimic::run(&args, trials).exit();
}

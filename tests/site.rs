//! Builds the book with the pinned mdbook (which runs mdbook-quiz's validator and
//! mdbook-mermaid) and checks every internal link and anchor of the result.
use concurrency_book::book::Book;
use concurrency_book::site::{build, check_links};
use libtest_mimic::{Arguments, Trial};

fn main() {
    let args = Arguments::from_args();
    let trials = vec![Trial::test("the book builds and its internal links resolve", || {
        let book = Book::here();
        let dest = concurrency_book::verify::deps_dir().parent().unwrap().join("site-check");
        build(&book, &dest)?;
        let problems = check_links(&book, &dest);
        if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
    })];
    libtest_mimic::run(&args, trials).exit();
}

//! One test per listing (`ch01-…/listing-01-03`) and one per chapter file (`src/ch01-….md`).
//! Run one chapter quickly: `cargo test --test listings -- ch01`.
use concurrency_book::book::Book;
use concurrency_book::chapter::check_chapter;
use concurrency_book::verify::verify_listing;
use libtest_mimic::{Arguments, Trial};
use std::sync::Arc;

fn main() {
    let args = Arguments::from_args();
    let book = Arc::new(Book::here());
    let mut trials = Vec::new();
    for i in 0..book.chapters.len() {
        let b = Arc::clone(&book);
        let name = book.chapters[i].path.display().to_string();
        trials.push(Trial::test(name, move || Ok(check_chapter(&b, &b.chapters[i])?)));
    }
    for i in 0..book.listings.len() {
        let b = Arc::clone(&book);
        let name = book.listings[i].name.clone();
        trials.push(Trial::test(name, move || Ok(verify_listing(&b, &b.listings[i])?)));
    }
    libtest_mimic::run(&args, trials).exit();
}

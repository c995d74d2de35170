//! One test per quiz file, and one for the number of questions per chapter.
use concurrency_book::book::Book;
use concurrency_book::quiz::{check_counts, check_quiz, quiz_files};
use libtest_mimic::{Arguments, Trial};
use std::sync::Arc;

fn main() {
    let args = Arguments::from_args();
    let book = Arc::new(Book::here());
    let mut trials = Vec::new();
    for rel in quiz_files(&book) {
        let b = Arc::clone(&book);
        trials.push(Trial::test(rel.display().to_string(), move || Ok(check_quiz(&b, &rel)?)));
    }
    let b = Arc::clone(&book);
    trials.push(Trial::test("every chapter has a quiz of at least 6 questions", move || Ok(check_counts(&b)?)));
    libtest_mimic::run(&args, trials).exit();
}

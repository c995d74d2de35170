//! One test per listing (`ch01-…/listing-01-03`), one per chapter file (`src/ch01-….md`), and
//! `listings/` for the folders under listings/. Run one chapter quickly:
//! `cargo test --test listings -- ch01`. Tool checks that cannot run on this machine (Miri without
//! a nightly toolchain) are listed at the end, as SKIPPED, with the listing and the reason, after a
//! line that counts the tool checks that ran (loom models, Miri runs, sanitizers, release builds).
use concurrency_book::book::Book;
use concurrency_book::chapter::check_chapter;
use concurrency_book::contract::Tool;
use concurrency_book::verify::{Skipped, check_listing_folders, tool_summary, verify_listing};
use libtest_mimic::{Arguments, Trial};
use std::sync::{Arc, Mutex};

fn main() {
    let args = Arguments::from_args();
    let book = Arc::new(Book::here());
    let skipped: Arc<Mutex<Vec<Skipped>>> = Arc::default();
    let ran: Arc<Mutex<Vec<(Tool, bool)>>> = Arc::default();
    let mut trials = Vec::new();
    {
        let b = Arc::clone(&book);
        trials.push(Trial::test("listings/", move || Ok(check_listing_folders(&b)?)));
    }
    for i in 0..book.chapters.len() {
        let b = Arc::clone(&book);
        let name = book.chapters[i].path.display().to_string();
        trials.push(Trial::test(name, move || Ok(check_chapter(&b, &b.chapters[i])?)));
    }
    for i in 0..book.listings.len() {
        let b = Arc::clone(&book);
        let s = Arc::clone(&skipped);
        let r = Arc::clone(&ran);
        let name = book.listings[i].name.clone();
        trials.push(Trial::test(name, move || {
            let verdict = verify_listing(&b, &b.listings[i])?;
            s.lock().unwrap().extend(verdict.skipped);
            r.lock().unwrap().extend(verdict.ran);
            Ok(())
        }));
    }
    let conclusion = libtest_mimic::run(&args, trials);
    // What the tools checked in this run (listings that passed), and what they could not.
    println!("{}", tool_summary(&ran.lock().unwrap()));
    let skipped = skipped.lock().unwrap();
    if !skipped.is_empty() {
        println!("{} tool check(s) did not run on this machine:", skipped.len());
        for s in skipped.iter() {
            println!("    {s}");
        }
        println!();
    }
    conclusion.exit();
}

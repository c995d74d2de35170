//! `cargo xtask bench [FILTER]` and `cargo xtask plots`.
//!
//! bench builds every listing whose contract names the `bench` tool (or those whose name
//! contains FILTER, e.g. `listing-04-09`) as the harness builds it (its edition, the facade's
//! crates) with optimisations (a Python listing has no such build: its source is run as it is),
//! runs it three times with `BOOK_BENCH=1` (a benchmark's full size) on all CPUs and three times
//! pinned to CPU 0, and prints what each run printed. It then writes the third run of each kind
//! into the listing's samples, `output.txt` and `output-pinned.txt` (review them with
//! `git diff`: the chapter's prose must stay true of them), and draws the plot of each listing
//! with a `[plot]` from them (src/plots/). Figures only: nothing is asserted.
//!
//! plots draws every listing's plot again from its committed samples, without running anything
//! (after a change to `[plot]` or to the drawing code, tools/book/src/plot.rs).

use super::{stage_book_lib, step};
use concurrency_book::book::Book;
use concurrency_book::plot;
use std::path::Path;
use std::process::{Command, Stdio};

pub fn bench(root: &Path, args: &[String]) -> Result<(), String> {
    let filter = args.first().map(String::as_str).unwrap_or("");
    // The facade's rlibs (rayon…), built as the test command builds them: a `cargo build -p
    // book-deps` would resolve other features and leave one more copy of each in target/debug/deps.
    stage_book_lib(root)?;
    let book = Book::load(root)?;
    // Only the contracts of the listings the filter names are read: one being written elsewhere in
    // the book (no expect.toml yet) does not stop this benchmark.
    let mut listings = Vec::new();
    for l in book.listings.iter().filter(|l| l.name.contains(filter)) {
        if concurrency_book::verify::contract_of(&book, l)?.2.has_tool(concurrency_book::contract::Tool::Bench) {
            listings.push(l);
        }
    }
    if listings.is_empty() {
        return Err(format!("no benchmark listing's name contains {filter:?}"));
    }
    for listing in &listings {
        step(&format!("building {} (release)", listing.dir.display()));
        let mut runs: Vec<(&str, &[&str], &str)> = vec![("all CPUs", &[], "output.txt")];
        if Command::new("taskset").arg("-V").stdout(Stdio::null()).status().is_ok() {
            runs.push(("pinned to CPU 0 (taskset -c 0)", &["taskset", "-c", "0"], "output-pinned.txt"));
        }
        for (how, prefix, sample) in runs {
            let mut cmd = concurrency_book::verify::bench_command(&book, listing, prefix)?;
            let mut last = Vec::new();
            for i in 1..=3 {
                let out = cmd.output().map_err(|e| e.to_string())?;
                if !out.status.success() {
                    return Err(format!("{} [{how}, run {i}]: {}\n{}", listing.name, out.status, String::from_utf8_lossy(&out.stderr)));
                }
                print!("{} [{how}, run {i}]:\n{}", listing.name, String::from_utf8_lossy(&out.stdout));
                last = out.stdout;
            }
            let path = book.abs(&listing.dir).join(sample);
            std::fs::write(&path, &last).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!("    wrote run 3 into {}", listing.dir.join(sample).display());
        }
    }
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    eprintln!("\n{} benchmark listing(s); this machine: available_parallelism() = {cpus}", listings.len());
    let book = Book::load(root)?;
    for listing in book.listings.iter().filter(|l| listings.iter().any(|b| b.name == l.name)) {
        draw(&book, listing)?;
    }
    eprintln!("Review the samples with `git diff listings/`: the chapters' prose must stay true of them.");
    Ok(())
}

pub fn plots(root: &Path) -> Result<(), String> {
    let book = Book::load(root)?;
    for listing in &book.listings {
        draw(&book, listing)?;
    }
    for orphan in plot::check_orphans(&book) {
        eprintln!("{orphan}");
    }
    Ok(())
}

fn draw(book: &Book, listing: &concurrency_book::book::Listing) -> Result<(), String> {
    if let Some(spec) = book.expect(listing)?.plot {
        for path in plot::write(book, listing, &spec)? {
            eprintln!("    drew {}", path.display());
        }
    }
    Ok(())
}

//! The inline Rust snippets of src/*.md, compiled and run by skeptic. build.rs feeds skeptic a
//! copy of each chapter in which listings (checked by tests/listings.rs) are relabelled `text`,
//! so that each Rust block of the book is tested here or there, never skipped, never twice.
include!(concat!(env!("OUT_DIR"), "/skeptic-tests.rs"));

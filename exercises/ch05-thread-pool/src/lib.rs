//! # Exercise: a thread pool (chapter 5)
//!
//! Write [`ThreadPool`] in `src/yours.rs`: a fixed number of worker threads that run the jobs
//! given to [`ThreadPool::execute`], survive a job that panics, and, when the pool is dropped,
//! run every job still queued and join.
//!
//! - `cargo grade exercise-thread-pool` (an alias for
//!   `cargo test --no-default-features --package exercise-thread-pool`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-thread-pool` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::ThreadPool;

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::ThreadPool;

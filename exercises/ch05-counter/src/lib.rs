//! # Exercise: a counter, two ways (chapter 5)
//!
//! Write [`MutexCounter`] and [`AtomicCounter`] in `src/yours.rs`: two thread-safe counters with
//! the same API, the trait [`Counter`], one built on a `Mutex<u64>` and one on an `AtomicU64`.
//!
//! - `cargo grade exercise-counter` (an alias for
//!   `cargo test --no-default-features --package exercise-counter`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-counter` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::{AtomicCounter, Counter, MutexCounter};

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::{AtomicCounter, Counter, MutexCounter};

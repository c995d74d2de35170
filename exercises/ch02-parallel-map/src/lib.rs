//! # Exercise: a parallel map with scoped threads (chapter 2)
//!
//! Write [`parallel_map`] in `src/yours.rs`: it applies a function to every item of a slice,
//! splitting the work across scoped threads, and returns the results in input order.
//!
//! - `cargo grade exercise-parallel-map` (an alias for
//!   `cargo test --no-default-features --package exercise-parallel-map`) runs the hidden tests
//!   in `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-parallel-map` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::parallel_map;

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::parallel_map;

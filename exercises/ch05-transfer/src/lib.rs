//! # Exercise: a transfer that cannot deadlock (chapter 5)
//!
//! Write [`transfer`] in `src/yours.rs`: it moves money between two accounts, each behind its
//! own `Mutex`, and must not deadlock when two threads transfer in opposite directions at the
//! same time.
//!
//! - `cargo grade exercise-transfer` (an alias for
//!   `cargo test --no-default-features --package exercise-transfer`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-transfer` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::{Account, BankAccount, InsufficientFunds, transfer};

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::{Account, BankAccount, InsufficientFunds, transfer};

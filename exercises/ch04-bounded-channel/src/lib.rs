//! # Exercise: a bounded channel (chapter 4)
//!
//! Write [`bounded`], [`Sender::send`] and [`Receiver::recv`] in `src/yours.rs`: a channel of
//! fixed capacity built from a `Mutex<VecDeque<T>>` and two `Condvar`s, with the blocking and
//! disconnection behaviour of `std::sync::mpsc::sync_channel`.
//!
//! - `cargo grade exercise-bounded-channel` (an alias for
//!   `cargo test --no-default-features --package exercise-bounded-channel`) runs the hidden
//!   tests in `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-bounded-channel` runs them against the reference solution
//!   in `src/reference.rs` (the default feature `reference`), which is how the book checks that
//!   the tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::{Receiver, RecvError, SendError, Sender, bounded};

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::{Receiver, RecvError, SendError, Sender, bounded};

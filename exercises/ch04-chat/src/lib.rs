//! # Exercise: a chat room (chapter 4)
//!
//! Write [`run_room`] and [`chat`] in `src/yours.rs`: a server thread receives the posts of
//! several client threads over one `std::sync::mpsc` channel, each client posting through its
//! own clone of the `Sender`, and the room closes when the last `Sender` is gone.
//!
//! - `cargo grade exercise-chat` (an alias for
//!   `cargo test --no-default-features --package exercise-chat`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`.
//! - `cargo test --package exercise-chat` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
#![forbid(unsafe_code)]

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::{Client, Post, chat, run_room};

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::{Client, Post, chat, run_room};

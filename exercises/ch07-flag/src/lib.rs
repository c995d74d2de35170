//! # Exercise: publish with a flag (chapter 7)
//!
//! Write [`Mailbox`] in `src/yours.rs`: one thread publishes a `u64` once, and another waits for
//! it and reads it, with nothing but two atomics between them.
//!
//! - `cargo grade exercise-flag` (an alias for
//!   `cargo test --no-default-features --package exercise-flag`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`: under the model checker loom, and on real
//!   threads.
//! - `cargo test --package exercise-flag` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
//!
//! ## Why the answer says `crate::sync`, not `std::sync`
//!
//! The answer reaches its atomics and its spin hint through the paths `crate::sync` and
//! `crate::hint`. In this crate they are std's, re-exported by the modules below. The hidden
//! tests compile the same file a second time as a module of the test crate, whose own `sync` and
//! `hint` modules re-export loom's: there the answer runs on loom's atomics, which loom's model
//! checker controls, without rebuilding anything with `--cfg loom`.
#![forbid(unsafe_code)]

/// std's atomics (loom's, when the hidden tests compile the answer again).
#[allow(unused_imports)]
mod sync {
    pub use std::sync::*;
}

/// std's `spin_loop` (loom's, which yields to the other threads of the model, in the tests).
#[allow(unused_imports)]
mod hint {
    pub use std::hint::*;
}

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::Mailbox;

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::Mailbox;

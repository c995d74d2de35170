//! # Exercise: repair a sequence lock (chapter 7)
//!
//! Make [`SeqLock`] in `src/yours.rs` correct: a pair of `u64` words that any thread may write
//! and many threads may read, where a reader never sees half of one write and half of another.
//!
//! - `cargo grade exercise-seqlock` (an alias for
//!   `cargo test --no-default-features --package exercise-seqlock`) runs the hidden tests in
//!   `tests/grade.rs` against **your** `src/yours.rs`: under the model checker loom, and on real
//!   threads.
//! - `cargo test --package exercise-seqlock` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
//!
//! ## Why the answer says `crate::sync`, not `std::sync`
//!
//! The answer reaches its atomics, its spin hint and its cell through the paths `crate::sync`,
//! `crate::hint` and `crate::cell`. In this crate they are std's, re-exported by the modules
//! below. The hidden tests compile the same file a second time as a module of the test crate,
//! whose own `sync`, `hint` and `cell` modules re-export loom's: there the answer runs on loom's
//! atomics, which loom's model checker controls, without rebuilding anything with `--cfg loom`.

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

/// An `UnsafeCell` with the API of loom's, whose accesses go through closures so that loom can
/// check each one for a data race; here they are std's `UnsafeCell` and nothing more.
#[allow(dead_code)]
mod cell {
    pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }
        pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }
        pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::SeqLock;

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::SeqLock;

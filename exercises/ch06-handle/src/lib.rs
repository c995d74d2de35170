//! # Exercise: a handle that crosses threads (chapter 6)
//!
//! Make [`Handle`] in `src/yours.rs` thread-safe exactly as far as its contents are: write its
//! `unsafe impl`s of `Send` and `Sync`, with the right bounds, and its `into_inner`.
//!
//! - `cargo grade exercise-handle` (an alias for
//!   `cargo test --no-default-features --package exercise-handle`) runs the hidden tests in
//!   `tests/grade.rs`, and the doc tests below, against **your** `src/yours.rs`.
//! - `cargo test --package exercise-handle` runs them against the reference solution in
//!   `src/reference.rs` (the default feature `reference`), which is how the book checks that the
//!   tests themselves pass.
//!
//! Only one of the two files is compiled at a time, so a half-written answer never breaks the
//! rest of the workspace.
//!
//! ## The compiler's own verdict
//!
//! The hidden tests ask the compiler's trait resolution whether each `Handle<…>` is `Send` and
//! `Sync` without compiling a program per question (`tests/grade.rs` says how). These doc tests
//! ask the compiler directly, once for each trait, by compiling a program that needs the bound:
//! the first two must not compile, and their twin, the same programs with a thread-safe `T`,
//! must compile and run, so that the bound is the only reason the first two can fail.
//!
//! A `Handle<Rc<i32>>` cannot be moved to another thread (`Rc<i32>` is not `Send`):
//!
//! ```compile_fail,E0277
//! use exercise_handle::Handle;
//! use std::rc::Rc;
//!
//! let handle = Handle::new(Rc::new(5));
//! std::thread::spawn(move || assert_eq!(**handle.get(), 5)).join().unwrap();
//! ```
//!
//! A `Handle<Cell<i32>>` cannot be shared by two threads (`Cell<i32>` is not `Sync`):
//!
//! ```compile_fail,E0277
//! use exercise_handle::Handle;
//! use std::cell::Cell;
//!
//! let handle = Handle::new(Cell::new(5));
//! std::thread::scope(|s| {
//!     s.spawn(|| handle.get().set(6));
//!     s.spawn(|| handle.get().set(7));
//! });
//! ```
//!
//! The twins, with `Arc<i32>` (`Send`) and `AtomicI32` (`Sync`), compile and run:
//!
//! ```
//! use exercise_handle::Handle;
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicI32, Ordering};
//!
//! let handle = Handle::new(Arc::new(5));
//! std::thread::spawn(move || assert_eq!(**handle.get(), 5)).join().unwrap();
//!
//! let handle = Handle::new(AtomicI32::new(5));
//! std::thread::scope(|s| {
//!     s.spawn(|| handle.get().store(6, Ordering::Relaxed));
//!     s.spawn(|| handle.get().store(7, Ordering::Relaxed));
//! });
//! assert!([6, 7].contains(&handle.get().load(Ordering::Relaxed)));
//! ```

#[cfg(feature = "reference")]
mod reference;
#[cfg(feature = "reference")]
pub use reference::Handle;

#[cfg(not(feature = "reference"))]
mod yours;
#[cfg(not(feature = "reference"))]
pub use yours::Handle;

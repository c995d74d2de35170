use std::sync::Mutex;
use std::sync::atomic::AtomicU64;

/// A counter that many threads can increment and read at the same time, through a shared
/// reference (`&self`): put it in an `Arc`, or borrow it in `thread::scope`. (Given: keep it.)
///
/// The contract (the hidden tests in `tests/grade.rs` check each point, for both counters):
///
/// - `new()` starts at 0, and each `increment()` adds exactly 1: N threads that call `increment`
///   M times each, all at once, leave the counter at exactly N × M. No increment is lost.
/// - `get()` returns the number of increments so far. While other threads increment, the values
///   that one thread reads one after the other never decrease; once every increment has
///   returned, `get()` returns their number.
/// - `get()` never stops the others: after it returns, every thread can go on incrementing.
/// - Both counters are `Send + Sync`, so that threads can share them (the trait requires it).
pub trait Counter: Send + Sync {
    /// A counter at 0.
    fn new() -> Self;
    /// Adds 1.
    fn increment(&self);
    /// The count so far.
    fn get(&self) -> u64;
}

/// The counter behind a lock: `increment` takes it, adds 1 and lets it go.
#[allow(dead_code)] // until you use `value`
pub struct MutexCounter {
    value: Mutex<u64>,
}

/// The counter without a lock: one atomic read-modify-write per `increment`.
#[allow(dead_code)] // until you use `value`
pub struct AtomicCounter {
    value: AtomicU64,
}

impl Counter for MutexCounter {
    fn new() -> Self {
        todo!("a Mutex around 0")
    }
    fn increment(&self) {
        todo!("lock, add 1, unlock")
    }
    fn get(&self) -> u64 {
        todo!("lock, copy the value out, unlock")
    }
}

impl Counter for AtomicCounter {
    fn new() -> Self {
        todo!("an AtomicU64 at 0")
    }
    fn increment(&self) {
        todo!("one atomic read-modify-write: not a load followed by a store")
    }
    fn get(&self) -> u64 {
        todo!("an atomic load")
    }
}

// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines, so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// A counter that many threads can increment and read at the same time.
pub trait Counter: Send + Sync {
    /// A counter at 0.
    fn new() -> Self;
    /// Adds 1.
    fn increment(&self);
    /// The count so far.
    fn get(&self) -> u64;
}

/// The counter behind a lock.
pub struct MutexCounter {
    value: Mutex<u64>,
}

impl MutexCounter {
    /// The guard. Nothing panics while the lock is held (`+= 1` on a `u64` would need 2^64
    /// increments to overflow), so the mutex is never poisoned by our code; if a caller's thread
    /// dies there anyway, the count is still a count: take it.
    fn lock(&self) -> MutexGuard<'_, u64> {
        self.value.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Counter for MutexCounter {
    fn new() -> Self {
        MutexCounter { value: Mutex::new(0) }
    }

    fn increment(&self) {
        // The guard is a temporary: it is dropped, and the lock released, at the end of the
        // statement.
        *self.lock() += 1;
    }

    fn get(&self) -> u64 {
        // Copy the value out; the guard goes at the end of the statement here too.
        *self.lock()
    }
}

/// The counter without a lock.
pub struct AtomicCounter {
    value: AtomicU64,
}

impl Counter for AtomicCounter {
    fn new() -> Self {
        AtomicCounter { value: AtomicU64::new(0) }
    }

    fn increment(&self) {
        // One indivisible read-modify-write: no other increment can come between its read and
        // its write. `Relaxed` is enough: the count orders nothing else, and all operations on
        // one atomic agree on one order of its values anyway.
        self.value.fetch_add(1, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: solution

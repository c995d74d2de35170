// Write the three methods. Keep the struct and the signatures, and keep reaching the atomics and
// `spin_loop` through `crate::sync` and `crate::hint` (the hidden tests swap loom's in there).
#[allow(unused_imports)] // until you use them
use crate::hint::spin_loop;
#[allow(unused_imports)] // until you use it
use crate::sync::atomic::Ordering;
use crate::sync::atomic::{AtomicBool, AtomicU64};

/// A mailbox for one value: one thread publishes it, any thread may wait for it.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - `publish(value)` is called at most once per mailbox. It stores `value` in `payload`, then
///   sets `ready`.
/// - `wait()` spins, calling `spin_loop()` on each turn, until `ready` is set; then it reads
///   `payload` and returns it. It returns the published value, in every execution the memory
///   model allows: never the `0` that `new()` put there.
/// - If the value is already published, `wait()` returns it at once, on any thread; several
///   threads may wait on one mailbox.
/// - No lock, no `unsafe`: two atomics, and the right `Ordering` on each access.
pub struct Mailbox {
    #[allow(dead_code)] // until you use it
    payload: AtomicU64,
    #[allow(dead_code)] // until you use it
    ready: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox: `payload` 0, `ready` false.
    pub fn new() -> Self {
        todo!("two atomics: payload 0, ready false")
    }

    /// Publishes `value`: first the payload, then the flag.
    pub fn publish(&self, value: u64) {
        let _ = value;
        todo!("store the payload, then set the flag: which Ordering on each?")
    }

    /// Waits until a value is published, and returns it.
    pub fn wait(&self) -> u64 {
        todo!("spin until the flag is set, then load the payload: which Ordering on each?")
    }
}

// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines; the page gives rustdoc the `crate::sync` and `crate::hint` modules in hidden lines).

// ANCHOR: solution
use crate::hint::spin_loop;
use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// A mailbox for one value: one thread publishes it, any thread may wait for it.
pub struct Mailbox {
    payload: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox: `payload` 0, `ready` false.
    pub fn new() -> Self {
        Mailbox { payload: AtomicU64::new(0), ready: AtomicBool::new(false) }
    }

    /// Publishes `value`: first the payload, then the flag.
    pub fn publish(&self, value: u64) {
        // The payload needs no ordering of its own: the flag's store orders it.
        self.payload.store(value, Ordering::Relaxed);
        // Release: everything this thread did before, the payload's store included, happens
        // before whatever follows an Acquire load that reads this `true`.
        self.ready.store(true, Ordering::Release);
    }

    /// Waits until a value is published, and returns it.
    pub fn wait(&self) -> u64 {
        // Acquire: the load that reads `true` synchronizes with the Release store that wrote
        // it, so the payload's store happens before the load below.
        while !self.ready.load(Ordering::Acquire) {
            spin_loop();
        }
        // It cannot read a value older than a store that happens before it: the published one.
        self.payload.load(Ordering::Relaxed)
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Mailbox::new()
    }
}
// ANCHOR_END: solution

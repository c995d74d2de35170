#[cfg(loom)]
extern crate /* not found? run: mdbook test -L target/book-lib */ loom;

#[cfg(loom)]
use loom::{
    sync::Arc,
    sync::atomic::{AtomicU64, AtomicUsize, Ordering},
    thread,
};
#[cfg(not(loom))]
use std::{
    sync::Arc,
    sync::atomic::{AtomicU64, AtomicUsize, Ordering},
    thread,
};

// ANCHOR: here
/// Listing 7-14's orderings, with the data race removed: the two words are atomics, so every
/// access is defined, and the only question left is which values a reader can see.
pub struct SeqLock {
    seq: AtomicUsize,
    a: AtomicU64,
    b: AtomicU64,
}

impl SeqLock {
    pub fn write(&self, a: u64, b: u64) {
        self.seq.fetch_add(1, Ordering::AcqRel); // odd
        self.a.store(a, Ordering::Relaxed);
        self.b.store(b, Ordering::Relaxed);
        self.seq.fetch_add(1, Ordering::Release); // even
    }

    pub fn read(&self) -> (u64, u64) {
        loop {
            let before = self.seq.load(Ordering::Acquire);
            if before % 2 == 1 {
                thread::yield_now();
                continue;
            }
            let (a, b) = (self.a.load(Ordering::Relaxed), self.b.load(Ordering::Relaxed));
            if self.seq.load(Ordering::Acquire) == before {
                return (a, b);
            }
        }
    }
}

/// The writer writes (1, 1) over (0, 0); a reader must see one pair or the other.
#[test]
fn a_read_is_never_torn() {
    model(|| {
        let lock = Arc::new(SeqLock { seq: AtomicUsize::new(0), a: AtomicU64::new(0), b: AtomicU64::new(0) });
        let writer = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write(1, 1))
        };
        let (a, b) = lock.read();
        assert_eq!(a, b, "a torn read: a = {a}, b = {b}");
        writer.join().unwrap();
    });
}
// ANCHOR_END: here

/// Runs `f` under loom (every interleaving), or once as an ordinary test.
#[cfg(loom)]
fn model(f: impl Fn() + Sync + Send + 'static) {
    loom::model(f);
}
#[cfg(not(loom))]
fn model(f: impl Fn()) {
    f();
}

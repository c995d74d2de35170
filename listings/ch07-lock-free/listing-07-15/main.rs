#[cfg(loom)]
extern crate /* not found? run: mdbook test -L target/book-lib */ loom;

#[cfg(loom)]
use loom::{
    cell::UnsafeCell,
    sync::Arc,
    sync::atomic::{AtomicUsize, Ordering},
    thread,
};
#[cfg(not(loom))]
use std::{
    sync::Arc,
    sync::atomic::{AtomicUsize, Ordering},
    thread,
};

/// std's `UnsafeCell` with the two methods of loom's, which loom uses to check that no two
/// accesses to the cell can overlap.
#[cfg(not(loom))]
struct UnsafeCell<T>(std::cell::UnsafeCell<T>);
#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }
    fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }
    fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

/// A sequence lock as a popular tutorial writes it: the sequence number is odd while a write
/// is in progress, and a reader retries if it saw an odd number, or if the number changed.
pub struct SeqLock<T: Copy> {
    seq: AtomicUsize,
    data: UnsafeCell<T>,
}

// "Safe because only one thread writes, and readers retry on a torn read." (It is not.)
unsafe impl<T: Copy + Send> Sync for SeqLock<T> {}

impl<T: Copy> SeqLock<T> {
    pub fn new(value: T) -> Self {
        SeqLock { seq: AtomicUsize::new(0), data: UnsafeCell::new(value) }
    }

    /// Only ONE thread may call `write`. (Nothing enforces it: it is a safe method.)
    pub fn write(&self, value: T) {
        self.seq.fetch_add(1, Ordering::AcqRel); // odd: a write is in progress
        self.data.with_mut(|p| unsafe { p.write(value) }); // a plain, non-atomic write
        self.seq.fetch_add(1, Ordering::Release); // even: done
    }

    pub fn read(&self) -> T {
        loop {
            let before = self.seq.load(Ordering::Acquire);
            if before % 2 == 1 {
                continue; // a write is in progress
            }
            // A plain read that may overlap the writer's plain write: a data race.
            let value = self.data.with(|p| unsafe { p.read_volatile() });
            if self.seq.load(Ordering::Acquire) == before {
                return value;
            }
        }
    }
}

/// Runs `f` under loom (every interleaving), or once as an ordinary test.
#[cfg(loom)]
fn model(f: impl Fn() + Sync + Send + 'static) {
    loom::model(f);
}
#[cfg(not(loom))]
fn model(f: impl Fn()) {
    f();
}

// ANCHOR: here
/// Two threads call the safe method `write` at once: their plain writes to the data overlap.
#[test]
fn two_writers() {
    model(|| {
        let lock = Arc::new(SeqLock::new((0u64, 0u64)));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || lock.write((1, 1)))
        };
        lock.write((2, 2));
        other.join().unwrap();
        let (a, b) = lock.read();
        assert_eq!(a, b);
    });
}
// ANCHOR_END: here

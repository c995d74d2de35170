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

/// A ring buffer for one producer thread and one consumer thread. `tail` counts the values
/// pushed and `head` the values popped, both modulo 2^usize::BITS; slot `i % N` holds value
/// number `i`, and `N` is a power of two, so that the slot of a count is still right when the
/// count wraps around.
pub struct Ring<const N: usize> {
    slots: [UnsafeCell<u64>; N],
    head: AtomicUsize,
    tail: AtomicUsize,
}

// SAFETY: a slot is written only by the producer, while the consumer cannot reach it (the
// producer writes slot `tail % N` only when `tail - head < N`, counted with wrapping arithmetic), and read only by the
// consumer after the producer's Release store of `tail` made the write visible; the callers
// promise one producer and one consumer (`push` and `pop` are unsafe for that reason).
unsafe impl<const N: usize> Sync for Ring<N> {}

// ANCHOR: here
impl<const N: usize> Ring<N> {
    pub fn new() -> Self {
        const { assert!(N.is_power_of_two(), "N must be a power of two") };
        Ring { slots: std::array::from_fn(|_| UnsafeCell::new(0)), head: AtomicUsize::new(0), tail: AtomicUsize::new(0) }
    }

    /// # Safety
    /// Only one thread may ever call `push`.
    pub unsafe fn push(&self, value: u64) -> Result<(), u64> {
        let tail = self.tail.load(Ordering::Relaxed); // our own counter
        // Acquire: the consumer's read of the slot we are about to reuse happened before.
        if tail.wrapping_sub(self.head.load(Ordering::Acquire)) == N {
            return Err(value); // full
        }
        self.slots[tail % N].with_mut(|p| unsafe { p.write(value) });
        self.tail.store(tail.wrapping_add(1), Ordering::Relaxed); // WRONG: publishes nothing
        Ok(())
    }

    /// # Safety
    /// Only one thread may ever call `pop`.
    pub unsafe fn pop(&self) -> Option<u64> {
        let head = self.head.load(Ordering::Relaxed); // our own counter
        // WRONG: a Relaxed load synchronizes with nothing.
        if self.tail.load(Ordering::Relaxed) == head {
            return None; // empty
        }
        let value = self.slots[head % N].with(|p| unsafe { p.read() });
        self.head.store(head.wrapping_add(1), Ordering::Release); // gives the slot back
        Some(value)
    }
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

/// Three values through a ring of two slots, so that the producer also meets a full ring and
/// reuses a slot: they arrive complete and in order.
#[test]
fn values_arrive_in_order() {
    model(|| {
        let ring = Arc::new(Ring::<2>::new());
        let producer = {
            let ring = Arc::clone(&ring);
            thread::spawn(move || {
                for v in 1..=3 {
                    // SAFETY: this thread is the only producer.
                    while unsafe { ring.push(v) }.is_err() {
                        thread::yield_now();
                    }
                }
            })
        };
        let mut got = Vec::new();
        while got.len() < 3 {
            // SAFETY: this thread is the only consumer.
            match unsafe { ring.pop() } {
                Some(v) => got.push(v),
                None => thread::yield_now(),
            }
        }
        assert_eq!(got, [1, 2, 3]);
        producer.join().unwrap();
    });
}

#[cfg(loom)]
extern crate /* not found? run: mdbook test -L target/book-lib */ loom;

#[cfg(loom)]
use loom::{
    cell::{MutPtr, UnsafeCell},
    hint,
    sync::Arc,
    sync::atomic::{AtomicBool, Ordering},
    thread,
};
#[cfg(not(loom))]
use std::{
    hint,
    sync::Arc,
    sync::atomic::{AtomicBool, Ordering},
    thread,
};

/// std's `UnsafeCell` with the API of loom's, which tracks each access to see whether two of
/// them can overlap: `get_mut` hands out a `MutPtr`, an access that lasts as long as it lives.
#[cfg(not(loom))]
struct UnsafeCell<T>(std::cell::UnsafeCell<T>);
#[cfg(not(loom))]
struct MutPtr<T>(*mut T);
#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }
    fn get_mut(&self) -> MutPtr<T> {
        MutPtr(self.0.get())
    }
}
#[cfg(not(loom))]
impl<T> MutPtr<T> {
    fn with<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0)
    }
}

// ANCHOR: here
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock gives one thread at a time access to the value (a `Guard` exists only
// between a successful compare-exchange of `locked` to true and the store of false), so
// sharing a `SpinLock<T>` amounts to handing the `T` from thread to thread: `T: Send` is enough.
unsafe impl<T: Send> Sync for SpinLock<T> {}

pub struct Guard<'a, T> {
    lock: &'a SpinLock<T>,
    value: MutPtr<T>,
}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> Self {
        SpinLock { locked: AtomicBool::new(false), value: UnsafeCell::new(value) }
    }

    pub fn lock(&self) -> Guard<'_, T> {
        // Acquire on success: everything the previous holder did before its Release store
        // happens before what we do next. A failed attempt writes nothing (Relaxed).
        while self
            .locked
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // Test-and-test-and-set: wait with plain loads, which leave the cache line shared,
            // and try the compare-exchange again only when the lock looks free.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop(); // a busy-wait: the thread keeps running while it waits
            }
        }
        Guard { lock: self, value: self.value.get_mut() }
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        // Release: publishes our writes to the value to the next thread that locks.
        self.lock.locked.store(false, Ordering::Release);
    }
}
// SAFETY: a `&Guard` gives out only `&T`, so sharing one shares the `T` (as for std's
// `MutexGuard`, `T: Sync`); without this impl the guard would be `!Sync` only by accident, because
// it holds a pointer.
unsafe impl<T: Sync> Sync for Guard<'_, T> {}

impl<T> std::ops::Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard exists only while the lock is held, so no write to the value
        // overlaps it; a shared reference for a shared borrow of the guard.
        self.value.with(|p| unsafe { &*p })
    }
}

impl<T> std::ops::DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, and `&mut self` makes this the only reference.
        self.value.with(|p| unsafe { &mut *p })
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

// ANCHOR: tests
/// Two threads increment under the lock: no increment is lost, and loom checks that no two
/// accesses to the value can overlap in any interleaving.
#[test]
fn the_lock_excludes() {
    model(|| {
        let lock = Arc::new(SpinLock::new(0));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.lock() += 1)
        };
        *lock.lock() += 1;
        other.join().unwrap();
        assert_eq!(*lock.lock(), 2);
    });
}

/// Four threads, a thousand increments each, on real threads (not under loom, whose models
/// must stay small).
#[cfg(not(loom))]
#[test]
fn four_threads_a_thousand_times() {
    let lock = SpinLock::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    *lock.lock() += 1;
                }
            });
        }
    });
    let guard = lock.lock();
    let (a, b) = (&*guard, &*guard); // two shared borrows of one guard at once
    assert_eq!(*a + *b, 8000);
}
// ANCHOR_END: tests

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::thread;

/// A value computed at most once and then shared, built on one `AtomicPtr`: null until some
/// thread publishes a `Box`, which then lives as long as the `Lazy`.
pub struct Lazy<T> {
    ptr: AtomicPtr<T>,
    /// A `Lazy<T>` owns a `T`, as a `Box<T>` does: without this, it would be `Send` for every `T`
    /// (an `AtomicPtr` is), and a `Lazy<Rc<u32>>` could move to another thread while a clone of
    /// its `Rc` stayed behind.
    _owns: PhantomData<Box<T>>,
}

// ANCHOR: here
impl<T> Lazy<T> {
    pub const fn new() -> Self {
        Lazy { ptr: AtomicPtr::new(ptr::null_mut()), _owns: PhantomData }
    }

    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        let mut p = self.ptr.load(Ordering::Acquire);
        if p.is_null() {
            let new = Box::into_raw(Box::new(init()));
            // Release on success publishes the value's initialisation with the pointer;
            // Acquire on failure makes the winner's value visible to us.
            match self.ptr.compare_exchange(ptr::null_mut(), new, Ordering::Release, Ordering::Acquire) {
                Ok(_) => p = new,
                Err(winner) => {
                    // Another thread published first: free ours, use theirs.
                    // SAFETY: `new` came from `Box::into_raw` and was never shared.
                    drop(unsafe { Box::from_raw(new) });
                    p = winner;
                }
            }
        }
        // SAFETY: `p` is non-null, came from `Box::into_raw`, is never changed again, and is
        // freed only by `drop`, which needs `&mut self`, so no `&T` we return outlives it.
        unsafe { &*p }
    }
}

impl<T> Drop for Lazy<T> {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: the published pointer came from `Box::into_raw`; `&mut self` means no
            // `&T` from `get_or_init` is still alive.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}
// ANCHOR_END: here

// SAFETY: threads share the `T` (so `T: Sync`), and whichever thread drops the `Lazy` drops the
// `T`, which may have been made on another thread (so `T: Send`), as for `OnceLock<T>`.
unsafe impl<T: Send + Sync> Sync for Lazy<T> {}

fn main() {
    let config: Lazy<String> = Lazy::new();
    let config = &config;
    let seen: Vec<usize> = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| s.spawn(move || (config.get_or_init(|| format!("made by thread {i}")) as *const String).addr()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Every thread got the same `String`, whichever thread made it.
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    println!("{} threads saw one value: {}", seen.len(), config.get_or_init(|| unreachable!()));
}

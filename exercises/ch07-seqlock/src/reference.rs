// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines; the page gives rustdoc the `crate::sync` and `crate::hint` modules in hidden lines).
#![forbid(unsafe_code)]

// ANCHOR: solution
use crate::hint::spin_loop;
use crate::sync::atomic::{AtomicU64, Ordering, fence};

/// Two `u64` words that any thread may write together and many threads may read together.
pub struct SeqLock {
    /// Even when no write is under way; each write adds 2, odd in between.
    seq: AtomicU64,
    // The data: atomic words, accessed with `Relaxed`, so that a reader that overlaps a write
    // reads, at worst, a mixture of values it will throw away, never racing with the writer.
    a: AtomicU64,
    b: AtomicU64,
}

impl SeqLock {
    /// The pair `(0, 0)`.
    pub fn new() -> Self {
        SeqLock { seq: AtomicU64::new(0), a: AtomicU64::new(0), b: AtomicU64::new(0) }
    }

    /// Writes the pair `(a, b)`.
    pub fn write(&self, a: u64, b: u64) {
        // Take the writer's side: move `seq` from an even value to the next odd one. Only one
        // writer's compare-exchange can succeed from a given even value, so writers never
        // overlap. `Acquire` on success: it reads the `Release` store of the previous writer,
        // whose data stores then happen before ours, so ours come after them in each word.
        let mut s = self.seq.load(Ordering::Relaxed);
        loop {
            if s % 2 == 0 {
                match self.seq.compare_exchange(s, s + 1, Ordering::Acquire, Ordering::Relaxed) {
                    Ok(_) => break,
                    Err(now) => s = now,
                }
            } else {
                // Another writer holds it.
                spin_loop();
                s = self.seq.load(Ordering::Relaxed);
            }
        }
        // A release fence before the data stores: a reader whose `fence(Acquire)` follows a
        // load that read one of them synchronizes with this fence, and so sees `seq` odd (or
        // later) when it loads it again.
        fence(Ordering::Release);
        self.a.store(a, Ordering::Relaxed);
        self.b.store(b, Ordering::Relaxed);
        // Even again: a reader whose `Acquire` load reads this value sees both words.
        self.seq.store(s + 2, Ordering::Release);
    }

    /// Reads the pair, retrying while a write is under way or if one came in between.
    pub fn read(&self) -> (u64, u64) {
        loop {
            let s1 = self.seq.load(Ordering::Acquire);
            if s1 % 2 == 0 {
                let a = self.a.load(Ordering::Relaxed);
                let b = self.b.load(Ordering::Relaxed);
                // An acquire fence after the data loads: if either read a store of a later
                // write, that write's `fence(Release)` synchronizes with this fence, and the
                // load below cannot read a value older than that write's odd `seq`.
                fence(Ordering::Acquire);
                let s2 = self.seq.load(Ordering::Relaxed);
                if s1 == s2 {
                    return (a, b);
                }
            }
            spin_loop();
        }
    }
}

impl Default for SeqLock {
    fn default() -> Self {
        SeqLock::new()
    }
}
// ANCHOR_END: solution

use std::cell::Cell;
use std::sync::Barrier;
use std::thread;

/// A hit counter that claims it may be shared between threads. It may not.
struct Hits(Cell<u64>);

impl Hits {
    fn get(&self) -> u64 {
        self.0.get()
    }

    fn set(&self, value: u64) {
        self.0.set(value);
    }
}

// WRONG: nothing makes one thread's `get` and `set` exclusive of another's.
unsafe impl Sync for Hits {}

fn main() {
    let hits = Hits(Cell::new(0));
    let both_have_read = Barrier::new(2);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let seen = hits.get();
                both_have_read.wait(); // force the interleaving: both read 0 first
                hits.set(seen + 1);
            });
        }
    });
    println!("two increments, and the counter says {}", hits.get());
}

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

static DATA: AtomicU64 = AtomicU64::new(0);
static READY: AtomicBool = AtomicBool::new(false);

fn main() {
    thread::scope(|s| {
        s.spawn(|| {
            DATA.store(42, Ordering::Relaxed);
            READY.store(true, Ordering::Release); // publishes every write before it
        });
        s.spawn(|| {
            while !READY.load(Ordering::Acquire) {
                std::hint::spin_loop(); // tells the CPU this is a busy-wait
            }
            // The Acquire load read the Release store: DATA's store happens before this.
            assert_eq!(DATA.load(Ordering::Relaxed), 42);
            println!("the reader saw {}", DATA.load(Ordering::Relaxed));
        });
    });
}

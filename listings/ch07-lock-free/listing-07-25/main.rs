#[cfg(target_has_atomic = "64")]
use std::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(target_has_atomic = "64"))]
use std::sync::Mutex;

// ANCHOR: here
/// A 64-bit event counter for every target with std: lock-free where the target has 64-bit
/// atomics, a `Mutex<u64>` where it does not (32-bit PowerPC and MIPS Linux, armv5te).
pub struct Events {
    #[cfg(target_has_atomic = "64")]
    count: AtomicU64,
    #[cfg(not(target_has_atomic = "64"))]
    count: Mutex<u64>,
}

impl Events {
    pub const fn new() -> Self {
        #[cfg(target_has_atomic = "64")]
        return Events { count: AtomicU64::new(0) };
        #[cfg(not(target_has_atomic = "64"))]
        return Events { count: Mutex::new(0) };
    }

    pub fn record(&self) {
        #[cfg(target_has_atomic = "64")]
        self.count.fetch_add(1, Ordering::Relaxed);
        #[cfg(not(target_has_atomic = "64"))]
        {
            *self.count.lock().unwrap() += 1;
        }
    }

    pub fn total(&self) -> u64 {
        #[cfg(target_has_atomic = "64")]
        return self.count.load(Ordering::Relaxed);
        #[cfg(not(target_has_atomic = "64"))]
        return *self.count.lock().unwrap();
    }
}
// ANCHOR_END: here

static EVENTS: Events = Events::new();

fn main() {
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| (0..250).for_each(|_| EVENTS.record()));
        }
    });
    println!("{} events; 64-bit atomics on this target: {}", EVENTS.total(), cfg!(target_has_atomic = "64"));
}

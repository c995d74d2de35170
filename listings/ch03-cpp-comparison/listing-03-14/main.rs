use std::sync::atomic::{AtomicI32, Ordering};
use std::thread;

static READINGS: AtomicI32 = AtomicI32::new(0);
static BYTES: AtomicI32 = AtomicI32::new(0);

fn main() {
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..10_000 {
                    READINGS.fetch_add(1, Ordering::SeqCst); // what C++'s readings++ does
                    BYTES.fetch_add(8, Ordering::Relaxed);
                }
            });
        }
    }); // joined: every increment happens before the loads below
    let readings = READINGS.load(Ordering::Relaxed);
    let bytes = BYTES.load(Ordering::Relaxed);
    println!("readings = {readings}, bytes = {bytes}");
    assert_eq!((readings, bytes), (40_000, 320_000));
}

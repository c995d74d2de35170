extern crate /* not found? run: mdbook test -L target/book-lib */ parking_lot;

// ANCHOR: here
use parking_lot::{deadlock, Mutex};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

fn main() {
    let a = Arc::new(Mutex::new(0));
    let b = Arc::new(Mutex::new(0));
    let both_hold_one = Arc::new(Barrier::new(2));

    for (first, second) in [(a.clone(), b.clone()), (b, a)] {
        let both_hold_one = Arc::clone(&both_hold_one);
        thread::spawn(move || {
            let _one = first.lock();
            both_hold_one.wait();
            let _two = second.lock(); // ABBA: blocks for ever
        });
    }

    // The detector (the crate's `deadlock_detection` feature) searches the wait-for graph of
    // parking_lot's locks for cycles. Threads only block after the barrier, so poll.
    loop {
        thread::sleep(Duration::from_millis(10));
        let cycles = deadlock::check_deadlock();
        if !cycles.is_empty() {
            println!("{} deadlock cycle(s) detected", cycles.len());
            for (i, threads) in cycles.iter().enumerate() {
                println!("cycle {i}: {} threads involved", threads.len());
            }
            break; // main returns: the process exits, deadlocked threads and all
        }
    }
}
// ANCHOR_END: here

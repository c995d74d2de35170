extern crate /* not found? run: mdbook test -L target/book-lib */ parking_lot;

// ANCHOR: here
use parking_lot::Mutex;
use std::sync::Arc;
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..1000 {
                    *counter.lock() += 1; // no Result: parking_lot's locks are never poisoned
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    println!("total = {}", *counter.lock());
    assert_eq!(*counter.lock(), 4000);
}
// ANCHOR_END: here

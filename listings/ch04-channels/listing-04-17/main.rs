extern crate /* not found? run: mdbook test -L target/book-lib */ crossbeam;

// ANCHOR: here
use crossbeam::channel;
use std::thread;

fn main() {
    let (tx, rx) = channel::bounded(16); // unbounded() exists too

    let consumers: Vec<_> = (0..4)
        .map(|_| {
            let rx = rx.clone(); // crossbeam's Receiver is Clone (and Sync): many consumers
            thread::spawn(move || rx.iter().map(|n: u64| n * n).sum::<u64>())
        })
        .collect();
    drop(rx);

    for n in 1..=100 {
        tx.send(n).unwrap(); // each value goes to exactly one consumer
    }
    drop(tx); // disconnects: every consumer's iter() ends once the queue is empty

    let total: u64 = consumers.into_iter().map(|c| c.join().unwrap()).sum();
    println!("sum of squares 1..=100: {total}");
    assert_eq!(total, 338_350);
}
// ANCHOR_END: here

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

// ANCHOR: here
/// Sends `count` readings through a channel whose `send` is `send`, while the consumer checks,
/// after each `recv`, how far ahead of it the producer has got: `sent` counts the sends that
/// have returned.
fn sends_ahead(
    count: usize,
    send: impl Fn(usize) + Send,
    recv: impl Fn() -> Option<usize>,
) -> usize {
    let sent = &AtomicUsize::new(0); // a plain counter: Relaxed is enough (chapter 7)
    let mut most_ahead = 0;
    thread::scope(|s| {
        s.spawn(move || {
            for reading in 0..count {
                send(reading);
                sent.fetch_add(1, Ordering::Relaxed);
            }
        });
        let mut received = 0;
        while let Some(reading) = recv() {
            assert_eq!(reading, received); // one producer: FIFO
            received += 1;
            let ahead = sent.load(Ordering::Relaxed).saturating_sub(received);
            most_ahead = most_ahead.max(ahead);
        }
        assert_eq!(received, count);
    });
    most_ahead
}

fn main() {
    // Unbounded: the producer never waits. It can finish before anything is received,
    // with every reading held in the channel's memory.
    let (tx, rx) = mpsc::channel();
    for reading in 0..10_000 {
        tx.send(reading).unwrap();
    }
    drop(tx);
    println!("channel(): 10000 sends returned before the first recv; {} queued", rx.iter().count());

    // Bounded: a send that finds the buffer full waits for a recv to make room.
    for capacity in [2, 0] {
        let (tx, rx) = mpsc::sync_channel(capacity);
        let ahead = sends_ahead(1_000, move |r| tx.send(r).unwrap(), || rx.recv().ok());
        assert!(ahead <= capacity, "{ahead} sends ahead with capacity {capacity}");
        println!("sync_channel({capacity}): most sends ahead of the receiver: {ahead}");
    }
}
// ANCHOR_END: here

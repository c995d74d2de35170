extern crate /* not found? run: mdbook test -L target/book-lib */ crossbeam;

// ANCHOR: here
use crossbeam::channel::{self, after, select, tick};
use std::thread;
use std::time::Duration;

fn main() {
    let (data_tx, data_rx) = channel::bounded(2);
    let producer = thread::spawn(move || {
        for reading in 1..=5 {
            data_tx.send(reading).unwrap();
            thread::sleep(Duration::from_millis(2));
        }
    });

    let heartbeat = tick(Duration::from_millis(1)); // a channel that delivers every 1 ms
    let deadline = after(Duration::from_secs(5)); // delivers once, after 5 s
    let (mut sum, mut beats) = (0, 0);
    loop {
        // Waits on all three channels at once and takes whichever is ready first.
        select! {
            recv(data_rx) -> msg => match msg {
                Ok(reading) => sum += reading,
                Err(_) => break, // the producer has gone and nothing is queued
            },
            recv(heartbeat) -> _ => beats += 1, // a place for periodic work
            recv(deadline) -> _ => panic!("no end of data after 5 s"),
        }
    }
    producer.join().unwrap();
    println!("sum: {sum}");
    eprintln!("{beats} heartbeats"); // varies from run to run: on stderr, checked by a pattern
    assert_eq!(sum, 15);
}
// ANCHOR_END: here

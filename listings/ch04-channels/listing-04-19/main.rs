extern crate /* not found? run: mdbook test -L target/book-lib */ tokio;

// ANCHOR: here
use std::sync::mpsc;

fn main() {
    // One thread runs every task: what #[tokio::test] sets up, and a common choice for small tools.
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let (tx, rx) = mpsc::channel();

    runtime.block_on(async move {
        let producer = tokio::spawn(async move {
            tx.send(42).unwrap(); // would run as soon as this thread is free to poll it
        });
        println!("waiting for the producer task");
        // std's recv blocks the thread, and this thread is the runtime's only one:
        // the producer task is never polled, so nothing is ever sent.
        let value = rx.recv().unwrap();
        producer.await.unwrap();
        println!("received {value}"); // never printed
    });
}
// ANCHOR_END: here

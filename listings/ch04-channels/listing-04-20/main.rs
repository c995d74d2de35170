extern crate /* not found? run: mdbook test -L target/book-lib */ tokio;

// ANCHOR: here
use tokio::sync::{mpsc, oneshot};

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();

    runtime.block_on(async {
        let (tx, mut rx) = mpsc::channel(1); // room for one: send().await waits for room
        let (reply_tx, reply_rx) = oneshot::channel(); // exactly one value, exactly once

        let producer = tokio::spawn(async move {
            for reading in 1..=5 {
                tx.send(reading).await.unwrap(); // gives the thread back while the queue is full
            }
            drop(tx); // the consumer's loop below ends
            println!("producer: the consumer's sum is {}", reply_rx.await.unwrap());
        });
        println!("waiting for the producer task");
        let mut sum = 0;
        while let Some(reading) = rx.recv().await {
            sum += reading; // recv().await gives the thread back while the queue is empty
        }
        reply_tx.send(sum).unwrap();
        producer.await.unwrap();
    });
}
// ANCHOR_END: here

extern crate /* not found? run: mdbook test -L target/book-lib */ tokio;

// ANCHOR: here
use tokio::sync::{mpsc, oneshot};

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();

    runtime.block_on(async {
        let (tx, mut rx) = mpsc::channel::<u32>(8); // bounded: send().await waits for room
        let (reply_tx, reply_rx) = oneshot::channel(); // exactly one value, exactly once

        let summer = tokio::spawn(async move {
            let mut sum = 0;
            while let Some(reading) = rx.recv().await {
                sum += reading; // recv().await yields the thread while the queue is empty
            }
            reply_tx.send(sum).unwrap(); // None above: every Sender is gone
        });

        for reading in 1..=5 {
            tx.send(reading).await.unwrap();
        }
        drop(tx);
        println!("sum: {}", reply_rx.await.unwrap());
        summer.await.unwrap();
    });
}
// ANCHOR_END: here

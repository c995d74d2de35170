use std::sync::mpsc::{self, SendError};

fn main() {
    let (tx, rx) = mpsc::channel();

    tx.send(String::from("queued, never read")).unwrap(); // succeeds: rx is alive
    drop(rx); // the receiver is gone, and the queued message is dropped with it

    let result = tx.send(String::from("21.5 °C"));
    println!("{result:?}");
    if let Err(SendError(reading)) = result {
        // The value comes back: it can be logged, retried elsewhere or stored.
        println!("send failed ({}), kept {reading:?}", SendError(()));
    }
}

use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::Duration;

const READINGS: u32 = 3;

fn main() {
    let (tx, rx) = mpsc::channel(); // unbounded: send never waits
    run("channel()", move |r| tx.send(r).unwrap(), rx);

    let (tx, rx) = mpsc::sync_channel(0); // rendezvous: send waits for a recv
    run("sync_channel(0)", move |r| tx.send(r).unwrap(), rx);
}

fn run(flavour: &'static str, send: impl Fn(u32) + Send + 'static, rx: Receiver<u32>) {
    let sensor = thread::spawn(move || {
        for reading in 1..=READINGS {
            send(reading); // calls tx.send(reading)
            println!("sensor: sent {reading}");
        }
    }); // when the closure returns, `send` and the `tx` inside it are dropped

    let mut received = Vec::new();
    for reading in rx {
        // each turn calls recv: it waits until there is a value to take; the
        // loop ends once the channel is empty and `tx` is gone
        println!("main: processing {reading}");
        thread::sleep(Duration::from_millis(10)); // the consumer is slower
        received.push(reading);
    }
    sensor.join().unwrap();
    assert_eq!(received, Vec::from_iter(1..=READINGS)); // every reading, in order
    println!("{flavour}: all {READINGS} readings received in order");
}

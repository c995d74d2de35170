use std::sync::mpsc;
use std::thread;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    let sensor = thread::spawn(move || {
        for reading in [20.5, 20.75, 21.0, 21.25] {
            tx.send(reading).unwrap();
            thread::sleep(Duration::from_millis(1)); // the next sample is not ready yet
        }
        // `tx` is dropped here, when the closure returns: the channel is closed
    });

    let mut received = Vec::new();
    for reading in rx {
        // waits for each value; ends when every Sender is gone and the queue is empty
        println!("received {reading}");
        received.push(reading);
    }
    println!("the channel is closed: the sender has been dropped");

    sensor.join().unwrap();
    assert_eq!(received, [20.5, 20.75, 21.0, 21.25]);
}

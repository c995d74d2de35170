use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    let sensor = thread::spawn(move || {
        let reading = String::from("21.5 °C");
        tx.send(reading).unwrap(); // the String moves into the channel
    });

    let received = rx.recv().unwrap(); // blocks until a value arrives
    println!("main received: {received}");
    sensor.join().unwrap();
    assert_eq!(received, "21.5 °C");
}

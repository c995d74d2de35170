use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    let sensor = thread::spawn(move || {
        let reading = String::from("21.5 °C");
        tx.send(reading).unwrap();
        println!("sensor sent {reading}"); // the String is no longer ours
    });

    println!("main received: {}", rx.recv().unwrap());
    sensor.join().unwrap();
}

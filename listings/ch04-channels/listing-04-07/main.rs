use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    for sensor in 1..=3 {
        let tx = tx.clone();
        thread::spawn(move || {
            tx.send(sensor).unwrap();
        }); // this clone is dropped when the thread ends
    }
    // No drop(tx): main still owns a Sender, so the channel never disconnects.

    for sensor in rx {
        println!("received from sensor {sensor}");
    } // after the third message, this waits forever for a fourth
    println!("done"); // never printed
}

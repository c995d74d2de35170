use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    let mut sensors = Vec::new();
    for sensor in 1..=3 {
        let tx = tx.clone(); // each producer gets its own Sender
        sensors.push(thread::spawn(move || {
            for reading in 1..=3 {
                tx.send((sensor, reading)).unwrap();
            }
        }));
    }
    drop(tx); // main's own Sender: without this line the loop below never ends

    let mut all = Vec::new();
    for (sensor, reading) in rx {
        println!("sensor {sensor}: reading {reading}");
        all.push((sensor, reading));
    }
    println!("all senders are gone: {} readings", all.len());
    for s in sensors {
        s.join().unwrap();
    }

    // What is guaranteed: every message arrives once, and each sensor's in its order.
    for sensor in 1..=3 {
        let mine: Vec<_> = all.iter().filter(|m| m.0 == sensor).map(|m| m.1).collect();
        assert_eq!(mine, [1, 2, 3]);
    }
    all.sort();
    assert_eq!(all, [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3)]);
}

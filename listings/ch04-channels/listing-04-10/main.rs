use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel();

    thread::scope(|s| {
        let tx = &tx; // a shared reference: no clone, because Sender<T> is Sync
        for sensor in 0..3 {
            s.spawn(move || tx.send(sensor).unwrap());
        }
    });
    drop(tx); // the scope has ended, so the borrows have too; now close the channel

    let mut received: Vec<i32> = rx.iter().collect();
    received.sort(); // arrival order varies; the set does not
    println!("{received:?}");
    assert_eq!(received, [0, 1, 2]);
}

use std::sync::{Arc, RwLock};
use std::thread;

fn main() {
    let calibration = Arc::new(RwLock::new(vec![1, 2, 3]));

    let readers: Vec<_> = (0..3)
        .map(|_| {
            let calibration = Arc::clone(&calibration);
            // Many read guards can be held at once.
            thread::spawn(move || calibration.read().unwrap().clone())
        })
        .collect();
    let writer = {
        let calibration = Arc::clone(&calibration);
        // A write guard waits until no read guard is held, and excludes everyone.
        thread::spawn(move || calibration.write().unwrap().push(4))
    };

    writer.join().unwrap();
    for reader in readers {
        let seen = reader.join().unwrap();
        // Each reader saw the data either before or after the write, never half of it.
        assert!(seen == [1, 2, 3] || seen == [1, 2, 3, 4], "{seen:?}");
    }
    let last = calibration.read().unwrap().clone();
    println!("final: {last:?}");
    assert_eq!(last, [1, 2, 3, 4]);
}

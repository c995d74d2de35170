use std::sync::mpsc;
use std::sync::{Mutex, TryLockError};
use std::thread;

fn main() {
    let sensor_bus = Mutex::new(0u32);
    let (holding_tx, holding_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();

    thread::scope(|s| {
        let bus = &sensor_bus;
        s.spawn(move || {
            let mut bus = bus.lock().unwrap();
            holding_tx.send(()).unwrap(); // tell main: the bus is taken
            release_rx.recv().unwrap(); // hold it until main has tried
            *bus += 1;
        });

        holding_rx.recv().unwrap();
        // try_lock never waits: it reports that the lock is taken, and we do something else.
        match sensor_bus.try_lock() {
            Ok(_) => unreachable!("the other thread holds the lock"),
            Err(TryLockError::WouldBlock) => println!("bus busy: skip this sample, retry later"),
            Err(TryLockError::Poisoned(_)) => unreachable!("nobody panicked"),
        }
        release_tx.send(()).unwrap();
    });

    // The other thread has finished: now try_lock succeeds.
    let bus = sensor_bus.try_lock().expect("nobody holds it now");
    println!("bus free: {} write(s) so far", *bus);
}

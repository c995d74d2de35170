use std::sync::{Condvar, Mutex};
use std::thread;

fn main() {
    // The state and its Condvar travel together: the Condvar signals changes of this state.
    let calibrated = Mutex::new(false);
    let changed = Condvar::new();

    thread::scope(|s| {
        s.spawn(|| {
            // ... calibrate the sensor ...
            *calibrated.lock().unwrap() = true; // change the state under the lock,
            changed.notify_one(); // then wake a waiter
        });

        // Wait *for the state*, not for the notification: a loop that re-checks it.
        let mut ready = calibrated.lock().unwrap();
        while !*ready {
            ready = changed.wait(ready).unwrap(); // unlocks, sleeps, relocks before returning
        }
        println!("loop: calibrated = {}", *ready);
    });

    // The same wait in one call: wait_while loops while the predicate is true.
    *calibrated.lock().unwrap() = false;
    thread::scope(|s| {
        s.spawn(|| {
            *calibrated.lock().unwrap() = true;
            changed.notify_all();
        });
        let ready = changed.wait_while(calibrated.lock().unwrap(), |done| !*done).unwrap();
        println!("wait_while: calibrated = {}", *ready);
    });
}

use std::cell::RefCell;
use std::sync::Mutex;
use std::thread;

fn main() {
    // The C way: a lock *next to* the data it is meant to protect.
    let lock = Mutex::new(());
    let balance = RefCell::new(0);

    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let _guard = lock.lock().unwrap();
                *balance.borrow_mut() += 1; // the lock is held, but nothing ties it to `balance`
            });
        }
    });
    println!("{}", balance.into_inner());
}

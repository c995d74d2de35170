use std::sync::{Barrier, Mutex};
use std::thread;

fn main() {
    let a = Mutex::new(0);
    let b = Mutex::new(0);
    let both_hold_one = Barrier::new(2);

    thread::scope(|s| {
        s.spawn(|| {
            let mut first = a.lock().unwrap();
            println!("thread 1 holds a, waits for b");
            both_hold_one.wait();
            let mut second = b.lock().unwrap(); // blocks forever: thread 2 holds b
            *first += 1;
            *second += 1;
        });
        s.spawn(|| {
            let mut first = b.lock().unwrap();
            println!("thread 2 holds b, waits for a");
            both_hold_one.wait();
            let mut second = a.lock().unwrap(); // blocks forever: thread 1 holds a
            *first += 1;
            *second += 1;
        });
    });

    println!("both threads finished"); // never printed
}

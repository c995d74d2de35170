use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let mut handles = Vec::new();

    for _ in 0..10 {
        let counter = Arc::clone(&counter); // one more owner of the same Mutex
        handles.push(thread::spawn(move || {
            for _ in 0..1000 {
                *counter.lock().unwrap() += 1; // lock, add, unlock at the `;`
            }
        }));
    }
    for handle in handles {
        handle.join().unwrap();
    }

    let total = *counter.lock().unwrap();
    println!("total = {total}");
    assert_eq!(total, 10_000); // on every run: each += happens under the lock
}

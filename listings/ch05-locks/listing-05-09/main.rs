use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let total = Arc::new(Mutex::new(0));

    let worker = {
        let total = Arc::clone(&total);
        thread::spawn(move || {
            let mut guard = total.lock().unwrap();
            *guard += 1; // this change stays
            panic!("sensor offline"); // unwinds with the guard alive: the Mutex is poisoned
        })
    };
    assert!(worker.join().is_err());

    println!("poisoned: {}", total.is_poisoned());
    let value = match total.lock() {
        Ok(guard) => *guard,
        Err(poisoned) => *poisoned.into_inner() + 100, // the guard, despite the poison
    };
    println!("value: {value}");

    total.clear_poison(); // we have checked the data: mark it usable again (Rust 1.77)
    println!("poisoned after clear_poison: {}", total.is_poisoned());
    *total.lock().unwrap() += 1; // lock() returns Ok again
}

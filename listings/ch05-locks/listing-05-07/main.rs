use std::sync::Mutex;

fn main() {
    let balance = Mutex::new(100);
    let _ = balance.lock().unwrap(); // meant: hold the lock for the rest of main
    // ... code that the author believes runs under the lock
}

use std::sync::Mutex;

fn main() {
    let readings = Mutex::new(vec![21, 22, 23]);
    let guard = readings.lock().unwrap();
    println!("holding the lock: {} readings", guard.len());
    let again = readings.lock().unwrap(); // the same thread locks again: this call never returns
    println!("never printed: {}", again.len());
}

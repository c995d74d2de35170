use std::sync::Mutex;

fn main() {
    let reading = Mutex::new(5);

    {
        let mut guard = reading.lock().unwrap(); // blocks until the lock is ours
        *guard += 1; // the guard dereferences to the data: &mut i32
    } // the guard is dropped here, and the lock released

    let value = *reading.lock().unwrap();
    println!("reading = {value}");
    assert_eq!(value, 6);
}

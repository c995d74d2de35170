use std::sync::Mutex;

fn main() {
    let readings = Mutex::new(vec![20, 21, 22]);
    let first;
    {
        let guard = readings.lock().unwrap();
        first = &guard[0];
    } // the guard is dropped here: the lock is released
    println!("{first}"); // ...so this would read the data unlocked
}

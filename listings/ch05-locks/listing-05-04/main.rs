use std::sync::Mutex;
use std::thread;

// Mutex::new is a const fn (since Rust 1.63), so a Mutex can be a static: no Arc, no lazy init.
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn log(line: String) {
    LOG.lock().unwrap().push(line);
}

fn main() {
    thread::scope(|s| {
        for sensor in 1..=3 {
            s.spawn(move || log(format!("sensor {sensor} started")));
        }
    });

    let mut lines = LOG.lock().unwrap().clone();
    lines.sort(); // the threads pushed in some order
    for line in &lines {
        println!("{line}");
    }

    // With exclusive access, no lock is needed: get_mut and into_inner skip locking.
    let mut local = Mutex::new(0);
    *local.get_mut().unwrap() += 1; // &mut Mutex: nobody else can hold it
    assert_eq!(local.into_inner().unwrap(), 1);
}

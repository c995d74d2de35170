use std::thread;
use std::time::Duration;

fn main() {
    let handle = thread::spawn(|| {
        for step in 1..=3 {
            println!("spawned thread: step {step}");
            thread::sleep(Duration::from_millis(1));
        }
    });

    for step in 1..=3 {
        println!("main thread: step {step}");
        thread::sleep(Duration::from_millis(1));
    }

    handle.join().unwrap(); // wait for the spawned thread; Err if it panicked
    println!("main thread: the spawned thread has finished");
}

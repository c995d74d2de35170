use std::sync::mpsc;
use std::thread;
use std::time::Duration;

struct Noisy;

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("Noisy dropped"); // never printed
    }
}

fn main() {
    let (started_tx, started_rx) = mpsc::channel();

    // The handle is dropped at once: the thread is detached.
    thread::spawn(move || {
        let _guard = Noisy;
        println!("worker: holding a Noisy, sleeping for 10 s");
        started_tx.send(()).unwrap();
        thread::sleep(Duration::from_secs(10));
        println!("worker: woke up"); // never printed
    });

    started_rx.recv().unwrap(); // wait until the worker holds its Noisy
    thread::sleep(Duration::from_millis(20)); // a little more work in main
    println!("main: returning");
}

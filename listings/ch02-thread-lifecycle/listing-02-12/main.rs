use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

fn main() {
    let ready = AtomicBool::new(false);

    thread::scope(|s| {
        let worker = s.spawn(|| {
            let mut parks = 0;
            while !ready.load(Ordering::Acquire) {
                thread::park(); // may return early: the loop checks the flag again
                parks += 1;
            }
            println!("worker: saw the flag after {parks} park() call(s)");
        });

        ready.store(true, Ordering::Release); // first publish the condition...
        worker.thread().unpark(); // ...then wake the worker (or leave it a token)
    });
}

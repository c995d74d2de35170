use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

fn main() {
    let stop = AtomicBool::new(false);
    let rounds = thread::scope(|s| {
        let worker = s.spawn(|| {
            let mut rounds: u64 = 0;
            while !stop.load(Ordering::Relaxed) {
                rounds += 1; // stands for one unit of work
            }
            rounds
        });
        stop.store(true, Ordering::Relaxed); // the worker sees it soon, and stops
        worker.join().unwrap()
    });
    println!("the worker stopped after {rounds} rounds");
}

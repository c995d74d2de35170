use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Prints a line when it is dropped, so that the output shows which destructors ran.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("{} dropped", self.0);
    }
}

/// Recurses far deeper than any stack allows: each call keeps 512 bytes on the stack, and
/// `black_box` stops the compiler from removing them or turning the recursion into a loop.
fn recurse(depth: u64) -> u64 {
    if depth == u64::MAX {
        return 0;
    }
    let frame = [depth; 64];
    std::hint::black_box(&frame);
    recurse(depth + 1) + frame[0]
}

fn main() {
    // A worker that would run for ten seconds if nothing stopped it.
    let (started_tx, started_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _guard = Noisy("worker's guard");
        started_tx.send(()).unwrap();
        thread::sleep(Duration::from_secs(10));
        println!("worker: finished");
    });
    started_rx.recv().unwrap();
    println!("main: the worker is running");

    // A thread with a small stack that it overflows.
    let camera = thread::Builder::new()
        .name("camera".to_string())
        .stack_size(64 * 1024)
        .spawn(|| {
            let _guard = Noisy("camera's guard");
            println!("camera: recursing");
            recurse(0)
        })
        .unwrap();

    // `join` returns only when the camera thread has ended, and it can end only by
    // overflowing its stack, which kills the whole process: the lines below never run.
    let result = camera.join();
    println!("main: camera joined: {}", result.is_ok());
    worker.join().unwrap();
    println!("main: done");
}

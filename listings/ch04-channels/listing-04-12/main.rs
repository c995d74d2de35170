use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

// ANCHOR: here
type Job = Box<dyn FnOnce() -> u64 + Send>;

fn main() {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx)); // one Receiver, taken in turn
    let (result_tx, result_rx) = mpsc::channel();

    let mut workers = Vec::new();
    for id in 0..2 {
        let job_rx = Arc::clone(&job_rx);
        let result_tx = result_tx.clone();
        workers.push(thread::spawn(move || {
            loop {
                // The guard is a temporary of this `let`: it is dropped at the `;`,
                // so the lock is free again while this worker runs the job.
                let job = job_rx.lock().unwrap().recv();
                match job {
                    Ok(job) => result_tx.send((id, job())).unwrap(),
                    Err(_) => break, // every job Sender is gone and the queue is empty
                }
            }
        }));
    }
    drop(result_tx);

    // Each job waits until another job is running too: only two workers running jobs
    // at the same time can get past it.
    let pair = Arc::new(Barrier::new(2));
    for n in 1..=4 {
        let pair = Arc::clone(&pair);
        job_tx.send(Box::new(move || {
            pair.wait();
            n * n
        })).unwrap();
    }
    drop(job_tx);
    println!("4 jobs sent, waiting for the results");

    let mut squares: Vec<u64> = result_rx.iter().map(|(_worker, square)| square).collect();
    squares.sort();
    println!("{squares:?}");
    assert_eq!(squares, [1, 4, 9, 16]);
    for w in workers {
        w.join().unwrap();
    }
}
// ANCHOR_END: here

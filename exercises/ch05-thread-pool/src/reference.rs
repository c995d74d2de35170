// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines, so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::{self, JoinHandle};

/// A job: a closure that the pool runs once, on one of its workers.
type Job = Box<dyn FnOnce() + Send + 'static>;

/// A fixed number of worker threads that run the jobs they are given.
pub struct ThreadPool {
    workers: Vec<JoinHandle<()>>,
    /// `None` once `drop` has closed the queue.
    sender: Option<mpsc::Sender<Job>>,
}

impl ThreadPool {
    /// Starts a pool of `size` worker threads.
    ///
    /// # Panics
    ///
    /// If `size` is 0, or if the OS refuses to start a thread.
    pub fn new(size: usize) -> ThreadPool {
        assert!(size > 0, "ThreadPool::new: a pool needs at least one worker");
        let (sender, receiver) = mpsc::channel::<Job>();
        // One queue for all the workers: the Receiver is not Sync, so they share it behind a
        // Mutex, and each takes the lock only to take one job out.
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|i| {
                let receiver = Arc::clone(&receiver);
                thread::Builder::new()
                    .name(format!("pool-worker-{i}"))
                    .spawn(move || work(&receiver))
                    .expect("ThreadPool::new: failed to start a worker thread")
            })
            .collect();
        ThreadPool { workers, sender: Some(sender) }
    }

    /// Queues `f`, to be run by the first worker that is free. Returns at once.
    pub fn execute<F>(&self, f: F)
    where
        F: FnOnce() + Send + 'static,
    {
        let sender = self.sender.as_ref().expect("the queue is open until the pool is dropped");
        // The workers outlive the queue (they stop only once it is closed and empty, and a job's
        // panic is caught), so the Receiver is still there and `send` cannot fail.
        sender.send(Box::new(f)).expect("the workers are alive while the pool is");
    }
}

/// A worker's loop: take a job, run it, until the queue is closed and empty.
fn work(receiver: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // `let`, not `while let`: the guard is a temporary of this statement, dropped at its
        // `;`, so the lock is free again before the job runs. (In `while let Ok(job) =
        // receiver.lock().unwrap().recv() { … }` the guard would live to the end of the body,
        // and the workers would run their jobs one at a time.) No code of ours panics while it
        // holds the lock; should the mutex be poisoned anyway, the Receiver in it is intact.
        let message = receiver.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
        let Ok(job) = message else {
            // Every Sender is gone and the queue is empty: the pool is being dropped.
            break;
        };
        // A job's panic stops at the worker, which goes on with the next job. The job's state
        // is gone with it, so nothing broken is observed afterwards: asserting unwind safety
        // is sound here. (The panic's message is still printed, by the panic hook.)
        let _ = panic::catch_unwind(AssertUnwindSafe(job));
    }
}

impl Drop for ThreadPool {
    fn drop(&mut self) {
        // Closing the queue does not discard what is in it: `recv` returns every queued job
        // first, and only then an error, which tells each worker to stop.
        drop(self.sender.take());
        for worker in self.workers.drain(..) {
            // A worker catches its jobs' panics, so it does not panic itself; a `drop` that
            // panicked here would abort the process if it ran during another panic.
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: solution

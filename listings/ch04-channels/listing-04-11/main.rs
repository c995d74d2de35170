use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<i32>();
    let rx = Arc::new(rx);

    let mut workers = Vec::new();
    for _ in 0..2 {
        let rx = Arc::clone(&rx);
        workers.push(thread::spawn(move || {
            while let Ok(job) = rx.recv() {
                println!("job {job}");
            }
        }));
    }
    for job in 0..4 {
        tx.send(job).unwrap();
    }
    drop(tx);
    for w in workers {
        w.join().unwrap();
    }
}

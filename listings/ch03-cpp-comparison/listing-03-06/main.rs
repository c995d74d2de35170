use std::thread::{self, JoinHandle};

// Starts a thread that averages this function's calibration table, and returns its handle.
fn start_calibration() -> JoinHandle<i32> {
    let table = [3, 1, 4];
    thread::spawn(|| table.iter().sum::<i32>() / 3)
}

fn main() {
    let worker = start_calibration();
    println!("average: {}", worker.join().unwrap());
}

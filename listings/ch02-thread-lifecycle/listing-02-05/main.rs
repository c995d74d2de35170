use std::thread::{self, JoinHandle};

fn average_in_background(readings: &[f32]) -> JoinHandle<f32> {
    thread::spawn(move || readings.iter().sum::<f32>() / readings.len() as f32)
}

fn main() {
    let readings = vec![20.5, 21.0, 21.5];
    let handle = average_in_background(&readings);
    println!("average: {}", handle.join().unwrap());
}

use std::thread;

fn run_on_worker(job: Box<dyn Fn()>) {
    thread::spawn(move || job()).join().unwrap();
}

fn main() {
    run_on_worker(Box::new(|| println!("job ran on a worker")));
}

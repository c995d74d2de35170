use std::thread;

fn main() {
    let result = thread::Builder::new()
        .stack_size(usize::MAX / 2) // far more address space than the OS will reserve
        .spawn(|| println!("started"));

    match result {
        Ok(handle) => handle.join().unwrap(),
        Err(e) => println!("could not start the thread: {e}"),
    }
}

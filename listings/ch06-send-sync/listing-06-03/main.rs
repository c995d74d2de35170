use std::sync::Arc;
use std::thread;

fn main() {
    let greeting = Arc::new(String::from("hello"));
    let for_thread = Arc::clone(&greeting);
    let handle = thread::spawn(move || {
        println!("worker: {for_thread}");
    });
    handle.join().unwrap();
    println!("main: {greeting}");
}

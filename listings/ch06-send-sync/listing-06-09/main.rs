use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let shared = Arc::new(Mutex::new(Rc::new(0)));
    let for_thread = Arc::clone(&shared);
    let handle = thread::spawn(move || {
        let value = for_thread.lock().unwrap();
        println!("{value}");
    });
    handle.join().unwrap();
}

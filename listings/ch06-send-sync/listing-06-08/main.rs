use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::thread;

fn main() {
    let hits = Arc::new(Cell::new(0));
    let names = Arc::new(RefCell::new(Vec::new()));
    let (h, n) = (Arc::clone(&hits), Arc::clone(&names));
    let handle = thread::spawn(move || {
        h.set(h.get() + 1);
        n.borrow_mut().push("worker");
    });
    handle.join().unwrap();
    println!("{} {:?}", hits.get(), names.borrow());
}

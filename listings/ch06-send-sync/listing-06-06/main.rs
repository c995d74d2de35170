use std::cell::Cell;
use std::rc::Rc;
use std::thread;

fn main() {
    let cell = Cell::new(Rc::new(5));
    let handle = thread::spawn(move || {
        drop(cell);
    });
    handle.join().unwrap();
}

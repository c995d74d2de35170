use std::cell::Cell;
use std::rc::Rc;
use std::thread;

fn main() {
    let cell = Cell::new(Rc::new(5));
    let handle = thread::spawn(move || {
        let _ = cell;
    });
    handle.join().unwrap();
    let rc = cell.into_inner();
    println!("main still owns the cell: it holds {rc}, strong count {}", Rc::strong_count(&rc));
}

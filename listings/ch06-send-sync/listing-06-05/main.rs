use std::cell::{Cell, RefCell};
use std::thread;

fn main() {
    let count = Cell::new(0);
    let log = RefCell::new(Vec::new());
    let handle = thread::spawn(move || {
        count.set(count.get() + 1);
        count.set(count.get() + 1);
        log.borrow_mut().push(1);
        log.borrow_mut().push(2);
        (count, log) // both move back to whoever joins
    });
    let (count, log) = handle.join().unwrap();
    let result = (count.get(), log.into_inner());
    assert_eq!(result, (2, vec![1, 2]));
    println!("{result:?}");
}

// ANCHOR: here
use std::cell::Cell;
use std::thread;

thread_local! {
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn record_call() {
    CALLS.set(CALLS.get() + 1); // this thread's counter, no lock needed
}

fn main() {
    record_call(); // main's own counter: 1

    let a = thread::spawn(|| {
        for _ in 0..3 {
            record_call();
        }
        CALLS.get()
    });
    let b = thread::spawn(|| {
        for _ in 0..3 {
            record_call();
        }
        CALLS.get()
    });

    let (a, b) = (a.join().unwrap(), b.join().unwrap());
    println!("thread a: {a} calls, thread b: {b} calls, main: {} call", CALLS.get());
    // ANCHOR_END: here
    assert_eq!((a, b, CALLS.get()), (3, 3, 1));
    // ANCHOR: here
}
// ANCHOR_END: here

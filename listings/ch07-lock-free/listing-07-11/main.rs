use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let x = AtomicUsize::new(0);
    let ordering = black_box(Ordering::Release); // known only when the program runs
    println!("{}", x.load(ordering));
}

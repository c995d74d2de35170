use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let x = AtomicUsize::new(0);
    println!("{}", x.load(Ordering::Release));
}

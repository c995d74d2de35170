use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let a = AtomicUsize::new(5);
    let old = a.fetch_add(3, Ordering::Relaxed); // returns the value before the add
    let r1 = a.compare_exchange(8, 10, Ordering::AcqRel, Ordering::Relaxed); // 8 == 8: swapped
    let r2 = a.compare_exchange(8, 12, Ordering::AcqRel, Ordering::Relaxed); // 10 != 8: refused
    println!("{} {:?} {:?} {}", old, r1, r2, a.load(Ordering::Relaxed));
    assert_eq!((old, r1, r2), (5, Ok(8), Err(10)));
}

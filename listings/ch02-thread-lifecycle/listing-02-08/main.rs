// ANCHOR: here
use std::thread;

fn main() {
    let mut readings = vec![1, 2, 3, 4, 5];

    thread::scope(|s| {
        s.spawn(|| {
            let sum: i32 = readings.iter().sum();
            println!("reader 1: sum = {sum}");
        });
        s.spawn(|| {
            let max = readings.iter().max().unwrap();
            println!("reader 2: max = {max}");
        });
    }); // both readers are joined here, so their borrows of `readings` end

    readings.push(6); // mutable again
    println!("after the scope: {readings:?}");
    // ANCHOR_END: here
    assert_eq!(readings, [1, 2, 3, 4, 5, 6]);
    // ANCHOR: here
}
// ANCHOR_END: here

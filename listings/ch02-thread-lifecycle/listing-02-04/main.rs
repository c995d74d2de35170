// ANCHOR: here
use std::thread;

fn main() {
    let handles: Vec<_> = (0..5u64)
        .map(|i| {
            thread::spawn(move || {
                println!("thread {i} finished");
                i * i
            })
        })
        .collect(); // start all five before joining any of them

    let results: Vec<u64> = handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();

    println!("results in spawn order: {results:?}");
    // ANCHOR_END: here
    assert_eq!(results, [0, 1, 4, 9, 16]);
    // ANCHOR: here
}
// ANCHOR_END: here

extern crate /* not found? run: mdbook test -L target/book-lib */ crossbeam;

// ANCHOR: here
use crossbeam::queue::SegQueue;
use std::thread;

fn main() {
    let queue = SegQueue::new();
    let popped: usize = thread::scope(|s| {
        for producer in 0..2 {
            let queue = &queue;
            s.spawn(move || {
                for i in 0..1000 {
                    queue.push(producer * 1000 + i);
                }
            });
        }
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut sum = 0;
                    let mut count = 0;
                    while count < 1000 {
                        if let Some(v) = queue.pop() {
                            sum += v;
                            count += 1;
                        }
                    }
                    sum
                })
            })
            .collect();
        consumers.into_iter().map(|c| c.join().unwrap()).sum()
    });
    // Every value pushed was popped exactly once: 0 + 1 + … + 1999.
    assert_eq!(popped, (0..2000).sum::<usize>());
    println!("sum of what was popped: {popped}; queue empty: {}", queue.is_empty());
}
// ANCHOR_END: here

use std::thread;

fn main() {
    let totals: Vec<u64> = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|id| {
                s.spawn(move || {
                    let mut total: u64 = 0;
                    for i in 0..10_000_000u64 {
                        total += i;
                    }
                    println!("thread {id}: {total}");
                    total
                })
            })
            .collect();

        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    assert_eq!(totals, [49_999_995_000_000; 4]);
}

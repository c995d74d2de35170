use std::thread;

fn main() {
    let mut counter = 0;

    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..100_000 {
                    counter += 1;
                }
            });
        }
    });

    println!("counter = {counter}");
}

use std::thread;

fn main() {
    thread::scope(|s| {
        for id in 0..4 {
            s.spawn(move || {
                let mut total = 0;
                for i in 0..10_000_000 {
                    total += i;
                }
                println!("thread {id}: {total}");
            });
        }
    });
}

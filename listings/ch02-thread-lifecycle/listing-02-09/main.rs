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
        s.spawn(|| readings.push(6)); // a writer next to the readers
    });

    println!("after the scope: {readings:?}");
}

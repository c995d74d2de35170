use std::thread;
use std::time::Duration;

fn tick(name: &str, count: u32) {
    for i in 1..=count {
        println!("{name}: tick {i}"); // println! writes its whole line under stdout's lock
        thread::sleep(Duration::from_millis(1));
    }
}

fn main() {
    thread::scope(|s| {
        s.spawn(|| tick("sensor", 3));
        s.spawn(|| tick("uplink", 3));
    }); // the scope has joined both threads here
    println!("Both threads finished.");
}

use std::thread;

fn main() {
    let name = String::from("sensor-7");

    let handle = thread::spawn(|| {
        println!("hello from {name}");
    });

    handle.join().unwrap();
}

use std::thread;

fn main() {
    let name = String::from("sensor-7");

    let handle = thread::spawn(move || {
        println!("thread: hello from {name}");
        name // hand the String back to whoever joins this thread
    });

    let name = handle.join().unwrap();
    println!("main: got {name} back");
}

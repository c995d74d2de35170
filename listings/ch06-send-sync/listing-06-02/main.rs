use std::rc::Rc;
use std::thread;

fn main() {
    let greeting = Rc::new(String::from("hello"));
    let for_thread = Rc::clone(&greeting);
    let handle = thread::spawn(move || {
        println!("worker: {for_thread}");
    });
    handle.join().unwrap();
    println!("main: {greeting}");
}

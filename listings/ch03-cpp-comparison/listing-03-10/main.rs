use std::thread;

fn read_sensor() -> i32 {
    panic!("sensor offline");
}

fn main() {
    let sampler = thread::spawn(|| {
        let value = read_sensor(); // the panic unwinds this thread's stack
        println!("read {value}");
    });
    match sampler.join() {
        Ok(()) => println!("the sampler finished"),
        Err(payload) => {
            // panic!("literal") carries a &'static str
            let message = payload.downcast_ref::<&str>().copied().unwrap_or("?");
            println!("main: the sampler panicked: {message}");
        }
    }
    println!("main: still running");
}

use std::io;
use std::thread;

fn main() -> io::Result<()> {
    let handle = thread::Builder::new()
        .name("worker-1".to_string())
        .stack_size(32 * 1024) // a request: the OS may round it up
        .spawn(|| {
            let me = thread::current();
            assert_eq!(me.name(), Some("worker-1"));
            println!("{}: running", me.name().unwrap());
        })?; // io::Result: the OS may refuse to create the thread

    println!("main: spawned {}", handle.thread().name().unwrap());
    handle.join().unwrap();
    println!("main: worker-1 finished");
    Ok(())
}

use std::thread;

fn main() {
    let p: *mut u64 = Box::into_raw(Box::new(41));
    let handle = thread::spawn(move || unsafe { *p += 1 });
    handle.join().unwrap();
    let value = unsafe { Box::from_raw(p) };
    println!("{value}");
}

use std::marker::PhantomData;
use std::thread;

struct ThreadBound {
    id: u32,
    _not_send: PhantomData<*const ()>,
}

impl ThreadBound {
    fn describe(&self) -> String {
        format!("handle {}", self.id)
    }
}

fn main() {
    let handle = ThreadBound { id: 7, _not_send: PhantomData };
    let worker = thread::spawn(move || handle.describe());
    println!("{}", worker.join().unwrap());
}

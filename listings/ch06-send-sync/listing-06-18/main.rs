use std::thread;

/// Listing 6-17's type without its module: code beside it can reach the field.
struct OwnedPtr(*mut u64);

impl OwnedPtr {
    fn new(value: u64) -> OwnedPtr {
        OwnedPtr(Box::into_raw(Box::new(value)))
    }
}

impl Drop for OwnedPtr {
    fn drop(&mut self) {
        // SAFETY: the pointer came from `Box::into_raw`, and `drop` runs once.
        unsafe { drop(Box::from_raw(self.0)) }
    }
}

// SAFETY: as in Listing 6-17.
unsafe impl Send for OwnedPtr {}

fn main() {
    let counter = OwnedPtr::new(41);
    let handle = thread::spawn(move || unsafe { *counter.0 += 1 });
    handle.join().unwrap();
}

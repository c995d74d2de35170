use std::thread;

mod owned {
    /// The only owner of a heap-allocated `u64`, held through a raw pointer, as a handle from
    /// a C library would be. The field is private: no code outside this module can copy the
    /// pointer or use it.
    pub struct OwnedPtr(*mut u64);

    impl OwnedPtr {
        pub fn new(value: u64) -> OwnedPtr {
            OwnedPtr(Box::into_raw(Box::new(value)))
        }

        pub fn get_mut(&mut self) -> &mut u64 {
            // SAFETY: the pointer came from `Box::into_raw` and is freed only in `drop`, so it
            // points to a live `u64`; `&mut self` makes this the only reference to it.
            unsafe { &mut *self.0 }
        }
    }

    impl Drop for OwnedPtr {
        fn drop(&mut self) {
            // SAFETY: the pointer came from `Box::into_raw`, and `drop` runs once.
            unsafe { drop(Box::from_raw(self.0)) }
        }
    }

    // SAFETY: an `OwnedPtr` is the only way to reach its `u64` (the field is private and no
    // method copies the pointer out), so moving it to another thread moves all access to the
    // value, as moving a `Box<u64>` would; the value is a `u64`, which is `Send`, and freeing
    // it on another thread is what `Box` does too.
    unsafe impl Send for OwnedPtr {}
}

use owned::OwnedPtr;

fn main() {
    let mut counter = OwnedPtr::new(41);
    *counter.get_mut() += 1;
    let handle = thread::spawn(move || {
        *counter.get_mut() += 1;
        counter // moves back to main through join
    });
    let mut counter = handle.join().unwrap();
    println!("{}", counter.get_mut());
}

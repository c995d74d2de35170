// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// line, so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::mem::ManuallyDrop;

/// An owning handle to a `T` on the heap: a `Box<T>` written by hand, around a raw pointer.
pub struct Handle<T> {
    // From `Box::into_raw` in `new`; never null, never shared with another handle.
    ptr: *mut T,
}

impl<T> Handle<T> {
    /// Moves `value` to the heap and takes ownership of it.
    pub fn new(value: T) -> Self {
        Handle { ptr: Box::into_raw(Box::new(value)) }
    }

    /// The value, for as long as the handle is borrowed.
    pub fn get(&self) -> &T {
        // SAFETY: `ptr` came from `Box::into_raw` in `new`, and only `into_inner` and `drop` free
        // it, neither of which can run while `self` is borrowed: it points to a live `T` for as
        // long as the `&T` lives. A `&mut T` comes only from `get_mut`, which borrows `self`
        // mutably, so none exists while this `&T` does.
        unsafe { &*self.ptr }
    }

    /// The value, exclusively, for as long as the handle is borrowed mutably.
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: as in `get`; `&mut self` guarantees that no other reference to the `T`, shared
        // or exclusive, exists while this one does.
        unsafe { &mut *self.ptr }
    }

    /// Gives the value back and frees the handle's memory, without dropping the value.
    pub fn into_inner(self) -> T {
        // The handle's `Drop` must not run: it would free the memory again, and drop the value
        // that the caller now owns. `ManuallyDrop` switches it off.
        let this = ManuallyDrop::new(self);
        // SAFETY: `ptr` came from `Box::into_raw` and has not been freed; `this` is never
        // dropped, so the `Box` below is the only owner of the allocation from here on.
        let boxed = unsafe { Box::from_raw(this.ptr) };
        *boxed
    }
}

impl<T> Drop for Handle<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` and has not been freed (`into_inner` does not
        // let this run); after `drop`, nothing uses it again.
        unsafe { drop(Box::from_raw(self.ptr)) }
    }
}

// SAFETY: A `Handle<T>` owns its `T` alone: no other handle points to it, and every reference
// that `get` or `get_mut` hands out borrows the handle, so none is left once the handle moves.
// Moving the handle to another thread therefore moves the `T` there and leaves nothing of it
// behind, which is what `T: Send` allows: from then on only that thread reads the `T` (`get`),
// changes it (`get_mut`), takes it out (`into_inner`) or runs its destructor (`drop`). Whatever
// carries the handle across (`spawn`, a channel, a `Mutex`, `join`) makes everything the first
// thread did to the `T` happen before what the second one does. The memory itself may be freed
// on any thread: the global allocator allows that, as it does for a `Box<T>`.
unsafe impl<T: Send> Send for Handle<T> {}

// SAFETY: Through a `&Handle<T>`, a thread can only call `get`, which gives it a `&T`. Sharing a
// `&Handle<T>` between threads therefore shares a `&T` between them, which is what `T: Sync`
// allows (`T: Sync` means exactly that `&T` is `Send`). What needs more than a shared reference
// (`get_mut`, `into_inner`, `drop`) needs `&mut Handle<T>` or the handle itself, which the
// borrow checker does not grant while a `&Handle<T>` is still in use on another thread.
unsafe impl<T: Sync> Sync for Handle<T> {}
// ANCHOR_END: solution

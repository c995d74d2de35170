// Given: keep the struct and the methods that have a body as they are.

/// An owning handle to a `T` on the heap, in the style of a C library's object handle: a raw
/// pointer that only `new` creates and only `Drop` (or `into_inner`) frees. It is a `Box<T>` in
/// all but name, written by hand.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - `Handle<T>` is `Send` exactly when `T` is, and `Sync` exactly when `T` is, as `Box<T>` is:
///   a `Handle<Cell<i32>>` can move to another thread but not be shared by two, a
///   `Handle<MutexGuard<'_, i32>>` can be shared but not moved, a `Handle<Rc<i32>>` neither.
///   The compiler decides, so you write the two `unsafe impl`s with those bounds, each with a
///   `// SAFETY:` comment that says why it is sound.
/// - A handle moved to another thread works there: `get`, `get_mut`, `into_inner`, and its drop.
/// - Threads that share a `&Handle<T>` can all call `get` at the same time.
/// - `T`'s destructor runs exactly once per handle: when the handle is dropped, on whichever
///   thread drops it, or, after `into_inner`, when the caller drops the value it got back.
pub struct Handle<T> {
    // From `Box::into_raw` in `new`; never null, never shared with another handle. A raw pointer
    // is neither `Send` nor `Sync`, so neither is `Handle<T>` until you say otherwise.
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

    /// Gives the value back and frees the handle's memory, without dropping the value: the
    /// caller owns it now. The handle's own `Drop` must then not run.
    pub fn into_inner(self) -> T {
        todo!("turn `ptr` back into a Box and move the value out, without letting `drop` free it again")
    }
}

impl<T> Drop for Handle<T> {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `Box::into_raw` and has not been freed (`into_inner` does not
        // let this run); after `drop`, nothing uses it again.
        unsafe { drop(Box::from_raw(self.ptr)) }
    }
}

// Yours: `unsafe impl<…> Send for Handle<T> {}` and `unsafe impl<…> Sync for Handle<T> {}`,
// with the right bounds in place of the `…`, each with its `// SAFETY:` comment.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};

// The same error types as std's channels: `SendError(value)` gives the value back. (Given.)
pub use std::sync::mpsc::{RecvError, SendError};

/// What the two ends share. Add what else you need to know (how many `Sender`s are left? is
/// the `Receiver` still there?); keep the buffer and the two `Condvar`s.
#[allow(dead_code)] // until you use every field
struct Shared<T> {
    queue: Mutex<VecDeque<T>>,
    /// The receiver waits here while the buffer is empty.
    not_empty: Condvar,
    /// Senders wait here while the buffer is full.
    not_full: Condvar,
    capacity: usize,
}

/// The sending end: `Clone` it for every producer (write `Clone` yourself, rather than derive
/// it: `#[derive(Clone)]` would require `T: Clone`).
#[allow(dead_code)] // until you use `shared`
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end: there is only one (no `Clone`).
#[allow(dead_code)] // until you use `shared`
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// Creates a channel that buffers at most `capacity` values.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - Values arrive in the order in which they were sent (FIFO), each exactly once.
/// - At most `capacity` values are ever buffered: `send` blocks while `capacity` values are
///   waiting to be received, and returns once `recv` has made room. Up to `capacity` sends
///   return without any `recv`.
/// - `recv` blocks while the buffer is empty. Once every `Sender` has been dropped (clones
///   included), it returns what is still buffered, in order, and then `Err(RecvError)`;
///   a `recv` that is waiting when the last `Sender` is dropped wakes up and returns it.
/// - Once the `Receiver` has been dropped, `send(value)` returns `Err(SendError(value))`, with
///   the very value it was given; a `send` that is waiting on a full channel then wakes up and
///   returns it too.
/// - No wake-up is lost: several producers sending through clones of one `Sender` on a channel
///   of capacity 1 never leave a thread waiting for something that has already happened.
/// - `bounded(0)` panics: this channel has no rendezvous mode (`std::sync::mpsc::sync_channel(0)`
///   has one).
///
/// Keep these signatures: the tests call them exactly so.
pub fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    todo!("create the shared state for a channel of capacity {capacity}")
}

impl<T> Sender<T> {
    /// Waits while the channel is full, then buffers `value`; gives `value` back in
    /// `Err(SendError(value))` if the `Receiver` is gone.
    // The parameter is unused until you write the body: then delete the next line.
    #[allow(unused_variables)]
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        todo!("wait while the buffer is full, with a while loop around not_full.wait")
    }
}

impl<T> Receiver<T> {
    /// Waits while the channel is empty, then returns its oldest value; `Err(RecvError)` once
    /// it is empty and every `Sender` is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        todo!("wait while the buffer is empty and a Sender is left")
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        todo!("one more Sender")
    }
}

// Also write `impl<T> Drop for Sender<T>` and `impl<T> Drop for Receiver<T>`: dropping an end is
// how the other end learns that it is alone.

// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines, so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

// The same error types as std's channels: `SendError(value)` gives the value back.
pub use std::sync::mpsc::{RecvError, SendError};

/// What the mutex protects: the buffer, and who is still connected.
struct State<T> {
    queue: VecDeque<T>,
    senders: usize,
    receiver_alive: bool,
}

/// What the two ends share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// The receiver waits here while the buffer is empty.
    not_empty: Condvar,
    /// Senders wait here while the buffer is full.
    not_full: Condvar,
    capacity: usize,
}

impl<T> Shared<T> {
    /// No code of ours panics while it holds the lock, so the mutex is never poisoned by us;
    /// should a caller's thread die there anyway, the state is still consistent: take it.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The sending end: clone it for every producer.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The receiving end: there is only one.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A channel that buffers at most `capacity` values.
///
/// # Panics
///
/// If `capacity` is 0: this channel has no rendezvous mode.
pub fn bounded<T>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "bounded: the capacity must be at least 1");
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            queue: VecDeque::with_capacity(capacity),
            senders: 1,
            receiver_alive: true,
        }),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
        capacity,
    });
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

impl<T> Sender<T> {
    /// Waits while the buffer is full, then appends `value`; gives it back if the receiver is
    /// gone (before or while it waits).
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let mut state = self.shared.lock();
        // `while`, not `if`: after a wake-up, check again. Another sender may have taken the
        // free slot first, and a wait may also return spuriously, with nothing changed.
        while state.receiver_alive && state.queue.len() == self.shared.capacity {
            state = self
                .shared
                .not_full
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        if !state.receiver_alive {
            return Err(SendError(value));
        }
        state.queue.push_back(value);
        drop(state);
        // Only the receiver waits on `not_empty`, and one value arrived: wake it.
        self.shared.not_empty.notify_one();
        Ok(())
    }
}

impl<T> Receiver<T> {
    /// Waits while the buffer is empty, then takes its oldest value; `Err(RecvError)` once the
    /// buffer is empty and every `Sender` is gone.
    pub fn recv(&self) -> Result<T, RecvError> {
        let mut state = self.shared.lock();
        loop {
            if let Some(value) = state.queue.pop_front() {
                drop(state);
                // One slot is free: one waiting sender can use it.
                self.shared.not_full.notify_one();
                return Ok(value);
            }
            if state.senders == 0 {
                return Err(RecvError);
            }
            state = self
                .shared
                .not_empty
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.lock().senders += 1;
        Sender {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.senders -= 1;
        let last = state.senders == 0;
        drop(state);
        if last {
            // The receiver may be waiting for a value that can no longer come.
            self.shared.not_empty.notify_all();
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.receiver_alive = false;
        // Nobody will receive what is buffered: drop it, after unlocking (a value's own `drop`
        // may take a while, or even panic).
        let unreceived = std::mem::take(&mut state.queue);
        drop(state);
        // Every waiting sender must wake up and get its value back.
        self.shared.not_full.notify_all();
        drop(unreceived);
    }
}
// ANCHOR_END: solution

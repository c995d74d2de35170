// The reference solution. The book shows the part between the ANCHOR lines (with the `use`
// lines, so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::panic;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

/// One message of the chat: who posted it, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Post {
    pub from: String,
    pub text: String,
}

/// A client of the room: a closure that posts through the `Sender` it is given.
pub type Client = Box<dyn FnOnce(Sender<Post>) + Send + 'static>;

/// The server: the posts in the order they arrived, once every `Sender` is gone.
pub fn run_room(posts: Receiver<Post>) -> Vec<Post> {
    // `iter()` blocks until the next post arrives, and ends only when the channel is empty and
    // every Sender has been dropped: exactly when the room is over.
    posts.iter().collect()
}

/// Runs the room: the server on its own thread, every client on its own, and returns the
/// transcript once the last `Sender` is gone.
pub fn chat(clients: Vec<Client>) -> Vec<Post> {
    let (tx, rx) = mpsc::channel();
    let server = thread::spawn(move || run_room(rx));
    let handles: Vec<_> = clients
        .into_iter()
        .map(|client| {
            // Each client gets a Sender of its own, and drops it when it returns (or unwinds).
            let tx = tx.clone();
            thread::spawn(move || client(tx))
        })
        .collect();
    // Our own Sender posts nothing: drop it, or the room would never close.
    drop(tx);
    // Wait for every client, keeping the first panic to pass on after the room has closed.
    let mut first_panic = None;
    for handle in handles {
        if let Err(payload) = handle.join() {
            first_panic.get_or_insert(payload);
        }
    }
    // The server returns once the last Sender is gone, wherever it was: with a client, or with
    // a thread that a client started and that may still be posting.
    let transcript = match server.join() {
        Ok(transcript) => transcript,
        Err(payload) => panic::resume_unwind(payload),
    };
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
    transcript
}
// ANCHOR_END: solution

use std::sync::mpsc::{Receiver, Sender};

/// One message of the chat: who posted it, and what it says. (Given: keep it as it is.)
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Post {
    pub from: String,
    pub text: String,
}

/// A client of the room: a closure that posts through the `Sender` it is given, as many posts
/// as it likes, and may hand clones of it to threads of its own. (Given: keep it as it is.)
pub type Client = Box<dyn FnOnce(Sender<Post>) + Send + 'static>;

/// The server: receives the posts from `posts`, and returns them in the order they arrived.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - Every post sent on the channel is in the result exactly once (a post that repeats an
///   earlier one too), in the order the posts arrived: not sorted, not grouped by sender. So
///   the posts of each `Sender` keep the order in which it sent them.
/// - It returns when every `Sender` of the channel has been dropped and every post sent has been
///   received, and only then: not when the channel is empty for a moment, not after a number of
///   posts, not after a time without posts.
///
/// Keep this signature: the tests call the function exactly so.
// The parameter is unused until you write the body: then delete the next line.
#[allow(unused_variables)]
pub fn run_room(posts: Receiver<Post>) -> Vec<Post> {
    todo!("receive posts until every Sender is gone")
}

/// Runs a chat room and returns its transcript: [`run_room`] on a server thread of its own, and
/// every client on a thread of its own with its own clone of the room's `Sender`.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - The result is what `run_room` returned: every post of every client exactly once, each
///   client's posts in the order it sent them.
/// - The clients run at the same time, each on its own thread: a client may wait for another.
/// - It returns once the room has closed, that is, once every `Sender` is gone, including the
///   clones that a client handed to threads of its own, which may post after their client has
///   returned. Whoever holds a `Sender` can still post; only when none is left is the room over.
/// - If a client panics, `chat` panics too, after the room has closed; it never hangs, and never
///   returns as if nothing had happened.
///
/// Keep this signature: the tests call the function exactly so.
// The parameter is unused until you write the body: then delete the next line.
#[allow(unused_variables)]
pub fn chat(clients: Vec<Client>) -> Vec<Post> {
    todo!("start the server, then a thread per client, and let the room close")
}

//! The hidden tests of the chat-room exercise.
//!
//! They grade `exercise_chat::{run_room, chat}`: the reference solution by default, your
//! `src/yours.rs` with `--no-default-features` (`cargo grade exercise-chat`).
//!
//! Every check is a function that takes the implementation as a parameter and returns what is
//! wrong with it, if anything. The tests at the top run the checks on the submitted functions;
//! the self-tests at the bottom run the same checks on deliberately wrong implementations and
//! show that each mistake is caught. Every check runs the implementation under a watchdog, so
//! an answer that never returns fails with a message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{panic_text, pass, with_timeout};
use std::collections::BTreeMap;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use exercise_chat::{Client, Post};

/// How long a check waits for the implementation before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// How long the checks that keep a `Sender` idle hold it, at most (see below): a server that
/// closes the room after a silence shorter than this is caught. A correct answer waits out the
/// whole hold, so the hold is what those three checks cost.
const HOLD_SECS: u64 = 3;

// A check that keeps a `Sender` alive and idle, to see whether the answer returns while it is
// alive, holds it until the answer returns or `secs` seconds have passed (`HOLD_SECS` in the
// hidden tests); only then does it drop the `Sender`, and the answer has another `TIMEOUT_SECS`
// to return. A correct answer cannot return while the `Sender` is alive,
// so it waits out the whole hold and passes, however slow the machine. A wrong one that returns
// early (because the channel was empty for a moment, because its clients had returned, or after
// a silence shorter than the hold) is seen the moment it returns, not after a fixed pause.

// ---------------------------------------------------------------------------------------------
// The implementation under test

/// The two functions of an answer, as the checks call them.
trait Candidate: Copy + Send + 'static {
    const NAME: &'static str;
    fn run_room(self, posts: Receiver<Post>) -> Vec<Post>;
    fn chat(self, clients: Vec<Client>) -> Vec<Post>;
}

/// The functions the crate exports: your answer, or the reference solution.
#[derive(Clone, Copy)]
struct Submitted;

impl Candidate for Submitted {
    const NAME: &'static str = "your answer";
    fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
        exercise_chat::run_room(posts)
    }
    fn chat(self, clients: Vec<Client>) -> Vec<Post> {
        exercise_chat::chat(clients)
    }
}

// ---------------------------------------------------------------------------------------------
// Posts, clients and transcripts

fn post(from: &str, text: &str) -> Post {
    Post {
        from: from.to_string(),
        text: text.to_string(),
    }
}

/// The posts of a client called `name` that posts `count` times: "post 0", "post 1"… (From
/// "post 10" on, the order in which they are sent is not their alphabetical order.)
fn posts_of(name: &str, count: usize) -> Vec<Post> {
    (0..count).map(|i| post(name, &format!("post {i}"))).collect()
}

/// A client that sends `posts`, in order, and returns (dropping its `Sender`).
fn client(posts: Vec<Post>) -> Client {
    Box::new(move |tx: Sender<Post>| {
        for p in posts {
            tx.send(p).expect("the room is still open while this client posts");
        }
    })
}

/// The clients of the counting checks: five, of which one never posts and one posts once.
fn five_clients() -> Vec<(&'static str, usize)> {
    vec![("alice", 120), ("bob", 1), ("carol", 0), ("dave", 250), ("eve", 37)]
}

/// `Ok` if `got` holds exactly the posts of `want`, each as many times; otherwise names one
/// post that is missing or one too many.
fn same_posts(name: &str, case: &str, got: &[Post], want: &[Post]) -> Result<(), String> {
    let mut counts: BTreeMap<&Post, i64> = BTreeMap::new();
    for p in want {
        *counts.entry(p).or_default() += 1;
    }
    for p in got {
        *counts.entry(p).or_default() -= 1;
    }
    if let Some((p, _)) = counts.iter().find(|(_, n)| **n > 0) {
        return Err(format!(
            "{name} {case} returned {} posts instead of {}: {p:?} is missing",
            got.len(),
            want.len()
        ));
    }
    if let Some((p, _)) = counts.iter().find(|(_, n)| **n < 0) {
        return Err(format!(
            "{name} {case} returned {} posts instead of {}: {p:?} is there once too often",
            got.len(),
            want.len()
        ));
    }
    Ok(())
}

/// `Ok` if, for every sender in `want`, its posts appear in `got` in the order of `want`.
fn each_senders_order(name: &str, case: &str, got: &[Post], want: &[Post]) -> Result<(), String> {
    let senders: Vec<&String> = {
        let mut s: Vec<&String> = want.iter().map(|p| &p.from).collect();
        s.sort();
        s.dedup();
        s
    };
    for from in senders {
        let sent: Vec<&String> = want.iter().filter(|p| &p.from == from).map(|p| &p.text).collect();
        let arrived: Vec<&String> = got.iter().filter(|p| &p.from == from).map(|p| &p.text).collect();
        if let Some(i) = sent.iter().zip(&arrived).position(|(s, a)| s != a) {
            return Err(format!(
                "{name} {case}: {from}'s post number {i} is {:?}, but {from} sent {:?} there: \
                 one sender's posts must keep their order",
                arrived[i], sent[i]
            ));
        }
        if sent.len() != arrived.len() {
            return Err(format!(
                "{name} {case}: {from} sent {} posts, and {} arrived",
                sent.len(),
                arrived.len()
            ));
        }
    }
    Ok(())
}

/// `Ok` if `got` is exactly `want`, post for post: the order in which the posts arrived, across
/// senders too. (Run after [`same_posts`] and [`each_senders_order`], which say more about a
/// transcript that is wrong in those ways.)
fn arrival_order(name: &str, case: &str, got: &[Post], want: &[Post]) -> Result<(), String> {
    match got.iter().zip(want).position(|(g, w)| g != w) {
        None if got.len() == want.len() => Ok(()),
        None => Err(format!("{name} {case} returned {} posts instead of {}", got.len(), want.len())),
        Some(i) => Err(format!(
            "{name} {case}: post number {i} of the transcript is {:?}, but {:?} arrived there: the \
             transcript must keep the order in which the posts arrived, across senders too, \
             neither sorted nor grouped by sender",
            got[i], want[i]
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks of `chat`

/// Runs `chat` with the five clients, and returns what it returned and what they sent.
fn chat_with_five<C: Candidate>(imp: C, secs: u64) -> Result<(Vec<Post>, Vec<Post>), String> {
    let want: Vec<Post> = five_clients().into_iter().flat_map(|(n, k)| posts_of(n, k)).collect();
    let clients: Vec<Client> = five_clients().into_iter().map(|(n, k)| client(posts_of(n, k))).collect();
    let got = with_timeout(secs, move || imp.chat(clients))
        .map_err(|e| format!("{} chat with five clients {e}", C::NAME))?;
    Ok((got, want))
}

/// Every post of every client is in the transcript exactly once: nothing lost, nothing doubled.
fn check_every_post_once<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let (got, want) = chat_with_five(imp, secs)?;
    same_posts(C::NAME, "chat with five clients", &got, &want)
}

/// Each client's posts are in the transcript in the order that client sent them.
fn check_each_clients_order<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let (got, want) = chat_with_five(imp, secs)?;
    each_senders_order(C::NAME, "chat with five clients", &got, &want)
}

/// The clients run at the same time, each on its own thread: three clients each wait at a
/// `Barrier::new(3)` before they post, and the barrier opens only when all three wait at once.
fn check_clients_run_at_once<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let meeting = Arc::new(Barrier::new(3));
    let clients: Vec<Client> = ["ann", "ben", "cat"]
        .into_iter()
        .map(|name| {
            let meeting = Arc::clone(&meeting);
            Box::new(move |tx: Sender<Post>| {
                meeting.wait();
                tx.send(post(name, "we all made it")).expect("the room is open");
            }) as Client
        })
        .collect();
    let got = with_timeout(secs, move || imp.chat(clients)).map_err(|e| {
        if e.starts_with("timed out") {
            format!(
                "{} did not run the clients at the same time ({e}): each of three clients waits \
                 at a Barrier::new(3), which opens only when all three wait at once, so each \
                 client must run on a thread of its own, all three started before any is joined",
                C::NAME
            )
        } else {
            format!("{} chat with three clients that meet first {e}", C::NAME)
        }
    })?;
    let want: Vec<Post> = ["ann", "ben", "cat"].iter().map(|n| post(n, "we all made it")).collect();
    same_posts(C::NAME, "chat with three clients that meet first", &got, &want)
}

/// A post that repeats an earlier one, word for word and from the same client, is a post of its
/// own: client ann posts "+1" three times and then "agreed", client ben posts "+1" twice, and all
/// six posts must be in the transcript.
fn check_repeated_posts_are_kept<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "chat, where ann posts \"+1\" three times and then \"agreed\", and ben posts \"+1\" twice";
    let ann = vec![post("ann", "+1"), post("ann", "+1"), post("ann", "+1"), post("ann", "agreed")];
    let ben = vec![post("ben", "+1"), post("ben", "+1")];
    let want: Vec<Post> = ann.iter().chain(&ben).cloned().collect();
    let clients = vec![client(ann), client(ben)];
    let got = with_timeout(secs, move || imp.chat(clients)).map_err(|e| format!("{} {case} {e}", C::NAME))?;
    same_posts(C::NAME, case, &got, &want).map_err(|e| {
        format!("{e}; a post that says what an earlier one said is a post of its own, and the room keeps it")
    })?;
    each_senders_order(C::NAME, case, &got, &want)
}

/// The transcript keeps the order in which the posts arrived, across clients too, where that
/// order is known: clients zed and amy take turns, each posting only once the other has sent its
/// post and handed over the turn (over a channel of their own), so the posts reach the room one
/// after the other, zed's "turn 0", amy's "turn 1", zed's "turn 2"… A send that has returned
/// before the next one starts is ahead of it in the channel's queue, so that is the order in
/// which the server receives them, whatever the scheduler does.
fn check_chat_keeps_the_arrival_order<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    const TURNS: usize = 6;
    let case = "chat, where clients zed and amy take turns, each posting once the other has posted";
    let (to_amy, amys_turn) = mpsc::channel::<()>();
    let (to_zed, zeds_turn) = mpsc::channel::<()>();
    // Each client gives up (returns) if the other one is gone, so that a wrong answer cannot
    // leave one waiting forever for a turn that never comes.
    let zed: Client = Box::new(move |tx: Sender<Post>| {
        for turn in (0..TURNS).step_by(2) {
            if turn > 0 && zeds_turn.recv().is_err() {
                return;
            }
            tx.send(post("zed", &format!("turn {turn}"))).expect("the room is open");
            if to_amy.send(()).is_err() {
                return;
            }
        }
    });
    let amy: Client = Box::new(move |tx: Sender<Post>| {
        for turn in (1..TURNS).step_by(2) {
            if amys_turn.recv().is_err() {
                return;
            }
            tx.send(post("amy", &format!("turn {turn}"))).expect("the room is open");
            let _ = to_zed.send(());
        }
    });
    let want: Vec<Post> = (0..TURNS)
        .map(|turn| post(if turn % 2 == 0 { "zed" } else { "amy" }, &format!("turn {turn}")))
        .collect();
    let got = with_timeout(secs, move || imp.chat(vec![zed, amy])).map_err(|e| {
        if e.starts_with("timed out") {
            format!(
                "{} {case} {e}: the two clients wait for each other, so they must run at the same time",
                C::NAME
            )
        } else {
            format!("{} {case} {e}", C::NAME)
        }
    })?;
    same_posts(C::NAME, case, &got, &want)?;
    each_senders_order(C::NAME, case, &got, &want)?;
    arrival_order(C::NAME, case, &got, &want)
}

/// What the thread that outlives its client saw.
#[derive(Debug, PartialEq)]
enum Phone {
    /// `chat` ended (returned or panicked) while this thread still held its `Sender`.
    SawChatEnd,
    /// It posted after its hold, and the post was accepted.
    PostedLate,
    /// It posted after its hold, and the room had already closed (the post came back).
    PostRefused,
}

/// Client "alice" of the checks with a phone: she posts "hello from my laptop", gives a clone of
/// her `Sender` to a thread of her own (her phone), and returns at once. The phone holds its
/// `Sender`, idle, until `ended` tells it that `chat` has ended (a message, or the channel's
/// disconnection when the job that ran `chat` unwound) or `hold` has passed, whichever comes
/// first; then, unless `chat` had ended, it posts "still here from my phone" and drops its
/// `Sender`, and it reports what it saw on `report`.
///
/// A correct `chat` cannot end while the phone holds its `Sender`, so the phone always waits out
/// the hold, and only its post and drop let the room close. A wrong one that ends early is seen
/// the moment it ends.
fn alice_with_a_phone(ended: Receiver<()>, hold: Duration, report: Sender<Phone>) -> Client {
    Box::new(move |tx: Sender<Post>| {
        tx.send(post("alice", "hello from my laptop")).expect("the room is open");
        let phone = tx.clone();
        thread::spawn(move || {
            let seen = match ended.recv_timeout(hold) {
                Ok(()) | Err(RecvTimeoutError::Disconnected) => Phone::SawChatEnd,
                // The hold is over, and chat has not ended: post, then drop the last Sender.
                Err(RecvTimeoutError::Timeout) => {
                    match phone.send(post("alice", "still here from my phone")) {
                        Ok(()) => Phone::PostedLate,
                        Err(_) => Phone::PostRefused,
                    }
                }
            };
            drop(phone);
            let _ = report.send(seen);
        });
    })
}

/// The room closes when the last `Sender` is dropped, not when the clients have returned.
///
/// Client alice hands a clone of her `Sender` to her phone and returns ([`alice_with_a_phone`]);
/// the phone holds it until `chat` returns or `secs` have passed, then posts and lets go. The
/// transcript must contain the late post, and `chat` must not have returned before the phone
/// let go. The verdict on a correct answer does not depend on timing; a wrong answer that closes
/// the room once its clients have returned (or after a count, when the channel is empty, or after
/// a silence shorter than the hold) returns during the hold, and the phone sees it.
fn check_room_closes_with_the_last_sender<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "chat, where client alice hands a clone of her Sender to a thread of her own \
                (her phone) and returns, and the phone posts later";
    let (returned_tx, returned_rx) = mpsc::channel::<()>();
    let (phone_tx, phone_rx) = mpsc::channel::<Phone>();
    let alice = alice_with_a_phone(returned_rx, Duration::from_secs(secs), phone_tx);
    let clients = vec![alice, client(posts_of("bob", 3))];
    let got = with_timeout(secs + TIMEOUT_SECS, move || {
        let transcript = imp.chat(clients);
        // Tell the phone, if it is still waiting, that chat has returned.
        let _ = returned_tx.send(());
        transcript
    })
    .map_err(|e| format!("{} {case}: {e}", C::NAME))?;
    let seen = phone_rx
        .recv_timeout(Duration::from_secs(TIMEOUT_SECS))
        .map_err(|_| format!("{} {case}: the phone thread never reported", C::NAME))?;
    match seen {
        Phone::PostedLate => {}
        Phone::SawChatEnd => {
            return Err(format!(
                "{} {case}: chat returned while the phone still held a Sender, so its later post \
                 could never arrive; the room is over only when every Sender has been dropped, \
                 wherever it went, and not when the clients have returned or the room has been \
                 quiet for a while",
                C::NAME
            ));
        }
        Phone::PostRefused => {
            return Err(format!(
                "{} {case}: the room closed (its Receiver was dropped) while the phone still held \
                 a Sender, and the phone's post came back with a SendError",
                C::NAME
            ));
        }
    }
    let mut want = vec![post("alice", "hello from my laptop"), post("alice", "still here from my phone")];
    want.extend(posts_of("bob", 3));
    same_posts(C::NAME, case, &got, &want)?;
    each_senders_order(C::NAME, case, &got, &want)
}

/// A client that panics makes `chat` panic, instead of hanging or returning as if nothing had
/// happened; and it is the client's panic, after the clients have run, not a panic of `chat`'s
/// own before it started them (such as the `todo!()` of the starting point).
fn check_a_client_panics<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "chat, where client bob posts once and then panics";
    let finished = Arc::new(AtomicUsize::new(0));
    let bob_ran = Arc::new(AtomicBool::new(false));
    let bob: Client = {
        let bob_ran = Arc::clone(&bob_ran);
        Box::new(move |tx: Sender<Post>| {
            bob_ran.store(true, Ordering::SeqCst);
            tx.send(post("bob", "hi")).expect("the room is open");
            panic!("bob's client crashed");
        })
    };
    let counted = |name: &'static str| -> Client {
        let finished = Arc::clone(&finished);
        let mine = client(posts_of(name, 5));
        Box::new(move |tx: Sender<Post>| {
            mine(tx);
            finished.fetch_add(1, Ordering::SeqCst);
        })
    };
    let clients = vec![counted("alice"), bob, counted("carol")];
    match with_timeout(secs, move || imp.chat(clients)) {
        Err(e) if e.starts_with("panicked") => {
            let others = finished.load(Ordering::SeqCst);
            if !bob_ran.load(Ordering::SeqCst) || others < 2 {
                return Err(format!(
                    "{} {case} {e}, but not because of bob: when it panicked, bob's client had \
                     {}run, and {others} of the other two clients had finished",
                    C::NAME,
                    if bob_ran.load(Ordering::SeqCst) { "" } else { "not " }
                ));
            }
            Ok(())
        }
        Err(e) => Err(format!(
            "{} {case} {e}: when a client panics, its Sender is dropped as its thread unwinds, \
             so the room can still close; chat should then panic too",
            C::NAME
        )),
        Ok(got) => Err(format!(
            "{} {case} returned {} posts as if nothing had happened; it should panic, as the \
             client did",
            C::NAME,
            got.len()
        )),
    }
}

/// A client's panic is passed on only after the room has closed: `chat` must not panic while a
/// `Sender` is still alive, and its server still receiving.
///
/// Client bob posts once and panics; client alice hands a clone of her `Sender` to her phone and
/// returns ([`alice_with_a_phone`]), and the phone holds it until `chat` has ended or `secs` have
/// passed. The check runs `chat` under `catch_unwind`, inside the watchdog's job, and tells the
/// phone the moment `chat` has ended, returned or panicked. A correct `chat` waits for its server,
/// which waits for the phone, so the phone always posts and lets go first; one that passes bob's
/// panic on as soon as it has joined bob (with `join().unwrap()`, say), or before it has joined
/// its server, panics while the phone holds its `Sender`, and the phone sees it.
fn check_chat_panics_after_the_room_closes<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "chat, where client bob posts once and panics, and client alice hands a clone of \
                her Sender to a thread of her own (her phone), which posts later";
    let (ended_tx, ended_rx) = mpsc::channel::<()>();
    let (phone_tx, phone_rx) = mpsc::channel::<Phone>();
    let alice = alice_with_a_phone(ended_rx, Duration::from_secs(secs), phone_tx);
    let bob: Client = Box::new(move |tx: Sender<Post>| {
        tx.send(post("bob", "hi")).expect("the room is open");
        panic!("bob's client crashed");
    });
    let clients = vec![alice, bob];
    let outcome = with_timeout(secs + TIMEOUT_SECS, move || {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| imp.chat(clients)));
        // Tell the phone, if it is still waiting, that chat has ended.
        let _ = ended_tx.send(());
        outcome.map_err(|payload| panic_text(&*payload))
    })
    .map_err(|e| format!("{} {case} {e}", C::NAME))?;
    let message = match outcome {
        Err(message) => message,
        Ok(got) => {
            return Err(format!(
                "{} {case} returned {} posts as if nothing had happened; it should panic, as bob's \
                 client did, once the room has closed",
                C::NAME,
                got.len()
            ));
        }
    };
    let seen = phone_rx.recv_timeout(Duration::from_secs(TIMEOUT_SECS)).map_err(|e| match e {
        // The phone's report channel is gone without a report: alice's client never ran.
        RecvTimeoutError::Disconnected => format!(
            "{} {case} panicked before alice's client had run (\"{message}\"): it must run every \
             client, and pass a client's panic on only after the room has closed",
            C::NAME
        ),
        RecvTimeoutError::Timeout => format!("{} {case}: the phone thread never reported", C::NAME),
    })?;
    match seen {
        Phone::PostedLate => Ok(()),
        Phone::SawChatEnd => Err(format!(
            "{} {case} panicked (\"{message}\") while alice's phone still held a Sender: the room \
             had not closed, and its server was still receiving; chat must wait for its server, \
             which returns once the last Sender is gone, and pass the client's panic on after that",
            C::NAME
        )),
        Phone::PostRefused => Err(format!(
            "{} {case}: the room closed (its Receiver was dropped) while alice's phone still held \
             a Sender, and the phone's post came back with a SendError",
            C::NAME
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks of `run_room`, with the test holding the Senders

/// Posts that were sent before `run_room` is called, by Senders that are all gone by then, are
/// all returned, in order.
fn check_run_room_drains_a_closed_channel<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "run_room on a channel holding 100 posts, whose Senders have all been dropped";
    let (tx, rx) = mpsc::channel();
    let want = posts_of("zoe", 100);
    for p in &want {
        tx.send(p.clone()).unwrap();
    }
    drop(tx);
    let got = with_timeout(secs, move || imp.run_room(rx)).map_err(|e| format!("{} {case} {e}", C::NAME))?;
    if got != want {
        same_posts(C::NAME, case, &got, &want)?;
        each_senders_order(C::NAME, case, &got, &want)?;
    }
    Ok(())
}

/// Three threads post 200 posts each through their own Senders while `run_room` receives: all
/// arrive, each thread's in order, and `run_room` returns once the three have dropped theirs.
fn check_run_room_with_three_senders<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "run_room while three threads post 200 posts each";
    let (tx, rx) = mpsc::channel();
    let names = ["xavier", "yara", "zeno"];
    let want: Vec<Post> = names.iter().flat_map(|n| posts_of(n, 200)).collect();
    let posters: Vec<_> = names
        .iter()
        .map(|n| {
            let tx = tx.clone();
            let mine = posts_of(n, 200);
            thread::spawn(move || {
                for p in mine {
                    let _ = tx.send(p);
                }
            })
        })
        .collect();
    drop(tx);
    let got = with_timeout(secs, move || imp.run_room(rx)).map_err(|e| format!("{} {case} {e}", C::NAME))?;
    for p in posters {
        let _ = p.join();
    }
    same_posts(C::NAME, case, &got, &want)?;
    each_senders_order(C::NAME, case, &got, &want)
}

/// `run_room` returns the posts in the order they arrived, across senders too: the test sends
/// posts through two `Sender`s of one channel, zed's and amy's, from one thread and so in a known
/// order (zed's first), and drops both; `run_room` must return exactly that sequence.
fn check_run_room_keeps_the_arrival_order<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "run_room on posts sent through two Senders, zed's and amy's, in a known order";
    let (zed, rx) = mpsc::channel();
    let amy = zed.clone();
    let mut want = Vec::new();
    for (i, from) in ["zed", "amy", "amy", "zed", "amy", "zed", "zed", "amy"].into_iter().enumerate() {
        let p = post(from, &format!("message {i}"));
        let tx = if from == "zed" { &zed } else { &amy };
        tx.send(p.clone()).unwrap();
        want.push(p);
    }
    drop((zed, amy));
    let got = with_timeout(secs, move || imp.run_room(rx)).map_err(|e| format!("{} {case} {e}", C::NAME))?;
    same_posts(C::NAME, case, &got, &want)?;
    each_senders_order(C::NAME, case, &got, &want)?;
    arrival_order(C::NAME, case, &got, &want)
}

/// `run_room` does not return while a `Sender` is alive, even when the channel stays empty:
/// the check sends one post, then starts `run_room` and keeps its `Sender` idle until `run_room`
/// returns or `secs` have passed; then it sends a second post and drops the `Sender`. A correct
/// `run_room` cannot return during the hold, whatever the timing, so it waits out the hold; one
/// that stops when the channel is empty, or after a silence shorter than the hold, returns during
/// it, and the check sees it the moment it returns. The first post is in the channel before
/// `run_room` starts, so that such an answer always returns with that one post.
fn check_run_room_waits_for_the_last_sender<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = "run_room, while the test holds a Sender that posts, waits a while, and posts again";
    let (tx, rx) = mpsc::channel();
    tx.send(post("test", "first")).unwrap();
    let (done_tx, done_rx) = mpsc::channel();
    let server = thread::spawn(move || {
        let _ = done_tx.send(imp.run_room(rx));
    });
    match done_rx.recv_timeout(Duration::from_secs(secs)) {
        Err(RecvTimeoutError::Timeout) => {}
        Ok(got) => {
            return Err(format!(
                "{} {case}: run_room returned {} posts while a Sender was still alive; it must \
                 keep receiving until every Sender has been dropped",
                C::NAME,
                got.len()
            ));
        }
        Err(RecvTimeoutError::Disconnected) => {
            let e = server.join().err().map(|p| panic_text(&*p)).unwrap_or_default();
            return Err(format!("{} {case} panicked: {e}", C::NAME));
        }
    }
    let second_sent = tx.send(post("test", "second")).is_ok();
    drop(tx);
    let got = match done_rx.recv_timeout(Duration::from_secs(TIMEOUT_SECS)) {
        Ok(got) => got,
        Err(RecvTimeoutError::Timeout) => {
            return Err(format!(
                "{} {case}: run_room did not return within {TIMEOUT_SECS} s after the last Sender \
                 was dropped",
                C::NAME
            ));
        }
        Err(RecvTimeoutError::Disconnected) => {
            let e = server.join().err().map(|p| panic_text(&*p)).unwrap_or_default();
            return Err(format!("{} {case} panicked: {e}", C::NAME));
        }
    };
    let _ = server.join();
    if !second_sent {
        return Err(format!("{} {case}: run_room dropped its Receiver before the last Sender was gone", C::NAME));
    }
    let want = vec![post("test", "first"), post("test", "second")];
    same_posts(C::NAME, case, &got, &want)?;
    each_senders_order(C::NAME, case, &got, &want)
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on the submitted functions

#[test]
fn every_post_arrives_exactly_once() {
    pass(check_every_post_once(Submitted, TIMEOUT_SECS));
}

#[test]
fn each_clients_posts_keep_their_order() {
    pass(check_each_clients_order(Submitted, TIMEOUT_SECS));
}

#[test]
fn a_post_that_repeats_an_earlier_one_is_kept() {
    pass(check_repeated_posts_are_kept(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_transcript_keeps_the_arrival_order() {
    pass(check_chat_keeps_the_arrival_order(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_clients_run_at_the_same_time() {
    pass(check_clients_run_at_once(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_room_closes_when_the_last_sender_is_dropped() {
    pass(check_room_closes_with_the_last_sender(Submitted, HOLD_SECS));
}

#[test]
fn a_client_that_panics_makes_chat_panic() {
    pass(check_a_client_panics(Submitted, TIMEOUT_SECS));
}

#[test]
fn chat_panics_only_after_the_room_has_closed() {
    pass(check_chat_panics_after_the_room_closes(Submitted, HOLD_SECS));
}

#[test]
fn run_room_returns_the_posts_of_a_closed_channel() {
    pass(check_run_room_drains_a_closed_channel(Submitted, TIMEOUT_SECS));
}

#[test]
fn run_room_receives_from_three_senders() {
    pass(check_run_room_with_three_senders(Submitted, TIMEOUT_SECS));
}

#[test]
fn run_room_keeps_the_arrival_order() {
    pass(check_run_room_keeps_the_arrival_order(Submitted, TIMEOUT_SECS));
}

#[test]
fn run_room_waits_for_the_last_sender() {
    pass(check_run_room_waits_for_the_last_sender(Submitted, HOLD_SECS));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong answers

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;
    use std::panic;

    /// The seconds a self-test waits before it concludes that a wrong answer is stuck. A correct
    /// answer gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make these
    /// self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 1;

    /// The hold of a check that keeps a `Sender` idle (the phone's, or the test's own in the
    /// check that `run_room` waits), when a self-test expects the answer to pass it: an answer
    /// that waits for the last `Sender` passes whatever the hold, so a short one only makes the
    /// self-test quicker. To be rejected, an answer gets the whole `TIMEOUT_SECS`.
    const SHORT_HOLD_SECS: u64 = 1;

    /// The reference's `chat`, with the server `run_room` passed in and, if `drop_tx` is false,
    /// without the `drop(tx)`.
    fn chat_with(run_room: fn(Receiver<Post>) -> Vec<Post>, drop_tx: bool, clients: Vec<Client>) -> Vec<Post> {
        let (tx, rx) = mpsc::channel();
        let server = thread::spawn(move || run_room(rx));
        let handles: Vec<_> = clients
            .into_iter()
            .map(|client| {
                let tx = tx.clone();
                thread::spawn(move || client(tx))
            })
            .collect();
        if drop_tx {
            drop(tx);
        }
        let mut first_panic = None;
        for handle in handles {
            if let Err(payload) = handle.join() {
                first_panic.get_or_insert(payload);
            }
        }
        let transcript = server.join().unwrap();
        if let Some(payload) = first_panic {
            panic::resume_unwind(payload);
        }
        transcript
    }

    fn iter_room(posts: Receiver<Post>) -> Vec<Post> {
        posts.iter().collect()
    }

    /// Right in every way but one: it never drops its own `Sender`, so the room never closes.
    #[derive(Clone, Copy)]
    struct ForgetsDropTx;

    impl Candidate for ForgetsDropTx {
        const NAME: &'static str = "a chat that forgets drop(tx)";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(iter_room, false, clients)
        }
    }

    /// Loses the last post that arrives.
    #[derive(Clone, Copy)]
    struct LosesTheLastPost;

    fn room_losing_the_last(posts: Receiver<Post>) -> Vec<Post> {
        let mut all: Vec<Post> = posts.iter().collect();
        all.pop();
        all
    }

    impl Candidate for LosesTheLastPost {
        const NAME: &'static str = "a room that loses the last post";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_losing_the_last(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_losing_the_last, true, clients)
        }
    }

    /// Records the first post twice.
    #[derive(Clone, Copy)]
    struct DoublesTheFirstPost;

    fn room_doubling_the_first(posts: Receiver<Post>) -> Vec<Post> {
        let mut all: Vec<Post> = posts.iter().collect();
        if let Some(first) = all.first().cloned() {
            all.insert(0, first);
        }
        all
    }

    impl Candidate for DoublesTheFirstPost {
        const NAME: &'static str = "a room that records the first post twice";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_doubling_the_first(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_doubling_the_first, true, clients)
        }
    }

    /// Sorts the transcript (by sender, then text): every post is there once, but "post 10"
    /// now comes before "post 2".
    #[derive(Clone, Copy)]
    struct SortsTheTranscript;

    fn room_sorting(posts: Receiver<Post>) -> Vec<Post> {
        let mut all: Vec<Post> = posts.iter().collect();
        all.sort();
        all
    }

    impl Candidate for SortsTheTranscript {
        const NAME: &'static str = "a room that sorts its transcript";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_sorting(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_sorting, true, clients)
        }
    }

    /// Stops after a count instead of on disconnection: each client's thread sends a goodbye
    /// (a post from nobody) when its client returns, and the server stops at the
    /// `clients.len()`-th goodbye. It needs no `drop(tx)`, and it is right as long as every
    /// `Sender` is gone by the time its client returns, and no client panics.
    #[derive(Clone, Copy)]
    struct CountsGoodbyes;

    impl Candidate for CountsGoodbyes {
        const NAME: &'static str = "a chat that stops after one goodbye per client";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel::<Post>();
            let expected = clients.len();
            let server = thread::spawn(move || {
                let mut transcript = Vec::new();
                let mut goodbyes = 0;
                while goodbyes < expected {
                    let p = rx.recv().unwrap();
                    if p.from.is_empty() {
                        goodbyes += 1;
                    } else {
                        transcript.push(p);
                    }
                }
                transcript
            });
            let handles: Vec<_> = clients
                .into_iter()
                .map(|client| {
                    let tx = tx.clone();
                    thread::spawn(move || {
                        client(tx.clone());
                        let _ = tx.send(post("", "goodbye"));
                    })
                })
                .collect();
            for h in handles {
                let _ = h.join();
            }
            server.join().unwrap()
        }
    }

    /// Joins every client, then takes what is in the channel (`try_iter`) and returns: the
    /// clients are done, so the room must be too. Right whenever no `Sender` outlives its
    /// client.
    #[derive(Clone, Copy)]
    struct StopsWhenTheClientsReturn;

    fn room_until_empty(posts: Receiver<Post>) -> Vec<Post> {
        posts.try_iter().collect()
    }

    impl Candidate for StopsWhenTheClientsReturn {
        const NAME: &'static str = "a chat that closes the room when its clients have returned";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_until_empty(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel();
            let handles: Vec<_> = clients
                .into_iter()
                .map(|client| {
                    let tx = tx.clone();
                    thread::spawn(move || client(tx))
                })
                .collect();
            let mut first_panic = None;
            for h in handles {
                if let Err(p) = h.join() {
                    first_panic.get_or_insert(p);
                }
            }
            let transcript = thread::spawn(move || room_until_empty(rx)).join().unwrap();
            if let Some(p) = first_panic {
                panic::resume_unwind(p);
            }
            transcript
        }
    }

    /// A server that stops after 100 ms without a post (`recv_timeout`).
    #[derive(Clone, Copy)]
    struct StopsAfterASilence;

    fn room_until_silence(posts: Receiver<Post>, silence: Duration) -> Vec<Post> {
        let mut all = Vec::new();
        while let Ok(p) = posts.recv_timeout(silence) {
            all.push(p);
        }
        all
    }

    fn room_until_100_ms_of_silence(posts: Receiver<Post>) -> Vec<Post> {
        room_until_silence(posts, Duration::from_millis(100))
    }

    impl Candidate for StopsAfterASilence {
        const NAME: &'static str = "a room that closes after 100 ms without a post";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_until_100_ms_of_silence(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_until_100_ms_of_silence, true, clients)
        }
    }

    /// The same with a longer silence, 1.5 s: longer than any fixed pause of a second, and
    /// still caught, because the checks hold their idle `Sender` until the answer returns or the
    /// watchdog's limit has passed.
    #[derive(Clone, Copy)]
    struct StopsAfterALongSilence;

    fn room_until_1500_ms_of_silence(posts: Receiver<Post>) -> Vec<Post> {
        room_until_silence(posts, Duration::from_millis(1500))
    }

    impl Candidate for StopsAfterALongSilence {
        const NAME: &'static str = "a room that closes after 1.5 s without a post";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_until_1500_ms_of_silence(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_until_1500_ms_of_silence, true, clients)
        }
    }

    /// Keeps a post only if no earlier post was the same (same author, same text), as if a
    /// repeated post were a duplicate delivery.
    #[derive(Clone, Copy)]
    struct DropsRepeatedPosts;

    fn room_dropping_repeats(posts: Receiver<Post>) -> Vec<Post> {
        let mut seen = std::collections::BTreeSet::new();
        posts.iter().filter(|p| seen.insert(p.clone())).collect()
    }

    impl Candidate for DropsRepeatedPosts {
        const NAME: &'static str = "a room that drops a post repeating an earlier one";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_dropping_repeats(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_dropping_repeats, true, clients)
        }
    }

    /// Groups the transcript by author (a stable sort on `from`): each author's posts keep
    /// their order, but they no longer come in the order they arrived.
    #[derive(Clone, Copy)]
    struct GroupsByAuthor;

    fn room_grouping_by_author(posts: Receiver<Post>) -> Vec<Post> {
        let mut all: Vec<Post> = posts.iter().collect();
        all.sort_by(|a, b| a.from.cmp(&b.from));
        all
    }

    impl Candidate for GroupsByAuthor {
        const NAME: &'static str = "a room that groups its transcript by author";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            room_grouping_by_author(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            chat_with(room_grouping_by_author, true, clients)
        }
    }

    /// Calls each client on the calling thread, one after the other (the channel is unbounded,
    /// so this works as long as no client waits for another).
    #[derive(Clone, Copy)]
    struct RunsClientsInTurn;

    impl Candidate for RunsClientsInTurn {
        const NAME: &'static str = "a chat that runs its clients one after the other";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel();
            for client in clients {
                client(tx.clone());
            }
            drop(tx);
            iter_room(rx)
        }
    }

    /// Ignores the result of `join`, so a client's panic goes unnoticed.
    #[derive(Clone, Copy)]
    struct IgnoresPanics;

    impl Candidate for IgnoresPanics {
        const NAME: &'static str = "a chat that ignores its clients' panics";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel();
            let server = thread::spawn(move || iter_room(rx));
            let handles: Vec<_> = clients
                .into_iter()
                .map(|client| {
                    let tx = tx.clone();
                    thread::spawn(move || client(tx))
                })
                .collect();
            drop(tx);
            for h in handles {
                let _ = h.join();
            }
            server.join().unwrap()
        }
    }

    /// Unwraps what each `join` returns: a client's panic becomes chat's as soon as chat joins
    /// that client, while the room may still be open and its server still receiving.
    #[derive(Clone, Copy)]
    struct UnwrapsEachJoin;

    impl Candidate for UnwrapsEachJoin {
        const NAME: &'static str = "a chat that unwraps each join";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel();
            let server = thread::spawn(move || iter_room(rx));
            let handles: Vec<_> = clients
                .into_iter()
                .map(|client| {
                    let tx = tx.clone();
                    thread::spawn(move || client(tx))
                })
                .collect();
            drop(tx);
            for h in handles {
                h.join().unwrap();
            }
            server.join().unwrap()
        }
    }

    /// Joins every client, and passes the first panic on before it joins its server: after the
    /// clients have returned, but not after the room has closed.
    #[derive(Clone, Copy)]
    struct PanicsBeforeJoiningTheServer;

    impl Candidate for PanicsBeforeJoiningTheServer {
        const NAME: &'static str = "a chat that passes a panic on before it joins its server";
        fn run_room(self, posts: Receiver<Post>) -> Vec<Post> {
            iter_room(posts)
        }
        fn chat(self, clients: Vec<Client>) -> Vec<Post> {
            let (tx, rx) = mpsc::channel();
            let server = thread::spawn(move || iter_room(rx));
            let handles: Vec<_> = clients
                .into_iter()
                .map(|client| {
                    let tx = tx.clone();
                    thread::spawn(move || client(tx))
                })
                .collect();
            drop(tx);
            let mut first_panic = None;
            for h in handles {
                if let Err(p) = h.join() {
                    first_panic.get_or_insert(p);
                }
            }
            if let Some(p) = first_panic {
                panic::resume_unwind(p);
            }
            server.join().unwrap()
        }
    }

    /// Asserts that a check rejected an answer, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("answer", verdict, needle);
    }

    #[test]
    fn forgetting_drop_tx_hangs_and_the_watchdog_catches_it() {
        rejected(
            check_every_post_once(ForgetsDropTx, STUCK_AFTER_SECS),
            "a chat that forgets drop(tx) chat with five clients timed out after 1 s",
        );
        rejected(check_each_clients_order(ForgetsDropTx, STUCK_AFTER_SECS), "timed out after 1 s");
        // Its server is right: only chat is wrong.
        pass(check_run_room_waits_for_the_last_sender(ForgetsDropTx, SHORT_HOLD_SECS));
    }

    #[test]
    fn losing_a_post_fails_the_count() {
        rejected(
            check_every_post_once(LosesTheLastPost, TIMEOUT_SECS),
            "returned 407 posts instead of 408",
        );
        rejected(
            check_run_room_drains_a_closed_channel(LosesTheLastPost, TIMEOUT_SECS),
            "Post { from: \"zoe\", text: \"post 99\" } is missing",
        );
    }

    #[test]
    fn doubling_a_post_fails_the_count() {
        rejected(
            check_every_post_once(DoublesTheFirstPost, TIMEOUT_SECS),
            "is there once too often",
        );
        rejected(
            check_run_room_with_three_senders(DoublesTheFirstPost, TIMEOUT_SECS),
            "returned 601 posts instead of 600",
        );
    }

    #[test]
    fn sorting_the_transcript_fails_the_order_and_only_it() {
        rejected(
            check_each_clients_order(SortsTheTranscript, TIMEOUT_SECS),
            "one sender's posts must keep their order",
        );
        rejected(
            check_run_room_drains_a_closed_channel(SortsTheTranscript, TIMEOUT_SECS),
            "zoe's post number 2 is \"post 10\", but zoe sent \"post 2\" there",
        );
        // Every post is there exactly once.
        pass(check_every_post_once(SortsTheTranscript, TIMEOUT_SECS));
    }

    #[test]
    fn counting_goodbyes_fails_the_last_sender_check_and_hangs_on_a_panic() {
        rejected(
            check_room_closes_with_the_last_sender(CountsGoodbyes, HOLD_SECS),
            "chat returned while the phone still held a Sender",
        );
        // The panicking client never says goodbye, so the server waits for it forever.
        rejected(check_a_client_panics(CountsGoodbyes, STUCK_AFTER_SECS), "timed out after 1 s");
        // With clients whose Senders end with them, it is right.
        pass(check_every_post_once(CountsGoodbyes, TIMEOUT_SECS));
        pass(check_each_clients_order(CountsGoodbyes, TIMEOUT_SECS));
        pass(check_clients_run_at_once(CountsGoodbyes, TIMEOUT_SECS));
    }

    #[test]
    fn closing_when_the_clients_return_fails_the_last_sender_checks() {
        rejected(
            check_room_closes_with_the_last_sender(StopsWhenTheClientsReturn, HOLD_SECS),
            "chat returned while the phone still held a Sender",
        );
        rejected(
            check_run_room_waits_for_the_last_sender(StopsWhenTheClientsReturn, HOLD_SECS),
            "run_room returned 1 posts while a Sender was still alive",
        );
        // It passes a client's panic on once the clients have returned, while the phone still
        // holds a Sender.
        rejected(
            check_chat_panics_after_the_room_closes(StopsWhenTheClientsReturn, HOLD_SECS),
            "while alice's phone still held a Sender",
        );
        pass(check_every_post_once(StopsWhenTheClientsReturn, TIMEOUT_SECS));
        pass(check_each_clients_order(StopsWhenTheClientsReturn, TIMEOUT_SECS));
        pass(check_a_client_panics(StopsWhenTheClientsReturn, TIMEOUT_SECS));
    }

    #[test]
    fn closing_after_a_silence_fails_the_last_sender_checks() {
        rejected(
            check_run_room_waits_for_the_last_sender(StopsAfterASilence, HOLD_SECS),
            "run_room returned 1 posts while a Sender was still alive",
        );
        rejected(
            check_room_closes_with_the_last_sender(StopsAfterASilence, HOLD_SECS),
            "chat returned while the phone still held a Sender",
        );
    }

    #[test]
    fn running_the_clients_in_turn_fails_the_barrier_check() {
        rejected(
            check_clients_run_at_once(RunsClientsInTurn, STUCK_AFTER_SECS),
            "did not run the clients at the same time (timed out after 1 s)",
        );
        pass(check_every_post_once(RunsClientsInTurn, TIMEOUT_SECS));
    }

    #[test]
    fn ignoring_a_clients_panic_fails_the_panic_check() {
        rejected(
            check_a_client_panics(IgnoresPanics, TIMEOUT_SECS),
            "as if nothing had happened",
        );
    }

    #[test]
    fn closing_after_a_long_silence_fails_the_last_sender_checks() {
        rejected(
            check_run_room_waits_for_the_last_sender(StopsAfterALongSilence, HOLD_SECS),
            "run_room returned 1 posts while a Sender was still alive",
        );
        rejected(
            check_room_closes_with_the_last_sender(StopsAfterALongSilence, HOLD_SECS),
            "chat returned while the phone still held a Sender",
        );
        pass(check_every_post_once(StopsAfterALongSilence, TIMEOUT_SECS));
    }

    #[test]
    fn dropping_repeated_posts_fails_the_repeat_check() {
        rejected(
            check_repeated_posts_are_kept(DropsRepeatedPosts, TIMEOUT_SECS),
            "returned 3 posts instead of 6: Post { from: \"ann\", text: \"+1\" } is missing; a post \
             that says what an earlier one said is a post of its own",
        );
        // Posts that all differ come through.
        pass(check_every_post_once(DropsRepeatedPosts, TIMEOUT_SECS));
        pass(check_each_clients_order(DropsRepeatedPosts, TIMEOUT_SECS));
        pass(check_run_room_keeps_the_arrival_order(DropsRepeatedPosts, TIMEOUT_SECS));
    }

    #[test]
    fn grouping_by_author_fails_the_arrival_order_checks_and_only_them() {
        rejected(
            check_run_room_keeps_the_arrival_order(GroupsByAuthor, TIMEOUT_SECS),
            "post number 0 of the transcript is Post { from: \"amy\", text: \"message 1\" }, but \
             Post { from: \"zed\", text: \"message 0\" } arrived there",
        );
        rejected(
            check_chat_keeps_the_arrival_order(GroupsByAuthor, TIMEOUT_SECS),
            "neither sorted nor grouped by sender",
        );
        // Every post is there once, and each author's in order.
        pass(check_every_post_once(GroupsByAuthor, TIMEOUT_SECS));
        pass(check_each_clients_order(GroupsByAuthor, TIMEOUT_SECS));
        pass(check_run_room_with_three_senders(GroupsByAuthor, TIMEOUT_SECS));
    }

    #[test]
    fn unwrapping_each_join_panics_before_the_room_closes() {
        rejected(
            check_chat_panics_after_the_room_closes(UnwrapsEachJoin, HOLD_SECS),
            "while alice's phone still held a Sender",
        );
        // Without a panic it is right. (It also passes the check that a client's panic makes
        // chat panic whenever the other clients have finished by the time it joins bob, which
        // is nearly always.)
        pass(check_every_post_once(UnwrapsEachJoin, TIMEOUT_SECS));
        pass(check_room_closes_with_the_last_sender(UnwrapsEachJoin, SHORT_HOLD_SECS));
    }

    #[test]
    fn passing_a_panic_on_before_joining_the_server_fails_the_after_close_check() {
        rejected(
            check_chat_panics_after_the_room_closes(PanicsBeforeJoiningTheServer, HOLD_SECS),
            "while alice's phone still held a Sender",
        );
        // It panics, and after the clients have run: the check of a panicking client is not
        // enough.
        pass(check_a_client_panics(PanicsBeforeJoiningTheServer, TIMEOUT_SECS));
        pass(check_room_closes_with_the_last_sender(PanicsBeforeJoiningTheServer, SHORT_HOLD_SECS));
    }
}

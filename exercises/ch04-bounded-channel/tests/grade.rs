//! The hidden tests of the bounded-channel exercise.
//!
//! They grade `exercise_bounded_channel::{bounded, Sender, Receiver}`: the reference solution by
//! default, your `src/yours.rs` with `--no-default-features`
//! (`cargo grade exercise-bounded-channel`).
//!
//! Every check is a function that takes the implementation as a parameter and returns what is
//! wrong with it, if anything. The tests at the top run the checks on the submitted channel;
//! the self-tests at the bottom run the same checks on deliberately wrong channels and show that
//! each mistake is caught. Every check runs the channel under a watchdog, so an answer that
//! deadlocks fails with a message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{pass, with_progress_timeout, with_timeout};
use std::sync::mpsc::{self, RecvError, SendError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long a check waits for the implementation before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// How long a check gives a send that must be blocked to (wrongly) return, or a thread that is
/// about to wait to start waiting. A correct answer passes whatever happens during this pause:
/// it only gives a wrong answer the time to show its mistake.
const HOLD: Duration = Duration::from_millis(200);

/// The values the checks send: (producer, sequence number).
type Item = (usize, usize);

// ---------------------------------------------------------------------------------------------
// The implementation under test

/// A bounded channel, as the checks use it.
trait Candidate: Copy + Send + 'static {
    type Tx: Clone + Send + 'static;
    type Rx: Send + 'static;
    fn name(self) -> String;
    fn bounded(self, capacity: usize) -> (Self::Tx, Self::Rx);
    fn send(tx: &Self::Tx, value: Item) -> Result<(), SendError<Item>>;
    fn recv(rx: &Self::Rx) -> Result<Item, RecvError>;
}

/// The channel the crate exports: your answer, or the reference solution.
#[derive(Clone, Copy)]
struct Submitted;

impl Candidate for Submitted {
    type Tx = exercise_bounded_channel::Sender<Item>;
    type Rx = exercise_bounded_channel::Receiver<Item>;
    fn name(self) -> String {
        "your channel".to_string()
    }
    fn bounded(self, capacity: usize) -> (Self::Tx, Self::Rx) {
        exercise_bounded_channel::bounded(capacity)
    }
    fn send(tx: &Self::Tx, value: Item) -> Result<(), SendError<Item>> {
        tx.send(value)
    }
    fn recv(rx: &Self::Rx) -> Result<Item, RecvError> {
        rx.recv()
    }
}

// ---------------------------------------------------------------------------------------------
// Describing a send

/// A `Result` of `send`, described (std's `SendError` does not show its value in `Debug`).
fn sent(result: &Result<(), SendError<Item>>) -> String {
    match result {
        Ok(()) => "Ok(())".to_string(),
        Err(SendError(v)) => format!("Err(SendError({v:?}))"),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// FIFO: one producer sends 1000 values through a channel of capacity 4, and they arrive in
/// order; once the producer has dropped its `Sender`, `recv` returns `Err(RecvError)`.
fn check_fifo<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    let case = "with capacity 4, one producer sending 1000 values";
    let (got, last) = with_timeout(secs, move || {
        let (tx, rx) = imp.bounded(4);
        let producer = thread::spawn(move || {
            for i in 0..1000 {
                C::send(&tx, (0, i)).expect("the receiver is alive");
            }
        });
        let got: Vec<Item> = (0..1000).map(|_| C::recv(&rx).expect("a value is coming")).collect();
        producer.join().expect("the producer does not panic");
        (got, C::recv(&rx))
    })
    .map_err(|e| format!("{name} {case} {e}"))?;
    if let Some(i) = (0..1000).position(|i| got[i] != (0, i)) {
        return Err(format!(
            "{name} {case}: value {i} received is {:?}, but {:?} was sent there: values must \
             arrive in the order they were sent",
            got[i],
            (0, i)
        ));
    }
    if last != Err(RecvError) {
        return Err(format!(
            "{name} {case}: after the 1000 values and the producer's drop, recv returned {last:?} \
             instead of Err(RecvError)"
        ));
    }
    Ok(())
}

/// Up to `capacity` sends return without any `recv`: a channel of capacity c holds c values.
fn check_holds_capacity_values<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    for capacity in [1, 3, 8] {
        let case = format!("with capacity {capacity}, {capacity} sends and no recv yet");
        let got = with_timeout(secs, move || {
            let (tx, rx) = imp.bounded(capacity);
            for i in 0..capacity {
                C::send(&tx, (0, i)).expect("the receiver is alive");
            }
            drop(tx);
            let mut got = Vec::new();
            while let Ok(v) = C::recv(&rx) {
                got.push(v);
            }
            got
        })
        .map_err(|e| {
            if e.starts_with("timed out") {
                format!(
                    "{name} {case}: a send blocked ({e}) although fewer than {capacity} values \
                     were buffered: the channel must hold {capacity} values"
                )
            } else {
                format!("{name} {case} {e}")
            }
        })?;
        let want: Vec<Item> = (0..capacity).map(|i| (0, i)).collect();
        if got != want {
            return Err(format!("{name} {case}: received {got:?} instead of {want:?}"));
        }
    }
    Ok(())
}

/// One step of the log that the blocking check keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// The producer's send of this sequence number returned `Ok`.
    Sent(usize),
    /// The consumer is about to call `recv` for the first time.
    FirstRecv,
}

/// A send on a full channel blocks until a `recv` makes room, proved by the order of events,
/// not by their timing. A producer sends c + 1 values into a channel of capacity c, logging each
/// send that returns (under a `Mutex`) and reporting it on a progress channel. The check waits
/// until c sends have returned; the (c + 1)-th cannot return before some value is received, so
/// the check gives it `HOLD` to (wrongly) return, then logs `FirstRecv` and calls `recv`, after
/// which the (c + 1)-th send must return. In the log, `Sent(c)` must come after `FirstRecv`.
///
/// With a correct channel this holds in every run, whatever the timing: the (c + 1)-th value
/// does not fit until the first is taken. A channel with room for one value too many returns
/// from the (c + 1)-th send as soon as its producer runs; it is caught if that happens before
/// the check's first `recv`, which the hold makes all but certain.
fn check_full_send_blocks<C: Candidate>(imp: C, capacity: usize, secs: u64) -> Result<(), String> {
    let name = imp.name();
    let case = format!("with capacity {capacity}, one producer sending {} values", capacity + 1);
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let (tx, rx) = imp.bounded(capacity);
        let log = Arc::new(Mutex::new(Vec::new()));
        let (progress_tx, progress) = mpsc::channel();
        let producer = {
            let log = Arc::clone(&log);
            thread::spawn(move || {
                for i in 0..=capacity {
                    C::send(&tx, (0, i)).expect("the receiver is alive");
                    log.lock().unwrap().push(Step::Sent(i));
                    let _ = progress_tx.send(i);
                }
            })
        };
        for _ in 0..capacity {
            progress.recv().map_err(|_| "the producer panicked".to_string())?;
        }
        // c sends have returned: the channel is full, and the next send must block.
        if let Ok(i) = progress.recv_timeout(HOLD) {
            return Err(format!(
                "send number {} returned while the channel already held {capacity} values and \
                 nothing had been received: send must block while the channel is full",
                i + 1
            ));
        }
        log.lock().unwrap().push(Step::FirstRecv);
        let first = C::recv(&rx);
        if first != Ok((0, 0)) {
            return Err(format!("the first recv returned {first:?} instead of Ok((0, 0))"));
        }
        // Room for one: the blocked send must now return (the watchdog catches it if not).
        progress.recv().map_err(|_| "the producer panicked".to_string())?;
        producer.join().map_err(|_| "the producer panicked".to_string())?;
        let log = log.lock().unwrap().clone();
        let first_recv = log.iter().position(|s| *s == Step::FirstRecv);
        let last_sent = log.iter().position(|s| *s == Step::Sent(capacity));
        if last_sent < first_recv {
            return Err(format!(
                "send number {} returned before the first recv (the log: {log:?}): send must \
                 block while the channel is full",
                capacity + 1
            ));
        }
        for i in 1..=capacity {
            let v = C::recv(&rx);
            if v != Ok((0, i)) {
                return Err(format!("recv returned {v:?} instead of Ok((0, {i}))"));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name} {case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name} {case} {e}: either one of the first {capacity} sends blocked, or the \
             blocked send did not return after a recv made room"
        )),
        Err(e) => Err(format!("{name} {case} {e}")),
    }
}

/// One step of the log that the many-producers check keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    /// A producer's send returned `Ok`.
    Sent,
    /// The consumer is about to call `recv` for value number k (counting from 0).
    Receiving(usize),
}

/// Several producers, one consumer, a small capacity: no wake-up is lost, every value arrives
/// once, each producer's in order, and never more than `capacity` values are buffered.
///
/// Four producers send 400 values each through clones of one `Sender`. Each logs `Sent` (under
/// a `Mutex`) after a send returns; the consumer logs `Receiving(k)` before its k-th `recv`, and
/// calls `thread::yield_now()` `yields` times between receives. Without yields the consumer
/// often waits on an empty channel while senders wait on a full one, which is what a lost
/// wake-up needs; with a few, the producers fill the channel and more of them block at once. When
/// the consumer logs `Receiving(k)`, it has taken k values, so at most k + capacity sends can
/// have returned, and at most that many `Sent` can come before it in the log. That holds in
/// every run of a correct channel; a channel that lets a woken sender push without checking
/// again that there is room (`if` instead of `while`) breaks it. A lost wake-up leaves every
/// thread waiting, and the watchdog reports it.
fn check_many_producers<C: Candidate>(
    imp: C,
    capacity: usize,
    yields: usize,
    secs: u64,
) -> Result<(), String> {
    const PRODUCERS: usize = 4;
    const EACH: usize = 400;
    let name = imp.name();
    let case = format!(
        "with capacity {capacity}, {PRODUCERS} producers sending {EACH} values each, and a \
         consumer that yields {yields} times between receives"
    );
    // The consumer counts its receives: the watchdog fails the run only when that count has
    // stood still for `secs` seconds (every thread waiting: a lost wake-up), not when a loaded
    // machine makes the 4 × 400 hand-offs and their yields slow.
    let received = Arc::new(AtomicUsize::new(0));
    let progress = Arc::clone(&received);
    let verdict = with_progress_timeout(secs, progress, move || -> Result<(), String> {
        let (tx, rx) = imp.bounded(capacity);
        let log = Arc::new(Mutex::new(Vec::with_capacity(2 * PRODUCERS * EACH + 1)));
        let producers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let tx = tx.clone();
                let log = Arc::clone(&log);
                thread::spawn(move || {
                    for i in 0..EACH {
                        C::send(&tx, (p, i)).expect("the receiver is alive");
                        log.lock().unwrap().push(Event::Sent);
                    }
                })
            })
            .collect();
        drop(tx);
        let mut got = Vec::with_capacity(PRODUCERS * EACH);
        for k in 0.. {
            for _ in 0..yields {
                thread::yield_now();
            }
            log.lock().unwrap().push(Event::Receiving(k));
            match C::recv(&rx) {
                Ok(v) => got.push(v),
                Err(RecvError) => break,
            }
            received.fetch_add(1, Ordering::Relaxed);
        }
        for p in producers {
            p.join().map_err(|_| "a producer panicked".to_string())?;
        }
        let log = log.lock().unwrap();
        let mut sent = 0;
        for event in log.iter() {
            match *event {
                Event::Sent => sent += 1,
                Event::Receiving(k) if sent > k + capacity => {
                    return Err(format!(
                        "{sent} sends had returned before the consumer's recv number {}, when it \
                         had taken only {k} values: {} values were buffered in a channel of \
                         capacity {capacity} (does a woken sender check again that there is room?)",
                        k + 1,
                        sent - k
                    ));
                }
                Event::Receiving(_) => {}
            }
        }
        if got.len() != PRODUCERS * EACH {
            return Err(format!("{} values arrived instead of {}", got.len(), PRODUCERS * EACH));
        }
        for p in 0..PRODUCERS {
            let mine: Vec<usize> = got.iter().filter(|v| v.0 == p).map(|v| v.1).collect();
            if mine != (0..EACH).collect::<Vec<_>>() {
                return Err(format!(
                    "producer {p}'s values arrived as {:?}…, not once each in the order sent",
                    &mine[..mine.len().min(10)]
                ));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name} {case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name} {case} {e}: the threads are waiting for each other (a lost wake-up: a notify \
             that woke a thread that could not use it, or no notify at all)"
        )),
        Err(e) => Err(format!("{name} {case} {e}")),
    }
}

/// Once every `Sender` is gone, `recv` returns what is buffered, in order, then
/// `Err(RecvError)`; while one clone is left, it does not; and a `recv` that is already waiting
/// when the last `Sender` is dropped wakes up and returns `Err(RecvError)`.
fn check_senders_gone<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        // Buffered values outlive their Senders.
        let (tx, rx) = imp.bounded(4);
        let tx2 = tx.clone();
        C::send(&tx, (0, 0)).expect("the receiver is alive");
        C::send(&tx2, (1, 0)).expect("the receiver is alive");
        drop(tx);
        drop(tx2);
        let got = [C::recv(&rx), C::recv(&rx), C::recv(&rx)];
        if got != [Ok((0, 0)), Ok((1, 0)), Err(RecvError)] {
            return Err(format!(
                "with two values sent and both Senders dropped, three recvs returned {got:?} \
                 instead of [Ok((0, 0)), Ok((1, 0)), Err(RecvError)]"
            ));
        }
        // One clone dropped, one left: the channel is still open.
        let (tx, rx) = imp.bounded(2);
        let tx2 = tx.clone();
        drop(tx);
        C::send(&tx2, (1, 1)).map_err(|_| "a send with a live receiver failed".to_string())?;
        let got = C::recv(&rx);
        if got != Ok((1, 1)) {
            return Err(format!(
                "with one of two Senders dropped and a value sent by the other, recv returned \
                 {got:?} instead of Ok((1, 1))"
            ));
        }
        // A recv that is waiting when the last Sender goes.
        let (ready_tx, ready) = mpsc::channel();
        let consumer = thread::spawn(move || {
            let _ = ready_tx.send(());
            C::recv(&rx)
        });
        let _ = ready.recv();
        // Not for correctness: time for the consumer to start waiting, so that the drop below
        // has a waiting recv to wake.
        thread::sleep(HOLD);
        drop(tx2);
        let got = consumer.join().map_err(|_| "the consumer panicked".to_string())?;
        if got != Err(RecvError) {
            return Err(format!(
                "a recv waiting on an empty channel returned {got:?} when the last Sender was \
                 dropped, instead of Err(RecvError)"
            ));
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name}, once every Sender is gone, {e}: recv must return Err(RecvError) when the \
             channel is empty and no Sender is left, also if it was already waiting"
        )),
        Err(e) => Err(format!("{name}, once every Sender is gone, {e}")),
    }
}

/// Once the `Receiver` is gone, `send(v)` returns `Err(SendError(v))` with that very value, and
/// a send that is waiting on a full channel when it goes wakes up and returns its value too.
fn check_receiver_gone<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let (tx, rx) = imp.bounded(2);
        drop(rx);
        let got = C::send(&tx, (7, 7));
        if !matches!(got, Err(SendError((7, 7)))) {
            return Err(format!(
                "send((7, 7)) after the Receiver was dropped returned {} instead of \
                 Err(SendError((7, 7)))",
                sent(&got)
            ));
        }
        // A send that is waiting on a full channel when the Receiver goes.
        let (tx, rx) = imp.bounded(1);
        C::send(&tx, (1, 0)).expect("the receiver is alive");
        let (ready_tx, ready) = mpsc::channel();
        let producer = thread::spawn(move || {
            let _ = ready_tx.send(());
            C::send(&tx, (1, 1))
        });
        let _ = ready.recv();
        // Not for correctness: time for the producer to start waiting on the full channel.
        thread::sleep(HOLD);
        drop(rx);
        let got = producer.join().map_err(|_| "the producer panicked".to_string())?;
        if !matches!(got, Err(SendError((1, 1)))) {
            return Err(format!(
                "a send((1, 1)) waiting on a full channel returned {} when the Receiver was \
                 dropped, instead of Err(SendError((1, 1)))",
                sent(&got)
            ));
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name}, once the Receiver is gone, {e}: a send waiting on a full channel must wake \
             up and return Err(SendError(value)) when the Receiver is dropped"
        )),
        Err(e) => Err(format!("{name}, once the Receiver is gone, {e}")),
    }
}

/// `bounded(0)` panics: this channel has no rendezvous mode. (And `bounded(1)` does not, so that
/// an answer that panics on every capacity, such as the `todo!()` of the starting point, fails.)
fn check_capacity_zero_panics<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    with_timeout(secs, move || {
        let _ = imp.bounded(1);
    })
    .map_err(|e| format!("{name}: bounded(1) {e}"))?;
    match with_timeout(secs, move || {
        let _ = imp.bounded(0);
    }) {
        Err(e) if e.starts_with("panicked") => Ok(()),
        Err(e) => Err(format!("{name}: bounded(0) {e} instead of panicking")),
        Ok(()) => Err(format!("{name}: bounded(0) returned a channel instead of panicking")),
    }
}

// ---------------------------------------------------------------------------------------------
// Watching a thread wait (Linux)

/// A thread of the check, as Linux shows it in `/proc`: `/proc/<pid>/task/<tid>`, or `None`
/// where there is no `/proc` (the checks that need it then fall back on a pause, or skip what
/// they cannot measure).
#[derive(Clone, Debug)]
struct Seen(Option<PathBuf>);

impl Seen {
    /// The calling thread.
    fn this_thread() -> Seen {
        Seen(fs::read_link("/proc/thread-self").ok().map(|p| Path::new("/proc").join(p)))
    }

    /// Whether the thread is asleep (state `S` in its `stat`: waiting in the kernel, on a
    /// futex for a `Condvar` or a `Mutex`), as opposed to running or ready to run.
    fn asleep(&self) -> Option<bool> {
        let stat = fs::read_to_string(self.0.as_ref()?.join("stat")).ok()?;
        // The state is the first field after the command name, which is in parentheses.
        let after = &stat[stat.rfind(')')? + 1..];
        Some(after.split_whitespace().next()? == "S")
    }

    /// The processor time the thread has used: `schedstat` in nanoseconds, or else `stat`'s
    /// utime + stime in clock ticks (100 a second on Linux).
    fn cpu_time(&self) -> Option<Duration> {
        let dir = self.0.as_ref()?;
        if let Ok(s) = fs::read_to_string(dir.join("schedstat"))
            && let Some(ns) = s.split_whitespace().next().and_then(|f| f.parse().ok())
        {
            return Some(Duration::from_nanos(ns));
        }
        let stat = fs::read_to_string(dir.join("stat")).ok()?;
        let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
        // After the name: state is field 3 of the line, utime 14 and stime 15.
        let field = |i: usize| fields.get(i)?.parse::<u64>().ok();
        let ticks = field(11)? + field(12)?;
        Some(Duration::from_millis(ticks * 10))
    }
}

/// Waits until every thread is asleep, seen so on two looks 5 ms apart, and returns whether
/// they were; gives up after `SETTLE_MAX` (a thread that spins is never asleep: a check that
/// repeats a round then pauses briefly in its later rounds instead), and pauses for `HOLD`
/// instead where there is no `/proc`. Not for correctness: a correct channel passes
/// whatever the threads are doing; this only makes it all but certain that a check's threads
/// are already waiting inside the channel when the check does what should wake them.
fn wait_until_asleep(threads: &[Seen]) -> bool {
    if threads.iter().any(|t| t.asleep().is_none()) {
        thread::sleep(HOLD);
        return false;
    }
    let all = || threads.iter().all(|t| t.asleep() == Some(true));
    let start = Instant::now();
    while start.elapsed() < SETTLE_MAX {
        if all() {
            thread::sleep(Duration::from_millis(5));
            if all() {
                return true;
            }
        }
        thread::sleep(Duration::from_millis(1));
    }
    false
}

/// How long `wait_until_asleep` waits for threads to fall asleep before it gives up.
const SETTLE_MAX: Duration = Duration::from_millis(500);

/// A Sender per thread: `count` threads, each sending `(p, 0)` (p from `first`) and reporting
/// (p, result) on `done`. Returns their handles and how to see them; the caller waits until
/// they are asleep.
fn start_senders<C: Candidate>(
    tx: &C::Tx,
    first: usize,
    count: usize,
    done: &mpsc::Sender<(usize, Result<(), SendError<Item>>)>,
) -> (Vec<thread::JoinHandle<()>>, Vec<Seen>) {
    let (seen_tx, seen) = mpsc::channel();
    let handles = (first..first + count)
        .map(|p| {
            let (tx, done, seen_tx) = (tx.clone(), done.clone(), seen_tx.clone());
            thread::spawn(move || {
                let _ = seen_tx.send(Seen::this_thread());
                let result = C::send(&tx, (p, 0));
                let _ = done.send((p, result));
            })
        })
        .collect();
    let threads = (0..count).filter_map(|_| seen.recv().ok()).collect();
    (handles, threads)
}

// ---------------------------------------------------------------------------------------------
// More checks: every waiting thread is woken, and waits without spinning

/// Dropping the `Receiver` wakes every sender waiting on a full channel, not just one: three
/// senders wait on a full channel of capacity 1 (the check waits until they are asleep, and
/// makes sure that none has returned), the `Receiver` is dropped, and each of the three sends
/// must return `Err(SendError(value))` with its own value. A `Drop` with `notify_one` wakes one
/// of them; the other two wait for ever, and the watchdog reports it.
fn check_receiver_gone_wakes_every_sender<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    const WAITING: usize = 3;
    let name = imp.name();
    let case = format!("with {WAITING} sends waiting on a full channel of capacity 1");
    let returned = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&returned);
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let (tx, rx) = imp.bounded(1);
        C::send(&tx, (0, 0)).expect("the receiver is alive");
        let (done_tx, done) = mpsc::channel();
        let (handles, threads) = start_senders::<C>(&tx, 1, WAITING, &done_tx);
        drop(done_tx);
        wait_until_asleep(&threads);
        if let Ok((p, got)) = done.try_recv() {
            return Err(format!(
                "send(({p}, 0)) returned {} on a full channel, before anything was received",
                sent(&got)
            ));
        }
        drop(rx);
        for _ in 0..WAITING {
            let (p, got) = done.recv().map_err(|_| "a producer panicked".to_string())?;
            count.fetch_add(1, Ordering::Relaxed);
            if !matches!(got, Err(SendError(v)) if v == (p, 0)) {
                return Err(format!(
                    "when the Receiver was dropped, the waiting send(({p}, 0)) returned {} \
                     instead of Err(SendError(({p}, 0)))",
                    sent(&got)
                ));
            }
        }
        for h in handles {
            h.join().map_err(|_| "a producer panicked".to_string())?;
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name} {case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name} {case}, only {} of the {WAITING} sends returned once the Receiver was dropped \
             ({e}): dropping the Receiver must wake every waiting sender (notify_all, not \
             notify_one)",
            returned.load(Ordering::Relaxed)
        )),
        Err(e) => Err(format!("{name} {case} {e}")),
    }
}

/// Receives in a row wake as many waiting senders: a channel of capacity c is full, c senders
/// wait on it (asleep, none returned), and the check calls `recv` c times in a row, which makes
/// room for all c values; every one of the c sends must then return. A `recv` that notifies only
/// when the channel was full before it (a "transition" optimisation) wakes one sender for the
/// first `recv` and none for a next one that comes before the woken sender has taken its slot:
/// the other senders wait for ever beside a channel with room, and the watchdog reports it.
/// Whether the next `recv` comes first depends on the timing, so the check runs five rounds.
fn check_recvs_in_a_row_wake_every_sender<C: Candidate>(
    imp: C,
    capacity: usize,
    secs: u64,
) -> Result<(), String> {
    let name = imp.name();
    let case = format!(
        "with capacity {capacity}, full, {capacity} sends waiting and {capacity} recvs in a row"
    );
    const ROUNDS: usize = 5;
    let returned = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&returned);
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let mut settle = true;
        for _ in 0..ROUNDS {
            count.store(0, Ordering::Relaxed);
            let (tx, rx) = imp.bounded(capacity);
            for i in 0..capacity {
                C::send(&tx, (0, i)).expect("the receiver is alive");
            }
            let (done_tx, done) = mpsc::channel();
            let (handles, threads) = start_senders::<C>(&tx, 1, capacity, &done_tx);
            drop(done_tx);
            if settle {
                settle = wait_until_asleep(&threads);
            } else {
                thread::sleep(Duration::from_millis(10));
            }
            if let Ok((p, got)) = done.try_recv() {
                return Err(format!(
                    "send(({p}, 0)) returned {} on a full channel, before anything was received",
                    sent(&got)
                ));
            }
            for i in 0..capacity {
                let got = C::recv(&rx);
                if got != Ok((0, i)) {
                    return Err(format!(
                        "recv number {} returned {got:?} instead of Ok((0, {i}))",
                        i + 1
                    ));
                }
            }
            // Room for all of them: every waiting send must return.
            for _ in 0..capacity {
                let (p, got) = done.recv().map_err(|_| "a producer panicked".to_string())?;
                count.fetch_add(1, Ordering::Relaxed);
                if got.is_err() {
                    return Err(format!("send(({p}, 0)) returned {}", sent(&got)));
                }
            }
            for h in handles {
                h.join().map_err(|_| "a producer panicked".to_string())?;
            }
            let mut got: Vec<Item> = (0..capacity)
                .map(|_| C::recv(&rx))
                .collect::<Result<_, _>>()
                .map_err(|_| "a recv returned Err(RecvError) with a Sender alive".to_string())?;
            got.sort();
            let want: Vec<Item> = (1..=capacity).map(|p| (p, 0)).collect();
            if got != want {
                return Err(format!(
                    "the senders' values arrived as {got:?} instead of {want:?} in some order"
                ));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name} {case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name} {case}, only {} of the {capacity} waiting sends returned ({e}), though the \
             recvs had made room for all of them: every recv must wake a waiting sender \
             (notify_one after each recv, not only when the channel was full)",
            returned.load(Ordering::Relaxed)
        )),
        Err(e) => Err(format!("{name} {case} {e}")),
    }
}

/// A woken sender checks again that there is room. A channel of capacity 1 is full and sender A
/// waits (asleep); another thread, R, calls `recv`, which wakes A, and at once `send` itself,
/// which usually takes the free slot before A gets the lock back. One value fits: exactly one of
/// the two sends can return until the next `recv`, in every run of a correct channel, whoever
/// wins. A sender that waits under an `if` instead of a `while` goes on after the wake-up and
/// buffers its value in the full channel, and both sends return, provided that R's send won the
/// slot, as it does in more than half of the rounds: the check runs ten, and gives the second
/// send 50 ms to (wrongly) return in each.
fn check_woken_sender_checks_again<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    const ROUNDS: usize = 10;
    let name = imp.name();
    let case = "with capacity 1, full, one send waiting, and a thread that calls recv then send";
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let mut settle = true;
        for round in 0..ROUNDS {
            let (tx, rx) = imp.bounded(1);
            C::send(&tx, (0, round)).expect("the receiver is alive");
            let (done_tx, done) = mpsc::channel();
            let (handles, threads) = start_senders::<C>(&tx, 1, 1, &done_tx);
            if settle {
                settle = wait_until_asleep(&threads);
            } else {
                thread::sleep(Duration::from_millis(10));
            }
            let rx = Arc::new(Mutex::new(rx));
            let racer = {
                let (rx, tx) = (Arc::clone(&rx), tx.clone());
                thread::spawn(move || {
                    let first = C::recv(&rx.lock().unwrap());
                    let result = C::send(&tx, (2, 0));
                    let _ = done_tx.send((2, result));
                    first
                })
            };
            let (p, got) = done.recv().map_err(|_| "a thread panicked".to_string())?;
            if got.is_err() {
                return Err(format!("send(({p}, 0)) returned {}", sent(&got)));
            }
            // One value is buffered again: the other send must wait for the next recv.
            if let Ok((q, got)) = done.recv_timeout(HOLD / 4) {
                return Err(format!(
                    "after one recv made room for one value, both send(({p}, 0)) and \
                     send(({q}, 0)) returned ({}), so 2 values were buffered in a channel of \
                     capacity 1: a woken sender must check again that there is room (a while \
                     loop around wait, not an if)",
                    sent(&got)
                ));
            }
            // Two recvs: room for the waiting send, whichever it is.
            let rx = rx.lock().unwrap();
            let mut got = vec![C::recv(&rx), C::recv(&rx)];
            let _ = done.recv();
            let first = racer.join().map_err(|_| "the recv-then-send thread panicked".to_string())?;
            if first != Ok((0, round)) {
                return Err(format!(
                    "the first recv returned {first:?} instead of Ok((0, {round}))"
                ));
            }
            for h in handles {
                h.join().map_err(|_| "a sender panicked".to_string())?;
            }
            got.sort_by_key(|v| v.ok());
            if got != [Ok((1, 0)), Ok((2, 0))] {
                return Err(format!("the two sends' values arrived as {got:?}"));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name} {case}: {problem}")),
        Err(e) => Err(format!("{name} {case} {e}")),
    }
}

/// While one `Sender` is left, the channel is open, whichever clone was dropped: with two, one
/// dropped (the original in one round, the clone in the other), a `recv` on the empty channel
/// must wait (the check waits until its thread is asleep, and makes sure it has not returned),
/// return the value that the other `Sender` then sends, wait again, and return `Err(RecvError)`
/// only once that last `Sender` is dropped too. A `Clone` that does not count the new `Sender`,
/// or a `Drop` that disconnects at the first drop, returns `Err(RecvError)` at once.
fn check_one_sender_left_keeps_the_channel_open<C: Candidate>(
    imp: C,
    secs: u64,
) -> Result<(), String> {
    let name = imp.name();
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        for drop_the_clone in [false, true] {
            let which = if drop_the_clone { "the clone" } else { "the original" };
            let case = format!("with two Senders, {which} dropped and the other alive");
            let (tx, rx) = imp.bounded(2);
            let clone = tx.clone();
            let left = if drop_the_clone {
                drop(clone);
                tx
            } else {
                drop(tx);
                clone
            };
            let (results_tx, results) = mpsc::channel();
            let (seen_tx, seen) = mpsc::channel();
            let consumer = thread::spawn(move || {
                let _ = seen_tx.send(Seen::this_thread());
                for _ in 0..2 {
                    let got = C::recv(&rx);
                    let _ = results_tx.send(got);
                }
            });
            let me = [seen.recv().map_err(|_| "the consumer panicked".to_string())?];
            wait_until_asleep(&me);
            if let Ok(got) = results.try_recv() {
                return Err(format!(
                    "{case}, recv on the empty channel returned {got:?} instead of waiting: the \
                     channel ends only when the last Sender is dropped (does Clone count the new \
                     Sender, and does each drop count one fewer?)"
                ));
            }
            C::send(&left, (1, 1)).map_err(|_| format!("{case}, a send failed"))?;
            let got = results.recv().map_err(|_| "the consumer panicked".to_string())?;
            if got != Ok((1, 1)) {
                return Err(format!(
                    "{case}, the waiting recv returned {got:?} instead of Ok((1, 1))"
                ));
            }
            wait_until_asleep(&me);
            if let Ok(got) = results.try_recv() {
                return Err(format!(
                    "{case}, after one value had been received, the next recv on the empty \
                     channel returned {got:?} instead of waiting"
                ));
            }
            drop(left);
            let got = results.recv().map_err(|_| "the consumer panicked".to_string())?;
            if got != Err(RecvError) {
                return Err(format!(
                    "{case}, a waiting recv returned {got:?} when the last Sender was dropped, \
                     instead of Err(RecvError)"
                ));
            }
            consumer.join().map_err(|_| "the consumer panicked".to_string())?;
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name}, with one of two Senders dropped, {e}: a recv must return the value that the \
             other Sender sends, and Err(RecvError) once that one is dropped too"
        )),
        Err(e) => Err(format!("{name}, with one of two Senders dropped, {e}")),
    }
}

/// The last `Sender`'s drop wakes a waiting `recv` every time, not only when the timing is kind.
/// Fifty rounds, each with a `recv` waiting on an empty channel (asleep) when four `Sender`s,
/// the original and three clones, are dropped at once from four threads released by a
/// `Barrier`: the `recv` must return `Err(RecvError)`. A `Drop` that notifies before it takes
/// the lock to count itself out can wake the receiver too early: it takes the lock between two
/// drops, still sees a `Sender`, and waits again, with every notify already spent. Drops that
/// contend for the lock widen that window; it opens in a round of the first few on an idle
/// machine, and in about one round of ten on a loaded one. The watchdog counts the rounds and
/// reports the one that hangs.
fn check_last_drop_always_wakes_recv<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    const ROUNDS: usize = 50;
    const SENDERS: usize = 4;
    let name = imp.name();
    let rounds = Arc::new(AtomicUsize::new(0));
    let progress = Arc::clone(&rounds);
    let count = Arc::clone(&rounds);
    let verdict = with_progress_timeout(secs, progress, move || -> Result<(), String> {
        let mut settle = true;
        for round in 0..ROUNDS {
            let (tx, rx) = imp.bounded(1);
            let (seen_tx, seen) = mpsc::channel();
            let consumer = thread::spawn(move || {
                let _ = seen_tx.send(Seen::this_thread());
                C::recv(&rx)
            });
            let together = Arc::new(Barrier::new(SENDERS));
            let droppers: Vec<_> = (1..SENDERS)
                .map(|_| {
                    let (tx, together) = (tx.clone(), Arc::clone(&together));
                    thread::spawn(move || {
                        together.wait();
                        drop(tx);
                    })
                })
                .collect();
            let me = seen.recv().map_err(|_| "the consumer panicked".to_string())?;
            if settle {
                settle = wait_until_asleep(&[me]);
            } else {
                thread::sleep(Duration::from_millis(10));
            }
            together.wait();
            drop(tx);
            for d in droppers {
                d.join().map_err(|_| "a Sender's drop panicked".to_string())?;
            }
            let got = consumer.join().map_err(|_| "the consumer panicked".to_string())?;
            if got != Err(RecvError) {
                return Err(format!(
                    "in round {}, a recv waiting on an empty channel returned {got:?} when the \
                     last of {SENDERS} Senders was dropped, instead of Err(RecvError)",
                    round + 1
                ));
            }
            count.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{name}: in round {} of {ROUNDS}, a recv waiting on an empty channel did not return \
             when its {SENDERS} Senders were dropped at once ({e}): each drop must count itself \
             out under the lock before it notifies, or a woken recv may still see a Sender and \
             wait again after the last notify",
            rounds.load(Ordering::Relaxed) + 1
        )),
        Err(e) => Err(format!("{name} {e}")),
    }
}

/// The largest share of a window that a waiting thread may spend on a processor. A thread that
/// sleeps in `Condvar::wait` uses next to nothing (microseconds in 300 ms); one that spins (a
/// loop around `yield_now` or `try_lock`) uses all the processor time it is given, most of a
/// core on an idle machine.
const SPIN_SHARE: f64 = 0.25;

/// The largest share of the looks at a waiting thread during a window that may find it awake
/// (running, or ready to run and waiting for a processor). A thread in `Condvar::wait` is
/// asleep at every look; one that spins never is, however loaded the machine: where it gets
/// little processor time (and `yield_now` gives much of it away), it is still ready to run.
const AWAKE_SHARE: f64 = 0.5;

/// How long the spinning check watches a waiting thread.
const WINDOW: Duration = Duration::from_millis(300);

/// What the spinning check saw of a waiting thread during a window.
struct Watched {
    /// The share of the window that the thread spent on a processor.
    cpu: f64,
    /// The share of the looks, one every 5 ms, that found it awake.
    awake: f64,
}

impl Watched {
    fn spins(&self) -> bool {
        self.cpu > SPIN_SHARE || self.awake > AWAKE_SHARE
    }
}

/// Waiting threads sleep instead of spinning: a `recv` on an empty channel, and then a `send` on
/// a full one, each in a thread of its own, must spend at most a quarter of a 300 ms window on
/// a processor, and be asleep at at least half of the looks that the check takes at it, one
/// every 5 ms, during that window. Both come from the thread's own entries in `/proc` (Linux),
/// and the window starts once the check has seen the thread asleep, or after half a second if
/// it never is. This is not a speed test: it measures what the waiting thread does, not how
/// fast anything goes, and other threads, this process's or other programs', do not count. A
/// window that finds the thread spinning is measured a second time before the check fails.
/// Where there is no `/proc`, the check cannot measure, and passes.
fn check_waiting_does_not_spin<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        // What a window shows of `who`, for up to two windows.
        let watch = |who: &Seen| -> Option<Watched> {
            let mut seen = Watched { cpu: 0.0, awake: 0.0 };
            for _ in 0..2 {
                let (t0, c0) = (Instant::now(), who.cpu_time()?);
                let (mut looks, mut awake) = (0, 0);
                while t0.elapsed() < WINDOW {
                    thread::sleep(Duration::from_millis(5));
                    looks += 1;
                    if !who.asleep()? {
                        awake += 1;
                    }
                }
                let (t1, c1) = (Instant::now(), who.cpu_time()?);
                seen = Watched {
                    cpu: (c1 - c0).as_secs_f64() / (t1 - t0).as_secs_f64(),
                    awake: f64::from(awake) / f64::from(looks),
                };
                if !seen.spins() {
                    break;
                }
            }
            Some(seen)
        };
        let too_busy = |what: &str, seen: Watched| {
            format!(
                "{what} used a processor for {:.0} % of a {} ms window and was awake at {:.0} % \
                 of the looks at it, twice (the limits are {:.0} % and {:.0} %): a thread that \
                 cannot go on must sleep in Condvar::wait, not spin",
                seen.cpu * 100.0,
                WINDOW.as_millis(),
                seen.awake * 100.0,
                SPIN_SHARE * 100.0,
                AWAKE_SHARE * 100.0
            )
        };
        // A recv on an empty channel.
        let (tx, rx) = imp.bounded(1);
        let (seen_tx, seen) = mpsc::channel();
        let consumer = thread::spawn(move || {
            let _ = seen_tx.send(Seen::this_thread());
            C::recv(&rx)
        });
        let me = seen.recv().map_err(|_| "the consumer panicked".to_string())?;
        wait_until_asleep(std::slice::from_ref(&me));
        let seen = watch(&me);
        C::send(&tx, (0, 0)).map_err(|_| "a send with a live receiver failed".to_string())?;
        let got = consumer.join().map_err(|_| "the consumer panicked".to_string())?;
        if let Some(seen) = seen.filter(Watched::spins) {
            return Err(too_busy("a recv waiting on an empty channel", seen));
        }
        if got != Ok((0, 0)) {
            return Err(format!("the waiting recv returned {got:?} instead of Ok((0, 0))"));
        }
        // A send on a full channel.
        let (tx, rx) = imp.bounded(1);
        C::send(&tx, (0, 0)).expect("the receiver is alive");
        let (done_tx, done) = mpsc::channel();
        let (handles, threads) = start_senders::<C>(&tx, 1, 1, &done_tx);
        drop(done_tx);
        wait_until_asleep(&threads);
        let seen = watch(&threads[0]);
        let got = [C::recv(&rx), C::recv(&rx)];
        let _ = done.recv();
        for h in handles {
            h.join().map_err(|_| "the producer panicked".to_string())?;
        }
        if let Some(seen) = seen.filter(Watched::spins) {
            return Err(too_busy("a send waiting on a full channel", seen));
        }
        if got != [Ok((0, 0)), Ok((1, 0))] {
            return Err(format!("two recvs returned {got:?} instead of [Ok((0, 0)), Ok((1, 0))]"));
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) => Err(format!("{name}, with a thread waiting, {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on the submitted channel

#[test]
fn the_types_are_generic_sendable_and_the_sender_clones() {
    fn sendable<T: Send>() {}
    fn clonable<T: Clone>() {}
    sendable::<exercise_bounded_channel::Sender<String>>();
    sendable::<exercise_bounded_channel::Receiver<String>>();
    clonable::<exercise_bounded_channel::Sender<String>>();
    // A value type that is neither Clone nor Copy goes through, and comes back out of an error.
    let (tx, rx) = exercise_bounded_channel::bounded::<String>(1);
    drop(rx);
    let text = String::from("returned");
    let err: exercise_bounded_channel::SendError<String> = with_timeout(TIMEOUT_SECS, move || {
        tx.send(text).expect_err("the receiver is gone")
    })
    .unwrap_or_else(|e| panic!("send after the Receiver was dropped {e}"));
    assert_eq!(err.0, "returned", "SendError must give back the value that was sent");
}

#[test]
fn values_arrive_in_the_order_they_were_sent() {
    pass(check_fifo(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_channel_holds_capacity_values() {
    pass(check_holds_capacity_values(Submitted, TIMEOUT_SECS));
}

#[test]
fn a_send_on_a_full_channel_blocks_until_a_recv() {
    for capacity in [1, 3] {
        pass(check_full_send_blocks(Submitted, capacity, TIMEOUT_SECS));
    }
}

#[test]
fn many_producers_lose_no_wake_up_and_never_overfill() {
    for (capacity, yields) in [(1, 0), (1, 3), (2, 3)] {
        pass(check_many_producers(Submitted, capacity, yields, TIMEOUT_SECS));
    }
}

#[test]
fn recv_ends_once_every_sender_is_gone() {
    pass(check_senders_gone(Submitted, TIMEOUT_SECS));
}

#[test]
fn send_gives_the_value_back_once_the_receiver_is_gone() {
    pass(check_receiver_gone(Submitted, TIMEOUT_SECS));
}

#[test]
fn capacity_zero_panics() {
    pass(check_capacity_zero_panics(Submitted, TIMEOUT_SECS));
}

#[test]
fn a_dropped_receiver_wakes_every_waiting_sender() {
    pass(check_receiver_gone_wakes_every_sender(Submitted, TIMEOUT_SECS));
}

#[test]
fn recvs_in_a_row_wake_every_waiting_sender() {
    for capacity in [2, 3, 4] {
        pass(check_recvs_in_a_row_wake_every_sender(Submitted, capacity, TIMEOUT_SECS));
    }
}

#[test]
fn a_woken_sender_checks_again_for_room() {
    pass(check_woken_sender_checks_again(Submitted, TIMEOUT_SECS));
}

#[test]
fn one_sender_left_keeps_the_channel_open() {
    pass(check_one_sender_left_keeps_the_channel_open(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_last_drop_always_wakes_a_waiting_recv() {
    pass(check_last_drop_always_wakes_recv(Submitted, TIMEOUT_SECS));
}

#[test]
fn waiting_threads_sleep_instead_of_spinning() {
    pass(check_waiting_does_not_spin(Submitted, TIMEOUT_SECS));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong channels

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::{assert_rejected, first_rejection};
    use std::collections::VecDeque;
    use std::sync::{Condvar, MutexGuard};

    /// The seconds a self-test waits before it concludes that a wrong answer is stuck. A correct
    /// answer gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make these
    /// self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 2;

    /// The mistakes a wrong channel makes; the reference solution makes none.
    #[derive(Clone, Copy, Default)]
    struct Mistakes {
        /// One `Condvar` for both conditions, with `notify_one` after each send and recv.
        one_condvar: bool,
        /// `if` instead of `while` around each wait, and `notify_all` after a recv.
        if_not_while: bool,
        /// Blocks only once capacity + 1 values are buffered.
        one_slot_too_many: bool,
        /// Blocks once capacity - 1 values are buffered.
        one_slot_too_few: bool,
        /// Does not track the ends at all: no `Drop`, no counts.
        no_disconnection: bool,
        /// Wakes blocked senders when the `Receiver` goes, but then buffers their value and
        /// returns `Ok(())`, as does every later send.
        accepts_without_receiver: bool,
        /// `recv` notifies a sender only when the channel was full before it took its value.
        notify_on_transition: bool,
        /// The `Receiver`'s `Drop` wakes one waiting sender (`notify_one`), not all of them.
        receiver_drop_notify_one: bool,
        /// `Clone` does not count the new `Sender` (and `Drop` never counts below zero).
        clone_uncounted: bool,
        /// `if` instead of `while` around the wait in `send` only, with `notify_one` after a
        /// recv as it should be.
        if_in_send: bool,
        /// The `Sender`'s `Drop` notifies the receiver first, then takes the lock and counts one
        /// fewer.
        notify_before_decrement: bool,
        /// Spins instead of waiting: unlocks, `yield_now()`, locks again and checks.
        spin: bool,
        /// The drop of any `Sender` disconnects, whether or not others are left.
        any_drop_disconnects: bool,
    }

    #[derive(Clone, Copy)]
    struct Wrong(&'static str, Mistakes);

    struct State {
        queue: VecDeque<Item>,
        senders: usize,
        receiver_alive: bool,
    }

    struct Shared {
        m: Mistakes,
        capacity: usize,
        state: Mutex<State>,
        not_empty: Condvar,
        not_full: Condvar,
    }

    impl Shared {
        fn lock(&self) -> MutexGuard<'_, State> {
            self.state.lock().unwrap()
        }
        /// Where senders wait.
        fn full_cv(&self) -> &Condvar {
            if self.m.one_condvar { &self.not_empty } else { &self.not_full }
        }
        fn limit(&self) -> usize {
            if self.m.one_slot_too_many {
                self.capacity + 1
            } else if self.m.one_slot_too_few {
                self.capacity - 1
            } else {
                self.capacity
            }
        }
    }

    struct WrongTx(Arc<Shared>);
    struct WrongRx(Arc<Shared>);

    impl Clone for WrongTx {
        fn clone(&self) -> Self {
            if !self.0.m.clone_uncounted {
                self.0.lock().senders += 1;
            }
            WrongTx(Arc::clone(&self.0))
        }
    }

    impl Drop for WrongTx {
        fn drop(&mut self) {
            let m = self.0.m;
            if m.no_disconnection {
                return;
            }
            if m.notify_before_decrement {
                self.0.not_empty.notify_all();
            }
            let mut s = self.0.lock();
            s.senders = if m.any_drop_disconnects { 0 } else { s.senders.saturating_sub(1) };
            if s.senders == 0 && !m.notify_before_decrement {
                drop(s);
                self.0.not_empty.notify_all();
            }
        }
    }

    impl Drop for WrongRx {
        fn drop(&mut self) {
            if self.0.m.no_disconnection {
                return;
            }
            self.0.lock().receiver_alive = false;
            if self.0.m.receiver_drop_notify_one {
                self.0.full_cv().notify_one();
            } else {
                self.0.full_cv().notify_all();
            }
        }
    }

    impl Shared {
        /// Waits on `cv`, or spins instead with the `spin` mistake.
        fn wait<'a>(&'a self, cv: &Condvar, s: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
            if self.m.spin {
                drop(s);
                thread::yield_now();
                self.lock()
            } else {
                cv.wait(s).unwrap()
            }
        }
    }

    impl Candidate for Wrong {
        type Tx = WrongTx;
        type Rx = WrongRx;
        fn name(self) -> String {
            self.0.to_string()
        }
        fn bounded(self, capacity: usize) -> (WrongTx, WrongRx) {
            assert!(capacity > 0, "the capacity must be at least 1");
            let shared = Arc::new(Shared {
                m: self.1,
                capacity,
                state: Mutex::new(State {
                    queue: VecDeque::new(),
                    senders: 1,
                    receiver_alive: true,
                }),
                not_empty: Condvar::new(),
                not_full: Condvar::new(),
            });
            (WrongTx(Arc::clone(&shared)), WrongRx(shared))
        }
        fn send(tx: &WrongTx, value: Item) -> Result<(), SendError<Item>> {
            let sh = &tx.0;
            let mut s = sh.lock();
            let must_wait = |s: &State| {
                (s.receiver_alive || sh.m.no_disconnection) && s.queue.len() >= sh.limit()
            };
            if sh.m.if_not_while || sh.m.if_in_send {
                if must_wait(&s) {
                    s = sh.wait(sh.full_cv(), s);
                }
            } else {
                while must_wait(&s) {
                    s = sh.wait(sh.full_cv(), s);
                }
            }
            if !s.receiver_alive && !sh.m.accepts_without_receiver && !sh.m.no_disconnection {
                return Err(SendError(value));
            }
            s.queue.push_back(value);
            drop(s);
            sh.not_empty.notify_one();
            Ok(())
        }
        fn recv(rx: &WrongRx) -> Result<Item, RecvError> {
            let sh = &rx.0;
            let mut s = sh.lock();
            let must_wait = |s: &State| s.queue.is_empty() && (s.senders > 0 || sh.m.no_disconnection);
            if sh.m.if_not_while {
                if must_wait(&s) {
                    s = sh.wait(&sh.not_empty, s);
                }
            } else {
                while must_wait(&s) {
                    s = sh.wait(&sh.not_empty, s);
                }
            }
            let was_full = s.queue.len() >= sh.limit();
            let value = s.queue.pop_front().ok_or(RecvError)?;
            drop(s);
            if sh.m.notify_on_transition && !was_full {
                // Nobody can be waiting, it reasons: the channel was not full.
            } else if sh.m.if_not_while {
                sh.full_cv().notify_all();
            } else {
                sh.full_cv().notify_one();
            }
            Ok(value)
        }
    }

    const CORRECT: Wrong = Wrong("the self-tests' channel without mistakes", Mistakes {
        one_condvar: false,
        if_not_while: false,
        one_slot_too_many: false,
        one_slot_too_few: false,
        no_disconnection: false,
        accepts_without_receiver: false,
        notify_on_transition: false,
        receiver_drop_notify_one: false,
        clone_uncounted: false,
        if_in_send: false,
        notify_before_decrement: false,
        spin: false,
        any_drop_disconnects: false,
    });

    fn wrong(name: &'static str, set: impl FnOnce(&mut Mistakes)) -> Wrong {
        let mut m = Mistakes::default();
        set(&mut m);
        Wrong(name, m)
    }

    /// Asserts that a check rejected an answer, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("answer", verdict, needle);
    }

    #[test]
    fn the_self_tests_channel_without_mistakes_passes_every_check() {
        // So that each mistake below is what the check catches, not the test's own channel.
        pass(check_fifo(CORRECT, TIMEOUT_SECS));
        pass(check_holds_capacity_values(CORRECT, TIMEOUT_SECS));
        pass(check_full_send_blocks(CORRECT, 3, TIMEOUT_SECS));
        pass(check_many_producers(CORRECT, 1, 0, TIMEOUT_SECS));
        pass(check_many_producers(CORRECT, 1, 3, TIMEOUT_SECS));
        pass(check_senders_gone(CORRECT, TIMEOUT_SECS));
        pass(check_receiver_gone(CORRECT, TIMEOUT_SECS));
        pass(check_capacity_zero_panics(CORRECT, TIMEOUT_SECS));
        pass(check_receiver_gone_wakes_every_sender(CORRECT, TIMEOUT_SECS));
        pass(check_recvs_in_a_row_wake_every_sender(CORRECT, 2, TIMEOUT_SECS));
        pass(check_woken_sender_checks_again(CORRECT, TIMEOUT_SECS));
        pass(check_one_sender_left_keeps_the_channel_open(CORRECT, TIMEOUT_SECS));
        pass(check_last_drop_always_wakes_recv(CORRECT, TIMEOUT_SECS));
        pass(check_waiting_does_not_spin(CORRECT, TIMEOUT_SECS));
    }

    #[test]
    fn one_condvar_with_notify_one_loses_a_wake_up() {
        let imp = wrong("a channel with one Condvar and notify_one", |m| m.one_condvar = true);
        // Whether a notify_one wakes a sender instead of the waiting receiver depends on the
        // interleaving: it happens in almost every run, and the self-test allows a few runs.
        rejected(
            first_rejection(5, || check_many_producers(imp, 1, 0, STUCK_AFTER_SECS)),
            "a lost wake-up",
        );
    }

    #[test]
    fn if_instead_of_while_overfills_the_channel() {
        let imp = wrong("a channel with if instead of while", |m| m.if_not_while = true);
        // A woken sender pushes without checking only if another sender filled the slot first,
        // which depends on the interleaving: it happens in almost every run, and the self-test
        // allows a few runs.
        rejected(
            first_rejection(5, || check_many_producers(imp, 1, 3, TIMEOUT_SECS)),
            "values were buffered in a channel of capacity 1",
        );
    }

    #[test]
    fn one_slot_too_many_fails_the_blocking_proof() {
        let imp = wrong("a channel with one slot too many", |m| m.one_slot_too_many = true);
        for capacity in [1, 3] {
            rejected(
                check_full_send_blocks(imp, capacity, TIMEOUT_SECS),
                &format!("send number {} returned", capacity + 1),
            );
        }
        // Everything else about it is right.
        pass(check_fifo(imp, TIMEOUT_SECS));
        pass(check_holds_capacity_values(imp, TIMEOUT_SECS));
    }

    #[test]
    fn one_slot_too_few_blocks_before_the_channel_is_full() {
        let imp = wrong("a channel with one slot too few", |m| m.one_slot_too_few = true);
        // With capacity 1 it has no room at all, and the first send blocks.
        rejected(
            check_holds_capacity_values(imp, STUCK_AFTER_SECS),
            "with capacity 1, 1 sends and no recv yet: a send blocked (timed out after 2 s)",
        );
    }

    #[test]
    fn no_disconnection_hangs_recv_and_accepts_sends() {
        let imp = wrong("a channel that does not track its ends", |m| m.no_disconnection = true);
        rejected(check_senders_gone(imp, STUCK_AFTER_SECS), "timed out after 2 s");
        rejected(check_fifo(imp, STUCK_AFTER_SECS), "timed out after 2 s");
        rejected(
            check_receiver_gone(imp, STUCK_AFTER_SECS),
            "send((7, 7)) after the Receiver was dropped returned Ok(())",
        );
    }

    #[test]
    fn accepting_sends_without_a_receiver_loses_the_value() {
        let imp = wrong("a channel that accepts sends without a receiver", |m| {
            m.accepts_without_receiver = true
        });
        rejected(
            check_receiver_gone(imp, TIMEOUT_SECS),
            "returned Ok(()) instead of Err(SendError((7, 7)))",
        );
        pass(check_senders_gone(imp, TIMEOUT_SECS));
    }

    #[test]
    fn notifying_only_when_the_channel_was_full_strands_a_sender() {
        let imp = wrong("a channel whose recv notifies only when it was full", |m| {
            m.notify_on_transition = true
        });
        // The second recv in a row comes before the woken sender has filled the channel again
        // in most rounds; the check runs five, and the self-test allows a few runs.
        rejected(
            first_rejection(3, || check_recvs_in_a_row_wake_every_sender(imp, 4, STUCK_AFTER_SECS)),
            "of the 4 waiting sends returned",
        );
        // With capacity 1 every recv finds the channel full: the mistake does not show.
        pass(check_full_send_blocks(imp, 1, TIMEOUT_SECS));
        pass(check_receiver_gone_wakes_every_sender(imp, TIMEOUT_SECS));
    }

    #[test]
    fn a_receiver_drop_with_notify_one_strands_the_other_senders() {
        let imp = wrong("a channel whose Receiver's drop calls notify_one", |m| {
            m.receiver_drop_notify_one = true
        });
        rejected(
            check_receiver_gone_wakes_every_sender(imp, STUCK_AFTER_SECS),
            "only 1 of the 3 sends returned once the Receiver was dropped",
        );
        // One waiting sender is woken: the older check, with one, passes.
        pass(check_receiver_gone(imp, TIMEOUT_SECS));
    }

    #[test]
    fn an_uncounted_clone_or_a_drop_that_always_disconnects_ends_the_channel_early() {
        for imp in [
            wrong("a channel whose Clone does not count", |m| m.clone_uncounted = true),
            wrong("a channel that any Sender's drop disconnects", |m| {
                m.any_drop_disconnects = true
            }),
        ] {
            rejected(
                check_one_sender_left_keeps_the_channel_open(imp, TIMEOUT_SECS),
                "recv on the empty channel returned Err(RecvError) instead of waiting",
            );
            // The older check's value from the remaining Sender is buffered before the recv.
            pass(check_senders_gone(imp, TIMEOUT_SECS));
        }
    }

    #[test]
    fn if_instead_of_while_in_send_alone_overfills_the_channel() {
        let imp = wrong("a channel with if instead of while in send", |m| m.if_in_send = true);
        // The recv-then-send thread wins the free slot in more than half of the rounds; the
        // check runs ten, and the self-test allows a few runs.
        rejected(
            first_rejection(3, || check_woken_sender_checks_again(imp, TIMEOUT_SECS)),
            "2 values were buffered in a channel of capacity 1",
        );
    }

    #[test]
    fn notifying_before_the_count_goes_down_can_leave_recv_waiting() {
        let imp = wrong("a channel whose Sender's drop notifies before it counts", |m| {
            m.notify_before_decrement = true
        });
        rejected(
            first_rejection(3, || check_last_drop_always_wakes_recv(imp, STUCK_AFTER_SECS)),
            "did not return when its 4 Senders were dropped at once",
        );
    }

    #[test]
    fn spinning_instead_of_waiting_is_seen_on_the_processor() {
        let imp = wrong("a channel that spins instead of waiting", |m| m.spin = true);
        // Only Linux shows a thread's processor time in /proc; elsewhere the check passes.
        if Seen::this_thread().cpu_time().is_some() {
            rejected(
                check_waiting_does_not_spin(imp, TIMEOUT_SECS),
                "a recv waiting on an empty channel used a processor for",
            );
        }
        // It is slow, but correct.
        pass(check_fifo(imp, TIMEOUT_SECS));
        pass(check_many_producers(imp, 1, 0, TIMEOUT_SECS));
    }

    #[test]
    fn accepting_capacity_zero_fails_its_check() {
        // A channel whose bounded(0) returns: it never holds a value, so every send would block.
        #[derive(Clone, Copy)]
        struct NoAssert;
        impl Candidate for NoAssert {
            type Tx = mpsc::SyncSender<Item>;
            type Rx = mpsc::Receiver<Item>;
            fn name(self) -> String {
                "std's sync_channel".to_string()
            }
            fn bounded(self, capacity: usize) -> (Self::Tx, Self::Rx) {
                mpsc::sync_channel(capacity)
            }
            fn send(tx: &Self::Tx, value: Item) -> Result<(), SendError<Item>> {
                tx.send(value)
            }
            fn recv(rx: &Self::Rx) -> Result<Item, RecvError> {
                rx.recv()
            }
        }
        rejected(
            check_capacity_zero_panics(NoAssert, TIMEOUT_SECS),
            "bounded(0) returned a channel instead of panicking",
        );
        // std's sync_channel itself passes every other check.
        pass(check_fifo(NoAssert, TIMEOUT_SECS));
        pass(check_full_send_blocks(NoAssert, 3, TIMEOUT_SECS));
        pass(check_many_producers(NoAssert, 1, 0, TIMEOUT_SECS));
        pass(check_senders_gone(NoAssert, TIMEOUT_SECS));
        pass(check_receiver_gone(NoAssert, TIMEOUT_SECS));
        pass(check_receiver_gone_wakes_every_sender(NoAssert, TIMEOUT_SECS));
        pass(check_recvs_in_a_row_wake_every_sender(NoAssert, 2, TIMEOUT_SECS));
        pass(check_woken_sender_checks_again(NoAssert, TIMEOUT_SECS));
        pass(check_one_sender_left_keeps_the_channel_open(NoAssert, TIMEOUT_SECS));
        pass(check_last_drop_always_wakes_recv(NoAssert, TIMEOUT_SECS));
        pass(check_waiting_does_not_spin(NoAssert, TIMEOUT_SECS));
    }
}

//! The hidden tests of the flag exercise.
//!
//! They grade `Mailbox`: the reference solution by default, your `src/yours.rs` with
//! `--no-default-features` (`cargo grade exercise-flag`), in two ways.
//!
//! - **Under loom.** The model checker runs a small program, one thread that publishes and one
//!   that waits, in every interleaving of its threads (up to three preemptions), and lets each
//!   load read any value the memory model allows it to read, not only the latest: this is the
//!   message-passing litmus test of §7.2, with your orderings. To run your `Mailbox` on loom's
//!   atomics, this file compiles your answer a second time, as the module `under_loom` below:
//!   the answer says `crate::sync::atomic` and `crate::hint`, and in this crate those are the
//!   modules just below, which re-export loom's. No crate is rebuilt with `--cfg loom`.
//! - **On real threads.** Many mailboxes, each published while a thread waits on it.
//!
//! Every check is a function that returns what is wrong with a mailbox, if anything. The tests
//! at the top run the checks on your `Mailbox`; the self-tests at the bottom run the same checks
//! on deliberately wrong mailboxes and show that each mistake is caught, by the check named in
//! the test. Every check runs under a watchdog, so a mailbox that blocks forever fails with a
//! message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{pass, with_timeout};
use std::time::Instant;

/// loom's atomics, for the answer compiled as `under_loom` and for the self-tests' mailboxes.
mod sync {
    pub use loom::sync::*;
}

/// loom's `spin_loop`, which yields to the model's other threads: without it, a waiting thread
/// would make loom explore its spinning for ever.
mod hint {
    pub use loom::hint::*;
}

/// Your answer (or the reference solution), compiled again on loom's atomics.
#[cfg_attr(feature = "reference", path = "../src/reference.rs")]
#[cfg_attr(not(feature = "reference"), path = "../src/yours.rs")]
#[allow(dead_code)]
mod under_loom;

/// How long a check waits for the mailbox before it gives up.
const TIMEOUT_SECS: u64 = 20;

/// The preemption bound of every loom model: loom explores every interleaving in which the
/// scheduler takes the processor from a thread that could have gone on at most this many times.
const PREEMPTIONS: usize = 3;

// ---------------------------------------------------------------------------------------------
// What the checks need of a mailbox

/// The API of the exercise, so that one check can run on your mailbox and on the wrong ones.
trait Publish: Send + Sync + 'static {
    fn new() -> Self;
    fn publish(&self, value: u64);
    fn wait(&self) -> u64;
}

/// Implements `Publish` for a type with the exercise's inherent methods.
macro_rules! mailbox {
    ($t:ty) => {
        impl Publish for $t {
            fn new() -> Self {
                <$t>::new()
            }
            fn publish(&self, value: u64) {
                <$t>::publish(self, value)
            }
            fn wait(&self) -> u64 {
                <$t>::wait(self)
            }
        }
    };
}

mailbox!(under_loom::Mailbox);
mailbox!(exercise_flag::Mailbox);

// ---------------------------------------------------------------------------------------------
// The check under loom

/// Runs `model` under loom with the preemption bound, under the watchdog, and returns how many
/// executions loom explored, or what went wrong: the model's own assertion, or loom's report.
fn explore(name: &str, what: &'static str, model: impl Fn() + Send + Sync + 'static) -> Result<usize, String> {
    let verdict = with_timeout(TIMEOUT_SECS, move || {
        let executions = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let count = std::sync::Arc::clone(&executions);
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(PREEMPTIONS);
        let started = Instant::now();
        builder.check(move || {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            model();
        });
        let n = executions.load(std::sync::atomic::Ordering::Relaxed);
        if std::env::var_os("GRADE_LOOM_STATS").is_some() {
            eprintln!("loom: {what}: {n} executions in {:.2} s", started.elapsed().as_secs_f64());
        }
        n
    });
    verdict.map_err(|e| {
        let hint = if e.contains("maximum number of branches") {
            " (does the spin loop call crate::hint::spin_loop, so that loom can run the other \
             thread?)"
        } else {
            ""
        };
        format!("{name}, under loom, {what}: {}{hint}", e.trim_end())
    })
}

/// The message-passing test: a thread publishes 42 while the model's main thread waits; `wait`
/// must return 42, in every execution.
fn check_message_passing<P: Publish>(name: &str) -> Result<usize, String> {
    explore(name, "one thread publishes 42, another waits", || {
        use loom::sync::Arc;
        let mailbox = Arc::new(P::new());
        let publisher = loom::thread::spawn({
            let mailbox = Arc::clone(&mailbox);
            move || mailbox.publish(42)
        });
        let got = mailbox.wait();
        assert!(
            got == 42,
            "wait() returned {got} instead of the 42 that was published: it saw the flag set and \
             still read the payload from before the publication"
        );
        publisher.join().unwrap();
    })
}

// ---------------------------------------------------------------------------------------------
// The checks on real threads

/// How many mailboxes the check on real threads publishes.
const ROUNDS: u64 = if cfg!(miri) { 20 } else { 500 };

/// For each of `ROUNDS` mailboxes, two threads wait while the test's thread publishes a value
/// that differs from round to round (and is never 0); both must return it. The waiters are
/// started, and meet the publisher at a `Barrier`, before the value is published. A `wait` that
/// never sees the flag leaves its waiters spinning, and the watchdog reports it.
fn check_rounds<P: Publish>(name: &str) -> Result<(), String> {
    use std::sync::{Arc, Barrier};
    use std::thread;
    let verdict = with_timeout(TIMEOUT_SECS, || -> Result<(), String> {
        for round in 1..=ROUNDS {
            let value = round * 1_000_003;
            let mailbox = Arc::new(P::new());
            let start = Arc::new(Barrier::new(3));
            let waiters: Vec<_> = (0..2)
                .map(|_| {
                    let (mailbox, start) = (Arc::clone(&mailbox), Arc::clone(&start));
                    thread::spawn(move || {
                        start.wait();
                        mailbox.wait()
                    })
                })
                .collect();
            start.wait();
            mailbox.publish(value);
            for waiter in waiters {
                let got = waiter.join().map_err(|_| "a waiting thread panicked".to_string())?;
                if got != value {
                    return Err(format!("in round {round}, wait() returned {got} instead of {value}"));
                }
            }
            // Published already: another thread's `wait` returns at once.
            let again = thread::spawn(move || mailbox.wait()).join().map_err(|_| "a thread panicked".to_string())?;
            if again != value {
                return Err(format!(
                    "in round {round}, wait() after the publication returned {again} instead of {value}"
                ));
            }
        }
        Ok(())
    });
    let case = format!("{name}, {ROUNDS} mailboxes, each published while two threads wait, on real threads");
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{case}: {problem}")),
        Err(e) => Err(format!("{case}, {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on your Mailbox

#[test]
fn the_mailbox_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<exercise_flag::Mailbox>();
}

#[test]
fn one_thread_gets_what_it_published() {
    let mailbox = exercise_flag::Mailbox::new();
    mailbox.publish(7);
    assert_eq!(mailbox.wait(), 7, "wait() after publish(7) on the same thread");
    assert_eq!(mailbox.wait(), 7, "a second wait() after publish(7)");
}

#[test]
#[cfg_attr(miri, ignore = "loom's own model checking; Miri runs the tests on real threads")]
fn loom_wait_returns_what_was_published() {
    pass(check_message_passing::<under_loom::Mailbox>("your Mailbox").map(drop));
}

#[test]
fn waiters_on_real_threads_get_the_value() {
    pass(check_rounds::<exercise_flag::Mailbox>("your Mailbox"));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong mailboxes

#[cfg(not(miri))]
mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;
    use crate::hint::spin_loop;
    use crate::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    /// Asserts that a check rejected a mailbox, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("mailbox", verdict, needle);
    }

    /// A mailbox whose orderings, and the place of its payload load, are chosen by `V`.
    pub trait Variant: Send + Sync + 'static {
        const PAYLOAD_STORE: Ordering = Ordering::Relaxed;
        const FLAG_STORE: Ordering;
        const FLAG_LOAD: Ordering;
        const PAYLOAD_LOAD: Ordering = Ordering::Relaxed;
        /// Does `wait` load the payload before it waits for the flag (instead of after)?
        const PAYLOAD_FIRST: bool = false;
    }

    pub struct Variable<V> {
        payload: AtomicU64,
        ready: AtomicBool,
        variant: std::marker::PhantomData<V>,
    }

    impl<V: Variant> Publish for Variable<V> {
        fn new() -> Self {
            Variable { payload: AtomicU64::new(0), ready: AtomicBool::new(false), variant: std::marker::PhantomData }
        }
        fn publish(&self, value: u64) {
            self.payload.store(value, V::PAYLOAD_STORE);
            self.ready.store(true, V::FLAG_STORE);
        }
        fn wait(&self) -> u64 {
            let early = if V::PAYLOAD_FIRST { Some(self.payload.load(V::PAYLOAD_LOAD)) } else { None };
            while !self.ready.load(V::FLAG_LOAD) {
                spin_loop();
            }
            early.unwrap_or_else(|| self.payload.load(V::PAYLOAD_LOAD))
        }
    }

    /// The reference solution's choices: the machinery of `Variable` is right.
    pub struct Right;
    impl Variant for Right {
        const FLAG_STORE: Ordering = Ordering::Release;
        const FLAG_LOAD: Ordering = Ordering::Acquire;
    }

    #[test]
    fn the_right_choices_pass() {
        pass(check_message_passing::<Variable<Right>>("the right variant").map(drop));
    }

    /// Every ordering `Relaxed`: message passing without a happens-before edge.
    pub struct AllRelaxed;
    impl Variant for AllRelaxed {
        const FLAG_STORE: Ordering = Ordering::Relaxed;
        const FLAG_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn all_relaxed_reads_a_stale_payload() {
        let name = "an all-Relaxed mailbox";
        rejected(check_message_passing::<Variable<AllRelaxed>>(name), "instead of the 42");
    }

    /// `Release` on the flag's store, `Relaxed` on its load: half of the pair.
    pub struct ReleaseOnly;
    impl Variant for ReleaseOnly {
        const FLAG_STORE: Ordering = Ordering::Release;
        const FLAG_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn a_release_store_without_an_acquire_load_reads_a_stale_payload() {
        let name = "a mailbox whose flag load is Relaxed";
        rejected(check_message_passing::<Variable<ReleaseOnly>>(name), "instead of the 42");
    }

    /// `Acquire` on the flag's load, `Relaxed` on its store: the other half.
    pub struct AcquireOnly;
    impl Variant for AcquireOnly {
        const FLAG_STORE: Ordering = Ordering::Relaxed;
        const FLAG_LOAD: Ordering = Ordering::Acquire;
    }

    #[test]
    fn an_acquire_load_without_a_release_store_reads_a_stale_payload() {
        let name = "a mailbox whose flag store is Relaxed";
        rejected(check_message_passing::<Variable<AcquireOnly>>(name), "instead of the 42");
    }

    /// The right pair on the flag, and on the payload too, but the payload loaded before the
    /// wait: no ordering can make a load that comes first read a store that comes later.
    pub struct PayloadFirst;
    impl Variant for PayloadFirst {
        const PAYLOAD_STORE: Ordering = Ordering::Release;
        const FLAG_STORE: Ordering = Ordering::Release;
        const FLAG_LOAD: Ordering = Ordering::Acquire;
        const PAYLOAD_LOAD: Ordering = Ordering::Acquire;
        const PAYLOAD_FIRST: bool = true;
    }

    #[test]
    fn a_payload_read_before_the_flag_is_stale() {
        let name = "a mailbox that loads the payload before it waits";
        rejected(check_message_passing::<Variable<PayloadFirst>>(name), "instead of the 42");
    }

    /// For the check on real threads (std's atomics: it runs only there): a `publish` that sets
    /// the flag first, and stores the payload only once both waiters of the round have returned,
    /// which makes certain what the wrong order allows: each waiter sees the flag and reads 0.
    pub struct FlagFirst {
        payload: std::sync::atomic::AtomicU64,
        ready: std::sync::atomic::AtomicBool,
        returned: std::sync::atomic::AtomicU64,
    }

    impl Publish for FlagFirst {
        fn new() -> Self {
            FlagFirst {
                payload: std::sync::atomic::AtomicU64::new(0),
                ready: std::sync::atomic::AtomicBool::new(false),
                returned: std::sync::atomic::AtomicU64::new(0),
            }
        }
        fn publish(&self, value: u64) {
            use std::sync::atomic::Ordering::SeqCst;
            self.ready.store(true, SeqCst);
            while self.returned.load(SeqCst) < 2 {
                std::thread::yield_now();
            }
            self.payload.store(value, SeqCst);
        }
        fn wait(&self) -> u64 {
            use std::sync::atomic::Ordering::SeqCst;
            while !self.ready.load(SeqCst) {
                std::hint::spin_loop();
            }
            let value = self.payload.load(SeqCst);
            self.returned.fetch_add(1, SeqCst);
            value
        }
    }

    #[test]
    fn a_flag_set_before_the_payload_is_caught_on_real_threads() {
        rejected(check_rounds::<FlagFirst>("a mailbox that sets the flag first"), "returned 0 instead of");
    }
}

//! The hidden tests of the counter exercise.
//!
//! They grade `exercise_counter::{MutexCounter, AtomicCounter}`: the reference solution by
//! default, your `src/yours.rs` with `--no-default-features` (`cargo grade exercise-counter`).
//!
//! Every check is a function, generic over the trait `Counter`, that returns what is wrong with a
//! counter, if anything. The tests at the top run the checks on your two counters; the
//! self-tests at the bottom run the same checks on deliberately wrong counters and show that
//! each mistake is caught. Every check runs under a watchdog, so a counter that blocks forever
//! fails with a message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{pass, with_timeout};
use exercise_counter::{AtomicCounter, Counter, MutexCounter};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

/// How long a check waits for the counter before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// The threads that increment, and how many times each.
const THREADS: usize = 8;
const EACH: u64 = 10_000;

// ---------------------------------------------------------------------------------------------
// The checks

/// On one thread: `new()` is at 0, and each `increment()` adds exactly 1.
fn check_counts_one_by_one<C: Counter + 'static>(name: &str, secs: u64) -> Result<(), String> {
    with_timeout(secs, || -> Result<(), String> {
        let counter = C::new();
        let start = counter.get();
        if start != 0 {
            return Err(format!("new().get() returned {start} instead of 0"));
        }
        for want in 1..=5 {
            counter.increment();
            let got = counter.get();
            if got != want {
                return Err(format!("after {want} increments on one thread, get() returned {got}"));
            }
        }
        Ok(())
    })
    .and_then(|verdict| verdict)
    .map_err(|e| format!("{name}: {e}"))
}

/// `threads` threads increment one counter `each` times. They meet at a `Barrier` first, so that
/// their increments overlap instead of running one thread after the other, as they might if the
/// first thread finished before the last was spawned. Once all are joined, `get()` must return
/// exactly `threads × each`: a lost increment is a read-modify-write that another one cut in two.
fn check_exact_count<C: Counter + 'static>(
    name: &str,
    threads: usize,
    each: u64,
    secs: u64,
) -> Result<(), String> {
    let want = threads as u64 * each;
    let got = with_timeout(secs, move || {
        let counter = Arc::new(C::new());
        let start = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let counter = Arc::clone(&counter);
                let start = Arc::clone(&start);
                thread::spawn(move || {
                    start.wait();
                    for _ in 0..each {
                        counter.increment();
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("an incrementing thread panicked");
        }
        counter.get()
    })
    .map_err(|e| format!("{name}, {threads} threads incrementing {each} times each, {e}"))?;
    if got != want {
        return Err(format!(
            "{name}: {threads} threads incremented {each} times each, and get() returned {got} \
             instead of {want}: {} increments were lost (is each increment one indivisible \
             read-modify-write?)",
            want.abs_diff(got)
        ));
    }
    Ok(())
}

/// While `THREADS` threads increment `EACH` times each, a sampler thread calls `get()` over and
/// over. The values it reads must never decrease and never exceed the total; once the
/// incrementing threads are joined, `get()` must return the total. All of them, the sampler
/// included, start at one `Barrier`, so the sampler reads while the others increment; and the
/// incrementing threads stop halfway at a second `Barrier` until the sampler has taken its first
/// sample, so that, in every run, at least one `get()` comes before half of the increments.
///
/// This holds in every run of a correct counter: a `Mutex` makes each `get` see all the
/// increments before it in the lock's order, and the loads of one atomic by one thread never go
/// back in its modification order. A `get` that keeps the lock (a guard that is never dropped)
/// leaves every incrementing thread waiting for it, and the watchdog reports that.
fn check_monotonic<C: Counter + 'static>(name: &str, secs: u64) -> Result<(), String> {
    let total = THREADS as u64 * EACH;
    let verdict = with_timeout(secs, move || -> Result<usize, String> {
        let counter = Arc::new(C::new());
        let start = Arc::new(Barrier::new(THREADS + 1));
        let sampled = Arc::new(Barrier::new(THREADS + 1));
        let done = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (counter, start, done) = (Arc::clone(&counter), Arc::clone(&start), Arc::clone(&done));
            let sampled = Arc::clone(&sampled);
            thread::spawn(move || -> Result<usize, String> {
                start.wait();
                let mut previous = 0;
                let mut samples = 0;
                loop {
                    // Read `done` before the sample: if it was set, this sample comes after the
                    // joins, and must be the total.
                    let finished = done.load(Ordering::Acquire);
                    let value = counter.get();
                    samples += 1;
                    if samples == 1 {
                        // Let the incrementing threads do their second half: `done` cannot have
                        // been set before this first sample.
                        sampled.wait();
                    }
                    if value < previous {
                        return Err(format!(
                            "get() returned {value} after it had returned {previous}: the count \
                             went backwards while other threads incremented"
                        ));
                    }
                    if value > total {
                        return Err(format!(
                            "get() returned {value}, more than the {total} increments there will \
                             ever be"
                        ));
                    }
                    if finished {
                        if value != total {
                            return Err(format!(
                                "once every increment had returned, get() returned {value} \
                                 instead of {total}"
                            ));
                        }
                        return Ok(samples);
                    }
                    previous = value;
                }
            })
        };
        let incrementers: Vec<_> = (0..THREADS)
            .map(|_| {
                let (counter, start, sampled) = (Arc::clone(&counter), Arc::clone(&start), Arc::clone(&sampled));
                thread::spawn(move || {
                    start.wait();
                    for _ in 0..EACH / 2 {
                        counter.increment();
                    }
                    // Wait for the sampler's first `get()`: a `get` that keeps the lock then
                    // blocks the second half, in every run.
                    sampled.wait();
                    for _ in EACH / 2..EACH {
                        counter.increment();
                    }
                })
            })
            .collect();
        for handle in incrementers {
            handle.join().map_err(|_| "an incrementing thread panicked".to_string())?;
        }
        done.store(true, Ordering::Release);
        sampler.join().map_err(|_| "the sampler thread panicked".to_string())?
    });
    let case = format!("{name}, read by a sampler while {THREADS} threads increment {EACH} times each");
    match verdict {
        Ok(Ok(_samples)) => Ok(()),
        Ok(Err(problem)) => Err(format!("{case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{case}, {e}: does get() keep the lock (a guard that is never dropped), so that no \
             thread can increment after it?"
        )),
        Err(e) => Err(format!("{case}, {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on your two counters

#[test]
fn both_counters_are_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<MutexCounter>();
    shareable::<AtomicCounter>();
}

#[test]
fn the_mutex_counter_counts_one_by_one() {
    pass(check_counts_one_by_one::<MutexCounter>("the Mutex counter", TIMEOUT_SECS));
}

#[test]
fn the_atomic_counter_counts_one_by_one() {
    pass(check_counts_one_by_one::<AtomicCounter>("the atomic counter", TIMEOUT_SECS));
}

#[test]
fn the_mutex_counter_loses_no_increment() {
    pass(check_exact_count::<MutexCounter>("the Mutex counter", THREADS, EACH, TIMEOUT_SECS));
}

#[test]
fn the_atomic_counter_loses_no_increment() {
    pass(check_exact_count::<AtomicCounter>("the atomic counter", THREADS, EACH, TIMEOUT_SECS));
}

#[test]
fn the_mutex_counter_never_goes_backwards_and_never_blocks_for_good() {
    pass(check_monotonic::<MutexCounter>("the Mutex counter", TIMEOUT_SECS));
}

#[test]
fn the_atomic_counter_never_goes_backwards() {
    pass(check_monotonic::<AtomicCounter>("the atomic counter", TIMEOUT_SECS));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong counters

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::{assert_rejected, first_rejection};
    use std::sync::atomic::{AtomicU64, AtomicUsize};
    use std::sync::{Mutex, MutexGuard};

    /// The seconds a self-test waits before it concludes that a wrong counter is stuck. A correct
    /// counter gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make these
    /// self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 2;

    /// Asserts that a check rejected a counter, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("counter", verdict, needle);
    }

    /// The threads of the forced race below, and the increments of each.
    const RACERS: usize = 4;
    const RACES: u64 = 200;

    /// A load followed by a store: the increment that is not one read-modify-write. Between the
    /// two, it waits at a `Barrier` of `RACERS` threads, which makes certain what preemption
    /// makes likely: every thread loads the same value before any of them stores. Each round of
    /// `RACERS` increments then adds 1, not `RACERS`, in every run: a store writes one more than
    /// a value loaded before that round's barrier, which is at most what the previous round
    /// left. (`Barrier::new` is a `const fn`, so the barrier can be a `static`.)
    struct LoadThenStore(AtomicU64);

    static RACE: Barrier = Barrier::new(RACERS);

    impl Counter for LoadThenStore {
        fn new() -> Self {
            LoadThenStore(AtomicU64::new(0))
        }
        fn increment(&self) {
            let value = self.0.load(Ordering::Relaxed);
            RACE.wait();
            self.0.store(value + 1, Ordering::Relaxed);
        }
        fn get(&self) -> u64 {
            self.0.load(Ordering::Relaxed)
        }
    }

    #[test]
    fn a_load_then_a_store_loses_increments() {
        rejected(
            check_exact_count::<LoadThenStore>("a load-then-store counter", RACERS, RACES, TIMEOUT_SECS),
            &format!("get() returned {RACES} instead of {}", RACERS as u64 * RACES),
        );
    }

    /// The increments of a batch that each thread keeps to itself.
    const BATCH: u64 = 1000;

    /// A counter that spares the shared total most of its traffic: each thread counts in a slot
    /// of its own, and a thread whose slot reaches `BATCH` moves the batch to the total, in two
    /// steps, adding it to the total and then resetting its slot. `get()` adds the slots and the
    /// total. Once every thread is done, it is exact; in between, a `get()` that falls between
    /// the two steps of a move counts that batch twice, and the next one, after the reset, reads
    /// up to `BATCH` less. To make that certain to happen while a sampler runs, a move waits
    /// between its two steps until two more `get`s have returned (or until it has yielded 1000
    /// times, so that without a sampler it goes on).
    struct CachesThenTotal {
        slots: [AtomicU64; SLOTS],
        total: AtomicU64,
        gets: AtomicU64,
    }

    const SLOTS: usize = 16;
    static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static SLOT: usize = NEXT_SLOT.fetch_add(1, Ordering::Relaxed) % SLOTS;
    }

    impl Counter for CachesThenTotal {
        fn new() -> Self {
            CachesThenTotal {
                slots: std::array::from_fn(|_| AtomicU64::new(0)),
                total: AtomicU64::new(0),
                gets: AtomicU64::new(0),
            }
        }
        fn increment(&self) {
            let slot = &self.slots[SLOT.with(|s| *s)];
            if slot.fetch_add(1, Ordering::SeqCst) + 1 == BATCH {
                self.total.fetch_add(BATCH, Ordering::SeqCst);
                let seen = self.gets.load(Ordering::SeqCst);
                for _ in 0..1000 {
                    if self.gets.load(Ordering::SeqCst) >= seen + 2 {
                        break;
                    }
                    thread::yield_now();
                }
                slot.fetch_sub(BATCH, Ordering::SeqCst);
            }
        }
        fn get(&self) -> u64 {
            let cached: u64 = self.slots.iter().map(|s| s.load(Ordering::SeqCst)).sum();
            let value = cached + self.total.load(Ordering::SeqCst);
            self.gets.fetch_add(1, Ordering::SeqCst);
            value
        }
    }

    #[test]
    fn per_thread_caches_that_are_reset_go_backwards() {
        let name = "a counter with per-thread caches";
        // The count itself is right: the check of the total cannot see the mistake.
        pass(check_exact_count::<CachesThenTotal>(name, THREADS, EACH, TIMEOUT_SECS));
        // Whether the sampler reads once more before the other threads have made up for the
        // batch it counted twice depends on the interleaving: it happens in almost every run (80
        // batches are moved in each), and the self-test allows a few runs.
        rejected(
            first_rejection(5, || check_monotonic::<CachesThenTotal>(name, TIMEOUT_SECS)),
            "get() returned",
        );
    }

    /// A `Mutex` counter whose `get` never releases the lock: it forgets its guard, whose drop is
    /// what unlocks. (The same happens to a guard kept in a struct, or in a `static`, that lives
    /// on.)
    struct LeakedGuard(Mutex<u64>);

    impl LeakedGuard {
        fn lock(&self) -> MutexGuard<'_, u64> {
            self.0.lock().unwrap()
        }
    }

    impl Counter for LeakedGuard {
        fn new() -> Self {
            LeakedGuard(Mutex::new(0))
        }
        fn increment(&self) {
            *self.lock() += 1;
        }
        fn get(&self) -> u64 {
            let guard = self.lock();
            let value = *guard;
            std::mem::forget(guard);
            value
        }
    }

    #[test]
    fn a_get_that_keeps_the_lock_blocks_the_others() {
        let name = "a Mutex counter whose get forgets its guard";
        // Called once, after every increment, it returns the right count.
        pass(check_exact_count::<LeakedGuard>(name, THREADS, EACH, TIMEOUT_SECS));
        rejected(check_monotonic::<LeakedGuard>(name, STUCK_AFTER_SECS), "timed out after 2 s");
    }
}

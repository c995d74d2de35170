//! The hidden tests of the sequence-lock exercise.
//!
//! They grade `SeqLock`: the reference solution by default, your `src/yours.rs` with
//! `--no-default-features` (`cargo grade exercise-seqlock`), in two ways.
//!
//! - **Under loom.** The model checker runs a small program, one writer and one reader, or two
//!   writers and a reader, in every interleaving of its threads (up to three preemptions), and
//!   lets each load read any value the memory model allows it to read, not only the latest. To
//!   run your `SeqLock` on loom's atomics, this file compiles your answer a second time, as the
//!   module `under_loom` below: the answer says `crate::sync::atomic` and `crate::hint`, and in
//!   this crate those are the modules just below, which re-export loom's. No crate is rebuilt
//!   with `--cfg loom`.
//! - **On real threads.** Two writers and two readers hammer one `SeqLock`.
//!
//! Every check is a function that returns what is wrong with a lock, if anything. The tests at
//! the top run the checks on your `SeqLock`; the self-tests at the bottom run the same checks on
//! deliberately wrong locks and show that each mistake is caught, by the check named in the
//! test. Every check runs under a watchdog, so a lock that blocks forever fails with a message
//! instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{pass, with_timeout};
use std::time::Instant;

/// loom's atomics, for the answer compiled as `under_loom` and for the self-tests' locks.
mod sync {
    pub use loom::sync::*;
}

/// loom's `spin_loop`, which yields to the model's other threads: without it, a thread that
/// spins would make loom explore its spinning for ever.
mod hint {
    pub use loom::hint::*;
}

/// loom's `UnsafeCell`, which checks every access for a data race (the starting point uses it).
#[allow(unused_imports)]
mod cell {
    pub use loom::cell::*;
}

/// Your answer (or the reference solution), compiled again on loom's atomics.
#[cfg_attr(feature = "reference", path = "../src/reference.rs")]
#[cfg_attr(not(feature = "reference"), path = "../src/yours.rs")]
#[allow(dead_code)]
mod under_loom;

/// How long a check waits for the lock before it gives up.
const TIMEOUT_SECS: u64 = 20;

/// The preemption bound of every loom model: loom explores every interleaving in which the
/// scheduler takes the processor from a thread that could have gone on at most this many times.
const PREEMPTIONS: usize = 3;

// ---------------------------------------------------------------------------------------------
// What the checks need of a lock

/// The API of the exercise, so that one check can run on your lock and on the wrong ones.
trait Lock: Send + Sync + 'static {
    fn new() -> Self;
    fn write(&self, a: u64, b: u64);
    fn read(&self) -> (u64, u64);
}

/// Implements `Lock` for a type with the exercise's inherent methods.
macro_rules! lock {
    ($t:ty) => {
        impl Lock for $t {
            fn new() -> Self {
                <$t>::new()
            }
            fn write(&self, a: u64, b: u64) {
                <$t>::write(self, a, b)
            }
            fn read(&self) -> (u64, u64) {
                <$t>::read(self)
            }
        }
    };
}

lock!(under_loom::SeqLock);
lock!(exercise_seqlock::SeqLock);

// ---------------------------------------------------------------------------------------------
// The checks under loom

/// Runs `model` under loom with the preemption bound, under the watchdog, and returns how many
/// executions loom explored, or what went wrong: the model's own assertion, or loom's report (a
/// data race on an `UnsafeCell` is a "Causality violation").
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
        let hint = if e.contains("Causality violation") {
            " (loom saw a non-atomic access of the data while another thread wrote it, and \
             nothing ordered the two: a data race, undefined behaviour however the value is used)"
        } else if e.contains("maximum number of branches") {
            " (does every spin loop call crate::hint::spin_loop, so that loom can run the other \
             threads?)"
        } else {
            ""
        };
        format!("{name}, under loom, {what}: {}{hint}", e.trim_end())
    })
}

/// The reader's verdict on one pair, inside a model: the pair is one that a write wrote whole.
fn assert_whole(who: &str, (a, b): (u64, u64), written: &[u64]) {
    assert!(
        a == b,
        "{who} got (a, b) = ({a}, {b}): half of one write and half of another, a torn read that \
         the sequence number did not catch"
    );
    assert!(written.contains(&a), "{who} got ({a}, {b}), which no write wrote (the writes: {written:?})");
}

/// One writer writes (1, 1) and then (2, 2); the model's main thread reads while it does, and
/// again after joining it. The first read must be whole, (0, 0), (1, 1) or (2, 2), and the last
/// (2, 2). (Two writes, not one: with a single write, loom does not find every torn read that the
/// memory model allows, as the self-test `with_a_single_write_loom_misses_a_relaxed_first_load`
/// shows.)
fn check_one_writer<L: Lock>(name: &str) -> Result<usize, String> {
    explore(name, "one writer of (1, 1) then (2, 2), one reader", || {
        use loom::sync::Arc;
        let lock = Arc::new(L::new());
        let writer = loom::thread::spawn({
            let lock = Arc::clone(&lock);
            move || {
                lock.write(1, 1);
                lock.write(2, 2);
            }
        });
        assert_whole("the reader", lock.read(), &[0, 1, 2]);
        writer.join().unwrap();
        let last = lock.read();
        assert!(last == (2, 2), "after joining the writer, read() returned {last:?} instead of (2, 2)");
    })
}

/// Two writers write (1, 1) and (2, 2) at the same time; once the main thread has joined both,
/// its read must be one of the two writes. Two writes that overlap can leave `a` of one and `b`
/// of the other, even if each one alone is right. (No reader runs during the writes: the model
/// with one writer checks the readers, and a third thread here would multiply the executions
/// to explore.)
fn check_two_writers<L: Lock>(name: &str) -> Result<usize, String> {
    explore(name, "two writers, of (1, 1) and of (2, 2)", || {
        use loom::sync::Arc;
        let lock = Arc::new(L::new());
        let other = loom::thread::spawn({
            let lock = Arc::clone(&lock);
            move || lock.write(2, 2)
        });
        lock.write(1, 1);
        other.join().unwrap();
        let last = lock.read();
        assert!(
            last == (1, 1) || last == (2, 2),
            "after both writes had returned, read() returned {last:?}: `a` of one write and `b` of \
             the other (are writers excluded from each other, and does each one's compare-exchange \
             acquire what the previous writer released?)"
        );
    })
}

// ---------------------------------------------------------------------------------------------
// The check on real threads

/// Each writer's writes, and how often a reader reads at least.
const WRITES: u64 = if cfg!(miri) { 30 } else { 20_000 };

/// Two writers write `WRITES` pairs each, writer `w` the pairs `(v, v)` with
/// `v = w << 32 | k` for `k` = 1, 2, …, while two readers read until both writers are done. Every
/// read must be whole and a pair that was written; once the writers are joined, the pair must be
/// the last write of one of them. The four threads start together at a `Barrier`.
fn check_stress<L: Lock>(name: &str) -> Result<(), String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Barrier};
    use std::thread;
    let verdict = with_timeout(TIMEOUT_SECS, || -> Result<(), String> {
        let lock = Arc::new(L::new());
        let start = Arc::new(Barrier::new(4));
        let done = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = [1u64, 2]
            .into_iter()
            .map(|w| {
                let (lock, start) = (Arc::clone(&lock), Arc::clone(&start));
                thread::spawn(move || {
                    start.wait();
                    for k in 1..=WRITES {
                        let v = w << 32 | k;
                        lock.write(v, v);
                    }
                })
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (lock, start, done) = (Arc::clone(&lock), Arc::clone(&start), Arc::clone(&done));
                thread::spawn(move || -> Result<(), String> {
                    start.wait();
                    loop {
                        let finished = done.load(Ordering::Relaxed);
                        let (a, b) = lock.read();
                        if a != b {
                            return Err(format!(
                                "a reader got (a, b) = ({a:#x}, {b:#x}): half of one write and \
                                 half of another"
                            ));
                        }
                        let (w, k) = (a >> 32, a & 0xffff_ffff);
                        if a != 0 && !((w == 1 || w == 2) && (1..=WRITES).contains(&k)) {
                            return Err(format!("a reader got ({a:#x}, {b:#x}), which no write wrote"));
                        }
                        if finished {
                            return Ok(());
                        }
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.join().map_err(|_| "a writer panicked".to_string())?;
        }
        done.store(true, Ordering::Relaxed);
        for reader in readers {
            reader.join().map_err(|_| "a reader panicked".to_string())??;
        }
        let last = lock.read();
        let (one, two) = (1 << 32 | WRITES, 2 << 32 | WRITES);
        if last != (one, one) && last != (two, two) {
            return Err(format!(
                "once both writers had returned, read() returned ({:#x}, {:#x}), not the last \
                 write of one of them, ({one:#x}, {one:#x}) or ({two:#x}, {two:#x}): two writes \
                 overlapped (are writers excluded from each other?)",
                last.0, last.1
            ));
        }
        Ok(())
    });
    let case = format!("{name}, two writers of {WRITES} pairs each and two readers, on real threads");
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{case}: {problem}")),
        Err(e) => Err(format!("{case}, {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on your SeqLock

#[test]
fn the_lock_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<exercise_seqlock::SeqLock>();
}

#[test]
fn one_thread_reads_what_it_wrote() {
    let lock = exercise_seqlock::SeqLock::new();
    assert_eq!(lock.read(), (0, 0), "new().read()");
    for n in 1..=3 {
        lock.write(n, 10 * n);
        assert_eq!(lock.read(), (n, 10 * n), "read() after write({n}, {})", 10 * n);
    }
}

#[test]
#[cfg_attr(miri, ignore = "loom's own model checking; Miri runs the tests on real threads")]
fn loom_one_writer_one_reader_never_tears() {
    pass(check_one_writer::<under_loom::SeqLock>("your SeqLock").map(drop));
}

#[test]
#[cfg_attr(miri, ignore = "loom's own model checking; Miri runs the tests on real threads")]
fn loom_two_writers_are_excluded() {
    pass(check_two_writers::<under_loom::SeqLock>("your SeqLock").map(drop));
}

#[test]
fn two_writers_and_two_readers_on_real_threads() {
    pass(check_stress::<exercise_seqlock::SeqLock>("your SeqLock"));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong locks

#[cfg(not(miri))]
mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;
    use crate::cell::UnsafeCell;
    use crate::hint::spin_loop;
    use crate::sync::atomic::{AtomicU64, Ordering, fence};

    /// Asserts that a check rejected a lock, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("lock", verdict, needle);
    }

    /// The seed, as the exercise starts: non-atomic data (in loom's `UnsafeCell`, which checks
    /// each access), a writer that takes the odd number with `fetch_add(1, AcqRel)`, and a
    /// reader with no fence.
    pub struct Seed {
        seq: AtomicU64,
        a: UnsafeCell<u64>,
        b: UnsafeCell<u64>,
    }
    unsafe impl Sync for Seed {}
    impl Seed {
        fn new() -> Self {
            Seed { seq: AtomicU64::new(0), a: UnsafeCell::new(0), b: UnsafeCell::new(0) }
        }
        fn write(&self, a: u64, b: u64) {
            self.seq.fetch_add(1, Ordering::AcqRel);
            self.a.with_mut(|p| unsafe { *p = a });
            self.b.with_mut(|p| unsafe { *p = b });
            self.seq.fetch_add(1, Ordering::Release);
        }
        fn read(&self) -> (u64, u64) {
            loop {
                let s1 = self.seq.load(Ordering::Acquire);
                if s1 % 2 == 1 {
                    spin_loop();
                    continue;
                }
                let a = self.a.with(|p| unsafe { p.read_volatile() });
                let b = self.b.with(|p| unsafe { p.read_volatile() });
                if s1 == self.seq.load(Ordering::Acquire) {
                    return (a, b);
                }
            }
        }
    }
    lock!(Seed);

    #[test]
    fn the_seed_races_on_its_data() {
        rejected(check_one_writer::<Seed>("the seed"), "Causality violation");
    }

    /// A sequence lock on atomic words whose orderings, fences and writer exclusion are chosen
    /// by `V`, one `Variant` per mistake; `Right` is the reference solution's choice, and the
    /// others change one thing each (or, for the seed and all-`Relaxed`, several).
    trait Variant: Send + Sync + 'static {
        /// Do writers take the odd number with a compare-exchange from an even value (or, if
        /// not, with `fetch_add(1)`, which any number of writers can do at once)?
        const EXCLUDES: bool = true;
        /// The ordering of the operation that makes `seq` odd, on success.
        const BEGIN: Ordering;
        const RELEASE_FENCE: bool;
        /// The ordering of the operation that makes `seq` even again.
        const END: Ordering;
        const FIRST_LOAD: Ordering;
        const ACQUIRE_FENCE: bool;
        const SECOND_LOAD: Ordering;
    }

    pub struct Variable<V> {
        seq: AtomicU64,
        a: AtomicU64,
        b: AtomicU64,
        variant: std::marker::PhantomData<V>,
    }

    impl<V: Variant> Lock for Variable<V> {
        fn new() -> Self {
            Variable {
                seq: AtomicU64::new(0),
                a: AtomicU64::new(0),
                b: AtomicU64::new(0),
                variant: std::marker::PhantomData,
            }
        }
        fn write(&self, a: u64, b: u64) {
            if V::EXCLUDES {
                let mut s = self.seq.load(Ordering::Relaxed);
                loop {
                    if s % 2 == 0 {
                        match self.seq.compare_exchange(s, s + 1, V::BEGIN, Ordering::Relaxed) {
                            Ok(_) => break,
                            Err(now) => s = now,
                        }
                    } else {
                        spin_loop();
                        s = self.seq.load(Ordering::Relaxed);
                    }
                }
            } else {
                self.seq.fetch_add(1, V::BEGIN);
            }
            if V::RELEASE_FENCE {
                fence(Ordering::Release);
            }
            self.a.store(a, Ordering::Relaxed);
            self.b.store(b, Ordering::Relaxed);
            self.seq.fetch_add(1, V::END);
        }
        fn read(&self) -> (u64, u64) {
            loop {
                let s1 = self.seq.load(V::FIRST_LOAD);
                if s1 % 2 == 0 {
                    let a = self.a.load(Ordering::Relaxed);
                    let b = self.b.load(Ordering::Relaxed);
                    if V::ACQUIRE_FENCE {
                        fence(Ordering::Acquire);
                    }
                    if s1 == self.seq.load(V::SECOND_LOAD) {
                        return (a, b);
                    }
                }
                spin_loop();
            }
        }
    }

    /// The reference solution's choices: the machinery of `Variable` is right.
    pub struct Right;
    impl Variant for Right {
        const BEGIN: Ordering = Ordering::Acquire;
        const RELEASE_FENCE: bool = true;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = true;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn the_right_choices_pass() {
        pass(check_one_writer::<Variable<Right>>("the right variant").map(drop));
        pass(check_two_writers::<Variable<Right>>("the right variant").map(drop));
    }

    /// The seed's orderings and its `fetch_add`s, with the data in atomic words: no data race
    /// any more, and still torn reads.
    pub struct SeedOrderings;
    impl Variant for SeedOrderings {
        const EXCLUDES: bool = false;
        const BEGIN: Ordering = Ordering::AcqRel;
        const RELEASE_FENCE: bool = false;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = false;
        const SECOND_LOAD: Ordering = Ordering::Acquire;
    }

    #[test]
    fn the_seeds_orderings_with_atomic_data_tear() {
        rejected(check_one_writer::<Variable<SeedOrderings>>("the seed with atomic data"), "torn read");
    }

    /// The right orderings and fences, but writers that take the odd number with `fetch_add`:
    /// right for one writer, wrong for two.
    pub struct NoExclusion;
    impl Variant for NoExclusion {
        const EXCLUDES: bool = false;
        const BEGIN: Ordering = Ordering::Acquire;
        const RELEASE_FENCE: bool = true;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = true;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn writers_that_are_not_excluded_overlap() {
        let name = "a lock whose writers use fetch_add";
        pass(check_one_writer::<Variable<NoExclusion>>(name).map(drop));
        rejected(check_two_writers::<Variable<NoExclusion>>(name), "`a` of one write");
    }

    /// The writer without its release fence: the compare-exchange is `AcqRel` instead, the
    /// seed's idea of keeping the data stores after it.
    pub struct NoReleaseFence;
    impl Variant for NoReleaseFence {
        const BEGIN: Ordering = Ordering::AcqRel;
        const RELEASE_FENCE: bool = false;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = true;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn a_writer_without_its_release_fence_tears() {
        rejected(check_one_writer::<Variable<NoReleaseFence>>("a writer without fence(Release)"), "torn read");
    }

    /// The reader without its acquire fence: the second load of `seq` is `Acquire` instead.
    pub struct NoAcquireFence;
    impl Variant for NoAcquireFence {
        const BEGIN: Ordering = Ordering::Acquire;
        const RELEASE_FENCE: bool = true;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = false;
        const SECOND_LOAD: Ordering = Ordering::Acquire;
    }

    #[test]
    fn a_reader_without_its_acquire_fence_tears() {
        rejected(check_one_writer::<Variable<NoAcquireFence>>("a reader without fence(Acquire)"), "torn read");
    }

    /// The reader's first load of `seq` `Relaxed`: its `fence(Acquire)` comes after the data
    /// loads, so it orders nothing before them, and they may read words older than the `seq`
    /// they follow. (loom finds this one only when the writer writes twice.)
    pub struct RelaxedFirstLoad;
    impl Variant for RelaxedFirstLoad {
        const BEGIN: Ordering = Ordering::Acquire;
        const RELEASE_FENCE: bool = true;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Relaxed;
        const ACQUIRE_FENCE: bool = true;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn a_relaxed_first_load_tears() {
        rejected(check_one_writer::<Variable<RelaxedFirstLoad>>("a reader whose first load is Relaxed"), "torn read");
    }

    /// loom's limit that the model with one writer works around: when the writer writes only
    /// once, loom explores no execution in which a reader whose first load is `Relaxed` tears,
    /// though the memory model allows one (its first load reads the final 2, its load of `a`
    /// the initial 0, its load of `b` the 1). If a version of loom finds it, this test fails,
    /// and the book's page says something that is no longer true.
    #[test]
    fn with_a_single_write_loom_misses_a_relaxed_first_load() {
        let verdict = explore("a reader whose first load is Relaxed", "one writer of (1, 1), one reader", || {
            use loom::sync::Arc;
            let lock = Arc::new(<Variable<RelaxedFirstLoad> as Lock>::new());
            let writer = loom::thread::spawn({
                let lock = Arc::clone(&lock);
                move || lock.write(1, 1)
            });
            assert_whole("the reader", lock.read(), &[0, 1]);
            writer.join().unwrap();
        });
        assert!(verdict.is_ok(), "loom now finds it: {verdict:?}");
    }

    /// Writers excluded by a `Relaxed` compare-exchange: the next writer does not synchronize
    /// with the previous one, so its stores need not come after the previous writer's in each
    /// word, and the words can end with one from each.
    pub struct RelaxedBegin;
    impl Variant for RelaxedBegin {
        const BEGIN: Ordering = Ordering::Relaxed;
        const RELEASE_FENCE: bool = true;
        const END: Ordering = Ordering::Release;
        const FIRST_LOAD: Ordering = Ordering::Acquire;
        const ACQUIRE_FENCE: bool = true;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn a_relaxed_compare_exchange_lets_writes_mix() {
        let name = "a lock whose compare-exchange is Relaxed";
        rejected(check_two_writers::<Variable<RelaxedBegin>>(name), "`a` of one write");
    }

    /// Writers excluded, and every ordering `Relaxed`, with no fence.
    pub struct AllRelaxed;
    impl Variant for AllRelaxed {
        const BEGIN: Ordering = Ordering::Relaxed;
        const RELEASE_FENCE: bool = false;
        const END: Ordering = Ordering::Relaxed;
        const FIRST_LOAD: Ordering = Ordering::Relaxed;
        const ACQUIRE_FENCE: bool = false;
        const SECOND_LOAD: Ordering = Ordering::Relaxed;
    }

    #[test]
    fn all_relaxed_tears() {
        rejected(check_one_writer::<Variable<AllRelaxed>>("an all-Relaxed lock"), "torn read");
    }

    /// Two writers that overlap in every call, on real threads, for the stress check: the
    /// writers' `fetch_add`s let both in, and a `Barrier` of 2 makes the worst interleaving
    /// certain. Of the two calls of each round, the first (by a ticket) stores `a`, lets the
    /// second store both words, and then stores `b`, so that `a` holds the second call's value
    /// and `b` the first's: a torn pair, with `seq` even, in every round. (std's atomics here,
    /// not loom's: this lock runs only on real threads.)
    pub struct ForcedOverlap {
        seq: std::sync::atomic::AtomicU64,
        a: std::sync::atomic::AtomicU64,
        b: std::sync::atomic::AtomicU64,
        ticket: std::sync::atomic::AtomicU64,
    }

    static ROUND: std::sync::Barrier = std::sync::Barrier::new(2);

    impl Lock for ForcedOverlap {
        fn new() -> Self {
            use std::sync::atomic::AtomicU64;
            ForcedOverlap {
                seq: AtomicU64::new(0),
                a: AtomicU64::new(0),
                b: AtomicU64::new(0),
                ticket: AtomicU64::new(0),
            }
        }
        fn write(&self, a: u64, b: u64) {
            use std::sync::atomic::Ordering::SeqCst;
            self.seq.fetch_add(1, SeqCst);
            if self.ticket.fetch_add(1, SeqCst) % 2 == 0 {
                self.a.store(a, SeqCst);
                ROUND.wait();
                ROUND.wait();
                self.b.store(b, SeqCst);
            } else {
                ROUND.wait();
                self.a.store(a, SeqCst);
                self.b.store(b, SeqCst);
                ROUND.wait();
            }
            self.seq.fetch_add(1, SeqCst);
        }
        fn read(&self) -> (u64, u64) {
            use std::sync::atomic::Ordering::SeqCst;
            loop {
                let s1 = self.seq.load(SeqCst);
                if s1 % 2 == 0 {
                    let (a, b) = (self.a.load(SeqCst), self.b.load(SeqCst));
                    if s1 == self.seq.load(SeqCst) {
                        return (a, b);
                    }
                }
                std::hint::spin_loop();
            }
        }
    }

    #[test]
    fn overlapping_writers_are_caught_on_real_threads() {
        rejected(check_stress::<ForcedOverlap>("a lock whose writers overlap"), "half of one write");
    }
}

//! The hidden tests of the thread-pool exercise.
//!
//! They grade `exercise_thread_pool::ThreadPool`: the reference solution by default, your
//! `src/yours.rs` with `--no-default-features` (`cargo grade exercise-thread-pool`).
//!
//! Every check is a function that takes a way to make a pool and returns what is wrong with it,
//! if anything. The tests at the top run the checks on the submitted pool; the self-tests at the
//! bottom run the same checks on deliberately wrong pools and show that each mistake is caught.
//! Every check runs under a watchdog, so a pool that deadlocks fails with a message instead of
//! hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{pass, with_timeout};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::Duration;

/// How long a check waits for the pool before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// How long the first job of the drop check takes. A correct pool passes whatever happens during
/// it: it only gives a wrong `Drop` the time to show its mistake.
const HOLD: Duration = Duration::from_millis(100);

/// A job, as the checks hand it to a pool.
type Job = Box<dyn FnOnce() + Send + 'static>;

// ---------------------------------------------------------------------------------------------
// The pool under test

/// A thread pool, as the checks use it: dropping it is its `Drop`.
trait Pool: 'static {
    fn execute(&self, job: Job);
}

impl Pool for exercise_thread_pool::ThreadPool {
    fn execute(&self, job: Job) {
        exercise_thread_pool::ThreadPool::execute(self, job)
    }
}

/// What the checks are given: a name, and how to start a pool of n workers.
trait Candidate: Copy + Send + 'static {
    type P: Pool;
    fn name(self) -> String;
    fn start(self, workers: usize) -> Self::P;
}

/// The pool the crate exports: your answer, or the reference solution.
#[derive(Clone, Copy)]
struct Submitted;

impl Candidate for Submitted {
    type P = exercise_thread_pool::ThreadPool;
    fn name(self) -> String {
        "your pool".to_string()
    }
    fn start(self, workers: usize) -> Self::P {
        exercise_thread_pool::ThreadPool::new(workers)
    }
}

// ---------------------------------------------------------------------------------------------
// The watchdog

/// A watchdog verdict whose job returns a verdict of its own, flattened, with `case` in front.
fn flatten(case: &str, verdict: Result<Result<(), String>, String>, stuck: &str) -> Result<(), String> {
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!("{case}, {e}: {stuck}")),
        Err(e) => Err(format!("{case}, {e}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// `new(0)` panics; `new(1)` does not, and its drop returns.
fn check_zero_workers_panics<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let name = imp.name();
    with_timeout(secs, move || drop(imp.start(1))).map_err(|e| format!("{name}: new(1), then drop, {e}"))?;
    match with_timeout(secs, move || drop(imp.start(0))) {
        Err(e) if e.starts_with("panicked") => Ok(()),
        Err(e) => Err(format!("{name}: new(0) {e} instead of panicking")),
        Ok(()) => Err(format!("{name}: new(0) returned a pool instead of panicking")),
    }
}

/// A pool of 4 runs 100 jobs; once it is dropped, each has run exactly once, on one of at most 4
/// threads, none of them the thread that called `execute`. Job i adds i to a sum, which must be
/// 5050. (A `ThreadId` is never reused within a process, so a pool that starts a thread per job
/// shows up as 100 threads.)
fn check_all_run_once<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    const WORKERS: usize = 4;
    const JOBS: usize = 100;
    let case = format!("{}: new({WORKERS}), {JOBS} jobs, then drop", imp.name());
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let runs: Arc<Vec<AtomicUsize>> = Arc::new((0..=JOBS).map(|_| AtomicUsize::new(0)).collect());
        let sum = Arc::new(AtomicU64::new(0));
        let threads = Arc::new(Mutex::new(HashSet::new()));
        let pool = imp.start(WORKERS);
        for i in 1..=JOBS {
            let (runs, sum, threads) = (Arc::clone(&runs), Arc::clone(&sum), Arc::clone(&threads));
            pool.execute(Box::new(move || {
                threads.lock().unwrap().insert(thread::current().id());
                runs[i].fetch_add(1, Ordering::Relaxed);
                sum.fetch_add(i as u64, Ordering::Relaxed);
            }));
        }
        drop(pool);
        if let Some(i) = (1..=JOBS).find(|&i| runs[i].load(Ordering::Relaxed) != 1) {
            return Err(format!(
                "job {i} ran {} times instead of once (after drop returned)",
                runs[i].load(Ordering::Relaxed)
            ));
        }
        let sum = sum.load(Ordering::Relaxed);
        if sum != 5050 {
            return Err(format!("the jobs added up to {sum} instead of 5050"));
        }
        let threads = threads.lock().unwrap();
        if threads.contains(&thread::current().id()) {
            return Err("a job ran on the thread that called execute: jobs run on the workers".to_string());
        }
        if threads.len() > WORKERS {
            return Err(format!(
                "the jobs ran on {} different threads: a pool of {WORKERS} uses {WORKERS} workers, \
                 each running job after job",
                threads.len()
            ));
        }
        Ok(())
    });
    flatten(&case, verdict, "the pool's drop never returned, or a job never ran")
}

/// n jobs on a pool of n workers each wait at one `Barrier::new(n)`, which opens only once all n
/// wait: they can all finish only if n workers run jobs at the same time. A pool that runs one
/// job at a time (one worker, or workers that hold the queue's lock while they run a job)
/// leaves the first job waiting forever, and the watchdog reports it.
fn check_concurrent<C: Candidate>(imp: C, workers: usize, secs: u64) -> Result<(), String> {
    let case = format!(
        "{}: new({workers}), and {workers} jobs that each wait at a Barrier::new({workers})",
        imp.name()
    );
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let pool = imp.start(workers);
        let meeting = Arc::new(Barrier::new(workers));
        let (done, finished) = mpsc::channel();
        for i in 0..workers {
            let (meeting, done) = (Arc::clone(&meeting), done.clone());
            pool.execute(Box::new(move || {
                meeting.wait();
                let _ = done.send(i);
            }));
        }
        for _ in 0..workers {
            finished.recv().map_err(|_| "a job was dropped without running".to_string())?;
        }
        drop(pool);
        Ok(())
    });
    flatten(
        &case,
        verdict,
        "the jobs never all waited at the barrier together, so the workers do not run jobs at the \
         same time (does a worker hold the queue's lock while it runs a job?)",
    )
}

/// Dropping the pool runs the queued jobs and waits for them. On a pool of one worker, a first
/// job takes `HOLD`, and ten quick jobs queue behind it; the pool is dropped at once. Every job
/// logs itself, and the check logs "dropped" after the drop returns: the log must be the first
/// job, the ten others in order, then "dropped". A correct pool gives that log in every run. A
/// `drop` that does not join returns during the first job; one that tells the worker to stop
/// after its current job loses the ten.
fn check_drop_runs_queued_jobs_and_joins<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = format!("{}: new(1), a job that takes {HOLD:?}, ten quick jobs, then drop", imp.name());
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let log = Arc::new(Mutex::new(Vec::new()));
        let pool = imp.start(1);
        {
            let log = Arc::clone(&log);
            pool.execute(Box::new(move || {
                thread::sleep(HOLD);
                log.lock().unwrap().push("slow".to_string());
            }));
        }
        for i in 0..10 {
            let log = Arc::clone(&log);
            pool.execute(Box::new(move || log.lock().unwrap().push(format!("quick {i}"))));
        }
        drop(pool);
        log.lock().unwrap().push("dropped".to_string());
        let got = log.lock().unwrap().clone();
        let want: Vec<String> = std::iter::once("slow".to_string())
            .chain((0..10).map(|i| format!("quick {i}")))
            .chain(std::iter::once("dropped".to_string()))
            .collect();
        if got != want {
            return Err(format!(
                "the log is {got:?} instead of {want:?}: drop must run every queued job and \
                 join the workers before it returns"
            ));
        }
        Ok(())
    });
    flatten(&case, verdict, "drop never returned")
}

/// A panicking job affects no other. A pool of 2 runs 100 jobs, of which the 10 whose number is
/// a multiple of 10 panic, and the others add their number to a sum; then 2 jobs that wait at a
/// `Barrier::new(2)`, which need both workers; then the pool is dropped. The sum must be
/// 5050 − 550 = 4500, the two waiting jobs must finish, and drop must return. A worker that does
/// not catch a panic dies with its job: after two panics, no worker is left.
fn check_survives_panics<C: Candidate>(imp: C, secs: u64) -> Result<(), String> {
    let case = format!(
        "{}: new(2), 100 jobs of which 10 panic, then 2 jobs at a Barrier::new(2), then drop",
        imp.name()
    );
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let sum = Arc::new(AtomicU64::new(0));
        let pool = imp.start(2);
        for i in 1..=100u64 {
            let sum = Arc::clone(&sum);
            pool.execute(Box::new(move || {
                if i % 10 == 0 {
                    panic!("job {i} panics on purpose");
                }
                sum.fetch_add(i, Ordering::Relaxed);
            }));
        }
        let meeting = Arc::new(Barrier::new(2));
        let (done, finished) = mpsc::channel();
        for i in 0..2 {
            let (meeting, done) = (Arc::clone(&meeting), done.clone());
            pool.execute(Box::new(move || {
                meeting.wait();
                let _ = done.send(i);
            }));
        }
        for _ in 0..2 {
            finished.recv().map_err(|_| "a job after the panics was dropped without running".to_string())?;
        }
        drop(pool);
        let sum = sum.load(Ordering::Relaxed);
        if sum != 4500 {
            return Err(format!(
                "the jobs that did not panic added up to {sum} instead of 4500: jobs were lost"
            ));
        }
        Ok(())
    });
    flatten(
        &case,
        verdict,
        "the jobs after the panics never all ran, or drop never returned (does a job's panic \
         kill its worker?)",
    )
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on the submitted pool

#[test]
fn the_pool_can_be_shared_with_threads() {
    fn sendable<T: Send>() {}
    sendable::<exercise_thread_pool::ThreadPool>();
}

#[test]
fn a_pool_of_zero_workers_panics() {
    pass(check_zero_workers_panics(Submitted, TIMEOUT_SECS));
}

#[test]
fn every_job_runs_exactly_once_on_the_workers() {
    pass(check_all_run_once(Submitted, TIMEOUT_SECS));
}

#[test]
fn the_workers_run_jobs_at_the_same_time() {
    for workers in [2, 4] {
        pass(check_concurrent(Submitted, workers, TIMEOUT_SECS));
    }
}

#[test]
fn drop_runs_the_queued_jobs_and_joins() {
    pass(check_drop_runs_queued_jobs_and_joins(Submitted, TIMEOUT_SECS));
}

#[test]
fn a_panicking_job_loses_no_other_job() {
    pass(check_survives_panics(Submitted, TIMEOUT_SECS));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong pools

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::atomic::AtomicBool;
    use std::thread::JoinHandle;

    /// The seconds a self-test waits before it concludes that a wrong pool is stuck. A correct
    /// pool gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make these
    /// self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 2;

    /// Asserts that a check rejected a pool, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("pool", verdict, needle);
    }

    /// The mistakes a wrong pool makes; with none, it is the usual design.
    #[derive(Clone, Copy, Default)]
    struct Mistakes {
        /// `while let Ok(job) = receiver.lock().unwrap().recv() { job() }`: the guard lives to
        /// the end of the body, so a worker holds the lock while its job runs.
        while_let: bool,
        /// One worker, whatever the size asked for.
        one_worker: bool,
        /// Runs jobs without `catch_unwind`: a panic kills the worker.
        no_catch: bool,
        /// `drop` closes the queue but does not join.
        no_join: bool,
        /// `drop` tells the workers to stop after their current job, discarding the queue.
        discards_queue: bool,
    }

    #[derive(Clone, Copy)]
    struct Wrong(&'static str, Mistakes);

    struct WrongPool {
        m: Mistakes,
        sender: Option<mpsc::Sender<Job>>,
        workers: Vec<JoinHandle<()>>,
        stop: Arc<AtomicBool>,
    }

    impl Pool for WrongPool {
        fn execute(&self, job: Job) {
            self.sender.as_ref().unwrap().send(job).expect("a worker is alive");
        }
    }

    impl Drop for WrongPool {
        fn drop(&mut self) {
            if self.m.discards_queue {
                self.stop.store(true, Ordering::SeqCst);
            }
            drop(self.sender.take());
            if !self.m.no_join {
                for worker in self.workers.drain(..) {
                    let _ = worker.join();
                }
            }
        }
    }

    fn run(m: Mistakes, job: Job) {
        if m.no_catch {
            job();
        } else {
            let _ = panic::catch_unwind(AssertUnwindSafe(job));
        }
    }

    impl Candidate for Wrong {
        type P = WrongPool;
        fn name(self) -> String {
            self.0.to_string()
        }
        fn start(self, workers: usize) -> WrongPool {
            assert!(workers > 0, "a pool needs a worker");
            let m = self.1;
            let (sender, receiver) = mpsc::channel::<Job>();
            let receiver = Arc::new(Mutex::new(receiver));
            let stop = Arc::new(AtomicBool::new(false));
            let count = if m.one_worker { 1 } else { workers };
            let workers = (0..count)
                .map(|_| {
                    let (receiver, stop) = (Arc::clone(&receiver), Arc::clone(&stop));
                    thread::spawn(move || {
                        if m.while_let {
                            while let Ok(job) = receiver.lock().unwrap().recv() {
                                run(m, job);
                            }
                            return;
                        }
                        loop {
                            if m.discards_queue && stop.load(Ordering::SeqCst) {
                                return;
                            }
                            let message = receiver.lock().unwrap().recv();
                            match message {
                                Ok(job) => run(m, job),
                                Err(_) => return,
                            }
                        }
                    })
                })
                .collect();
            WrongPool { m, sender: Some(sender), workers, stop }
        }
    }

    fn wrong(name: &'static str, set: impl FnOnce(&mut Mistakes)) -> Wrong {
        let mut m = Mistakes::default();
        set(&mut m);
        Wrong(name, m)
    }

    #[test]
    fn the_self_tests_pool_without_mistakes_passes_every_check() {
        // So that each mistake below is what the check catches, not the test's own pool.
        let correct = wrong("the self-tests' pool without mistakes", |_| {});
        pass(check_zero_workers_panics(correct, TIMEOUT_SECS));
        pass(check_all_run_once(correct, TIMEOUT_SECS));
        pass(check_concurrent(correct, 4, TIMEOUT_SECS));
        pass(check_drop_runs_queued_jobs_and_joins(correct, TIMEOUT_SECS));
        pass(check_survives_panics(correct, TIMEOUT_SECS));
    }

    #[test]
    fn while_let_runs_one_job_at_a_time() {
        let imp = wrong("a pool whose workers loop with while let", |m| m.while_let = true);
        rejected(check_concurrent(imp, 2, STUCK_AFTER_SECS), "timed out after 2 s");
        // Everything else about it is right.
        pass(check_all_run_once(imp, TIMEOUT_SECS));
        pass(check_drop_runs_queued_jobs_and_joins(imp, TIMEOUT_SECS));
    }

    #[test]
    fn one_worker_fails_the_barrier() {
        let imp = wrong("a pool with one worker", |m| m.one_worker = true);
        rejected(check_concurrent(imp, 2, STUCK_AFTER_SECS), "timed out after 2 s");
        pass(check_all_run_once(imp, TIMEOUT_SECS));
    }

    #[test]
    fn a_panic_that_kills_its_worker_loses_the_later_jobs() {
        let imp = wrong("a pool without catch_unwind", |m| m.no_catch = true);
        // Once both workers are dead, the Receiver is dropped with them, and the next execute
        // panics; or, if the last jobs were queued before, they are never run.
        let verdict = check_survives_panics(imp, STUCK_AFTER_SECS);
        assert!(
            verdict.as_ref().is_err_and(|e| e.contains("timed out after 2 s") || e.contains("a worker is alive")),
            "unexpected verdict: {verdict:?}"
        );
        pass(check_concurrent(imp, 4, TIMEOUT_SECS));
    }

    #[test]
    fn a_drop_that_does_not_join_returns_too_early() {
        let imp = wrong("a pool whose drop does not join", |m| m.no_join = true);
        rejected(check_drop_runs_queued_jobs_and_joins(imp, TIMEOUT_SECS), r#"instead of ["slow""#);
    }

    #[test]
    fn a_drop_that_discards_the_queue_loses_jobs() {
        let imp = wrong("a pool whose drop discards the queue", |m| m.discards_queue = true);
        rejected(
            check_drop_runs_queued_jobs_and_joins(imp, TIMEOUT_SECS),
            // The log is ["slow", "dropped"], or just ["dropped"] if drop came before the worker
            // took the slow job: rejected either way.
            "drop must run every queued job and join the workers",
        );
    }

    /// Runs each job on the thread that calls `execute`.
    #[derive(Clone, Copy)]
    struct Inline;
    struct InlinePool;
    impl Pool for InlinePool {
        fn execute(&self, job: Job) {
            job();
        }
    }
    impl Candidate for Inline {
        type P = InlinePool;
        fn name(self) -> String {
            "a pool that runs each job in execute".to_string()
        }
        fn start(self, workers: usize) -> InlinePool {
            assert!(workers > 0);
            InlinePool
        }
    }

    #[test]
    fn running_jobs_in_execute_is_caught() {
        rejected(check_all_run_once(Inline, TIMEOUT_SECS), "a job ran on the thread that called execute");
        rejected(check_concurrent(Inline, 2, STUCK_AFTER_SECS), "timed out after 2 s");
    }

    /// Starts a thread for each job, and joins them all on drop.
    #[derive(Clone, Copy)]
    struct ThreadPerJob;
    struct ThreadPerJobPool(Mutex<Vec<JoinHandle<()>>>);
    impl Pool for ThreadPerJobPool {
        fn execute(&self, job: Job) {
            self.0.lock().unwrap().push(thread::spawn(job));
        }
    }
    impl Drop for ThreadPerJobPool {
        fn drop(&mut self) {
            for handle in self.0.lock().unwrap().drain(..) {
                let _ = handle.join();
            }
        }
    }
    impl Candidate for ThreadPerJob {
        type P = ThreadPerJobPool;
        fn name(self) -> String {
            "a pool that starts a thread per job".to_string()
        }
        fn start(self, workers: usize) -> ThreadPerJobPool {
            assert!(workers > 0);
            ThreadPerJobPool(Mutex::new(Vec::new()))
        }
    }

    #[test]
    fn a_thread_per_job_is_caught() {
        rejected(check_all_run_once(ThreadPerJob, TIMEOUT_SECS), "the jobs ran on 100 different threads");
        // It runs jobs at the same time, and its drop waits for them: only the count shows it.
        pass(check_concurrent(ThreadPerJob, 4, TIMEOUT_SECS));
        pass(check_survives_panics(ThreadPerJob, TIMEOUT_SECS));
    }
}

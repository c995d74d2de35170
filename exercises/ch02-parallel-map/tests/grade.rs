//! The hidden tests of the parallel-map exercise.
//!
//! They grade `exercise_parallel_map::parallel_map`: the reference solution by default, your
//! `src/yours.rs` with `--no-default-features` (`cargo grade exercise-parallel-map`).
//!
//! Every check is a function that takes the implementation as a parameter and returns what is
//! wrong with it, if anything. The tests at the top run the checks on the submitted function;
//! the self-tests at the bottom run the same checks on deliberately wrong implementations and
//! show that each mistake is caught. Every check runs the implementation under a watchdog, so
//! an answer that deadlocks fails with a message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{panic_text, pass, with_timeout};
use std::io::Read;
use std::panic::{self, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::sync::{Barrier, RwLock};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// How long a check waits for the implementation before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// The thread counts of the equality check: a single thread, chunks of unequal length (3 and 7
/// do not divide 1000), and more threads than most machines have cores (20 and 50).
const THREAD_COUNTS: [usize; 6] = [1, 3, 4, 7, 20, 50];

// ---------------------------------------------------------------------------------------------
// The implementation under test

/// A `parallel_map`, as the checks call it. (A trait rather than a function pointer, so that one
/// check can call it with several item and result types.)
trait Candidate: Copy + Send + 'static {
    const NAME: &'static str;
    fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R>;
}

/// The function the crate exports: your answer, or the reference solution.
#[derive(Clone, Copy)]
struct Submitted;

impl Candidate for Submitted {
    const NAME: &'static str = "parallel_map";
    fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
        exercise_parallel_map::parallel_map(data, f, num_threads)
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// Same results, in the same order, as a sequential map of 1000 items.
fn check_matches_sequential<C: Candidate>(imp: C, num_threads: usize) -> Result<(), String> {
    let case = format!("on 1000 items with num_threads = {num_threads}");
    let got = with_timeout(TIMEOUT_SECS, move || {
        let data: Vec<u64> = (0..1000).collect();
        imp.map(&data, |x| x * x + 1, num_threads)
    })
    .map_err(|e| format!("{} {case} {e}", C::NAME))?;
    let want: Vec<u64> = (0..1000u64).map(|x| x * x + 1).collect();
    compare(C::NAME, &case, &got, &want)
}

/// The results come back in input order, for input that is not sorted, and the results need
/// not be `Copy` (or `Clone`, `Debug`, `Default`…): only `Send`.
fn check_order<C: Candidate>(imp: C) -> Result<(), String> {
    /// A result type with no traits beyond the auto traits.
    struct Label(String);
    let case = "on 1000 shuffled items with num_threads = 7";
    // 0..1000 shuffled: 7919 is prime, so i * 7919 % 1000 visits every number once.
    let data: Vec<u32> = (0..1000).map(|i| i * 7919 % 1000).collect();
    let want: Vec<String> = data.iter().map(|x| format!("item {x}")).collect();
    let got = with_timeout(TIMEOUT_SECS, move || {
        imp.map(&data, |x| Label(format!("item {x}")), 7)
    })
    .map_err(|e| format!("{} {case} {e}", C::NAME))?;
    let got: Vec<String> = got.into_iter().map(|label| label.0).collect();
    compare(C::NAME, case, &got, &want)
}

/// An empty slice gives an empty `Vec`, whatever the number of threads (0 included).
fn check_empty<C: Candidate>(imp: C) -> Result<(), String> {
    for num_threads in [1, 4, 0] {
        let case = format!("on an empty slice with num_threads = {num_threads}");
        let got = with_timeout(TIMEOUT_SECS, move || {
            imp.map(&[] as &[u32], |x| x + 1, num_threads)
        })
        .map_err(|e| format!("{} {case} {e}", C::NAME))?;
        compare(C::NAME, &case, &got, &[])?;
    }
    Ok(())
}

/// One item, with one thread, a few, and many more threads than items.
fn check_one_item<C: Candidate>(imp: C) -> Result<(), String> {
    for num_threads in [1, 4, 50] {
        let case = format!("on one item with num_threads = {num_threads}");
        let got = with_timeout(TIMEOUT_SECS, move || {
            imp.map(&[41u32], |x| x + 1, num_threads)
        })
        .map_err(|e| format!("{} {case} {e}", C::NAME))?;
        compare(C::NAME, &case, &got, &[42])?;
    }
    Ok(())
}

/// `num_threads == 0` is treated as 1: no division by zero, and the right result.
fn check_zero_threads<C: Candidate>(imp: C) -> Result<(), String> {
    let case = "on 10 items with num_threads = 0";
    let got = with_timeout(TIMEOUT_SECS, move || {
        let data: Vec<u32> = (0..10).collect();
        imp.map(&data, |x| x * 3, 0)
    })
    .map_err(|e| format!("{} {case} {e}", C::NAME))?;
    let want: Vec<u32> = (0..10).map(|x| x * 3).collect();
    compare(C::NAME, case, &got, &want)
}

/// `f` runs on threads other than the caller's: the work really is handed to other threads.
fn check_off_calling_thread<C: Candidate>(imp: C) -> Result<(), String> {
    let case = "on 8 items with num_threads = 4";
    let (caller, ran_on): (ThreadId, Vec<ThreadId>) = with_timeout(TIMEOUT_SECS, move || {
        let caller = thread::current().id();
        (caller, imp.map(&[0u8; 8], |_| thread::current().id(), 4))
    })
    .map_err(|e| format!("{} {case} {e}", C::NAME))?;
    if ran_on.len() != 8 {
        return Err(format!(
            "{} {case} returned {} results instead of 8",
            C::NAME,
            ran_on.len()
        ));
    }
    let on_caller = ran_on.iter().filter(|id| **id == caller).count();
    if on_caller > 0 {
        return Err(format!(
            "{} {case} called f on the calling thread for {on_caller} of the 8 items: \
             map each chunk on a thread spawned in thread::scope",
            C::NAME
        ));
    }
    Ok(())
}

/// At most `num_threads` threads do the work: 8 items with 4 threads use at most 4 distinct
/// threads, and with 1 thread exactly one.
fn check_thread_count<C: Candidate>(imp: C) -> Result<(), String> {
    for (num_threads, most) in [(4usize, 4usize), (1, 1)] {
        let case = format!("on 8 items with num_threads = {num_threads}");
        let ran_on: Vec<ThreadId> = with_timeout(TIMEOUT_SECS, move || {
            imp.map(&[0u8; 8], |_| thread::current().id(), num_threads)
        })
        .map_err(|e| format!("{} {case} {e}", C::NAME))?;
        let mut distinct = ran_on.clone();
        distinct.sort_by_key(|id| format!("{id:?}"));
        distinct.dedup();
        if distinct.len() > most {
            return Err(format!(
                "{} {case} ran f on {} different threads: use at most num_threads threads",
                C::NAME,
                distinct.len()
            ));
        }
    }
    Ok(())
}

/// Makes a new `fn(&u32) -> u32` that doubles its argument after waiting at its own `static`
/// barrier of 4: the barrier opens only when 4 calls are waiting at it at the same time.
/// (`Barrier::new` is a `const fn`, so a barrier can be a `static`, which a plain `fn` can use.)
/// Each use of the macro makes a new static, so that a thread left stuck at one barrier by a
/// failing check can never block another check.
macro_rules! doubles_after_4_meet {
    () => {{
        static MEETING: Barrier = Barrier::new(4);
        fn double_after_4_meet(x: &u32) -> u32 {
            MEETING.wait();
            x * 2
        }
        double_after_4_meet as fn(&u32) -> u32
    }};
}

/// The parallel proof, without timing: 4 items and `num_threads = 4`, and every call of `f`
/// waits at a `Barrier::new(4)`. Only an implementation that has the 4 calls in progress at the
/// same time, on 4 threads, gets past the barrier; a sequential one waits forever at the first
/// item, and fails when the watchdog gives up.
fn check_concurrent<C: Candidate>(imp: C, f: fn(&u32) -> u32, secs: u64) -> Result<(), String> {
    let got = with_timeout(secs, move || imp.map(&[1u32, 2, 3, 4], f, 4)).map_err(|e| {
        if e.starts_with("timed out") {
            format!(
                "{} did not run the chunks concurrently ({e}): with 4 items and num_threads = 4, \
                 each call of f waits at a Barrier::new(4), which opens only when 4 calls wait \
                 at the same time, so each item must be mapped on its own thread, all 4 at once",
                C::NAME
            )
        } else {
            format!("{} on 4 items with num_threads = 4 {e}", C::NAME)
        }
    })?;
    compare(
        C::NAME,
        "on 4 items with num_threads = 4",
        &got,
        &[2, 4, 6, 8],
    )
}

// ---------------------------------------------------------------------------------------------
// When the OS refuses threads

/// The address-space limit of the refused-threads check's child process, in KiB (the unit of
/// `ulimit -v`): 256 MiB. A thread's stack is reserved address space (2 MiB by default, plus a
/// guard page), so about a hundred default-size threads fit under it, alive at the same time,
/// and the OS refuses the next ones.
const LIMIT_KIB: u64 = 256 * 1024;

/// The number of items, and of threads, that the child process gives the implementation: far
/// more threads than fit under `LIMIT_KIB`, with any stack of 128 KiB or more.
const REFUSED_ITEMS: usize = 2000;

/// The explicit stack size with which the child process also checks that the OS refuses some
/// threads and not others: a limit on address space applies to every stack, whatever its size.
const EXPLICIT_STACK: usize = 1 << 20;

/// The test that the refused-threads check runs in a child process, and the variable that tells
/// it which implementation to run.
const CHILD_TEST: &str = "child_process_in_which_the_os_refuses_threads";
const CHILD_CANDIDATE: &str = "PARALLEL_MAP_CHILD_CANDIDATE";

/// How the child process reports its verdict on stdout.
const VERDICT: &str = "refused-threads verdict: ";

/// When the OS refuses to create some of the threads, the function still returns the right
/// results, in order, and does not panic: it maps the refused chunks on the calling thread.
///
/// The check makes the refusal real: it runs this test binary again, as a child process, through
/// `sh -c 'ulimit -v …'`, which limits the child's address space to `LIMIT_KIB`. In that process
/// the first threads get their stacks and the later ones are refused, as they would be by a real
/// shortage: the OS refuses a thread when there is no room left for its stack, whether the size
/// is the default or an explicit one. Once the stacks have used up the limit, any other new
/// mapping fails too, and the process would abort, so the child is set up to need none:
///
/// - `SIGSEGV` and `SIGBUS` are ignored when it starts, so std installs no stack-overflow handler
///   and maps no signal stack for each new thread (a thread whose signal stack cannot be mapped
///   aborts the process). A stack overflow in the child still kills it, with `SIGSEGV`.
/// - glibc's `malloc` uses one arena (`MALLOC_ARENA_MAX=1`) instead of reserving 64 MiB of
///   address space for each new thread, which would use up the limit in an order that changes
///   from run to run; it keeps 16 MiB of spare heap from its first allocation on
///   (`MALLOC_TOP_PAD_`); and it serves every block under 32 MiB from that heap
///   (`MALLOC_MMAP_THRESHOLD_`), so that the small blocks that a run allocates need no new
///   mapping.
///
/// The child first checks that the situation is there, then calls the implementation and prints
/// its verdict (see `refused_verdict`). The parent kills a child that is still running after
/// `TIMEOUT_SECS`.
fn check_refused_threads<C: Candidate>(_imp: C) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the test binary: {e}"))?;
    // `sh -c SCRIPT exe args…` runs SCRIPT with `$0` = exe and `$@` = args; `exec` then replaces
    // the shell with the test binary, which inherits the limit and the ignored signals.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            r#"trap '' SEGV BUS; ulimit -v {LIMIT_KIB} && exec "$0" "$@""#
        ))
        .arg(exe)
        .args([
            "--ignored",
            "--exact",
            CHILD_TEST,
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_CANDIDATE, C::NAME)
        // glibc's malloc: one arena; 16 MiB of spare heap, kept from the first allocation on;
        // and no separate mapping for any block under 32 MiB.
        .env("MALLOC_ARENA_MAX", "1")
        .env("MALLOC_TOP_PAD_", (16 << 20).to_string())
        .env("MALLOC_MMAP_THRESHOLD_", (32 << 20).to_string())
        // Threads without an explicit size get std's default stack of 2 MiB.
        .env_remove("RUST_MIN_STACK")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the child process: {e}"))?;
    // Read both pipes on threads of their own, so that a talkative child never blocks on a
    // full pipe while this thread waits for it to exit.
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let out = thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(TIMEOUT_SECS);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{} in a process where the OS refuses some of the threads timed out after \
                     {TIMEOUT_SECS} s",
                    C::NAME
                ));
            }
            Err(e) => return Err(format!("cannot wait for the child process: {e}")),
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    // libtest may print the test's name on the same line, before the verdict.
    let verdict = stdout
        .lines()
        .find_map(|line| line.split_once(VERDICT).map(|(_, v)| v));
    match verdict {
        Some("ok") => Ok(()),
        Some(problem) => Err(problem.to_string()),
        None => Err(format!(
            "the child process of the refused-threads check ended ({status}) without a \
             verdict; its stderr:\n{stderr}"
        )),
    }
}

/// Tries to start `REFUSED_ITEMS` threads, all alive at the same time, with a stack of
/// `stack_size` bytes (`None`: the default size), and returns how many the OS created and how
/// many it refused. Every thread waits until the last attempt has been made, and then all are
/// joined, so that their stacks are free again for what runs next.
fn count_spawns(stack_size: Option<usize>) -> (usize, usize) {
    let gate = RwLock::new(());
    let closed = gate
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut refused = 0;
    thread::scope(|s| {
        let mut started = Vec::with_capacity(REFUSED_ITEMS);
        for _ in 0..REFUSED_ITEMS {
            let builder = match stack_size {
                Some(size) => thread::Builder::new().stack_size(size),
                None => thread::Builder::new(),
            };
            match builder.spawn_scoped(s, || drop(gate.read())) {
                Ok(handle) => started.push(handle),
                Err(_) => refused += 1,
            }
        }
        drop(closed);
        // Joining (rather than letting the scope wait) returns only once each thread has
        // ended, and its stack can be reused.
        let count = started.len();
        for handle in started {
            let _ = handle.join();
        }
        (count, refused)
    })
}

/// What the child process checks, under its limit on address space. First the situation: of
/// `REFUSED_ITEMS` threads, the OS creates some and refuses the others, with the default stack
/// size and with an explicit one; if not, the check fails, saying that it could not create the
/// situation, rather than pass without testing anything. Then the implementation, on
/// `REFUSED_ITEMS` items with as many threads: no panic, the results complete and in order. And
/// last, that this run really had both kinds of chunk: some items mapped on other threads (their
/// threads started) and some on the calling thread (their threads were refused).
fn refused_verdict<C: Candidate>(imp: C) -> Result<(), String> {
    let limit_mib = LIMIT_KIB / 1024;
    for (stack, stack_size) in [
        ("the default stack size", None),
        ("a stack size of 1 MiB", Some(EXPLICIT_STACK)),
    ] {
        let (started, refused) = count_spawns(stack_size);
        if started == 0 || refused == 0 {
            return Err(format!(
                "the refused-threads check could not create the situation it tests: it needs the \
                 OS to create some threads and refuse others, but of {REFUSED_ITEMS} threads \
                 with {stack}, started under a {limit_mib} MiB limit on address space, it \
                 created {started} and refused {refused}"
            ));
        }
    }
    let case = format!(
        "on {REFUSED_ITEMS} items with num_threads = {REFUSED_ITEMS} (in a process where the OS \
         refuses some of the threads)"
    );
    let data: Vec<u32> = (0..REFUSED_ITEMS as u32).collect();
    let want: Vec<u32> = data.iter().map(|x| x * 3).collect();
    let caller = thread::current().id();
    let got = panic::catch_unwind(AssertUnwindSafe(|| {
        imp.map(&data, |x| (x * 3, thread::current().id()), REFUSED_ITEMS)
    }))
    .map_err(|payload| format!("{} {case} panicked: {}", C::NAME, panic_text(&*payload)))?;
    let values: Vec<u32> = got.iter().map(|(value, _)| *value).collect();
    compare(C::NAME, &case, &values, &want)?;
    let here = got.iter().filter(|(_, id)| *id == caller).count();
    if here == 0 || here == got.len() {
        let what = if here == 0 {
            "every item on another thread, so the OS refused none of its threads (it refuses \
             threads only while too many stacks are reserved at the same time)"
        } else {
            "every item on the calling thread, so it started no thread"
        };
        return Err(format!(
            "the refused-threads check could not create the situation it tests: {} {case} \
             mapped {what}",
            C::NAME
        ));
    }
    Ok(())
}

/// The entry point of the refused-threads check's child process; it does nothing in an ordinary
/// test run (it is ignored, and it returns at once without `PARALLEL_MAP_CHILD_CANDIDATE`).
#[test]
#[ignore = "the refused-threads check runs it in a child process"]
fn child_process_in_which_the_os_refuses_threads() {
    let Ok(name) = std::env::var(CHILD_CANDIDATE) else {
        return;
    };
    let verdict = if name == Submitted::NAME {
        refused_verdict(Submitted)
    } else {
        the_checks_reject_wrong_answers::refused_verdict_by_name(&name)
            .unwrap_or_else(|| Err(format!("no implementation is called {name:?}")))
    };
    match verdict {
        Ok(()) => println!("{VERDICT}ok"),
        Err(problem) => println!("{VERDICT}{}", problem.replace('\n', " ")),
    }
}

/// `Ok` if `got` is `want`; otherwise says how they differ (length, or the first difference).
fn compare<R: PartialEq + std::fmt::Debug>(
    name: &str,
    case: &str,
    got: &[R],
    want: &[R],
) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!(
            "{name} {case} returned {} results instead of {}",
            got.len(),
            want.len()
        ));
    }
    match got.iter().zip(want).position(|(g, w)| g != w) {
        None => Ok(()),
        Some(i) => Err(format!(
            "{name} {case}: result {i} is {:?}, but a sequential map gives {:?} there (wrong order?)",
            got[i], want[i]
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on the submitted function

#[test]
fn same_results_as_a_sequential_map_for_1_3_4_7_20_and_50_threads() {
    let problems: Vec<String> = THREAD_COUNTS
        .iter()
        .filter_map(|&n| check_matches_sequential(Submitted, n).err())
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn keeps_the_input_order() {
    pass(check_order(Submitted));
}

#[test]
fn empty_input_gives_an_empty_vec() {
    pass(check_empty(Submitted));
}

#[test]
fn one_item() {
    pass(check_one_item(Submitted));
}

#[test]
fn zero_threads_count_as_one() {
    pass(check_zero_threads(Submitted));
}

#[test]
fn the_work_runs_off_the_calling_thread() {
    pass(check_off_calling_thread(Submitted));
}

#[test]
fn uses_at_most_num_threads_threads() {
    pass(check_thread_count(Submitted));
}

#[test]
#[cfg_attr(
    not(target_os = "linux"),
    ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
)]
fn keeps_working_when_the_os_refuses_threads() {
    pass(check_refused_threads(Submitted));
}

#[test]
fn the_chunks_run_concurrently() {
    pass(check_concurrent(
        Submitted,
        doubles_after_4_meet!(),
        TIMEOUT_SECS,
    ));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong answers

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;

    /// The seconds a self-test waits before it concludes that a wrong answer is stuck. A correct
    /// answer gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make these
    /// self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 1;

    /// Right results, but one item after the other, on the calling thread.
    #[derive(Clone, Copy)]
    struct Sequential;

    impl Candidate for Sequential {
        const NAME: &'static str = "a sequential map";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, _num_threads: usize) -> Vec<R> {
            data.iter().map(f).collect()
        }
    }

    /// Spawns each chunk's thread and joins it before spawning the next: scoped threads, right
    /// results, and still sequential (a lazy iterator chain does exactly this).
    #[derive(Clone, Copy)]
    struct JoinsEachBeforeTheNext;

    impl Candidate for JoinsEachBeforeTheNext {
        const NAME: &'static str = "a map that joins each thread before spawning the next";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                data.chunks(size)
                    .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
                    .flat_map(|handle| handle.join().unwrap())
                    .collect()
            })
        }
    }

    /// Parallel, but loses the last chunk's results.
    #[derive(Clone, Copy)]
    struct DropsTheLastChunk;

    impl Candidate for DropsTheLastChunk {
        const NAME: &'static str = "a map that drops the last chunk";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            let chunks: Vec<&[T]> = data.chunks(size).collect();
            let kept = &chunks[..chunks.len().saturating_sub(1)];
            thread::scope(|s| {
                let handles: Vec<_> = kept
                    .iter()
                    .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// Correct, except on the edge cases: without the two `max(1)`, `num_threads == 0` divides
    /// by zero and an empty slice asks `chunks` for chunks of 0 items, which panics.
    #[derive(Clone, Copy)]
    struct PanicsOnEdgeCases;

    impl Candidate for PanicsOnEdgeCases {
        const NAME: &'static str = "a map without the max(1) guards";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads);
            thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(size)
                    .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// One scoped thread per item, whatever `num_threads` says.
    #[derive(Clone, Copy)]
    struct ThreadPerItem;

    impl Candidate for ThreadPerItem {
        const NAME: &'static str = "a map with one thread per item";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, _num_threads: usize) -> Vec<R> {
            thread::scope(|s| {
                let handles: Vec<_> = data.iter().map(|x| s.spawn(move || f(x))).collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            })
        }
    }

    /// Right in every other way, but it spawns with `Scope::spawn`, which panics when the OS
    /// refuses a thread.
    #[derive(Clone, Copy)]
    struct PanicsWhenRefused;

    impl Candidate for PanicsWhenRefused {
        const NAME: &'static str = "a map that spawns with Scope::spawn";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(size)
                    .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// Spawns with `Builder::spawn_scoped`, so it does not panic, but it forgets the chunks
    /// whose thread the OS refused.
    #[derive(Clone, Copy)]
    struct SkipsRefusedChunks;

    impl Candidate for SkipsRefusedChunks {
        const NAME: &'static str = "a map that skips the chunks whose thread was refused";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(size)
                    .filter_map(|chunk| {
                        thread::Builder::new()
                            .spawn_scoped(s, move || chunk.iter().map(f).collect::<Vec<R>>())
                            .ok()
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// Spawns with `Builder::spawn_scoped` and maps the refused chunks on the calling thread,
    /// but puts their results first, before those of the threads: the wrong order whenever some
    /// threads start and later ones are refused.
    #[derive(Clone, Copy)]
    struct PutsRefusedChunksFirst;

    impl Candidate for PutsRefusedChunksFirst {
        const NAME: &'static str = "a map that puts the refused chunks' results first";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                let mut handles = Vec::new();
                let mut mapped_here = Vec::new();
                for chunk in data.chunks(size) {
                    match thread::Builder::new()
                        .spawn_scoped(s, move || chunk.iter().map(f).collect::<Vec<R>>())
                    {
                        Ok(handle) => handles.push(handle),
                        Err(_) => mapped_here.extend(chunk.iter().map(f)),
                    }
                }
                let mut results = mapped_here;
                results.extend(handles.into_iter().flat_map(|h| h.join().unwrap()));
                results
            })
        }
    }

    /// Spawns with `Builder::spawn_scoped`, and maps the whole slice on the calling thread when
    /// no thread at all could be started; when some could, it loses the chunks of the others.
    #[derive(Clone, Copy)]
    struct FallsBackOnlyWhenAllAreRefused;

    impl Candidate for FallsBackOnlyWhenAllAreRefused {
        const NAME: &'static str = "a map that falls back only when every thread is refused";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(size)
                    .filter_map(|chunk| {
                        thread::Builder::new()
                            .spawn_scoped(s, move || chunk.iter().map(f).collect::<Vec<R>>())
                            .ok()
                    })
                    .collect();
                if handles.is_empty() {
                    return data.iter().map(f).collect();
                }
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// Gives every thread an explicit stack of 1 MiB (so `RUST_MIN_STACK` would not apply to
    /// it), and panics with `expect` when the OS refuses one.
    #[derive(Clone, Copy)]
    struct ExplicitStackPanicsWhenRefused;

    impl Candidate for ExplicitStackPanicsWhenRefused {
        const NAME: &'static str = "a map with 1 MiB stacks that expects every spawn to succeed";
        fn map<T: Sync, R: Send>(self, data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
            let size = data.len().div_ceil(num_threads.max(1)).max(1);
            thread::scope(|s| {
                let handles: Vec<_> = data
                    .chunks(size)
                    .map(|chunk| {
                        thread::Builder::new()
                            .stack_size(1 << 20)
                            .spawn_scoped(s, move || chunk.iter().map(f).collect::<Vec<R>>())
                            .expect("failed to spawn thread")
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap())
                    .collect()
            })
        }
    }

    /// The wrong answers that the refused-threads check's child process can run, by name.
    pub(super) fn refused_verdict_by_name(name: &str) -> Option<Result<(), String>> {
        Some(match name {
            PanicsWhenRefused::NAME => refused_verdict(PanicsWhenRefused),
            SkipsRefusedChunks::NAME => refused_verdict(SkipsRefusedChunks),
            PutsRefusedChunksFirst::NAME => refused_verdict(PutsRefusedChunksFirst),
            FallsBackOnlyWhenAllAreRefused::NAME => refused_verdict(FallsBackOnlyWhenAllAreRefused),
            ExplicitStackPanicsWhenRefused::NAME => refused_verdict(ExplicitStackPanicsWhenRefused),
            _ => return None,
        })
    }

    /// The start of the message with which the refused-threads check rejects `C`.
    fn refused_case<C: Candidate>() -> String {
        format!(
            "{} on {REFUSED_ITEMS} items with num_threads = {REFUSED_ITEMS} (in a process \
             where the OS refuses some of the threads)",
            C::NAME
        )
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
    )]
    fn scope_spawn_fails_the_refused_threads_check() {
        rejected(
            check_refused_threads(PanicsWhenRefused),
            &format!(
                "{} panicked: failed to spawn thread",
                refused_case::<PanicsWhenRefused>()
            ),
        );
        // With threads to spare, it is right: only the refused-threads check catches it.
        pass(check_matches_sequential(PanicsWhenRefused, 7));
        pass(check_concurrent(
            PanicsWhenRefused,
            doubles_after_4_meet!(),
            TIMEOUT_SECS,
        ));
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
    )]
    fn skipping_refused_chunks_fails_the_refused_threads_check() {
        rejected(
            check_refused_threads(SkipsRefusedChunks),
            &format!("results instead of {REFUSED_ITEMS}"),
        );
        pass(check_matches_sequential(SkipsRefusedChunks, 7));
        pass(check_concurrent(
            SkipsRefusedChunks,
            doubles_after_4_meet!(),
            TIMEOUT_SECS,
        ));
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
    )]
    fn refused_chunks_first_fails_the_refused_threads_check() {
        // The threads that start come first and the refused ones after them, so the first
        // result comes from a refused chunk where a sequential map gives item 0's.
        rejected(
            check_refused_threads(PutsRefusedChunksFirst),
            &format!("{}: result 0 is", refused_case::<PutsRefusedChunksFirst>()),
        );
        pass(check_matches_sequential(PutsRefusedChunksFirst, 7));
        pass(check_concurrent(
            PutsRefusedChunksFirst,
            doubles_after_4_meet!(),
            TIMEOUT_SECS,
        ));
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
    )]
    fn falling_back_only_when_all_are_refused_fails_the_refused_threads_check() {
        rejected(
            check_refused_threads(FallsBackOnlyWhenAllAreRefused),
            &format!("results instead of {REFUSED_ITEMS}"),
        );
        pass(check_matches_sequential(FallsBackOnlyWhenAllAreRefused, 7));
        pass(check_concurrent(
            FallsBackOnlyWhenAllAreRefused,
            doubles_after_4_meet!(),
            TIMEOUT_SECS,
        ));
    }

    #[test]
    #[cfg_attr(
        not(target_os = "linux"),
        ignore = "the limit on address space (ulimit -v) has been checked on Linux only"
    )]
    fn an_explicit_stack_size_and_expect_fail_the_refused_threads_check() {
        rejected(
            check_refused_threads(ExplicitStackPanicsWhenRefused),
            &format!(
                "{} panicked: failed to spawn thread",
                refused_case::<ExplicitStackPanicsWhenRefused>()
            ),
        );
        pass(check_matches_sequential(ExplicitStackPanicsWhenRefused, 7));
        pass(check_concurrent(
            ExplicitStackPanicsWhenRefused,
            doubles_after_4_meet!(),
            TIMEOUT_SECS,
        ));
    }

    #[test]
    fn one_thread_per_item_fails_the_thread_count() {
        rejected(
            check_thread_count(ThreadPerItem),
            "ran f on 8 different threads",
        );
    }

    /// Asserts that a check rejected an answer, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("answer", verdict, needle);
    }

    #[test]
    fn a_sequential_map_fails_the_barrier_proof() {
        rejected(
            check_concurrent(Sequential, doubles_after_4_meet!(), STUCK_AFTER_SECS),
            "a sequential map did not run the chunks concurrently (timed out after 1 s)",
        );
    }

    #[test]
    fn a_sequential_map_fails_the_thread_check() {
        rejected(
            check_off_calling_thread(Sequential),
            "called f on the calling thread for 8 of the 8 items",
        );
    }

    #[test]
    fn a_sequential_map_passes_the_result_checks() {
        // The barrier proof and the thread check are what catch it: its results are right.
        for n in THREAD_COUNTS {
            pass(check_matches_sequential(Sequential, n));
        }
        pass(check_order(Sequential));
        pass(check_empty(Sequential));
        pass(check_zero_threads(Sequential));
    }

    #[test]
    fn joining_each_thread_before_the_next_fails_the_barrier_proof() {
        rejected(
            check_concurrent(
                JoinsEachBeforeTheNext,
                doubles_after_4_meet!(),
                STUCK_AFTER_SECS,
            ),
            "did not run the chunks concurrently (timed out after 1 s)",
        );
        // Everything else about it is right, and a timing test could easily miss it.
        pass(check_matches_sequential(JoinsEachBeforeTheNext, 7));
        pass(check_off_calling_thread(JoinsEachBeforeTheNext));
    }

    #[test]
    fn dropping_the_last_chunk_fails_the_result_checks() {
        for n in THREAD_COUNTS {
            rejected(
                check_matches_sequential(DropsTheLastChunk, n),
                "results instead of 1000",
            );
        }
        rejected(check_order(DropsTheLastChunk), "results instead of 1000");
        rejected(
            check_one_item(DropsTheLastChunk),
            "returned 0 results instead of 1",
        );
        // With 3 of the 4 items mapped, only 3 calls ever wait at the barrier of 4.
        rejected(
            check_concurrent(DropsTheLastChunk, doubles_after_4_meet!(), STUCK_AFTER_SECS),
            "timed out after 1 s",
        );
    }

    #[test]
    fn missing_max_1_guards_fail_the_edge_cases() {
        rejected(
            check_empty(PanicsOnEdgeCases),
            "panicked: chunk size must be non-zero",
        );
        rejected(
            check_zero_threads(PanicsOnEdgeCases),
            "panicked: attempt to divide by zero",
        );
        // The ordinary cases work: only the edge cases catch it.
        pass(check_matches_sequential(PanicsOnEdgeCases, 4));
    }
}

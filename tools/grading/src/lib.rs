//! The helpers that the hidden tests of every exercise share (`exercises/*/tests/grade.rs`).
//!
//! A grader is written as *checks*: functions that run an answer and return `Ok(())`, or
//! `Err` with a sentence saying what is wrong with it. The hidden tests run the checks on the
//! reader's answer and turn the verdict into a test result with [`pass`]; the self-tests at the
//! bottom of each `grade.rs` run the same checks on deliberately wrong answers and assert, with
//! [`assert_rejected`], that each mistake is caught with the right message.
//!
//! Every check runs the answer under a watchdog, [`with_timeout`] (or [`with_progress_timeout`]
//! for a long job that can show its progress), so that an answer that deadlocks or never returns
//! fails with a message instead of hanging the test run, and an answer that panics fails with
//! its panic message (see [`panic_text`]). The exercise pages quote these messages ("timed out
//! after 10 s"), and the self-tests match on them: change a message here only together with
//! every page and self-test that quotes it.
//!
//! Each exercise has this crate as a dev-dependency (`book-grading = { path =
//! "../../tools/grading" }`) and imports what it uses:
//!
//! ```
//! use book_grading::{pass, with_timeout};
//!
//! /// A check: the sum of 1 to 10, computed under the watchdog, is 55.
//! fn check_sum(secs: u64) -> Result<(), String> {
//!     let sum: u32 = with_timeout(secs, || (1..=10u32).sum())
//!         .map_err(|e| format!("the sum {e}"))?;
//!     if sum == 55 { Ok(()) } else { Err(format!("the sum was {sum}, not 55")) }
//! }
//!
//! pass(check_sum(10));
//! ```
//!
//! The crate depends on nothing, so that grading an exercise builds nothing more than the
//! exercise and its own dev-dependencies. What only a loom grader needs (exploring a model under
//! the watchdog, with its hints about loom's reports) stays in that grader's `grade.rs`.

use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::Duration;

// ---------------------------------------------------------------------------------------------
// The watchdog

/// Runs `job` on a thread of its own and waits at most `secs` seconds for its result.
///
/// - The job returns in time: `Ok` with what it returned (its thread is joined first).
/// - The job is still running after `secs` seconds: `Err("timed out after {secs} s")`. The job
///   is left behind, still running (Rust cannot stop a thread); a test that times out should
///   fail, so that the test process ends and takes the thread with it.
/// - The job panics: `Err("panicked: {message}")`, where the message is the panic's own text
///   ([`panic_text`]). The default panic hook has also printed it, with its location, to the
///   test's output.
///
/// Callers tell the two failures apart with `e.starts_with("timed out")` and
/// `e.starts_with("panicked")`, and usually put the error after a description of the case:
/// `format!("{name}, with 4 threads, {e}")` reads "your map, with 4 threads, timed out after
/// 10 s".
///
/// The watchdog only catches answers that are stuck: give it a limit many times what a correct
/// answer needs on a loaded machine (the graders use 10 or 20 seconds), and grade behaviour, not
/// speed.
pub fn with_timeout<R: Send + 'static>(
    secs: u64,
    job: impl FnOnce() -> R + Send + 'static,
) -> Result<R, String> {
    let (rx, handle) = start(job);
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(result) => {
            let _ = handle.join();
            Ok(result)
        }
        Err(RecvTimeoutError::Timeout) => Err(format!("timed out after {secs} s")),
        // The sender was dropped without sending: `job` panicked.
        Err(RecvTimeoutError::Disconnected) => Err(why_no_result(handle)),
    }
}

/// [`with_timeout`], except that the limit is on standing still: the job fails only when
/// `progress` has not changed for `secs` seconds. It may take longer in all, up to ten times
/// `secs`.
///
/// For a long job that can count what it has done (values received, say) in `progress`, so
/// that a slow but working answer on a loaded machine is not taken for a stuck one. The job
/// increments `progress` (any change counts); the watchdog looks at it once a second.
///
/// - The job returns in time: `Ok` with what it returned.
/// - `progress` stood still for `secs` seconds, or the job ran ten times `secs` seconds in all:
///   `Err("timed out after {still} s without progress ({total} s in all)")`. The job is left
///   running, as with [`with_timeout`].
/// - The job panics: `Err("panicked: {message}")`, as with [`with_timeout`].
pub fn with_progress_timeout<R: Send + 'static>(
    secs: u64,
    progress: Arc<AtomicUsize>,
    job: impl FnOnce() -> R + Send + 'static,
) -> Result<R, String> {
    let (rx, handle) = start(job);
    let (mut seen, mut still, mut total) = (progress.load(Ordering::Relaxed), 0, 0);
    loop {
        match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(result) => {
                let _ = handle.join();
                return Ok(result);
            }
            Err(RecvTimeoutError::Timeout) => {
                total += 1;
                let now = progress.load(Ordering::Relaxed);
                still = if now == seen { still + 1 } else { 0 };
                seen = now;
                if still >= secs || total >= 10 * secs {
                    return Err(format!("timed out after {still} s without progress ({total} s in all)"));
                }
            }
            Err(RecvTimeoutError::Disconnected) => return Err(why_no_result(handle)),
        }
    }
}

/// Starts `job` on a thread of its own, which sends its result on the channel returned.
fn start<R: Send + 'static>(job: impl FnOnce() -> R + Send + 'static) -> (Receiver<R>, JoinHandle<()>) {
    let (tx, rx) = mpsc::channel();
    let handle = thread::spawn(move || {
        // If the receiver has given up, nobody wants the result: ignore the error.
        let _ = tx.send(job());
    });
    (rx, handle)
}

/// What went wrong with a job whose thread ended without sending its result: it panicked.
fn why_no_result(handle: JoinHandle<()>) -> String {
    let message = match handle.join() {
        Err(payload) => panic_text(&*payload),
        Ok(()) => "(it ended without a result)".to_string(),
    };
    format!("panicked: {message}")
}

/// The text of a panic's payload: a `&'static str` or a `String`, the two types `panic!` uses
/// (`panic!("literal")` and `todo!()` give a `&str`, a message with arguments a `String`).
///
/// The payload is what `JoinHandle::join` or `std::panic::catch_unwind` returns for a panic.
/// Any other type, as `std::panic::panic_any` can give, is "(a panic payload that is not a
/// string)".
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic payload that is not a string)".to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Verdicts

/// Turns a check's verdict into a test result: `Ok(())` passes, `Err(problem)` fails the test
/// with the problem as its panic message (located at the caller's line).
#[track_caller]
pub fn pass(verdict: Result<(), String>) {
    if let Err(problem) = verdict {
        panic!("{problem}");
    }
}

/// Asserts that a check rejected a wrong answer, with a message that contains `needle`: for the
/// self-tests, which show that each mistake is caught, and caught by the check meant to catch
/// it. `what` names the kind of answer for the failure message, "the check accepted a wrong
/// {what}" ("answer", "pool", "mailbox"…).
///
/// Each grader wraps it in a `rejected(verdict, needle)` of its own that names what it grades:
///
/// ```
/// /// Asserts that a check rejected a pool, with a message that contains `needle`.
/// #[track_caller]
/// fn rejected<T>(verdict: Result<T, String>, needle: &str) {
///     book_grading::assert_rejected("pool", verdict, needle);
/// }
///
/// rejected::<()>(Err("a pool of 4 ran 1 job at a time".to_string()), "at a time");
/// ```
#[track_caller]
pub fn assert_rejected<T>(what: &str, verdict: Result<T, String>, needle: &str) {
    match verdict {
        Ok(_) => panic!("the check accepted a wrong {what}"),
        Err(message) => assert!(message.contains(needle), "unexpected message: {message}"),
    }
}

/// Runs a check up to `runs` times and returns its first rejection, or `Ok` if it accepted the
/// answer every time: for mistakes that only some interleavings reveal, in self-tests that must
/// see them caught.
pub fn first_rejection(runs: usize, check: impl Fn() -> Result<(), String>) -> Result<(), String> {
    for _ in 0..runs {
        check()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::panic::panic_any;

    #[test]
    fn a_job_that_returns_gives_its_result() {
        assert_eq!(with_timeout(10, || 6 * 7), Ok(42));
        // A result that owns data, moved out of the job's thread.
        assert_eq!(with_timeout(10, || vec!["a".to_string()]), Ok(vec!["a".to_string()]));
    }

    #[test]
    fn a_job_that_panics_with_a_str_fails_with_its_message() {
        let verdict = with_timeout(10, || -> u32 { panic_any("a static message") });
        assert_eq!(verdict, Err("panicked: a static message".to_string()));
        // `panic!` with a literal, and `todo!()`, give a `&'static str` too.
        assert_eq!(with_timeout(10, || todo!()), Err::<(), _>("panicked: not yet implemented".to_string()));
    }

    #[test]
    fn a_job_that_panics_with_a_string_fails_with_its_message() {
        let n = 3;
        let verdict = with_timeout(10, move || -> u32 { panic!("a message with {n} in it") });
        assert_eq!(verdict, Err("panicked: a message with 3 in it".to_string()));
        let verdict = with_timeout(10, || -> u32 { panic_any(String::from("an owned message")) });
        assert_eq!(verdict, Err("panicked: an owned message".to_string()));
    }

    #[test]
    fn a_panic_payload_of_another_type_is_named_as_such() {
        let verdict = with_timeout(10, || -> u32 { panic_any(42_i32) });
        assert_eq!(verdict, Err("panicked: (a panic payload that is not a string)".to_string()));
    }

    #[test]
    fn a_job_that_does_not_return_in_time_times_out() {
        // The job waits until the test lets it go, after the verdict, so that it does not
        // outlive the test.
        let (release, wait) = mpsc::channel::<()>();
        let verdict = with_timeout(1, move || {
            let _ = wait.recv();
        });
        assert_eq!(verdict, Err("timed out after 1 s".to_string()));
        drop(release);
    }

    #[test]
    fn a_job_that_makes_progress_may_outlast_the_limit() {
        let progress = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&progress);
        // About 1.5 s in all, with the limit at 1 s without progress.
        let verdict = with_progress_timeout(1, progress, move || {
            for _ in 0..30 {
                counter.fetch_add(1, Ordering::Relaxed);
                thread::sleep(Duration::from_millis(50));
            }
            "done"
        });
        assert_eq!(verdict, Ok("done"));
    }

    #[test]
    fn a_job_that_makes_no_progress_times_out() {
        let (release, wait) = mpsc::channel::<()>();
        let verdict = with_progress_timeout(1, Arc::new(AtomicUsize::new(0)), move || {
            let _ = wait.recv();
        });
        assert_eq!(verdict, Err("timed out after 1 s without progress (1 s in all)".to_string()));
        drop(release);
    }

    #[test]
    fn a_job_that_panics_under_the_progress_watchdog_fails_with_its_message() {
        let verdict = with_progress_timeout(10, Arc::new(AtomicUsize::new(0)), || -> u32 {
            panic!("stuck at {}", 7)
        });
        assert_eq!(verdict, Err("panicked: stuck at 7".to_string()));
    }

    #[test]
    fn pass_accepts_ok() {
        pass(Ok(()));
    }

    #[test]
    #[should_panic(expected = "the answer lost 3 values")]
    fn pass_fails_with_the_problem() {
        pass(Err("the answer lost 3 values".to_string()));
    }

    #[test]
    fn a_rejection_with_the_expected_message_is_accepted() {
        assert_rejected("answer", Err::<(), _>("your map lost the last chunk".to_string()), "last chunk");
        assert_rejected("lock", Err::<u64, _>("a torn read".to_string()), "torn");
    }

    #[test]
    #[should_panic(expected = "the check accepted a wrong mailbox")]
    fn an_accepted_wrong_answer_fails_the_self_test() {
        assert_rejected("mailbox", Ok::<usize, String>(12), "stale");
    }

    #[test]
    #[should_panic(expected = "unexpected message: timed out after 2 s")]
    fn a_rejection_for_another_reason_fails_the_self_test() {
        assert_rejected("answer", Err::<(), _>("timed out after 2 s".to_string()), "a lost wake-up");
    }

    #[test]
    fn first_rejection_stops_at_the_first_rejection() {
        let calls = Cell::new(0);
        let check = || {
            calls.set(calls.get() + 1);
            if calls.get() == 3 { Err(format!("rejected on run {}", calls.get())) } else { Ok(()) }
        };
        assert_eq!(first_rejection(5, check), Err("rejected on run 3".to_string()));
        assert_eq!(calls.get(), 3);
        calls.set(10);
        assert_eq!(first_rejection(4, check), Ok(()));
        assert_eq!(calls.get(), 14);
    }
}

//! The hidden tests of the handle exercise.
//!
//! They grade `exercise_handle::Handle`: the reference solution by default, your `src/yours.rs`
//! with `--no-default-features` (`cargo grade exercise-handle`).
//!
//! Two kinds of check. The checks of the bounds ask, at compile time, whether `Handle<X>` is
//! `Send` and whether it is `Sync` for five types `X` whose own answers differ, and compare with
//! what `X` is. The checks of behaviour run handles on several threads: moved to another one and
//! used and dropped there, shared by several, and they count how often the value's destructor
//! runs. Every check is a function that returns what is wrong, if anything. The tests at the top
//! run the checks on your `Handle`; the self-tests at the bottom run the same checks on
//! deliberately wrong handles and show that each mistake is caught, by the check named in the
//! test. Every check of behaviour runs under a watchdog, so a handle that blocks forever fails
//! with a message instead of hanging the test run.
//!
//! The file compiles whatever your `Handle` implements, so that every test can report its own
//! verdict: a check that needs `Handle<Counted>: Send` to move one to another thread is reached
//! through `Run`, whose method runs it when the bound holds and reports that it does not
//! otherwise (the same trick as the probes, below).

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{panic_text, pass, with_timeout};
use std::cell::Cell;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Barrier, Mutex, MutexGuard};
use std::thread;

/// How long a check waits for the handle before it gives up.
const TIMEOUT_SECS: u64 = 10;

// ---------------------------------------------------------------------------------------------
// The probes: is a type Send, is it Sync, as the compiler decides

/// `Probe::<X>::SEND` is `true` if `X: Send` and `false` otherwise, decided by the compiler's
/// trait resolution when the test is compiled, at no cost when it runs.
///
/// A path such as `Probe::<X>::SEND` names an inherent associated item if there is one whose impl
/// applies to `Probe<X>`, and only otherwise one of a trait in scope. The inherent `SEND` below
/// exists only where `X: Send`; everywhere else the name falls through to the trait `Otherwise`,
/// whose `SEND` is `false`. (In generic code, where `X` is a parameter, the compiler cannot
/// tell, and the trait's `false` would be taken: the macros are used only with concrete types.)
/// The test `the_probes_agree_with_std` checks the trick on std's types, and the doc tests in
/// `src/lib.rs` ask the compiler the same questions about `Handle` by compiling programs that
/// must, or must not, compile.
struct Probe<X: ?Sized>(PhantomData<X>);

impl<X: ?Sized + Send> Probe<X> {
    const SEND: bool = true;
}

impl<X: ?Sized + Sync> Probe<X> {
    const SYNC: bool = true;
}

trait Otherwise {
    const SEND: bool = false;
    const SYNC: bool = false;
}

impl<X: ?Sized> Otherwise for Probe<X> {}

macro_rules! is_send {
    ($x:ty) => {
        Probe::<$x>::SEND
    };
}

macro_rules! is_sync {
    ($x:ty) => {
        Probe::<$x>::SYNC
    };
}

/// What the probes found about one `Handle<X>` and its `X`.
struct Row {
    x: &'static str,
    x_send: bool,
    x_sync: bool,
    handle_send: bool,
    handle_sync: bool,
}

/// The probes of `$m::Handle<X>` for five types `X` that cover the four combinations: `i32` and
/// `Mutex<i32>` are both `Send` and `Sync`, `Cell<i32>` is only `Send`, `MutexGuard<i32>` only
/// `Sync` (it must be unlocked on the thread that locked it), `Rc<i32>` neither.
macro_rules! probe_handles {
    ($m:ident) => {
        [
            probe_handles!(@row $m, "i32", i32),
            probe_handles!(@row $m, "Mutex<i32>", Mutex<i32>),
            probe_handles!(@row $m, "Cell<i32>", Cell<i32>),
            probe_handles!(@row $m, "MutexGuard<'static, i32>", MutexGuard<'static, i32>),
            probe_handles!(@row $m, "Rc<i32>", Rc<i32>),
        ]
    };
    (@row $m:ident, $name:literal, $x:ty) => {
        Row {
            x: $name,
            x_send: is_send!($x),
            x_sync: is_sync!($x),
            handle_send: is_send!($m::Handle<$x>),
            handle_sync: is_sync!($m::Handle<$x>),
        }
    };
}

// ---------------------------------------------------------------------------------------------
// The checks of the bounds

/// Joins the problems found, or `Ok` if there are none.
fn verdict(problems: Vec<String>) -> Result<(), String> {
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
}

/// Every `Handle<X>` whose `X` is `Send` is `Send`: it can move to another thread.
fn check_send_when_t_is(name: &str, rows: &[Row]) -> Result<(), String> {
    verdict(
        rows.iter()
            .filter(|r| r.x_send && !r.handle_send)
            .map(|r| {
                format!(
                    "{name}: Handle<{x}> is not Send, though {x} is: a program cannot move a \
                     handle of it to another thread, as it could a Box<{x}> (is there an `unsafe \
                     impl<T: Send> Send for Handle<T>`, with no stronger bound?)",
                    x = r.x
                )
            })
            .collect(),
    )
}

/// No `Handle<X>` whose `X` is not `Send` is `Send`.
fn check_not_send_unless_t_is(name: &str, rows: &[Row]) -> Result<(), String> {
    verdict(
        rows.iter()
            .filter(|r| !r.x_send && r.handle_send)
            .map(|r| {
                format!(
                    "{name}: Handle<{x}> is Send, though {x} is not: moving the handle to another \
                     thread moves the {x} there, where get_mut, into_inner and drop use it (the \
                     bound of `Send for Handle<T>` must include `T: Send`)",
                    x = r.x
                )
            })
            .collect(),
    )
}

/// Every `Handle<X>` whose `X` is `Sync` is `Sync`: threads can share it.
fn check_sync_when_t_is(name: &str, rows: &[Row]) -> Result<(), String> {
    verdict(
        rows.iter()
            .filter(|r| r.x_sync && !r.handle_sync)
            .map(|r| {
                format!(
                    "{name}: Handle<{x}> is not Sync, though {x} is: threads cannot share a \
                     handle of it, as they could a Box<{x}> (is there an `unsafe impl<T: Sync> \
                     Sync for Handle<T>`, with no other bound?)",
                    x = r.x
                )
            })
            .collect(),
    )
}

/// No `Handle<X>` whose `X` is not `Sync` is `Sync`.
fn check_not_sync_unless_t_is(name: &str, rows: &[Row]) -> Result<(), String> {
    verdict(
        rows.iter()
            .filter(|r| !r.x_sync && r.handle_sync)
            .map(|r| {
                format!(
                    "{name}: Handle<{x}> is Sync, though {x} is not: threads that share the \
                     handle each get a &{x} from get() and use it at the same time (the bound of \
                     `Sync for Handle<T>` must include `T: Sync`)",
                    x = r.x
                )
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// The value the checks of behaviour put in a handle

/// A value that counts its drops, in a counter of its own: each check takes fresh counters, so
/// that checks running at the same time do not count each other's drops. The counter is a
/// `&'static AtomicUsize` (not an `Arc`), so that a wrong handle that drops a value twice only
/// counts two drops, instead of releasing an `Arc` twice, which would be undefined behaviour.
struct Counted {
    value: u64,
    drops: &'static AtomicUsize,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// The counters, in a `static` so that none is ever freed (nor reported as leaked by Miri).
static COUNTERS: [AtomicUsize; 128] = [const { AtomicUsize::new(0) }; 128];
static NEXT_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A counter that no other `Counted` uses.
fn fresh_counter() -> &'static AtomicUsize {
    let i = NEXT_COUNTER.fetch_add(1, Ordering::Relaxed);
    COUNTERS.get(i).expect("the grader ran out of counters: make COUNTERS larger")
}

/// How many times the `Counted` values of `counter` have been dropped.
fn drops(counter: &AtomicUsize) -> usize {
    counter.load(Ordering::SeqCst)
}

/// The API of a handle of `Counted`, so that the checks can be written once for your `Handle`
/// and for the wrong ones of the self-tests.
trait CountedHandle: Sized + 'static {
    fn new(value: Counted) -> Self;
    fn get(&self) -> &Counted;
    fn get_mut(&mut self) -> &mut Counted;
    fn into_inner(self) -> Counted;
}

/// Implements `CountedHandle` for `$m::Handle<Counted>` by calling its methods.
macro_rules! counted_handle {
    ($m:ident) => {
        impl CountedHandle for $m::Handle<Counted> {
            fn new(value: Counted) -> Self {
                $m::Handle::new(value)
            }
            fn get(&self) -> &Counted {
                $m::Handle::get(self)
            }
            fn get_mut(&mut self) -> &mut Counted {
                $m::Handle::get_mut(self)
            }
            fn into_inner(self) -> Counted {
                $m::Handle::into_inner(self)
            }
        }
    };
}

counted_handle!(exercise_handle);

/// Compares what a drop counter says with what it should, in words.
fn expect_drops(counter: &AtomicUsize, want: usize, when: &str) -> Result<(), String> {
    let got = drops(counter);
    if got == want {
        return Ok(());
    }
    let times = |n: usize| if n == 1 { "once".to_string() } else { format!("{n} times") };
    let hint = if got < want {
        "a value whose destructor never runs leaks, with everything it owns (does Drop free the \
         Box?)"
    } else {
        "a destructor that runs twice frees twice what the value owns (does the handle's Drop \
         still run after into_inner?)"
    };
    Err(format!("{when}, the value's destructor had run {} instead of {}: {hint}", times(got), times(want)))
}

// ---------------------------------------------------------------------------------------------
// The checks of behaviour

/// On one thread: `get` and `get_mut` reach the value, without dropping it, and dropping the
/// handle drops it once.
fn check_drops_once<H: CountedHandle>(name: &str) -> Result<(), String> {
    let name = name.to_string();
    with_timeout(TIMEOUT_SECS, move || -> Result<(), String> {
        let counter = fresh_counter();
        let mut handle = H::new(Counted { value: 1, drops: counter });
        if handle.get().value != 1 {
            return Err(format!("new(1) then get() returned {}", handle.get().value));
        }
        handle.get_mut().value = 2;
        if handle.get().value != 2 {
            return Err(format!("after get_mut() set 2, get() returned {}", handle.get().value));
        }
        expect_drops(counter, 0, "while the handle was alive")?;
        drop(handle);
        expect_drops(counter, 1, "once the handle was dropped")
    })
    .and_then(|verdict| verdict)
    .map_err(|e| format!("{name}, on one thread: {e}"))
}

/// `into_inner` gives the value back without dropping it, and the caller's drop of that value is
/// its only one.
fn check_into_inner<H: CountedHandle>(name: &str) -> Result<(), String> {
    let name = name.to_string();
    with_timeout(TIMEOUT_SECS, move || -> Result<(), String> {
        let counter = fresh_counter();
        let value = H::new(Counted { value: 3, drops: counter }).into_inner();
        if value.value != 3 {
            return Err(format!("new(3) then into_inner() returned {}", value.value));
        }
        expect_drops(counter, 0, "once into_inner had returned the value, before the caller dropped it")?;
        drop(value);
        expect_drops(counter, 1, "once the caller had dropped the value that into_inner returned")
    })
    .and_then(|verdict| verdict)
    .map_err(|e| format!("{name}, into_inner: {e}"))
}

/// Handles moved to other threads work there. One goes to a spawned thread, which reads it,
/// changes it with `get_mut` and hands it back through `join`; the change is seen. It goes to
/// another thread, which drops it there, and to a third, whose `into_inner` returns the value.
/// Then 64 handles with one counter go through a channel to four threads that drop them. Every
/// destructor runs once, on whichever thread dropped the handle.
fn check_moved<H: CountedHandle + Send>(name: &str) -> Result<(), String> {
    let name = name.to_string();
    with_timeout(TIMEOUT_SECS, move || -> Result<(), String> {
        let counter = fresh_counter();
        let handle = H::new(Counted { value: 10, drops: counter });
        let handle = thread::spawn(move || {
            let mut handle = handle;
            assert_eq!(handle.get().value, 10, "get() on the thread the handle moved to");
            handle.get_mut().value = 11;
            handle
        })
        .join()
        .map_err(|p| format!("the thread the handle moved to panicked: {}", panic_text(&*p)))?;
        if handle.get().value != 11 {
            return Err(format!(
                "another thread set 11 with get_mut() and gave the handle back, and get() \
                 returned {}",
                handle.get().value
            ));
        }
        expect_drops(counter, 0, "after the handle went to another thread and back")?;
        thread::spawn(move || drop(handle)).join().map_err(|_| "the dropping thread panicked")?;
        expect_drops(counter, 1, "once another thread had dropped the handle")?;

        let counter = fresh_counter();
        let handle = H::new(Counted { value: 12, drops: counter });
        let value = thread::spawn(move || handle.into_inner())
            .join()
            .map_err(|_| "the thread that called into_inner panicked")?;
        if value.value != 12 {
            return Err(format!("new(12), then into_inner() on another thread returned {}", value.value));
        }
        expect_drops(counter, 0, "once into_inner had returned the value on another thread")?;
        drop(value);
        expect_drops(counter, 1, "once the value returned by into_inner on another thread was dropped")?;

        let counter = fresh_counter();
        let (tx, rx) = mpsc::channel::<H>();
        let rx = Mutex::new(rx);
        thread::scope(|s| {
            for _ in 0..4 {
                // Each thread takes handles from the channel and drops them, until it is empty
                // and closed.
                s.spawn(|| while let Ok(handle) = { let rx = rx.lock().unwrap(); rx.recv() } {
                    drop(handle);
                });
            }
            for value in 0..64 {
                tx.send(H::new(Counted { value, drops: counter })).unwrap();
            }
            drop(tx);
        });
        expect_drops(counter, 64, "once four threads had received and dropped 64 handles")
    })
    .and_then(|verdict| verdict)
    .map_err(|e| format!("{name}, moved to other threads: {e}"))
}

/// The threads that share one handle, and how many times each reads it.
const READERS: usize = 4;
const READS: usize = 1000;

/// Threads share a handle. `READERS` scoped threads borrow it, meet at a `Barrier` so that their
/// reads overlap, and each calls `get` `READS` times, through `&Handle`. Once they are joined,
/// the owner changes the value with `get_mut` and reads it back; the value was never dropped
/// while shared, and is dropped once with the handle.
fn check_shared<H: CountedHandle + Sync>(name: &str) -> Result<(), String> {
    let name = name.to_string();
    with_timeout(TIMEOUT_SECS, move || -> Result<(), String> {
        let counter = fresh_counter();
        let mut handle = H::new(Counted { value: 7, drops: counter });
        let start = Barrier::new(READERS);
        let sum = AtomicU64::new(0);
        thread::scope(|s| {
            for _ in 0..READERS {
                let (handle, start, sum) = (&handle, &start, &sum);
                s.spawn(move || {
                    start.wait();
                    for _ in 0..READS {
                        sum.fetch_add(handle.get().value, Ordering::Relaxed);
                    }
                });
            }
        });
        let want = 7 * (READERS * READS) as u64;
        let got = sum.into_inner();
        if got != want {
            return Err(format!(
                "{READERS} threads each read 7 {READS} times with get(), and their reads add up \
                 to {got} instead of {want}"
            ));
        }
        expect_drops(counter, 0, "while threads shared the handle")?;
        // The scope has joined the readers: no `&Handle` is left, so the owner may change it.
        handle.get_mut().value = 8;
        if handle.get().value != 8 {
            return Err(format!("after the readers, get_mut() set 8 and get() returned {}", handle.get().value));
        }
        drop(handle);
        expect_drops(counter, 1, "once the shared handle was dropped")
    })
    .and_then(|verdict| verdict)
    .map_err(|e| format!("{name}, shared by {READERS} threads: {e}"))
}

/// Runs the checks that need the handle to be `Send` or `Sync` if it is, and reports that it is
/// not otherwise, by the probes' trick: the inherent function applies only where the bound holds
/// (at a concrete type), and the trait `CannotRun`'s only where it does not.
struct Run<H>(PhantomData<H>);

impl<H: CountedHandle + Send> Run<H> {
    fn moved(name: &str) -> Result<(), String> {
        check_moved::<H>(name)
    }
}

impl<H: CountedHandle + Sync> Run<H> {
    fn shared(name: &str) -> Result<(), String> {
        check_shared::<H>(name)
    }
}

trait CannotRun {
    fn moved(name: &str) -> Result<(), String> {
        Err(format!(
            "{name}, moved to other threads: Handle<Counted> is not Send, so no program can move \
             one to another thread (Counted is Send: the handle should be too)"
        ))
    }
    fn shared(name: &str) -> Result<(), String> {
        Err(format!(
            "{name}, shared by {READERS} threads: Handle<Counted> is not Sync, so no program can \
             share one between threads (Counted is Sync: the handle should be too)"
        ))
    }
}

impl<H> CannotRun for Run<H> {}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on your Handle

const YOURS: &str = "your Handle";

#[test]
fn the_probes_agree_with_std() {
    // What std documents: `impl !Send for Rc<T>`, `impl !Sync for Cell<T>`,
    // `impl !Send for MutexGuard<'_, T>` and `impl Sync for MutexGuard<'_, T> where T: Sync`,
    // `impl Send/Sync for Mutex<T> where T: Send`, and raw pointers are neither.
    let found = [
        ("i32", is_send!(i32), is_sync!(i32)),
        ("Mutex<i32>", is_send!(Mutex<i32>), is_sync!(Mutex<i32>)),
        ("Cell<i32>", is_send!(Cell<i32>), is_sync!(Cell<i32>)),
        ("MutexGuard<i32>", is_send!(MutexGuard<'static, i32>), is_sync!(MutexGuard<'static, i32>)),
        ("Rc<i32>", is_send!(Rc<i32>), is_sync!(Rc<i32>)),
        ("*mut i32", is_send!(*mut i32), is_sync!(*mut i32)),
        ("Box<Cell<i32>>", is_send!(Box<Cell<i32>>), is_sync!(Box<Cell<i32>>)),
    ];
    let documented = [
        ("i32", true, true),
        ("Mutex<i32>", true, true),
        ("Cell<i32>", true, false),
        ("MutexGuard<i32>", false, true),
        ("Rc<i32>", false, false),
        ("*mut i32", false, false),
        ("Box<Cell<i32>>", true, false),
    ];
    assert_eq!(found, documented, "(type, Send, Sync): the probes disagree with std");
}

#[test]
fn your_handle_is_send_when_its_t_is() {
    pass(check_send_when_t_is(YOURS, &probe_handles!(exercise_handle)));
}

#[test]
fn your_handle_is_not_send_unless_its_t_is() {
    pass(check_not_send_unless_t_is(YOURS, &probe_handles!(exercise_handle)));
}

#[test]
fn your_handle_is_sync_when_its_t_is() {
    pass(check_sync_when_t_is(YOURS, &probe_handles!(exercise_handle)));
}

#[test]
fn your_handle_is_not_sync_unless_its_t_is() {
    pass(check_not_sync_unless_t_is(YOURS, &probe_handles!(exercise_handle)));
}

#[test]
fn your_handle_drops_its_value_once() {
    pass(check_drops_once::<exercise_handle::Handle<Counted>>(YOURS));
}

#[test]
fn your_into_inner_gives_the_value_back_undropped() {
    pass(check_into_inner::<exercise_handle::Handle<Counted>>(YOURS));
}

#[test]
fn your_handle_moves_to_other_threads() {
    pass(Run::<exercise_handle::Handle<Counted>>::moved(YOURS));
}

#[test]
fn threads_share_your_handle() {
    pass(Run::<exercise_handle::Handle<Counted>>::shared(YOURS));
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong handles

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::assert_rejected;

    /// Asserts that a check rejected a handle, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("handle", verdict, needle);
    }

    /// The struct and the methods that every wrong handle shares with the exercise's given code.
    macro_rules! handle_api {
        () => {
            pub struct Handle<T> {
                ptr: *mut T,
            }

            impl<T> Handle<T> {
                pub fn new(value: T) -> Self {
                    Handle { ptr: Box::into_raw(Box::new(value)) }
                }
                pub fn get(&self) -> &T {
                    // SAFETY: as in the exercise.
                    unsafe { &*self.ptr }
                }
                pub fn get_mut(&mut self) -> &mut T {
                    // SAFETY: as in the exercise.
                    unsafe { &mut *self.ptr }
                }
            }
        };
    }

    /// A right `into_inner` and `Drop`, for the wrong handles whose mistake is elsewhere.
    macro_rules! right_into_inner_and_drop {
        () => {
            impl<T> Handle<T> {
                pub fn into_inner(self) -> T {
                    let this = std::mem::ManuallyDrop::new(self);
                    // SAFETY: as in the reference solution.
                    *unsafe { Box::from_raw(this.ptr) }
                }
            }

            impl<T> Drop for Handle<T> {
                fn drop(&mut self) {
                    // SAFETY: as in the reference solution.
                    unsafe { drop(Box::from_raw(self.ptr)) }
                }
            }
        };
    }

    /// The right bounds, for the wrong handles whose mistake is elsewhere.
    macro_rules! right_bounds {
        () => {
            // SAFETY: as in the reference solution.
            unsafe impl<T: Send> Send for Handle<T> {}
            // SAFETY: as in the reference solution.
            unsafe impl<T: Sync> Sync for Handle<T> {}
        };
    }

    /// (a) "It is thread-safe": both impls without bounds, which would let a `Handle<Rc<i32>>`
    /// move an `Rc` to another thread, and threads share a `Cell` through a `Handle<Cell<i32>>`.
    mod unbounded {
        handle_api!();
        right_into_inner_and_drop!();
        unsafe impl<T> Send for Handle<T> {}
        unsafe impl<T> Sync for Handle<T> {}
    }
    counted_handle!(unbounded);

    #[test]
    fn impls_without_bounds_fail_the_negative_probes() {
        let name = "a Handle with unbounded impls";
        let rows = probe_handles!(unbounded);
        // The positive probes, and every check of behaviour, pass: `Counted` is thread-safe,
        // so nothing a test does with a handle of it can go wrong. Only the probes of handles
        // whose `T` is not thread-safe see the mistake.
        pass(check_send_when_t_is(name, &rows));
        pass(check_sync_when_t_is(name, &rows));
        pass(check_drops_once::<unbounded::Handle<Counted>>(name));
        pass(check_into_inner::<unbounded::Handle<Counted>>(name));
        pass(Run::<unbounded::Handle<Counted>>::moved(name));
        pass(Run::<unbounded::Handle<Counted>>::shared(name));
        rejected(check_not_send_unless_t_is(name, &rows), "Handle<Rc<i32>> is Send, though Rc<i32> is not");
        rejected(
            check_not_send_unless_t_is(name, &rows),
            "Handle<MutexGuard<'static, i32>> is Send, though MutexGuard<'static, i32> is not",
        );
        rejected(check_not_sync_unless_t_is(name, &rows), "Handle<Cell<i32>> is Sync, though Cell<i32> is not");
        rejected(check_not_sync_unless_t_is(name, &rows), "Handle<Rc<i32>> is Sync, though Rc<i32> is not");
    }

    /// (b) No `unsafe impl` at all: the raw pointer makes the handle neither `Send` nor `Sync`,
    /// whatever its `T`. This is also the exercise's starting point.
    mod no_impls {
        handle_api!();
        right_into_inner_and_drop!();
    }
    counted_handle!(no_impls);

    #[test]
    fn a_handle_without_impls_fails_the_positive_probes() {
        let name = "a Handle without unsafe impls";
        let rows = probe_handles!(no_impls);
        pass(check_not_send_unless_t_is(name, &rows));
        pass(check_not_sync_unless_t_is(name, &rows));
        pass(check_drops_once::<no_impls::Handle<Counted>>(name));
        rejected(check_send_when_t_is(name, &rows), "Handle<i32> is not Send, though i32 is");
        rejected(check_send_when_t_is(name, &rows), "Handle<Cell<i32>> is not Send, though Cell<i32> is");
        rejected(check_sync_when_t_is(name, &rows), "Handle<Mutex<i32>> is not Sync, though Mutex<i32> is");
        rejected(Run::<no_impls::Handle<Counted>>::moved(name), "Handle<Counted> is not Send");
        rejected(Run::<no_impls::Handle<Counted>>::shared(name), "Handle<Counted> is not Sync");
    }

    /// (c) `Sync` bounded by `T: Send`, perhaps copied from the `Send` impl: a `Handle<Cell<i32>>`
    /// would be `Sync`, and two threads could `set` its `Cell` at once; and a
    /// `Handle<MutexGuard<i32>>` would not be, although sharing one only shares `&MutexGuard`s.
    mod sync_when_send {
        handle_api!();
        right_into_inner_and_drop!();
        unsafe impl<T: Send> Send for Handle<T> {}
        unsafe impl<T: Send> Sync for Handle<T> {}
    }
    counted_handle!(sync_when_send);

    #[test]
    fn sync_bounded_by_send_fails_both_sync_probes() {
        let name = "a Handle that is Sync when T is Send";
        let rows = probe_handles!(sync_when_send);
        pass(check_send_when_t_is(name, &rows));
        pass(check_not_send_unless_t_is(name, &rows));
        pass(Run::<sync_when_send::Handle<Counted>>::shared(name));
        rejected(check_not_sync_unless_t_is(name, &rows), "Handle<Cell<i32>> is Sync, though Cell<i32> is not");
        rejected(
            check_sync_when_t_is(name, &rows),
            "Handle<MutexGuard<'static, i32>> is not Sync, though MutexGuard<'static, i32> is",
        );
    }

    /// (d) The bounds of `Arc<T>`, `T: Send + Sync`, for both impls: sound, but stricter than
    /// the handle needs, since it never shares its `T` with another handle. A `Handle<Cell<i32>>`
    /// could not move to another thread, nor a `Handle<MutexGuard<i32>>` be shared.
    mod bounds_of_arc {
        handle_api!();
        right_into_inner_and_drop!();
        unsafe impl<T: Send + Sync> Send for Handle<T> {}
        unsafe impl<T: Send + Sync> Sync for Handle<T> {}
    }
    counted_handle!(bounds_of_arc);

    #[test]
    fn the_bounds_of_arc_fail_the_positive_probes() {
        let name = "a Handle with the bounds of Arc";
        let rows = probe_handles!(bounds_of_arc);
        pass(check_not_send_unless_t_is(name, &rows));
        pass(check_not_sync_unless_t_is(name, &rows));
        rejected(check_send_when_t_is(name, &rows), "Handle<Cell<i32>> is not Send, though Cell<i32> is");
        rejected(
            check_sync_when_t_is(name, &rows),
            "Handle<MutexGuard<'static, i32>> is not Sync, though MutexGuard<'static, i32> is",
        );
    }

    /// (e) A `Drop` that forgets to free: the value, and the memory, leak. Its bounds and its
    /// `into_inner` are right.
    mod leaky_drop {
        handle_api!();
        right_bounds!();

        impl<T> Handle<T> {
            pub fn into_inner(self) -> T {
                let this = std::mem::ManuallyDrop::new(self);
                // SAFETY: as in the reference solution.
                *unsafe { Box::from_raw(this.ptr) }
            }
        }

        impl<T> Drop for Handle<T> {
            fn drop(&mut self) {}
        }
    }
    counted_handle!(leaky_drop);

    #[test]
    #[cfg_attr(miri, ignore = "it leaks on purpose, and Miri's leak check would fail the run")]
    fn a_drop_that_does_not_free_leaks_the_value() {
        let name = "a Handle whose Drop does nothing";
        pass(check_send_when_t_is(name, &probe_handles!(leaky_drop)));
        pass(check_into_inner::<leaky_drop::Handle<Counted>>(name));
        rejected(
            check_drops_once::<leaky_drop::Handle<Counted>>(name),
            "once the handle was dropped, the value's destructor had run 0 times instead of once",
        );
        rejected(
            Run::<leaky_drop::Handle<Counted>>::moved(name),
            "once another thread had dropped the handle, the value's destructor had run 0 times",
        );
    }

    /// (f) An `into_inner` that copies the value out and lets the handle's `Drop` run: the
    /// value is dropped by the handle, then again by the caller. The usual form of this mistake,
    /// `*Box::from_raw(self.ptr)`, also frees the memory twice, which is undefined behaviour that
    /// no test can safely run; this one reads the value out with `ptr::read` instead, so the
    /// memory is freed once, by `Drop`, and only `Counted`'s destructor runs twice, which for
    /// `Counted` (a number and a `&'static` counter) means only that it counts two drops.
    mod into_inner_drops_again {
        handle_api!();
        right_bounds!();

        impl<T> Handle<T> {
            pub fn into_inner(self) -> T {
                // SAFETY: not safe: `self` is dropped at the end of this function, and its
                // `Drop` drops the `T` that this copies out. Sound only for a `T` whose
                // destructor may run twice, such as `Counted`.
                unsafe { std::ptr::read(self.ptr) }
            }
        }

        impl<T> Drop for Handle<T> {
            fn drop(&mut self) {
                // SAFETY: as in the reference solution.
                unsafe { drop(Box::from_raw(self.ptr)) }
            }
        }
    }
    counted_handle!(into_inner_drops_again);

    #[test]
    fn an_into_inner_that_lets_drop_run_drops_the_value_twice() {
        let name = "a Handle whose into_inner lets Drop run";
        pass(check_drops_once::<into_inner_drops_again::Handle<Counted>>(name));
        rejected(
            check_into_inner::<into_inner_drops_again::Handle<Counted>>(name),
            "once into_inner had returned the value, before the caller dropped it, the value's \
             destructor had run once instead of 0 times",
        );
        rejected(
            Run::<into_inner_drops_again::Handle<Counted>>::moved(name),
            "once into_inner had returned the value on another thread, the value's destructor \
             had run once instead of 0 times",
        );
    }
}

// The interleaving lab of §5.5: two threads run one of the programs below, and a schedule chosen
// from outside says which thread takes each step. A step starts at a call to `lock()` and runs
// until the thread's next `lock()` call (or its end): every access to shared data happens under a
// lock, so the order of these steps decides the outcome. Run it as
//     main lost 1,2,1,2        (the programs: lost, lost-fixed, abba, abba-fixed)
// or with no arguments for a few schedules of each. It prints which lock each step takes or
// waits for, and the outcome; a schedule that deadlocks ends with that verdict instead of hanging.
use std::cell::Cell;
use std::collections::BTreeMap;
use std::ops::{Deref, DerefMut};
use std::panic::{self, AssertUnwindSafe, Location};
use std::sync::{Condvar, LockResult, Mutex, MutexGuard, PoisonError};
use std::thread;

// ANCHOR: lost
fn add_one(counter: &Lock<u32>) {
    let v = *counter.lock().unwrap();
    *counter.lock().unwrap() = v + 1;
}
// ANCHOR_END: lost

// ANCHOR: lost-fixed
fn add_one_fixed(counter: &Lock<u32>) {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
}
// ANCHOR_END: lost-fixed

// ANCHOR: thread-1
fn thread_1(a: &Lock<i32>, b: &Lock<i32>) {
    let mut a = a.lock().unwrap();
    let mut b = b.lock().unwrap();
    *a -= 1;
    *b += 1;
}
// ANCHOR_END: thread-1

// ANCHOR: thread-2
fn thread_2(a: &Lock<i32>, b: &Lock<i32>) {
    let mut b = b.lock().unwrap();
    let mut a = a.lock().unwrap();
    *b -= 1;
    *a += 1;
}
// ANCHOR_END: thread-2

// ANCHOR: thread-2-fixed
fn thread_2_fixed(a: &Lock<i32>, b: &Lock<i32>) {
    let mut a = a.lock().unwrap();
    let mut b = b.lock().unwrap();
    *b -= 1;
    *a += 1;
}
// ANCHOR_END: thread-2-fixed

/// Runs `program` with its two threads taking their steps in the order of `schedule` (thread
/// numbers; when it ends early, the lowest-numbered thread that can go takes each further step).
fn run(program: &str, schedule: &[usize]) {
    let list = |s: &[usize]| s.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",");
    println!("run: {program} {}", list(schedule));
    LAB.start(schedule);
    let outcome = match program {
        "lost" | "lost-fixed" => {
            let counter = Lock::new("counter", 0);
            let f = if program == "lost" { add_one } else { add_one_fixed };
            let deadlock = two_threads(|| f(&counter), || f(&counter));
            let n = counter.data.into_inner().unwrap_or_else(PoisonError::into_inner);
            if deadlock { "deadlock: both threads blocked".to_string() } else { format!("counter = {n}") }
        }
        "abba" | "abba-fixed" => {
            let (a, b) = (Lock::new("a", 0), Lock::new("b", 0));
            let second = if program == "abba" { thread_2 } else { thread_2_fixed };
            if two_threads(|| thread_1(&a, &b), || second(&a, &b)) {
                "deadlock: both threads blocked".to_string()
            } else {
                // Each thread moved one unit: a and b are back where they started.
                assert_eq!((*a.data.lock().unwrap(), *b.data.lock().unwrap()), (0, 0));
                "both threads finished".to_string()
            }
        }
        other => {
            eprintln!("no program is called {other:?}: lost, lost-fixed, abba or abba-fixed");
            std::process::exit(2);
        }
    };
    let state = LAB.state.lock().unwrap();
    println!("schedule: {}", list(&state.taken));
    println!("outcome: {outcome}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parse = |s: &str| -> Vec<usize> { s.split(',').filter(|t| !t.is_empty()).map(|t| t.trim().parse().expect("a schedule is thread numbers, 1 or 2, separated by commas")).collect() };
    if let Some((program, schedules)) = args.split_first() {
        for s in schedules {
            run(program, &parse(s));
        }
        return;
    }
    run("lost", &[1, 1, 2, 2]);
    run("lost", &[1, 2, 1, 2]);
    run("lost-fixed", &[2, 1]);
    run("abba", &[1, 1, 2, 2]);
    run("abba", &[1, 2, 1, 2]);
    run("abba-fixed", &[1, 2, 1, 2, 2]);
}

// ---------------------------------------------------------------------------------------------
// The turnstile. A `Lock` is a `Mutex` whose `lock()` first waits until the schedule gives its
// thread the next step. If the lock is held by the other thread, the call waits, as
// `Mutex::lock` would, here inside the turnstile; when every thread waits for a lock that another
// holds, the turnstile ends both threads (their guards are dropped as they unwind) and the run
// reports the deadlock.

struct Lock<T> {
    name: &'static str,
    data: Mutex<T>,
}

struct Guard<'a, T> {
    name: &'static str,
    inner: Option<MutexGuard<'a, T>>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Thread {
    Starting,
    AtLock,
    Running,
    Blocked(&'static str),
    Done,
}

struct State {
    schedule: Vec<usize>,
    taken: Vec<usize>,
    threads: [Thread; 2],
    holders: BTreeMap<&'static str, usize>,
    deadlock: bool,
}

struct Lab {
    state: Mutex<State>,
    turn: Condvar,
}

/// The payload a thread unwinds with when the run has deadlocked.
struct Deadlock;

static LAB: Lab = Lab {
    state: Mutex::new(State {
        schedule: Vec::new(),
        taken: Vec::new(),
        threads: [Thread::Starting; 2],
        holders: BTreeMap::new(),
        deadlock: false,
    }),
    turn: Condvar::new(),
};

thread_local! {
    static ME: Cell<usize> = const { Cell::new(0) };
}

impl Lab {
    fn start(&self, schedule: &[usize]) {
        let mut s = self.state.lock().unwrap();
        *s = State { schedule: schedule.to_vec(), taken: Vec::new(), threads: [Thread::Starting; 2], holders: BTreeMap::new(), deadlock: false };
    }
}

impl State {
    fn can_go(&self, t: usize) -> bool {
        match self.threads[t - 1] {
            Thread::AtLock => true,
            Thread::Blocked(lock) => !self.holders.contains_key(lock),
            _ => false,
        }
    }

    /// The thread that takes the next step, once no thread is between two `lock()` calls.
    fn next(&self) -> Option<usize> {
        if self.deadlock || self.threads.iter().any(|t| matches!(t, Thread::Starting | Thread::Running)) {
            return None;
        }
        match self.schedule.get(self.taken.len()) {
            Some(&t) if (1..=2).contains(&t) && self.can_go(t) => Some(t),
            Some(&t) => {
                eprintln!("step {} of the schedule names thread {t}, which cannot go (finished, waiting for a lock, or no such thread)", self.taken.len() + 1);
                std::process::exit(2);
            }
            None => (1..=2).find(|&t| self.can_go(t)),
        }
    }
}

impl<T> Lock<T> {
    fn new(name: &'static str, value: T) -> Self {
        Lock { name, data: Mutex::new(value) }
    }

    /// Waits for this thread's turn, then takes the lock, or waits while the other thread holds it.
    #[track_caller]
    fn lock(&self) -> LockResult<Guard<'_, T>> {
        let (me, line) = (ME.get(), Location::caller().line());
        let mut s = LAB.state.lock().unwrap();
        s.threads[me - 1] = Thread::AtLock;
        loop {
            LAB.turn.notify_all();
            if s.deadlock {
                drop(s);
                panic::resume_unwind(Box::new(Deadlock));
            }
            if s.next() == Some(me) {
                s.taken.push(me);
                match s.holders.get(self.name) {
                    None => {
                        s.holders.insert(self.name, me);
                        s.threads[me - 1] = Thread::Running;
                        println!("thread {me}, line {line}: takes {}", self.name);
                        break;
                    }
                    Some(&other) => {
                        s.threads[me - 1] = Thread::Blocked(self.name);
                        println!("thread {me}, line {line}: waits for {} (thread {other} holds it)", self.name);
                        let stuck = |t: &Thread| match t {
                            Thread::Blocked(l) => s.holders.contains_key(l),
                            other => *other == Thread::Done,
                        };
                        if s.threads.iter().all(stuck) {
                            s.deadlock = true;
                            continue;
                        }
                    }
                }
            }
            s = LAB.turn.wait(s).unwrap();
        }
        drop(s);
        let name = self.name;
        match self.data.lock() {
            Ok(g) => Ok(Guard { name, inner: Some(g) }),
            Err(e) => Err(PoisonError::new(Guard { name, inner: Some(e.into_inner()) })),
        }
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.inner.as_ref().unwrap()
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.inner.as_mut().unwrap()
    }
}

impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        drop(self.inner.take());
        let mut s = LAB.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.holders.remove(self.name);
        LAB.turn.notify_all();
    }
}

/// Runs `first` as thread 1 and `second` as thread 2 under the turnstile; true if they deadlocked.
fn two_threads(first: impl FnOnce() + Send, second: impl FnOnce() + Send) -> bool {
    fn body(me: usize, f: impl FnOnce()) -> bool {
        ME.set(me);
        let result = panic::catch_unwind(AssertUnwindSafe(f));
        let mut s = LAB.state.lock().unwrap();
        s.threads[me - 1] = Thread::Done;
        LAB.turn.notify_all();
        match result {
            Ok(()) => false,
            Err(payload) if payload.is::<Deadlock>() => true,
            Err(payload) => panic::resume_unwind(payload),
        }
    }
    thread::scope(|scope| {
        let t1 = scope.spawn(|| body(1, first));
        let t2 = scope.spawn(|| body(2, second));
        let d1 = t1.join().unwrap();
        let d2 = t2.join().unwrap();
        d1 || d2
    })
}

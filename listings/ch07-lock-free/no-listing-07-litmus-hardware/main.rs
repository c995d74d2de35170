// The litmus explorer's hardware counts (§7.2): message passing and store buffering run for real,
// round after round, with every choice of orderings, on two long-lived threads that meet at a
// spin barrier before each round, so that their operations overlap. It prints the machine and,
// per test and ordering choice, how many rounds ended with each outcome (r1, r2). It asserts
// only what the memory model guarantees on every machine (an outcome it forbids never shows);
// how often an allowed outcome shows depends on the machine and is printed, never asserted.
// `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite runs a small one.
use std::hint::spin_loop;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;

const STORES: [Ordering; 3] = [Ordering::Relaxed, Ordering::Release, Ordering::SeqCst];
const LOADS: [Ordering; 3] = [Ordering::Relaxed, Ordering::Acquire, Ordering::SeqCst];

/// Each on its own cache line, as each thread's arrival counter is.
#[repr(align(128))]
struct Line<T>(T);

/// Two threads' spin barrier: a thread announces that it reached barrier `k` and waits until
/// the other has too. It spins, then yields (with both threads pinned to one CPU, the other
/// thread can only arrive when this one gives the CPU up).
struct Meet {
    arrived: [Line<AtomicU64>; 2],
    /// How long to spin before yielding: 0 when this process has one CPU (`taskset -c 0`).
    spins: u32,
}

impl Meet {
    fn wait(&self, me: usize, k: u64) {
        self.arrived[me].0.store(k, Ordering::Release);
        let mut spins = 0u32;
        while self.arrived[1 - me].0.load(Ordering::Acquire) < k {
            spins += 1;
            if spins < self.spins {
                spin_loop();
            } else {
                thread::yield_now();
            }
        }
    }
}

struct Vars {
    a: Line<AtomicUsize>,
    b: Line<AtomicUsize>,
}

// ANCHOR: mp
/// Message passing, `a` the data and `b` the flag; thread 2 returns (r1, r2).
fn mp_thread1(v: &Vars, [o1, o2, _, _]: [Ordering; 4]) -> usize {
    let (data, flag) = (&v.a.0, &v.b.0);
    data.store(1, o1);
    flag.store(1, o2);
    0
}
fn mp_thread2(v: &Vars, [_, _, o3, o4]: [Ordering; 4]) -> usize {
    let (data, flag) = (&v.a.0, &v.b.0);
    let r1 = flag.load(o3);
    let r2 = data.load(o4);
    r1 * 2 + r2
}
// ANCHOR_END: mp

// ANCHOR: sb
/// Store buffering, `a` is x and `b` is y; thread 1 returns r1, thread 2 r2.
fn sb_thread1(v: &Vars, [o1, o2, _, _]: [Ordering; 4]) -> usize {
    let (x, y) = (&v.a.0, &v.b.0);
    x.store(1, o1);
    let r1 = y.load(o2);
    r1
}
fn sb_thread2(v: &Vars, [_, _, o3, o4]: [Ordering; 4]) -> usize {
    let (x, y) = (&v.a.0, &v.b.0);
    y.store(1, o3);
    let r2 = x.load(o4);
    r2
}
// ANCHOR_END: sb

type Half = fn(&Vars, [Ordering; 4]) -> usize;

/// Runs `rounds` rounds of one test with orderings `o`; returns the count of each outcome,
/// indexed by r1 * 2 + r2. `outcome` makes (r1, r2) from what the two threads returned.
fn run(rounds: usize, o: [Ordering; 4], t1: Half, t2: Half, outcome: fn(usize, usize) -> usize) -> [u64; 4] {
    let vars = Vars { a: Line(AtomicUsize::new(0)), b: Line(AtomicUsize::new(0)) };
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    let meet = Meet { arrived: [Line(AtomicU64::new(0)), Line(AtomicU64::new(0))], spins: if cpus > 1 { 2_000 } else { 0 } };
    let (one, two) = thread::scope(|s| {
        let one = s.spawn(|| {
            let mut got = Vec::with_capacity(rounds);
            for k in 0..rounds as u64 {
                meet.wait(0, 2 * k + 1); // the variables are 0: thread 2 reset them
                got.push(t1(&vars, o) as u8);
                meet.wait(0, 2 * k + 2);
            }
            got
        });
        let two = s.spawn(|| {
            let mut got = Vec::with_capacity(rounds);
            for k in 0..rounds as u64 {
                meet.wait(1, 2 * k + 1);
                got.push(t2(&vars, o) as u8);
                meet.wait(1, 2 * k + 2); // both threads are done with this round
                vars.a.0.store(0, Ordering::Relaxed);
                vars.b.0.store(0, Ordering::Relaxed);
            }
            got
        });
        (one.join().unwrap(), two.join().unwrap())
    });
    let mut counts = [0; 4];
    for (a, b) in one.into_iter().zip(two) {
        counts[outcome(a as usize, b as usize)] += 1;
    }
    counts
}

fn choices(kinds: [bool; 4]) -> Vec<[Ordering; 4]> {
    let legal = |store: bool| if store { STORES } else { LOADS };
    let mut out = Vec::new();
    for a in legal(kinds[0]) {
        for b in legal(kinds[1]) {
            for c in legal(kinds[2]) {
                for d in legal(kinds[3]) {
                    out.push([a, b, c, d]);
                }
            }
        }
    }
    out
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".to_string());
    let logical = cpuinfo.lines().filter(|l| l.starts_with("processor")).count();
    let usable = thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {logical} logical CPUs, {usable} usable, {}", std::env::consts::ARCH)
}

fn main() {
    let rounds = if std::env::var_os("BOOK_BENCH").is_some() { 100_000 } else { 20 };
    println!("machine: {}", machine());
    println!("rounds: {rounds} per ordering choice");
    let tests: [(&str, [bool; 4], Half, Half, fn(usize, usize) -> usize); 2] = [
        ("mp", [true, true, false, false], mp_thread1, mp_thread2, |_, r| r),
        ("sb", [true, false, true, false], sb_thread1, sb_thread2, |r1, r2| r1 * 2 + r2),
    ];
    for (name, kinds, t1, t2, outcome) in tests {
        for o in choices(kinds) {
            let c = run(rounds, o, t1, t2, outcome);
            // What the memory model forbids never shows, on any machine.
            if name == "mp" && matches!(o[1], Ordering::Release | Ordering::SeqCst) && matches!(o[2], Ordering::Acquire | Ordering::SeqCst) {
                assert_eq!(c[2], 0, "mp {o:?}: flag read 1 and data 0 after a Release/Acquire pair");
            }
            if name == "sb" && o == [Ordering::SeqCst; 4] {
                assert_eq!(c[0], 0, "sb {o:?}: both loads read 0 with all four operations SeqCst");
            }
            println!("{name} {:?} {:?} {:?} {:?}: 0,0={} 0,1={} 1,0={} 1,1={}", o[0], o[1], o[2], o[3], c[0], c[1], c[2], c[3]);
        }
    }
}

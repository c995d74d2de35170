use std::hint::black_box;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::*};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: here
/// The atomic alone in 128 bytes, so that nothing else shares its lines.
#[repr(align(128))]
struct Alone(AtomicU64);

/// `threads` threads (1 or 2), started together by a barrier, each call
/// `op` `n` times on one shared atomic: `x = op(atomic, x)`, from x = 0.
/// Passing each result to the next call keeps every call needed, and
/// `black_box` hides which atomic it is and uses the last result, so the
/// optimiser can neither drop nor merge the calls. Returns the time from
/// the first thread's start to the last one's end, and the atomic's final
/// value.
fn measure(threads: usize, n: u64, op: impl Fn(&AtomicU64, u64) -> u64 + Sync) -> (Duration, u64) {
    let atomic = Alone(AtomicU64::new(0));
    let start = Barrier::new(threads);
    let spans: Vec<(Instant, Instant)> = thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (atomic, start, op) = (&atomic.0, &start, &op);
                s.spawn(move || {
                    start.wait();
                    let began = Instant::now();
                    let atomic = black_box(atomic);
                    let mut x = 0;
                    for _ in 0..n {
                        x = op(atomic, x);
                    }
                    black_box(x);
                    (began, Instant::now())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let began = spans.iter().map(|s| s.0).min().unwrap();
    (spans.iter().map(|s| s.1).max().unwrap() - began, atomic.0.into_inner())
}

/// Each operation, with each ordering it accepts. A closure names its
/// ordering literally, so each row is compiled with its own instructions.
fn rows(r: &mut impl FnMut(&str, &str, &dyn Fn(usize, u64) -> (Duration, u64))) {
    // Loads: every thread only reads, so the line is never written.
    r("load", "Relaxed", &|t, n| measure(t, n, |a, x| x ^ a.load(Relaxed)));
    r("load", "Acquire", &|t, n| measure(t, n, |a, x| x ^ a.load(Acquire)));
    r("load", "SeqCst", &|t, n| measure(t, n, |a, x| x ^ a.load(SeqCst)));
    // Stores of 0, 1, 2, …: each thread writes, never reads.
    r("store", "Relaxed", &|t, n| measure(t, n, |a, x| { a.store(x, Relaxed); x + 1 }));
    r("store", "Release", &|t, n| measure(t, n, |a, x| { a.store(x, Release); x + 1 }));
    r("store", "SeqCst", &|t, n| measure(t, n, |a, x| { a.store(x, SeqCst); x + 1 }));
    // Read-modify-writes: add 1, returning the old value.
    r("fetch_add", "Relaxed", &|t, n| measure(t, n, |a, _| a.fetch_add(1, Relaxed)));
    r("fetch_add", "Acquire", &|t, n| measure(t, n, |a, _| a.fetch_add(1, Acquire)));
    r("fetch_add", "Release", &|t, n| measure(t, n, |a, _| a.fetch_add(1, Release)));
    r("fetch_add", "AcqRel", &|t, n| measure(t, n, |a, _| a.fetch_add(1, AcqRel)));
    r("fetch_add", "SeqCst", &|t, n| measure(t, n, |a, _| a.fetch_add(1, SeqCst)));
    // Swap in the old value plus 1.
    r("swap", "Relaxed", &|t, n| measure(t, n, |a, x| a.swap(x + 1, Relaxed) + 1));
    r("swap", "Acquire", &|t, n| measure(t, n, |a, x| a.swap(x + 1, Acquire) + 1));
    r("swap", "Release", &|t, n| measure(t, n, |a, x| a.swap(x + 1, Release) + 1));
    r("swap", "AcqRel", &|t, n| measure(t, n, |a, x| a.swap(x + 1, AcqRel) + 1));
    r("swap", "SeqCst", &|t, n| measure(t, n, |a, x| a.swap(x + 1, SeqCst) + 1));
    // A CAS increment: from the value last seen to one more. Alone, every
    // call succeeds; contended, a call that fails returns the value to try
    // next. Success ordering, failure ordering.
    macro_rules! cas {
        ($success:ident, $failure:ident) => {
            |t, n| {
                measure(t, n, |a, x| match a.compare_exchange(x, x + 1, $success, $failure) {
                    Ok(_) => x + 1,
                    Err(now) => now,
                })
            }
        };
    }
    r("compare_exchange", "Relaxed, Relaxed", &cas!(Relaxed, Relaxed));
    r("compare_exchange", "Acquire, Acquire", &cas!(Acquire, Acquire));
    r("compare_exchange", "Release, Relaxed", &cas!(Release, Relaxed));
    r("compare_exchange", "AcqRel, Acquire", &cas!(AcqRel, Acquire));
    r("compare_exchange", "SeqCst, SeqCst", &cas!(SeqCst, SeqCst));
}
// ANCHOR_END: here

/// What must hold of the atomic's final value after `threads` threads did
/// `n` calls of `op` each.
fn check(op: &str, threads: u64, n: u64, last: u64) {
    let ok = match op {
        "load" => last == 0,
        // Every thread's last store is of n - 1.
        "store" => last == n - 1,
        "fetch_add" => last == threads * n,
        // Alone, each swap returns what the one before stored.
        "swap" => threads > 1 || last == n,
        // Every success adds 1; a thread's call fails only after another
        // thread's success since its last call, so successes >= n.
        "compare_exchange" => (threads == 1 && last == n) || (threads > 1 && (n..=threads * n).contains(&last)),
        _ => unreachable!(),
    };
    assert!(ok, "{op} with {threads} threads, {n} calls each: final value {last}");
}

/// `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite
/// runs a small one (42 figures, each from at least 5 runs).
fn min_run() -> Duration {
    Duration::from_micros(if std::env::var_os("BOOK_BENCH").is_some() { 100_000 } else { 250 })
}

/// The first n of 1024, 2048, 4096, … whose run takes at least `min_run()`,
/// then the median of three more runs of that n: ns per call per thread.
fn ns_per_call(op: &str, threads: usize, run: &dyn Fn(usize, u64) -> (Duration, u64)) -> f64 {
    let mut n = 1024;
    loop {
        let (took, last) = run(threads, n);
        check(op, threads as u64, n, last);
        if took >= min_run() {
            break;
        }
        n *= 2;
    }
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let (took, last) = run(threads, n);
            check(op, threads as u64, n, last);
            took
        })
        .collect();
    runs.sort();
    // Each thread made n calls in that time: what one call cost the thread
    // that made it.
    runs[1].as_secs_f64() * 1e9 / n as f64
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split_once(':').map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".to_string());
    let logical = cpuinfo.lines().filter(|l| l.starts_with("processor")).count();
    let usable = thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {logical} logical CPUs, {usable} usable")
}

fn main() {
    println!("machine: {}, {}", machine(), std::env::consts::ARCH);
    println!(
        "each figure: ns per call per thread, the median of 3 runs of n calls per thread, n the first of 1024, 2048, 4096, ... to take {} ms or more",
        min_run().as_secs_f64() * 1e3
    );
    println!("{:<36}{:>10}{:>11}", "operation and ordering", "1 thread", "2 threads");
    rows(&mut |op, ordering, run| {
        let alone = ns_per_call(op, 1, run);
        let contended = ns_per_call(op, 2, run);
        println!("{:<36}{alone:>10.2}{contended:>11.2}", format!("{op} {ordering}"));
    });
}

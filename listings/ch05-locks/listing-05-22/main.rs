use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: here
/// One shard of a sharded counter, alone in 128 bytes: two 64-byte cache
/// lines, as crossbeam's `CachePadded` pads on x86-64, because the CPU may
/// fetch lines in pairs.
#[repr(align(128))]
struct Padded(AtomicU64);

#[derive(Clone, Copy)]
enum Counter {
    Mutex,
    RwLockWrite,
    Atomic,
    Padded,
    Local,
}

/// `threads` threads, started together by a barrier, each count `n`
/// increments on `kind`; returns the time from the start until all of
/// them have finished, after checking the total.
fn count(kind: Counter, threads: usize, n: u64) -> Duration {
    let mutex = Mutex::new(0u64);
    let rwlock = RwLock::new(0u64);
    let shared = AtomicU64::new(0);
    let padded: Vec<Padded> = (0..threads).map(|_| Padded(AtomicU64::new(0))).collect();
    let start = Barrier::new(threads + 1);
    let started = thread::scope(|s| {
        for i in 0..threads {
            let (mutex, rwlock, shared, padded, start) = (&mutex, &rwlock, &shared, &padded, &start);
            s.spawn(move || {
                start.wait();
                match kind {
                    Counter::Mutex => (0..n).for_each(|_| *mutex.lock().unwrap() += 1),
                    Counter::RwLockWrite => (0..n).for_each(|_| *rwlock.write().unwrap() += 1),
                    Counter::Atomic => (0..n).for_each(|_| _ = shared.fetch_add(1, Relaxed)),
                    Counter::Padded => (0..n).for_each(|_| _ = padded[i].0.fetch_add(1, Relaxed)),
                    Counter::Local => {
                        let mut local = 0u64;
                        // black_box: the optimiser must not replace the loop by `local = n`.
                        (0..n).for_each(|_| local += black_box(1));
                        shared.fetch_add(local, Relaxed); // once per thread
                    }
                }
            });
        }
        start.wait();
        Instant::now()
    }); // the scope has joined every thread
    let took = started.elapsed();
    let total = match kind {
        Counter::Mutex => mutex.into_inner().unwrap(),
        Counter::RwLockWrite => rwlock.into_inner().unwrap(),
        Counter::Atomic | Counter::Local => shared.into_inner(),
        Counter::Padded => padded.iter().map(|p| p.0.load(Relaxed)).sum(),
    };
    assert_eq!(total, threads as u64 * n, "lost increments");
    took
}
// ANCHOR_END: here

/// `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite
/// runs a small one.
fn min_run() -> Duration {
    Duration::from_millis(if std::env::var_os("BOOK_BENCH").is_some() { 100 } else { 1 })
}

/// Runs `count` with 1024, 2048, 4096, … increments per thread until one
/// run takes at least `min_run()`; returns that run's n and time.
fn calibrated(kind: Counter, threads: usize) -> (u64, Duration) {
    let mut n = 1024;
    loop {
        let took = count(kind, threads, n);
        if took >= min_run() {
            return (n, took);
        }
        n *= 2;
    }
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
    let kinds = [
        ("Mutex<u64>", Counter::Mutex),
        ("RwLock<u64> write", Counter::RwLockWrite),
        ("AtomicU64 shared", Counter::Atomic),
        ("sharded, padded", Counter::Padded),
        ("thread-local", Counter::Local),
    ];
    println!("machine: {}", machine());
    println!(
        "each figure: the first of runs of 1024, 2048, 4096, ... increments per thread to take {} ms or more",
        min_run().as_millis()
    );
    println!("{:<20}{:>8}{:>10}{:>14}", "counter", "threads", "ns/incr", "M incr/s");
    for (name, kind) in kinds {
        for threads in [1, 2, 4] {
            let (n, took) = calibrated(kind, threads);
            let increments = (threads as u64 * n) as f64;
            let ns = took.as_secs_f64() * 1e9 / increments;
            println!("{name:<20}{threads:>8}{ns:>10.2}{:>14.1}", increments / took.as_secs_f64() / 1e6);
        }
    }
}

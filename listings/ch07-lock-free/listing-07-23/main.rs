extern crate /* not found? run: mdbook test -L target/book-lib */ crossbeam;

use crossbeam::utils::CachePadded;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: here
/// Two counters side by side, 8 bytes apart. The alignment puts the pair at
/// the start of a 64-byte cache line, so both are always in the same line.
#[repr(align(64))]
struct Adjacent([AtomicU64; 2]);

/// A counter alone in one 64-byte line; its neighbour is in the next line.
#[repr(align(64))]
struct Align64(AtomicU64);

/// A counter alone in 128 bytes, two 64-byte lines: what `CachePadded`
/// does on x86-64, because the CPU may fetch lines in pairs.
#[repr(align(128))]
struct Align128(AtomicU64);

/// One thread per counter, started together by a barrier; each adds 1 to
/// its own counter `n` times. No counter is written by two threads, yet
/// counters in one cache line make the line travel between the cores.
/// Returns the time from the first thread's start to the last one's end.
fn race(counters: &[&AtomicU64], n: u64) -> Duration {
    let start = Barrier::new(counters.len());
    let spans: Vec<(Instant, Instant)> = thread::scope(|s| {
        let threads: Vec<_> = counters
            .iter()
            .map(|&counter| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    let began = Instant::now();
                    for _ in 0..n {
                        // One locked instruction on x86-64 (`lock inc`): it
                        // cannot complete until this core owns the line.
                        counter.fetch_add(1, Relaxed);
                    }
                    (began, Instant::now())
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    for counter in counters {
        assert_eq!(counter.load(Relaxed), n, "lost increments");
    }
    let began = spans.iter().map(|s| s.0).min().unwrap();
    spans.iter().map(|s| s.1).max().unwrap() - began
}

#[derive(Clone, Copy)]
enum Layout {
    Alone,
    Adjacent,
    Align64,
    Align128,
    CachePadded,
}

/// Fresh counters in `layout`, raced; returns the time and how many bytes
/// apart the two counters are (0 for the single counter).
fn run(layout: Layout, n: u64) -> (Duration, usize) {
    fn apart(a: &AtomicU64, b: &AtomicU64) -> usize {
        (b as *const AtomicU64 as usize) - (a as *const AtomicU64 as usize)
    }
    match layout {
        Layout::Alone => {
            let c = Align128(AtomicU64::new(0));
            (race(&[&c.0], n), 0)
        }
        Layout::Adjacent => {
            let c = Adjacent([AtomicU64::new(0), AtomicU64::new(0)]);
            (race(&[&c.0[0], &c.0[1]], n), apart(&c.0[0], &c.0[1]))
        }
        Layout::Align64 => {
            let c = [Align64(AtomicU64::new(0)), Align64(AtomicU64::new(0))];
            (race(&[&c[0].0, &c[1].0], n), apart(&c[0].0, &c[1].0))
        }
        Layout::Align128 => {
            let c = [Align128(AtomicU64::new(0)), Align128(AtomicU64::new(0))];
            (race(&[&c[0].0, &c[1].0], n), apart(&c[0].0, &c[1].0))
        }
        Layout::CachePadded => {
            let c = [CachePadded::new(AtomicU64::new(0)), CachePadded::new(AtomicU64::new(0))];
            (race(&[&*c[0], &*c[1]], n), apart(&c[0], &c[1]))
        }
    }
}
// ANCHOR_END: here

/// `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite
/// runs a small one.
fn min_run() -> Duration {
    Duration::from_millis(if std::env::var_os("BOOK_BENCH").is_some() { 100 } else { 1 })
}

/// The first n of 1024, 2048, 4096, … whose run takes at least `min_run()`,
/// then the median of three more runs of that n: returns n, that median
/// and the distance between the counters.
fn measured(layout: Layout) -> (u64, Duration, usize) {
    let mut n = 1024;
    while run(layout, n).0 < min_run() {
        n *= 2;
    }
    let mut runs: Vec<(Duration, usize)> = (0..3).map(|_| run(layout, n)).collect();
    runs.sort();
    (n, runs[1].0, runs[1].1)
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
    let (size, align) = (size_of::<CachePadded<AtomicU64>>(), align_of::<CachePadded<AtomicU64>>());
    // What the chapter states of x86-64, checked on every run there.
    #[cfg(target_arch = "x86_64")]
    assert_eq!((size, align), (128, 128));
    println!("machine: {}", machine());
    println!("CachePadded<AtomicU64> on {}: {size} bytes, aligned to {align}", std::env::consts::ARCH);
    println!(
        "each figure: the median of 3 runs of n increments per thread, n the first of 1024, 2048, 4096, ... to take {} ms or more",
        min_run().as_millis()
    );
    println!("{:<30}{:>7}{:>9}{:>10}", "counters", "apart", "threads", "ns/incr");
    let layouts = [
        ("one counter, one thread", Layout::Alone),
        ("adjacent, one line", Layout::Adjacent),
        ("align(64), a line each", Layout::Align64),
        ("align(128), two lines each", Layout::Align128),
        ("CachePadded", Layout::CachePadded),
    ];
    let mut ns = [0.0; 5];
    for (i, (name, layout)) in layouts.into_iter().enumerate() {
        let (n, took, apart) = measured(layout);
        let threads = if let Layout::Alone = layout { 1 } else { 2 };
        // Each thread did n increments in `took`: the time one increment
        // cost the thread that did it.
        ns[i] = took.as_secs_f64() * 1e9 / n as f64;
        let apart = if apart == 0 { "-".to_string() } else { apart.to_string() };
        println!("{name:<30}{apart:>7}{threads:>9}{:>10.2}", ns[i]);
    }
    println!("adjacent / align(128): {:.2}", ns[1] / ns[3]);
    println!("adjacent / CachePadded: {:.2}", ns[1] / ns[4]);
}

extern crate /* not found? run: mdbook test -L target/book-lib */ crossbeam;

use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: here
/// What the benchmark needs of a channel's two ends, so that every kind of
/// channel runs exactly the same code.
trait Tx: Send + 'static {
    fn put(&self, v: u64);
}
trait Rx: Send + 'static {
    /// `None` once every sender is gone and the channel is empty.
    fn take(&self) -> Option<u64>;
}

/// Throughput: one producer sends `0..n`, one consumer receives until
/// the channel disconnects. Returns the time it took.
fn throughput<T: Tx, R: Rx>(make: fn() -> (T, R), n: u64) -> Duration {
    let (tx, rx) = make();
    let start = Instant::now();
    let consumer = thread::spawn(move || {
        let (mut count, mut sum) = (0u64, 0u64);
        while let Some(v) = rx.take() {
            count += 1;
            sum += v;
        }
        (count, sum)
    });
    for v in 0..n {
        tx.put(v);
    }
    drop(tx); // disconnects: the consumer's loop ends when it has taken all
    let (count, sum) = consumer.join().unwrap();
    let took = start.elapsed();
    assert_eq!((count, sum), (n, n * (n - 1) / 2), "lost or changed messages");
    took
}

/// Hand-off cost: a ping-pong over two channels of the same kind. Each
/// round trip is two hand-offs. Returns the time `round_trips` took.
fn hand_off<T: Tx, R: Rx>(make: fn() -> (T, R), round_trips: u64) -> Duration {
    let (ping_tx, ping_rx) = make();
    let (pong_tx, pong_rx) = make();
    let echo = thread::spawn(move || {
        while let Some(v) = ping_rx.take() {
            pong_tx.put(v + 1);
        }
    });
    let start = Instant::now();
    for v in 0..round_trips {
        ping_tx.put(v);
        assert_eq!(pong_rx.take(), Some(v + 1));
    }
    let took = start.elapsed();
    drop(ping_tx); // ends the echo thread's loop
    echo.join().unwrap();
    took
}

/// Runs `measure(n)` for n = 64, 128, 256, … until one run takes at least
/// `min`; returns that run's n and time.
fn calibrated(min: Duration, measure: impl Fn(u64) -> Duration) -> (u64, Duration) {
    let mut n = 64;
    loop {
        let took = measure(n);
        if took >= min {
            return (n, took);
        }
        n *= 2;
    }
}
// ANCHOR_END: here

impl Tx for mpsc::Sender<u64> {
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Tx for mpsc::SyncSender<u64> {
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for mpsc::Receiver<u64> {
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}
impl Tx for crossbeam::channel::Sender<u64> {
    fn put(&self, v: u64) {
        self.send(v).unwrap();
    }
}
impl Rx for crossbeam::channel::Receiver<u64> {
    fn take(&self) -> Option<u64> {
        self.recv().ok()
    }
}

/// `cargo xtask bench` sets BOOK_BENCH=1 for the full size; the test suite
/// runs a small one.
fn min_run() -> Duration {
    Duration::from_millis(if std::env::var_os("BOOK_BENCH").is_some() { 100 } else { 1 })
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

fn row<T: Tx, R: Rx>(name: &str, make: fn() -> (T, R)) {
    let (n, took) = calibrated(min_run(), |n| throughput(make, n));
    let per_sec = n as f64 / took.as_secs_f64();
    let (n, took) = calibrated(min_run(), |n| hand_off(make, n));
    let per_hand_off = took.as_secs_f64() * 1e9 / (2 * n) as f64;
    println!("{name:<26}{:>10.2}{:>14.0}", per_sec / 1e6, per_hand_off);
}

fn main() {
    use crossbeam::channel::{bounded, unbounded};
    println!("machine: {}", machine());
    println!("each figure: the first of runs of 64, 128, 256, ... messages or round trips to take {} ms or more", min_run().as_millis());
    println!("{:<26}{:>10}{:>14}", "channel", "M msg/s", "ns/hand-off");
    row("mpsc::channel()", mpsc::channel::<u64>);
    row("mpsc::sync_channel(0)", || mpsc::sync_channel::<u64>(0));
    row("mpsc::sync_channel(1)", || mpsc::sync_channel::<u64>(1));
    row("mpsc::sync_channel(16)", || mpsc::sync_channel::<u64>(16));
    row("mpsc::sync_channel(1024)", || mpsc::sync_channel::<u64>(1024));
    row("crossbeam unbounded()", unbounded::<u64>);
    row("crossbeam bounded(0)", || bounded::<u64>(0));
    row("crossbeam bounded(1)", || bounded::<u64>(1));
    row("crossbeam bounded(16)", || bounded::<u64>(16));
    row("crossbeam bounded(1024)", || bounded::<u64>(1024));
}

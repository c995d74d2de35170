use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Barrier, LazyLock, OnceLock};
use std::thread;
use std::time::Duration;

static INITIALISERS_RUN: AtomicUsize = AtomicUsize::new(0);

// LazyLock (Rust 1.80): the initialiser is part of the static; the first access runs it.
static SQUARES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    INITIALISERS_RUN.fetch_add(1, Ordering::Relaxed);
    thread::sleep(Duration::from_millis(5)); // a slow initialiser: the others arrive meanwhile
    (0..1000).map(|n| n * n).collect()
});

// OnceLock (Rust 1.70): the value is set once, by whichever caller gets there first.
fn units() -> &'static HashMap<&'static str, &'static str> {
    static UNITS: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    UNITS.get_or_init(|| {
        INITIALISERS_RUN.fetch_add(1, Ordering::Relaxed);
        thread::sleep(Duration::from_millis(5));
        HashMap::from([("temperature", "°C"), ("pressure", "hPa")])
    })
}

fn main() {
    // Four threads start together and all ask for both values at once.
    let start = Barrier::new(4);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                start.wait();
                assert_eq!(SQUARES[12], 144); // waits for the first caller's initialiser
                assert_eq!(units()["pressure"], "hPa");
            });
        }
    });
    // One run of each initialiser, however the race went.
    println!("initialisers run: {}", INITIALISERS_RUN.load(Ordering::Relaxed));
    assert_eq!(INITIALISERS_RUN.load(Ordering::Relaxed), 2);

    println!("SQUARES[12] = {}", SQUARES[12]);
    println!("temperature in {}", units()["temperature"]);
}

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};
use std::thread;

// LazyLock (Rust 1.80): the initialiser is part of the static; the first access runs it.
static SQUARES: LazyLock<Vec<u64>> = LazyLock::new(|| (0..1000).map(|n| n * n).collect());

// OnceLock (Rust 1.70): the value is set once, by whichever caller gets there first.
fn units() -> &'static HashMap<&'static str, &'static str> {
    static UNITS: OnceLock<HashMap<&str, &str>> = OnceLock::new();
    UNITS.get_or_init(|| HashMap::from([("temperature", "°C"), ("pressure", "hPa")]))
}

fn main() {
    // Four threads race to be first; exactly one runs each initialiser, and all see its value.
    let seen: Vec<(usize, usize)> = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| (SQUARES.as_ptr() as usize, units() as *const _ as usize)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(seen.iter().all(|&p| p == seen[0])); // one Vec, one HashMap, for everyone

    println!("SQUARES[12] = {}", SQUARES[12]);
    println!("temperature in {}", units()["temperature"]);
}

#[cfg(loom)]
extern crate /* not found? run: mdbook test -L target/book-lib */ loom;

#[cfg(loom)]
use loom::{
    sync::Arc,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    thread,
};
#[cfg(not(loom))]
use std::{
    sync::Arc,
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    thread,
};

/// Runs `f` once for every interleaving (and every value each load may read) under loom; once,
/// as an ordinary test, without it.
#[cfg(loom)]
fn model(f: impl Fn() + Sync + Send + 'static) {
    loom::model(f);
}
#[cfg(not(loom))]
fn model(f: impl Fn()) {
    f();
}

/// Message passing: if the reader sees the flag, it must see the data written before it.
fn message_passing(store_flag: Ordering, load_flag: Ordering) {
    model(move || {
        let data = Arc::new(AtomicU64::new(0));
        let ready = Arc::new(AtomicBool::new(false));
        let writer = {
            let (data, ready) = (Arc::clone(&data), Arc::clone(&ready));
            thread::spawn(move || {
                data.store(42, Ordering::Relaxed);
                ready.store(true, store_flag);
            })
        };
        if ready.load(load_flag) {
            assert_eq!(data.load(Ordering::Relaxed), 42, "saw the flag but not the data");
        }
        writer.join().unwrap();
    });
}

// ANCHOR: here
#[test]
fn relaxed_does_not() {
    message_passing(Ordering::Relaxed, Ordering::Relaxed);
}
// ANCHOR_END: here

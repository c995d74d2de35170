// The litmus explorer's model (§7.2): for each litmus test and each choice of orderings, the set
// of outcomes (r1, r2) that loom finds over every execution it explores. The explorer's data
// check (tools/book/src/litmus.rs) builds these tests with --cfg loom, runs them with
// `--nocapture`, and compares each printed set with the explorer's table. loom is exact for
// Relaxed, Release and Acquire on these two-thread tests, but it runs SeqCst as AcqRel, so for an
// ordering choice with SeqCst its set is only an upper bound: the table's answer there comes from
// the memory model's reasoning, written in the explorer's data, and must lie within loom's set.
#[cfg(loom)]
extern crate /* not found? run: mdbook test -L target/book-lib */ loom;
#[cfg(loom)]
use loom::{
    sync::Arc,
    sync::atomic::{AtomicUsize, Ordering},
    thread,
};
use std::collections::BTreeSet;
#[cfg(not(loom))]
use std::{
    sync::Arc,
    sync::atomic::{AtomicUsize, Ordering},
    thread,
};

const STORES: [Ordering; 3] = [Ordering::Relaxed, Ordering::Release, Ordering::SeqCst];
const LOADS: [Ordering; 3] = [Ordering::Relaxed, Ordering::Acquire, Ordering::SeqCst];

// ANCHOR: mp
/// Message passing: thread 1 writes the data, then raises the flag; thread 2 (the model's main
/// thread) reads the flag, then the data.
fn mp([o1, o2, o3, o4]: [Ordering; 4]) -> (usize, usize) {
    let data = Arc::new(AtomicUsize::new(0));
    let flag = Arc::new(AtomicUsize::new(0));
    let t1 = thread::spawn({
        let (data, flag) = (data.clone(), flag.clone());
        move || {
            data.store(1, o1);
            flag.store(1, o2);
        }
    });
    let r1 = flag.load(o3);
    let r2 = data.load(o4);
    t1.join().unwrap();
    (r1, r2)
}
// ANCHOR_END: mp

// ANCHOR: sb
/// Store buffering: each thread writes its own variable, then reads the other's.
fn sb([o1, o2, o3, o4]: [Ordering; 4]) -> (usize, usize) {
    let x = Arc::new(AtomicUsize::new(0));
    let y = Arc::new(AtomicUsize::new(0));
    let t1 = thread::spawn({
        let (x, y) = (x.clone(), y.clone());
        move || {
            x.store(1, o1);
            let r1 = y.load(o2);
            r1
        }
    });
    y.store(1, o3);
    let r2 = x.load(o4);
    let r1 = t1.join().unwrap();
    (r1, r2)
}
// ANCHOR_END: sb

/// Every ordering choice of a test whose operations are stores (`true`) or loads (`false`).
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

/// Runs `test` under loom's model checker (every execution loom explores), or, without
/// `--cfg loom` (mdbook test, the listing's own runs), a few times on real threads; returns the
/// set of outcomes seen. The set lives outside the model, in a std Mutex.
fn outcomes(test: fn([Ordering; 4]) -> (usize, usize), o: [Ordering; 4]) -> BTreeSet<(usize, usize)> {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let s = seen.clone();
    let run = move || {
        let r = test(o);
        s.lock().unwrap().insert(r);
    };
    #[cfg(loom)]
    loom::model(run);
    #[cfg(not(loom))]
    for _ in 0..4 {
        run();
    }
    let set = seen.lock().unwrap().clone();
    set
}

/// One line per ordering choice: `litmus mp Relaxed Release Acquire Relaxed: 0,0 0,1 1,1`.
fn explore(name: &str, test: fn([Ordering; 4]) -> (usize, usize), kinds: [bool; 4]) {
    let mut lines = String::new();
    for o in choices(kinds) {
        let set = outcomes(test, o);
        assert!(!set.is_empty() && set.iter().all(|&(r1, r2)| r1 <= 1 && r2 <= 1));
        let seen: Vec<String> = set.iter().map(|(r1, r2)| format!("{r1},{r2}")).collect();
        lines.push_str(&format!("litmus {name} {:?} {:?} {:?} {:?}: {}\n", o[0], o[1], o[2], o[3], seen.join(" ")));
    }
    print!("{lines}");
}

#[test]
fn message_passing() {
    explore("mp", mp, [true, true, false, false]);
}

#[test]
fn store_buffering() {
    explore("sb", sb, [true, false, true, false]);
}

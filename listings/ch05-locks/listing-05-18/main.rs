use std::sync::{Condvar, Mutex};
use std::thread;

fn main() {
    // (next number to print, what was printed and by whom)
    let state = Mutex::new((1u32, Vec::new()));
    let turn_changed = Condvar::new();

    thread::scope(|s| {
        for parity in [1, 0] {
            let (state, turn_changed) = (&state, &turn_changed);
            s.spawn(move || loop {
                // Sleep until it is this thread's turn (or the work is done).
                let mut guard = turn_changed
                    .wait_while(state.lock().unwrap(), |(next, _)| *next <= 20 && *next % 2 != parity)
                    .unwrap();
                let (next, printed) = &mut *guard;
                if *next > 20 {
                    return;
                }
                printed.push((*next, parity));
                *next += 1;
                turn_changed.notify_all(); // the other thread's predicate may be false now
            });
        }
    });

    let (_, printed) = state.into_inner().unwrap();
    let numbers: Vec<u32> = printed.iter().map(|&(n, _)| n).collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>()); // in order, each once
    assert!(printed.iter().all(|&(n, parity)| n % 2 == parity)); // each by the right thread
    println!("{numbers:?}");
}

use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;

/// Takes one ticket if any are left: the read, the check and the write must be one step, or two
/// threads could both see the last ticket.
fn take_ticket(left: &AtomicU32) -> bool {
    let mut current = left.load(Ordering::Relaxed);
    loop {
        if current == 0 {
            return false;
        }
        // Write `current - 1` only if the value is still `current`; otherwise learn the new
        // value and try again. `_weak` may fail spuriously, which the loop absorbs.
        match left.compare_exchange_weak(current, current - 1, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return true,
            Err(actual) => current = actual,
        }
    }
}

/// The same loop, written by the standard library: `fetch_update` retries the closure until
/// its compare-exchange succeeds, or returns `Err` when the closure returns `None`.
fn take_ticket_with_fetch_update(left: &AtomicU32) -> bool {
    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_ok()
}

fn main() {
    let left = AtomicU32::new(1000);
    let taken: u32 = thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let left = &left;
                s.spawn(move || {
                    let mut mine = 0;
                    for _ in 0..400 {
                        let took = if i % 2 == 0 { take_ticket(left) } else { take_ticket_with_fetch_update(left) };
                        mine += u32::from(took);
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    // 4 × 400 attempts for 1000 tickets: exactly 1000 taken, none twice, none below zero.
    assert_eq!((taken, left.load(Ordering::Relaxed)), (1000, 0));
    println!("taken: {taken}, left: {}", left.load(Ordering::Relaxed));
}

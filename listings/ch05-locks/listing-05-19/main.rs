use std::sync::{Barrier, Mutex};
use std::thread;

// Barrier::new is a const fn since Rust 1.78: a Barrier can be a static.
static PHASE_DONE: Barrier = Barrier::new(4);

fn main() {
    let log = Mutex::new(Vec::new());

    let leaders = thread::scope(|s| {
        let workers: Vec<_> = (0..4)
            .map(|worker| {
                let log = &log;
                s.spawn(move || {
                    log.lock().unwrap().push((1, worker)); // phase 1: e.g. read a sensor
                    let leader = PHASE_DONE.wait().is_leader(); // nobody passes until all 4 arrive
                    log.lock().unwrap().push((2, worker)); // phase 2: e.g. combine the readings
                    leader
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).filter(|&leader| leader).count()
    });
    assert_eq!(leaders, 1); // wait() names exactly one thread per phase the leader

    let log = log.into_inner().unwrap();
    let last_phase_1 = log.iter().rposition(|&(phase, _)| phase == 1).unwrap();
    let first_phase_2 = log.iter().position(|&(phase, _)| phase == 2).unwrap();
    assert!(last_phase_1 < first_phase_2, "{log:?}");
    println!("all 4 phase-1 entries come before the first phase-2 entry");
}

// ANCHOR: here
use std::sync::{Barrier, Mutex};
use std::thread;

fn withdraw(balance: &Mutex<i64>, amount: i64) -> bool {
    // One guard covers both steps: no other thread can run in between.
    let mut guard = balance.lock().unwrap();
    if *guard >= amount {
        *guard -= amount;
        true
    } else {
        false
    }
} // the guard is dropped here, which unlocks the mutex

fn main() {
    let balance = Mutex::new(100);
    let start = Barrier::new(2); // start both withdrawals at the same moment

    let approved = thread::scope(|s| {
        let a = s.spawn(|| {
            start.wait();
            withdraw(&balance, 80)
        });
        let b = s.spawn(|| {
            start.wait();
            withdraw(&balance, 80)
        });
        [a.join().unwrap(), b.join().unwrap()]
    });

    let balance = balance.into_inner().unwrap();
    let approvals = approved.iter().filter(|&&ok| ok).count();
    println!("approved: {approvals} of 2, balance: {balance}");
    // ANCHOR_END: here
    assert_eq!(approvals, 1);
    assert_eq!(balance, 20);
    // ANCHOR: here
}
// ANCHOR_END: here

// ANCHOR: here
use std::sync::{Barrier, Mutex};
use std::thread;

fn withdraw(balance: &Mutex<i64>, amount: i64, both_checked: &Barrier) -> bool {
    // Step 1: check.
    let enough = *balance.lock().unwrap() >= amount;

    // For the demonstration: wait until the other thread has checked too.
    both_checked.wait();

    // Step 2: act on what we saw in step 1.
    if enough {
        *balance.lock().unwrap() -= amount;
    }
    enough
}

fn main() {
    let balance = Mutex::new(100);
    let both_checked = Barrier::new(2);

    let approved = thread::scope(|s| {
        let a = s.spawn(|| withdraw(&balance, 80, &both_checked));
        let b = s.spawn(|| withdraw(&balance, 80, &both_checked));
        [a.join().unwrap(), b.join().unwrap()]
    });

    let balance = balance.into_inner().unwrap();
    let approvals = approved.iter().filter(|&&ok| ok).count();
    println!("approved: {approvals} of 2, balance: {balance}");
    // ANCHOR_END: here
    assert_eq!(approvals, 2);
    assert_eq!(balance, -60);
    // ANCHOR: here
}
// ANCHOR_END: here

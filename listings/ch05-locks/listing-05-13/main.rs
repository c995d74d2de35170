use std::sync::{Barrier, Mutex};
use std::thread;

struct Account {
    balance: Mutex<i64>,
}

/// Locks `from`, then `to`: the order depends on the arguments.
fn transfer(from: &Account, to: &Account, amount: i64, both_started: &Barrier) {
    let mut source = from.balance.lock().unwrap();
    both_started.wait(); // makes the bad interleaving certain: each thread now holds one lock
    let mut target = to.balance.lock().unwrap(); // waits for the other thread's first lock
    *source -= amount;
    *target += amount;
}

fn main() {
    let checking = Account { balance: Mutex::new(100) };
    let savings = Account { balance: Mutex::new(100) };
    let both_started = Barrier::new(2);

    thread::scope(|s| {
        s.spawn(|| transfer(&checking, &savings, 10, &both_started)); // locks checking, then savings
        s.spawn(|| transfer(&savings, &checking, 20, &both_started)); // locks savings, then checking
    });
    println!("done"); // never printed
}

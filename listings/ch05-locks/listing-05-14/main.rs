use std::sync::Mutex;
use std::thread;

struct Account {
    id: u32,
    balance: Mutex<i64>,
}

/// Locks the two accounts in one global order, by id, whichever way the money goes.
fn transfer(from: &Account, to: &Account, amount: i64) {
    let (first, second) = if from.id < to.id { (from, to) } else { (to, from) };
    let mut first_balance = first.balance.lock().unwrap();
    let mut second_balance = second.balance.lock().unwrap();
    let (source, target) = if from.id < to.id {
        (&mut *first_balance, &mut *second_balance)
    } else {
        (&mut *second_balance, &mut *first_balance)
    };
    *source -= amount;
    *target += amount;
}

fn main() {
    let checking = Account { id: 1, balance: Mutex::new(20_000) };
    let savings = Account { id: 2, balance: Mutex::new(20_000) };

    // Thousands of transfers each way, at the same time: with one order, no cycle can form.
    thread::scope(|s| {
        s.spawn(|| (0..10_000).for_each(|_| transfer(&checking, &savings, 1)));
        s.spawn(|| (0..10_000).for_each(|_| transfer(&savings, &checking, 2)));
    });
    let (c, v) = (*checking.balance.lock().unwrap(), *savings.balance.lock().unwrap());
    println!("checking {c}, savings {v}, total {}", c + v);
    assert_eq!((c, v), (30_000, 10_000));
}

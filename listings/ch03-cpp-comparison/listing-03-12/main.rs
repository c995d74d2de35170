use std::sync::Mutex;
use std::thread;

struct Account {
    balance: i64,
}

fn deposit(acc: &Mutex<Account>, amount: i64) {
    acc.lock().unwrap().balance += amount;
}

fn add_interest(acc: &Mutex<Account>) {
    acc.balance += 1; // forgot the lock
}

fn main() {
    let acc = Mutex::new(Account { balance: 0 });
    thread::scope(|s| {
        s.spawn(|| {
            for _ in 0..100_000 {
                deposit(&acc, 1);
            }
        });
        s.spawn(|| {
            for _ in 0..100_000 {
                add_interest(&acc);
            }
        });
    });
    println!("balance = {}", acc.into_inner().unwrap().balance);
}

// The reference solution. The book shows the part between the ANCHOR lines; the lines before
// `transfer` are the same as in src/yours.rs, so that rustdoc can compile it on its own.

// ANCHOR: solution
use std::sync::{Mutex, MutexGuard};

/// What `transfer` needs from an account: who it is, and its lock. The tests call `transfer`
/// with accounts of their own, whose `lock` records each call; so lock an account only through
/// this method.
pub trait Account: Sync {
    /// The account's number. No two accounts have the same one.
    fn id(&self) -> u64;
    /// Locks the account's balance until the guard is dropped.
    fn lock(&self) -> MutexGuard<'_, u64>;
}

/// An account of the bank: its number, and its balance behind a lock of its own.
pub struct BankAccount {
    id: u64,
    balance: Mutex<u64>,
}

impl BankAccount {
    pub fn new(id: u64, balance: u64) -> Self {
        BankAccount { id, balance: Mutex::new(balance) }
    }

    /// The balance now.
    pub fn balance(&self) -> u64 {
        *self.lock()
    }
}

impl Account for BankAccount {
    fn id(&self) -> u64 {
        self.id
    }

    fn lock(&self) -> MutexGuard<'_, u64> {
        // A balance is changed only after every check has passed, so a thread that panicked
        // while holding the lock left it consistent: take it.
        self.balance.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Why a transfer was refused: `from` holds less than the amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientFunds {
    /// The amount of the transfer.
    pub requested: u64,
    /// What `from` held.
    pub available: u64,
}

/// Moves `amount` from `from` to `to`, both locked at once, the lower `id()` first.
pub fn transfer<A: Account>(from: &A, to: &A, amount: u64) -> Result<(), InsufficientFunds> {
    if from.id() == to.id() {
        // One account, one lock: taking it twice would deadlock (or panic).
        let available = *from.lock();
        return if available >= amount {
            Ok(())
        } else {
            Err(InsufficientFunds { requested: amount, available })
        };
    }
    // Every transfer takes the lower id's lock first. A thread that holds one lock and waits for
    // another then always waits for a higher id than any it holds, so no cycle of threads, each
    // waiting for the next, can form.
    let (mut from_balance, mut to_balance) = if from.id() < to.id() {
        let f = from.lock();
        let t = to.lock();
        (f, t)
    } else {
        let t = to.lock();
        let f = from.lock();
        (f, t)
    };
    if *from_balance < amount {
        return Err(InsufficientFunds { requested: amount, available: *from_balance });
    }
    *from_balance -= amount;
    *to_balance += amount;
    Ok(())
    // The guards are dropped here, in the reverse order of their declaration; the order in which
    // locks are released cannot cause a deadlock, only the order in which they are taken.
}
// ANCHOR_END: solution

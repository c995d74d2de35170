// Given: keep everything down to `transfer` as it is.
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

/// Moves `amount` from `from` to `to`, both locked at once, so that no other thread ever sees the
/// money in both accounts or in neither.
///
/// The contract (the hidden tests in `tests/grade.rs` check each point):
///
/// - It never deadlocks, whatever other transfers run at the same time: two threads that call
///   `transfer(a, b, …)` and `transfer(b, a, …)` at the same moment both return. Take the two
///   locks in one order that every transfer agrees on: the lower `id()` first.
/// - It is all or nothing: if `from` holds less than `amount`, it returns
///   `Err(InsufficientFunds { requested: amount, available })` with what `from` held, and changes
///   nothing. Otherwise it subtracts `amount` from `from`, adds it to `to` and returns `Ok(())`,
///   with both locks held throughout (each account locked once, the first lock still held when
///   the second is taken): a thread that locks every account (in `id()` order) always
///   finds the same total.
/// - A transfer from an account to itself (`from.id() == to.id()`) locks it once, changes
///   nothing, and returns what a transfer out of it would: `Ok(())` if it holds at least
///   `amount`, the error otherwise. (Locking a `std::sync::Mutex` again on the thread that holds
///   it deadlocks or panics.)
/// - The total of all balances fits in a `u64`, so adding to `to` cannot overflow.
///
/// Keep this signature: the tests call it exactly so.
// The parameters are unused until you write the body: then delete the next line.
#[allow(unused_variables)]
pub fn transfer<A: Account>(from: &A, to: &A, amount: u64) -> Result<(), InsufficientFunds> {
    todo!("lock the account with the lower id first, then the other, then check and move")
}

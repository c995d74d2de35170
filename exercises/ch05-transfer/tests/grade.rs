//! The hidden tests of the transfer exercise.
//!
//! They grade `exercise_transfer::transfer`: the reference solution by default, your
//! `src/yours.rs` with `--no-default-features` (`cargo grade exercise-transfer`).
//!
//! `transfer` is generic over the trait `Account`, so the tests call it with accounts of their
//! own, whose `lock` can line the threads up: the deadlock of two opposite transfers is made
//! certain, not left to chance; and it records, on each thread, the accounts that each call of
//! `transfer` locks, so that a transfer that locks an account twice, or that has let go of its
//! first lock when it takes the second, fails on its first such call, on one thread as surely as
//! on many. Every check is a function that takes a transfer function and
//! returns what is wrong with it, if anything; the self-tests at the bottom run the same checks
//! on deliberately wrong transfers. Every check runs under a watchdog, so a transfer that
//! deadlocks fails with a message instead of hanging the test run.

// The watchdog and the verdicts that every exercise's grader shares (tools/grading).
use book_grading::{panic_text, pass, with_timeout};
use exercise_transfer::{Account, InsufficientFunds};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Condvar, Mutex, MutexGuard, TryLockError};
use std::thread;

/// How long a check waits for the transfers before it gives up.
const TIMEOUT_SECS: u64 = 10;

/// A transfer function, as the checks call it.
type Transfer = fn(&TestAccount, &TestAccount, u64) -> Result<(), InsufficientFunds>;

/// The transfer the crate exports: your answer, or the reference solution.
const SUBMITTED: (&str, Transfer) = ("your transfer", exercise_transfer::transfer::<TestAccount>);

// ---------------------------------------------------------------------------------------------
// The tests' accounts

/// An account whose `lock` records the call (see `call`) and may follow a script that lines two
/// threads up. The balance is in an `Arc` so that the record can keep a handle on it.
struct TestAccount {
    id: u64,
    balance: Arc<Mutex<u64>>,
    script: Option<Arc<Script>>,
}

impl TestAccount {
    fn new(id: u64, balance: u64) -> Self {
        TestAccount { id, balance: Arc::new(Mutex::new(balance)), script: None }
    }
    fn scripted(id: u64, balance: u64, script: &Arc<Script>) -> Self {
        TestAccount { id, balance: Arc::new(Mutex::new(balance)), script: Some(Arc::clone(script)) }
    }
    fn plain_lock(&self) -> MutexGuard<'_, u64> {
        self.balance.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
    fn balance(&self) -> u64 {
        *self.plain_lock()
    }
}

impl Account for TestAccount {
    fn id(&self) -> u64 {
        self.id
    }
    fn lock(&self) -> MutexGuard<'_, u64> {
        record_lock(self);
        match &self.script {
            None => self.plain_lock(),
            Some(script) => script.lock(self),
        }
    }
}

/// The call of `transfer` running on this thread, if a check made it through `call`: what it was,
/// and the accounts it has locked so far, in order.
struct Record {
    what: String,
    locked: Vec<(u64, Arc<Mutex<u64>>)>,
}

thread_local! {
    static RECORD: RefCell<Option<Record>> = const { RefCell::new(None) };
}

/// Calls `transfer(from, to, amount)` with the record of its locks on: every check calls the
/// transfer through this.
fn call(
    transfer: Transfer,
    from: &TestAccount,
    to: &TestAccount,
    amount: u64,
) -> Result<(), InsufficientFunds> {
    /// Ends the record when the call returns or panics.
    struct End;
    impl Drop for End {
        fn drop(&mut self) {
            RECORD.with(|r| *r.borrow_mut() = None);
        }
    }
    let what = format!("transfer(account {}, account {}, {amount})", from.id, to.id);
    RECORD.with(|r| *r.borrow_mut() = Some(Record { what, locked: Vec::new() }));
    let _end = End;
    transfer(from, to, amount)
}

/// Called by `TestAccount::lock` before it locks: panics, before the lock is taken, if the
/// transfer running on this thread has locked `account` already, or has let go of an account it
/// locked earlier. The second test is a `try_lock` of each earlier account: if it succeeds, no
/// thread held that account, so this one had let it go. (If it fails, this thread holds it, or,
/// when other threads run too, perhaps another one does: the test can only miss then, never
/// accuse a correct transfer.) A correct transfer's `try_lock`s all fail, so they take nothing.
fn record_lock(account: &TestAccount) {
    let problem = RECORD.with(|r| -> Option<String> {
        let mut record = r.borrow_mut();
        let record = record.as_mut()?;
        if record.locked.iter().any(|(id, _)| *id == account.id) {
            return Some(format!(
                "{} locked account {} twice: a transfer locks each account once, and checks the \
                 funds and moves the money under the same locks (letting a lock go and taking it \
                 again lets another thread change the balance in between)",
                record.what, account.id
            ));
        }
        for (id, balance) in &record.locked {
            if !matches!(balance.try_lock(), Err(TryLockError::WouldBlock)) {
                return Some(format!(
                    "{} locked account {} when the lock of account {id}, which it had taken \
                     first, was no longer held: hold both locks at once, from before the check \
                     of the funds to after the change",
                    record.what, account.id
                ));
            }
        }
        record.locked.push((account.id, Arc::clone(&account.balance)));
        None
    });
    if let Some(problem) = problem {
        panic!("{problem}");
    }
}

/// What each of the script's two parties has done so far.
#[derive(Clone, Copy, Default)]
struct Party {
    /// The locks it has acquired.
    acquired: usize,
    /// It is waiting for a lock that another thread holds.
    blocked: bool,
}

thread_local! {
    /// Which of the script's two parties this thread is: 0, 1, or neither.
    static PARTY: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The script of the forced deadlock. Two threads each call `transfer` once; before either takes
/// its second lock, it waits until the other one holds its first lock, or is waiting for a lock
/// that someone holds. If both first locks were taken, each thread then goes for the lock the
/// other holds: the deadlock of lock-from-then-to is certain, in every run. If one thread's
/// first lock is the lock the other holds, as with one lock order for all, that thread waits for
/// it, and the script lets the other go on: a correct transfer finishes, in every run.
struct Script {
    parties: Mutex<[Party; 2]>,
    changed: Condvar,
}

impl Script {
    fn new() -> Arc<Script> {
        Arc::new(Script { parties: Mutex::new([Party::default(); 2]), changed: Condvar::new() })
    }

    fn parties(&self) -> MutexGuard<'_, [Party; 2]> {
        self.parties.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock<'a>(&self, account: &'a TestAccount) -> MutexGuard<'a, u64> {
        let Some(me) = PARTY.with(Cell::get) else {
            // A thread outside the script (none in the checks): no lining up.
            return account.plain_lock();
        };
        let other = 1 - me;
        {
            let mut parties = self.parties();
            if parties[me].acquired == 1 {
                while parties[other].acquired == 0 && !parties[other].blocked {
                    parties = self.changed.wait(parties).unwrap_or_else(|p| p.into_inner());
                }
            }
        }
        let guard = match account.balance.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {
                self.parties()[me].blocked = true;
                self.changed.notify_all();
                let guard = account.plain_lock();
                self.parties()[me].blocked = false;
                guard
            }
        };
        self.parties()[me].acquired += 1;
        self.changed.notify_all();
        guard
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// Two threads transfer at the same time in opposite directions, `a → b` and `b → a`, lined up
/// by the script so that lock-from-then-to deadlocks in every run. Both transfers must return
/// `Ok`, and the balances must show both. Run once with the lower id as `a` and once with it as
/// `b`, so that neither argument order is favoured.
fn check_forced_opposite((name, transfer): (&'static str, Transfer), secs: u64) -> Result<(), String> {
    for (id_a, id_b) in [(1, 2), (2, 1)] {
        let case = format!(
            "{name}: transfer(a, b, 10) and transfer(b, a, 3) at the same time, with a.id() == \
             {id_a} and b.id() == {id_b}"
        );
        let verdict = with_timeout(secs, move || -> Result<(), String> {
            let script = Script::new();
            let a = Arc::new(TestAccount::scripted(id_a, 100, &script));
            let b = Arc::new(TestAccount::scripted(id_b, 100, &script));
            let party = |me: usize, from: Arc<TestAccount>, to: Arc<TestAccount>, amount: u64| {
                thread::spawn(move || {
                    PARTY.with(|p| p.set(Some(me)));
                    call(transfer, &from, &to, amount)
                })
            };
            let first = party(0, Arc::clone(&a), Arc::clone(&b), 10);
            let second = party(1, Arc::clone(&b), Arc::clone(&a), 3);
            let results = [first.join(), second.join()];
            for (result, what) in results.into_iter().zip(["transfer(a, b, 10)", "transfer(b, a, 3)"]) {
                match result {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => return Err(format!("{what} returned Err({e:?})")),
                    Err(payload) => return Err(format!("{what} panicked: {}", panic_text(&*payload))),
                }
            }
            let balances = (a.balance(), b.balance());
            if balances != (93, 107) {
                return Err(format!(
                    "the balances are {balances:?} instead of (93, 107), from (100, 100)"
                ));
            }
            Ok(())
        });
        match verdict {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => return Err(format!("{case}: {problem}")),
            Err(e) if e.starts_with("timed out") => {
                return Err(format!(
                    "{case}, {e}: a deadlock (each thread held the lock the other was waiting \
                     for: take the lower id's lock first, in every transfer)"
                ));
            }
            Err(e) => return Err(format!("{case}, {e}")),
        }
    }
    Ok(())
}

/// Many threads transfer back and forth between four accounts, in both directions of every pair
/// at once, all starting at one `Barrier`, while an auditor locks all four accounts over and over
/// (in `id()` order, as the contract says every thread may) and adds up their balances. Every
/// transfer must return `Ok`, the auditor must always find the same total, and, as the two
/// threads of a pair make the same transfers in opposite directions, every account must end with
/// its first balance.
fn check_many_opposite((name, transfer): (&'static str, Transfer), secs: u64) -> Result<(), String> {
    const THREADS: usize = 8;
    const EACH: usize = 2_000;
    const START: u64 = 1_000_000;
    let case = format!(
        "{name}: {THREADS} threads making {EACH} transfers each, in both directions between the \
         accounts of each pair, while an auditor adds up the balances"
    );
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        // The ids are not in the accounts' order, so that an order by position is not one by id.
        let accounts: Arc<Vec<TestAccount>> =
            Arc::new([3, 1, 4, 2].into_iter().map(|id| TestAccount::new(id, START)).collect());
        let total = START * accounts.len() as u64;
        let start = Arc::new(Barrier::new(THREADS + 1));
        let done = Arc::new(AtomicBool::new(false));
        let auditor = {
            let (accounts, start, done) = (Arc::clone(&accounts), Arc::clone(&start), Arc::clone(&done));
            thread::spawn(move || -> Result<usize, String> {
                let mut in_order: Vec<&TestAccount> = accounts.iter().collect();
                in_order.sort_by_key(|a| a.id);
                start.wait();
                let mut audits = 0;
                while !done.load(Ordering::Acquire) {
                    let guards: Vec<_> = in_order.iter().map(|a| a.plain_lock()).collect();
                    let sum: u64 = guards.iter().map(|g| **g).sum();
                    drop(guards);
                    audits += 1;
                    if sum != total {
                        return Err(format!(
                            "with every account locked, the balances added up to {sum} instead of \
                             {total}: another thread saw the money of a transfer in neither \
                             account (or in both); keep both locks from before the first change \
                             to after the second"
                        ));
                    }
                }
                Ok(audits)
            })
        };
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (accounts, start) = (Arc::clone(&accounts), Arc::clone(&start));
                thread::spawn(move || -> Result<(), String> {
                    let n = accounts.len();
                    // Threads t and t + 4 share a pair, and start in opposite directions.
                    let (x, y) = (&accounts[t % n], &accounts[(t + 1) % n]);
                    start.wait();
                    for k in 0..EACH {
                        let (from, to) = if (k + t / n) % 2 == 0 { (x, y) } else { (y, x) };
                        if let Err(e) = call(transfer, from, to, 1 + k as u64 % 7) {
                            return Err(format!(
                                "transfer(account {}, account {}, {}) returned Err({e:?}) with \
                                 the money there",
                                from.id,
                                to.id,
                                1 + k as u64 % 7
                            ));
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        let mut failure = None;
        for worker in workers {
            match worker.join() {
                Ok(Ok(())) => {}
                Ok(Err(problem)) => failure = failure.or(Some(problem)),
                Err(payload) => failure = failure.or(Some(format!("a transfer panicked: {}", panic_text(&*payload)))),
            }
        }
        done.store(true, Ordering::Release);
        let audit = auditor.join().map_err(|_| "the auditor panicked".to_string())?;
        if let Some(problem) = failure {
            return Err(problem);
        }
        audit?;
        for account in accounts.iter() {
            let balance = account.balance();
            if balance != START {
                return Err(format!(
                    "account {} ended with {balance} instead of {START} (the two threads of \
                     each pair make the same transfers in opposite directions)",
                    account.id
                ));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{case}: {problem}")),
        Err(e) if e.starts_with("timed out") => Err(format!(
            "{case}, {e}: a deadlock (take the lower id's lock first, in every transfer)"
        )),
        Err(e) => Err(format!("{case}, {e}")),
    }
}

/// A transfer that `from` cannot cover is refused with what `from` held, and changes nothing;
/// one that it can cover, down to the last unit, moves the money from `from` to `to`.
fn check_insufficient_funds((name, transfer): (&'static str, Transfer), secs: u64) -> Result<(), String> {
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let a = TestAccount::new(1, 10);
        let b = TestAccount::new(2, 5);
        // (from, to, amount, what transfer returns, the balances after it)
        type Step<'a> = (&'a TestAccount, &'a TestAccount, u64, Result<(), InsufficientFunds>, (u64, u64));
        let steps: [Step; 5] = [
            (&a, &b, 11, Err(InsufficientFunds { requested: 11, available: 10 }), (10, 5)),
            (&b, &a, 6, Err(InsufficientFunds { requested: 6, available: 5 }), (10, 5)),
            (&a, &b, 10, Ok(()), (0, 15)),
            (&a, &b, 0, Ok(()), (0, 15)),
            (&b, &a, 15, Ok(()), (15, 0)),
        ];
        for (from, to, amount, want, balances) in steps {
            let before = (a.balance(), b.balance());
            let got = call(transfer, from, to, amount);
            let after = (a.balance(), b.balance());
            let what = format!(
                "with balances {before:?}, transfer(account {}, account {}, {amount})",
                from.id, to.id
            );
            if got != want {
                return Err(format!("{what} returned {got:?} instead of {want:?}"));
            }
            if after != balances {
                return Err(format!("{what} left the balances at {after:?} instead of {balances:?}"));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}: {problem}")),
        Err(e) => Err(format!("{name}, on one thread with two accounts, {e}")),
    }
}

/// A transfer from an account to itself returns, changes nothing, and reports insufficient funds
/// as a transfer out of the account would.
fn check_self_transfer((name, transfer): (&'static str, Transfer), secs: u64) -> Result<(), String> {
    let verdict = with_timeout(secs, move || -> Result<(), String> {
        let a = TestAccount::new(7, 10);
        for (amount, want) in [(4, Ok(())), (10, Ok(())), (11, Err(InsufficientFunds { requested: 11, available: 10 }))] {
            let got = call(transfer, &a, &a, amount);
            if got != want {
                return Err(format!("transfer(a, a, {amount}) with 10 in a returned {got:?} instead of {want:?}"));
            }
            if a.balance() != 10 {
                return Err(format!("transfer(a, a, {amount}) changed the balance from 10 to {}", a.balance()));
            }
        }
        Ok(())
    });
    match verdict {
        Ok(Ok(())) => Ok(()),
        Ok(Err(problem)) => Err(format!("{name}, a transfer from an account to itself: {problem}")),
        Err(e) => Err(format!(
            "{name}, a transfer from an account to itself, {e}: did it lock the account twice? \
             (std's Mutex deadlocks or panics when the thread that holds it locks it again)"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// The hidden tests: the checks, on the submitted transfer

#[test]
fn opposite_transfers_lined_up_to_deadlock_both_finish() {
    pass(check_forced_opposite(SUBMITTED, TIMEOUT_SECS));
}

#[test]
fn many_opposite_transfers_finish_and_conserve_the_total() {
    pass(check_many_opposite(SUBMITTED, TIMEOUT_SECS));
}

#[test]
fn insufficient_funds_are_refused_and_change_nothing() {
    pass(check_insufficient_funds(SUBMITTED, TIMEOUT_SECS));
}

#[test]
fn a_transfer_to_the_same_account_does_not_deadlock() {
    pass(check_self_transfer(SUBMITTED, TIMEOUT_SECS));
}

#[test]
fn bank_accounts_work_with_transfer() {
    use exercise_transfer::BankAccount;
    fn shareable<T: Send + Sync>() {}
    shareable::<BankAccount>();
    let (a, b) = (BankAccount::new(1, 50), BankAccount::new(2, 0));
    let moved = with_timeout(TIMEOUT_SECS, move || {
        let result = exercise_transfer::transfer(&a, &b, 20);
        (result, a.balance(), b.balance())
    })
    .unwrap_or_else(|e| panic!("transfer between two BankAccounts {e}"));
    assert_eq!(moved, (Ok(()), 30, 20), "transfer(a, b, 20) from (50, 0)");
}

// ---------------------------------------------------------------------------------------------
// Self-tests: the same checks reject wrong transfers

mod the_checks_reject_wrong_answers {
    use super::*;
    use book_grading::{assert_rejected, first_rejection};

    /// The seconds a self-test waits before it concludes that a wrong transfer is stuck. A
    /// correct one gets `TIMEOUT_SECS`; a stuck one never finishes, so a short wait cannot make
    /// these self-tests flaky.
    const STUCK_AFTER_SECS: u64 = 2;

    /// Asserts that a check rejected a transfer, with a message that contains `needle`.
    #[track_caller]
    fn rejected<T>(verdict: Result<T, String>, needle: &str) {
        assert_rejected("transfer", verdict, needle);
    }

    fn refuse(available: u64, amount: u64) -> Result<(), InsufficientFunds> {
        Err(InsufficientFunds { requested: amount, available })
    }

    /// Locks `from`, then `to`: the order of the arguments, which two opposite transfers disagree
    /// on.
    fn lock_from_then_to(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        if from.id() == to.id() {
            let available = *from.lock();
            return if available >= amount { Ok(()) } else { refuse(available, amount) };
        }
        let mut f = from.lock();
        let mut t = to.lock();
        if *f < amount {
            return refuse(*f, amount);
        }
        *f -= amount;
        *t += amount;
        Ok(())
    }

    /// Takes the locks in id order, but forgets the transfer from an account to itself.
    fn no_self_transfer_case(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        let (mut f, mut t) = if from.id() <= to.id() {
            let f = from.lock();
            (f, to.lock())
        } else {
            let t = to.lock();
            (from.lock(), t)
        };
        if *f < amount {
            return refuse(*f, amount);
        }
        *f -= amount;
        *t += amount;
        Ok(())
    }

    /// Never holds two locks: it takes money out of `from` under its lock, releases it, and puts
    /// the money into `to` under the other. No deadlock is possible, but between the two the
    /// money is in neither account. (The yield stands for whatever the thread may do, or be
    /// preempted for, between the two.)
    fn one_lock_at_a_time(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        {
            let mut f = from.lock();
            if *f < amount {
                return refuse(*f, amount);
            }
            *f -= amount;
        }
        thread::yield_now();
        *to.lock() += amount;
        Ok(())
    }

    /// The same without the yield: the gap is a few instructions, which an auditor on another
    /// thread sees in only some runs.
    fn one_lock_at_a_time_no_yield(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        {
            let mut f = from.lock();
            if *f < amount {
                return refuse(*f, amount);
            }
            *f -= amount;
        }
        *to.lock() += amount;
        Ok(())
    }

    /// Check, then lock (a time-of-check-to-time-of-use race): it reads `from`'s balance under
    /// its lock and refuses if it is short, lets the lock go, and only then takes both locks in
    /// id order and moves the money, without checking again. Another transfer out of `from` in
    /// between can leave it short.
    fn check_then_lock(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        let available = *from.lock();
        if available < amount {
            return refuse(available, amount);
        }
        if from.id() == to.id() {
            return Ok(());
        }
        let (mut f, mut t) = if from.id() < to.id() {
            let f = from.lock();
            (f, to.lock())
        } else {
            let t = to.lock();
            (from.lock(), t)
        };
        *f -= amount;
        *t += amount;
        Ok(())
    }

    /// `one_lock_at_a_time`, but it locks through the mutexes themselves, past the record of
    /// `TestAccount::lock`: no answer can do that (`transfer` sees only `Account`), but it shows
    /// that the auditor, on its own, sees the money in neither account.
    fn one_lock_at_a_time_unrecorded(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        {
            let mut f = from.plain_lock();
            if *f < amount {
                return refuse(*f, amount);
            }
            *f -= amount;
        }
        thread::yield_now();
        *to.plain_lock() += amount;
        Ok(())
    }

    /// Locks in id order, but does not check the funds: it takes what there is.
    fn no_funds_check(from: &TestAccount, to: &TestAccount, amount: u64) -> Result<(), InsufficientFunds> {
        if from.id() == to.id() {
            return Ok(());
        }
        let (mut f, mut t) = if from.id() < to.id() {
            let f = from.lock();
            (f, to.lock())
        } else {
            let t = to.lock();
            (from.lock(), t)
        };
        let taken = (*f).min(amount);
        *f -= taken;
        *t += taken;
        Ok(())
    }

    #[test]
    fn locking_from_then_to_deadlocks_when_lined_up() {
        let wrong = ("a transfer that locks from, then to", lock_from_then_to as Transfer);
        rejected(check_forced_opposite(wrong, STUCK_AFTER_SECS), "timed out after 2 s");
        // Everything else about it is right.
        pass(check_insufficient_funds(wrong, TIMEOUT_SECS));
        pass(check_self_transfer(wrong, TIMEOUT_SECS));
    }

    #[test]
    fn locking_the_same_account_twice_is_caught_before_it_deadlocks() {
        let wrong = ("a transfer without the case of one account", no_self_transfer_case as Transfer);
        // The record sees the second lock of account 7 before it is taken, so the check fails
        // at once instead of waiting for std's Mutex to deadlock or panic.
        let verdict = check_self_transfer(wrong, STUCK_AFTER_SECS);
        rejected(verdict.clone(), "did it lock the account twice?");
        rejected(verdict, "transfer(account 7, account 7, 4) locked account 7 twice");
        pass(check_forced_opposite(wrong, TIMEOUT_SECS));
        pass(check_insufficient_funds(wrong, TIMEOUT_SECS));
    }

    #[test]
    fn one_lock_at_a_time_is_caught_on_one_thread() {
        for wrong in [
            ("a transfer that holds one lock at a time", one_lock_at_a_time as Transfer),
            ("a transfer that holds one lock at a time, without a yield", one_lock_at_a_time_no_yield),
        ] {
            // Its first transfer that moves money locks `to` after it has let `from` go: the
            // record fails it in every run, with no other thread needed.
            rejected(
                check_insufficient_funds(wrong, TIMEOUT_SECS),
                "transfer(account 1, account 2, 10) locked account 2 when the lock of account 1, \
                 which it had taken first, was no longer held",
            );
            // A transfer from an account to itself locks it twice.
            rejected(
                check_self_transfer(wrong, TIMEOUT_SECS),
                "transfer(account 7, account 7, 4) locked account 7 twice",
            );
        }
    }

    #[test]
    fn checking_then_locking_is_caught_on_one_thread() {
        let wrong = ("a transfer that checks the funds, then locks", check_then_lock as Transfer);
        // Its refusals are right, but its first transfer that moves money locks `from` a second
        // time, in every run.
        rejected(
            check_insufficient_funds(wrong, TIMEOUT_SECS),
            "transfer(account 1, account 2, 10) locked account 1 twice",
        );
        // On many threads, whichever comes first: `to` locked after `from` was let go (when
        // `to` has the lower id), or `from` locked twice.
        rejected(check_many_opposite(wrong, TIMEOUT_SECS), "locked account");
        pass(check_self_transfer(wrong, TIMEOUT_SECS));
    }

    #[test]
    fn the_auditor_alone_sees_the_money_in_neither_account() {
        let wrong = ("a transfer that holds one lock at a time (unrecorded)", one_lock_at_a_time_unrecorded as Transfer);
        // On one thread it is right.
        pass(check_insufficient_funds(wrong, TIMEOUT_SECS));
        pass(check_self_transfer(wrong, TIMEOUT_SECS));
        // Whether the auditor adds up the balances while a transfer's money is in neither
        // account depends on the interleaving, so the self-test allows a few runs.
        rejected(
            first_rejection(5, || check_many_opposite(wrong, TIMEOUT_SECS)),
            "the balances added up to",
        );
    }

    #[test]
    fn taking_what_there_is_fails_the_funds_check() {
        let wrong = ("a transfer that does not check the funds", no_funds_check as Transfer);
        rejected(
            check_insufficient_funds(wrong, TIMEOUT_SECS),
            "transfer(account 1, account 2, 11) returned Ok(()) instead of Err(InsufficientFunds { requested: 11, available: 10 })",
        );
        pass(check_forced_opposite(wrong, TIMEOUT_SECS));
        pass(check_many_opposite(wrong, TIMEOUT_SECS));
    }
}

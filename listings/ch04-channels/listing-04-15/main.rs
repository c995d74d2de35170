use std::sync::mpsc::{self, Sender};
use std::thread;

// ANCHOR: here
enum Command {
    Deposit(u64),
    Withdraw { amount: u64, reply: Sender<Result<u64, u64>> }, // Ok(new balance) or Err(balance)
    Balance { reply: Sender<u64> },
}

/// The account's only owner is the actor thread; everyone else holds one of these.
#[derive(Clone)]
struct Account {
    commands: Sender<Command>,
}

impl Account {
    fn open() -> (Account, thread::JoinHandle<u64>) {
        let (tx, rx) = mpsc::channel();
        let actor = thread::spawn(move || {
            let mut balance = 0; // plain data: no lock, no other thread can reach it
            for command in rx {
                match command {
                    Command::Deposit(amount) => balance += amount,
                    Command::Withdraw { amount, reply } => {
                        let outcome = if amount <= balance {
                            balance -= amount;
                            Ok(balance)
                        } else {
                            Err(balance)
                        };
                        let _ = reply.send(outcome); // the caller may have stopped waiting
                    }
                    Command::Balance { reply } => {
                        let _ = reply.send(balance);
                    }
                }
            }
            balance // every Account handle is gone: the actor ends, with the final balance
        });
        (Account { commands: tx }, actor)
    }

    fn deposit(&self, amount: u64) {
        self.commands.send(Command::Deposit(amount)).unwrap();
    }

    fn withdraw(&self, amount: u64) -> Result<u64, u64> {
        let (reply, answer) = mpsc::channel(); // a fresh channel for exactly one reply
        self.commands.send(Command::Withdraw { amount, reply }).unwrap();
        answer.recv().unwrap()
    }

    fn balance(&self) -> u64 {
        let (reply, answer) = mpsc::channel();
        self.commands.send(Command::Balance { reply }).unwrap();
        answer.recv().unwrap()
    }
}

fn main() {
    let (account, actor) = Account::open();

    // Four threads deposit at the same time; the actor applies one command at a time.
    thread::scope(|s| {
        for _ in 0..4 {
            let account = account.clone();
            s.spawn(move || {
                for _ in 0..250 {
                    account.deposit(1);
                }
            });
        }
    });
    println!("balance after 4 × 250 deposits: {}", account.balance());
    println!("withdraw 600: {:?}", account.withdraw(600));
    println!("withdraw 600: {:?}", account.withdraw(600));

    drop(account); // the last handle: the actor's loop ends
    println!("the actor ended with {}", actor.join().unwrap());
}
// ANCHOR_END: here

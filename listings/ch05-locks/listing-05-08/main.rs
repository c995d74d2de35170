use std::sync::Mutex;

fn main() {
    let queue = Mutex::new(vec![3, 2, 1]);
    // `held()` asks whether the lock is taken right now: try_lock fails while a guard lives.
    let held = || queue.try_lock().is_err();

    // `let`: the guard is a temporary of the statement, dropped at its `;`.
    let top = queue.lock().unwrap().pop();
    println!("let:       popped {top:?}, lock held on the next line: {}", held());
    assert!(!held());

    // `match`: the scrutinee's temporaries live until the end of the match.
    match queue.lock().unwrap().pop() {
        Some(n) => {
            println!("match:     popped {n}, lock held in the arm: {}", held());
            assert!(held());
        }
        None => unreachable!(),
    }

    // `while let`: held in every iteration's body.
    while let Some(n) = queue.lock().unwrap().pop() {
        println!("while let: popped {n}, lock held in the body: {}", held());
        assert!(held());
    }

    // `if let`, edition 2024: held in the `if` block, dropped before the `else` block runs.
    queue.lock().unwrap().push(7);
    if let Some(n) = queue.lock().unwrap().pop() {
        println!("if let:    popped {n}, lock held in the if block: {}", held());
        assert!(held());
    }
    if let Some(n) = queue.lock().unwrap().pop() {
        println!("unexpected {n}");
    } else {
        println!("if let:    queue empty, lock held in the else block: {}", held());
        assert!(!held()); // edition 2024; edition 2021 would still hold it here
    }

    // A guard bound to a name lives to the end of its scope, or until drop(guard).
    let guard = queue.lock().unwrap();
    println!("named:     lock held while the guard lives: {}", held());
    assert!(held());
    drop(guard);
    println!("named:     after drop(guard): {}", held());
    assert!(!held());
}

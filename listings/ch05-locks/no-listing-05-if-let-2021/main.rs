use std::sync::Mutex;

fn main() {
    let queue: Mutex<Vec<i32>> = Mutex::new(Vec::new());
    if let Some(n) = queue.lock().unwrap().pop() {
        println!("popped {n}");
    } else {
        // Edition 2021: the scrutinee's guard lives until the end of the whole if-let-else.
        println!("edition 2021, lock held in the else block: {}", queue.try_lock().is_err());
        assert!(queue.try_lock().is_err());
    }
    println!("after the if-let-else: {}", queue.try_lock().is_err());
}

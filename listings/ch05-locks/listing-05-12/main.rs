use std::sync::RwLock;

fn main() {
    let settings = RwLock::new(String::from("rate=10"));

    let current = settings.read().unwrap();
    println!("read: {current}");
    if current.contains("rate=10") {
        // Wants to "upgrade": but this thread still holds the read guard `current`,
        // and a writer must wait for every reader to leave, including this one.
        let mut new = settings.write().unwrap(); // never returns (or panics)
        *new = String::from("rate=20");
    }
    println!("updated"); // never printed
}

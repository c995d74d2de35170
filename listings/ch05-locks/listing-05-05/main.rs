use std::sync::Mutex;

fn first(readings: &Mutex<Vec<i32>>) -> &i32 {
    &readings.lock().unwrap()[0] // a reference into data that only the guard makes reachable
}

fn main() {
    let readings = Mutex::new(vec![20, 21, 22]);
    println!("{}", first(&readings));
}

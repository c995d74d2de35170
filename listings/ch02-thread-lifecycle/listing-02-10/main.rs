use std::thread;

fn main() {
    let readings = [20, 21, -999, 22];

    thread::scope(|s| {
        s.spawn(|| {
            for r in readings {
                assert!(r > -100, "implausible reading: {r}");
            }
        });
        s.spawn(|| println!("logger: {} readings", readings.len()));
    }); // neither handle was joined: scope joins both, sees the panic, and panics

    println!("all readings checked"); // never printed
}

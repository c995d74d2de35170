// ANCHOR: here
use std::any::Any;
use std::sync::mpsc;
use std::thread;

fn main() {
    let (tx, rx) = mpsc::channel::<u32>();

    let sensor = thread::Builder::new()
        .name("sensor".to_string())
        .spawn(move || {
            let raw = rx.recv().unwrap(); // Blocked until main sends a value
            raw * 2
        })
        .unwrap();

    // Nothing has been sent yet, so the sensor thread cannot have finished.
    let finished = sensor.is_finished();
    println!("sensor finished before the send? {finished}");
    tx.send(21).unwrap(); // if the sensor thread is blocked in recv, this makes it Ready
    let value = sensor.join().unwrap();
    println!("sensor returned {value}");
    // ANCHOR_END: here
    assert!(!finished);
    assert_eq!(value, 42);
    // ANCHOR: here

    let calibrate = thread::Builder::new()
        .name("calibrate".to_string())
        .spawn(|| -> u32 { panic!("sensor offline") })
        .unwrap();

    match calibrate.join() {
        Ok(v) => println!("calibrate returned {v}"),
        Err(payload) => {
            let text = message(&*payload);
            println!("calibrate panicked: {text}");
            // ANCHOR_END: here
            assert_eq!(text, "sensor offline");
            // ANCHOR: here
        }
    }
}

/// The text of a panic payload: `panic!("literal")` carries a `&'static str`,
/// `panic!("{x}")` and most panics inside std carry a `String`.
fn message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(not a string)"
    }
}
// ANCHOR_END: here

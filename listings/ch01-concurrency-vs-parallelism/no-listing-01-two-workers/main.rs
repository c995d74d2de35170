use std::thread;
use std::time::Duration;

fn main() {
    let sensor = thread::spawn(|| {
        let reading = sample(1); // round 1: read the sensor...
        let label = infer(reading); // ...and run the model on the reading
        println!("sensor: round 1: {reading} -> {label}");
        thread::sleep(Duration::from_millis(2)); // wait for the next sampling period
        let reading = sample(2); // round 2
        let label = infer(reading);
        println!("sensor: round 2: {reading} -> {label}");
    });
    let uplink = thread::spawn(|| {
        let batch = compress(1); // round 1: pack a batch of readings...
        let sent = send(&batch); // ...and hand it to the radio
        println!("uplink: round 1: sent {sent} bytes");
        thread::sleep(Duration::from_millis(2)); // let the radio settle
        let batch = compress(2); // round 2
        let sent = send(&batch);
        println!("uplink: round 2: sent {sent} bytes");
    });

    sensor.join().unwrap(); // main blocks here until sensor has finished...
    uplink.join().unwrap(); // ...and here until uplink has
    println!("main: both workers finished");
}

// Stand-ins for real work, so that the program is quick and deterministic.
fn sample(round: u32) -> u32 {
    200 + 7 * round // a temperature, in tenths of a degree
}

fn infer(reading: u32) -> &'static str {
    if reading > 210 { "warm" } else { "normal" }
}

fn compress(round: u32) -> Vec<u8> {
    (0..8 * round).map(|i| i as u8).collect()
}

fn send(batch: &[u8]) -> usize {
    batch.len()
}

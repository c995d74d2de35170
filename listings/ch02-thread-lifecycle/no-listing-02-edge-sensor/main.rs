use std::thread;
use std::time::Duration;

fn main() {
    let sensor = thread::spawn(|| {
        for round in 1..=2 {
            let reading = read_sensor(); // sample the sensor...
            let too_hot = run_inference(reading); // ...and run the model
            println!("sensor: round {round}: {reading} °C, too hot: {too_hot}");
            thread::sleep(Duration::from_millis(50)); // until the next sample
        }
    });

    sensor.join().unwrap(); // main blocks here until sensor has finished
    println!("main: sensor finished");
}

// Stand-ins for real work, so that the program is quick and deterministic.
fn read_sensor() -> u32 {
    42 // a temperature, in degrees Celsius
}

fn run_inference(reading: u32) -> bool {
    reading > 40 // a "model" that flags readings above 40 °C
}

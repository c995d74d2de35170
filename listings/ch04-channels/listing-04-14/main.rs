use std::sync::mpsc;
use std::thread;

fn main() {
    let raw = ["20.5", "21.0", "oops", "22.5", "-3.0", "23.5"];

    // Stage 1: parse. Drops the lines that are not numbers.
    let (parsed_tx, parsed_rx) = mpsc::channel();
    let parse = thread::spawn(move || {
        for line in raw {
            match line.parse::<f64>() {
                Ok(celsius) => parsed_tx.send(celsius).unwrap(),
                Err(_) => eprintln!("parse: skipped {line:?}"),
            }
        } // parsed_tx is dropped: stage 2's loop will end
    });

    // Stage 2: filter and convert. Ends when stage 1 has gone, then closes its own output.
    let (fahrenheit_tx, fahrenheit_rx) = mpsc::channel();
    let convert = thread::spawn(move || {
        for celsius in parsed_rx {
            if celsius >= 0.0 {
                fahrenheit_tx.send(celsius * 9.0 / 5.0 + 32.0).unwrap();
            }
        }
    });

    // Stage 3, on this thread: aggregate. One path through FIFO queues keeps the order.
    let fahrenheit: Vec<f64> = fahrenheit_rx.iter().collect();
    println!("{fahrenheit:?}");
    parse.join().unwrap();
    convert.join().unwrap();
    assert_eq!(fahrenheit, [68.9, 69.8, 72.5, 74.3]);
}

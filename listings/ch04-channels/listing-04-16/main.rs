use std::sync::mpsc;
use std::thread;

// ANCHOR: here
enum Message {
    Upload { reading: u32, attempt: u32 },
    Stop, // the "poison pill": an explicit end, for when the senders cannot all be dropped
}

fn main() {
    let (tx, rx) = mpsc::channel();
    let retry = tx.clone(); // the uploader re-queues its own failures, so it holds a Sender
    let (done_tx, done_rx) = mpsc::channel();

    let uploader = thread::spawn(move || {
        let mut retries = 0;
        for message in rx {
            match message {
                // A stand-in for a flaky network: odd readings fail on their first attempt.
                Message::Upload { reading, attempt: 1 } if reading % 2 == 1 => {
                    retries += 1;
                    retry.send(Message::Upload { reading, attempt: 2 }).unwrap();
                }
                Message::Upload { reading, .. } => done_tx.send(reading).unwrap(),
                Message::Stop => break, // without it: `retry` is alive, so `rx` never disconnects
            }
        }
        retries
    });

    for reading in 1..=4 {
        tx.send(Message::Upload { reading, attempt: 1 }).unwrap();
    }
    // Wait until all four are uploaded: a Stop sent now could overtake a retry still to come.
    let mut uploaded: Vec<u32> = done_rx.iter().take(4).collect();
    tx.send(Message::Stop).unwrap();
    let retries = uploader.join().unwrap();

    uploaded.sort(); // retries change the order of completion
    println!("uploaded {uploaded:?} after {retries} retries");
}
// ANCHOR_END: here

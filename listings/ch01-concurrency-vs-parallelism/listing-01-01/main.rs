use std::sync::mpsc::sync_channel;
use std::thread;
use std::time::Instant;

const ROUND_TRIPS: u32 = 5_000;

fn main() {
    let (ping_tx, ping_rx) = sync_channel::<u32>(1);
    let (pong_tx, pong_rx) = sync_channel::<u32>(1);

    thread::scope(|s| {
        // The echo thread: wait for a ping, answer with a pong.
        s.spawn(move || {
            for n in ping_rx {
                pong_tx.send(n).unwrap();
            }
        });

        let start = Instant::now();
        for n in 0..ROUND_TRIPS {
            ping_tx.send(n).unwrap(); // wake the echo thread...
            let echoed = pong_rx.recv().unwrap(); // ...and sleep until it answers
            assert_eq!(echoed, n);
        }
        let elapsed = start.elapsed();
        drop(ping_tx); // closes the channel, so the echo thread's loop ends

        let hand_offs = 2 * ROUND_TRIPS;
        let per_hand_off = elapsed.as_secs_f64() * 1e6 / f64::from(hand_offs);
        println!("{hand_offs} hand-offs in {:.1} ms", elapsed.as_secs_f64() * 1e3);
        println!("{per_hand_off:.2} µs per hand-off");
    });
}

use std::sync::mpsc;
use std::time::Duration;

fn main() {
    let (tx, rx) = mpsc::channel();

    // Connected, nothing queued: try_recv returns at once, recv_timeout after the timeout.
    println!("try_recv:     {:?}", rx.try_recv());
    println!("recv_timeout: {:?}", rx.recv_timeout(Duration::from_millis(10)));

    tx.send(String::from("last reading")).unwrap();
    drop(tx); // the only Sender is gone, but one message is still queued

    // A queued message is still delivered after the senders have gone...
    println!("try_recv:     {:?}", rx.try_recv());
    // ...and only then does every receive method report the disconnection.
    println!("try_recv:     {:?}", rx.try_recv());
    println!("recv_timeout: {:?}", rx.recv_timeout(Duration::from_millis(10)));
    println!("recv:         {:?}", rx.recv());
}

extern crate /* not found? run: mdbook test -L target/book-lib */ tokio;

// ANCHOR: here
use std::sync::Mutex;

static VISITS: Mutex<u64> = Mutex::new(0);

async fn log_visit() {
    tokio::task::yield_now().await;
}

async fn visit() {
    let mut visits = VISITS.lock().unwrap();
    *visits += 1;
    drop(visits);
    log_visit().await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async { tokio::spawn(visit()).await.unwrap() });
}
// ANCHOR_END: here

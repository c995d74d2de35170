extern crate /* not found? run: mdbook test -L target/book-lib */ tokio;

// ANCHOR: here
async fn log_visit() {
    tokio::task::yield_now().await;
}

static VISITS: tokio::sync::Mutex<u64> = tokio::sync::Mutex::const_new(0);

async fn visit() {
    let mut visits = VISITS.lock().await;
    *visits += 1;
    log_visit().await;
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(async { tokio::spawn(visit()).await.unwrap() });
    println!("visits: {}", runtime.block_on(VISITS.lock()));
}
// ANCHOR_END: here

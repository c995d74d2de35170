extern crate /* not found? run: mdbook test -L target/book-lib */ rayon;

// ANCHOR: here
use rayon::prelude::*;

fn main() {
    let readings: Vec<u64> = (0..1_000_000).collect();

    let sequential: u64 = readings.iter().map(|&x| x * x).sum();
    let parallel: u64 = readings.par_iter().map(|&x| x * x).sum();

    assert_eq!(sequential, parallel);
    println!("sum of squares: {parallel}");
    println!("rayon is using {} worker threads", rayon::current_num_threads());
}
// ANCHOR_END: here

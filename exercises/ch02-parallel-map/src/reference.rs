// The reference solution. The book shows the part between the ANCHOR lines (with the `use`,
// so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::panic;
use std::thread;

/// Applies `f` to every item of `data` on up to `num_threads` scoped threads, and returns the
/// results in the order of `data`.
pub fn parallel_map<T: Sync, R: Send>(data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
    // Items per chunk: `max(1)` twice, because `num_threads == 0` would divide by zero, and an
    // empty `data` would give a chunk size of 0, which makes `chunks` panic.
    let chunk_size = data.len().div_ceil(num_threads.max(1)).max(1);
    thread::scope(|s| {
        // Spawn a thread for every chunk first, so that they all run at the same time...
        let handles: Vec<_> = data
            .chunks(chunk_size)
            .map(|chunk| s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        // ...then join them in spawn order, which is the order of the chunks in `data`.
        let mut results = Vec::with_capacity(data.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => results.extend(part),
                // `f` panicked on that thread: pass its panic on to our caller.
                Err(payload) => panic::resume_unwind(payload),
            }
        }
        results
    })
}
// ANCHOR_END: solution

// The reference solution. The book shows the part between the ANCHOR lines (with the `use`,
// so that rustdoc can compile it on its own).

// ANCHOR: solution
use std::panic;
use std::thread::{self, Builder, ScopedJoinHandle};

/// Applies `f` to every item of `data` on up to `num_threads` scoped threads, and returns the
/// results in the order of `data`. A chunk whose thread the OS refuses to create is mapped on
/// the calling thread instead.
pub fn parallel_map<T: Sync, R: Send>(data: &[T], f: fn(&T) -> R, num_threads: usize) -> Vec<R> {
    // Items per chunk: `max(1)` twice, because `num_threads == 0` would divide by zero, and an
    // empty `data` would give a chunk size of 0, which makes `chunks` panic.
    let chunk_size = data.len().div_ceil(num_threads.max(1)).max(1);
    thread::scope(|s| {
        // Start a thread for every chunk first, so that the chunks are mapped concurrently, all
        // in progress at the same time. `Builder::spawn_scoped` returns an `io::Result` where
        // `s.spawn` would panic: a chunk whose thread the OS refused is kept, as `Err(chunk)`,
        // for the calling thread.
        let started: Vec<Result<ScopedJoinHandle<'_, Vec<R>>, &[T]>> = data
            .chunks(chunk_size)
            .map(|chunk| {
                Builder::new()
                    .spawn_scoped(s, move || chunk.iter().map(f).collect())
                    .map_err(|_refused| chunk)
            })
            .collect();
        // Map the refused chunks here, while the threads that did start work on theirs...
        let parts: Vec<Result<ScopedJoinHandle<'_, Vec<R>>, Vec<R>>> = started
            .into_iter()
            .map(|part| part.map_err(|chunk| chunk.iter().map(f).collect()))
            .collect();
        // ...then collect every part in chunk order, which is the order of `data`.
        let mut results = Vec::with_capacity(data.len());
        for part in parts {
            match part {
                Ok(handle) => match handle.join() {
                    Ok(mapped) => results.extend(mapped),
                    // `f` panicked on that thread: pass its panic on to our caller.
                    Err(payload) => panic::resume_unwind(payload),
                },
                Err(mapped_here) => results.extend(mapped_here),
            }
        }
        results
    })
}
// ANCHOR_END: solution

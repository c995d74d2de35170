//! Re-exports the crates that the book's listings use, at the versions pinned in Cargo.toml.
pub use loom;
pub use rayon;
pub use crossbeam;
pub use parking_lot;
pub use tokio;
pub use regex;

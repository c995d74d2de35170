//! The harness that verifies the book. The test targets in tests/*.rs are thin drivers over it.
//!
//! - `markdown`: code blocks and mdbook directives of a chapter (shared with build.rs)
//! - `book`: chapters, listings and where each listing is shown
//! - `contract`: a listing's expect.toml and the check of its output
//! - `verify`: compiling, running and checking listings
//! - `chapter`: checking a chapter's markdown
//! - `diagrams`: the ```mermaid blocks, their pre-rendered SVGs' names, the HTML showing them
//! - `mermaid`: flowchart leaves must name sections
//! - `plot`: the plots of benchmark figures (`[plot]` of expect.toml), drawn and checked
//! - `quiz`: the checks of src/quizzes/*.toml beyond mdbook-quiz's own validation
//! - `site`: building the book with the pinned mdbook and checking its links
//! - `widgets`: the data of the concept-match and timeline widgets written in chapters
//! - `lab`: the interleaving lab's data, checked against forced runs of its program
//! - `litmus`: the litmus explorer's data, checked against its loom model and hardware sample
//! - `process`: bounded runs, so that nothing can hang the suite

#[cfg(feature = "harness")]
pub mod book;
#[cfg(feature = "harness")]
pub mod chapter;
#[cfg(feature = "harness")]
pub mod contract;
#[cfg(feature = "harness")]
pub mod diagrams;
#[cfg(feature = "harness")]
pub mod lab;
#[cfg(feature = "harness")]
pub mod litmus;
#[path = "markdown.rs"]
pub mod markdown;
#[cfg(feature = "harness")]
pub mod mermaid;
#[cfg(feature = "harness")]
pub mod plot;
#[cfg(feature = "harness")]
pub mod process;
#[cfg(feature = "harness")]
pub mod quiz;
#[cfg(feature = "harness")]
pub mod repo;
#[cfg(feature = "harness")]
pub mod site;
#[cfg(feature = "harness")]
pub mod verify;
#[cfg(feature = "harness")]
pub mod widgets;

#[cfg(feature = "harness")]
pub use process::Watchdog;

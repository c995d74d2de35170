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
//! - `process`: bounded runs, so that nothing can hang the suite

pub mod book;
pub mod chapter;
pub mod contract;
pub mod diagrams;
pub mod lab;
#[path = "markdown.rs"]
pub mod markdown;
pub mod mermaid;
pub mod plot;
pub mod process;
pub mod quiz;
pub mod repo;
pub mod site;
pub mod verify;
pub mod widgets;

pub use process::Watchdog;

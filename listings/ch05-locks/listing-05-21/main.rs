extern crate /* not found? run: mdbook test -L target/book-lib */ regex;

// ANCHOR: here
use regex::Regex;
use std::sync::LazyLock;

// Compiled once, on first use, then shared by every thread that uses it: the replacement for
// lazy_static! and once_cell::sync::Lazy.
static READING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<sensor>[a-z]+)=(?P<value>-?\d+(\.\d+)?)$").unwrap());

fn parse(line: &str) -> Option<(&str, f64)> {
    let caps = READING.captures(line)?;
    Some((caps.name("sensor")?.as_str(), caps["value"].parse().ok()?))
}

fn main() {
    for line in ["temp=21.5", "humidity=40", "temp=oops"] {
        println!("{line:12} -> {:?}", parse(line));
    }
    assert_eq!(parse("temp=-3"), Some(("temp", -3.0)));
}
// ANCHOR_END: here

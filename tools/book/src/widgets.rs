//! The data of the site's widgets, written in the chapters as
//! `<script type="application/json" data-widget="…">` blocks, checked before any browser runs:
//!
//! - concept-match: ids unique, every definition names an existing concept, and every concept has
//!   exactly one definition (the answer key is one-to-one);
//! - timeline: the program it plays exists (a `<script type="text/plain" id=…>` that includes a
//!   listing), every event names a line of that program, every transition is an edge of the
//!   thread lifecycle, no cell has more running threads than cores (nor two on one core), and the
//!   stated number of context switches is the number of changes of running thread per core.

use crate::book::{Book, Chapter, is_include};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A `<script …>` … `</script>` block of a chapter: its opening tag, body and 1-based line.
struct Script {
    tag: String,
    body: String,
    line: usize,
}

fn scripts(text: &str) -> Vec<Script> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some(rest) = lines[i].strip_prefix("<script") {
            let (tag, after) = rest.split_once('>').unwrap_or((rest, ""));
            let mut body = String::new();
            let mut j = i;
            let mut remainder = after.to_string();
            loop {
                if let Some(end) = remainder.find("</script>") {
                    body.push_str(&remainder[..end]);
                    break;
                }
                body.push_str(&remainder);
                body.push('\n');
                j += 1;
                if j >= lines.len() {
                    break;
                }
                remainder = lines[j].to_string();
            }
            out.push(Script { tag: tag.to_string(), body, line: i + 1 });
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The widgets a chapter embeds: (kind, 1-based line), in page order.
pub fn embedded(chapter: &Chapter) -> Vec<(String, usize)> {
    scripts(&chapter.text)
        .iter()
        .filter_map(|s| Some((attr(&s.tag, "data-widget")?.to_string(), s.line)))
        .collect()
}

/// Problems with the widgets of one chapter, each naming the chapter file and line.
pub fn check_widgets(book: &Book, chapter: &Chapter) -> Vec<String> {
    let all = scripts(&chapter.text);
    let mut problems = Vec::new();
    for s in &all {
        let Some(kind) = attr(&s.tag, "data-widget") else { continue };
        let at = format!("{}:{}: {kind}", chapter.path.display(), s.line);
        let data: Value = match serde_json::from_str(&s.body) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{at}: the JSON does not parse: {e}"));
                continue;
            }
        };
        let found = match kind {
            "concept-match" => concept_match(&data),
            "timeline" => {
                let program = data["program"].as_str().unwrap_or("");
                match program_lines(book, chapter, &all, program) {
                    Ok(n) => timeline(&data, n),
                    Err(e) => vec![e],
                }
            }
            other => vec![format!("no widget is called {other:?}")],
        };
        problems.extend(found.into_iter().map(|p| format!("{at}: {p}")));
    }
    problems
}

fn concept_match(d: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if d["title"].as_str().unwrap_or("").trim().is_empty() {
        p.push("needs a `title` (it names the exercise for screen readers)".into());
    }
    let concepts = d["concepts"].as_array().cloned().unwrap_or_default();
    let definitions = d["definitions"].as_array().cloned().unwrap_or_default();
    if concepts.is_empty() || definitions.is_empty() {
        p.push("needs `concepts` and `definitions`".into());
    }
    let mut ids = BTreeSet::new();
    let mut key: BTreeMap<String, usize> = BTreeMap::new();
    for c in &concepts {
        let id = c["id"].as_str().unwrap_or("");
        if id.is_empty() || c["label"].as_str().unwrap_or("").is_empty() {
            p.push(format!("concept {c} needs an `id` and a `label`"));
        }
        if !ids.insert(id.to_string()) {
            p.push(format!("id {id:?} is used twice"));
        }
        key.insert(id.to_string(), 0);
    }
    for d in &definitions {
        let id = d["id"].as_str().unwrap_or("");
        if !ids.insert(id.to_string()) {
            p.push(format!("id {id:?} is used twice"));
        }
        for field in ["text", "explain"] {
            if d[field].as_str().unwrap_or("").trim().is_empty() {
                p.push(format!("definition {id:?} has no `{field}`"));
            }
        }
        match key.get_mut(d["concept"].as_str().unwrap_or("")) {
            Some(n) => *n += 1,
            None => p.push(format!("definition {id:?} names the concept {}, which the deck does not have", d["concept"])),
        }
    }
    for (concept, n) in key {
        if n != 1 {
            p.push(format!("concept {concept:?} has {n} definitions; the key must match each concept with exactly one"));
        }
    }
    p
}

/// The number of lines of the program a timeline plays: the listing its `text/plain` script
/// includes (or the script's own text).
fn program_lines(book: &Book, chapter: &Chapter, all: &[Script], id: &str) -> Result<usize, String> {
    let s = all
        .iter()
        .find(|s| attr(&s.tag, "id") == Some(id) && attr(&s.tag, "type") == Some("text/plain"))
        .ok_or_else(|| format!("`program` names {id:?}, but there is no <script type=\"text/plain\" id=\"{id}\"> in this chapter"))?;
    if let Some(d) = crate::markdown::directives_in(&s.body).into_iter().find(|d| is_include(&d.name)) {
        let path = book.resolve(chapter, &d.path);
        let text = std::fs::read_to_string(book.abs(&path)).map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(text.lines().count());
    }
    Ok(s.body.trim_matches('\n').lines().count())
}

const STATES: &[&str] = &["created", "ready", "running", "blocked", "terminated"];

fn legal(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("created", "ready")
            | ("ready", "running")
            | ("running", "ready")
            | ("running", "blocked")
            | ("blocked", "ready")
            | ("running", "terminated")
    )
}

fn timeline(d: &Value, program_lines: usize) -> Vec<String> {
    let mut p = Vec::new();
    let cell = d["cell_ms"].as_u64().unwrap_or(0);
    let duration = d["duration_ms"].as_u64().unwrap_or(0);
    if cell == 0 || duration == 0 || duration % cell != 0 {
        p.push("needs cell_ms > 0 and a duration_ms that is a multiple of it".into());
        return p;
    }
    let threads: BTreeSet<String> =
        d["threads"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_str().map(String::from)).collect();
    if threads.is_empty() {
        p.push("needs `threads`".into());
    }
    for s in STATES {
        if d["states"][s].as_str().unwrap_or("").is_empty() {
            p.push(format!("`states` needs a description of {s:?}"));
        }
    }
    let modes = d["modes"].as_array().cloned().unwrap_or_default();
    if modes.is_empty() {
        p.push("needs at least one mode".into());
    }
    for (m, mode) in modes.iter().enumerate() {
        let label = mode["label"].as_str().unwrap_or("?");
        let at = |e: String| format!("mode {} ({label}): {e}", m + 1);
        let cores = mode["cores"].as_u64().unwrap_or(0);
        if cores == 0 {
            p.push(at("needs cores ≥ 1".into()));
            continue;
        }
        let events = mode["events"].as_array().cloned().unwrap_or_default();
        let mut last_t = 0;
        let mut state: BTreeMap<String, String> = BTreeMap::new();
        let mut core_of: BTreeMap<String, u64> = BTreeMap::new();
        let mut last_on_core: BTreeMap<u64, String> = BTreeMap::new();
        let mut switches = 0u64;
        // (time, thread, state, core) in order, to replay per cell.
        let mut timeline: Vec<(u64, String, String, Option<u64>)> = Vec::new();
        for (i, e) in events.iter().enumerate() {
            let t = e["t"].as_u64().unwrap_or(u64::MAX);
            let thread = e["thread"].as_str().unwrap_or("").to_string();
            let to = e["state"].as_str().unwrap_or("").to_string();
            let ev = |msg: String| at(format!("event {} (t={t}, {thread}): {msg}", i + 1));
            if t == u64::MAX || t > duration || t % cell != 0 {
                p.push(ev(format!("t must be a multiple of {cell} within 0..={duration}")));
            }
            if t < last_t {
                p.push(ev("events are not in time order".into()));
            }
            last_t = t;
            if !threads.contains(&thread) {
                p.push(ev("no such thread".into()));
            }
            if !STATES.contains(&to.as_str()) {
                p.push(ev(format!("unknown state {to:?}")));
                continue;
            }
            match e["line"].as_u64() {
                Some(l) if (1..=program_lines as u64).contains(&l) => {}
                other => p.push(ev(format!(
                    "line {} is not a line of the program ({program_lines} lines)",
                    other.map_or("(missing)".into(), |l| l.to_string())
                ))),
            }
            match state.get(&thread) {
                None if to == "created" || (to == "running" && t == 0) => {}
                None => p.push(ev(format!("a thread's first state is created (or running at t=0), not {to}"))),
                Some(from) if !legal(from, &to) => {
                    p.push(ev(format!("{from} → {to} is not an edge of the thread lifecycle")))
                }
                _ => {}
            }
            let core = if to == "running" {
                match e["core"].as_u64() {
                    Some(c) if c < cores => Some(c),
                    _ => {
                        p.push(ev(format!("a running event needs a core in 0..{cores}")));
                        None
                    }
                }
            } else {
                None
            };
            if let Some(c) = core {
                if last_on_core.get(&c).is_some_and(|prev| *prev != thread) {
                    switches += 1;
                }
                last_on_core.insert(c, thread.clone());
                core_of.insert(thread.clone(), c);
            }
            state.insert(thread.clone(), to.clone());
            timeline.push((t, thread, to, core));
        }
        // Replay cell by cell: no more running threads than cores, never two on one core.
        let mut now: BTreeMap<String, (String, Option<u64>)> = BTreeMap::new();
        let mut k = 0;
        for c in 0..duration / cell {
            let t0 = c * cell;
            while k < timeline.len() && timeline[k].0 <= t0 {
                let (_, th, st, core) = &timeline[k];
                now.insert(th.clone(), (st.clone(), *core));
                k += 1;
            }
            let running: Vec<(&String, Option<u64>)> =
                now.iter().filter(|(_, (s, _))| s == "running").map(|(th, (_, core))| (th, *core)).collect();
            let distinct: BTreeSet<Option<u64>> = running.iter().map(|(_, c)| *c).collect();
            if running.len() as u64 > cores || distinct.len() != running.len() {
                p.push(at(format!(
                    "at {t0} ms, {} threads are running on {cores} core(s): {:?}",
                    running.len(),
                    running.iter().map(|(t, c)| format!("{t}@core{}", c.unwrap_or(99))).collect::<Vec<_>>()
                )));
                break;
            }
        }
        match mode["context_switches"].as_u64() {
            Some(n) if n == switches => {}
            other => p.push(at(format!(
                "context_switches is {}, but the events change the running thread of a core {switches} times",
                other.map_or("(missing)".into(), |n| n.to_string())
            ))),
        }
        if mode["takeaway"].as_str().unwrap_or("").is_empty() {
            p.push(at("needs a `takeaway`".into()));
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base(events: Value, switches: u64, cores: u64) -> Value {
        json!({
            "program": "p", "cell_ms": 5, "duration_ms": 40, "switch_cost_us": [2, 30],
            "threads": [{"id": "main", "name": "main"}, {"id": "a", "name": "a"}, {"id": "b", "name": "b"}],
            "states": {"created": "x", "ready": "x", "running": "x", "blocked": "x", "terminated": "x"},
            "modes": [{"label": "m", "cores": cores, "context_switches": switches, "takeaway": "t", "events": events}]
        })
    }

    fn ok_events() -> Value {
        json!([
            {"t": 0, "thread": "main", "state": "running", "core": 0, "line": 1},
            {"t": 0, "thread": "a", "state": "created", "line": 2},
            {"t": 0, "thread": "b", "state": "created", "line": 3},
            {"t": 5, "thread": "a", "state": "ready", "line": 2},
            {"t": 5, "thread": "b", "state": "ready", "line": 3},
            {"t": 10, "thread": "main", "state": "blocked", "line": 4},
            {"t": 10, "thread": "a", "state": "running", "core": 0, "line": 2},
            {"t": 20, "thread": "a", "state": "ready", "line": 2},
            {"t": 20, "thread": "b", "state": "running", "core": 0, "line": 3},
            {"t": 30, "thread": "b", "state": "terminated", "line": 3},
            {"t": 30, "thread": "a", "state": "running", "core": 0, "line": 2}
        ])
    }

    #[test]
    fn a_consistent_script_passes() {
        assert_eq!(timeline(&base(ok_events(), 3, 1), 5), Vec::<String>::new());
    }

    #[test]
    fn each_rule_is_enforced() {
        let mut ev = ok_events();
        ev[6]["line"] = json!(999);
        assert!(timeline(&base(ev, 3, 1), 5).iter().any(|e| e.contains("line 999")));
        assert!(timeline(&base(ok_events(), 2, 1), 5).iter().any(|e| e.contains("context_switches is 2")));
        let mut ev = ok_events();
        ev[9]["state"] = json!("created");
        assert!(timeline(&base(ev, 3, 1), 5).iter().any(|e| e.contains("is not an edge")));
        let mut ev = ok_events();
        ev[7]["state"] = json!("blocked"); // a stays... then b runs; make two run at once instead:
        ev[8]["core"] = json!(0);
        ev[7] = json!({"t": 20, "thread": "main", "state": "ready", "line": 4});
        let two_running = timeline(&base(ev, 3, 1), 5);
        assert!(two_running.iter().any(|e| e.contains("threads are running")), "{two_running:?}");
    }

    #[test]
    fn concept_key_is_one_to_one() {
        let d = json!({"title": "t", "concepts": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "definitions": [{"id": "1", "concept": "a", "text": "t", "explain": "e"},
                            {"id": "2", "concept": "a", "text": "t", "explain": "e"}]});
        let p = concept_match(&d);
        assert!(p.iter().any(|e| e.contains("\"a\" has 2")) && p.iter().any(|e| e.contains("\"b\" has 0")), "{p:?}");
    }
}

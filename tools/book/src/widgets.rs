//! The data of the site's widgets, written in the chapters as
//! `<script type="application/json" data-widget="…">` blocks, checked before any browser runs:
//!
//! - concept-match: ids unique, every definition names an existing concept, and every concept has
//!   exactly one definition (the answer key is one-to-one), unless the deck says `"bins": true`
//!   (a classification: a bin takes any number of cards); a deck with a `proof` (`traits`, a
//!   `prelude` of `use` lines; each bin's `holds`, each card's `type`) has its key proved by the
//!   compiler: one program, type-checked once (cached by its text and the compiler), with a
//!   `holds_<Trait>::<type>();` line per card and trait, whose E0277 errors say which do not hold;
//! - timeline: the program it plays exists (a `<script type="text/plain" id=…>` that includes a
//!   listing), every event names a line of that program, every transition is an edge of the
//!   thread lifecycle, no cell has more running threads than cores (nor two on one core), and the
//!   stated number of context switches is the number of changes of running thread per core;
//!   a mode with a `channel` (`{"capacity": null}` for mpsc::channel(), `{"capacity": n}` for
//!   sync_channel(n)) is replayed with std's channel semantics: each event's `op` (send, recv,
//!   close) blocks exactly when std's call would (a send on a full queue or on a rendezvous with
//!   no receiver waiting, a recv with nothing to take while a sender exists), a blocked thread is
//!   woken (ready) exactly when the partner's operation completes its call, a woken send or recv
//!   on a queue is completed on the thread's next running event, and each op's `queue` (the
//!   length after it) is the replay's, never negative, never above the capacity.
//!
//! Each problem names the chapter file and the line of the value at fault (an event, a mode, a card).

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
        let found: Vec<(usize, String)> = match kind {
            "concept-match" => concept_match_at(&book.edition, &data, &s.body, s.line),
            "timeline" => {
                let program = data["program"].as_str().unwrap_or("");
                match program_lines(book, chapter, &all, program) {
                    Ok(n) => timeline_at(&data, n, &s.body, s.line),
                    Err(e) => vec![(s.line, e)],
                }
            }
            "interleaving-lab" => {
                let programs = all
                    .iter()
                    .filter(|s| attr(&s.tag, "type") == Some("text/plain"))
                    .filter_map(|s| Some((attr(&s.tag, "id")?.to_string(), s.body.clone())))
                    .collect();
                crate::lab::check(book, chapter, &data, &s.body, s.line, &programs)
            }
            "litmus-explorer" => {
                let programs = all
                    .iter()
                    .filter(|s| attr(&s.tag, "type") == Some("text/plain"))
                    .filter_map(|s| Some((attr(&s.tag, "id")?.to_string(), s.body.clone())))
                    .collect();
                crate::litmus::check(book, chapter, &data, &s.body, s.line, &programs)
            }
            other => vec![(s.line, format!("no widget is called {other:?}"))],
        };
        let file = chapter.path.display();
        problems.extend(found.into_iter().map(|(line, p)| format!("{file}:{line}: {kind}: {p}")));
    }
    problems
}

fn concept_match(d: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if d["title"].as_str().unwrap_or("").trim().is_empty() {
        p.push("needs a `title` (it names the exercise for screen readers)".into());
    }
    let bins = match &d["bins"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        other => {
            p.push(format!("`bins` is {other}: it is true (a concept is a bin of any number of cards) or absent"));
            false
        }
    };
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
            None if bins => p.push(format!("card {id:?} names the bin {}, which the deck does not have", d["concept"])),
            None => p.push(format!("definition {id:?} names the concept {}, which the deck does not have", d["concept"])),
        }
    }
    // A deck of bins may leave a bin empty and fill another with many cards.
    for (concept, n) in key.into_iter().filter(|_| !bins) {
        if n != 1 {
            p.push(format!("concept {concept:?} has {n} definitions; the key must match each concept with exactly one"));
        }
    }
    p
}

/// Problems of a concept-match deck as (chapter line, message): the data checks of
/// [`concept_match`] (at the script's line), then, when the deck has a `proof`, the compiler's
/// verdict on each card (at the line of the card's `concept`).
fn concept_match_at(edition: &str, d: &Value, json: &str, script_line: usize) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = concept_match(d).into_iter().map(|p| (script_line, p)).collect();
    if d.get("proof").is_none() || !out.is_empty() {
        return out;
    }
    let lines = value_lines(json);
    let line_of = |at: &str| lines.get(at).map_or(script_line, |l| script_line + l - 1);
    let found = match proof_source(d) {
        Ok(source) => prove(&source, edition).unwrap_or_else(|e| vec![Found { at: "/proof".into(), msg: e }]),
        Err(problems) => problems,
    };
    out.extend(found.into_iter().map(|f| (line_of(&f.at), f.msg)));
    out
}

/// The proof of a deck whose key is a claim about types: the generated program, and which
/// (card, trait) each of its bound checks stands for.
struct ProofSource {
    code: String,
    /// The program's 1-based line of each check -> (definition index, trait index).
    checks: BTreeMap<usize, (usize, usize)>,
    traits: Vec<String>,
    cards: Vec<Card>,
    /// Per concept: its label and what it says of each trait.
    bins: Vec<(String, Vec<bool>)>,
}

/// A card of a proof: its JSON pointer (its `concept`), its name in messages, its type, its bin's
/// label and what that bin says of each trait.
struct Card {
    at: String,
    name: String,
    ty: String,
    bin: String,
    holds: Vec<bool>,
}

/// The program that asks the compiler the deck's question: for every card and every trait of
/// `proof.traits`, one line `holds_<Trait>::<type>();` against `fn holds_<Trait><T: ?Sized + Trait>() {}`,
/// after the deck's `proof.prelude` (its `use` lines).
fn proof_source(d: &Value) -> Result<ProofSource, Vec<Found>> {
    let mut p = Vec::new();
    let mut bad = |at: &str, msg: String| p.push(Found { at: at.into(), msg });
    let proof = &d["proof"];
    let prelude = proof["prelude"].as_str().unwrap_or("");
    let traits: Vec<String> = proof["traits"].as_array().map(|a| a.iter().filter_map(|t| t.as_str()).map(str::to_string).collect()).unwrap_or_default();
    let ident = |t: &str| !t.is_empty() && t.split("::").all(|s| s.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
    if traits.is_empty() || traits.len() != proof["traits"].as_array().map_or(0, Vec::len) || !traits.iter().all(|t| ident(t)) {
        bad("/proof", format!("`proof.traits` is {}: it lists the traits the bins speak of, as paths (\"Send\", \"std::panic::UnwindSafe\")", proof["traits"]));
    }
    if !proof["prelude"].is_null() && !proof["prelude"].is_string() {
        bad("/proof", "`proof.prelude`, when present, is a string of Rust items (`use` lines)".into());
    }
    let mut bins = Vec::new();
    let mut bin_of = BTreeMap::new();
    for (i, c) in d["concepts"].as_array().into_iter().flatten().enumerate() {
        let label = c["label"].as_str().unwrap_or("").to_string();
        let holds: Vec<Option<bool>> = traits.iter().map(|t| c["holds"][t.as_str()].as_bool()).collect();
        let extra: Vec<&String> = c["holds"].as_object().into_iter().flatten().map(|(k, _)| k).filter(|k| !traits.contains(k)).collect();
        if holds.iter().any(Option::is_none) || !extra.is_empty() {
            bad(&format!("/concepts/{i}"), format!(
                "bin {label:?} needs `holds`: true or false for each trait of `proof.traits` ({}), and no other{}",
                traits.join(", "),
                if extra.is_empty() { String::new() } else { format!(" (it has {extra:?})") }
            ));
        }
        let holds: Vec<bool> = holds.into_iter().map(|h| h.unwrap_or(false)).collect();
        if let Some((other, _)) = bins.iter().find(|(_, h): &&(String, Vec<bool>)| *h == holds) {
            bad(&format!("/concepts/{i}"), format!("bins {other:?} and {label:?} say the same of every trait: a card could be right in both"));
        }
        bin_of.insert(c["id"].as_str().unwrap_or("").to_string(), i);
        bins.push((label, holds));
    }
    let mut code = String::from("#![allow(non_snake_case, dead_code, unused_imports)]\n");
    code.push_str(prelude);
    code.push('\n');
    for t in &traits {
        code.push_str(&format!("fn {}<T: ?Sized + {t}>() {{}}\n", holds_fn(t)));
    }
    code.push_str("fn main() {\n");
    let mut checks = BTreeMap::new();
    let mut cards = Vec::new();
    for (i, x) in d["definitions"].as_array().into_iter().flatten().enumerate() {
        let ty = x["type"].as_str().unwrap_or("").trim().to_string();
        let name = if ty.is_empty() { x["id"].as_str().unwrap_or("?").to_string() } else { ty.clone() };
        if ty.is_empty() || ty.contains('\n') {
            bad(&format!("/definitions/{i}"), format!("card {name:?} needs a `type`, the Rust type (on one line) the compiler checks against the bins"));
        }
        let at = if x.get("concept").is_some() { format!("/definitions/{i}/concept") } else { format!("/definitions/{i}") };
        let (bin, holds) = bin_of.get(x["concept"].as_str().unwrap_or("")).map(|&b| bins[b].clone()).unwrap_or_default();
        for (k, t) in traits.iter().enumerate() {
            checks.insert(code.lines().count() + 1, (i, k));
            code.push_str(&format!("    {}::<{ty}>();\n", holds_fn(t)));
        }
        cards.push(Card { at, name, ty, bin, holds });
    }
    code.push_str("}\n");
    if !p.is_empty() {
        return Err(p);
    }
    Ok(ProofSource { code, checks, traits, cards, bins })
}

/// `holds_Send`, `holds_std_panic_UnwindSafe`: the bound-checking function of one trait.
fn holds_fn(t: &str) -> String {
    format!("holds_{}", t.replace("::", "_"))
}

/// What `t` is, as the compiler found: "Send and not Sync".
fn verdict(traits: &[String], holds: &[bool]) -> String {
    let parts: Vec<String> = traits.iter().zip(holds).map(|(t, &h)| if h { t.clone() } else { format!("not {t}") }).collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Compiles the proof (type checking only, cached by the source and the compiler) and compares
/// the compiler's verdict on every (card, trait) with the card's bin. An E0277 whose primary span
/// is a check's line and whose notes name that check's `holds_…` bound says "does not hold";
/// any other error is the deck's (a misspelt type, a missing `use`), reported with rustc's message.
fn prove(s: &ProofSource, edition: &str) -> Result<Vec<Found>, String> {
    let key = crate::verify::hash_of(&[s.code.as_bytes(), crate::verify::rustc_version().as_bytes(), edition.as_bytes(), b"deck-proof-v1"]);
    let (json, _ok) = crate::verify::cached(&key, "diagnostics.json", |tmp| {
        let src = tmp.join("proof.rs");
        let _ = std::fs::write(&src, &s.code);
        let mut cmd = std::process::Command::new("rustc");
        cmd.current_dir(tmp)
            .args(["--edition", edition, "--crate-type", "bin", "--crate-name", "deck_proof", "--error-format", "json", "--emit=metadata"])
            .arg("-o")
            .arg(tmp.join("proof.rmeta"))
            .arg("proof.rs");
        cmd
    })?;
    let mut fails: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut other = Vec::new();
    for line in json.lines().filter(|l| l.starts_with('{')) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("rustc JSON: {e}"))?;
        if v["level"] != "error" || v["message"].as_str().is_some_and(|m| m.starts_with("aborting due to")) {
            continue;
        }
        let rendered = v["rendered"].as_str().unwrap_or("").trim_end().to_string();
        let primary = v["spans"].as_array().into_iter().flatten().find(|sp| sp["is_primary"] == true);
        let at = primary.and_then(|sp| sp["line_start"].as_u64()).and_then(|l| s.checks.get(&(l as usize)));
        match at {
            Some(&(card, t)) if v["code"]["code"] == "E0277" && rendered.contains(&format!("required by a bound in `{}`", holds_fn(&s.traits[t]))) => {
                fails.insert((card, t));
            }
            // One message per card: its type fails the same way in each trait's check.
            Some(&(card, _)) if other.iter().any(|f: &Found| f.at == s.cards[card].at) => {}
            Some(&(card, _)) => other.push(Found { at: s.cards[card].at.clone(), msg: format!("card {:?}: the type does not compile:\n{rendered}", s.cards[card].name) }),
            None => other.push(Found { at: "/proof".into(), msg: format!("the deck's proof does not compile:\n{rendered}") }),
        }
    }
    if !other.is_empty() {
        return Ok(other);
    }
    let mut p = Vec::new();
    for (i, c) in s.cards.iter().enumerate() {
        let truth: Vec<bool> = (0..s.traits.len()).map(|t| !fails.contains(&(i, t))).collect();
        if truth == c.holds {
            continue;
        }
        let belongs = match s.bins.iter().find(|(_, h)| *h == truth) {
            Some((l, _)) => format!("its bin is {l:?}"),
            None => "no bin of the deck says so".into(),
        };
        p.push(Found {
            at: c.at.clone(),
            msg: format!("card {:?} is in the bin {:?}, but the compiler says {} is {}: {belongs}", c.name, c.bin, c.ty, verdict(&s.traits, &truth)),
        });
    }
    Ok(p)
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

/// A problem with a timeline's data, and where in the JSON it is (a JSON pointer such as
/// `/modes/0/events/3`), so that the message can name the chapter line of that value.
#[derive(Debug)]
struct Found {
    at: String,
    msg: String,
}

/// The 1-based line (within `json`) at which each object or array value starts, by JSON pointer
/// (`""` for the whole document). Only what a pointer to an object or array member needs; the
/// text has been parsed by serde_json already, so it is well-formed.
pub(crate) fn value_lines(json: &str) -> BTreeMap<String, usize> {
    fn skip_ws(b: &[u8], i: &mut usize, line: &mut usize) {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            if b[*i] == b'\n' {
                *line += 1;
            }
            *i += 1;
        }
    }
    fn string(b: &[u8], i: &mut usize) -> String {
        let start = *i + 1;
        *i += 1;
        while *i < b.len() && b[*i] != b'"' {
            *i += if b[*i] == b'\\' { 2 } else { 1 };
        }
        *i += 1;
        serde_json::from_slice::<String>(&b[start - 1..*i]).unwrap_or_default()
    }
    fn value(b: &[u8], i: &mut usize, line: &mut usize, path: String, out: &mut BTreeMap<String, usize>) {
        skip_ws(b, i, line);
        if *i >= b.len() {
            return;
        }
        out.insert(path.clone(), *line);
        match b[*i] {
            b'{' | b'[' => {
                let object = b[*i] == b'{';
                *i += 1;
                let mut k = 0;
                loop {
                    skip_ws(b, i, line);
                    if *i >= b.len() || b[*i] == b'}' || b[*i] == b']' {
                        *i += 1;
                        return;
                    }
                    if b[*i] == b',' {
                        *i += 1;
                        continue;
                    }
                    let key = if object {
                        let key = string(b, i);
                        skip_ws(b, i, line);
                        *i += 1; // the colon
                        key.replace('~', "~0").replace('/', "~1")
                    } else {
                        k += 1;
                        (k - 1).to_string()
                    };
                    value(b, i, line, format!("{path}/{key}"), out);
                }
            }
            b'"' => {
                string(b, i);
            }
            _ => {
                while *i < b.len() && !matches!(b[*i], b',' | b'}' | b']') && !b[*i].is_ascii_whitespace() {
                    *i += 1;
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    let (mut i, mut line) = (0, 1);
    value(json.as_bytes(), &mut i, &mut line, String::new(), &mut out);
    out
}

/// Problems of a timeline as (chapter line, message): the line of the value at fault (an event,
/// a mode), or the script's line when the problem is the data as a whole.
fn timeline_at(d: &Value, program_lines: usize, json: &str, script_line: usize) -> Vec<(usize, String)> {
    let lines = value_lines(json);
    timeline(d, program_lines)
        .into_iter()
        .map(|f| (lines.get(&f.at).map_or(script_line, |l| script_line + l - 1), f.msg))
        .collect()
}

/// A channel operation an event performs (its `op`): the calling thread's `send` or `recv`, or
/// `close`, the drop of the channel's last `Sender` (a thread that owned it ends, or drops it).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Op {
    Send,
    Recv,
    Close,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Send => "send",
            Op::Recv => "recv",
            Op::Close => "close",
        }
    }
}

/// The channel of one mode, replayed event by event with std's semantics: `capacity` None is
/// `mpsc::channel()` (send never blocks), Some(0) is `sync_channel(0)` (a send completes only
/// when a recv takes its value, directly), Some(n) is `sync_channel(n)` (a queue of n values).
struct Channel {
    capacity: Option<u64>,
    queue: u64,
    closed: bool,
    /// Threads blocked in `send` (a full queue, or no receiver for a rendezvous), oldest first.
    senders: Vec<String>,
    /// Threads blocked in `recv` on an empty channel, oldest first.
    receivers: Vec<String>,
    /// Threads that an operation at time t has woken: each needs its `ready` event at that t;
    /// with Some(op) it resumes inside that call (it must complete it when it next runs).
    woken: BTreeMap<String, (u64, Option<Op>)>,
    /// Threads woken inside a call that they complete on their next running event.
    resume: BTreeMap<String, Op>,
}

impl Channel {
    fn capacity_text(&self) -> String {
        match self.capacity {
            None => "unbounded".into(),
            Some(0) => "capacity 0, a rendezvous".into(),
            Some(n) => format!("capacity {n}"),
        }
    }

    /// Wakes the oldest thread of `from` (removing it), at time `t`.
    fn wake(&mut self, blocked_in: Op, t: u64, resume: Option<Op>) -> Option<String> {
        let list = if blocked_in == Op::Send { &mut self.senders } else { &mut self.receivers };
        if list.is_empty() {
            return None;
        }
        let th = list.remove(0);
        self.woken.insert(th.clone(), (t, resume));
        Some(th)
    }

    /// Applies `op`, called by `thread`, whose event says it ends `to` (running: the call
    /// returned or goes on; blocked: the call waits); returns what is wrong with that.
    fn apply(&mut self, op: Op, thread: &str, to: &str, t: u64) -> Vec<String> {
        let mut p = Vec::new();
        let blocks = to == "blocked";
        if op != Op::Close && !(to == "running" || blocks) {
            p.push(format!("a {} is a call the thread makes: its event's state is running (the call returns) or blocked (it waits), not {to}", op.name()));
            return p;
        }
        match op {
            Op::Send if self.closed => p.push("send after the last Sender was dropped (op close)".into()),
            Op::Send => match self.capacity {
                Some(0) if !self.receivers.is_empty() => {
                    if blocks {
                        p.push("a receiver is waiting in recv, so this send on a rendezvous channel hands it the value and returns at once: it does not block".into());
                    }
                    self.wake(Op::Recv, t, None);
                }
                Some(0) => {
                    if !blocks {
                        p.push("on a rendezvous channel (capacity 0) a send completes only when a recv takes the value, and no receiver is waiting: the sender is blocked until one calls recv".into());
                    }
                    self.senders.push(thread.into());
                }
                cap if cap.is_none_or(|c| self.queue < c) => {
                    if blocks {
                        p.push(format!("the queue has room ({} value(s) queued, {}): send puts the value in and returns, it does not block", self.queue, self.capacity_text()));
                    }
                    self.queue += 1;
                    self.wake(Op::Recv, t, Some(Op::Recv));
                }
                _ => {
                    if !blocks {
                        p.push(format!("the queue is full ({} of {}): send blocks until a recv makes room", self.queue, self.capacity.unwrap_or(0)));
                    }
                    self.senders.push(thread.into());
                }
            },
            Op::Recv => {
                if self.queue > 0 {
                    if blocks {
                        p.push(format!("the queue holds {} value(s): recv takes one and returns, it does not block", self.queue));
                    }
                    self.queue -= 1;
                    self.wake(Op::Send, t, Some(Op::Send));
                } else if self.capacity == Some(0) && !self.senders.is_empty() {
                    if blocks {
                        p.push("a sender is blocked in send on this rendezvous channel: recv takes its value at once and does not block".into());
                    }
                    self.wake(Op::Send, t, None);
                } else if self.closed {
                    if blocks {
                        p.push("the channel is empty and its last Sender is gone: recv returns Err at once, it does not block".into());
                    }
                } else {
                    if !blocks {
                        p.push("the queue is empty and no sender is waiting: recv blocks until a send (or the drop of the last Sender)".into());
                    }
                    self.receivers.push(thread.into());
                }
            }
            Op::Close => {
                self.closed = true;
                while self.wake(Op::Recv, t, Some(Op::Recv)).is_some() {}
            }
        }
        p
    }
}

fn timeline(d: &Value, program_lines: usize) -> Vec<Found> {
    let mut p = Vec::new();
    let top = |msg: String| Found { at: String::new(), msg };
    let cell = d["cell_ms"].as_u64().unwrap_or(0);
    let duration = d["duration_ms"].as_u64().unwrap_or(0);
    if cell == 0 || duration == 0 || duration % cell != 0 {
        p.push(top("needs cell_ms > 0 and a duration_ms that is a multiple of it".into()));
        return p;
    }
    let threads: BTreeSet<String> =
        d["threads"].as_array().into_iter().flatten().filter_map(|t| t["id"].as_str().map(String::from)).collect();
    if threads.is_empty() {
        p.push(top("needs `threads`".into()));
    }
    for s in STATES {
        if d["states"][s].as_str().unwrap_or("").is_empty() {
            p.push(top(format!("`states` needs a description of {s:?}")));
        }
    }
    let modes = d["modes"].as_array().cloned().unwrap_or_default();
    if modes.is_empty() {
        p.push(top("needs at least one mode".into()));
    }
    for (m, mode) in modes.iter().enumerate() {
        let label = mode["label"].as_str().unwrap_or("?");
        let here = format!("/modes/{m}");
        let at = |e: String| Found { at: here.clone(), msg: format!("mode {} ({label}): {e}", m + 1) };
        let cores = mode["cores"].as_u64().unwrap_or(0);
        if cores == 0 {
            p.push(at("needs cores ≥ 1".into()));
            continue;
        }
        let mut channel = match &mode["channel"] {
            Value::Null => None,
            Value::Object(c) => match c.get("capacity") {
                Some(Value::Null) => Some(None),
                Some(v) if v.as_u64().is_some() => Some(v.as_u64()),
                _ => {
                    p.push(at("`channel` needs a `capacity`: null (mpsc::channel(), unbounded) or a number n ≥ 0 (mpsc::sync_channel(n))".into()));
                    None
                }
            },
            _ => {
                p.push(at("`channel` must be an object with a `capacity`".into()));
                None
            }
        }
        .map(|capacity| Channel {
            capacity,
            queue: 0,
            closed: false,
            senders: Vec::new(),
            receivers: Vec::new(),
            woken: BTreeMap::new(),
            resume: BTreeMap::new(),
        });
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
            let ev = |msg: String| Found {
                at: format!("/modes/{m}/events/{i}"),
                msg: format!("mode {} ({label}): event {} (t={t}, {thread}): {msg}", m + 1, i + 1),
            };
            if t == u64::MAX || t > duration || t % cell != 0 {
                p.push(ev(format!("t must be a multiple of {cell} within 0..={duration}")));
            }
            if t < last_t {
                p.push(ev("events are not in time order".into()));
            }
            // A thread that a channel operation woke earlier has its ready event at that time.
            if let Some(ch) = &mut channel {
                let late: Vec<(String, u64)> =
                    ch.woken.iter().filter(|(_, (at, _))| *at < t).map(|(th, (at, _))| (th.clone(), *at)).collect();
                for (th, at) in late {
                    p.push(ev(format!("{th} was woken at {at} ms by the channel operation that completed its call, but has no ready event at {at} ms")));
                    ch.woken.remove(&th);
                }
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
            let op = match e.get("op") {
                None => None,
                Some(v) => match v.as_str() {
                    Some("send") => Some(Op::Send),
                    Some("recv") => Some(Op::Recv),
                    Some("close") => Some(Op::Close),
                    _ => {
                        p.push(ev(format!("unknown op {v} (use send, recv or close)")));
                        None
                    }
                },
            };
            let from = state.get(&thread).cloned();
            match from.as_deref() {
                None if to == "created" || (to == "running" && t == 0) => {}
                None => p.push(ev(format!("a thread's first state is created (or running at t=0), not {to}"))),
                // A channel operation by a thread that keeps running is an event without a change of state.
                Some("running") if to == "running" && op.is_some() => {
                    if e["core"].as_u64() != core_of.get(&thread).copied() {
                        p.push(ev("a running thread that calls a channel operation stays on its core".into()));
                    }
                }
                Some(from) if !legal(from, &to) => {
                    p.push(ev(format!("{from} → {to} is not an edge of the thread lifecycle")))
                }
                _ => {}
            }
            match (&mut channel, op) {
                (None, Some(op)) => p.push(ev(format!("op {} needs the mode's `channel` (its capacity)", op.name()))),
                (Some(ch), _) => {
                    // Woken by a channel operation: blocked → ready only then.
                    if from.as_deref() == Some("blocked") && to == "ready" {
                        if let Some((at, resume)) = ch.woken.remove(&thread) {
                            debug_assert!(at == t);
                            if let Some(r) = resume {
                                ch.resume.insert(thread.clone(), r);
                            }
                        } else if let Some(what) = [(Op::Send, &ch.senders), (Op::Recv, &ch.receivers)]
                            .iter()
                            .find(|(_, l)| l.contains(&thread))
                            .map(|(o, _)| o.name())
                        {
                            p.push(ev(format!(
                                "{thread} is blocked in {what}, and only {} wakes it: none does at {t} ms (the waking event comes first among the events of its time)",
                                if what == "send" {
                                    "a recv that takes its value (or makes room in the queue)"
                                } else {
                                    "a send (or the drop of the last Sender)"
                                }
                            )));
                        }
                    }
                    if to == "running" {
                        if let Some(r) = ch.resume.remove(&thread) {
                            if op != Some(r) {
                                p.push(ev(format!(
                                    "{thread} was woken inside its {0}, and resumes it now: this event needs op {0} (it completes the call)",
                                    r.name()
                                )));
                            }
                        }
                    }
                    if let Some(op) = op {
                        p.extend(ch.apply(op, &thread, &to, t).into_iter().map(|msg| ev(format!("{}: {msg}", op.name()))));
                    }
                    // The queue length the event states, against the replay.
                    match (op, e.get("queue")) {
                        (None, None) => {}
                        (_, Some(q)) => match q.as_i64() {
                            Some(n) if n < 0 => p.push(ev(format!("queue is {n}: a queue length is never negative"))),
                            Some(n) if ch.capacity.is_some_and(|c| n as u64 > c) => p.push(ev(format!(
                                "queue is {n}, above the channel's capacity {}",
                                ch.capacity.unwrap_or(0)
                            ))),
                            Some(n) if n as u64 != ch.queue => p.push(ev(format!(
                                "queue is {n}, but the sends and receives so far leave {} value(s) in the queue",
                                ch.queue
                            ))),
                            Some(_) => {}
                            None => p.push(ev(format!("queue is {q}: it must be an integer"))),
                        },
                        (Some(op), None) => p.push(ev(format!(
                            "an event with op {} states the queue length after it (`queue`: {})",
                            op.name(),
                            ch.queue
                        ))),
                    }
                }
                (None, None) => {
                    if e.get("queue").is_some() {
                        p.push(ev("`queue` needs the mode's `channel`".into()));
                    }
                }
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
        if let Some(ch) = &channel {
            for (th, (t, _)) in &ch.woken {
                p.push(at(format!("{th} was woken at {t} ms by the channel operation that completed its call, but has no ready event at {t} ms")));
            }
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

    /// The messages of [`super::timeline`], without where they are.
    fn timeline(d: &Value, program_lines: usize) -> Vec<String> {
        super::timeline(d, program_lines).into_iter().map(|f| f.msg).collect()
    }

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

    /// A deck of bins about Send and Sync, written one value a line as a chapter writes it.
    fn bins_deck(cards: &[(&str, &str)]) -> String {
        let bins = [("both", "Send + Sync", true, true), ("send", "Send only", true, false), ("sync", "Sync only", false, true), ("neither", "Neither", false, false)];
        let mut j = String::from("\n{\n\"title\": \"t\", \"bins\": true,\n\"proof\": {\"prelude\": \"use std::cell::Cell; use std::rc::Rc; use std::sync::{Arc, MutexGuard};\", \"traits\": [\"Send\", \"Sync\"]},\n\"concepts\": [\n");
        let b: Vec<String> = bins.iter().map(|(id, l, s, y)| format!("{{\"id\": \"{id}\", \"label\": \"{l}\", \"holds\": {{\"Send\": {s}, \"Sync\": {y}}}}}")).collect();
        j.push_str(&b.join(",\n"));
        j.push_str("\n],\n\"definitions\": [\n");
        let c: Vec<String> = cards
            .iter()
            .enumerate()
            .map(|(i, (ty, bin))| format!("{{\"id\": \"c{i}\", \"type\": {ty:?}, \"text\": \"`{ty}`\", \"explain\": \"e\",\n \"concept\": \"{bin}\"}}"))
            .collect();
        j.push_str(&c.join(",\n"));
        j.push_str("\n]\n}\n");
        j
    }

    fn deck_problems(json: &str) -> Vec<(usize, String)> {
        concept_match_at("2024", &serde_json::from_str(json).unwrap(), json, 100)
    }

    #[test]
    fn a_bin_holds_any_number_of_cards_and_may_stay_empty() {
        let j = bins_deck(&[("Rc<i32>", "neither"), ("*const u8", "neither"), ("Cell<i32>", "send")]);
        let mut d: Value = serde_json::from_str(&j).unwrap();
        d.as_object_mut().unwrap().remove("proof");
        assert_eq!(concept_match(&d), Vec::<String>::new());
        d["definitions"][0]["concept"] = json!("nowhere");
        assert!(concept_match(&d).iter().any(|e| e.contains("card \"c0\" names the bin \"nowhere\"")), "{:?}", concept_match(&d));
        // Without `bins`, the same deck is a one-to-one key with a concept of two definitions.
        d["definitions"][0]["concept"] = json!("neither");
        d.as_object_mut().unwrap().remove("bins");
        assert!(concept_match(&d).iter().any(|e| e.contains("\"neither\" has 2")));
    }

    #[test]
    fn the_compiler_proves_a_right_deck() {
        let cards = [("Arc<i32>", "both"), ("Cell<i32>", "send"), ("MutexGuard<'static, i32>", "sync"), ("Rc<i32>", "neither"), ("&'static Cell<i32>", "neither")];
        assert_eq!(deck_problems(&bins_deck(&cards)), Vec::<(usize, String)>::new());
    }

    #[test]
    fn a_card_in_the_wrong_bin_is_named_with_its_line_and_the_compilers_verdict() {
        let j = bins_deck(&[("Arc<i32>", "both"), ("Cell<i32>", "sync"), ("Rc<i32>", "neither")]);
        let p = deck_problems(&j);
        // The card's `concept` is on its own line: 100 is the <script> line, the JSON's line 1.
        let line = 100 + j.lines().position(|l| l.contains("\"concept\": \"sync\"")).unwrap();
        assert_eq!(p, vec![(line, "card \"Cell<i32>\" is in the bin \"Sync only\", but the compiler says Cell<i32> is Send and not Sync: its bin is \"Send only\"".to_string())]);
    }

    #[test]
    fn a_type_that_does_not_compile_is_reported_with_rustcs_message() {
        let j = bins_deck(&[("Arc<i32>", "both"), ("Cel<i32>", "send")]);
        let p = deck_problems(&j);
        let line = 100 + j.lines().position(|l| l.contains("\"concept\": \"send\"")).unwrap();
        assert_eq!(p.len(), 1, "{p:?}"); // once, not once per trait checked
        assert_eq!(p[0].0, line, "{p:?}");
        assert!(p[0].1.starts_with("card \"Cel<i32>\": the type does not compile:\nerror[E0425]: cannot find type `Cel`"), "{p:?}");
        // A type that is not Sized is an E0277 too, but not the bound's: an error, not a verdict.
        let p = deck_problems(&bins_deck(&[("Vec<str>", "both")]));
        assert!(!p.is_empty() && p.iter().all(|(_, m)| m.contains("does not compile") && m.contains("E0277")), "{p:?}");
    }

    #[test]
    fn a_proof_needs_every_bin_to_say_what_holds_and_every_card_a_type() {
        let j = bins_deck(&[("Arc<i32>", "both")]);
        let mut d: Value = serde_json::from_str(&j).unwrap();
        d["concepts"][1]["holds"] = json!({"Send": true});
        d["definitions"][0].as_object_mut().unwrap().remove("type");
        let msgs: Vec<String> = concept_match_at("2024", &d, &j, 1).into_iter().map(|(_, m)| m).collect();
        assert!(msgs.iter().any(|m| m.contains("bin \"Send only\" needs `holds`")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("card \"c0\" needs a `type`")), "{msgs:?}");
        d["concepts"][1]["holds"] = json!({"Send": true, "Sync": true});
        let msgs: Vec<String> = concept_match_at("2024", &d, &j, 1).into_iter().map(|(_, m)| m).collect();
        assert!(msgs.iter().any(|m| m.contains("bins \"Send + Sync\" and \"Send only\" say the same")), "{msgs:?}");
    }

    #[test]
    fn the_proof_is_general_in_its_traits() {
        // One trait, a path, and a one-to-one deck: any deck with a `proof`.
        let d = json!({"title": "t", "proof": {"traits": ["std::panic::UnwindSafe"], "prelude": "use std::cell::Cell;"},
            "concepts": [{"id": "y", "label": "Unwind-safe", "holds": {"std::panic::UnwindSafe": true}},
                         {"id": "n", "label": "Not", "holds": {"std::panic::UnwindSafe": false}}],
            "definitions": [{"id": "a", "type": "i32", "concept": "n", "text": "t", "explain": "e"},
                            {"id": "b", "type": "&'static Cell<i32>", "concept": "y", "text": "t", "explain": "e"}]});
        let msgs: Vec<String> = concept_match_at("2024", &d, &d.to_string(), 1).into_iter().map(|(_, m)| m).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("compiler says i32 is std::panic::UnwindSafe: its bin is \"Unwind-safe\""), "{msgs:?}");
        assert!(msgs[1].contains("is not std::panic::UnwindSafe: its bin is \"Not\""), "{msgs:?}");
    }

    /// A two-thread script over a channel of `capacity` (null: unbounded), in a 40 ms run.
    fn with_channel(capacity: Value, events: Value) -> Value {
        json!({
            "program": "p", "cell_ms": 5, "duration_ms": 40, "switch_cost_us": [2, 30],
            "threads": [{"id": "main", "name": "main"}, {"id": "sensor", "name": "sensor"}],
            "states": {"created": "x", "ready": "x", "running": "x", "blocked": "x", "terminated": "x"},
            "modes": [{"label": "m", "cores": 2, "context_switches": 0, "takeaway": "t",
                       "channel": {"capacity": capacity}, "events": events}]
        })
    }

    fn start() -> Vec<Value> {
        vec![
            json!({"t": 0, "thread": "main", "state": "running", "core": 0, "line": 1}),
            json!({"t": 0, "thread": "sensor", "state": "created", "line": 2}),
            json!({"t": 5, "thread": "sensor", "state": "ready", "line": 2}),
            json!({"t": 5, "thread": "sensor", "state": "running", "core": 1, "line": 2}),
        ]
    }

    fn script(rest: Value) -> Value {
        let mut v = start();
        v.extend(rest.as_array().unwrap().iter().cloned());
        Value::Array(v)
    }

    /// mpsc::channel(): the sensor runs ahead; main's recv takes what is queued; the last
    /// recv, on an empty channel whose Sender is gone, returns at once.
    fn unbounded() -> Value {
        script(json!([
            {"t": 10, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 1},
            {"t": 10, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 15, "thread": "main", "state": "blocked", "line": 5},
            {"t": 15, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 1},
            {"t": 20, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 2},
            {"t": 25, "thread": "sensor", "state": "terminated", "line": 3, "op": "close", "queue": 2},
            {"t": 25, "thread": "main", "state": "ready", "line": 5},
            {"t": 25, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 1},
            {"t": 30, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 35, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 40, "thread": "main", "state": "terminated", "line": 5}
        ]))
    }

    /// sync_channel(0): the sensor blocks in send until main's recv takes the value; main blocks
    /// in recv until the sensor's send hands it one.
    fn rendezvous() -> Value {
        script(json!([
            {"t": 10, "thread": "sensor", "state": "blocked", "line": 3, "op": "send", "queue": 0},
            {"t": 20, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 20, "thread": "sensor", "state": "ready", "line": 3},
            {"t": 20, "thread": "sensor", "state": "running", "core": 1, "line": 3},
            {"t": 25, "thread": "main", "state": "blocked", "line": 4, "op": "recv", "queue": 0},
            {"t": 30, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 0},
            {"t": 30, "thread": "main", "state": "ready", "line": 4},
            {"t": 30, "thread": "main", "state": "running", "core": 0, "line": 4},
            {"t": 35, "thread": "sensor", "state": "terminated", "line": 3, "op": "close", "queue": 0}
        ]))
    }

    /// sync_channel(1): the second send finds the queue full and blocks; main's recv makes room,
    /// and the woken sensor completes its send when it runs.
    fn bounded() -> Value {
        script(json!([
            {"t": 10, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 1},
            {"t": 15, "thread": "sensor", "state": "blocked", "line": 3, "op": "send", "queue": 1},
            {"t": 20, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 20, "thread": "sensor", "state": "ready", "line": 3},
            {"t": 25, "thread": "sensor", "state": "running", "core": 1, "line": 3, "op": "send", "queue": 1},
            {"t": 30, "thread": "sensor", "state": "terminated", "line": 3, "op": "close", "queue": 1},
            {"t": 35, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0},
            {"t": 40, "thread": "main", "state": "running", "core": 0, "line": 4, "op": "recv", "queue": 0}
        ]))
    }

    /// The messages for `events` broken by `edit` (an index into the events and new fields).
    fn broken(capacity: Value, mut events: Value, i: usize, fields: Value) -> Vec<String> {
        for (k, v) in fields.as_object().unwrap() {
            events[i][k] = v.clone();
        }
        timeline(&with_channel(capacity, events), 5)
    }

    fn has(p: &[String], text: &str) -> bool {
        p.iter().any(|e| e.contains(text))
    }

    #[test]
    fn consistent_channel_scripts_pass() {
        assert_eq!(timeline(&with_channel(Value::Null, unbounded()), 5), Vec::<String>::new());
        assert_eq!(timeline(&with_channel(json!(0), rendezvous()), 5), Vec::<String>::new());
        assert_eq!(timeline(&with_channel(json!(1), bounded()), 5), Vec::<String>::new());
    }

    #[test]
    fn a_queue_length_is_never_negative_nor_above_the_capacity() {
        let p = broken(Value::Null, unbounded(), 5, json!({"queue": -1}));
        assert!(has(&p, "event 6 (t=10, main): queue is -1: a queue length is never negative"), "{p:?}");
        let p = broken(json!(1), bounded(), 4, json!({"queue": 2}));
        assert!(has(&p, "event 5 (t=10, sensor): queue is 2, above the channel's capacity 1"), "{p:?}");
    }

    #[test]
    fn the_queue_row_follows_the_sends_and_receives() {
        let p = broken(Value::Null, unbounded(), 8, json!({"queue": 1}));
        assert!(has(&p, "event 9 (t=20, sensor): queue is 1, but the sends and receives so far leave 2 value(s)"), "{p:?}");
        // An op needs its queue length, and a queue length needs a channel.
        let mut ev = unbounded();
        ev[4].as_object_mut().unwrap().remove("queue");
        assert!(has(&timeline(&with_channel(Value::Null, ev), 5), "states the queue length after it"));
        let mut d = with_channel(Value::Null, unbounded());
        d["modes"][0].as_object_mut().unwrap().remove("channel");
        assert!(has(&timeline(&d, 5), "op send needs the mode's `channel`"));
    }

    #[test]
    fn a_rendezvous_send_completes_only_when_a_recv_takes_the_value() {
        // The sensor's send goes on running although nobody is in recv.
        let p = broken(json!(0), rendezvous(), 4, json!({"state": "running", "core": 1}));
        assert!(has(&p, "event 5 (t=10, sensor): send: on a rendezvous channel (capacity 0) a send completes only when a recv takes the value"), "{p:?}");
        // The blocked sender is woken before any recv took its value.
        let mut ev = rendezvous();
        ev[6]["t"] = json!(15);
        ev[7]["t"] = json!(15);
        let a = ev[6].clone();
        let b = ev[5].clone();
        ev[5] = a;
        ev[6] = b;
        ev[6]["t"] = json!(20);
        let p = timeline(&with_channel(json!(0), ev), 5);
        assert!(has(&p, "sensor is blocked in send, and only a recv that takes its value"), "{p:?}");
        // ... or not woken when the recv takes it.
        let mut ev = rendezvous();
        ev[6]["t"] = json!(25);
        ev[7]["t"] = json!(25);
        let p = timeline(&with_channel(json!(0), ev), 5);
        assert!(has(&p, "sensor was woken at 20 ms by the channel operation that completed its call, but has no ready event at 20 ms"), "{p:?}");
        // With a receiver waiting, the send does not block.
        let p = broken(json!(0), rendezvous(), 9, json!({"state": "blocked"}));
        assert!(has(&p, "a receiver is waiting in recv"), "{p:?}");
    }

    #[test]
    fn a_send_that_finds_a_bounded_queue_full_blocks() {
        let p = broken(json!(1), bounded(), 5, json!({"state": "running", "core": 1}));
        assert!(has(&p, "event 6 (t=15, sensor): send: the queue is full (1 of 1): send blocks"), "{p:?}");
        // The woken sender completes its send when it runs: that event carries the op.
        let mut ev = bounded();
        ev[8].as_object_mut().unwrap().remove("op");
        ev[8].as_object_mut().unwrap().remove("queue");
        let p = timeline(&with_channel(json!(1), ev), 5);
        assert!(has(&p, "sensor was woken inside its send, and resumes it now: this event needs op send"), "{p:?}");
    }

    #[test]
    fn a_recv_on_an_empty_queue_with_no_waiting_sender_blocks() {
        let p = broken(json!(0), rendezvous(), 8, json!({"state": "running", "core": 0}));
        assert!(has(&p, "event 9 (t=25, main): recv: the queue is empty and no sender is waiting: recv blocks"), "{p:?}");
        // main's recv comes before the sensor's first send.
        let mut ev = unbounded();
        ev.as_array_mut().unwrap().swap(4, 5);
        let p = timeline(&with_channel(Value::Null, ev), 5);
        assert!(has(&p, "event 5 (t=10, main): recv: the queue is empty and no sender is waiting"), "{p:?}");
        // And one that finds a value does not block.
        let p = broken(json!(1), bounded(), 6, json!({"state": "blocked"}));
        assert!(has(&p, "the queue holds 1 value(s): recv takes one and returns"), "{p:?}");
    }

    #[test]
    fn a_problem_names_the_chapter_line_of_its_event() {
        // The data as a chapter writes it, one event per line, in a script that starts at line 100.
        let events = unbounded();
        let lines: Vec<String> = events.as_array().unwrap().iter().map(|e| e.to_string()).collect();
        let json = format!(
            "\n{{\"program\": \"p\", \"cell_ms\": 5, \"duration_ms\": 40, \"switch_cost_us\": [2, 30],\n\"threads\": [{{\"id\": \"main\", \"name\": \"main\"}}, {{\"id\": \"sensor\", \"name\": \"sensor\"}}],\n\"states\": {{\"created\": \"x\", \"ready\": \"x\", \"running\": \"x\", \"blocked\": \"x\", \"terminated\": \"x\"}},\n\"modes\": [{{\"label\": \"m\", \"cores\": 2, \"context_switches\": 0, \"takeaway\": \"t\", \"channel\": {{\"capacity\": null}}, \"events\": [\n{}\n]}}]}}\n",
            lines.join(",\n").replace("\"queue\":2", "\"queue\":3")
        );
        let d: Value = serde_json::from_str(&json).unwrap();
        let p = timeline_at(&d, 5, &json, 100);
        // Line 100 is the <script> line (the JSON starts on the next); the events start at 106.
        let first = json.lines().position(|l| l.contains("\"queue\":3")).unwrap();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].0, 100 + first, "{p:?}");
        assert!(p[0].1.contains("queue is 3, but the sends and receives so far leave 2"), "{p:?}");
    }
}

//! The litmus explorer (`src/widgets/litmus-explorer.js`): its data, written in a chapter as
//! `<script type="application/json" data-widget="litmus-explorer">`, is checked against two
//! tested programs, which the data names by the ids of `<script type="text/plain">` blocks that
//! include them:
//!
//! - `model`: a `tools = ["loom"]` listing whose `#[test]`s print, for each litmus test and each
//!   choice of orderings, the outcomes (r1, r2) that loom finds over every execution it explores
//!   (`litmus mp Relaxed Release Acquire Relaxed: 0,0 0,1 1,1`). The check builds it with
//!   `--cfg loom` (the harness's cached build) and runs it with `--nocapture`.
//! - `hardware` and `sample`: a `tools = ["bench"]` listing and its committed `output.txt`, the
//!   counts of each outcome on the book's machine (`mp Relaxed Release Acquire Relaxed: 0,0=…`).
//!
//! Each test of the data lists its two threads' operations (`data.store(1, o1)`,
//! `let r1 = flag.load(o3)`), which must appear, in order, in both programs' `ANCHOR: <id>`
//! regions, and its `rules`: the first rule whose `when` matches an ordering choice gives that
//! choice's `allowed` outcomes, its `why` (the happens-before argument) and its `source`. The
//! check, for all 81 choices of each test (Relaxed, Release or SeqCst per store; Relaxed,
//! Acquire or SeqCst per load):
//!
//! - a choice without SeqCst has `source: "loom"`, and its allowed set is exactly loom's;
//! - loom runs SeqCst as AcqRel (it over-approximates: it finds store buffering's (0, 0) with
//!   all four SeqCst, which the model forbids), so a choice with SeqCst has
//!   `source: "reasoning"` and a written `reasoning`; its set must lie within loom's and contain
//!   every outcome of a sequentially consistent interleaving (allowed whatever the orderings);
//! - every outcome the table forbids was observed 0 times in the hardware sample, whose every
//!   choice's counts add up to its rounds;
//! - every rule applies to some choice (no rule hidden behind earlier ones).
//!
//! Each problem names the chapter line of the value at fault (a rule, a test).

use crate::book::{Book, Chapter, Listing, is_include};
use crate::contract::Tool;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub const STORES: [&str; 3] = ["Relaxed", "Release", "SeqCst"];
pub const LOADS: [&str; 3] = ["Relaxed", "Acquire", "SeqCst"];
const OUTCOMES: [&str; 4] = ["0,0", "0,1", "1,0", "1,1"];

/// One operation of a litmus test, parsed from its code.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    /// `var.store(1, oN)`
    Store { var: String },
    /// `let rK = var.load(oN)`
    Load { var: String, reg: usize },
}

/// Parses `data.store(1, o1)` or `let r1 = flag.load(o3)`, whose ordering must be `o<n>`.
fn parse_op(code: &str, n: usize) -> Result<Op, String> {
    let ident = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    if let Some(rest) = code.strip_suffix(&format!(".store(1, o{n})"))
        && ident(rest)
    {
        return Ok(Op::Store { var: rest.to_string() });
    }
    if let Some(rest) = code.strip_prefix("let r").and_then(|r| r.strip_suffix(&format!(".load(o{n})")))
        && let Some((reg, var)) = rest.split_once(" = ")
        && let Ok(reg @ 1..=2) = reg.parse::<usize>()
        && ident(var)
    {
        return Ok(Op::Load { var: var.to_string(), reg });
    }
    Err(format!("operation {n} is {code:?}: write `x.store(1, o{n})` or `let r1 = x.load(o{n})` (the n-th operation's ordering is o{n})"))
}

/// The outcomes "r1,r2" of every sequentially consistent interleaving of two threads' ops (all
/// variables start at 0): allowed whatever the orderings, so a lower bound of every table entry.
fn sc_outcomes(threads: &[Vec<Op>; 2]) -> BTreeSet<String> {
    fn go(threads: &[Vec<Op>; 2], pos: [usize; 2], mem: &BTreeMap<String, usize>, regs: [usize; 2], out: &mut BTreeSet<String>) {
        if pos[0] == threads[0].len() && pos[1] == threads[1].len() {
            out.insert(format!("{},{}", regs[0], regs[1]));
            return;
        }
        for t in 0..2 {
            if pos[t] < threads[t].len() {
                let (mut mem, mut regs, mut pos) = (mem.clone(), regs, pos);
                match &threads[t][pos[t]] {
                    Op::Store { var } => {
                        mem.insert(var.clone(), 1);
                    }
                    Op::Load { var, reg } => regs[reg - 1] = *mem.get(var).unwrap_or(&0),
                }
                pos[t] += 1;
                go(threads, pos, &mem, regs, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    go(threads, [0, 0], &BTreeMap::new(), [0, 0], &mut out);
    out
}

/// Every ordering choice for operations of these kinds (true: a store), in the programs' order.
pub fn choices(stores: [bool; 4]) -> Vec<[&'static str; 4]> {
    let legal = |s: bool| if s { STORES } else { LOADS };
    let mut out = Vec::new();
    for a in legal(stores[0]) {
        for b in legal(stores[1]) {
            for c in legal(stores[2]) {
                for d in legal(stores[3]) {
                    out.push([a, b, c, d]);
                }
            }
        }
    }
    out
}

/// A program's `ANCHOR: name` region (without the anchor lines).
fn anchor<'a>(text: &'a str, name: &str) -> Option<Vec<&'a str>> {
    let mut inside = false;
    let mut v = Vec::new();
    for l in text.lines() {
        if l.trim_end().ends_with(&format!("ANCHOR_END: {name}")) {
            return Some(v);
        }
        if inside {
            v.push(l);
        }
        if l.trim_end().ends_with(&format!("ANCHOR: {name}")) {
            inside = true;
        }
    }
    None
}

/// Whether the lines contain the codes in order (each code as a statement: `code;` or a
/// line's whole expression).
fn in_order(lines: &[&str], codes: &[String]) -> Result<(), String> {
    let mut i = 0;
    for code in codes {
        match lines[i..].iter().position(|l| l.trim() == format!("{code};") || l.trim() == code) {
            Some(k) => i += k + 1,
            None => return Err(code.clone()),
        }
    }
    Ok(())
}

/// The lines `litmus <test> <o1> <o2> <o3> <o4>: <outcome> <outcome> …` of the model's output.
fn model_sets(stdout: &str) -> BTreeMap<(String, [String; 4]), BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for l in stdout.lines() {
        // libtest prints `test name ... ` before a test's own output, on the same line.
        let Some(at) = l.find("litmus ") else { continue };
        let Some((head, set)) = l[at + 7..].split_once(": ") else { continue };
        let w: Vec<&str> = head.split(' ').collect();
        if w.len() != 5 {
            continue;
        }
        let key = (w[0].to_string(), [w[1], w[2], w[3], w[4]].map(String::from));
        out.insert(key, set.split_whitespace().map(String::from).collect());
    }
    out
}

/// The hardware sample: its rounds per choice, and the counts per (test, orderings), in the
/// order of OUTCOMES.
pub fn sample_counts(text: &str) -> Result<(u64, BTreeMap<(String, [String; 4]), [u64; 4]>), String> {
    let mut rounds = None;
    let mut out = BTreeMap::new();
    for l in text.lines() {
        if let Some(r) = l.strip_prefix("rounds: ") {
            rounds = r.split(' ').next().and_then(|n| n.parse::<u64>().ok());
            continue;
        }
        let Some((head, counts)) = l.split_once(": ") else { continue };
        let w: Vec<&str> = head.split(' ').collect();
        if w.len() != 5 || head.starts_with("machine") {
            continue;
        }
        let mut c = [0u64; 4];
        let pairs: Vec<(&str, &str)> = counts.split(' ').filter_map(|p| p.split_once('=')).collect();
        if pairs.len() != 4 || pairs.iter().zip(OUTCOMES).any(|((o, _), want)| *o != want) {
            return Err(format!("the line {l:?} does not give the counts of 0,0 0,1 1,0 1,1 in that order"));
        }
        for (k, (_, n)) in pairs.iter().enumerate() {
            c[k] = n.parse().map_err(|_| format!("the line {l:?}: {n:?} is not a count"))?;
        }
        out.insert((w[0].to_string(), [w[1], w[2], w[3], w[4]].map(String::from)), c);
    }
    Ok((rounds.ok_or("no `rounds: N per ordering choice` line")?, out))
}

/// What the chapter's `text/plain` script `id` includes: (the included file, the listing it is
/// in).
fn included<'b>(book: &'b Book, chapter: &Chapter, programs: &BTreeMap<String, String>, id: &str) -> Result<(PathBuf, &'b Listing), String> {
    let body = programs.get(id).ok_or_else(|| format!("names {id:?}, but there is no <script type=\"text/plain\" id=\"{id}\"> in this chapter"))?;
    let d = crate::markdown::directives_in(body)
        .into_iter()
        .find(|d| is_include(&d.name))
        .ok_or_else(|| format!("the script {id:?} includes no file of a listing ({{{{#include ../listings/…}}}})"))?;
    let path = book.resolve(chapter, &d.path);
    let listing = book
        .listings
        .iter()
        .find(|l| path.parent() == Some(l.dir.as_path()))
        .ok_or_else(|| format!("the script {id:?} includes {}, which is not a file of a listing", path.display()))?;
    Ok((path, listing))
}

fn set_text(s: &BTreeSet<String>) -> String {
    if s.is_empty() { "nothing".into() } else { s.iter().cloned().collect::<Vec<_>>().join(" ") }
}

/// Problems of one explorer, as (chapter line, message). `programs` are the chapter's
/// `text/plain` scripts by id.
pub(crate) fn check(book: &Book, chapter: &Chapter, d: &Value, json: &str, script_line: usize, programs: &BTreeMap<String, String>) -> Vec<(usize, String)> {
    let lines = crate::widgets::value_lines(json);
    let at = |ptr: &str| lines.get(ptr).map_or(script_line, |l| script_line + l - 1);
    let mut p: Vec<(usize, String)> = Vec::new();
    if d["title"].as_str().unwrap_or("").trim().is_empty() {
        p.push((script_line, "needs a `title`".into()));
    }
    // The two programs and the sample.
    let mut files = BTreeMap::new();
    for field in ["model", "hardware", "sample"] {
        match included(book, chapter, programs, d[field].as_str().unwrap_or("")) {
            Ok(f) => {
                files.insert(field, f);
            }
            Err(e) => p.push((at(&format!("/{field}")), format!("`{field}` {e}"))),
        }
    }
    if files.len() < 3 {
        return p;
    }
    let (model_src, model) = files["model"].clone();
    let (hw_src, hw) = files["hardware"].clone();
    let (sample_path, sample_listing) = files["sample"].clone();
    if sample_listing.dir != hw.dir || sample_path.file_name().is_none_or(|f| f != "output.txt") {
        p.push((at("/sample"), format!("`sample` must include the output.txt of the hardware listing {}, not {}", hw.dir.display(), sample_path.display())));
        return p;
    }
    let read = |f: &Path| std::fs::read_to_string(book.abs(f)).map_err(|e| format!("{}: {e}", f.display()));
    let (model_text, hw_text, sample_text) = match (read(&model_src), read(&hw_src), read(&sample_path)) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (a, b, c) => {
            for e in [a.err(), b.err(), c.err()].into_iter().flatten() {
                p.push((script_line, e));
            }
            return p;
        }
    };
    let (rounds, counts) = match sample_counts(&sample_text) {
        Ok(x) => x,
        Err(e) => {
            p.push((at("/sample"), format!("{}: {e}", sample_path.display())));
            return p;
        }
    };

    // The tests and their rules, before anything runs.
    struct Test {
        id: String,
        ptr: String,
        stores: [bool; 4],
        threads: [Vec<Op>; 2],
    }
    let mut tests = Vec::new();
    let all_tests = d["tests"].as_array().cloned().unwrap_or_default();
    if all_tests.is_empty() {
        p.push((script_line, "needs `tests`".into()));
    }
    for (k, t) in all_tests.iter().enumerate() {
        let tp = format!("/tests/{k}");
        let id = t["id"].as_str().unwrap_or("").to_string();
        for f in ["id", "name"] {
            if t[f].as_str().unwrap_or("").is_empty() {
                p.push((at(&tp), format!("test {} needs a `{f}`", k + 1)));
            }
        }
        let threads: Vec<Vec<String>> = t["threads"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|th| th.as_array().into_iter().flatten().map(|c| c.as_str().unwrap_or("").to_string()).collect())
            .collect();
        if threads.len() != 2 || threads.iter().map(Vec::len).sum::<usize>() != 4 {
            p.push((at(&format!("{tp}/threads")), format!("test {id:?}: `threads` must be two lists of operations, four in all")));
            continue;
        }
        let mut ops: [Vec<Op>; 2] = [vec![], vec![]];
        let mut n = 0;
        let mut bad = false;
        for (ti, th) in threads.iter().enumerate() {
            for code in th {
                n += 1;
                match parse_op(code, n) {
                    Ok(op) => ops[ti].push(op),
                    Err(e) => {
                        p.push((at(&format!("{tp}/threads")), format!("test {id:?}: {e}")));
                        bad = true;
                    }
                }
            }
        }
        if bad {
            continue;
        }
        for (what, src, text) in [("model", &model_src, &model_text), ("hardware program", &hw_src, &hw_text)] {
            let Some(region) = anchor(text, &id) else {
                p.push((at(&tp), format!("test {id:?}: the {what} {} has no `// ANCHOR: {id}` region", src.display())));
                continue;
            };
            for th in &threads {
                if let Err(code) = in_order(&region, th) {
                    p.push((at(&format!("{tp}/threads")), format!("test {id:?}: the {what}'s `ANCHOR: {id}` region ({}) has no statement `{code};` after the thread's earlier operations: the explorer must show the code that runs", src.display())));
                }
            }
        }
        let mut stores = [false; 4];
        for (i, op) in ops.iter().flatten().enumerate() {
            stores[i] = matches!(op, Op::Store { .. });
        }
        tests.push(Test { id, ptr: tp, stores, threads: ops });
    }
    if !p.is_empty() {
        return p;
    }

    // The model, run under loom.
    let sets = match run_model(book, model) {
        Ok(s) => s,
        Err(e) => {
            p.push((at("/model"), format!("the model {}: {e}", model_src.display())));
            return p;
        }
    };

    for (k, t) in tests.iter().enumerate() {
        let rules = all_tests[k]["rules"].as_array().cloned().unwrap_or_default();
        let rp = |r: usize| format!("{}/rules/{r}", t.ptr);
        // Each rule's shape.
        let mut ok_rules = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let line = at(&rp(r));
            let mut good = true;
            let when = rule["when"].as_array().cloned().unwrap_or_default();
            if when.len() != 4 {
                p.push((line, format!("test {:?}, rule {}: `when` needs one entry per operation (four): \"*\" or a list of orderings", t.id, r + 1)));
                good = false;
            }
            for (i, w) in when.iter().enumerate() {
                let legal = if t.stores.get(i).copied().unwrap_or(false) { STORES } else { LOADS };
                let ok = w.as_str() == Some("*") || w.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|o| o.as_str().is_some_and(|o| legal.contains(&o))));
                if !ok {
                    p.push((line, format!("test {:?}, rule {}: `when` entry {} is {w}: \"*\" or a list of {legal:?}", t.id, r + 1, i + 1)));
                    good = false;
                }
            }
            let allowed: Vec<&str> = rule["allowed"].as_array().into_iter().flatten().filter_map(|o| o.as_str()).collect();
            if allowed.is_empty() || allowed.iter().any(|o| !OUTCOMES.contains(o)) {
                p.push((line, format!("test {:?}, rule {}: `allowed` must list outcomes among {OUTCOMES:?}", t.id, r + 1)));
                good = false;
            }
            let source = rule["source"].as_str().unwrap_or("");
            if source != "loom" && source != "reasoning" {
                p.push((line, format!("test {:?}, rule {}: `source` is {source:?}: \"loom\" or \"reasoning\"", t.id, r + 1)));
                good = false;
            }
            if source == "reasoning" && rule["reasoning"].as_str().unwrap_or("").trim().is_empty() {
                p.push((line, format!("test {:?}, rule {}: a rule whose source is reasoning needs its `reasoning`, the memory model's argument", t.id, r + 1)));
            }
            if rule["why"].as_str().unwrap_or("").trim().is_empty() {
                p.push((line, format!("test {:?}, rule {}: needs a `why` (which happens-before edge exists, or not)", t.id, r + 1)));
            }
            ok_rules.push(good);
        }
        if ok_rules.iter().any(|g| !g) {
            continue;
        }
        let matches = |rule: &Value, o: &[&str; 4]| {
            rule["when"].as_array().unwrap().iter().zip(o).all(|(w, o)| w.as_str() == Some("*") || w.as_array().unwrap().iter().any(|x| x.as_str() == Some(*o)))
        };
        let sc = sc_outcomes(&t.threads);
        let mut used = vec![false; rules.len()];
        for o in choices(t.stores) {
            let name = format!("{} {}", t.id, o.join(" "));
            let key = (t.id.clone(), o.map(String::from));
            let Some(r) = rules.iter().position(|rule| matches(rule, &o)) else {
                p.push((at(&t.ptr), format!("{name}: no rule's `when` matches this choice of orderings")));
                continue;
            };
            used[r] = true;
            let rule = &rules[r];
            let line = at(&format!("{}/allowed", rp(r)));
            let allowed: BTreeSet<String> = rule["allowed"].as_array().unwrap().iter().filter_map(|o| o.as_str().map(String::from)).collect();
            let Some(loom) = sets.get(&key) else {
                p.push((line, format!("{name}: the model {} prints no line for it (`litmus {name}: …`)", model_src.display())));
                continue;
            };
            let seqcst = o.contains(&"SeqCst");
            let source = rule["source"].as_str().unwrap();
            if !seqcst {
                if source != "loom" {
                    p.push((line, format!("{name} (rule {}): loom is exact without SeqCst, so this choice's source is loom, not {source}", r + 1)));
                }
                if &allowed != loom {
                    p.push((line, format!(
                        "{name} (rule {}): the table allows {}, but the loom model ({}) finds {}",
                        r + 1,
                        set_text(&allowed),
                        model_src.display(),
                        set_text(loom)
                    )));
                }
            } else {
                if source != "reasoning" {
                    p.push((line, format!(
                        "{name} (rule {}): loom runs SeqCst as AcqRel, so its set ({}) is not the model's answer for a choice with SeqCst: give it source \"reasoning\" and the argument",
                        r + 1,
                        set_text(loom)
                    )));
                }
                if !allowed.is_subset(loom) {
                    p.push((line, format!(
                        "{name} (rule {}): the table allows {}, but the loom model ({}) finds only {}; loom over-approximates SeqCst, so the model allows no more than that",
                        r + 1,
                        set_text(&allowed),
                        model_src.display(),
                        set_text(loom)
                    )));
                }
                if !sc.is_subset(&allowed) {
                    p.push((line, format!(
                        "{name} (rule {}): the table allows {}, but a sequentially consistent interleaving of the operations gives {}, which every ordering allows",
                        r + 1,
                        set_text(&allowed),
                        set_text(&sc)
                    )));
                }
            }
            match counts.get(&key) {
                None => p.push((line, format!("{name}: the hardware sample {} has no line for it", sample_path.display()))),
                Some(c) => {
                    if c.iter().sum::<u64>() != rounds {
                        p.push((line, format!("{name}: the hardware sample's counts add up to {}, not its {rounds} rounds", c.iter().sum::<u64>())));
                    }
                    for (i, outcome) in OUTCOMES.iter().enumerate() {
                        if !allowed.contains(*outcome) && c[i] > 0 {
                            p.push((line, format!(
                                "{name} (rule {}): the table forbids {outcome}, but the hardware sample {} observed it in {} of its rounds",
                                r + 1,
                                sample_path.display(),
                                c[i]
                            )));
                        }
                    }
                }
            }
        }
        for (r, u) in used.iter().enumerate() {
            if !u {
                p.push((at(&rp(r)), format!("test {:?}, rule {}: earlier rules match every choice it matches, so it never applies", t.id, r + 1)));
            }
        }
    }
    p
}

/// The model's sets: its loom build (cached by the harness) run with `--nocapture`; the output
/// is cached by the binary's content, as the build is.
fn run_model(book: &Book, model: &Listing) -> Result<BTreeMap<(String, [String; 4]), BTreeSet<String>>, String> {
    let (binary, env) = crate::verify::build_for_tool(book, model, Tool::Loom)?;
    let bytes = std::fs::read(&binary).map_err(|e| format!("{}: {e}", binary.display()))?;
    let key = crate::verify::hash_of(&[&bytes, b"litmus-model-run-v1"]);
    let cache = binary.parent().unwrap().join(format!("litmus-{key}.txt"));
    let stdout = match std::fs::read_to_string(&cache) {
        Ok(s) => s,
        Err(_) => {
            let mut cmd = Command::new(&binary);
            cmd.args(["--nocapture", "--test-threads=1"]).envs(env.iter().copied()).current_dir(book.abs(&model.dir));
            let out = crate::process::run_bounded(&mut cmd, Duration::from_secs(120)).map_err(|e| format!("cannot run its loom build: {e}"))?;
            if out.code() != Some(0) {
                return Err(format!("its loom build {}:\n{}{}", out.describe_status(), out.stdout, out.stderr));
            }
            let _ = std::fs::write(&cache, &out.stdout);
            out.stdout
        }
    };
    Ok(model_sets(&stdout))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp() -> [Vec<Op>; 2] {
        [
            vec![parse_op("data.store(1, o1)", 1).unwrap(), parse_op("flag.store(1, o2)", 2).unwrap()],
            vec![parse_op("let r1 = flag.load(o3)", 3).unwrap(), parse_op("let r2 = data.load(o4)", 4).unwrap()],
        ]
    }

    #[test]
    fn operations_parse_and_name_their_ordering() {
        assert_eq!(parse_op("x.store(1, o1)", 1).unwrap(), Op::Store { var: "x".into() });
        assert_eq!(parse_op("let r2 = x.load(o4)", 4).unwrap(), Op::Load { var: "x".into(), reg: 2 });
        assert!(parse_op("x.store(1, o2)", 1).unwrap_err().contains("ordering is o1"));
        assert!(parse_op("let r3 = x.load(o1)", 1).is_err());
        assert!(parse_op("x.swap(1, o1)", 1).is_err());
    }

    #[test]
    fn sequentially_consistent_interleavings_never_show_the_weak_outcomes() {
        let want: BTreeSet<String> = ["0,0", "0,1", "1,1"].map(String::from).into();
        assert_eq!(sc_outcomes(&mp()), want);
        let sb = [
            vec![parse_op("x.store(1, o1)", 1).unwrap(), parse_op("let r1 = y.load(o2)", 2).unwrap()],
            vec![parse_op("y.store(1, o3)", 3).unwrap(), parse_op("let r2 = x.load(o4)", 4).unwrap()],
        ];
        let want: BTreeSet<String> = ["0,1", "1,0", "1,1"].map(String::from).into();
        assert_eq!(sc_outcomes(&sb), want);
    }

    #[test]
    fn every_legal_choice_once() {
        let c = choices([true, true, false, false]);
        assert_eq!(c.len(), 81);
        assert!(c.contains(&["Release", "SeqCst", "Acquire", "Relaxed"]));
        assert!(!c.iter().any(|o| o[0] == "Acquire" || o[2] == "Release"), "no Acquire store, no Release load");
    }

    #[test]
    fn the_model_and_the_sample_parse() {
        let out = "running 2 tests\ntest message_passing ... litmus mp Relaxed Relaxed Relaxed Relaxed: 0,0 0,1 1,0 1,1\nlitmus mp Relaxed Release Acquire Relaxed: 0,0 0,1 1,1\nok\n";
        let s = model_sets(out);
        assert_eq!(s.len(), 2);
        assert_eq!(s[&("mp".to_string(), ["Relaxed", "Release", "Acquire", "Relaxed"].map(String::from))].len(), 3);
        let (rounds, c) = sample_counts("machine: x, 2 logical CPUs, 2 usable, x86_64\nrounds: 10 per ordering choice\nsb SeqCst SeqCst SeqCst SeqCst: 0,0=0 0,1=4 1,0=5 1,1=1\n").unwrap();
        assert_eq!(rounds, 10);
        assert_eq!(c[&("sb".to_string(), ["SeqCst"; 4].map(String::from))], [0, 4, 5, 1]);
        assert!(sample_counts("rounds: 1 per ordering choice\nsb SeqCst SeqCst SeqCst SeqCst: 0,1=0 0,0=1 1,0=0 1,1=0\n").is_err());
    }

    #[test]
    fn operations_are_found_in_order_in_a_program() {
        let region = ["    let t = spawn(move || {", "        data.store(1, o1);", "        flag.store(1, o2);", "    });", "    let r1 = flag.load(o3);", "    r1"];
        assert!(in_order(&region, &["data.store(1, o1)".into(), "flag.store(1, o2)".into()]).is_ok());
        assert_eq!(in_order(&region, &["flag.store(1, o2)".into(), "data.store(1, o1)".into()]), Err("data.store(1, o1)".to_string()));
        assert!(anchor("// ANCHOR: mp\na\n// ANCHOR_END: mp\n", "mp").unwrap() == vec!["a"]);
    }
}

//! The interleaving lab (`src/widgets/interleaving-lab.js`): its data, written in a chapter as
//! `<script type="application/json" data-widget="interleaving-lab">`, is checked against the
//! tested program it plays.
//!
//! A lab has two variants, the bug and its fix, each a program (a `<script type="text/plain">`
//! that includes anchors of one listing's main.rs) run by two threads. Each thread's `steps` are
//! its calls to `lock()`, in order; a step runs from one call to the next (or to the thread's end):
//! it takes `lock` (or, while the other thread holds it, the thread waits: Blocked), does what
//! `does` says to the shared counter (`read`: v = counter, `write`: counter = v + 1, `add`:
//! counter += 1), and drops the guards of `releases`. The check:
//!
//! - every step names a line of its program whose text contains the step's `code`, a `.lock()`
//!   call;
//! - it plays every interleaving of the steps (the reader's choices) with those rules, and the
//!   outcomes they reach are exactly the variant's `outcomes`, each reached by its `schedule`;
//!   the fix reaches only the lab's `correct` outcome, and the bug some other one too;
//! - it runs the listing's program (compiled once, cached by content) with every one of those
//!   schedules (`main <run> 1,2,1,2 …`), whose turnstile forces the interleaving, and compares
//!   what each step took or waited for (the line of its `lock()` call, the lock) and the outcome
//!   printed with the model's.
//!
//! Each problem names the chapter line of the value at fault (a step, an outcome, a variant).

use crate::book::{Book, Chapter, is_include};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const DEADLOCK: &str = "deadlock: both threads blocked";
const FINISHED: &str = "both threads finished";

/// One line of a program as the widget shows it, and where it comes from (file, 1-based line).
#[derive(Debug, Clone)]
struct Line {
    text: String,
    from: Option<(PathBuf, usize)>,
}

/// The lines of a `text/plain` script, with its includes expanded as mdbook expands them (a
/// whole file, or an `ANCHOR: name` region without the anchor lines), less the blank first and
/// last lines that the `<script>` tags leave.
fn program(book: &Book, chapter: &Chapter, body: &str) -> Result<Vec<Line>, String> {
    let mut out = Vec::new();
    for raw in body.split('\n') {
        let found = crate::markdown::directives_in(raw).into_iter().find(|d| is_include(&d.name));
        let Some(d) = found.filter(|_| raw.trim().starts_with("{{#") && raw.trim().ends_with("}}")) else {
            out.push(Line { text: raw.to_string(), from: None });
            continue;
        };
        let path = book.resolve(chapter, &d.path);
        let text = std::fs::read_to_string(book.abs(&path)).map_err(|e| format!("{}: {e}", path.display()))?;
        let numbered = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let lines: Vec<(usize, &str)> = match d.selector.as_deref() {
            None => numbered.collect(),
            Some(anchor) => {
                let start = format!("ANCHOR: {anchor}");
                let end = format!("ANCHOR_END: {anchor}");
                let mut inside = false;
                let mut found = false;
                let mut v = Vec::new();
                for (n, l) in numbered {
                    if l.contains(&end) && l.trim_end().ends_with(&end) {
                        break;
                    }
                    if inside && !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:") {
                        v.push((n, l));
                    }
                    if l.trim_end().ends_with(&start) {
                        inside = true;
                        found = true;
                    }
                }
                if !found {
                    return Err(format!("{}: has no `// ANCHOR: {anchor}`", path.display()));
                }
                v
            }
        };
        out.extend(lines.into_iter().map(|(n, l)| Line { text: l.to_string(), from: Some((path.clone(), n)) }));
    }
    if out.first().is_some_and(|l| l.text.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.text.trim().is_empty()) {
        out.pop();
    }
    Ok(out)
}

#[derive(Debug, Clone)]
struct Step {
    line: usize,
    lock: String,
    does: Option<String>,
    releases: Vec<String>,
}

/// What one step of a run did: (thread 1 or 2, its program line, took the lock or waited, lock).
type Event = (usize, usize, bool, String);

/// A complete run of the model: the schedule, what each step did, the outcome.
#[derive(Debug, Clone)]
struct Run {
    schedule: Vec<usize>,
    events: Vec<Event>,
    outcome: String,
}

#[derive(Clone)]
struct Sim<'a> {
    threads: &'a [Vec<Step>],
    counter: Option<i64>,
    pos: [usize; 2],
    blocked: [Option<String>; 2],
    v: [i64; 2],
    holders: BTreeMap<String, usize>,
    run: Run,
    /// A problem with the data the replay met (a thread that ends holding a lock).
    problem: Option<String>,
}

impl<'a> Sim<'a> {
    fn new(threads: &'a [Vec<Step>], counter: Option<i64>) -> Self {
        let run = Run { schedule: vec![], events: vec![], outcome: String::new() };
        Sim { threads, counter, pos: [0; 2], blocked: [None, None], v: [0; 2], holders: BTreeMap::new(), run, problem: None }
    }

    fn can_go(&self, t: usize) -> bool {
        self.pos[t] < self.threads[t].len() && self.blocked[t].as_ref().is_none_or(|l| !self.holders.contains_key(l))
    }

    fn step(&mut self, t: usize) {
        let s = &self.threads[t][self.pos[t]];
        self.run.schedule.push(t + 1);
        if self.holders.contains_key(&s.lock) {
            self.blocked[t] = Some(s.lock.clone());
            self.run.events.push((t + 1, s.line, false, s.lock.clone()));
            return;
        }
        self.blocked[t] = None;
        self.holders.insert(s.lock.clone(), t);
        self.run.events.push((t + 1, s.line, true, s.lock.clone()));
        match (s.does.as_deref(), self.counter.as_mut()) {
            (Some("read"), Some(c)) => self.v[t] = *c,
            (Some("write"), Some(c)) => *c = self.v[t] + 1,
            (Some("add"), Some(c)) => *c += 1,
            _ => {}
        }
        for l in &s.releases {
            self.holders.remove(l);
        }
        self.pos[t] += 1;
        if self.pos[t] == self.threads[t].len() {
            let kept: Vec<&String> = self.holders.iter().filter(|(_, h)| **h == t).map(|(l, _)| l).collect();
            if !kept.is_empty() && self.problem.is_none() {
                self.problem = Some(format!(
                    "thread {} ends holding {kept:?}: its guards are dropped when it ends, so its steps' `releases` must drop them",
                    t + 1
                ));
            }
        }
    }

    /// The outcome, once no thread can take a step.
    fn outcome(&self) -> Option<String> {
        if (0..2).any(|t| self.can_go(t)) {
            return None;
        }
        Some(if (0..2).any(|t| self.pos[t] < self.threads[t].len()) {
            DEADLOCK.to_string()
        } else if let Some(c) = self.counter {
            format!("counter = {c}")
        } else {
            FINISHED.to_string()
        })
    }

    /// Plays `schedule` (thread numbers); the finished run, or what went wrong.
    fn play(mut self, schedule: &[usize]) -> Result<Run, String> {
        for (k, &t) in schedule.iter().enumerate() {
            if !(1..=2).contains(&t) || !self.can_go(t - 1) {
                return Err(format!("step {} of the schedule names thread {t}, which cannot take a step then", k + 1));
            }
            self.step(t - 1);
        }
        if let Some(p) = self.problem.take() {
            return Err(p);
        }
        let outcome = self.outcome().ok_or_else(|| "the schedule ends before the threads do".to_string())?;
        Ok(Run { outcome, ..self.run })
    }

    /// Every complete run: each choice of the thread that takes the next step.
    fn all(self, out: &mut Vec<Run>, problems: &mut BTreeSet<String>) {
        if let Some(p) = &self.problem {
            problems.insert(p.clone());
            return;
        }
        if let Some(outcome) = self.outcome() {
            out.push(Run { outcome, ..self.run });
            return;
        }
        for t in 0..2 {
            if self.can_go(t) {
                let mut next = self.clone();
                next.step(t);
                next.all(out, problems);
            }
        }
    }
}

fn schedule_text(s: &[usize]) -> String {
    s.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(",")
}

/// Problems of one lab, as (chapter line, message). `programs` are the chapter's `text/plain`
/// scripts by id.
pub(crate) fn check(book: &Book, chapter: &Chapter, d: &Value, json: &str, script_line: usize, programs: &BTreeMap<String, String>) -> Vec<(usize, String)> {
    let lines = crate::widgets::value_lines(json);
    let at = |ptr: &str| lines.get(ptr).map_or(script_line, |l| script_line + l - 1);
    let mut p: Vec<(usize, String)> = Vec::new();
    for field in ["title", "correct"] {
        if d[field].as_str().unwrap_or("").trim().is_empty() {
            p.push((script_line, format!("needs a `{field}`")));
        }
    }
    let correct = d["correct"].as_str().unwrap_or("");
    let variants = d["variants"].as_array().cloned().unwrap_or_default();
    if variants.len() != 2 {
        p.push((script_line, "needs two `variants`: the bug, then its fix".into()));
        return p;
    }
    let mut listing: Option<PathBuf> = None;
    // Per variant: its pointer, its `run` argument, its model's runs, and its program's lines.
    let mut to_run = Vec::new();
    for (k, v) in variants.iter().enumerate() {
        let vp = format!("/variants/{k}");
        let vline = at(&vp);
        for field in ["label", "run", "program"] {
            if v[field].as_str().unwrap_or("").is_empty() {
                p.push((vline, format!("variant {} needs a `{field}`", k + 1)));
            }
        }
        let id = v["program"].as_str().unwrap_or("");
        let Some(body) = programs.get(id) else {
            p.push((vline, format!("`program` names {id:?}, but there is no <script type=\"text/plain\" id=\"{id}\"> in this chapter")));
            continue;
        };
        let text = match program(book, chapter, body) {
            Ok(t) => t,
            Err(e) => {
                p.push((vline, e));
                continue;
            }
        };
        for l in text.iter().filter_map(|l| l.from.as_ref()) {
            match &listing {
                None => listing = Some(l.0.clone()),
                Some(f) if *f != l.0 => p.push((vline, format!("the lab's programs must all come from one listing, {} (not {})", f.display(), l.0.display()))),
                _ => {}
            }
        }
        let counter = v["counter"].as_i64();
        let locks: BTreeSet<String> = v["locks"].as_array().into_iter().flatten().filter_map(|l| l.as_str().map(String::from)).collect();
        if locks.is_empty() {
            p.push((vline, format!("variant {} needs its `locks` (their names)", k + 1)));
        }
        let threads = v["threads"].as_array().cloned().unwrap_or_default();
        if threads.len() != 2 {
            p.push((vline, format!("variant {} needs two `threads`", k + 1)));
            continue;
        }
        let mut steps: Vec<Vec<Step>> = Vec::new();
        let before = p.len();
        for (t, th) in threads.iter().enumerate() {
            if th["name"].as_str().unwrap_or("").is_empty() {
                p.push((at(&format!("{vp}/threads/{t}")), format!("thread {} needs a `name`", t + 1)));
            }
            let mut list = Vec::new();
            for (i, s) in th["steps"].as_array().into_iter().flatten().enumerate() {
                let sl = at(&format!("{vp}/threads/{t}/steps/{i}"));
                let what = format!("thread {}, step {}", t + 1, i + 1);
                let line = s["line"].as_u64().unwrap_or(0) as usize;
                let code = s["code"].as_str().unwrap_or("");
                if line == 0 || line > text.len() {
                    p.push((sl, format!("{what}: line {line} is outside the program {id:?} ({} lines)", text.len())));
                } else if code.is_empty() || !code.contains(".lock()") {
                    p.push((sl, format!("{what}: its `code` must be the lock() call of line {line} (it says {code:?})")));
                } else if !text[line - 1].text.contains(code) {
                    p.push((sl, format!("{what}: line {line} of {id:?} is {:?}, which does not contain {code:?}", text[line - 1].text.trim())));
                }
                let lock = s["lock"].as_str().unwrap_or("").to_string();
                if !locks.contains(&lock) {
                    p.push((sl, format!("{what}: `lock` {lock:?} is not one of the variant's locks {locks:?}")));
                }
                let releases: Vec<String> = s["releases"].as_array().into_iter().flatten().filter_map(|l| l.as_str().map(String::from)).collect();
                if let Some(bad) = releases.iter().find(|l| !locks.contains(*l)) {
                    p.push((sl, format!("{what}: releases {bad:?}, which is not one of the variant's locks")));
                }
                let does = s["does"].as_str().map(String::from);
                if let Some(x) = &does
                    && (counter.is_none() || !["read", "write", "add"].contains(&x.as_str()))
                {
                    p.push((sl, format!("{what}: `does` is {x:?}: read, write or add, in a variant with a `counter`")));
                }
                if s["note"].as_str().unwrap_or("").is_empty() {
                    p.push((sl, format!("{what}: needs a `note` (what the step does, shown to the reader)")));
                }
                list.push(Step { line, lock, does, releases });
            }
            if list.is_empty() {
                p.push((at(&format!("{vp}/threads/{t}")), format!("thread {} has no `steps`", t + 1)));
            }
            steps.push(list);
        }
        if p.len() > before {
            continue;
        }
        // Every interleaving the reader can choose.
        let mut runs = Vec::new();
        let mut problems = BTreeSet::new();
        Sim::new(&steps, counter).all(&mut runs, &mut problems);
        for e in problems {
            p.push((vline, e));
        }
        let reachable: BTreeSet<String> = runs.iter().map(|r| r.outcome.clone()).collect();
        let mut claimed = BTreeSet::new();
        for (j, o) in v["outcomes"].as_array().into_iter().flatten().enumerate() {
            let ol = at(&format!("{vp}/outcomes/{j}"));
            let result = o["result"].as_str().unwrap_or("").to_string();
            let schedule: Vec<usize> = o["schedule"].as_array().into_iter().flatten().map(|t| t.as_u64().unwrap_or(0) as usize).collect();
            match Sim::new(&steps, counter).play(&schedule) {
                Err(e) => p.push((ol, format!("outcome {result:?}: schedule {}: {e}", schedule_text(&schedule)))),
                Ok(r) if r.outcome != result => p.push((ol, format!(
                    "outcome {result:?}: the program cannot produce it with schedule {}, which ends with {:?}",
                    schedule_text(&schedule),
                    r.outcome
                ))),
                Ok(_) => {}
            }
            if !reachable.contains(&result) {
                p.push((ol, format!("outcome {result:?}: no interleaving of the program produces it (they produce {reachable:?})")));
            }
            claimed.insert(result);
        }
        for missing in reachable.difference(&claimed) {
            let r = runs.iter().find(|r| &r.outcome == missing).unwrap();
            p.push((vline, format!(
                "variant {}: the schedule {} reaches {missing:?}, which its `outcomes` do not list",
                k + 1,
                schedule_text(&r.schedule)
            )));
        }
        if k == 1 && reachable.iter().any(|o| o != correct) {
            p.push((vline, format!("the fix still reaches {:?}: its only outcome must be the lab's `correct` one, {correct:?}", reachable.iter().find(|o| *o != correct).unwrap())));
        }
        if k == 0 && !reachable.iter().any(|o| o != correct) {
            p.push((vline, format!("the bug reaches only {correct:?}: it shows no bug")));
        }
        to_run.push((k, vline, v["run"].as_str().unwrap_or("").to_string(), runs, text));
    }
    if !p.is_empty() || to_run.is_empty() {
        return p;
    }
    let Some(source) = listing else {
        p.push((script_line, "the lab's programs include no listing".into()));
        return p;
    };
    let binary = match compile(book, &source) {
        Ok(b) => b,
        Err(e) => {
            p.push((script_line, e));
            return p;
        }
    };
    for (k, vline, arg, runs, text) in to_run {
        match real_runs(book, &binary, &source, &arg, &runs) {
            Err(e) => p.push((vline, format!("variant {} ({} {arg}): {e}", k + 1, source.display()))),
            Ok(real) => {
                for (model, got) in runs.iter().zip(real) {
                    let expected: Vec<String> = model
                        .events
                        .iter()
                        .map(|(t, line, took, lock)| {
                            let file_line = text[line - 1].from.as_ref().map_or(0, |f| f.1);
                            format!("thread {t}, line {file_line}: {} {lock}", if *took { "takes" } else { "waits for" })
                        })
                        .collect();
                    let sched = schedule_text(&model.schedule);
                    if got.events != expected {
                        p.push((vline, format!(
                            "variant {}: with schedule {sched}, {} {arg} takes its steps as {:?}, but the lab's steps say {:?} (lines of {})",
                            k + 1,
                            source.display(),
                            got.events,
                            expected,
                            source.display()
                        )));
                    } else if got.schedule != sched || got.outcome != model.outcome {
                        p.push((vline, format!(
                            "variant {}: the lab says schedule {sched} ends with {:?}, but the program, run with it, prints schedule {} and {:?}",
                            k + 1,
                            model.outcome,
                            got.schedule,
                            got.outcome
                        )));
                    }
                }
            }
        }
    }
    p
}

/// What the program printed for one schedule.
#[derive(Debug)]
struct Real {
    events: Vec<String>,
    schedule: String,
    outcome: String,
}

fn real_runs(book: &Book, binary: &Path, source: &Path, arg: &str, runs: &[Run]) -> Result<Vec<Real>, String> {
    let mut cmd = Command::new(binary);
    cmd.arg(arg).args(runs.iter().map(|r| schedule_text(&r.schedule))).current_dir(book.abs(source.parent().unwrap()));
    let out = crate::process::run_bounded(&mut cmd, Duration::from_secs(20)).map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if out.code() != Some(0) {
        return Err(format!("the program {}: {}", out.describe_status(), out.stderr.trim()));
    }
    let mut real: Vec<Real> = Vec::new();
    for l in out.stdout.lines() {
        if l.starts_with("run: ") {
            real.push(Real { events: vec![], schedule: String::new(), outcome: String::new() });
        } else if let Some(r) = real.last_mut() {
            if let Some(s) = l.strip_prefix("schedule: ") {
                r.schedule = s.to_string();
            } else if let Some(o) = l.strip_prefix("outcome: ") {
                r.outcome = o.to_string();
            } else if l.starts_with("thread ") {
                // "thread 2, line 41: waits for a (thread 1 holds it)": the part the model predicts.
                r.events.push(l.split(" (").next().unwrap_or(l).to_string());
            }
        }
    }
    if real.len() != runs.len() {
        return Err(format!("ran {} schedules but printed {} runs:\n{}", runs.len(), real.len(), out.stdout));
    }
    Ok(real)
}

/// The listing's program built as a plain rustc binary (std only, the book's edition), cached by
/// content in the harness's listing cache.
fn compile(book: &Book, source: &Path) -> Result<PathBuf, String> {
    use std::hash::{Hash, Hasher};
    let code = std::fs::read(book.abs(source)).map_err(|e| format!("{}: {e}", source.display()))?;
    let mut h = std::hash::DefaultHasher::new();
    ("interleaving-lab", crate::verify::rustc_version(), &book.edition, &code).hash(&mut h);
    let dir = crate::verify::deps_dir().parent().unwrap().join("listing-cache").join(format!("lab-{:016x}", h.finish()));
    let exe = dir.join("main");
    if exe.is_file() {
        return Ok(exe);
    }
    let tmp = dir.with_extension(format!("tmp-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let mut cmd = Command::new("rustc");
    cmd.args(["--edition", &book.edition, "--crate-name", "main", "-o"]).arg(tmp.join("main")).arg(book.abs(source));
    let out = crate::process::run_bounded(&mut cmd, Duration::from_secs(120)).map_err(|e| format!("cannot run rustc: {e}"))?;
    if out.code() != Some(0) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(format!("{}: does not compile:\n{}", source.display(), out.stderr));
    }
    if std::fs::rename(&tmp, &dir).is_err() {
        let _ = std::fs::remove_dir_all(&tmp); // another test built it first
    }
    Ok(exe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(line: usize, lock: &str, does: Option<&str>, releases: &[&str]) -> Step {
        Step { line, lock: lock.into(), does: does.map(String::from), releases: releases.iter().map(|s| s.to_string()).collect() }
    }

    fn outcomes(threads: &[Vec<Step>], counter: Option<i64>) -> BTreeSet<String> {
        let mut runs = Vec::new();
        Sim::new(threads, counter).all(&mut runs, &mut BTreeSet::new());
        runs.into_iter().map(|r| r.outcome).collect()
    }

    #[test]
    fn the_lost_update_and_its_fix() {
        let racy = vec![step(2, "counter", Some("read"), &["counter"]), step(3, "counter", Some("write"), &["counter"])];
        let t = vec![racy.clone(), racy];
        assert_eq!(outcomes(&t, Some(0)), ["counter = 1", "counter = 2"].map(String::from).into());
        let fixed = vec![step(2, "counter", Some("add"), &["counter"])];
        assert_eq!(outcomes(&[fixed.clone(), fixed], Some(0)), ["counter = 2".to_string()].into());
        let r = Sim::new(&t, Some(0)).play(&[1, 2, 1, 2]).unwrap();
        assert_eq!(r.outcome, "counter = 1");
        assert!(Sim::new(&t, Some(0)).play(&[1, 2, 1]).unwrap_err().contains("ends before the threads do"));
    }

    #[test]
    fn abba_deadlocks_and_one_lock_order_does_not() {
        let t1 = vec![step(2, "a", None, &[]), step(3, "b", None, &["b", "a"])];
        let t2 = vec![step(9, "b", None, &[]), step(10, "a", None, &["a", "b"])];
        let t = vec![t1.clone(), t2];
        assert_eq!(outcomes(&t, None), [DEADLOCK, FINISHED].map(String::from).into());
        let r = Sim::new(&t, None).play(&[1, 2, 1, 2]).unwrap();
        assert_eq!(r.outcome, DEADLOCK);
        assert_eq!(r.events[3], (2, 10, false, "a".to_string()));
        // A blocked thread cannot be scheduled until its lock is free.
        assert!(Sim::new(&t, None).play(&[1, 2, 1, 1]).unwrap_err().contains("step 4 of the schedule names thread 1"));
        let t = vec![t1.clone(), t1];
        assert_eq!(outcomes(&t, None), [FINISHED.to_string()].into());
        assert!(Sim::new(&t, None).play(&[1, 2, 1, 2, 2]).is_ok());
    }

    #[test]
    fn a_thread_that_ends_holding_a_lock_is_rejected() {
        let t = vec![vec![step(2, "a", None, &[])], vec![step(3, "b", None, &["b"])]];
        let mut problems = BTreeSet::new();
        Sim::new(&t, None).all(&mut Vec::new(), &mut problems);
        assert!(problems.iter().any(|p| p.contains("thread 1 ends holding [\"a\"]")), "{problems:?}");
    }
}

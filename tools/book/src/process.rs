//! Running programs with a bound: nothing the harness starts can hang the suite.

use std::io::Read;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// What a bounded run saw.
#[derive(Debug)]
pub struct Outcome {
    /// `None` when the program was still running at the bound and was killed.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
    /// At the bound, whether every thread of the program was asleep in the kernel (blocked on a
    /// lock, a join, a channel…) rather than running. `None` if it had already exited.
    pub blocked_at_bound: Option<bool>,
    /// Stopped early because every thread had been blocked, using no CPU time, for the run's
    /// stall limit (see `run_watched`): a deadlock, long before the wall-clock bound.
    pub stalled: bool,
    pub elapsed: Duration,
    /// The CPU time the program used (user + system, all its threads and the children it waited
    /// for), as last sampled before it ended: what a run costs, whatever else the machine is doing.
    pub cpu: Duration,
}

impl Outcome {
    pub fn timed_out(&self) -> bool {
        self.status.is_none()
    }

    /// The exit status, if it exited.
    pub fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }

    /// The signal that ended it, if one did (the bound's kill counts: see `timed_out`).
    pub fn signal(&self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        self.status.and_then(|s| s.signal())
    }

    /// The outcome as JSON, to cache the result of a deterministic run (Miri's).
    pub fn to_json(&self) -> String {
        use std::os::unix::process::ExitStatusExt;
        serde_json::json!({
            "wait_status": self.status.map(|s| s.into_raw()),
            "stdout": self.stdout,
            "stderr": self.stderr,
            "blocked_at_bound": self.blocked_at_bound,
            "stalled": self.stalled,
            "elapsed_ms": self.elapsed.as_millis() as u64,
            "cpu_ms": self.cpu.as_millis() as u64,
        })
        .to_string()
    }

    pub fn from_json(text: &str) -> Option<Outcome> {
        use std::os::unix::process::ExitStatusExt;
        let v: serde_json::Value = serde_json::from_str(text).ok()?;
        Some(Outcome {
            status: v.get("wait_status")?.as_i64().map(|raw| ExitStatus::from_raw(raw as i32)),
            stdout: v.get("stdout")?.as_str()?.to_string(),
            stderr: v.get("stderr")?.as_str()?.to_string(),
            blocked_at_bound: v.get("blocked_at_bound").and_then(|b| b.as_bool()),
            stalled: v.get("stalled").and_then(|b| b.as_bool()).unwrap_or(false),
            elapsed: Duration::from_millis(v.get("elapsed_ms")?.as_u64()?),
            cpu: Duration::from_millis(v.get("cpu_ms").and_then(|c| c.as_u64()).unwrap_or(0)),
        })
    }

    /// `exit status 101`, `killed by signal 6`…
    pub fn describe_status(&self) -> String {
        use std::os::unix::process::ExitStatusExt;
        match self.status {
            None => "still running (killed at the bound)".into(),
            Some(s) => match (s.code(), s.signal()) {
                (Some(c), _) => format!("exit status {c}"),
                (None, Some(sig)) => format!("killed by signal {sig}"),
                _ => format!("{s}"),
            },
        }
    }
}

fn drain(mut r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = r.read_to_end(&mut buf);
        let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
    });
    rx
}

/// Runs `cmd` with no stdin, capturing its output. If it is still running after `bound`, it is
/// inspected (blocked or running?) and killed.
pub fn run_bounded(cmd: &mut Command, bound: Duration) -> std::io::Result<Outcome> {
    run_watched(cmd, bound, None)
}

/// `run_bounded`, and with `stall`, also stopped (as `stalled`) as soon as every thread of the
/// program has been blocked, with its CPU time unchanged, for that long: a program that should
/// finish but waits for ever (a deadlock, a receive loop whose senders are not all dropped)
/// fails in seconds instead of at the wall-clock bound. A thread that is ready but waits for a
/// core on a loaded machine is in state R, not blocked, so load never makes a run stall.
pub fn run_watched(cmd: &mut Command, bound: Duration, stall: Option<Duration>) -> std::io::Result<Outcome> {
    let start = Instant::now();
    let mut last_progress = (Duration::ZERO, Instant::now());
    let mut stalled = false;
    let mut child: Child =
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let out = drain(child.stdout.take().expect("piped"));
    let err = drain(child.stderr.take().expect("piped"));
    let mut status = None;
    let mut blocked_at_bound = None;
    let mut cpu = Duration::ZERO;
    loop {
        // Sampled before each try_wait: a program that has exited but is not yet reaped still
        // has its /proc entry, with its final times.
        cpu = cpu_time(child.id()).unwrap_or(cpu);
        if let Some(s) = child.try_wait()? {
            status = Some(s);
            break;
        }
        if start.elapsed() >= bound {
            // A program still starting up on a loaded machine gets as long again to block.
            blocked_at_bound = Some(blocked_within(child.id(), bound));
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        if cpu != last_progress.0 {
            last_progress = (cpu, Instant::now());
        }
        if stall.is_some_and(|limit| last_progress.1.elapsed() >= limit) {
            if all_threads_blocked(child.id()) {
                stalled = true;
                blocked_at_bound = Some(true);
                let _ = child.kill();
                let _ = child.wait();
                break;
            }
            last_progress.1 = Instant::now();
        }
        thread::sleep(Duration::from_millis(2));
    }
    let elapsed = start.elapsed();
    // The pipes close when the program (and anything it started that kept them) is gone.
    let stdout = out.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    let stderr = err.recv_timeout(Duration::from_secs(10)).unwrap_or_default();
    Ok(Outcome { status, stdout, stderr, blocked_at_bound, stalled, elapsed, cpu })
}

/// Linux: utime + stime + cutime + cstime of `pid` (fields 14–17 of /proc/<pid>/stat), in the
/// kernel's USER_HZ clock ticks, which are 1/100 s on every Linux architecture.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the parenthesised command name start with field 3 (the state).
    let fields: Vec<&str> = stat.rsplit_once(") ")?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11..15)?.iter().map(|f| f.parse::<u64>().unwrap_or(0)).sum();
    Some(Duration::from_millis(ticks * 10))
}

/// Whether every thread of `pid` is blocked, or becomes so within `grace`.
fn blocked_within(pid: u32, grace: Duration) -> bool {
    let start = Instant::now();
    loop {
        if all_threads_blocked(pid) {
            return true;
        }
        if start.elapsed() >= grace {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Linux: true if, in three samples 20 ms apart, no thread of `pid` is in state R (running).
/// A deadlocked program sleeps in futex waits; a livelocked or spinning one shows R.
fn all_threads_blocked(pid: u32) -> bool {
    for _ in 0..3 {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return false };
        for task in tasks.flatten() {
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
            // The state is the first field after the parenthesised command name.
            let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
            if state == Some('R') {
                return false;
            }
        }
        thread::sleep(Duration::from_millis(20));
    }
    true
}

/// A guard that ends the whole process, naming `location`, if it lives longer than `limit`.
/// Used around skeptic's snippet runs, which have no bound of their own.
pub struct Watchdog {
    done: mpsc::Sender<()>,
}

impl Watchdog {
    pub fn arm(location: &'static str, limit: Duration) -> Watchdog {
        let (done, rx) = mpsc::channel::<()>();
        thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(limit) {
                eprintln!(
                    "\n{location}: this code block was still compiling or running after {} s.\n\
                     If it blocks on purpose, move it to listings/ as expect = \"hang\" \
                     (see CONTRIBUTING.md); otherwise find out why it does not finish.",
                    limit.as_secs()
                );
                std::process::exit(101);
            }
        });
        Watchdog { done }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        let _ = self.done.send(());
    }
}

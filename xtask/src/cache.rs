//! A stage's result, kept by content, as cargo keeps builds: a stage that passed is not run again
//! while every file it reads, and the compiler, are unchanged. The key lives in
//! target/test-cache/ (a clean checkout has none); in CI (`CI` set) and with BOOK_NO_CACHE=1
//! every stage runs. (The browser tests keep theirs per page: tests/browser/cache.mjs.)

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub struct ResultCache {
    file: PathBuf,
    key: String,
    enabled: bool,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)
        } else {
            out.push(p)
        }
    }
}

impl ResultCache {
    /// The key of `stage`: the rustc version, the contents of every file under `trees` (paths
    /// relative to the root), and the name, size and modification time of every file under
    /// `built` (rlibs: large, and rewritten only when rebuilt).
    pub fn new(root: &Path, stage: &str, trees: &[&str], built: &[&Path]) -> Result<ResultCache, String> {
        let mut h = std::hash::DefaultHasher::new();
        concurrency_book::verify::rustc_version().hash(&mut h);
        for tree in trees {
            let mut files = Vec::new();
            let at = root.join(tree);
            if at.is_file() {
                files.push(at)
            } else {
                walk(&at, &mut files)
            }
            for f in files {
                f.strip_prefix(root).unwrap_or(&f).hash(&mut h);
                std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?.hash(&mut h);
            }
        }
        for dir in built {
            let mut files = Vec::new();
            walk(dir, &mut files);
            for f in files {
                let m = std::fs::metadata(&f).map_err(|e| format!("{}: {e}", f.display()))?;
                (f.file_name(), m.len(), m.modified().ok()).hash(&mut h);
            }
        }
        Ok(ResultCache {
            file: root.join("target/test-cache").join(stage),
            key: format!("{:016x}\n", h.finish()),
            enabled: enabled(),
        })
    }

    pub fn passed_before(&self) -> bool {
        self.enabled && std::fs::read_to_string(&self.file).is_ok_and(|k| k == self.key)
    }

    /// Also when results are not reused (CI, BOOK_NO_CACHE): a run that checked everything may
    /// let the next one skip.
    pub fn record_pass(&self) {
        {
            let written = std::fs::create_dir_all(self.file.parent().unwrap()).and_then(|_| std::fs::write(&self.file, &self.key));
            if let Err(e) = written {
                // Not a failure of the run: the stage only runs again next time.
                eprintln!("xtask: cannot keep this result ({}: {e}); it will run again", self.file.display());
            }
        }
    }
}

/// Results are reused unless in CI or with BOOK_NO_CACHE set.
pub fn enabled() -> bool {
    std::env::var_os("CI").is_none() && std::env::var_os("BOOK_NO_CACHE").is_none()
}

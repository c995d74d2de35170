//! Facts about the repository around the book, each read from the one file that states it with
//! toml/serde: the pinned toolchain (rust-toolchain.toml), the pinned mdBook tools (tools.toml),
//! the facade crate's third-party crates (listings/deps/Cargo.toml) and the exercises'
//! package names (exercises/*/Cargo.toml).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// rust-toolchain.toml's `[toolchain] channel`.
pub fn toolchain_channel(root: &Path) -> Result<String, String> {
    #[derive(Deserialize)]
    struct File {
        toolchain: Toolchain,
    }
    #[derive(Deserialize)]
    struct Toolchain {
        channel: String,
    }
    read_toml::<File>(&root.join("rust-toolchain.toml")).map(|f| f.toolchain.channel)
}

/// A tool installed with `cargo install --locked` at a pinned version.
#[derive(Debug, Clone, Deserialize)]
pub struct Tool {
    pub version: String,
}

/// tools.toml: `[tools] mdbook = { version = "0.5.4" }` …, by name.
pub fn pinned_tools(root: &Path) -> Result<Vec<(String, Tool)>, String> {
    #[derive(Deserialize)]
    struct File {
        tools: toml::Table,
    }
    let path = root.join("tools.toml");
    let file: File = read_toml(&path)?;
    file.tools
        .into_iter()
        .map(|(name, v)| {
            let tool: Tool = v.try_into().map_err(|e| format!("{}: [tools] {name}: {e}", path.display()))?;
            Ok((name, tool))
        })
        .collect()
}

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
}

/// The crates listings may use: the `[dependencies]` of listings/deps/Cargo.toml, as Rust names
/// (`-` becomes `_`).
pub fn facade_crates(root: &Path) -> Result<Vec<String>, String> {
    let m: Manifest = read_toml(&root.join("listings/deps/Cargo.toml"))?;
    Ok(m.dependencies.keys().map(|k| k.replace('-', "_")).collect())
}

/// The package name of each exercise (exercises/*/Cargo.toml), with its folder.
pub fn exercise_packages(root: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("exercises"))
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.join("Cargo.toml").is_file()).collect())
        .unwrap_or_default();
    dirs.sort();
    for dir in dirs {
        let path = dir.join("Cargo.toml");
        let m: Manifest = read_toml(&path)?;
        let name = m.package.ok_or_else(|| format!("{}: no [package]", path.display()))?.name;
        out.push((name, dir));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_repository_files() {
        let root = crate::book::Book::root_dir();
        assert!(toolchain_channel(&root).unwrap().starts_with("1."));
        let tools = pinned_tools(&root).unwrap();
        assert!(tools.iter().any(|(n, t)| n == "mdbook" && !t.version.is_empty()), "{tools:?}");
        assert!(facade_crates(&root).unwrap().contains(&"rayon".to_string()));
        assert!(!exercise_packages(&root).unwrap().is_empty());
    }
}

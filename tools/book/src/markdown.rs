//! Fenced code blocks and mdbook directives of a markdown file, with their line numbers.
//!
//! Standard library only: `build.rs` includes this file too (to feed skeptic).

/// A fenced code block (```` ``` ```` or `~~~`).
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The info string after the fence, trimmed.
    pub info: String,
    /// The lines between the fences, with the fence's own indentation removed.
    pub body: Vec<String>,
    /// False when the file ends before the closing fence.
    pub closed: bool,
}

impl CodeBlock {
    /// The info string's tokens, split as rustdoc and skeptic split them.
    pub fn tokens(&self) -> Vec<&str> {
        info_tokens(&self.info)
    }

    pub fn has_token(&self, token: &str) -> bool {
        self.tokens().contains(&token)
    }

    /// Whether rustdoc (and so `mdbook test`) treats this block as Rust.
    pub fn is_rust(&self) -> bool {
        is_rust_info(&self.info)
    }

    /// The mdbook directives (`{{#include …}}` and friends) in the body, with their 1-based lines.
    pub fn directives(&self) -> Vec<Directive> {
        let mut out = Vec::new();
        for (i, text) in self.body.iter().enumerate() {
            for mut d in directives_in(text) {
                d.line = self.line + 1 + i;
                out.push(d);
            }
        }
        out
    }
}

/// An mdbook directive such as `{{#rustdoc_include ../listings/x/main.rs:here}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Directive {
    /// `include`, `rustdoc_include`, `quiz`, `playground`, …
    pub name: String,
    /// The path, without any `:anchor` or `:start:end` selector.
    pub path: String,
    /// What follows the path's first `:`, if anything.
    pub selector: Option<String>,
    /// 1-based line in the markdown file.
    pub line: usize,
}

const RUSTDOC_ATTRIBUTES: &[&str] = &[
    "ignore",
    "no_run",
    "should_panic",
    "compile_fail",
    "test_harness",
    "standalone_crate",
];

pub fn info_tokens(info: &str) -> Vec<&str> {
    info.split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// rustdoc error-code attribute, such as `E0499`.
pub fn is_error_code(token: &str) -> bool {
    token.len() == 5 && token.starts_with('E') && token[1..].chars().all(|c| c.is_ascii_digit())
}

/// rustdoc's rule: a block is Rust if its info string is empty, or names `rust`, or consists only
/// of rustdoc's own attributes.
pub fn is_rust_info(info: &str) -> bool {
    let mut seen_rust = false;
    let mut seen_other = false;
    for token in info_tokens(info) {
        if token == "rust"
            || RUSTDOC_ATTRIBUTES.contains(&token)
            || is_error_code(token)
            || token.starts_with("edition")
        {
            seen_rust = true;
        } else {
            seen_other = true;
        }
    }
    !seen_other || seen_rust
}

/// All fenced code blocks of a markdown text.
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<(CodeBlock, String, usize)> = None; // block, fence, indentation
    for (i, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        match open.take() {
            None => {
                if let Some(fence) = fence_of(trimmed) {
                    let info = trimmed[fence.len()..].trim().to_string();
                    // A backtick fence's info string may not contain backticks (inline code).
                    if fence.starts_with('`') && info.contains('`') {
                        continue;
                    }
                    let block = CodeBlock { line: i + 1, info, body: Vec::new(), closed: false };
                    open = Some((block, fence, indent));
                }
            }
            Some((mut block, fence, fence_indent)) => {
                let closing = fence_of(trimmed)
                    .is_some_and(|f| f.starts_with(&fence[..1]) && f.len() >= fence.len())
                    && trimmed.trim_end().chars().all(|c| c == fence.as_bytes()[0] as char);
                if closing {
                    block.closed = true;
                    blocks.push(block);
                } else {
                    let strip = indent.min(fence_indent);
                    block.body.push(line[strip..].to_string());
                    open = Some((block, fence, fence_indent));
                }
            }
        }
    }
    if let Some((block, _, _)) = open {
        blocks.push(block);
    }
    blocks
}

fn fence_of(trimmed: &str) -> Option<String> {
    for c in ['`', '~'] {
        let n = trimmed.chars().take_while(|&x| x == c).count();
        if n >= 3 {
            return Some(c.to_string().repeat(n));
        }
    }
    None
}

/// The mdbook directives in one line of text.
pub fn directives_in(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#") {
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else { break };
        let inner = after[..end].trim();
        let (name, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        let (path, selector) = match arg.split_once(':') {
            Some((p, s)) => (p.to_string(), Some(s.to_string())),
            None => (arg.to_string(), None),
        };
        out.push(Directive { name: name.to_string(), path, selector, line: 0 });
        rest = &after[end + 2..];
    }
    out
}

/// The directives of a whole markdown text, outside and inside code blocks, with their lines.
pub fn all_directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for mut d in directives_in(line) {
            d.line = i + 1;
            out.push(d);
        }
    }
    out
}

/// Whether `source` (a program) defines `fn main`, as rustdoc decides whether to wrap a snippet.
pub fn has_main(source: &str) -> bool {
    source.lines().any(|l| {
        let l = l.trim_start();
        let l = l.strip_prefix("# ").unwrap_or(l);
        l.starts_with("fn main(") || l.starts_with("fn main (") || l.contains(" fn main(")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_and_lines() {
        let text = "# Title\n\n```rust,no_run\nfn main() {}\n```\n\ntext\n\n````text\n```\ninner\n```\n````\n";
        let blocks = code_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].line, 3);
        assert!(blocks[0].has_token("no_run"));
        assert_eq!(blocks[1].body, vec!["```", "inner", "```"]);
        assert!(!blocks[1].is_rust());
    }

    #[test]
    fn rustdoc_language_rules() {
        assert!(is_rust_info(""));
        assert!(is_rust_info("rust"));
        assert!(is_rust_info("compile_fail,E0499"));
        assert!(is_rust_info("no_run"));
        assert!(!is_rust_info("text"));
        assert!(!is_rust_info("cpp"));
        assert!(is_rust_info("rust,unknown_word"));
    }

    #[test]
    fn parses_directives() {
        let d = directives_in("{{#rustdoc_include ../listings/a/b/main.rs:here}} and {{#quiz ../q.toml}}");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].name, "rustdoc_include");
        assert_eq!(d[0].path, "../listings/a/b/main.rs");
        assert_eq!(d[0].selector.as_deref(), Some("here"));
        assert_eq!(d[1].name, "quiz");
        assert_eq!(d[1].selector, None);
    }
}

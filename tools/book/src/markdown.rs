//! Code blocks, HTML comments and mdbook directives of a markdown file, with their lines: the
//! one reading of a chapter that the harness, the skeptic feed (build.rs), the book's
//! preprocessor and the diagram pipeline share. Parsed with pulldown-cmark, as mdbook parses
//! chapters.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A fenced code block (```` ``` ```` or `~~~`).
#[derive(Debug, Clone)]
pub struct CodeBlock {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The info string after the fence, trimmed.
    pub info: String,
    /// The lines between the fences, with the fence's own indentation removed.
    pub body: Vec<String>,
    /// False when the file (or the list item or block quote holding it) ends before the
    /// closing fence.
    pub closed: bool,
    /// False for an indented code block (four spaces), which has no fence and no info string.
    pub fenced: bool,
    /// Byte range of the whole block in the file, fences included.
    pub range: Range<usize>,
    /// The reason given by an `<!-- illustration: … -->` comment right before the block (only
    /// blank lines between): the author's visible statement that the block is not program
    /// output, although it looks like some (see [`illustration_reason`]).
    pub illustration: Option<String>,
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
    /// Byte offset of `{{#` in its line.
    pub column: usize,
    /// Where it is: in a code block, an HTML comment, or prose.
    pub place: Place,
}

/// Where a directive sits. mdbook expands directives everywhere, but one in an HTML comment
/// shows the reader nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Place {
    /// In the code block with this index in [`Document::blocks`].
    Code(usize),
    Comment,
    #[default]
    Prose,
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

/// The options mdbook 0.5's HTML renderer parses chapters with by default (mdbook-markdown's
/// `new_cmark_parser` with smart punctuation, definition lists and admonitions on), so that the
/// harness sees the same blocks as the reader's page.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
}

/// Every code block of a markdown text, as CommonMark (pulldown-cmark, the parser mdbook uses)
/// reads it: fenced with ```` ``` ```` or `~~~`, at any indentation, inside list items and block
/// quotes, and indented code blocks too (whose info string is empty).
pub fn code_blocks(text: &str) -> Vec<CodeBlock> {
    Document::parse(text).blocks
}

/// 1-based line of a byte offset.
fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts.partition_point(|&s| s <= offset)
}

/// A parsed chapter: its code blocks, its HTML comments, and its mdbook directives, each with
/// where it is.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub blocks: Vec<CodeBlock>,
    /// Byte ranges of HTML comments (`<!-- … -->`) outside code.
    pub comments: Vec<Range<usize>>,
    /// Every directive of the text, wherever it is (mdbook expands them all, except escaped ones).
    pub directives: Vec<Directive>,
}

impl Document {
    pub fn parse(text: &str) -> Document {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut blocks = Vec::new();
        // Code spans and blocks: `<!--` inside them does not open a comment.
        let mut code_ranges: Vec<Range<usize>> = Vec::new();
        let mut open: Option<(CodeBlock, String, Range<usize>)> = None;
        for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (info, fenced) = match kind {
                        CodeBlockKind::Fenced(info) => (info.trim().to_string(), true),
                        CodeBlockKind::Indented => (String::new(), false),
                    };
                    let line = line_of(&line_starts, range.start);
                    let block = CodeBlock { line, info, body: Vec::new(), closed: true, fenced, range: range.clone(), illustration: None };
                    open = Some((block, String::new(), range));
                }
                Event::Text(t) if open.is_some() => open.as_mut().unwrap().1.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((mut block, body, range)) = open.take() {
                        block.body = body.lines().map(String::from).collect();
                        if block.fenced {
                            block.closed = closes(text, &range, block.body.len());
                            // An unclosed fence runs to the end of its container: it has no
                            // closing line, so its last source line is body.
                        }
                        code_ranges.push(range);
                        blocks.push(block);
                    }
                }
                Event::Code(_) => code_ranges.push(range),
                _ => {}
            }
        }
        let in_code = |i: usize| code_ranges.iter().any(|r| r.contains(&i));
        let mut comments = Vec::new();
        let mut from = 0;
        while let Some(pos) = text[from..].find("<!--") {
            let start = from + pos;
            if in_code(start) {
                from = start + 4;
                continue;
            }
            let end = text[start + 4..].find("-->").map_or(text.len(), |e| start + 4 + e + 3);
            comments.push(start..end);
            from = end;
        }
        // A block right after an `<!-- illustration: … -->` comment carries its reason.
        for block in &mut blocks {
            let before = &text[..block.range.start];
            let Some(c) = comments.iter().rev().find(|c| c.end <= block.range.start) else { continue };
            if before[c.end..].chars().all(|ch| ch.is_whitespace() || ch == '>') {
                block.illustration = illustration_reason(&text[c.clone()]);
            }
        }
        let mut directives = Vec::new();
        for (i, line_text) in text.split('\n').enumerate() {
            let line_start = line_starts[i];
            for mut d in directives_in(line_text) {
                d.line = i + 1;
                let at = line_start + d.column;
                d.place = if let Some(b) = blocks.iter().position(|b: &CodeBlock| b.range.contains(&at)) {
                    Place::Code(b)
                } else if comments.iter().any(|c| c.contains(&at)) {
                    Place::Comment
                } else {
                    Place::Prose
                };
                directives.push(d);
            }
        }
        Document { blocks, comments, directives }
    }

    /// The code block a directive is in, if any.
    pub fn block_of(&self, d: &Directive) -> Option<&CodeBlock> {
        match d.place {
            Place::Code(i) => self.blocks.get(i),
            _ => None,
        }
    }
}

/// Whether the fenced block at `range` ends with a closing fence (CommonMark closes an unclosed
/// fence at the end of its container or of the document, silently).
fn closes(text: &str, range: &Range<usize>, body_lines: usize) -> bool {
    let src = &text[range.clone()];
    let lines: Vec<&str> = src.trim_end_matches('\n').split('\n').collect();
    if lines.len() < body_lines + 2 {
        return false;
    }
    // The last line, without block-quote markers and indentation, is a run of fence characters.
    let last = lines[lines.len() - 1].trim_start_matches(|c: char| c == '>' || c.is_whitespace()).trim_end();
    let first = lines[0].trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let (Some(open), Some(close)) = (fence_of(first), fence_of(last)) else { return false };
    close.starts_with(&open[..1]) && close.len() >= open.len() && last.chars().all(|c| c == open.as_bytes()[0] as char)
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
        let column = text.len() - rest.len() + start;
        rest = &after[end + 2..];
        // `\{{#include …}}` is mdbook's escape: shown as written, not expanded.
        if text[..column].ends_with('\\') {
            continue;
        }
        out.push(Directive { name: name.to_string(), path, selector, line: 0, column, place: Place::Prose });
    }
    out
}

/// The directives of a whole markdown text, outside and inside code blocks, with their lines.
pub fn all_directives(text: &str) -> Vec<Directive> {
    Document::parse(text).directives
}

/// The escape for a block that looks like program output but is not: an HTML comment
/// `<!-- illustration: why -->` just before it, visible in the source, invisible on the page
/// (mdbook passes the comment through; the block renders as any other). Returns the reason, or
/// `None` for any other comment; the reason may be empty (the chapter check insists on one).
pub fn illustration_reason(comment: &str) -> Option<String> {
    let inner = comment.strip_prefix("<!--")?.strip_suffix("-->").unwrap_or(comment.strip_prefix("<!--")?).trim();
    let rest = inner.strip_prefix("illustration")?;
    if !(rest.is_empty() || rest.starts_with(':') || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    Some(rest.trim_start_matches(':').trim().to_string())
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

    #[test]
    fn fences_in_lists_and_block_quotes() {
        let text = "1. A step:\n\n   ```mermaid\n   flowchart TD\n     A --> B\n   ```\n\n> ```rust\n> fn main() {}\n> ```\n";
        let blocks = code_blocks(text);
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        assert_eq!((blocks[0].line, blocks[0].info.as_str()), (3, "mermaid"));
        // The list item's indentation is not part of the body.
        assert_eq!(blocks[0].body, vec!["flowchart TD", "  A --> B"]);
        assert!(blocks[0].closed);
        assert_eq!((blocks[1].line, blocks[1].info.as_str()), (8, "rust"));
        assert_eq!(blocks[1].body, vec!["fn main() {}"]);
        assert!(blocks[1].closed);
        assert!(text[blocks[0].range.clone()].starts_with("```mermaid"));
    }

    #[test]
    fn tilde_fences_and_indented_code() {
        let text = "~~~rust,no_run\nfn main() {}\n~~~\n\nProse.\n\n    let x = 1;\n";
        let blocks = code_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert!(blocks[0].has_token("no_run") && blocks[0].closed && blocks[0].fenced);
        // rustdoc compiles an indented code block as Rust: the harness must see it (unlabelled).
        assert!(!blocks[1].fenced && blocks[1].info.is_empty());
        assert_eq!(blocks[1].body, vec!["let x = 1;"]);
    }

    #[test]
    fn unclosed_fences_are_reported() {
        assert!(!code_blocks("```rust\nfn main() {}\n")[0].closed);
        // A list item ends its fence too.
        let in_list = code_blocks("- item\n\n  ```rust\n  fn main() {}\n\nnot in the item\n");
        assert!(!in_list[0].closed, "{in_list:?}");
        assert!(code_blocks("```rust\n```\n")[0].closed, "an empty block is closed");
    }

    #[test]
    fn directives_know_where_they_are() {
        let text = "Prose {{#quiz q.toml}}\n\n```rust\n{{#rustdoc_include ../listings/a/main.rs}}\n```\n\n<!--\n{{#include ../listings/b/main.rs}}\n-->\n\n`<!-- not a comment` {{#include c.txt}}\n\\{{#include escaped.rs}}\n";
        let doc = Document::parse(text);
        let places: Vec<(&str, usize, Place)> = doc.directives.iter().map(|d| (d.path.as_str(), d.line, d.place)).collect();
        assert_eq!(places, vec![
            ("q.toml", 1, Place::Prose),
            ("../listings/a/main.rs", 4, Place::Code(0)),
            ("../listings/b/main.rs", 8, Place::Comment),
            ("c.txt", 11, Place::Prose),
        ]);
        assert_eq!(doc.block_of(&doc.directives[1]).unwrap().line, 3);
    }

    #[test]
    fn an_illustration_comment_marks_the_next_block_only() {
        let text = "<!-- illustration: the format, not a run -->\n```text\nthread 'x' panicked at\n```\n\n```text\nplain\n```\n\n<!-- illustration: far away -->\n\nProse.\n\n```text\nafter prose\n```\n\n<!-- a comment -->\n```text\nother comment\n```\n\n> <!-- illustration -->\n> ```text\n> quoted\n> ```\n";
        let blocks = code_blocks(text);
        let reasons: Vec<Option<&str>> = blocks.iter().map(|b| b.illustration.as_deref()).collect();
        assert_eq!(reasons, vec![Some("the format, not a run"), None, None, None, Some("")]);
    }

    #[test]
    fn illustration_reasons() {
        assert_eq!(illustration_reason("<!-- illustration: why -->").as_deref(), Some("why"));
        assert_eq!(illustration_reason("<!--illustration:why-->").as_deref(), Some("why"));
        assert_eq!(illustration_reason("<!-- illustration -->").as_deref(), Some(""));
        assert_eq!(illustration_reason("<!-- illustrations: no -->"), None);
        assert_eq!(illustration_reason("<!-- OUTPUT: a placeholder -->"), None);
    }
}

//! Diagrams: every ```` ```mermaid ```` block of the book, the name of its pre-rendered SVGs, and
//! the HTML that shows them. One place computes each of these facts; the book's preprocessor
//! (tools/mdbook-book), `cargo xtask diagrams` (which has Chromium render the missing SVGs) and
//! the chapter check all call it.
//!
//! A diagram's SVGs are `src/diagrams/<name>-light.svg` and `<name>-dark.svg`, where `<name>` is
//! the FNV-1a (64-bit) hash of [`RENDER`] followed by the block's text. Editing a diagram changes
//! its name, so a committed SVG is current exactly when it exists.

use crate::book::Book;
use crate::markdown::CodeBlock;
use regex::Regex;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Part of every diagram's name: change it when the way diagrams are rendered changes
/// (tests/browser/diagrams.mjs), and every diagram is rendered anew.
pub const RENDER: &str = "svg-text-labels-1\n";

/// Where pre-rendered diagrams live, relative to the book's root.
pub const DIR: &str = "src/diagrams";

/// The two themes a diagram is rendered for: (file suffix, mermaid theme).
pub const THEMES: [(&str, &str); 2] = [("light", "default"), ("dark", "dark")];

/// One ```mermaid block of a chapter.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagram {
    /// `src/ch01-05-choosing-a-model.md:77`.
    #[serde(rename = "where")]
    pub location: String,
    /// The block's text, as mermaid gets it.
    pub source: String,
    /// The SVGs' base name.
    pub name: String,
}

impl Diagram {
    pub fn of_block(location: String, block: &CodeBlock) -> Diagram {
        let source = block.body.join("\n");
        Diagram { location, name: name_of(&source), source }
    }

    /// `src/diagrams/<name>-<theme>.svg`, relative to the book's root.
    pub fn svg(&self, theme: &str) -> PathBuf {
        Path::new(DIR).join(format!("{}-{theme}.svg", self.name))
    }
}

/// Whether a code block is a diagram.
pub fn is_diagram(block: &CodeBlock) -> bool {
    block.tokens().first() == Some(&"mermaid")
}

/// Every diagram of the book, in chapter order.
pub fn all(book: &Book) -> Vec<Diagram> {
    book.chapters
        .iter()
        .flat_map(|c| {
            c.blocks
                .iter()
                .filter(|b| is_diagram(b))
                .map(|b| Diagram::of_block(format!("{}:{}", c.path.display(), b.line), b))
        })
        .collect()
}

/// The diagrams whose SVGs are not all there.
pub fn missing(book: &Book) -> Vec<Diagram> {
    all(book).into_iter().filter(|d| THEMES.iter().any(|(t, _)| !book.abs(&d.svg(t)).is_file())).collect()
}

/// SVG files in src/diagrams/ that no diagram names any more.
pub fn orphans(book: &Book) -> Vec<PathBuf> {
    let wanted: Vec<PathBuf> = all(book).iter().flat_map(|d| THEMES.map(|(t, _)| d.svg(t))).collect();
    let mut out: Vec<PathBuf> = std::fs::read_dir(book.abs(Path::new(DIR)))
        .map(|rd| rd.flatten().map(|e| Path::new(DIR).join(e.file_name())).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "svg") && !wanted.contains(p));
    out.sort();
    out
}

/// FNV-1a, 64 bits, of the UTF-8 text, as 16 hex digits.
pub fn fnv1a64(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

pub fn name_of(source: &str) -> String {
    fnv1a64(&format!("{RENDER}{source}"))
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

fn clean_label(label: &str) -> String {
    static BR: OnceLock<Regex> = OnceLock::new();
    let br = BR.get_or_init(|| Regex::new(r"<br\s*/?>").unwrap());
    let label = br.replace_all(label, " ").replace("#lt;", "<").replace("#gt;", ">").replace("#amp;", "&");
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text alternative for a diagram: a state diagram's transitions, or a flowchart's node and
/// edge labels, in source order (each once).
pub fn alt_text(source: &str) -> String {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    static TRANSITION: OnceLock<Regex> = OnceLock::new();
    if source.trim_start().starts_with("stateDiagram") {
        let re = TRANSITION.get_or_init(|| {
            Regex::new(r"(?m)^\s*(\[\*\]|[\w.-]+)\s*-->\s*(\[\*\]|[\w.-]+)\s*(?::\s*(.*))?$").unwrap()
        });
        let steps: Vec<String> = re
            .captures_iter(source)
            .map(|c| {
                let end = |s: &str, word: &'static str| if s == "[*]" { word.to_string() } else { s.to_string() };
                let label = c.get(3).map(|m| clean_label(m.as_str())).filter(|l| !l.is_empty());
                let step = format!("{} to {}", end(&c[1], "start"), end(&c[2], "end"));
                match label {
                    Some(l) => format!("{step} ({l})"),
                    None => step,
                }
            })
            .collect();
        return escape_attr(&format!("State diagram: {}.", steps.join("; ")));
    }
    let re = LABEL.get_or_init(|| {
        Regex::new(r#"\[\s*"([^"]*)"\s*\]|\{\s*"([^"]*)"\s*\}|\(\s*"([^"]*)"\s*\)|\|([^|]*)\|"#).unwrap()
    });
    let mut parts: Vec<String> = Vec::new();
    for c in re.captures_iter(source) {
        let raw = (1..=4).find_map(|i| c.get(i)).map_or("", |m| m.as_str());
        let label = clean_label(raw);
        if !label.is_empty() && !parts.contains(&label) {
            parts.push(label);
        }
    }
    escape_attr(&format!("Flowchart: {}.", parts.join("; ")))
}

/// The HTML that shows a diagram's two SVGs (one for light themes, one for dark, switched by
/// theme/book.css) as images with a text alternative: drawn exactly as rendered, whatever the
/// page's CSS does to text. `to_root` leads from the page to the book's root (`../` per level).
/// The widest a pre-rendered diagram may be, in the SVG's own pixels. The page shows it at most
/// 750 px wide (mdbook's `--content-max-width`), and mermaid draws its text 16 px high, so a
/// diagram W px wide shows its text 16 × 750 / W px high: under about 8.5 px past this width,
/// too small to read without zooming.
pub const MAX_WIDTH: f64 = 1400.0;

/// A label that mermaid wrapped in the middle of an entity (`Receiver&g` | `t;>`): the SVG then
/// holds `&amp;` and the start of an entity's name right before the end of a line of text, and
/// the page shows the entity's letters. The text around it, for the message.
pub fn split_entity(svg: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = svg[from..].find("&amp;").map(|i| i + from) {
        let rest = &svg[i + "&amp;".len()..];
        let letters = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '#').count();
        if (1..=5).contains(&letters) && rest[letters..].starts_with('<') && ["lt", "gt", "amp", "quot", "#"].iter().any(|e| e.starts_with(&rest[..letters]) || rest[..letters].starts_with('#')) {
            let start = svg[..i].rfind('>').map_or(0, |g| g + 1);
            let before = svg[start..i].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            return Some(format!("{before}&{}", &rest[..letters]));
        }
        from = i + 1;
    }
    None
}

/// The width of an SVG from its `viewBox` (mermaid writes one on the root element).
pub fn svg_width(svg: &str) -> Option<f64> {
    let start = svg.find("viewBox=\"")? + "viewBox=\"".len();
    let rest = &svg[start..];
    let values: Vec<f64> = rest[..rest.find('"')?].split_whitespace().filter_map(|v| v.parse().ok()).collect();
    (values.len() == 4).then(|| values[2])
}

pub fn figure_html(d: &Diagram, to_root: &str) -> String {
    let alt = alt_text(&d.source);
    let name = &d.name;
    format!(
        "<figure class=\"diagram\" data-diagram=\"{name}\">\
         <img class=\"diagram-light\" src=\"{to_root}diagrams/{name}-light.svg\" alt=\"{alt}\">\
         <img class=\"diagram-dark\" src=\"{to_root}diagrams/{name}-dark.svg\" alt=\"{alt}\">\
         </figure>"
    )
}

/// The chapter text with every diagram whose SVGs exist under `root` replaced by its figure
/// (what the book's preprocessor does). A diagram without SVGs is left to mdbook-mermaid, which
/// theme/loader.js draws in the browser while the diagram is being edited.
pub fn inline_prerendered(content: &str, root: &Path, to_root: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut last = 0;
    for block in crate::markdown::code_blocks(content).iter().filter(|b| is_diagram(b)) {
        let d = Diagram::of_block(String::new(), block);
        if THEMES.iter().any(|(t, _)| !root.join(d.svg(t)).is_file()) {
            continue;
        }
        let range = block.range.clone();
        out.push_str(&content[last..range.start]);
        out.push_str(&figure_html(&d, to_root));
        // Keep the line break that ended the closing fence, so what follows stays a new block.
        if content[..range.end].ends_with('\n') {
            out.push('\n');
        }
        last = range.end;
    }
    out.push_str(&content[last..]);
    out
}

/// mdbook-quiz puts a plain `<script src="…/quiz-embed.iife.js">` in the middle of the chapter,
/// so the browser stops drawing the page until it has fetched and run 1.4 MB of JavaScript. The
/// tag becomes an inert `<script type="text/plain" data-lazy-src="…">`, which theme/loader.js
/// makes real when the quiz comes near the screen.
pub fn defer_quiz_bundle(content: &str) -> String {
    static TAG: OnceLock<Regex> = OnceLock::new();
    let re = TAG.get_or_init(|| {
        Regex::new(r#"<script type="text/javascript" src="([^"]*quiz-embed\.iife\.js)"></script>"#).unwrap()
    });
    re.replace_all(content, r#"<script type="text/plain" data-lazy-src="$1"></script>"#).into_owned()
}

/// SVGs in src/diagrams/ that no diagram uses, as problems (the chapter check reports diagrams
/// without SVGs, at their file and line).
pub fn check_orphans(book: &Book) -> Vec<String> {
    orphans(book)
        .iter()
        .map(|p| format!("{}: no diagram of the book has this text any more; `cargo xtask diagrams` deletes it", p.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_wrapped_inside_an_entity_is_found() {
        let broken = r#"<tspan>or Arc&lt;Mutex&lt;Receiver&amp;g</tspan><tspan>t;&gt;</tspan>"#;
        assert_eq!(split_entity(broken).as_deref(), Some("or Arc<Mutex<Receiver&g"));
        // An ampersand that is one (a C++ capture list, [&]) is no split entity.
        assert_eq!(split_entity(r#"<tspan>lambda [&amp;]</tspan><tspan>&amp;</tspan>"#), None);
        assert_eq!(split_entity(r#"<tspan>Vec&lt;T&gt;</tspan>"#), None);
    }

    #[test]
    fn svg_width_reads_the_view_box() {
        assert_eq!(svg_width("<svg id=\"x\" viewBox=\"-2 0 580.5 590.4\" style=\"\">"), Some(580.5));
        assert_eq!(svg_width("<svg>"), None);
    }

    #[test]
    fn fnv_matches_the_reference_values() {
        // FNV-1a 64 test vectors.
        assert_eq!(fnv1a64(""), "cbf29ce484222325");
        assert_eq!(fnv1a64("a"), "af63dc4c8601ec8c");
        assert_eq!(fnv1a64("foobar"), "85944171f73967e8");
    }

    #[test]
    fn alt_text_of_flowcharts_and_state_diagrams() {
        let flow = "flowchart TD\n  A[\"Start<br/>here\"] -->|yes| B{\"Q & A?\"}\n  B -->|yes| C(\"end\")";
        assert_eq!(alt_text(flow), "Flowchart: Start here; yes; Q &amp; A?; end.");
        let state = "stateDiagram-v2\n  [*] --> Ready\n  Ready --> Running : scheduled\n  Running --> [*]";
        assert_eq!(alt_text(state), "State diagram: start to Ready; Ready to Running (scheduled); Running to end.");
    }

    #[test]
    fn inlines_only_diagrams_with_svgs_wherever_they_are() {
        let dir = std::env::temp_dir().join(format!("diagrams-test-{}", std::process::id()));
        let block = "flowchart TD\n  A --> B";
        let name = name_of(block);
        std::fs::create_dir_all(dir.join(DIR)).unwrap();
        for (t, _) in THEMES {
            std::fs::write(dir.join(DIR).join(format!("{name}-{t}.svg")), "<svg/>").unwrap();
        }
        // The same diagram indented in a list item, and another without SVGs.
        let text = format!("1. Step:\n\n   ```mermaid\n   {}\n     A --> B\n   ```\n\n```mermaid\nflowchart LR\n  X --> Y\n```\n\nEnd.\n", "flowchart TD");
        let out = inline_prerendered(&text, &dir, "../");
        assert!(out.contains(&format!("   <figure class=\"diagram\" data-diagram=\"{name}\">")), "{out}");
        assert!(out.contains("src=\"../diagrams/"), "{out}");
        assert!(out.contains("```mermaid\nflowchart LR"), "a diagram without SVGs is left alone: {out}");
        assert!(out.ends_with("\nEnd.\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn defers_the_quiz_bundle() {
        let t = r#"a <script type="text/javascript" src="quiz/quiz-embed.iife.js"></script> b"#;
        assert_eq!(defer_quiz_bundle(t), r#"a <script type="text/plain" data-lazy-src="quiz/quiz-embed.iife.js"></script> b"#);
    }

    /// The contributor's case from the issue: a diagram indented in a list item is found (so
    /// `cargo xtask diagrams` renders it), and until its SVGs exist the chapter check names its
    /// file and line.
    #[test]
    fn an_indented_diagram_in_a_list_is_found_and_checked() {
        let root = std::env::temp_dir().join(format!("diagrams-book-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"t\"\n[rust]\nedition = \"2024\"\n").unwrap();
        std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n\n- [One](ch01-00-one.md)\n").unwrap();
        let chapter = "# One\n\n1. Decide:\n\n   ```mermaid\n   flowchart TD\n     A[\"Start\"] --> B[\"Done §1\"]\n   ```\n";
        std::fs::write(root.join("src/ch01-00-one.md"), chapter).unwrap();
        let book = Book::load(&root).unwrap();
        let todo = missing(&book);
        assert_eq!(todo.len(), 1);
        assert_eq!(todo[0].location, "src/ch01-00-one.md:5");
        assert_eq!(todo[0].source, "flowchart TD\n  A[\"Start\"] --> B[\"Done §1\"]");
        let ch = book.chapters.iter().find(|c| c.path.ends_with("ch01-00-one.md")).unwrap();
        let err = crate::chapter::check_chapter(&book, ch).unwrap_err();
        assert!(err.contains("src/ch01-00-one.md:5: this diagram has no pre-rendered SVGs"), "{err}");
        // Once rendered, it passes, and an SVG nothing uses is an orphan.
        std::fs::create_dir_all(root.join(DIR)).unwrap();
        for (t, _) in THEMES {
            std::fs::write(root.join(todo[0].svg(t)), "<svg/>").unwrap();
        }
        std::fs::write(root.join(DIR).join("0000000000000000-light.svg"), "<svg/>").unwrap();
        let book = Book::load(&root).unwrap();
        let ch = book.chapters.iter().find(|c| c.path.ends_with("ch01-00-one.md")).unwrap();
        assert_eq!(crate::chapter::check_chapter(&book, ch), Ok(()));
        assert_eq!(orphans(&book), vec![Path::new(DIR).join("0000000000000000-light.svg")]);
        let _ = std::fs::remove_dir_all(&root);
    }
}

//! Decision flowcharts: every leaf (a node no edge leaves) must name a section of the book, as
//! `§1.4`, that SUMMARY.md numbers. Only `flowchart`/`graph` diagrams are checked.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

fn link_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // -->, ---, ==>, -.->, with an optional |label|, or `-- label -->`.
    R.get_or_init(|| {
        Regex::new(r"\s*(?:--\s[^->|]+?\s-->|-\.+->|-\.+-|==+>|--+>|---+)\s*(?:\|[^|]*\|)?\s*").unwrap()
    })
}

fn node_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r#"^([A-Za-z_][\w-]*)\s*(?:(\[\[|\[\(|\(\(|\{\{|\[|\(|\{|>)\s*("[^"]*"|[^\]\)\}"]*)\s*(\]\]|\)\]|\)\)|\}\}|\]|\)|\}))?\s*$"#).unwrap()
    })
}

/// Problems with the leaves of one mermaid block; `numbers` are SUMMARY's section numbers.
pub fn check_leaves(body: &[String], numbers: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    let first = body.iter().map(|l| l.trim()).find(|l| !l.is_empty() && !l.starts_with("%%"));
    if !first.is_some_and(|l| l.starts_with("flowchart") || l.starts_with("graph")) {
        return problems;
    }
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut has_out: BTreeSet<String> = BTreeSet::new();
    for (i, raw) in body.iter().enumerate().skip(1) {
        let line = raw.trim().trim_end_matches(';');
        let skip = ["%%", "classDef", "class ", "click ", "style ", "linkStyle", "subgraph", "end", "direction"];
        if line.is_empty() || skip.iter().any(|s| line.starts_with(s)) {
            continue;
        }
        let parts: Vec<&str> = link_re().split(line).collect();
        let mut ids = Vec::new();
        for part in &parts {
            let Some(c) = node_re().captures(part.trim()) else {
                problems.push(format!("line {} of the diagram: cannot read node `{}`", i + 1, part.trim()));
                continue;
            };
            let id = c[1].to_string();
            if let Some(label) = c.get(3) {
                labels.insert(id.clone(), label.as_str().trim_matches('"').to_string());
            } else {
                labels.entry(id.clone()).or_insert_with(|| id.clone());
            }
            ids.push(id);
        }
        for w in ids.windows(2) {
            has_out.insert(w[0].clone());
        }
    }
    let section = Regex::new(r"§\s?(\d+(?:\.\d+)*)").unwrap();
    for (id, label) in &labels {
        if has_out.contains(id) {
            continue;
        }
        match section.captures(label) {
            None => problems.push(format!("leaf {id} (\"{label}\") names no section; add `§N.M`")),
            Some(c) if !numbers.iter().any(|n| n == &c[1]) => {
                problems.push(format!("leaf {id} names §{}, which SUMMARY.md does not have", &c[1]))
            }
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(String::from).collect()
    }

    #[test]
    fn leaves_must_name_existing_sections() {
        let nums = vec!["1".to_string(), "1.1".to_string(), "1.2".to_string()];
        let ok = lines("flowchart TD\n    A[\"Start\"] -->|yes| B{\"Q?\"}\n    B -->|No| C[\"x<br/>§1.1\"]\n    B -- Yes --> D[\"y §1.2\"]");
        assert!(check_leaves(&ok, &nums).is_empty(), "{:?}", check_leaves(&ok, &nums));
        let missing = lines("flowchart TD\n    A --> B[\"no section\"]\n    A --> C[\"§9.9\"]");
        let p = check_leaves(&missing, &nums);
        assert_eq!(p.len(), 2, "{p:?}");
    }
}

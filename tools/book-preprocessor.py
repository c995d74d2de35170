#!/usr/bin/env python3
"""The book's own mdbook preprocessor. It runs after mdbook-quiz and before mdbook-mermaid and
does two things to each chapter, nothing else:

1. Diagrams: a ```mermaid block whose pre-rendered SVGs exist in src/diagrams/ (named by a hash
   of the block's text; `cargo xtask diagrams` writes them with the pinned mermaid in Chromium) is
   replaced by those SVGs as two images with a text alternative, one for light themes and one for
   dark ones, switched by CSS. The reader's browser then needs no mermaid at all. A block without SVGs is left to mdbook-mermaid
   and drawn in the browser by theme/loader.js, as while a diagram is being edited.
2. The quiz bundle: mdbook-quiz puts a plain <script src="…/quiz-embed.iife.js"> in the middle of
   the chapter, so the browser stops drawing the page until it has fetched and run 1.4 MB of
   JavaScript. The tag becomes <script type="text/plain" data-lazy-src="…">, which
   theme/loader.js turns into a real script when the quiz comes near the screen.
"""
import json
import os
import re
import sys

QUIZ_TAG = re.compile(r'<script type="text/javascript" src="([^"]*quiz-embed\.iife\.js)"></script>')
MERMAID = re.compile(r'^```mermaid[ \t]*\n(.*?)\n```[ \t]*$', re.S | re.M)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIAGRAMS = os.path.join(ROOT, "src", "diagrams")


# Part of every diagram's name (see tests/browser/diagrams.mjs, which must use the same string).
RENDER = "svg-text-labels-1\n"

LABEL = re.compile(r'\[\s*"([^"]*)"\s*\]|\{\s*"([^"]*)"\s*\}|\(\s*"([^"]*)"\s*\)|\|([^|]*)\|')


TRANSITION = re.compile(r"^\s*(\[\*\]|[\w.-]+)\s*-->\s*(\[\*\]|[\w.-]+)\s*(?::\s*(.*))?$", re.M)


def clean(label):
    label = re.sub(r"<br\s*/?>", " ", label).replace("#lt;", "<").replace("#gt;", ">").replace("#amp;", "&")
    return " ".join(label.split())


def alt_text(source):
    """A text alternative for a diagram: a state diagram's transitions, or a flowchart's node and
    edge labels, in source order."""
    if source.lstrip().startswith("stateDiagram"):
        steps = []
        for a, b, label in TRANSITION.findall(source):
            a = "start" if a == "[*]" else a
            b = "end" if b == "[*]" else b
            steps.append(f"{a} to {b}" + (f" ({clean(label)})" if label else ""))
        text = "State diagram: " + "; ".join(steps) + "."
        return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    parts = []
    for m in LABEL.finditer(source):
        label = clean(next(g for g in m.groups() if g is not None))
        if label and label not in parts:
            parts.append(label)
    text = "Flowchart: " + "; ".join(parts) + "."
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def fnv1a64(text):
    """The diagram's name: FNV-1a (64 bits) of its UTF-8 text, as tests/browser/diagrams.mjs computes it."""
    h = 0xcbf29ce484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def diagram_html(match, root):
    """The pre-rendered SVGs of a ```mermaid block as two images (light and dark themes), or the
    block unchanged if they do not exist yet. As images they are drawn exactly as rendered,
    whatever the page's CSS does to text."""
    source = match.group(1)
    name = fnv1a64(RENDER + source)
    for theme in ("light", "dark"):
        if not os.path.isfile(os.path.join(DIAGRAMS, f"{name}-{theme}.svg")):
            return match.group(0)
    alt = alt_text(source)
    return (
        f'<figure class="diagram" data-diagram="{name}">'
        f'<img class="diagram-light" src="{root}diagrams/{name}-light.svg" alt="{alt}">'
        f'<img class="diagram-dark" src="{root}diagrams/{name}-dark.svg" alt="{alt}">'
        f"</figure>"
    )


def rewrite(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "content" and isinstance(value, str):
                # Image paths are relative to the chapter's page.
                depth = str(node.get("path") or "").count("/")
                value = MERMAID.sub(lambda m: diagram_html(m, "../" * depth), value)
                node[key] = QUIZ_TAG.sub(r'<script type="text/plain" data-lazy-src="\1"></script>', value)
            else:
                rewrite(value)
    elif isinstance(node, list):
        for item in node:
            rewrite(item)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "supports":
        sys.exit(0)
    _context, book = json.load(sys.stdin)
    rewrite(book)
    json.dump(book, sys.stdout)


if __name__ == "__main__":
    main()

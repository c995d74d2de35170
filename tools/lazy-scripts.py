#!/usr/bin/env python3
"""mdbook preprocessor (runs after mdbook-quiz): makes the quiz bundle load after the first paint.

mdbook-quiz puts a plain <script src="…/quiz-embed.iife.js"> in the middle of the chapter, so the
browser stops drawing the page until it has fetched and run 1.4 MB of JavaScript. This rewrites
that tag to <script type="text/plain" data-lazy-src="…">, which theme/loader.js turns into a real
script once the page is on screen. Nothing else is changed.
"""
import json
import re
import sys

TAG = re.compile(r'<script type="text/javascript" src="([^"]*quiz-embed\.iife\.js)"></script>')


def rewrite(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "content" and isinstance(value, str):
                node[key] = TAG.sub(r'<script type="text/plain" data-lazy-src="\1"></script>', value)
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

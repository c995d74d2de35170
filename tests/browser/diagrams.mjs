// `cargo xtask diagrams` (run by `cargo xtask test` too): renders every ```mermaid block of the
// book to SVG, once for light themes and once for dark ones, with the pinned mermaid in Debian's
// Chromium, into src/diagrams/<hash>-light.svg and <hash>-dark.svg. tools/book-preprocessor.py
// inlines them. The hash (FNV-1a, 64 bits, of the block's text) names the SVGs, so an edited
// diagram gets new files; files no block names any more are deleted. A diagram that mermaid
// cannot parse fails here, naming its file and line.

import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, launch } from './lib.mjs';

const MERMAID_JS = join(ROOT, 'src', 'vendor', 'mermaid.min.js');
const OUT = join(ROOT, 'src', 'diagrams');
const BLOCK = /^```mermaid[ \t]*\n([\s\S]*?)\n```[ \t]*$/gm;

// Part of every diagram's name, so that changing how diagrams are rendered renders them all anew.
// Keep it equal to RENDER in tools/book-preprocessor.py.
export const RENDER = 'svg-text-labels-1\n';

export function fnv1a64(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return ['quiz', 'vendor', 'diagrams'].includes(e.name) ? [] : markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

const blocks = [];
for (const file of markdownFiles(join(ROOT, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(BLOCK)) {
    const line = text.slice(0, m.index).split('\n').length;
    blocks.push({ where: `${relative(ROOT, file)}:${line}`, source: m[1], name: fnv1a64(RENDER + m[1]) });
  }
}

mkdirSync(OUT, { recursive: true });
const wanted = new Set(blocks.flatMap(b => [`${b.name}-light.svg`, `${b.name}-dark.svg`]));
const todo = blocks.filter(b => !existsSync(join(OUT, `${b.name}-light.svg`)) || !existsSync(join(OUT, `${b.name}-dark.svg`)));
let failed = false;
if (todo.length) {
  const browser = await launch();
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: MERMAID_JS });
  for (const b of todo) {
    for (const [theme, mermaidTheme] of [['light', 'default'], ['dark', 'dark']]) {
      const result = await page.evaluate(async ({ source, id, mermaidTheme }) => {
        try {
          // Labels as SVG text, not HTML in foreignObject boxes: nothing in the reader's page
          // can re-flow them out of the boxes measured here.
          window.mermaid.initialize({ startOnLoad: false, theme: mermaidTheme, securityLevel: 'strict', htmlLabels: false, flowchart: { htmlLabels: false } });
          const { svg } = await window.mermaid.render(id, source);
          return { svg };
        } catch (e) {
          return { error: String(e && e.message || e) };
        }
      }, { source: b.source, id: `diagram-${b.name}-${theme}`, mermaidTheme });
      if (result.error) {
        console.error(`${b.where}: mermaid cannot render this diagram: ${result.error}`);
        failed = true;
        break;
      }
      writeFileSync(join(OUT, `${b.name}-${theme}.svg`), result.svg + '\n');
    }
    if (!failed) console.log(`rendered ${b.where} -> src/diagrams/${b.name}-{light,dark}.svg`);
  }
  await browser.close();
}
for (const f of readdirSync(OUT)) {
  if (f.endsWith('.svg') && !wanted.has(f)) {
    unlinkSync(join(OUT, f));
    console.log(`removed src/diagrams/${f}: no diagram has this text any more`);
  }
}
console.log(`${blocks.length} diagram(s), ${todo.length} rendered now`);
process.exit(failed ? 1 : 0);

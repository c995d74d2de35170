// Renders diagrams to SVG with the pinned mermaid in Debian's Chromium, once for light themes
// and once for dark ones. Run by `cargo xtask diagrams`, which finds the book's diagrams that
// have no SVGs yet (the model of the book, tools/book/src/diagrams.rs, names them) and passes
// them here as a JSON file: [{ "where": "src/ch01-05-choosing-a-model.md:77", "source": "…",
// "name": "<hash>" }]. Each SVG is written to <out>/<name>-light.svg and <name>-dark.svg.
// A diagram that mermaid cannot parse fails here, naming its file and line.
//
//   node diagrams.mjs <list.json> <out-dir>

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch } from './lib.mjs';

const [listFile, outDir] = process.argv.slice(2);
if (!listFile || !outDir) {
  console.error('usage: node diagrams.mjs <list.json> <out-dir> (run `cargo xtask diagrams` instead)');
  process.exit(2);
}
const MERMAID_JS = join(ROOT, 'src', 'vendor', 'mermaid.min.js');
const THEMES = [['light', 'default'], ['dark', 'dark']];
const diagrams = JSON.parse(readFileSync(listFile, 'utf8'));

/**
 * With htmlLabels off, mermaid escapes a label's text after it has decoded the entity codes of
 * the source (#lt; → &lt;) into entities: `Arc#lt;T#gt;` would show as "Arc&lt;T&gt;". An entity
 * escaped a second time in SVG text can only come from that, so it is escaped once again.
 */
const unescapeTwice = svg => svg.replace(/&amp;(lt|gt|amp|quot|#\d+);/g, '&$1;');

mkdirSync(outDir, { recursive: true });
let failed = false;
if (diagrams.length) {
  const browser = await launch();
  const page = await browser.newPage();
  await page.setContent('<!doctype html><html><body></body></html>');
  await page.addScriptTag({ path: MERMAID_JS });
  for (const d of diagrams) {
    const svgs = [];
    for (const [theme, mermaidTheme] of THEMES) {
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
      }, { source: d.source, id: `diagram-${d.name}-${theme}`, mermaidTheme });
      if (result.error) {
        console.error(`${d.where}: mermaid cannot render this diagram: ${result.error}`);
        failed = true;
        break;
      }
      svgs.push([theme, unescapeTwice(result.svg)]);
    }
    if (svgs.length === THEMES.length) {
      for (const [theme, svg] of svgs) writeFileSync(join(outDir, `${d.name}-${theme}.svg`), svg + '\n');
      console.log(`rendered ${d.where} -> ${d.name}-{light,dark}.svg`);
    }
  }
  await browser.close();
}
process.exit(failed ? 1 : 0);

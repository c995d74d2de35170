// Page weight and render time: `cargo xtask bench-site` (or `node bench.mjs`). Figures only;
// nothing here is a test, and nothing asserts on time.
//
// Three pages (plain text, a diagram, a quiz) are built twice in one run: with this book's
// configuration and theme, and with stock mdbook (no preprocessors, no theme). Each page is loaded
// RUNS times in a fresh browser context (nothing cached) and reports the medians of:
//   requests, bytes transferred, first contentful paint, and "rendered": the moment the page's
//   content is complete (load event, diagrams drawn, quiz and widgets ready).
// The book's own chapter pages are measured the same way.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, serve, launch, chapterPages } from './lib.mjs';

const RUNS = Number(process.env.RUNS || 9);
const WORK = join(ROOT, 'target', 'bench-site');
const MDBOOK = join(ROOT, '.tools', 'bin', 'mdbook');
const ENV = { ...process.env, PATH: `${join(ROOT, '.tools', 'bin')}:${process.env.PATH}` };

const PLAIN = readFileSync(join(ROOT, 'src', 'ch01-00-concurrency-vs-parallelism.md'), 'utf8');
const DIAGRAM = '```mermaid\n' + readFileSync(join(ROOT, 'src', 'ch01-05-choosing-a-model.md'), 'utf8').split('```mermaid\n')[1].split('```')[0] + '```\n';
const QUIZ_FILE = 'quizzes/ch01-concurrency-vs-parallelism.toml';

function book(dir, stock) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'quizzes'), { recursive: true });
  cpSync(join(ROOT, 'src', QUIZ_FILE), join(dir, 'src', QUIZ_FILE));
  writeFileSync(join(dir, 'src', 'SUMMARY.md'),
    '# Summary\n\n- [Plain](plain.md)\n- [Diagram](diagram.md)\n- [Quiz](quiz.md)\n');
  writeFileSync(join(dir, 'src', 'plain.md'), PLAIN);
  writeFileSync(join(dir, 'src', 'diagram.md'), PLAIN + '\n' + DIAGRAM);
  writeFileSync(join(dir, 'src', 'quiz.md'), PLAIN + `\n{{#quiz ${QUIZ_FILE}}}\n`);
  if (stock) {
    // Stock mdbook as its documentation sets it up: every page loads mermaid and its init script.
    writeFileSync(join(dir, 'book.toml'), '[book]\ntitle = "stock"\n[preprocessor.quiz]\n[preprocessor.mermaid]\ncommand = "mdbook-mermaid"\n[output.html]\nadditional-js = ["mermaid.min.js", "mermaid-init.js"]\n');
    execFileSync(join(ROOT, '.tools', 'bin', 'mdbook-mermaid'), ['install', dir], { env: { ...ENV, RUST_LOG: 'warn' }, stdio: 'ignore' });
  } else {
    cpSync(join(ROOT, 'book.toml'), join(dir, 'book.toml'));
    cpSync(join(ROOT, 'theme'), join(dir, 'theme'), { recursive: true });
    cpSync(join(ROOT, 'src', 'vendor'), join(dir, 'src', 'vendor'), { recursive: true });
  }
  execFileSync(MDBOOK, ['build', '-d', join(dir, 'out')], { cwd: dir, env: ENV, stdio: 'ignore' });
  return join(dir, 'out');
}

function plainStock(dir) {
  // The reference: a stock mdbook page with nothing added at all.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'SUMMARY.md'), '# Summary\n\n- [Plain](plain.md)\n');
  writeFileSync(join(dir, 'src', 'plain.md'), PLAIN);
  writeFileSync(join(dir, 'book.toml'), '[book]\ntitle = "stock"\n');
  execFileSync(MDBOOK, ['build', '-d', join(dir, 'out')], { cwd: dir, env: ENV, stdio: 'ignore' });
  return join(dir, 'out');
}

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function measure(browser, url) {
  const samples = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route(u => !u.href.startsWith(new URL(url).origin), r => r.abort());
    const page = await context.newPage();
    let bytes = 0, requests = 0;
    page.on('requestfinished', async r => {
      requests++;
      const s = await r.sizes().catch(() => null);
      if (s) bytes += s.responseBodySize + s.responseHeadersSize;
    });
    await page.goto(url, { waitUntil: 'load' });
    const t = await page.evaluate(() => new Promise(resolve => {
      const ready = () =>
        (window.bookReady === undefined || window.bookReady === true) &&
        [...document.querySelectorAll('pre.mermaid')].every(d => d.querySelector('svg')) &&
        [...document.querySelectorAll('.quiz-placeholder')].every(q => q.querySelector('.mdbook-quiz')) &&
        [...document.querySelectorAll('.widget')].every(w => w.dataset.ready === 'true');
      const check = () => {
        if (ready()) {
          const nav = performance.getEntriesByType('navigation')[0];
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          resolve({ rendered: Math.max(performance.now(), nav.loadEventEnd), fcp: fcp ? fcp.startTime : NaN });
        } else requestAnimationFrame(check);
      };
      check();
    }));
    await page.waitForTimeout(300); // let late requests finish and be counted
    samples.push({ ...t, bytes, requests });
    await context.close();
  }
  return {
    requests: median(samples.map(s => s.requests)),
    kb: median(samples.map(s => s.bytes)) / 1024,
    fcp: median(samples.map(s => s.fcp)),
    rendered: median(samples.map(s => s.rendered)),
  };
}

const browser = await launch();
const rows = [];
const sites = {
  stockPlain: plainStock(join(WORK, 'stock-plain')),
  stock: book(join(WORK, 'stock'), true),
  ours: book(join(WORK, 'ours'), false),
};
const servers = {};
for (const [k, dir] of Object.entries(sites)) servers[k] = await serve(dir);
const ref = await measure(browser, servers.stockPlain.url + 'plain.html');
rows.push(['stock mdbook, plain page (reference)', ref]);
for (const p of ['plain', 'diagram', 'quiz']) {
  rows.push([`stock mdbook + mdbook-mermaid setup, ${p} page`, await measure(browser, servers.stock.url + `${p}.html`)]);
  rows.push([`this book's setup, ${p} page`, await measure(browser, servers.ours.url + `${p}.html`)]);
}
const bookSite = join(WORK, 'book');
execFileSync(MDBOOK, ['build', '-d', bookSite], { cwd: ROOT, env: ENV, stdio: 'ignore' });
const bookServer = await serve(bookSite);
for (const p of chapterPages()) rows.push([`book: ${p.html}`, await measure(browser, bookServer.url + p.html)]);

console.log(`\nPage weight and render time, median of ${RUNS} cold loads each (Chromium ${browser.version()}, 127.0.0.1)\n`);
console.log('| page | requests | KiB transferred | first contentful paint (ms) | rendered (ms) | rendered / reference |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, m] of rows) {
  console.log(`| ${name} | ${m.requests} | ${m.kb.toFixed(0)} | ${m.fcp.toFixed(0)} | ${m.rendered.toFixed(0)} | ${(m.rendered / ref.rendered).toFixed(2)}× |`);
}
await browser.close();
for (const s of [...Object.values(servers), bookServer]) await s.close();

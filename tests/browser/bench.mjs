// Page weight and render time: `cargo xtask bench-site` (or `node bench.mjs`). Figures only;
// nothing here is a test, and nothing asserts on time.
//
// Three pages (plain text, a diagram, a quiz) are built twice in one run: with this book's
// configuration and theme, and with stock mdbook (no preprocessors, no theme). Each page is loaded
// RUNS times in a fresh browser context (nothing cached) and reports the medians of:
//   requests, bytes transferred, first contentful paint, and "rendered": the moment the page's
//   content is complete (load event, any diagram drawn, widgets ready); and for a page with a
//   quiz, the time from scrolling to the quiz until it is ready (it loads only then).
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
    cpSync(join(ROOT, 'tools'), join(dir, 'tools'), { recursive: true });
    cpSync(join(ROOT, 'src', 'diagrams'), join(dir, 'src', 'diagrams'), { recursive: true });
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
    // A quiz loads when it comes near the screen: scroll to it, as a reader does, and time it.
    let quiz = NaN;
    if (await page.locator('.quiz-placeholder').count()) {
      const start = await page.evaluate(() => performance.now());
      await page.locator('.quiz-placeholder').first().scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelector('.quiz-placeholder .mdbook-quiz'), null, { timeout: 20000 });
      quiz = (await page.evaluate(() => performance.now())) - start;
    }
    await page.waitForTimeout(300); // let late requests finish and be counted
    samples.push({ ...t, bytes, requests, quiz });
    await context.close();
  }
  return {
    requests: median(samples.map(s => s.requests)),
    kb: median(samples.map(s => s.bytes)) / 1024,
    fcp: median(samples.map(s => s.fcp)),
    rendered: median(samples.map(s => s.rendered)),
    quiz: median(samples.map(s => s.quiz)),
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
// The book's own pages, each against the same page built by stock mdbook (no preprocessors, no
// theme: quizzes and diagrams stay as text there).
const bookSite = join(WORK, 'book');
execFileSync(MDBOOK, ['build', '-d', bookSite], { cwd: ROOT, env: ENV, stdio: 'ignore' });
const stockBook = join(WORK, 'stock-book');
rmSync(stockBook, { recursive: true, force: true });
mkdirSync(stockBook, { recursive: true });
cpSync(join(ROOT, 'src'), join(stockBook, 'src'), { recursive: true });
writeFileSync(join(stockBook, 'book.toml'), '[book]\ntitle = "stock"\n[rust]\nedition = "2024"\n');
execFileSync(MDBOOK, ['build', '-d', join(stockBook, 'out')], { cwd: stockBook, env: ENV, stdio: 'ignore' });
const bookServer = await serve(bookSite);
const stockServer = await serve(join(stockBook, 'out'));
const bookRows = [];
for (const p of chapterPages()) {
  bookRows.push([p.html, await measure(browser, stockServer.url + p.html), await measure(browser, bookServer.url + p.html)]);
}

const ms = x => Number.isNaN(x) ? '–' : x.toFixed(0);
console.log(`\nPage weight and render time, median of ${RUNS} cold loads each (Chromium ${browser.version()}, 127.0.0.1).`);
console.log('"rendered": load event, diagrams drawn, widgets ready. "quiz": from scrolling to the quiz until it is ready.\n');
console.log('| page | requests | KiB | first paint (ms) | rendered (ms) | rendered / reference | quiz (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, m] of rows) {
  console.log(`| ${name} | ${m.requests} | ${m.kb.toFixed(0)} | ${ms(m.fcp)} | ${ms(m.rendered)} | ${(m.rendered / ref.rendered).toFixed(2)}× | ${ms(m.quiz)} |`);
}
console.log('\nEach page of the book against the same page built by stock mdbook:\n');
console.log('| page | stock: requests / KiB / rendered (ms) | this book: requests / KiB / first paint / rendered (ms) | rendered / stock | quiz (ms) |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [name, st, m] of bookRows) {
  console.log(`| ${name} | ${st.requests} / ${st.kb.toFixed(0)} / ${ms(st.rendered)} | ${m.requests} / ${m.kb.toFixed(0)} / ${ms(m.fcp)} / ${ms(m.rendered)} | ${(m.rendered / st.rendered).toFixed(2)}× | ${ms(m.quiz)} |`);
}
await browser.close();
for (const s of [...Object.values(servers), bookServer, stockServer]) await s.close();

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

async function sample(browser, url) {
  {
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
    await context.close();
    return { ...t, bytes, requests, quiz };
  }
}

/** RUNS rounds; each round loads every URL once, in turn, so that drift in the machine's speed
 *  affects all pages alike. Returns the medians per URL. */
async function measureAll(browser, urls) {
  const samples = new Map(urls.map(u => [u, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const u of urls) samples.get(u).push(await sample(browser, u));
  }
  return new Map(urls.map(u => {
    const xs = samples.get(u);
    return [u, {
      requests: median(xs.map(s => s.requests)),
      kb: median(xs.map(s => s.bytes)) / 1024,
      fcp: median(xs.map(s => s.fcp)),
      rendered: median(xs.map(s => s.rendered)),
      quiz: median(xs.map(s => s.quiz)),
    }];
  }));
}


const browser = await launch();
const sites = {
  stockPlain: plainStock(join(WORK, 'stock-plain')),
  stock: book(join(WORK, 'stock'), true),
  ours: book(join(WORK, 'ours'), false),
};
// The book's own pages, each against the same page built by stock mdbook (no preprocessors, no
// theme: quizzes and diagrams stay as text there).
sites.book = join(WORK, 'book');
execFileSync(MDBOOK, ['build', '-d', sites.book], { cwd: ROOT, env: ENV, stdio: 'ignore' });
const stockBook = join(WORK, 'stock-book');
rmSync(stockBook, { recursive: true, force: true });
mkdirSync(stockBook, { recursive: true });
cpSync(join(ROOT, 'src'), join(stockBook, 'src'), { recursive: true });
writeFileSync(join(stockBook, 'book.toml'), '[book]\ntitle = "stock"\n[rust]\nedition = "2024"\n');
execFileSync(MDBOOK, ['build', '-d', join(stockBook, 'out')], { cwd: stockBook, env: ENV, stdio: 'ignore' });
sites.stockBook = join(stockBook, 'out');
const servers = {};
for (const [k, dir] of Object.entries(sites)) servers[k] = await serve(dir);

const refUrl = servers.stockPlain.url + 'plain.html';
const trio = ['plain', 'diagram', 'quiz'].flatMap(p => [
  [`stock mdbook + mdbook-mermaid setup, ${p} page`, servers.stock.url + `${p}.html`],
  [`this book's setup, ${p} page`, servers.ours.url + `${p}.html`],
]);
const pagePairs = chapterPages().map(p => [p.html, servers.stockBook.url + p.html, servers.book.url + p.html]);
const results = await measureAll(browser, [refUrl, ...trio.map(t => t[1]), ...pagePairs.flatMap(p => [p[1], p[2]])]);
const ref = results.get(refUrl);
const rows = [['stock mdbook, plain page (reference)', ref], ...trio.map(([name, u]) => [name, results.get(u)])];
const bookRows = pagePairs.map(([name, st, ours]) => [name, results.get(st), results.get(ours)]);

const ms = x => Number.isNaN(x) ? '–' : x.toFixed(0);
console.log(`\nPage weight and render time, median of ${RUNS} cold loads each, interleaved (Chromium ${browser.version()}, 127.0.0.1).`);
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
for (const s of Object.values(servers)) await s.close();

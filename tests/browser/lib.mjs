// Shared by the browser tests (*.test.mjs) and the page-weight benchmark (bench.mjs).
//
// The book is built with the pinned mdbook into target/browser-site (or BOOK_SITE_DIR if the
// caller built it already), served by a tiny static server on 127.0.0.1, and read in Debian's
// Chromium driven by playwright-core. Every page opened through `open` records its console
// errors and every request to a host other than the local server.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every wait of the browser tests is a liveness bound, never a speed assertion: a wait returns as
 * soon as its condition holds, so a generous bound costs a passing run nothing. Bounds are
 * written for a quiet machine and multiplied by BOOK_TEST_SLOW (default 3), so that a machine
 * whose cores are busy with other work passes too.
 */
export const SLOW = Math.max(1, Number(process.env.BOOK_TEST_SLOW || 3));
export const bound = ms => ms * SLOW;

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const AXE = join(ROOT, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js');
const AXE_PATH = '/__browser-tests__/axe.min.js';

/** Builds the book (unless BOOK_SITE_DIR names a built one, as `cargo xtask test` does; then
 *  nothing is built) and returns its folder. Once per process. */
let built;
export function buildBook(dest = join(ROOT, 'target', 'browser-site')) {
  if (process.env.BOOK_SITE_DIR) return process.env.BOOK_SITE_DIR;
  if (built) return built;
  const mdbook = join(ROOT, '.tools', 'bin', 'mdbook');
  if (!existsSync(mdbook)) throw new Error('the pinned mdbook is not installed: run `cargo xtask setup`');
  execFileSync(mdbook, ['build', '-d', dest], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, '.tools', 'bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  built = dest;
  return dest;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `dir` on 127.0.0.1 (an ephemeral port). Returns { url, close, route }: `route(path, body)`
 * serves `body` (a string) at `path` instead of the file there, if any — the tests' fixture pages
 * and broken copies of a page, without copying the site. Nothing is cached, unless `cacheAssets`:
 * then everything but HTML pages may be kept by the browser for the run (a tab that visits page
 * after page, as a reader does, then fetches the book's scripts, styles and fonts once; every page
 * is still fetched afresh).
 */
export async function serve(dir, { cacheAssets = false } = {}) {
  const routes = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === AXE_PATH) {
      // axe-core for the tests (see `axe` below), cached by the browser: compiled once per tab.
      res.writeHead(200, { 'Content-Type': 'text/javascript', 'Cache-Control': 'max-age=3600' });
      res.end(readFileSync(AXE));
      return;
    }
    if (routes.has(path)) {
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] || 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(routes.get(path));
      return;
    }
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    const cache = cacheAssets && !file.endsWith('.html') ? 'max-age=3600' : 'no-store';
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': cache });
    res.end(readFileSync(file));
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise(r => server.close(r)),
    route: (path, body) => { routes.set(path.startsWith('/') ? path : `/${path}`, body); },
  };
}

/**
 * The book's pages in table-of-contents order, from the model of the book (tools/book, which
 * reads SUMMARY.md and the chapters once for every part of the tooling): { html, md, title,
 * number, diagrams, widgets, quizzes }. `cargo xtask test` writes the model and names it in
 * BOOK_MODEL; run alone, the tests ask `cargo xtask model` for it.
 */
let model;
export function bookModel() {
  if (!model) {
    const file = process.env.BOOK_MODEL
      || execFileSync('cargo', ['xtask', 'model'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    model = JSON.parse(readFileSync(file, 'utf8'));
  }
  return model;
}

/** The chapter pages of the book, in SUMMARY order: { html: 'ch01-01-two-ideas.html', md: 'src/ch01-01-two-ideas.md', … }. */
export function chapterPages() {
  return bookModel().pages;
}

/**
 * Launches Debian's Chromium, headless. Nothing it requests leaves the machine: every host but
 * 127.0.0.1 resolves to nothing, and every request not to the loopback interface goes to a proxy
 * that is not there (so IP addresses fail too). The requests still happen, and fail at once, so
 * the tests record them (`open`) without intercepting every request of every page.
 */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--proxy-server=http://127.0.0.1:9'],
  });
}

/**
 * Opens `url` in a fresh context. `theme` ('light', 'navy', …) is stored as mdbook stores it
 * before the page loads. Returns { page, context, errors, foreign, requests } where `errors`
 * collects console errors and uncaught exceptions, `foreign` every request to another host (which
 * fails: see `launch`), and `requests` every URL requested.
 */
export async function open(browser, url, { theme, reducedMotion, viewport, contextOptions } = {}) {
  const context = await browser.newContext({
    viewport: viewport || { width: 1280, height: 900 },
    reducedMotion: reducedMotion ? 'reduce' : 'no-preference',
    ...contextOptions, // e.g. { hasTouch: true, isMobile: true }
  });
  const origin = new URL(url).origin;
  const errors = [];
  const foreign = [];
  const requests = [];
  context.on('request', r => {
    const u = r.url();
    requests.push(u);
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  // Requests to other hosts cannot leave the machine (see `launch`): they fail, and are recorded.
  if (theme) await context.addInitScript(t => localStorage.setItem('mdbook-theme', t), theme);
  context.setDefaultTimeout(bound(30000));
  const page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors, foreign, requests };
}

/** Waits until the page's own components say they are done (theme/loader.js sets it). */
export async function settled(page, timeout = bound(15000)) {
  await page.waitForFunction(() => window.bookReady === true, null, { timeout });
}

/** Brings every widget and quiz of the page near the screen, as a reader scrolling through it
 *  would (they are built or loaded when the reader comes within two screens of them), so that
 *  they are all there; then back to the top. It visits the places that wait for the reader
 *  (theme/loader.js's widget slots and the quizzes), not every screen of a long page. */
export async function revealAll(page) {
  await page.evaluate(async () => {
    if (window.bookWidgetsReady) await window.bookWidgetsReady;
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (const el of document.querySelectorAll('.widget-slot, .quiz-placeholder')) {
      if (!el.isConnected) continue;
      el.scrollIntoView({ block: 'center' });
      await frame();
    }
    window.scrollTo(0, 0);
    await frame();
  });
}

// ---- shared by the test files -----------------------------------------------------------------


/** How a test names a page: its HTML file and the markdown it comes from. */
export const where = p => `${p.html} (${p.md})`;

/**
 * The chapter pages the per-page tests visit: all of them, or those whose file name starts with
 * one of the comma-separated prefixes in BOOK_PAGES (`BOOK_PAGES=ch01`, `BOOK_PAGES=ch02-02,introduction`).
 * The widget behaviour suites and the book-wide tests do not depend on it.
 */
export function selectedPages() {
  const filter = (process.env.BOOK_PAGES || '').split(',').map(s => s.trim()).filter(Boolean);
  const all = chapterPages();
  return filter.length ? all.filter(p => filter.some(f => p.html.startsWith(f))) : all;
}

/** The widget kinds of the book: src/widgets/<kind>.js. */
export function widgetKinds() {
  return readdirSync(join(ROOT, 'src', 'widgets')).filter(f => f.endsWith('.js')).map(f => f.slice(0, -3)).sort();
}

/** The widget instances a built page embeds: [{ kind, json }] in page order. */
export function embeddedWidgets(html) {
  return [...html.matchAll(/<script type="application\/json" data-widget="([a-z-]+)">([\s\S]*?)<\/script>/g)]
    .map(m => ({ kind: m[1], json: m[2] }));
}

/**
 * A fixture page for one widget kind, made from the first chapter page (in SUMMARY order) that
 * embeds it: that page as built — the book's head, theme, menu bar, loader and the real
 * widgets/<kind>.js and .css — with its <main> replaced by `copies` copies of its first instance
 * of the widget (the real data, and the <script type="text/plain"> blocks the data names), so that
 * each behaviour scenario gets a fresh instance without loading a page again. `mutate(json, k)` may
 * rewrite the data of copy k (broken-data tests). Returns { path, source, data } where
 * `path` is where to serve it (beside the source page, so relative links stay right).
 */
export function widgetFixture(site, kind, { copies = 1, mutate = j => j } = {}) {
  const source = chapterPages().find(p => embeddedWidgets(readFileSync(join(site, p.html), 'utf8')).some(w => w.kind === kind));
  if (!source) throw new Error(`no chapter page embeds a "${kind}" widget`);
  const html = readFileSync(join(site, source.html), 'utf8');
  const start = html.indexOf('<main>');
  const end = html.indexOf('</main>');
  if (start < 0 || end < start) throw new Error(`${where(source)}: no <main> in the built page`);
  const main = html.slice(start, end);
  const block = main.match(new RegExp(`<script type="application/json" data-widget="${kind}">[\\s\\S]*?</script>`))[0];
  const json = block.slice(block.indexOf('>') + 1, block.lastIndexOf('</script>'));
  const data = JSON.parse(json);
  // The page's text blocks that the data refers to by id (the timeline's program).
  const names = new Set();
  JSON.stringify(data, (k, v) => { if (typeof v === 'string') names.add(v); return v; });
  const texts = [...main.matchAll(/<script type="text\/plain" id="([^"]+)">[\s\S]*?<\/script>/g)]
    .filter(m => names.has(m[1])).map(m => m[0]);
  const instance = j => `<script type="application/json" data-widget="${kind}">${j}</script>`;
  const body = [`<h1 id="fixture">Fixture: the ${kind} widget of ${source.html}</h1>`, ...texts];
  for (let i = 0; i < copies; i++) body.push(`<h2 id="copy-${i}">Copy ${i}</h2>`, instance(mutate(json, i)));
  const page = html.slice(0, start) + `<main>\n${body.join('\n')}\n` + html.slice(end);
  const dir = source.html.includes('/') ? source.html.slice(0, source.html.lastIndexOf('/') + 1) : '';
  return { path: `${dir}fixture-${kind}.html`, html: page, source, data };
}

/** Waits for `n` animation frames of the page (for "nothing moves" checks, instead of a sleep). */
export function frames(page, n = 10) {
  return page.evaluate(n => new Promise(resolve => {
    const step = k => (k === 0 ? resolve() : requestAnimationFrame(() => step(k - 1)));
    step(n);
  }), n);
}

/**
 * Switches mdbook's theme in place, as a reader does with the theme menu, and waits for the
 * book's components (theme/loader.js redraws any browser-drawn diagram). With `menu: false` the
 * menu's buttons are clicked from inside the page (the same handlers, without the pointer's
 * round trips: for the pages after the first one).
 */
export async function switchTheme(page, theme, { menu = true } = {}) {
  if (menu) {
    await page.click('#mdbook-theme-toggle');
    await page.click(`#mdbook-theme-${theme}`);
  } else {
    await page.evaluate(t => {
      document.getElementById('mdbook-theme-toggle').click();
      document.getElementById(`mdbook-theme-${t}`).click();
    }, theme);
  }
  await page.waitForFunction(t => document.documentElement.classList.contains(t) && window.bookReady === true, theme, { timeout: bound(10000) });
}

/**
 * Runs axe-core (every rule it runs by default) on the `nth` element matching `selector`, or on
 * the whole document less the elements matching `exclude`; returns its violations, one line each.
 * The page must come from `serve` (which serves axe-core to it).
 */
export async function axe(page, selector = null, nth = 0, { exclude = [] } = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ url: new URL(AXE_PATH, page.url()).href });
  return page.evaluate(async ([sel, i, exclude]) => {
    const context = sel ? document.querySelectorAll(sel)[i] : exclude.length ? { exclude: exclude.map(e => [e]) } : document;
    const r = await window.axe.run(context, { resultTypes: ['violations'] });
    return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
  }, [selector, nth, exclude]);
}

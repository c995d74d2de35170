// Shared by the browser tests (*.test.mjs) and the page-weight benchmark (bench.mjs).
//
// The book is built with the pinned mdbook into target/browser-site (or BOOK_SITE_DIR if the
// caller built it already), served by a tiny static server on 127.0.0.1, and read in Debian's
// Chromium driven by playwright-core. Every page opened through `open` records its console
// errors and every request to a host other than the local server.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Builds the book (unless BOOK_SITE_DIR names a built one) and returns its folder. */
export function buildBook(dest = join(ROOT, 'target', 'browser-site')) {
  if (process.env.BOOK_SITE_DIR) return process.env.BOOK_SITE_DIR;
  const mdbook = join(ROOT, '.tools', 'bin', 'mdbook');
  if (!existsSync(mdbook)) throw new Error('the pinned mdbook is not installed: run `cargo xtask setup`');
  execFileSync(mdbook, ['build', '-d', dest], {
    cwd: ROOT,
    env: { ...process.env, PATH: `${join(ROOT, '.tools', 'bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return dest;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1 (an ephemeral port). Returns { url, close }. */
export async function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise(r => server.close(r)) };
}

/** The chapter pages of the book, in SUMMARY order: { html: 'ch01-01-two-ideas.html', md: 'src/ch01-01-two-ideas.md' }. */
export function chapterPages() {
  const summary = readFileSync(join(ROOT, 'src', 'SUMMARY.md'), 'utf8');
  return [...summary.matchAll(/\]\(([^)]+\.md)\)/g)].map(m => ({
    html: m[1].replace(/\.md$/, '.html'),
    md: `src/${m[1]}`,
  }));
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Opens `url` in a fresh context. `theme` ('light', 'navy', …) is stored as mdbook stores it
 * before the page loads. Returns { page, context, errors, foreign, requests } where `errors`
 * collects console errors and uncaught exceptions, `foreign` every request to another host, and
 * `requests` every URL requested.
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
  // Requests to other hosts must not leave the machine: abort them (they are still recorded).
  await context.route(u => !u.href.startsWith(origin) && u.protocol.startsWith('http'), r => r.abort());
  if (theme) await context.addInitScript(t => localStorage.setItem('mdbook-theme', t), theme);
  const page = await context.newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  return { page, context, errors, foreign, requests };
}

/** Waits until the page's own components say they are done (theme/loader.js sets it). */
export async function settled(page, timeout = 15000) {
  await page.waitForFunction(() => window.bookReady === true, null, { timeout });
}

/** Scrolls through the page as a reader would, so that every widget and quiz (built or loaded
 *  when the reader comes near them) is there; then back to the top. */
export async function revealAll(page) {
  await page.evaluate(async () => {
    if (window.bookWidgetsReady) await window.bookWidgetsReady;
    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
      window.scrollTo(0, y);
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }
    window.scrollTo(0, 0);
  });
}

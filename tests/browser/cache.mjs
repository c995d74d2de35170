// The browser tests' results, kept by content: a job (one page's visit, a widget kind's suite,
// search…) that passed is not run again while everything it could observe is unchanged: the
// HTML it visits, every other file of the built site that a page loads (CSS, scripts, diagrams,
// fonts), the tests themselves (every .mjs here, the pinned npm packages) and the browser's
// version. Change a chapter and only its page is visited again; change a widget's script, the
// theme or a test and everything is. It is cargo's rule for builds, applied to these results.
//
// The cache lives in target/browser-cache/ (a clean checkout has none). It is off in CI (`CI` set)
// and with BOOK_NO_CACHE=1, so that those runs check everything; they still record what passed.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CHROMIUM, ROOT } from './lib.mjs';

export const DIR = join(ROOT, 'target', 'browser-cache');
export const ENABLED = !process.env.CI && !process.env.BOOK_NO_CACHE;

function files(dir, keep) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules') out.push(...files(p, keep)); } else if (keep(p)) out.push(p);
  }
  return out.sort();
}

function digest(parts) {
  const h = createHash('sha256');
  for (const p of parts) h.update(String(p.length)).update(':').update(p);
  return h.digest('hex');
}

/**
 * What every job can observe besides its own pages: the site's files other than HTML and the
 * search index (which every content change rewrites: the search job names it itself), the tests
 * and their packages, the browser.
 */
export function sharedKey(site) {
  const assets = files(site, p => !p.endsWith('.html') && !/searchindex/.test(p));
  const tests = files(join(ROOT, 'tests', 'browser'), p => /\.(mjs|json)$/.test(p));
  let browser = '';
  try { browser = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8' }); } catch (e) { browser = String(e); }
  const parts = [browser];
  for (const f of [...assets, ...tests]) parts.push(relative(ROOT, f), readFileSync(f));
  return digest(parts);
}

/** The key of one job: the shared key and the contents of what the job itself visits. */
export const jobKey = (shared, name, contents) => digest([shared, name, ...contents]);

const file = name => join(DIR, createHash('sha256').update(name).digest('hex').slice(0, 32));

/** Whether the job passed before with exactly this key. */
export function passedBefore(name, key) {
  if (!ENABLED) return false;
  const f = file(name);
  return existsSync(f) && statSync(f).isFile() && readFileSync(f, 'utf8') === key;
}

/** Records that the job passed with this key (also when results are not reused: a run that
 *  checked everything may let the next one skip). */
export function recordPass(name, key) {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(file(name), key);
}

// The litmus explorer's behaviour suite (src/widgets/litmus-explorer.js), run once for the widget
// kind by pages.test.mjs, on the chapter page that embeds it:
//
//   cd tests/browser && node --test --test-name-pattern=litmus pages.test.mjs
//
// The reader chooses orderings with the keyboard alone and the table follows (message passing's
// (1, 0) forbidden once the flag is Release/Acquire, store buffering's (0, 0) only with all four
// SeqCst); the explanation says where the answer comes from; broken data renders a .widget-error;
// axe in light and navy; 360 px.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBook, chapterPages, open, revealAll, widgetFixture, switchTheme, axe, bound } from '../lib.mjs';
import { WIDGET, widget, table, orderings } from './litmus-explorer.mjs';

const SITE = buildBook();
const pages = chapterPages().filter(p => readFileSync(join(SITE, p.html), 'utf8').includes('data-widget="litmus-explorer"'));

let server, browser;
const scenarios = [];
const scenario = (title, f) => scenarios.push([title, f]);

async function openAt(url, options = { theme: 'light' }) {
  const o = await open(browser, url, options);
  await revealAll(o.page);
  await o.page.waitForFunction(sel => {
    const roots = document.querySelectorAll(sel);
    return roots.length > 0 && [...roots].every(r => r.dataset.ready === 'true');
  }, WIDGET, { timeout: bound(10000) });
  return o;
}

/** The chapter page that the keyboard, store-buffering and axe scenarios share (light, 1280 px),
 *  opened by the first of them; with `options`, a page of its own. */
let shared;
async function within(options, f) {
  const own = options !== undefined;
  const o = own ? await openAt(server.url + pages[0].html, options) : (shared ??= await openAt(server.url + pages[0].html));
  try {
    await f(o.page, widget(o.page, 0));
    assert.deepEqual(o.errors, [], 'console errors');
    assert.deepEqual(o.foreign, [], 'requests to other hosts');
  } finally {
    if (own) await o.context.close();
  }
}

/** Focuses the menu of operation `n` (1-4) and picks `value` with the arrow keys alone. */
async function choose(page, w, n, value) {
  const menu = w.locator(`select.le-ordering[data-op="${n}"]`);
  await menu.focus();
  const options = await menu.evaluate(s => [...s.options].map(o => o.value));
  let at = options.indexOf(await menu.inputValue());
  const want = options.indexOf(value);
  while (at !== want) {
    await page.keyboard.press(at < want ? 'ArrowDown' : 'ArrowUp');
    at += at < want ? 1 : -1;
  }
  assert.equal(await menu.inputValue(), value, `menu ${n} shows ${value}`);
}

scenario('some chapter embeds a litmus explorer', () => {
  assert.ok(pages.length > 0, 'no chapter has <script type="application/json" data-widget="litmus-explorer">');
});

scenario('keyboard only: Tab to message passing, make the flag Release/Acquire, and (1, 0) becomes forbidden', () => within(undefined, async (page, w) => {
  await w.locator('button.le-test').first().focus();
  await page.keyboard.press('Enter');
  await w.locator('button.le-preset[data-preset="relaxed"]').click();
  assert.equal(await w.locator('button.le-test').first().getAttribute('aria-pressed'), 'true', 'Enter picks message passing');
  assert.deepEqual(await orderings(w), ['Relaxed', 'Relaxed', 'Relaxed', 'Relaxed']);
  let t = await table(w);
  assert.equal(t['1,0'].allowed, true, 'all Relaxed: (1, 0) is allowed');
  assert.equal(await w.locator('.le-why').getAttribute('data-source'), 'loom');
  await choose(page, w, 2, 'Release');
  await choose(page, w, 3, 'Acquire');
  const url = page.url();
  await page.keyboard.press('ArrowRight'); // Chromium: the next ordering; mdbook must not turn the page
  assert.equal(page.url(), url, 'ArrowRight on a menu stays on the page');
  await choose(page, w, 3, 'Acquire');
  const outline = await w.locator('select.le-ordering[data-op="3"]').evaluate(e => getComputedStyle(e).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused menu has a visible outline');
  t = await table(w);
  assert.equal(t['1,0'].allowed, false, 'Release/Acquire on the flag: (1, 0) is forbidden');
  assert.match(t['1,0'].verdict, /forbidden/);
  assert.equal(t['1,0'].count, 0, 'and never observed');
  assert.equal(['0,0', '0,1', '1,1'].every(o => t[o].allowed), true);
  assert.match(await w.locator('.le-why-text').textContent(), /synchronizes with/);
  // SeqCst on the flag's store: the same edge, and the answer comes from the model's argument.
  await choose(page, w, 2, 'SeqCst');
  assert.equal((await table(w))['1,0'].allowed, false);
  assert.equal(await w.locator('.le-why').getAttribute('data-source'), 'reasoning');
  assert.match(await w.locator('.le-source-note').textContent(), /loom runs SeqCst as AcqRel/);
}));

scenario('store buffering: (0, 0) is allowed with Release/Acquire and with three SeqCst, forbidden with all four', () => within(undefined, async (page, w) => {
  await w.locator('button.le-test[data-test="sb"]').focus();
  await page.keyboard.press(' ');
  assert.equal(await w.locator('button.le-test[data-test="sb"]').getAttribute('aria-pressed'), 'true', 'Space picks store buffering');
  await w.locator('button.le-preset[data-preset="release-acquire"]').focus();
  await page.keyboard.press('Enter');
  assert.deepEqual(await orderings(w), ['Release', 'Acquire', 'Release', 'Acquire']);
  assert.equal((await table(w))['0,0'].allowed, true, 'Release/Acquire allows (0, 0)');
  await w.locator('button.le-preset[data-preset="seqcst"]').focus();
  await page.keyboard.press('Enter');
  const all = await table(w);
  assert.equal(all['0,0'].allowed, false, 'all four SeqCst forbid (0, 0)');
  assert.equal(all['0,0'].count, 0);
  assert.match(await w.locator('.le-source-note').textContent(), /loom runs SeqCst as AcqRel, and so it finds \(0, 0\) here/);
  await choose(page, w, 2, 'Acquire'); // r1's load no longer SeqCst
  assert.equal((await table(w))['0,0'].allowed, true, 'a SeqCst store followed by an Acquire load allows (0, 0)');
  assert.match(await w.locator('.le-table caption').textContent(), /SeqCst, Acquire, SeqCst, SeqCst/);
  // Each test keeps its own choice.
  await w.locator('button.le-test[data-test="mp"]').click();
  await w.locator('button.le-test[data-test="sb"]').click();
  assert.deepEqual(await orderings(w), ['SeqCst', 'Acquire', 'SeqCst', 'SeqCst']);
}));

scenario('broken data renders a .widget-error, and the page goes on', async () => {
  const f = widgetFixture(SITE, 'litmus-explorer', { copies: 2, mutate: (j, k) => (k === 0 ? j.replace('"rules"', '"rulez"') : j) });
  server.route(f.path, f.html);
  const o = await openAt(server.url + f.path);
  try {
    assert.match(await widget(o.page, 0).locator('.widget-error').textContent(), /Litmus explorer: test "mp" needs rules/);
    assert.equal(await widget(o.page, 1).locator('.widget-error').count(), 0, 'the good copy is built');
    assert.equal(await widget(o.page, 1).locator('.le-table tbody tr').count(), 4);
    assert.deepEqual(o.errors, [], 'no console errors');
  } finally {
    await o.context.close();
  }
});

scenario('axe finds no violations, light and navy, with the programs shown', () => within(undefined, async (page, w) => {
  await w.locator('.le-programs summary').click();
  for (const theme of ['light', 'navy']) {
    if (theme !== 'light') await switchTheme(page, theme);
    await w.locator('button.le-test[data-test="sb"]').click();
    await w.locator('button.le-preset[data-preset="seqcst"]').click();
    assert.deepEqual(await axe(page, WIDGET, 0), [], `store buffering, all SeqCst (${theme})`);
    await w.locator('button.le-test[data-test="mp"]').click();
    await w.locator('button.le-preset[data-preset="relaxed"]').click();
    assert.deepEqual(await axe(page, WIDGET, 0), [], `message passing, all Relaxed (${theme})`);
  }
}));

scenario('at 360 px the explorer fits and the page does not overflow', () => within({ theme: 'light', viewport: { width: 360, height: 740 } }, async (page, w) => {
  await w.locator('button.le-test[data-test="sb"]').click();
  await w.locator('button.le-preset[data-preset="release-acquire"]').click();
  const m = await w.evaluate(root => {
    let widest = 0;
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('.le-source')) continue; // the programs scroll inside their box
      widest = Math.max(widest, el.getBoundingClientRect().right);
    }
    return { page: document.documentElement.scrollWidth, right: root.getBoundingClientRect().right, widest };
  });
  assert.ok(m.page <= 360, `the page is ${m.page} px wide`);
  assert.ok(m.right <= 360 && m.widest <= 360, `the widget reaches ${Math.max(m.right, m.widest)} px`);
  const menu = await w.locator('select.le-ordering').first().boundingBox();
  assert.ok(menu.height >= 24, 'the menus are big enough to tap');
}));

/** Runs the scenarios above, in order, as subtests of `t`, in the run's browser and server. */
export default async function behaviour(t, env) {
  ({ server, browser } = env);
  try {
    for (const [title, f] of scenarios) await t.test(title, f);
  } finally {
    await shared?.context.close();
    shared = undefined;
  }
}

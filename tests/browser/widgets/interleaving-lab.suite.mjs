// The interleaving lab's behaviour suite (src/widgets/interleaving-lab.js), run once for the widget
// kind by pages.test.mjs, on the chapter page that embeds the labs (the lost update, then ABBA):
//
//   cd tests/browser && node --test --test-name-pattern=interleaving pages.test.mjs
//
// The reader steps to the lost update and sees counter = 1; steps to the ABBA deadlock and sees
// both threads Blocked and the wait-for cycle; switches to the fix and finds only the correct
// outcome reachable; does it all with the keyboard; axe in light and navy; 360 px.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBook, chapterPages, open, revealAll, switchTheme, axe, bound } from '../lib.mjs';
import { WIDGET, widget, data, stepButton, outcome, play } from './interleaving-lab.mjs';

const SITE = buildBook();
const pages = chapterPages().filter(p => readFileSync(join(SITE, p.html), 'utf8').includes('data-widget="interleaving-lab"'));

let server, browser;
const scenarios = [];
const scenario = (title, f) => scenarios.push([title, f]);

/** Opens the chapter page and waits until every lab on it is built. */
async function openPage(options = { theme: 'light' }) {
  const o = await open(browser, server.url + pages[0].html, options);
  await revealAll(o.page);
  await o.page.waitForFunction(sel => {
    const roots = document.querySelectorAll(sel);
    return roots.length > 0 && [...roots].every(r => r.dataset.ready === 'true');
  }, WIDGET, { timeout: bound(10000) });
  return o;
}

/** The page's labs: the one with a counter (the lost update) and the one with two locks (ABBA). */
async function labs(page) {
  const n = await page.locator(WIDGET).count();
  const out = {};
  for (let i = 0; i < n; i++) {
    const d = await data(page, i);
    if (d.variants[0].counter !== undefined) out.lost = { i, d };
    else out.abba = { i, d };
  }
  assert.ok(out.lost && out.abba, 'the page has a lost-update lab and an ABBA lab');
  return out;
}

function clean(o) {
  assert.deepEqual(o.errors, [], 'console errors');
  assert.deepEqual(o.foreign, [], 'requests to other hosts');
}

async function within(options, f) {
  const o = await openPage(options);
  try {
    await f(o.page, await labs(o.page));
    clean(o);
  } finally {
    await o.context.close();
  }
}

scenario('some chapter embeds an interleaving lab', () => {
  assert.ok(pages.length > 0, 'no chapter has <script type="application/json" data-widget="interleaving-lab">');
});

scenario('the lost update: thread 1 reads, thread 2 reads, both write, and the counter is 1', () => within(undefined, async (page, { lost }) => {
  const w = widget(page, lost.i);
  await play(w, [1, 2, 1]);
  assert.equal(await outcome(w), null, 'not finished after three steps');
  assert.match(await w.locator('.il-thread[data-thread="2"] .il-held').textContent(), /v = 0/, 'thread 2 read 0');
  await stepButton(w, 2).click();
  assert.equal(await outcome(w), 'counter = 1');
  assert.match(await w.locator('.il-outcome').textContent(), /counter = 1, where counter = 2 was meant/);
  assert.match(await w.locator('.il-live').textContent(), /Outcome: counter = 1/, 'the live region says it');
  assert.equal(await w.locator('.il-log li').count(), 4, 'the log lists the four steps');
  await w.locator('button.il-undo').click();
  assert.equal(await outcome(w), null, 'Undo takes the last step back');
}));

scenario('ABBA: each thread takes its first lock, then both are Blocked and the cycle is drawn', () => within(undefined, async (page, { abba }) => {
  const w = widget(page, abba.i);
  await play(w, [1, 2]);
  assert.deepEqual(await w.locator('.il-state').allTextContents(), ['Ready', 'Ready']);
  await stepButton(w, 1).click();
  assert.deepEqual(await w.locator('.il-state').allTextContents(), ['Blocked', 'Ready']);
  assert.equal(await stepButton(w, 1).getAttribute('aria-disabled'), 'true', 'a blocked thread cannot be stepped');
  await stepButton(w, 1).dispatchEvent('click'); // aria-disabled: it says why instead
  assert.match(await w.locator('.il-live').textContent(), /Thread 1 is blocked: it waits for b, which thread 2 holds/);
  await stepButton(w, 2).click();
  assert.deepEqual(await w.locator('.il-state').allTextContents(), ['Blocked', 'Blocked']);
  assert.equal(await outcome(w), 'deadlock: both threads blocked');
  const svg = w.locator('svg.il-svg');
  assert.equal(await svg.getAttribute('role'), 'img');
  const name = await w.locator('svg.il-svg title').textContent();
  assert.equal(name, 'Wait-for graph, a cycle: thread 1 waits for lock b, held by thread 2, which waits for lock a, held by thread 1.');
  assert.equal(await w.locator('.il-edge.il-cycle').count(), 4, 'four arrows: T1 → b → T2 → a → T1');
  assert.equal(await w.locator('.il-edge.il-waits').count(), 2);
  assert.match(await w.locator('.il-graph figcaption').textContent(), /thread 1 → lock b \(held by thread 2\) → thread 2 → lock a \(held by thread 1\) → thread 1/);
  assert.match(await w.locator('.il-live').textContent(), /Deadlock: thread 1 waits for lock b, held by thread 2/);
}));

scenario('the fixes: every outcome the lab can reach is the correct one', () => within(undefined, async (page, all) => {
  for (const { i, d } of [all.lost, all.abba]) {
    const w = widget(page, i);
    await w.locator('button.il-variant').nth(1).click();
    await w.locator('button.il-all').click();
    assert.equal(await w.locator('button.il-all').getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await w.locator('.il-outcomes li').evaluateAll(li => li.map(e => e.dataset.outcome)), [d.correct], `${d.title}: only ${d.correct}`);
    // The bad schedule of the bug, tried on the fix.
    const bad = d.variants[0].outcomes.find(o => o.result !== d.correct).schedule;
    await w.locator('button.il-reset').click();
    for (const t of bad) if ((await stepButton(w, t).getAttribute('aria-disabled')) === 'false') await stepButton(w, t).click();
    for (let n = 0; n < 8 && !(await outcome(w)); n++) {
      for (const t of [1, 2]) if (!(await outcome(w)) && (await stepButton(w, t).getAttribute('aria-disabled')) === 'false') await stepButton(w, t).click();
    }
    assert.equal(await outcome(w), d.correct, `${d.title}: the fix ends with ${d.correct}`);
    // The bug's list has the bad outcome too.
    await w.locator('button.il-variant').nth(0).click();
    await w.locator('button.il-all').click();
    const listed = await w.locator('.il-outcomes li').evaluateAll(li => li.map(e => e.dataset.outcome));
    assert.deepEqual(new Set(listed), new Set(d.variants[0].outcomes.map(o => o.result)), `${d.title}: the bug's outcomes`);
    await w.locator('.il-outcomes li').filter({ hasNotText: d.correct }).locator('button.il-replay').click();
    assert.notEqual(await outcome(w), d.correct, 'Play it replays a bad order');
  }
}));

scenario('keyboard only: Tab to the step buttons, Enter and Space step, 1 and 2 too, focus stays visible', () => within(undefined, async (page, { abba }) => {
  const w = widget(page, abba.i);
  await w.locator('button.il-variant').first().focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab'); // the program's scrollable region
  assert.equal(await w.locator('.il-source').evaluate(e => e === document.activeElement), true, 'Tab reaches the program');
  await page.keyboard.press('Tab');
  assert.equal(await stepButton(w, 1).evaluate(e => e === document.activeElement), true, 'Tab reaches "Step thread 1"');
  const outline = await stepButton(w, 1).evaluate(e => getComputedStyle(e).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused button has a visible outline');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await stepButton(w, 2).evaluate(e => e === document.activeElement), true);
  await page.keyboard.press(' ');
  await page.keyboard.press('1');
  await page.keyboard.press('2');
  assert.equal(await outcome(w), 'deadlock: both threads blocked', 'Enter, Space, 1, 2: the deadlock');
  assert.equal(await stepButton(w, 2).evaluate(e => e === document.activeElement), true, 'focus stays on the blocked thread\'s button');
  await w.locator('button.il-variant').nth(1).focus();
  await page.keyboard.press('Enter');
  assert.equal(await w.locator('button.il-variant').nth(1).getAttribute('aria-pressed'), 'true', 'Enter picks the fix');
  for (const k of ['ArrowLeft', 'ArrowRight', 'ArrowLeft', 'ArrowRight', 'ArrowRight']) await page.keyboard.press(k);
  assert.equal(await outcome(w), 'both threads finished');
}));

scenario('with reduced motion nothing animates', () => within({ theme: 'light', reducedMotion: 'reduce' }, async (page, { abba }) => {
  const w = widget(page, abba.i);
  await play(w, [1, 2, 1, 2]);
  assert.equal(await page.evaluate(() => document.getAnimations().length), 0, 'no animations or transitions');
}));

scenario('axe finds no violations in the deadlock and in the fix, light and navy', () => within(undefined, async (page, { lost, abba }) => {
  for (const theme of ['light', 'navy']) {
    if (theme !== 'light') await switchTheme(page, theme);
    const w = widget(page, abba.i);
    await w.locator('button.il-variant').nth(0).click();
    await play(w, [1, 2, 1, 2]);
    await stepButton(w, 1).focus();
    assert.deepEqual(await axe(page, WIDGET, abba.i), [], `the deadlock (${theme})`);
    await w.locator('button.il-variant').nth(1).click();
    await play(w, [1, 2]);
    await w.locator('button.il-all').click();
    assert.deepEqual(await axe(page, WIDGET, abba.i), [], `the fix, all outcomes shown (${theme})`);
    const l = widget(page, lost.i);
    await play(l, [1, 2, 1, 2]);
    assert.deepEqual(await axe(page, WIDGET, lost.i), [], `the lost update (${theme})`);
  }
}));

scenario('at 360 px the labs fit and the page does not overflow', () => within({ theme: 'light', viewport: { width: 360, height: 740 } }, async (page, { abba }) => {
  const w = widget(page, abba.i);
  await play(w, [1, 2, 1, 2]);
  const m = await w.evaluate(root => {
    let widest = 0;
    for (const el of root.querySelectorAll('*')) {
      if (el.closest('.il-source')) continue; // the program scrolls inside its box
      widest = Math.max(widest, el.getBoundingClientRect().right);
    }
    return { page: document.documentElement.scrollWidth, right: root.getBoundingClientRect().right, widest };
  });
  assert.ok(m.page <= 360, `the page is ${m.page} px wide`);
  assert.ok(m.right <= 360 && m.widest <= 360, `the widget reaches ${Math.max(m.right, m.widest)} px`);
}));

/** Runs the scenarios above, in order, as subtests of `t`, in the run's browser and server. */
export default async function behaviour(t, env) {
  ({ server, browser } = env);
  for (const [title, f] of scenarios) await t.test(title, f);
}

// The litmus explorer (src/widgets/litmus-explorer.js): helpers for its behaviour suite
// (litmus-explorer.suite.mjs) and the cheap check every embedded instance gets (pages.test.mjs,
// on the page that embeds it).

import assert from 'node:assert/strict';

export const WIDGET = '.widget-litmus-explorer';
const DATA = 'script[type="application/json"][data-widget="litmus-explorer"]';

export const widget = (page, i) => page.locator(WIDGET).nth(i);
export const data = (page, i) => page.$$eval(DATA, (els, i) => JSON.parse(els[i].textContent), i);

/** The table as the reader sees it: { "0,0": { allowed, count }, … }. */
export async function table(w) {
  return w.locator('.le-table tbody tr').evaluateAll(rows => Object.fromEntries(rows.map(r =>
    [r.dataset.outcome, { allowed: r.dataset.allowed === 'true', count: Number(r.querySelector('.le-count').dataset.count), verdict: r.querySelector('.le-verdict').textContent }])));
}

/** The sample's counts, as the page includes them: { "mp Relaxed …": [n, n, n, n] } and rounds. */
export async function sample(page, d) {
  const text = await page.$eval(`[id="${d.sample}"]`, e => e.textContent);
  const counts = {};
  let rounds = 0;
  for (const l of text.split('\n')) {
    const m = l.match(/^(\w+ \w+ \w+ \w+ \w+): 0,0=(\d+) 0,1=(\d+) 1,0=(\d+) 1,1=(\d+)$/);
    if (m) counts[m[1]] = m.slice(2).map(Number);
    const r = l.match(/^rounds: (\d+) /);
    if (r) rounds = Number(r[1]);
  }
  return { counts, rounds };
}

/** The rule of the data that applies to a choice of orderings (the first whose `when` matches). */
export const ruleFor = (t, o) => t.rules.find(r => r.when.every((w, i) => w === '*' || w.includes(o[i])));

/** The orderings the widget's menus show. */
export const orderings = w => w.locator('select.le-ordering').evaluateAll(s => s.map(e => e.value));

/**
 * Every embedded explorer: a button per test, four ordering menus, and for each test's three
 * presets the table the data's first matching rule gives, with the sample's counts.
 */
export async function instanceCheck(page, i, { operate = true } = {}) {
  const d = await data(page, i);
  const label = `litmus explorer ${i + 1} ("${d.title}")`;
  const w = widget(page, i);
  assert.equal(await w.locator('.widget-error').count(), 0, `${label}: the widget reports broken data`);
  assert.equal(await w.locator('button.le-test').count(), d.tests.length, `${label}: a button per test`);
  if (!operate) return;
  const { counts } = await sample(page, d);
  // Every test with each preset, clicked inside the page in one round trip (render is synchronous).
  const seen = await w.evaluate(root => {
    const out = [];
    root.querySelectorAll('button.le-test').forEach(t => {
      t.click();
      for (const p of root.querySelectorAll('button.le-preset')) {
        p.click();
        out.push({
          menus: root.querySelectorAll('select.le-ordering').length,
          o: [...root.querySelectorAll('select.le-ordering')].map(s => s.value),
          rows: [...root.querySelectorAll('.le-table tbody tr')].map(r => [r.dataset.outcome, r.dataset.allowed === 'true', Number(r.querySelector('.le-count').dataset.count)]),
        });
      }
    });
    return out;
  });
  assert.equal(seen.length, d.tests.length * 3, `${label}: three presets per test`);
  for (const [k, v] of seen.entries()) {
    const t = d.tests[Math.floor(k / 3)];
    const key = `${t.id} ${v.o.join(' ')}`;
    assert.equal(v.menus, 4, `${label}, ${t.id}: a menu per operation`);
    const rule = ruleFor(t, v.o);
    assert.deepEqual(v.rows, ['0,0', '0,1', '1,0', '1,1'].map((out, j) => [out, rule.allowed.includes(out), counts[key][j]]), `${label}, ${key}: the data's verdicts and the sample's counts`);
  }
  await w.locator('button.le-test').first().click();
  await w.locator('button.le-preset[data-preset="relaxed"]').click();
}

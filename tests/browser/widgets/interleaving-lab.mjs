// The interleaving lab (src/widgets/interleaving-lab.js): helpers for its behaviour suite
// (interleaving-lab.suite.mjs) and the cheap check every embedded instance gets (pages.test.mjs,
// on the page that embeds it).

import assert from 'node:assert/strict';

export const WIDGET = '.widget-interleaving-lab';
const DATA = 'script[type="application/json"][data-widget="interleaving-lab"]';

export const widget = (page, i) => page.locator(WIDGET).nth(i);
export const data = (page, i) => page.$$eval(DATA, (els, i) => JSON.parse(els[i].textContent), i);
export const stepButton = (w, t) => w.locator(`button.il-step[data-thread="${t}"]`);
export const outcome = async w => (await w.locator('.il-outcome').isVisible()) ? w.locator('.il-outcome').getAttribute('data-outcome') : null;

/** Plays `schedule` (thread numbers) from the start with the step buttons. */
export async function play(w, schedule) {
  await w.locator('button.il-reset').click();
  for (const t of schedule) await stepButton(w, t).click();
}

/**
 * Every embedded lab: both variants are drawn from the data (the program's lines, a panel and a
 * step button per thread), and each outcome of the data is reached by playing its schedule.
 */
export async function instanceCheck(page, i, { operate = true } = {}) {
  const d = await data(page, i);
  const label = `interleaving lab ${i + 1} ("${d.title}")`;
  const w = widget(page, i);
  assert.equal(await w.locator('.widget-error').count(), 0, `${label}: the widget reports broken data`);
  assert.equal(await w.locator('button.il-variant').count(), 2, `${label}: a button for the bug and one for the fix`);
  for (const [k, v] of d.variants.entries()) {
    await w.locator('button.il-variant').nth(k).click();
    assert.equal(await w.locator('button.il-variant').nth(k).getAttribute('aria-pressed'), 'true');
    const program = await page.$eval(`[id="${v.program}"]`, e => e.textContent);
    const lines = program.split('\n');
    if (lines[0].trim() === '') lines.shift();
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    assert.equal(await w.locator('.il-line').count(), lines.length, `${label}, "${v.label}": every line of the program`);
    assert.equal(await w.locator('.il-thread').count(), 2, `${label}: a panel per thread`);
    if (!operate) continue;
    for (const o of v.outcomes) {
      await play(w, o.schedule);
      assert.equal(await outcome(w), o.result, `${label}, "${v.label}": schedule ${o.schedule} ends with ${o.result}`);
    }
    await w.locator('button.il-reset').click();
  }
  await w.locator('button.il-variant').first().click();
}

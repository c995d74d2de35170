import { bound } from '../lib.mjs';
// The thread-lifecycle timeline (src/widgets/timeline.js): helpers for its behaviour suite
// (timeline.test.mjs, on a fixture page) and the cheap check every embedded instance gets
// (pages.test.mjs, on the page that embeds it).

import assert from 'node:assert/strict';

export const WIDGET = '.widget-timeline';
const DATA = 'script[type="application/json"][data-widget="timeline"]';

export const widget = (page, i) => page.locator(WIDGET).nth(i);
export const clock = async w => parseInt(await w.locator('.tl-clock').textContent(), 10);
export const setSpeed = (w, s) => w.locator('select.tl-speed').selectOption(String(s));
export const scrubTo = (w, ms) => w.locator('input.tl-scrub').fill(String(ms));

/** The data of the page's `i`-th timeline. */
export const data = (page, i) => page.$$eval(DATA, (els, i) => JSON.parse(els[i].textContent), i);

/** Waits until the clock of the page's `i`-th timeline has left 0. */
export const clockMoved = (page, i) => page.waitForFunction(([sel, i]) =>
  parseInt(document.querySelectorAll(sel)[i].querySelector('.tl-clock').textContent, 10) > 0, [WIDGET, i], { timeout: bound(10000) });

/** The listing's lines as the widget numbers them. */
export const programLines = text => text.replace(/^\r?\n/, '').replace(/\r?\n[ \t]*$/, '').replace(/\r?\n$/, '').split(/\r?\n/);

/**
 * The queue length the data gives each cell of a mode with a channel: that of the last event with
 * an op at or before the cell's start (0 before the first).
 */
export function queueCells(d, m) {
  const cells = d.duration_ms / d.cell_ms;
  const out = [];
  let q = 0, k = 0;
  for (let i = 0; i < cells; i++) {
    while (k < m.events.length && m.events[k].t <= i * d.cell_ms) { if (m.events[k].op) q = m.events[k].queue; k++; }
    out.push(q);
  }
  return out;
}

/** The digits the queue row of the widget shows, cell by cell ('' for a cell not reached yet). */
export const queueRow = w => w.locator('.tl-queue-track .tl-cell').allTextContents();

/**
 * What the data says is drawn: a "Core k" line per core of the first mode, a row per thread (and
 * a "queue length" row when the mode has a channel), a button per mode (when there are several),
 * every line of the program, the model's caveat, and the clock at 0.
 */
export async function checkDrawn(page, i, d, label) {
  const w = widget(page, i);
  assert.equal(await w.locator('.widget-error').count(), 0, `${label}: the widget reports broken data`);
  assert.equal(await w.locator('.tl-core').count(), d.modes[0].cores, `${label}: one "Core k" line per core`);
  assert.equal(await w.locator('.tl-track:not(.tl-queue-track)').count(), d.threads.length, `${label}: one row of cells per thread`);
  assert.equal(await w.locator('.tl-queue-track').count(), d.modes[0].channel ? 1 : 0, `${label}: a queue length row exactly when the mode has a channel`);
  assert.equal(await w.locator('.tl-mode').count(), d.modes.length > 1 ? d.modes.length : 0, `${label}: one button per mode`);
  const program = await page.$eval(`[id="${d.program}"]`, e => e.textContent);
  assert.equal(await w.locator('.tl-line').count(), programLines(program).length, `${label}: the source shows every line of the program`);
  assert.match(await w.locator('.tl-model').textContent(), /not from a measurement/, `${label}: the model's caveat`);
  assert.equal(await clock(w), 0, `${label}: the clock starts at 0`);
}

/** Every embedded timeline: drawn from its data, and (`operate`) the scrubber plays it to its end. */
export async function instanceCheck(page, i, { operate = true } = {}) {
  const d = await data(page, i);
  const label = `timeline ${i + 1} ("${d.title}")`;
  await checkDrawn(page, i, d, label);
  if (!operate) return;
  const w = widget(page, i);
  await scrubTo(w, d.duration_ms);
  assert.equal(await clock(w), d.duration_ms, `${label}: the scrubber sets the clock`);
  assert.ok(await w.locator('.tl-takeaway').isVisible(), `${label}: the takeaway shows at the end`);
  assert.equal(await w.locator('.tl-switches').getAttribute('data-count'), String(d.modes[0].context_switches),
    `${label}: the switch count at the end`);
  if (d.modes[0].channel) {
    assert.deepEqual((await queueRow(w)).map(Number), queueCells(d, d.modes[0]), `${label}: the queue row at the end shows the data's queue lengths`);
  }
  await scrubTo(w, 0);
  assert.equal(await clock(w), 0, `${label}: back to 0`);
}

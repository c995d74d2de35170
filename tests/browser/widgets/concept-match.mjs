// The concept-match widget (src/widgets/concept-match.js): helpers for its behaviour suite
// (concept-match.test.mjs, on a fixture page) and the cheap check every embedded deck gets
// (pages.test.mjs, on the page that embeds it).

import assert from 'node:assert/strict';
import { axe as axeScan, bound } from '../lib.mjs';

export const WIDGET = '.widget-concept-match';

/** Waits until every deck of the page is built, and none reports broken data. */
export async function ready(page) {
  await page.waitForFunction(() => {
    const n = document.querySelectorAll(`script[data-widget="concept-match"]`).length;
    return n > 0 && document.querySelectorAll('.widget-concept-match[data-ready="true"]').length === n;
  }, null, { timeout: bound(15000) });
  assert.equal(await page.locator('.widget-concept-match .widget-error').count(), 0,
    await page.locator('.widget-concept-match .widget-error').allInnerTexts().then(t => t.join('\n')));
}

/** The deck's data, read from the script element right after the widget. */
export function deckData(page, i) {
  return page.evaluate(i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    return JSON.parse(root.nextElementSibling.textContent);
  }, i);
}

/** Where every definition is: { pool: [def ids, in order], slots: { concept: def | null }, score, held };
 *  in a deck of bins, slots: { bin: [def ids, in order] }. */
export function state(page, i) {
  return page.evaluate(i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    const bins = root.classList.contains('cm-bins');
    const slots = {};
    for (const z of root.querySelectorAll('.cm-zone')) {
      const c = [...z.querySelectorAll('.cm-card')].map(c => c.dataset.def);
      slots[z.dataset.concept] = bins ? c : c[0] ?? null;
    }
    return {
      pool: [...root.querySelectorAll('.cm-pool-item:not([hidden]) .cm-card')].map(c => c.dataset.def),
      slots,
      score: root.querySelector('.cm-score').textContent,
      held: [...root.querySelectorAll('.cm-card[aria-pressed="true"]')].map(c => c.dataset.def),
    };
  }, i);
}

/** What has the focus, in terms the tests speak: { card, zone, cls }. */
export function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const zone = a && a.closest('.cm-zone');
    return {
      card: a && a.classList.contains('cm-card') ? a.dataset.def : null,
      zone: zone ? zone.dataset.concept : null,
      cls: a ? a.className : null,
    };
  });
}

/** axe-core on the `i`-th deck. */
export async function axe(page, i, label) {
  const violations = await axeScan(page, WIDGET, i);
  assert.deepEqual(violations, [], `axe, ${label}:\n${violations.join('\n')}`);
}

export const deckRoot = (page, i) => page.locator(WIDGET).nth(i);
export const card = (page, i, def) => deckRoot(page, i).locator(`.cm-card[data-def="${def}"]`);
export const zone = (page, i, concept) => deckRoot(page, i).locator(`.cm-zone[data-concept="${concept}"]`);

/** A wrong arrangement: the first two concepts' definitions swapped, the rest right. */
export function wrongPlan(data) {
  const defOf = Object.fromEntries(data.definitions.map(d => [d.concept, d.id]));
  const [a, b] = data.concepts.map(c => c.id);
  const plan = Object.fromEntries(data.concepts.map(c => [c.id, defOf[c.id]]));
  plan[a] = defOf[b];
  plan[b] = defOf[a];
  return { plan, a, b };
}

/** The checks of a freshly built deck: complete, shuffled, empty, instructions wired up. */
export async function checkRendered(page, i, label = `deck ${i + 1}`) {
  const data = await deckData(page, i);
  const s = await state(page, i);
  assert.deepEqual([...s.pool].sort(), data.definitions.map(d => d.id).sort(), `${label}: the pool holds every definition`);
  assert.notDeepEqual(s.pool, data.definitions.map(d => d.id), `${label}: the pool is shuffled`);
  assert.deepEqual(Object.keys(s.slots), data.concepts.map(c => c.id), `${label}: one slot per concept, in order`);
  assert.ok(Object.values(s.slots).every(v => v === null || (Array.isArray(v) && v.length === 0)), `${label}: slots start empty`);
  const root = deckRoot(page, i);
  assert.equal(await root.locator('.cm-title').innerText(), data.title, `${label}: its title`);
  // The keyboard instructions exist, and every card and empty slot points at them.
  const help = await root.locator('.cm-card').first().getAttribute('aria-describedby');
  assert.match(await page.locator(`[id="${help}"]`).textContent(), /Enter or Space.*arrow keys.*Escape/s, `${label}: keyboard instructions`);
  assert.equal(await root.locator(`.cm-card:not([aria-describedby="${help}"]), .cm-empty:not([aria-describedby="${help}"])`).count(), 0,
    `${label}: every card and empty slot points at the instructions`);
  const dupes = await page.evaluate(() => {
    const seen = new Map();
    for (const n of document.querySelectorAll('.widget-concept-match [id]')) seen.set(n.id, (seen.get(n.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(dupes, [], `${label}: duplicate ids`);
  return data;
}

/** Every embedded deck: built complete from its data, and (`operate`) a card can be placed and
 *  returned. */
export async function instanceCheck(page, i, { operate = true } = {}) {
  const data = await deckData(page, i);
  const label = `concept-match deck ${i + 1} ("${data.title}")`;
  assert.equal(await deckRoot(page, i).locator('.widget-error').count(), 0, `${label}: the widget reports broken data`);
  await checkRendered(page, i, label);
  if (!operate) return;
  const c = data.concepts[0].id;
  const d = data.definitions.find(x => x.concept === c).id;
  await card(page, i, d).click();
  assert.deepEqual((await state(page, i)).held, [d], `${label}: a click picks a card up`);
  await zone(page, i, c).locator('.cm-empty').click();
  const bins = data.bins === true;
  assert.deepEqual((await state(page, i)).slots[c], bins ? [d] : d, `${label}: a click on a slot places it`);
  await zone(page, i, c).locator('.cm-remove').click();
  const s = await state(page, i);
  assert.ok(s.pool.includes(d) && (bins ? s.slots[c].length === 0 : s.slots[c] === null), `${label}: × returns the card to the pool`);
}

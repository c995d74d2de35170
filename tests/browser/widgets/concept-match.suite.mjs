// The concept-match widget's behaviour suite (src/widgets/concept-match.js), run once for the widget
// kind by pages.test.mjs: on a fixture page made from the first chapter deck (lib.mjs
// widgetFixture: the book's own page, theme and widget files, that deck's real data), with a fresh
// copy of the deck for each scenario so that no scenario loads a page again: keyboard-only
// completion, grading and explanations, returning a card to the pool, mouse drag and drop, touch
// taps at 360 px, axe-core; and the same for a deck of bins ("bins": true, several cards per
// concept), whose copies are on the same page, made from the first chapter deck of bins. Every
// embedded deck (print.html's too) gets the cheap check of widgets/concept-match.mjs on its own page.
//
//   cd tests/browser && node --test --test-name-pattern=concept-match pages.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBook, chapterPages, open, revealAll, widgetFixture, switchTheme } from '../lib.mjs';
import { WIDGET, ready, deckData, state, focused, axe, deckRoot, card, zone, wrongPlan, checkRendered } from './concept-match.mjs';

const MARK = 'data-widget="concept-match"';
const SITE = buildBook();
const chapters = chapterPages().filter(p => readFileSync(join(SITE, p.html), 'utf8').includes(MARK));

/** The first chapter deck of bins: { page, json }, or null. */
const binsDeck = (() => {
  for (const p of chapters) {
    const html = readFileSync(join(SITE, p.html), 'utf8');
    for (const m of html.matchAll(/<script type="application\/json" data-widget="concept-match">([\s\S]*?)<\/script>/g)) {
      try {
        if (JSON.parse(m[1]).bins === true) return { page: p, json: m[1] };
      } catch { /* the page's own test reports it */ }
    }
  }
  return null;
})();

// One copy of the deck per scenario of the shared page (light, then navy; 1280 px); the copies
// named bins-… hold the deck of bins.
const SCENARIOS = ['keyboard', 'mouse', 'wrong', 'bins-keyboard', 'bins-mouse', 'bins-wrong'];
const copy = name => SCENARIOS.indexOf(name);
const deckOf = (json, i) => (SCENARIOS[i].startsWith('bins-') && binsDeck ? binsDeck.json : json);

let server, browser, fixture, single, singleBins, url, shared;

/** The scenarios, in the order they run (some share a page). */
const scenarios = [];
const scenario = (title, f) => scenarios.push([title, f]);

scenario('the book embeds concept-match decks', () => {
  assert.ok(chapters.length >= 2, `expected decks in at least two chapters, found: ${chapters.map(p => p.html).join(', ')}`);
});

async function openFixture(pageUrl, options) {
  const o = await open(browser, pageUrl, options);
  await revealAll(o.page);
  await ready(o.page);
  return o;
}

/** The page the scenarios share, opened by the first one that runs. */
async function page_() {
  shared ??= await openFixture(url, { theme: 'light' });
  return shared.page;
}

/** Nothing of the `i`-th deck sticks out of it, nor makes it scroll sideways. */
async function overflow(page, i, label) {
  const bad = await page.evaluate(i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    const box = root.getBoundingClientRect();
    const out = [];
    if (box.right > window.innerWidth + 0.5) out.push(`the widget ends at ${box.right}px`);
    if (root.scrollWidth > root.clientWidth) out.push(`the widget scrolls (${root.scrollWidth} > ${root.clientWidth})`);
    for (const n of root.querySelectorAll('*')) {
      const r = n.getBoundingClientRect();
      if (r.width > 1 && r.right > box.right + 0.5) out.push(`${n.className || n.tagName} ends at ${r.right}px`);
    }
    return out;
  }, i);
  assert.deepEqual(bad, [], `overflow, ${label}`);
}

function clean(o = shared) {
  assert.deepEqual(o.errors, [], 'console errors');
  assert.deepEqual(o.foreign, [], 'requests to other hosts');
}

// The fixture is made from the first chapter page that embeds the widget (widgetFixture).
const name = () => `concept-match (fixture from ${chapters[0]?.html})`;

scenario(`${name()}: renders; keyboard only gives the full score`, async () => {
  const page = await page_();
  const i = copy('keyboard');
  assert.equal(await page.locator(WIDGET).count(), SCENARIOS.length);
  await checkRendered(page, i);
  const data = await deckData(page, i);
  const conceptOf = Object.fromEntries(data.definitions.map(d => [d.id, d.concept]));
  const order = data.concepts.map(c => c.id);
  const root = deckRoot(page, i);

  // The starting point: the first card of the pool has the focus, as after tabbing to it.
  await root.locator('.cm-pool .cm-card').first().focus();

  // Arrow keys move between the pool's cards and do not reach mdbook's chapter navigation.
  const first = (await focused(page)).card;
  await page.keyboard.press('ArrowRight');
  assert.notEqual((await focused(page)).card, first, 'ArrowRight moves to the next card');
  await page.keyboard.press('ArrowLeft');
  assert.equal((await focused(page)).card, first);
  assert.equal(page.url(), url, 'arrow keys stayed on the page');

  // Escape puts a picked-up card down again.
  await page.keyboard.press('Enter');
  assert.deepEqual((await state(page, i)).held, [first]);
  await axe(page, i, 'holding a card (light)');
  await page.keyboard.press('Escape');
  assert.deepEqual((await state(page, i)).held, []);
  assert.equal((await focused(page)).card, first, 'the focus stays on the card');

  for (let n = 0; ; n++) {
    const def = (await focused(page)).card;
    assert.ok(def, `a pool card has the focus (${JSON.stringify(await focused(page))})`);
    const target = conceptOf[def];
    await page.keyboard.press(n % 2 ? ' ' : 'Enter');
    assert.deepEqual((await state(page, i)).held, [def], 'picked up');
    const last = (await state(page, i)).pool.length === 1;
    if (last) {
      // Tab works as well as the arrows.
      for (let k = 0; k < 40 && (await focused(page)).zone !== target; k++) await page.keyboard.press('Tab');
    } else {
      for (let k = 0; k <= order.indexOf(target); k++) await page.keyboard.press('ArrowDown');
    }
    assert.equal((await focused(page)).zone, target, 'the target slot has the focus');
    await page.keyboard.press(n % 2 ? 'Enter' : ' ');
    const s = await state(page, i);
    assert.equal(s.slots[target], def, `placed on ${target}`);
    assert.equal((await focused(page)).card, def, 'the focus follows the placed card');
    if (s.pool.length === 0) break;
    // Back to the pool with Shift+Tab.
    for (let k = 0; k < 40; k++) {
      await page.keyboard.press('Shift+Tab');
      const f = await focused(page);
      if (f.card && f.zone === null) break;
    }
  }

  // To "Check answers" with Tab.
  for (let k = 0; k < 20 && !(await focused(page)).cls?.includes('cm-check'); k++) await page.keyboard.press('Tab');
  assert.match((await focused(page)).cls, /cm-check/);
  await page.keyboard.press('Enter');
  const n = data.concepts.length;
  assert.match((await state(page, i)).score, new RegExp(`^${n} of ${n} right\\.`));
  assert.equal(await root.locator('.cm-slot.cm-right').count(), n);
  for (const v of await root.locator('.cm-verdict').allInnerTexts()) assert.match(v, /✓\s*Right\./);
  assert.equal(await root.locator('.cm-score').getAttribute('aria-live'), 'polite');

  // "Try again" puts everything back.
  for (let k = 0; k < 5 && !(await focused(page)).cls?.includes('cm-reset'); k++) await page.keyboard.press('Shift+Tab');
  assert.match((await focused(page)).cls, /cm-reset/);
  await page.keyboard.press('Enter');
  const s = await state(page, i);
  assert.equal(s.pool.length, n);
  assert.equal(s.score, '');
  assert.equal(await root.locator('.cm-feedback:not([hidden])').count(), 0);
  clean();
});

scenario(`${name()}: mouse drag and drop`, async () => {
  const page = await page_();
  const i = copy('mouse');
  const data = await deckData(page, i);
  const [c0, c1] = data.concepts.map(c => c.id);
  const defOf = Object.fromEntries(data.definitions.map(d => [d.concept, d.id]));
  await card(page, i, defOf[c0]).dragTo(zone(page, i, c0));
  assert.equal((await state(page, i)).slots[c0], defOf[c0], 'dragged from the pool to a slot');
  await card(page, i, defOf[c1]).dragTo(zone(page, i, c1));
  // From one slot onto another, full one: the old card goes back to the pool.
  await card(page, i, defOf[c0]).dragTo(zone(page, i, c1));
  let s = await state(page, i);
  assert.equal(s.slots[c1], defOf[c0]);
  assert.equal(s.slots[c0], null);
  assert.ok(s.pool.includes(defOf[c1]));
  // And back to the pool.
  await card(page, i, defOf[c0]).dragTo(deckRoot(page, i).locator('.cm-pool-area'));
  s = await state(page, i);
  assert.equal(s.pool.length, data.definitions.length);
  assert.equal(await deckRoot(page, i).locator('.cm-over').count(), 0);
  clean();
});

// The deck of bins: several cards per concept.
const binsName = () => `concept-match bins (fixture from ${binsDeck?.page.html})`;

scenario('the book embeds a concept-match deck of bins', () => {
  assert.ok(binsDeck, 'no chapter page has a concept-match deck with "bins": true');
});

/** A wrong arrangement of a deck of bins: the first cards of the first two bins swapped. */
function binsPlan(data) {
  const plan = Object.fromEntries(data.definitions.map(d => [d.id, d.concept]));
  const [a, b] = data.concepts.map(c => c.id).map(c => data.definitions.find(d => d.concept === c).id);
  [plan[a], plan[b]] = [plan[b], plan[a]];
  return { plan, wrong: [a, b] };
}

/** Places every card of `plan` (def -> bin) still in the pool, by clicks from inside the page. */
function placeAll(page, i, plan) {
  return page.evaluate(([i, plan]) => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    for (const [d, bin] of Object.entries(plan)) {
      const c = root.querySelector(`.cm-pool-item:not([hidden]) .cm-card[data-def="${d}"]`);
      if (!c) continue;
      c.click();
      root.querySelector(`.cm-zone[data-concept="${bin}"] .cm-empty`).click();
    }
  }, [i, plan]);
}

scenario(`${binsName()}: keyboard only sorts every card, moves one between bins, and gives the full score`, async () => {
  const page = await page_();
  const i = copy('bins-keyboard');
  const data = await checkRendered(page, i);
  const conceptOf = Object.fromEntries(data.definitions.map(d => [d.id, d.concept]));
  const order = data.concepts.map(c => c.id);
  const root = deckRoot(page, i);
  await root.locator('.cm-pool .cm-card').first().focus();
  for (let n = 0; ; n++) {
    const def = (await focused(page)).card;
    assert.ok(def, `a pool card has the focus (${JSON.stringify(await focused(page))})`);
    const target = conceptOf[def];
    await page.keyboard.press(n % 2 ? ' ' : 'Enter');
    // While a card is held, the arrows go from bin to bin, whatever the bins hold.
    for (let k = 0; k <= order.indexOf(target); k++) await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).zone, target, 'the target bin has the focus');
    await page.keyboard.press(n % 2 ? 'Enter' : ' ');
    const s = await state(page, i);
    assert.ok(s.slots[target].includes(def), `placed in ${target}`);
    if (s.pool.length === 0) {
      assert.match((await focused(page)).cls, /cm-check/, 'the last card hands the focus to "Check answers"');
      break;
    }
    assert.ok(s.pool.includes((await focused(page)).card), 'the focus moves on to a card still to sort');
  }
  // Back from "Check answers" into the bins; Home is the first card of the first bin.
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).zone, order.at(-1));
  await page.keyboard.press('Home');
  const moved = (await focused(page)).card;
  assert.equal(conceptOf[moved], order[0]);
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown'); // from its own bin to the next one
  assert.equal((await focused(page)).zone, order[1]);
  await page.keyboard.press('Enter');
  let s = await state(page, i);
  assert.ok(s.slots[order[1]].includes(moved) && !s.slots[order[0]].includes(moved), 'moved to the second bin');
  assert.equal((await focused(page)).card, moved, 'the focus follows a card moved between bins');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  assert.equal((await focused(page)).zone, order[0]);
  await page.keyboard.press('Enter');
  assert.ok((await state(page, i)).slots[order[0]].includes(moved), 'and back');
  assert.equal(page.url(), url, 'arrow keys stayed on the page');

  // End: the last bin's button; Tab: "Check answers".
  await page.keyboard.press('End');
  assert.equal((await focused(page)).zone, order.at(-1));
  await page.keyboard.press('Tab');
  assert.match((await focused(page)).cls, /cm-check/);
  await page.keyboard.press('Enter');
  const n = data.definitions.length;
  assert.match((await state(page, i)).score, new RegExp(`^${n} of ${n} right\\.`), 'the score counts cards');
  assert.equal(await root.locator('.cm-bin-item.cm-right').count(), n);
  for (const v of await root.locator('.cm-verdict').allInnerTexts()) assert.match(v, /✓\s*Right\./);
  await axe(page, i, 'deck of bins, graded, all right (light)');
  clean();
});

scenario(`${binsName()}: mouse drag into an empty bin, into a bin that holds cards, between bins and back`, async () => {
  const page = await page_();
  const i = copy('bins-mouse');
  const data = await deckData(page, i);
  const [b0, b1] = data.concepts.map(c => c.id);
  const [x, y, z] = data.definitions.map(d => d.id);
  // The whole deck in view, pool and bins, as a reader sees it while dragging (a drag that has
  // to scroll the page to reach its target never starts in Playwright).
  await deckRoot(page, i).evaluate(r => r.scrollIntoView({ block: 'start' }));
  await card(page, i, x).dragTo(zone(page, i, b0));
  let s = await state(page, i);
  assert.deepEqual(s.slots[b0], [x], 'dragged from the pool into an empty bin');
  await card(page, i, y).dragTo(zone(page, i, b0));
  s = await state(page, i);
  assert.deepEqual(s.slots[b0], [x, y], 'a bin that holds a card takes another');
  await card(page, i, z).dragTo(zone(page, i, b1));
  // Onto a card inside a bin that holds one: it joins it, nothing is sent back.
  await card(page, i, x).dragTo(card(page, i, z));
  s = await state(page, i);
  assert.deepEqual(s.slots[b0], [y]);
  assert.deepEqual(s.slots[b1], [z, x]);
  assert.equal(s.pool.length, data.definitions.length - 3, 'no card went back to the pool');
  await card(page, i, x).dragTo(deckRoot(page, i).locator('.cm-pool-area'));
  s = await state(page, i);
  assert.deepEqual(s.slots[b1], [z]);
  assert.ok(s.pool.includes(x));
  assert.equal(await deckRoot(page, i).locator('.cm-over').count(), 0);
  clean();
});

scenario(`${name()}: wrong placements are marked and explained; cards return to the pool (navy)`, async () => {
  const page = await page_();
  const i = copy('wrong');
  // The reader switches to a dark theme; the decks follow without a reload.
  await switchTheme(page, 'navy');
  const data = await deckData(page, i);
  const def = Object.fromEntries(data.definitions.map(d => [d.id, d]));
  const label = Object.fromEntries(data.concepts.map(c => [c.id, c.label]));
  const root = deckRoot(page, i);
  const { plan, a, b } = wrongPlan(data);

  // Checking too early says what is missing, and grades nothing.
  await root.locator('.cm-check').click();
  assert.match((await state(page, i)).score, /still in the pool/);
  assert.equal(await root.locator('.cm-feedback:not([hidden])').count(), 0);

  // Click a card, then a slot.
  await card(page, i, plan[a]).click();
  await zone(page, i, a).locator('.cm-empty').click();
  assert.equal((await state(page, i)).slots[a], plan[a]);

  // Dropping onto a full slot sends its card back to the pool.
  await card(page, i, plan[b]).click();
  await card(page, i, plan[a]).click();
  let s = await state(page, i);
  assert.equal(s.slots[a], plan[b]);
  assert.ok(s.pool.includes(plan[a]), 'the displaced card is back in the pool');

  // The × button returns a placed card to the pool, and says so in its name.
  const remove = zone(page, i, a).locator('.cm-remove');
  assert.match(await remove.getAttribute('aria-label'), /^Return ‘.+’ to the pool$/);
  await remove.click();
  s = await state(page, i);
  assert.equal(s.slots[a], null);
  assert.ok(s.pool.includes(plan[b]));
  assert.ok(await zone(page, i, a).locator('.cm-empty').isVisible());

  for (const [concept, d] of Object.entries(plan)) {
    await card(page, i, d).click();
    await zone(page, i, concept).locator('.cm-empty').click();
  }
  await root.locator('.cm-check').click();
  const n = data.concepts.length;
  assert.match((await state(page, i)).score, new RegExp(`^${n - 2} of ${n} right\\.`));
  for (const concept of [a, b]) {
    const slot = root.locator(`.cm-slot[data-concept="${concept}"]`);
    assert.match(await slot.getAttribute('class'), /cm-wrong/);
    const verdict = await slot.locator('.cm-verdict').innerText();
    assert.match(verdict, /✗\s*Wrong\./, 'marked with an icon and a word');
    assert.ok(verdict.includes(`definition of ${label[def[plan[concept]].concept]}`), verdict);
    const explain = slot.locator('.cm-explain');
    assert.ok(await explain.isVisible());
    assert.equal(await explain.textContent(), def[plan[concept]].explain.replace(/`/g, ''));
  }
  // Every definition's explanation is shown.
  assert.equal(await root.locator('.cm-explain:visible').count(), n);
  await axe(page, i, 'graded, right and wrong (navy)');
  clean();
});

scenario(`${binsName()}: each wrong card is marked and explained in its bin (navy)`, async () => {
  const page = await page_(); // in navy since the scenario above
  const i = copy('bins-wrong');
  const data = await deckData(page, i);
  const def = Object.fromEntries(data.definitions.map(d => [d.id, d]));
  const label = Object.fromEntries(data.concepts.map(c => [c.id, c.label]));
  const root = deckRoot(page, i);
  const { plan, wrong } = binsPlan(data);
  // The mouse places the two wrong cards (the second with a click in the bin, off its button);
  // the others are placed by clicks from inside the page (the same handlers, no round trips).
  const [w0, w1] = wrong;
  await card(page, i, w0).click();
  await zone(page, i, plan[w0]).locator('.cm-empty').click();
  await card(page, i, w1).click();
  await zone(page, i, plan[w1]).click({ position: { x: 3, y: 3 } });
  assert.ok((await state(page, i)).slots[plan[w1]].includes(w1), 'a click anywhere in a bin places the held card');
  await placeAll(page, i, plan);
  // The × of one card returns that card only.
  await root.locator(`.cm-bin-item[data-def="${w0}"] .cm-remove`).click();
  let s = await state(page, i);
  assert.ok(s.pool.includes(w0) && !s.slots[plan[w0]].includes(w0));
  assert.equal(s.pool.length, 1);
  await card(page, i, w0).click();
  await zone(page, i, plan[w0]).locator('.cm-empty').click();
  await root.locator('.cm-check').click();
  const n = data.definitions.length;
  assert.match((await state(page, i)).score, new RegExp(`^${n - 2} of ${n} right\\.`));
  const items = await root.locator('.cm-bin-item').evaluateAll(items => items.map(li => ({
    def: li.dataset.def, cls: li.className, verdict: li.querySelector('.cm-verdict').innerText,
    explain: li.querySelector('.cm-explain').textContent,
    described: li.querySelector('.cm-card').getAttribute('aria-describedby') === li.querySelector('.cm-feedback').id,
  })));
  assert.equal(items.length, n);
  for (const it of items) {
    const d = it.def;
    if (wrong.includes(d)) {
      assert.match(it.cls, /cm-wrong/);
      assert.match(it.verdict, /✗\s*Wrong\./, 'marked with an icon and a word');
      assert.ok(it.verdict.includes(`It belongs in ${label[def[d].concept]}.`), it.verdict);
    } else {
      assert.match(it.cls, /cm-right/);
      assert.match(it.verdict, /✓\s*Right\./);
    }
    assert.equal(it.explain, def[d].explain.replace(/`/g, ''));
    assert.ok(it.described, `${d}: the card is described by its own feedback`);
  }
  assert.equal(await root.locator('.cm-explain:visible').count(), n, 'every card shows its explanation');
  await axe(page, i, 'deck of bins, graded, right and wrong (navy)');
  clean();
});

scenario(`${binsName()}: touch taps at 360 px, without horizontal overflow`, async () => {
  const o = await openFixture(server.url + singleBins.path, {
    viewport: { width: 360, height: 740 },
    contextOptions: { hasTouch: true, isMobile: true, deviceScaleFactor: 1 },
  });
  const { page } = o;
  const i = 0;
  try {
    const data = await deckData(page, i);
    const { plan } = binsPlan(data);
    const root = deckRoot(page, i);
    await overflow(page, i, 'bins, initial');
    // Taps: a card onto a bin's button, a second onto a card already in that bin, a third onto
    // the bin itself, off its button; the rest by clicks from inside the page.
    const bin = data.concepts[0].id;
    const [a, b, c] = Object.keys(plan).filter(d => plan[d] === bin);
    assert.ok(c, `the plan puts three cards in ${bin}`);
    await card(page, i, a).tap();
    assert.deepEqual((await state(page, i)).held, [a], 'a tap picks the card up');
    await zone(page, i, bin).locator('.cm-empty').tap();
    await card(page, i, b).tap();
    await card(page, i, a).tap();
    await card(page, i, c).tap();
    await zone(page, i, bin).tap({ position: { x: 3, y: 3 } });
    assert.deepEqual((await state(page, i)).slots[bin], [a, b, c], 'taps placed three cards in one bin');
    await placeAll(page, i, plan);
    assert.equal((await state(page, i)).pool.length, 0);
    await overflow(page, i, 'bins, all placed');
    await root.locator('.cm-check').tap();
    const n = data.definitions.length;
    assert.match((await state(page, i)).score, new RegExp(`^${n - 2} of ${n} right\\.`));
    await overflow(page, i, 'bins, graded');
    await axe(page, i, 'deck of bins, graded, right and wrong (light, 360 px)');
    clean(o);
  } finally {
    await o.context.close();
  }
});

scenario(`${name()}: touch taps at 360 px, without horizontal overflow`, async () => {
  const o = await openFixture(server.url + single.path, {
    viewport: { width: 360, height: 740 },
    contextOptions: { hasTouch: true, isMobile: true, deviceScaleFactor: 1 },
  });
  const { page } = o;
  const i = 0;
  try {
    const data = await deckData(page, i);
    const { plan } = wrongPlan(data);
    const root = deckRoot(page, i);
    await overflow(page, i, 'initial');
    for (const [concept, d] of Object.entries(plan)) {
      await card(page, i, d).tap();
      assert.deepEqual((await state(page, i)).held, [d], 'a tap picks the card up');
      await zone(page, i, concept).locator('.cm-empty').tap();
      assert.equal((await state(page, i)).slots[concept], d, 'a tap on a slot places it');
    }
    await overflow(page, i, 'all placed');
    await root.locator('.cm-check').tap();
    const n = data.concepts.length;
    assert.match((await state(page, i)).score, new RegExp(`^${n - 2} of ${n} right\\.`));
    await overflow(page, i, 'graded');
    await axe(page, i, 'graded, right and wrong (light, 360 px)');
    clean(o);
  } finally {
    await o.context.close();
  }
});

/**
 * Runs the scenarios above, in order, as subtests of `t` (pages.test.mjs gives this suite one job
 * of its pool), in the run's browser, on fixture pages served by the run's server.
 */
export default async function behaviour(t, env) {
  ({ server, browser } = env);
  if (chapters.length > 0) {
    fixture = widgetFixture(SITE, 'concept-match', { copies: SCENARIOS.length, mutate: deckOf });
    server.route(fixture.path, fixture.html);
    url = server.url + fixture.path;
    single = widgetFixture(SITE, 'concept-match');
    single.path = single.path.replace(/\.html$/, '-single.html');
    server.route(single.path, single.html);
    if (binsDeck) {
      singleBins = widgetFixture(SITE, 'concept-match', { mutate: () => binsDeck.json });
      singleBins.path = singleBins.path.replace(/\.html$/, '-bins.html');
      server.route(singleBins.path, singleBins.html);
    }
  }
  try {
    for (const [title, f] of scenarios) await t.test(title, f);
  } finally {
    await shared?.context.close();
    shared = undefined;
  }
}

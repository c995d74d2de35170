// Browser tests of the concept-match widget (src/widgets/concept-match.js), on every page of the built
// book that embeds a deck: rendering, keyboard-only completion, grading and explanations,
// returning a card to the pool, mouse drag and drop, touch taps, axe-core, and a 360 px width.
//
//     cd tests/browser && node --test concept-match.test.mjs
//
// BOOK_SITE_DIR=<dir> skips the build (see lib.mjs).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildBook, serve, launch, open, revealAll } from './lib.mjs';

const AXE = join(ROOT, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js');
const MARK = 'data-widget="concept-match"';

const site = buildBook();
const server = await serve(site);
const browser = await launch();
after(async () => { await browser.close(); await server.close(); });

// Pages that embed a deck, found in the built site. print.html repeats every chapter: it gets the
// render checks (several decks on one page) but not the interaction scenarios.
const pages = readdirSync(site).filter(f => f.endsWith('.html'))
  .map(f => ({ file: f, decks: readFileSync(join(site, f), 'utf8').split(MARK).length - 1 }))
  .filter(p => p.decks > 0);
const chapters = pages.filter(p => p.file !== 'print.html');

test('the book embeds concept-match decks', () => {
  assert.ok(chapters.length >= 2, `expected decks in at least two chapters, found: ${pages.map(p => p.file).join(', ')}`);
});

// ---- helpers --------------------------------------------------------------------------------

async function ready(page) {
  await revealAll(page);
  await page.waitForFunction(() => {
    const n = document.querySelectorAll(`script[data-widget="concept-match"]`).length;
    return n > 0 && document.querySelectorAll('.widget-concept-match[data-ready="true"]').length === n;
  }, null, { timeout: 5000 });
  assert.equal(await page.locator('.widget-concept-match .widget-error').count(), 0,
    await page.locator('.widget-concept-match .widget-error').allInnerTexts().then(t => t.join('\n')));
}

/** The deck's data, read from the script element right after the widget. */
function deckData(page, i) {
  return page.evaluate(i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    return JSON.parse(root.nextElementSibling.textContent);
  }, i);
}

/** Where every definition is: { pool: [def ids, in order], slots: { concept: def | null }, score, held }. */
function state(page, i) {
  return page.evaluate(i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    const slots = {};
    for (const z of root.querySelectorAll('.cm-zone')) {
      const c = z.querySelector('.cm-card');
      slots[z.dataset.concept] = c ? c.dataset.def : null;
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
function focused(page) {
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

async function axe(page, i, label) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async i => {
    const root = document.querySelectorAll('.widget-concept-match')[i];
    const r = await window.axe.run(root);
    return r.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map(n => n.target.join(' ')).join('\n    ')}`);
  }, i);
  assert.deepEqual(violations, [], `axe, ${label}:\n${violations.join('\n')}`);
}

const clean = (errors, foreign) => {
  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(foreign, [], 'requests to other hosts');
};

const deckRoot = (page, i) => page.locator('.widget-concept-match').nth(i);
const card = (page, i, def) => deckRoot(page, i).locator(`.cm-card[data-def="${def}"]`);
const zone = (page, i, concept) => deckRoot(page, i).locator(`.cm-zone[data-concept="${concept}"]`);

/** A wrong arrangement: the first two concepts' definitions swapped, the rest right. */
function wrongPlan(data) {
  const defOf = Object.fromEntries(data.definitions.map(d => [d.concept, d.id]));
  const [a, b] = data.concepts.map(c => c.id);
  const plan = Object.fromEntries(data.concepts.map(c => [c.id, defOf[c.id]]));
  plan[a] = defOf[b];
  plan[b] = defOf[a];
  return { plan, a, b };
}

// ---- scenarios ------------------------------------------------------------------------------

/** The checks of a freshly loaded deck: complete, shuffled, empty, instructions wired up. */
async function checkRendered(page, i) {
  const data = await deckData(page, i);
  const s = await state(page, i);
  assert.deepEqual([...s.pool].sort(), data.definitions.map(d => d.id).sort(), 'the pool holds every definition');
  assert.notDeepEqual(s.pool, data.definitions.map(d => d.id), 'the pool is shuffled');
  assert.deepEqual(Object.keys(s.slots), data.concepts.map(c => c.id), 'one slot per concept, in order');
  assert.ok(Object.values(s.slots).every(v => v === null), 'slots start empty');
  const root = deckRoot(page, i);
  assert.equal(await root.locator('.cm-title').innerText(), data.title);
  // The keyboard instructions exist, and every card and empty slot points at them.
  const help = await root.locator('.cm-card').first().getAttribute('aria-describedby');
  assert.match(await page.locator(`[id="${help}"]`).textContent(), /Enter or Space.*arrow keys.*Escape/s);
  assert.equal(await root.locator(`.cm-card:not([aria-describedby="${help}"]), .cm-empty:not([aria-describedby="${help}"])`).count(), 0);
  const dupes = await page.evaluate(() => {
    const seen = new Map();
    for (const n of document.querySelectorAll('.widget-concept-match [id]')) seen.set(n.id, (seen.get(n.id) || 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(dupes, [], 'duplicate ids');
}

// print.html holds every chapter, so several decks on one page (the chapters are tested below).
for (const p of pages.filter(p => !chapters.includes(p))) {
  test(`${p.file}: every deck renders`, async () => {
    const { page, context, errors, foreign } = await open(browser, server.url + p.file);
    try {
      await ready(page);
      assert.equal(await page.locator('.widget-concept-match').count(), p.decks);
      for (let i = 0; i < p.decks; i++) await checkRendered(page, i);
      clean(errors, foreign);
    } finally {
      await context.close();
    }
  });
}

for (const p of chapters) {
  for (let i = 0; i < p.decks; i++) {
    const name = `${p.file} deck ${i}`;

    test(`${name}: renders; keyboard only gives the full score`, async () => {
      const url = server.url + p.file;
      const { page, context, errors, foreign } = await open(browser, url, { theme: 'light' });
      try {
        await ready(page);
        assert.equal(await page.locator('.widget-concept-match').count(), p.decks);
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
        clean(errors, foreign);
      } finally {
        await context.close();
      }
    });

    test(`${name}: wrong placements are marked and explained; cards return to the pool (navy)`, async () => {
      const { page, context, errors, foreign } = await open(browser, server.url + p.file, { theme: 'navy' });
      try {
        await ready(page);
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
        clean(errors, foreign);
      } finally {
        await context.close();
      }
    });

    test(`${name}: mouse drag and drop`, async () => {
      const { page, context, errors, foreign } = await open(browser, server.url + p.file);
      try {
        await ready(page);
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
        clean(errors, foreign);
      } finally {
        await context.close();
      }
    });

    test(`${name}: touch taps at 360 px, without horizontal overflow`, async () => {
      const { page, context, errors, foreign } = await open(browser, server.url + p.file, {
        viewport: { width: 360, height: 740 },
        contextOptions: { hasTouch: true, isMobile: true, deviceScaleFactor: 1 },
      });
      try {
        await ready(page);
        const data = await deckData(page, i);
        const { plan } = wrongPlan(data);
        const root = deckRoot(page, i);
        const overflow = async label => {
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
        };
        await overflow('initial');
        for (const [concept, d] of Object.entries(plan)) {
          await card(page, i, d).tap();
          assert.deepEqual((await state(page, i)).held, [d], 'a tap picks the card up');
          await zone(page, i, concept).locator('.cm-empty').tap();
          assert.equal((await state(page, i)).slots[concept], d, 'a tap on a slot places it');
        }
        await overflow('all placed');
        await root.locator('.cm-check').tap();
        const n = data.concepts.length;
        assert.match((await state(page, i)).score, new RegExp(`^${n - 2} of ${n} right\\.`));
        await overflow('graded');
        await axe(page, i, 'graded, right and wrong (light, 360 px)');
        clean(errors, foreign);
      } finally {
        await context.close();
      }
    });
  }
}

// The thread-lifecycle timeline's behaviour suite (src/widgets/timeline.js), run once for the widget
// kind by pages.test.mjs: on a fixture page made from the first chapter instance (lib.mjs
// widgetFixture: the book's own page, theme and widget files, that instance's real data), with a
// fresh copy of the widget for each scenario so that no scenario loads a page again. Every embedded
// timeline gets the cheap check of widgets/timeline.mjs on its own page.
//
//   cd tests/browser && node --test --test-name-pattern=timeline pages.test.mjs
//
// Playback is driven with the scrubber or at the highest speed (Play/Pause at 1×, so that the end
// cannot come first).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBook, chapterPages, open, revealAll, widgetFixture, frames, switchTheme, axe, bound } from '../lib.mjs';
import { WIDGET, widget, clock, setSpeed, scrubTo, clockMoved, checkDrawn, queueCells, queueRow } from './timeline.mjs';

const SITE = buildBook();
const pages = chapterPages().filter(p => readFileSync(join(SITE, p.html), 'utf8').includes('data-widget="timeline"'));

// One copy per scenario of the shared page (the 360 px one loads its own). The last copy's data
// is broken: a line outside the program.
const SCENARIOS = ['rendered', 'play', 'scrub', 'jump', 'modes', 'legend', 'reduced', 'broken', 'axe'];
const copy = name => SCENARIOS.indexOf(name);
const BROKEN = copy('broken');
const breakLine = (json, k) => (k === BROKEN ? json.replace(/"line":\s*\d+/, '"line": 999') : json);

let server, browser, fixture, url, singleUrl, shared;

/** The scenarios, in the order they run (some share a page). */
const scenarios = [];
const scenario = (title, f) => scenarios.push([title, f]);

scenario('some chapter embeds a timeline', () => {
  assert.ok(pages.length > 0, 'no chapter has <script type="application/json" data-widget="timeline">');
});

/** Opens a fixture page and waits until every timeline on it is built. */
async function openFixture(pageUrl, options) {
  const o = await open(browser, pageUrl, options);
  await revealAll(o.page);
  await o.page.waitForFunction(sel => {
    const roots = document.querySelectorAll(sel);
    return roots.length > 0 && [...roots].every(r => r.dataset.ready === 'true');
  }, WIDGET, { timeout: bound(10000) });
  return o;
}

/** The page the scenarios share (light theme, 1280 px), opened by the first one that runs. */
async function page() {
  shared ??= await openFixture(url, { theme: 'light' });
  return shared.page;
}

/** No console error and no request to another host, since `since` (an index into both lists). */
function clean(o = shared, since = { errors: 0, foreign: 0 }) {
  assert.deepEqual(o.errors.slice(since.errors), [], 'console errors');
  assert.deepEqual(o.foreign.slice(since.foreign), [], 'requests to other hosts');
}

// The fixture is made from the first chapter page that embeds the widget (widgetFixture).
const name = () => `timeline (fixture from ${pages[0]?.html})`;

scenario(`${name()}: renders from its data without console errors or foreign requests`, async () => {
  const p = await page();
  assert.equal(await p.locator(WIDGET).count(), SCENARIOS.length);
  assert.equal(await p.locator(`${WIDGET} .widget-error`).count(), 1, 'only the copy with broken data reports it');
  await checkDrawn(p, copy('rendered'), fixture.data, 'the fixture\'s timeline');
  clean();
});

scenario(`${name()}: play advances the clock, pause stops it`, async () => {
  const p = await page();
  const i = copy('play');
  const w = widget(p, i);
  // At 1× the whole run takes 8 s: a busy machine cannot let it reach the end before Pause.
  await setSpeed(w, 1);
  const play = w.locator('button.tl-play');
  await play.click();
  await clockMoved(p, i);
  await play.click();
  assert.match(await play.textContent(), /Play/);
  const stopped = await clock(w);
  assert.ok(stopped > 0 && stopped < fixture.data.duration_ms, `paused at ${stopped} ms`);
  await frames(p, 12);
  assert.equal(await clock(w), stopped, 'the clock moved while paused');
  clean();
});

scenario(`${name()}: the scrubber and the step buttons set the time`, async () => {
  const p = await page();
  const w = widget(p, copy('scrub'));
  const d = fixture.data;
  const events = d.modes[0].events;
  const mid = Math.round(d.duration_ms / 2 / d.cell_ms) * d.cell_ms;
  await scrubTo(w, mid);
  assert.equal(await clock(w), mid);
  assert.equal(await w.locator('.tl-log-item:visible').count(), events.filter(e => e.t <= mid).length,
    'the log lists exactly the events up to the clock');
  await scrubTo(w, 0);
  const atZero = events.findLastIndex(e => e.t <= 0);
  const next = events[atZero + 1];
  await w.locator('button.tl-fwd').click();
  assert.equal(await clock(w), next.t, 'Next goes to the next event');
  assert.equal(await w.locator('.tl-pc-current').getAttribute('data-line'), String(next.line));
  await w.locator('button.tl-back').click();
  assert.equal(await clock(w), 0, 'Back goes to the previous event');
  if (atZero >= 0) assert.equal(await w.locator('.tl-pc-current').getAttribute('data-line'), String(events[atZero].line));
  clean();
});

scenario(`${name()}: jump to an event moves the clock and the PC marker`, async () => {
  const p = await page();
  const w = widget(p, copy('jump'));
  const d = fixture.data;
  const events = d.modes[0].events;
  await scrubTo(w, d.duration_ms); // every event is in the log
  const last = events[events.length - 1];
  // An event in the middle, on a line that differs from the last event's.
  const k = events.findIndex((e, i) => i >= events.length / 2 && e.line !== last.line && e.t !== last.t);
  assert.ok(k >= 0);
  await w.locator('.tl-log-item').nth(k).locator('button.tl-jump').click();
  assert.equal(await clock(w), events[k].t);
  assert.equal(await w.locator('.tl-pc-current').getAttribute('data-line'), String(events[k].line));
  assert.match(await w.locator('.tl-pc-current').textContent(), new RegExp(`PC @ line ${events[k].line}\\b`));
  assert.equal(await w.locator('.tl-line.tl-current').getAttribute('data-line'), String(events[k].line));
  assert.equal(await w.locator('.tl-log-item[aria-current]').count(), 1);
  assert.equal(await w.locator(`.tl-thread[data-thread="${events[k].thread}"] .tl-pc`).getAttribute('data-line'),
    String(events[k].line));
  assert.ok(await w.locator('.tl-takeaway').isHidden(), 'the takeaway shows only at the end');
  clean();
});

scenario(`${name()}: each mode shows its cores, and at the end its switch count and takeaway`, async () => {
  const p = await page();
  const w = widget(p, copy('modes'));
  const d = fixture.data;
  await setSpeed(w, 4);
  for (const [i, m] of d.modes.entries()) {
    if (d.modes.length > 1) {
      await w.locator('.tl-mode').nth(i).click();
      assert.equal(await w.locator('.tl-mode').nth(i).getAttribute('aria-pressed'), 'true');
      assert.equal(await w.locator('.tl-mode[aria-pressed="true"]').count(), 1);
    }
    assert.equal(await w.locator('.tl-core').count(), m.cores, `"${m.label}" shows ${m.cores} core(s)`);
    // Play the last few cells to the end.
    await scrubTo(w, d.duration_ms - 2 * d.cell_ms);
    assert.ok(await w.locator('.tl-takeaway').isHidden());
    await w.locator('button.tl-play').click();
    await w.locator('.tl-takeaway').waitFor({ state: 'visible', timeout: bound(10000) });
    assert.equal(await clock(w), d.duration_ms);
    assert.equal(await w.locator('.tl-switches').getAttribute('data-count'), String(m.context_switches));
    const n = m.context_switches;
    assert.equal(await w.locator('.tl-switches').textContent(),
      `${n} ${n === 1 ? 'switch' : 'switches'} ≈ ${n * d.switch_cost_us[0]}–${n * d.switch_cost_us[1]} µs of direct cost`);
    assert.ok((await w.locator('.tl-takeaway').textContent()).includes(m.takeaway));
    assert.match(await w.locator('button.tl-play').textContent(), /Play/, 'playback stops at the end');
  }
  clean();
});

scenario(`${name()}: legend details appear on keyboard focus and on hover`, async () => {
  const p = await page();
  const w = widget(p, copy('legend'));
  const d = fixture.data;
  const items = w.locator('button.tl-legend-item');
  const order = ['created', 'ready', 'running', 'blocked', 'terminated'];
  assert.equal(await items.count(), 5);
  await items.first().focus();
  for (const [i, s] of order.entries()) {
    if (i > 0) await p.keyboard.press('Tab');
    assert.equal(await items.nth(i).evaluate(e => e === document.activeElement), true, `Tab reaches the ${s} entry`);
    assert.ok((await w.locator('.tl-detail').textContent()).includes(d.states[s]), `details of ${s} on focus`);
    const desc = await items.nth(i).getAttribute('aria-describedby');
    assert.equal(await p.locator(`#${desc}`).textContent(), d.states[s]);
  }
  await items.nth(3).hover();
  assert.ok((await w.locator('.tl-detail').textContent()).includes(d.states.blocked), 'details on hover');
  clean();
});

scenario(`${name()}: with reduced motion, Play steps from event to event`, async () => {
  const p = await page();
  const i = copy('reduced');
  const w = widget(p, i);
  const d = fixture.data;
  const times = new Set(d.modes[0].events.map(e => e.t).concat([d.duration_ms]));
  // The reader's setting, as the browser reports it (the widget asks each time Play is pressed).
  await p.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await setSpeed(w, 4);
    await w.locator('button.tl-play').click();
    await clockMoved(p, i);
    await w.locator('button.tl-play').click();
    const t = await clock(w);
    assert.ok(times.has(t), `the clock jumped to an event (${t} ms), it did not run smoothly`);
    assert.equal(await p.evaluate(() => document.getAnimations().length), 0, 'no animations');
    // At 4× one step comes every 375 ms: wait longer than that, then the clock must not have moved.
    await p.waitForTimeout(500);
    assert.equal(await clock(w), t, 'paused');
    await scrubTo(w, d.duration_ms);
    assert.ok(await w.locator('.tl-takeaway').isVisible());
  } finally {
    await p.emulateMedia({ reducedMotion: 'no-preference' });
  }
  clean();
});

scenario(`${name()}: broken data: a line outside the program shows a .widget-error naming it`, async () => {
  const p = await page();
  const w = widget(p, BROKEN);
  assert.equal(await w.getAttribute('data-ready'), 'true');
  const error = w.locator('.widget-error');
  assert.ok(await error.isVisible());
  assert.equal(await error.getAttribute('role'), 'alert');
  assert.match(await error.textContent(), /line 999\b/);
  assert.equal(await w.locator('.tl-grid-scroll').count(), 0, 'no half-drawn widget');
  clean();
});

scenario(`${name()}: axe finds no violations, in every mode (light theme) and in the last one (navy)`, async () => {
  const p = await page();
  const i = copy('axe');
  const d = fixture.data;
  // axe's cost grows with the whole page, so the copies the other scenarios used go first.
  await p.evaluate(([sel, i]) => [...document.querySelectorAll(sel)].forEach((r, k) => {
    if (k !== i) { r.nextElementSibling.remove(); r.remove(); }
  }), [WIDGET, i]);
  const w = widget(p, 0);
  // At the end every cell, badge and the takeaway are drawn.
  for (const [k, m] of d.modes.entries()) {
    if (d.modes.length > 1) await w.locator('.tl-mode').nth(k).click();
    await w.locator('.tl-legend-item').nth(2).focus();
    await scrubTo(w, d.duration_ms);
    assert.deepEqual(await axe(p, WIDGET, 0), [], `at the end of "${m.label}" (light)`);
  }
  // In the dark theme only the colours differ: the last mode, after the reader's theme switch.
  await switchTheme(p, 'navy');
  await w.locator('.tl-legend-item').nth(2).focus();
  assert.deepEqual(await axe(p, WIDGET, 0), [], `at the end of "${d.modes[d.modes.length - 1].label}" (navy)`);
  clean();
});

scenario(`${name()}: at 360 px the grid scrolls inside its box and the page does not overflow`, async () => {
  const o = await openFixture(singleUrl, { viewport: { width: 360, height: 740 } });
  try {
    const w = widget(o.page, 0);
    const d = fixture.data;
    await scrubTo(w, d.duration_ms / 2);
    const m = await w.evaluate(root => {
      const sc = root.querySelector('.tl-grid-scroll');
      let widest = 0;
      for (const el of root.querySelectorAll('*')) {
        if (sc.contains(el) || el.closest('.tl-source, .tl-log-box')) continue; // these scroll by design
        widest = Math.max(widest, el.getBoundingClientRect().right);
      }
      return {
        page: document.documentElement.scrollWidth,
        right: root.getBoundingClientRect().right,
        widest,
        scroll: sc.scrollWidth, box: sc.clientWidth, boxRight: sc.getBoundingClientRect().right,
      };
    });
    assert.ok(m.page <= 360, `the page is ${m.page} px wide`);
    assert.ok(m.right <= 360 && m.widest <= 360 && m.boxRight <= 360, `the widget reaches ${Math.max(m.right, m.widest)} px`);
    assert.ok(m.scroll > m.box, 'the grid scrolls inside its own box');
    clean(o);
  } finally {
    await o.context.close();
  }
});

// ---- a timeline with a channel: the first chapter instance whose modes model one, on its own page.

const DATA_BLOCK = /<script type="application\/json" data-widget="timeline">([\s\S]*?)<\/script>/g;
const channelInstance = (() => {
  for (const p of pages) {
    const blocks = [...readFileSync(join(SITE, p.html), 'utf8').matchAll(DATA_BLOCK)].map(m => JSON.parse(m[1]));
    const i = blocks.findIndex(d => d.modes.some(m => m.channel));
    if (i >= 0) return { page: p, index: i, data: blocks[i] };
  }
  return null;
})();
const chName = () => `timeline with a channel (${channelInstance?.page.html})`;
const capacityText = c => (c === null ? 'unbounded' : c === 0 ? 'capacity 0 (rendezvous)' : `capacity ${c}`);

/** Opens the chapter page of the channel instance; returns the open page and its widget. */
async function openChannel(options) {
  const o = await openFixture(server.url + channelInstance.page.html, options);
  return { o, w: widget(o.page, channelInstance.index) };
}

scenario('some chapter embeds a timeline with a channel', () => {
  assert.ok(channelInstance, 'no chapter timeline has a mode with a "channel"');
});

scenario(`${chName()}: every mode plays to its end, and its queue length row shows the data's values`, async () => {
  const { o, w } = await openChannel({ theme: 'light' });
  try {
    const d = channelInstance.data;
    await checkDrawn(o.page, channelInstance.index, d, 'the channel timeline');
    if (d.modes_label) assert.equal(await w.locator('.tl-modes').getAttribute('aria-label'), d.modes_label);
    await setSpeed(w, 4);
    for (const [k, m] of d.modes.entries()) {
      if (d.modes.length > 1) await w.locator('.tl-mode').nth(k).click();
      assert.equal(await w.locator('.tl-queue-track').count(), m.channel ? 1 : 0, `"${m.label}": a queue row exactly with a channel`);
      if (!m.channel) continue;
      const expected = queueCells(d, m);
      await scrubTo(w, 0);
      assert.ok(await w.locator('.tl-queue-track').isVisible(), `"${m.label}": the queue row is visible`);
      assert.equal(await w.locator('.tl-queue-label').textContent(), 'queue length');
      assert.deepEqual(await queueRow(w), [String(expected[0]), ...expected.slice(1).map(() => '')],
        `"${m.label}": at 0 ms only the first cell of the queue row is drawn`);
      const label = await w.locator('.tl-queue-track').getAttribute('aria-label');
      assert.ok(label.startsWith(`queue length (${capacityText(m.channel.capacity)}): ${expected[0]} from 0 ms`), label);
      // The largest queue length, at the first cell that has it: the dashboard says it too.
      const max = Math.max(...expected);
      const at = expected.indexOf(max) * d.cell_ms;
      await scrubTo(w, at);
      assert.equal(await w.locator('.tl-queue').getAttribute('data-queue'), String(max), `"${m.label}": ${max} queued at ${at} ms`);
      assert.equal(await w.locator('.tl-queue').textContent(), `${max} ${max === 1 ? 'value' : 'values'} queued, ${capacityText(m.channel.capacity)}`);
      if (m.channel.capacity !== null) assert.ok(max <= m.channel.capacity, `"${m.label}": never above the capacity`);
      // Play to the end: every cell drawn, as the data says.
      await scrubTo(w, d.duration_ms - 4 * d.cell_ms);
      await w.locator('button.tl-play').click();
      await w.locator('.tl-takeaway').waitFor({ state: 'visible', timeout: bound(10000) });
      assert.deepEqual((await queueRow(w)).map(Number), expected, `"${m.label}": the queue row at the end`);
      // The log says what each channel operation did to the queue.
      for (const [i, e] of m.events.entries()) {
        if (!e.op) continue;
        assert.match(await w.locator('.tl-log-item').nth(i).textContent(), new RegExp(`queue length (stays ${e.queue}|\\d+ → ${e.queue})\\b`),
          `"${m.label}": log item ${i + 1} (op ${e.op})`);
      }
    }
    clean(o);
  } finally {
    await o.context.close();
  }
});

scenario(`${chName()}: the keyboard switches modes and steps through the events`, async () => {
  const { o, w } = await openChannel({ theme: 'light' });
  try {
    const d = channelInstance.data;
    const p = o.page;
    const last = d.modes.length - 1;
    await w.locator('.tl-mode').first().focus();
    for (let k = 1; k <= last; k++) await p.keyboard.press('Tab');
    await p.keyboard.press('Enter');
    assert.equal(await w.locator('.tl-mode').nth(last).getAttribute('aria-pressed'), 'true', 'Enter on a mode button picks it');
    const m = d.modes[last];
    // Tab to Next (Play, Back, Next), then Space steps from event time to event time.
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    await p.keyboard.press('Tab');
    assert.equal(await w.locator('button.tl-fwd').evaluate(e => e === document.activeElement), true, 'Tab reaches Next');
    const times = [...new Set(m.events.map(e => e.t))].filter(t => t > 0);
    for (const t of times.slice(0, 4)) {
      // Events at one time are stepped through one by one; step until the clock reaches t.
      for (let n = 0; n < m.events.length && (await clock(w)) < t; n++) await p.keyboard.press(' ');
      assert.equal(await clock(w), t, 'Next steps to the next event time');
    }
    const k = m.events.findIndex(e => e.op);
    await w.locator('.tl-log-item').nth(k).locator('button.tl-jump').focus();
    await p.keyboard.press('Enter');
    assert.match(await w.locator('.tl-happened').textContent(), /queue length/, 'an event with an op says what it did to the queue');
    await w.locator('.tl-mode').first().focus();
    await p.keyboard.press(' ');
    assert.equal(await w.locator('.tl-mode').first().getAttribute('aria-pressed'), 'true', 'Space on a mode button picks it');
    clean(o);
  } finally {
    await o.context.close();
  }
});

scenario(`${chName()}: axe finds no violations at the end of every mode, light and navy`, async () => {
  const { o, w } = await openChannel({ theme: 'light' });
  try {
    const d = channelInstance.data;
    for (const theme of ['light', 'navy']) {
      if (theme !== 'light') await switchTheme(o.page, theme);
      for (const [k, m] of d.modes.entries()) {
        if (d.modes.length > 1) await w.locator('.tl-mode').nth(k).click();
        await scrubTo(w, d.duration_ms);
        assert.deepEqual(await axe(o.page, WIDGET, channelInstance.index), [], `at the end of "${m.label}" (${theme})`);
      }
    }
    clean(o);
  } finally {
    await o.context.close();
  }
});

scenario(`${chName()}: at 360 px the queue row scrolls with the grid and the page does not overflow`, async () => {
  const { o, w } = await openChannel({ theme: 'light', viewport: { width: 360, height: 740 } });
  try {
    const d = channelInstance.data;
    for (const [k] of d.modes.entries()) {
      if (d.modes.length > 1) await w.locator('.tl-mode').nth(k).click();
      await scrubTo(w, d.duration_ms);
      const m = await w.evaluate(root => {
        const sc = root.querySelector('.tl-grid-scroll');
        const label = root.querySelector('.tl-queue-label');
        return {
          page: document.documentElement.scrollWidth,
          right: root.getBoundingClientRect().right,
          inBox: !label || sc.contains(label),
          labelRight: label ? label.getBoundingClientRect().right : 0,
          boxRight: sc.getBoundingClientRect().right,
        };
      });
      assert.ok(m.page <= 360 && m.right <= 360 && m.boxRight <= 360, `the page is ${m.page} px wide, the widget reaches ${m.right} px`);
      assert.ok(m.inBox && m.labelRight < m.boxRight, 'the "queue length" label is inside the grid box');
    }
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
  if (pages.length > 0) {
    fixture = widgetFixture(SITE, 'timeline', { copies: SCENARIOS.length, mutate: breakLine });
    server.route(fixture.path, fixture.html);
    url = server.url + fixture.path;
    const one = widgetFixture(SITE, 'timeline');
    singleUrl = server.url + one.path.replace(/\.html$/, '-single.html');
    server.route(one.path.replace(/\.html$/, '-single.html'), one.html);
  }
  try {
    for (const [title, f] of scenarios) await t.test(title, f);
  } finally {
    await shared?.context.close();
    shared = undefined;
  }
}

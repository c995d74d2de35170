// The thread-lifecycle timeline (src/widgets/timeline.js) on every page that embeds one.
//
//   cd tests/browser && node --test timeline.test.mjs
//
// Each scenario opens the page afresh. Playback is driven at the highest speed or with the
// scrubber, so the whole file takes a few seconds.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, buildBook, chapterPages, launch, open, serve, revealAll } from './lib.mjs';

const AXE = join(ROOT, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js');
const WIDGET = '.widget-timeline';

const pages = chapterPages().filter(p => readFileSync(join(ROOT, p.md), 'utf8').includes('data-widget="timeline"'));

let site, server, browser;

before(async () => {
  site = buildBook();
  server = await serve(site);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('some chapter embeds a timeline', () => {
  assert.ok(pages.length > 0, 'no chapter has <script type="application/json" data-widget="timeline">');
});

/** Opens the page, waits for its timelines, and returns { page, errors, foreign, context, data }. */
async function openTimeline(html, options) {
  const opened = await open(browser, server.url + html, options);
  const { page } = opened;
  await revealAll(page);
  await page.waitForFunction(sel => {
    const roots = document.querySelectorAll(sel);
    return roots.length > 0 && [...roots].every(r => r.dataset.ready === 'true');
  }, WIDGET, { timeout: 10000 });
  const data = await page.$$eval('script[type="application/json"][data-widget="timeline"]', els => els.map(e => JSON.parse(e.textContent)));
  return { ...opened, data };
}

function clean({ errors, foreign }) {
  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(foreign, [], 'requests to other hosts');
}

const widget = (page, i) => page.locator(WIDGET).nth(i);
const clock = async w => parseInt(await w.locator('.tl-clock').textContent(), 10);
const setSpeed = (w, s) => w.locator('select.tl-speed').selectOption(String(s));
const scrubTo = (w, ms) => w.locator('input.tl-scrub').fill(String(ms));

for (const p of pages) {
  test(`${p.html}: renders without console errors or foreign requests`, async () => {
    const o = await openTimeline(p.html);
    try {
      assert.equal(await o.page.locator(`${WIDGET} .widget-error`).count(), 0, 'the widget reports broken data');
      for (const [i, d] of o.data.entries()) {
        const w = widget(o.page, i);
        assert.equal(await w.locator('.tl-core').count(), d.modes[0].cores, 'one "Core k" line per core');
        assert.equal(await w.locator('.tl-track').count(), d.threads.length, 'one row of cells per thread');
        assert.equal(await w.locator('.tl-mode').count(), d.modes.length > 1 ? d.modes.length : 0);
        const program = await o.page.$eval(`#${d.program}`, e => e.textContent);
        const lines = program.replace(/^\r?\n/, '').replace(/\r?\n[ \t]*$/, '').replace(/\r?\n$/, '').split(/\r?\n/);
        assert.equal(await w.locator('.tl-line').count(), lines.length, 'the source shows every line of the program');
        assert.match(await w.locator('.tl-model').textContent(), /not from a measurement/);
        assert.equal(await clock(w), 0);
      }
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: play advances the clock, pause stops it`, async () => {
    const o = await openTimeline(p.html);
    try {
      const w = widget(o.page, 0);
      await setSpeed(w, 4);
      const play = w.locator('button.tl-play');
      await play.click();
      await o.page.waitForFunction(sel => parseInt(document.querySelector(sel).textContent, 10) > 0,
        `${WIDGET} .tl-clock`, { timeout: 3000 });
      await play.click();
      assert.match(await play.textContent(), /Play/);
      const stopped = await clock(w);
      assert.ok(stopped > 0 && stopped < o.data[0].duration_ms, `paused at ${stopped} ms`);
      await o.page.waitForTimeout(300);
      assert.equal(await clock(w), stopped, 'the clock moved while paused');
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: the scrubber and the step buttons set the time`, async () => {
    const o = await openTimeline(p.html);
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
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
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: jump to an event moves the clock and the PC marker`, async () => {
    const o = await openTimeline(p.html);
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
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
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: each mode shows its cores, and at the end its switch count and takeaway`, async () => {
    const o = await openTimeline(p.html);
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
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
        await w.locator('.tl-takeaway').waitFor({ state: 'visible', timeout: 3000 });
        assert.equal(await clock(w), d.duration_ms);
        assert.equal(await w.locator('.tl-switches').getAttribute('data-count'), String(m.context_switches));
        const n = m.context_switches;
        assert.equal(await w.locator('.tl-switches').textContent(),
          `${n} ${n === 1 ? 'switch' : 'switches'} ≈ ${n * d.switch_cost_us[0]}–${n * d.switch_cost_us[1]} µs of direct cost`);
        assert.ok((await w.locator('.tl-takeaway').textContent()).includes(m.takeaway));
        assert.match(await w.locator('button.tl-play').textContent(), /Play/, 'playback stops at the end');
      }
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: legend details appear on keyboard focus and on hover`, async () => {
    const o = await openTimeline(p.html);
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
      const items = w.locator('button.tl-legend-item');
      const order = ['created', 'ready', 'running', 'blocked', 'terminated'];
      assert.equal(await items.count(), 5);
      await items.first().focus();
      for (const [i, s] of order.entries()) {
        if (i > 0) await o.page.keyboard.press('Tab');
        assert.equal(await items.nth(i).evaluate(e => e === document.activeElement), true, `Tab reaches the ${s} entry`);
        assert.ok((await w.locator('.tl-detail').textContent()).includes(d.states[s]), `details of ${s} on focus`);
        const desc = await items.nth(i).getAttribute('aria-describedby');
        assert.equal(await o.page.locator(`#${desc}`).textContent(), d.states[s]);
      }
      await items.nth(3).hover();
      assert.ok((await w.locator('.tl-detail').textContent()).includes(d.states.blocked), 'details on hover');
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  test(`${p.html}: with reduced motion, Play steps from event to event`, async () => {
    const o = await openTimeline(p.html, { reducedMotion: true });
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
      const times = new Set(d.modes[0].events.map(e => e.t).concat([d.duration_ms]));
      await setSpeed(w, 4);
      await w.locator('button.tl-play').click();
      await o.page.waitForFunction(sel => parseInt(document.querySelector(sel).textContent, 10) > 0,
        `${WIDGET} .tl-clock`, { timeout: 3000 });
      await w.locator('button.tl-play').click();
      const t = await clock(w);
      assert.ok(times.has(t), `the clock jumped to an event (${t} ms), it did not run smoothly`);
      assert.equal(await o.page.evaluate(() => document.getAnimations().length), 0, 'no animations');
      await o.page.waitForTimeout(500);
      assert.equal(await clock(w), t, 'paused');
      await scrubTo(w, d.duration_ms);
      assert.ok(await w.locator('.tl-takeaway').isVisible());
      clean(o);
    } finally {
      await o.context.close();
    }
  });

  for (const theme of ['light', 'navy']) {
    test(`${p.html}: axe finds no violations (${theme} theme)`, async () => {
      const o = await openTimeline(p.html, { theme });
      try {
        const w = widget(o.page, 0);
        const d = o.data[0];
        await o.page.addScriptTag({ path: AXE });
        const scan = () => o.page.evaluate(async sel => {
          const r = await window.axe.run(document.querySelector(sel));
          return r.violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
        }, WIDGET);
        // At the end every cell, badge and the takeaway are drawn. Each mode in the light theme;
        // in the dark one, where only the colours differ, the last mode.
        const modes = theme === 'light' ? d.modes.map((_, i) => i) : [d.modes.length - 1];
        for (const i of modes) {
          if (d.modes.length > 1) await w.locator('.tl-mode').nth(i).click();
          await w.locator('.tl-legend-item').nth(2).focus();
          await scrubTo(w, d.duration_ms);
          assert.deepEqual(await scan(), [], `at the end of "${d.modes[i].label}"`);
        }
        clean(o);
      } finally {
        await o.context.close();
      }
    });
  }

  test(`${p.html}: at 360 px the grid scrolls inside its box and the page does not overflow`, async () => {
    const o = await openTimeline(p.html, { viewport: { width: 360, height: 740 } });
    try {
      const w = widget(o.page, 0);
      const d = o.data[0];
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
}

test('broken data: a line outside the program shows a .widget-error naming it', async () => {
  const p = pages[0];
  const dir = mkdtempSync(join(tmpdir(), 'timeline-broken-'));
  const copy = await (async () => {
    cpSync(site, dir, { recursive: true });
    const file = join(dir, p.html);
    const html = readFileSync(file, 'utf8');
    const at = html.indexOf('data-widget="timeline"');
    assert.ok(at >= 0);
    const broken = html.slice(0, at) + html.slice(at).replace(/"line":\s*\d+/, '"line": 999');
    assert.notEqual(broken, html);
    writeFileSync(file, broken);
    return serve(dir);
  })();
  let o;
  try {
    const opened = await open(browser, copy.url + p.html);
    o = opened;
    await revealAll(opened.page);
    await opened.page.waitForSelector(`${WIDGET}[data-ready="true"]`, { timeout: 10000 });
    const error = opened.page.locator(`${WIDGET} .widget-error`).first();
    assert.ok(await error.isVisible());
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.match(await error.textContent(), /line 999\b/);
    assert.equal(await opened.page.locator(WIDGET).first().locator('.tl-grid-scroll').count(), 0, 'no half-drawn widget');
    clean(opened);
  } finally {
    await o?.context.close();
    await copy.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

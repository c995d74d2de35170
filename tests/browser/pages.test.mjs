// The book's site as a reader gets it, in Debian's Chromium: every chapter page, and every widget
// kind's behaviour. One browser for the run; independent jobs run in parallel, each in a tab of a
// small pool (BOOK_TEST_POOL, 3 by default: the fastest on 2 cores).
//
// Each page is visited once, in one tab: loaded in the light theme, checked (console, other hosts,
// diagrams, widgets, the quiz bundle's loading rules, compile-fail marks, axe-core), its embedded
// widgets each given a cheap "accepted its data and is operable" check (widgets/<kind>.mjs), then
// switched to a dark theme in place, as a reader does, and checked again; a page with a quiz then
// has its quiz answered, right and wrong, and reloaded. Each widget kind's full behaviour suite
// (widgets/<kind>.suite.mjs: mouse, touch, keyboard, reduced motion, axe) runs once, on a fixture
// page. Search is tested once for the whole book. Every test's name starts with the page and its
// markdown source (or the widget kind), so a failure names it.
//
//   cd tests/browser && BOOK_SITE_DIR=../../target/browser-site node --test pages.test.mjs
//   BOOK_PAGES=ch01 …                          only the pages ch01-*.html (comma-separated prefixes)
//   node --test --test-name-pattern=timeline pages.test.mjs     one widget kind's suite (and pages' tests of that name)

import { describe, it, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { buildBook, serve, launch, settled, chapterPages, selectedPages, revealAll, where, widgetKinds,
  embeddedWidgets, switchTheme, axe, ROOT, bound } from './lib.mjs';
import { sharedKey, jobKey, passedBefore, recordPass } from './cache.mjs';

const SITE = buildBook();
const POOL = Math.max(1, Number(process.env.BOOK_TEST_POOL || 3));
const SIDEBAR = '#mdbook-sidebar';
let server, browser;

const all = chapterPages();
const pages = selectedPages().map(p => ({ ...p, built: readFileSync(join(SITE, p.html), 'utf8') }));
const has = (p, what) => p.built.includes(what);

// Each widget kind's cheap per-instance check (widgets/<kind>.mjs, export instanceCheck(page, i))
// and its behaviour suite (widgets/<kind>.suite.mjs, export default behaviour(t, env)).
const checks = {};
const suites = {};
for (const kind of widgetKinds()) {
  const dir = join(ROOT, 'tests', 'browser', 'widgets');
  if (existsSync(join(dir, `${kind}.mjs`))) checks[kind] = (await import(`./widgets/${kind}.mjs`)).instanceCheck;
  if (existsSync(join(dir, `${kind}.suite.mjs`))) suites[kind] = (await import(`./widgets/${kind}.suite.mjs`)).default;
}

before(async () => {
  server = await serve(SITE, { cacheAssets: true });
  browser = await launch();
});
after(async () => {
  for (const s of sessions) await s.context.close();
  await browser?.close();
  await server?.close();
});

// ---- tabs -------------------------------------------------------------------------------------

/**
 * The pool's tabs: each a context with one page, reused from page to page (a fresh context per
 * page costs a renderer process). Before each visit its storage is cleared, so that every page
 * starts as for a new reader (theme light, no quiz answers); console errors, uncaught exceptions,
 * requests and requests to other hosts (which fail: see lib.mjs `launch`) are recorded from the
 * visit on.
 */
const sessions = [];
const idle = [];

async function newSession() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const origin = new URL(server.url).origin;
  const s = { context, errors: [], foreign: [], requests: [] };
  context.on('request', r => {
    const u = r.url();
    s.requests.push(u);
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) s.foreign.push(u);
  });
  // A new reader's theme: light (mdbook keeps the reader's choice in localStorage).
  await context.addInitScript(() => {
    if (location.protocol.startsWith('http') && !localStorage.getItem('mdbook-theme')) localStorage.setItem('mdbook-theme', 'light');
  });
  context.setDefaultTimeout(bound(30000));
  s.page = await context.newPage();
  s.page.on('console', m => { if (m.type() === 'error') s.errors.push(m.text()); });
  s.page.on('pageerror', e => s.errors.push(String(e)));
  sessions.push(s);
  return s;
}

/** Runs `f(tab)` on an idle tab of the pool, which first visits `url` as a new reader. */
async function visit(url, f) {
  const s = idle.pop() || await newSession();
  try {
    if (s.page.url().startsWith(server.url)) await s.page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
    s.errors.length = 0;
    s.foreign.length = 0;
    s.requests.length = 0;
    await s.page.goto(url, { waitUntil: 'load' });
    return await f(s);
  } finally {
    // A tab left with work in flight (a failing request) is closed, not reused.
    if (s.retire) {
      sessions.splice(sessions.indexOf(s), 1);
      await s.context.close();
    } else {
      idle.push(s);
    }
  }
}

/** Every URL the page has fetched since the visit began: the requests seen, and the page's own
 *  record (which also lists what came from the browser's cache). */
async function fetched(s) {
  const own = await s.page.evaluate(() => performance.getEntriesByType('resource').map(e => e.name));
  return [...s.requests, ...own];
}

/** Records where the lists stand, so that a step can check only what happened since. */
const mark = s => ({ errors: s.errors.length, foreign: s.foreign.length });
function clean(s, since = { errors: 0, foreign: 0 }) {
  assert.deepEqual(s.foreign.slice(since.foreign), [], 'requests to another host');
  assert.deepEqual(s.errors.slice(since.errors), [], 'console errors');
}

// ---- what every page must be ------------------------------------------------------------------

/**
 * The diagrams of the page, as the reader sees them in `wantTheme` ('default' or 'dark'): each
 * must be an SVG, pre-rendered for that theme (or, for a diagram being edited, drawn by
 * theme/loader.js), and none may show mermaid's syntax-error box.
 */
async function checkDiagrams(page, wantTheme) {
  // The image of the theme just chosen may still be loading.
  await page.waitForFunction(() => [...document.querySelectorAll('figure.diagram > img')]
    .every(i => getComputedStyle(i).display === 'none' || i.complete), null, { timeout: bound(15000) }).catch(() => {});
  const diagrams = await page.$$eval('figure.diagram, pre.mermaid', els => els.map(e => {
    const prerendered = e.matches('figure.diagram');
    const visible = prerendered ? [...e.children].filter(c => getComputedStyle(c).display !== 'none') : [e];
    return {
      prerendered,
      name: e.dataset.diagram || (e.dataset.source || '').trim().split('\n')[1]?.trim(),
      visible: visible.map(v => v.className),
      // A pre-rendered diagram is an <img> of its SVG, which must have loaded.
      svg: visible.length === 1 && (prerendered
        ? visible[0].tagName === 'IMG' && visible[0].complete && visible[0].naturalWidth > 0 && /\.svg$/.test(visible[0].src) && visible[0].alt.length > 20
        : !!visible[0].querySelector('svg')),
      error: /Syntax error|Parse error/i.test(e.textContent),
      theme: prerendered ? (visible[0]?.className === 'diagram-dark' ? 'dark' : 'default') : e.dataset.theme,
    };
  }));
  for (const [i, d] of diagrams.entries()) {
    assert.ok(!d.error, `diagram ${i + 1} (${d.name}) shows mermaid's syntax error`);
    assert.ok(d.svg, `diagram ${i + 1} (${d.name}) shows no single SVG (visible: ${d.visible.join(', ')})`);
    assert.equal(d.theme, wantTheme, `diagram ${i + 1} (${d.name}) shows its ${d.theme} version in a ${wantTheme} theme`);
  }
  return diagrams;
}

/**
 * Scrolls through the page as a reader would, so that every widget builds itself, waits for them
 * and returns the messages of any that rejected its data.
 */
async function widgetErrors(page) {
  await revealAll(page);
  const data = await page.locator('script[data-widget]').count();
  await page.waitForFunction(n => document.querySelectorAll('.widget').length >= n, data, { timeout: bound(10000) });
  await page.waitForFunction(() => [...document.querySelectorAll('.widget')].every(w => w.dataset.ready === 'true'), null, { timeout: bound(10000) });
  return page.$$eval('.widget-error', els => els.map(e => e.textContent));
}

/** Every widget the page embeds gets its kind's cheap check (built from its data, operable). */
async function checkWidgets(page, built, options) {
  const kinds = embeddedWidgets(built).map(w => w.kind);
  for (const kind of new Set(kinds)) {
    assert.ok(checks[kind], `no check for the "${kind}" widget: write tests/browser/widgets/${kind}.mjs (export instanceCheck)`);
    const n = kinds.filter(k => k === kind).length;
    assert.equal(await page.locator(`.widget-${kind}`).count(), n, `one .widget-${kind} per <script data-widget="${kind}">`);
    for (let i = 0; i < n; i++) await checks[kind](page, i, options);
  }
}

/** The compile-fail listings: each marked with a badge naming its error codes, and followed by its
 *  labelled, verified compiler message. */
async function checkCompileFail(page) {
  const marks = await page.$$eval('pre > code.compile_fail', codes => codes.map(c => ({
    badge: c.parentElement.previousElementSibling?.classList.contains('compile-fail-badge') || false,
    codes: [...c.classList].filter(k => /^E\d{4}$/.test(k)),
    badgeText: c.parentElement.previousElementSibling?.textContent || '',
  })));
  assert.ok(marks.length > 0, 'the page has compile_fail listings, but none is in the rendered page');
  for (const [i, m] of marks.entries()) {
    assert.ok(m.badge, `compile-fail listing ${i + 1} has no badge`);
    for (const code of m.codes) assert.ok(m.badgeText.includes(code), `the badge of compile-fail listing ${i + 1} does not name ${code}`);
  }
  assert.ok(await page.locator('pre.compiler-message').count() >= marks.length, 'a compile-fail listing has no labelled compiler message after it');
}

/** Answers one quiz question in the rendered form: right, or with its first distractor. */
async function answer(form, q, right) {
  if (q.type === 'MultipleChoice') {
    const values = right ? [q.answer.answer].flat() : [q.prompt.distractors[0]];
    for (const v of values) await form.locator(`input[value="${v.replace(/["\\]/g, '\\$&')}"]`).check();
  } else if (q.type === 'ShortAnswer') {
    await form.locator('input[type=text], textarea').first().fill(right ? q.answer.answer : 'not the answer');
  } else if (q.type === 'Tracing') {
    // "Does this program compile?" and, for "it does", its output (the form needs one to submit).
    const saysCompiles = q.answer.doesCompile === right;
    await form.locator('input[type=radio]').nth(saysCompiles ? 0 : 1).check();
    if (saysCompiles) await form.locator('textarea, input[type=text]').first().fill(right ? q.answer.stdout : 'not the output');
  } else {
    throw new Error(`no test for question type ${q.type}`);
  }
  await form.locator('input[type=submit]').click();
}

/** Every quiz of the page: the first question answered wrong and the others right, the
 *  explanation of the wrong one shown, and the answers kept across a reload. */
async function checkQuizzes(page) {
  const quizzes = page.locator('.quiz-placeholder');
  const n = await quizzes.count();
  for (let k = 0; k < n; k++) {
    const ph = quizzes.nth(k);
    const name = JSON.parse(await ph.getAttribute('data-quiz-name'));
    const data = JSON.parse(await ph.getAttribute('data-quiz-questions'));
    await ph.scrollIntoViewIfNeeded();
    await ph.getByRole('button', { name: 'Start' }).click();
    for (const [i, q] of data.questions.entries()) {
      const form = ph.locator('form.response');
      await form.waitFor({ timeout: bound(15000) });
      await answer(form, q, i !== 0);
      // A wrong answer may be followed by a prompt to reconsider; submitting again moves on.
    }
    const total = data.questions.length;
    await ph.getByText(`${total - 1}/${total}`).waitFor({ timeout: bound(15000) });
    // The explanation of the question answered wrong is shown with the correct answers.
    await ph.getByRole('button', { name: 'see the correct answers' }).first().click();
    // The first line as rendered: no backticks or emphasis marks (an `_` inside a word, as in
    // `fetch_add`, is a letter, not emphasis).
    const firstContext = data.questions[0].context.trim().split('\n')[0].replace(/[`*]/g, '').replace(/(^|\W)_|_(\W|$)/g, '$1$2').slice(0, 40);
    await ph.getByText(firstContext, { exact: false }).first().waitFor({ timeout: bound(15000) });
    // The answers survive a reload.
    await page.reload({ waitUntil: 'load' });
    await page.locator('.quiz-placeholder').nth(k).scrollIntoViewIfNeeded();
    await page.locator('.quiz-placeholder').nth(k).getByText(`${total - 1}/${total}`).waitFor({ timeout: bound(15000) });
    assert.ok(await page.evaluate(key => localStorage.getItem(key) !== null, `mdbook-quiz:${name}`), `quiz "${name}": answers are not stored`);
  }
}

/**
 * A runnable listing shows mdbook's Run button although the book is read offline, and nothing is
 * sent to another host until the reader presses it; then the playground is contacted (the request
 * fails: nothing leaves the machine). The last check of its page's visit: it leaves a request to another host behind.
 */
const RUN = 'runnable listings show a Run button offline, and only pressing it contacts the playground';
const runPage = pages.find(p => has(p, 'class="playground"')) || all.find(p => readFileSync(join(SITE, p.html), 'utf8').includes('class="playground"'));
async function checkRun(s, p) {
  const { page } = s;
  const before = s.foreign.length;
  // mdbook shows a listing's buttons when the pointer is over it, as for a reader.
  // The first listing that runs as written: mdbook keeps the Run button of a no_run or
  // compile_fail block hidden.
  const listing = page.locator('pre.playground:has(.play-button):not(:has(code.no_run)):not(:has(code.compile_fail))').first();
  await listing.scrollIntoViewIfNeeded();
  await listing.hover();
  const run = listing.locator('.play-button');
  await run.waitFor({ state: 'visible', timeout: bound(15000) });
  // Nothing may be sent before Run is pressed: give a request the time to show up.
  await page.waitForTimeout(300);
  assert.deepEqual(s.foreign.slice(before), [], `${where(p)}: a request to another host before Run was pressed`);
  const contacted = s.context.waitForEvent('request', { predicate: r => r.url().startsWith('https://play.rust-lang.org/'), timeout: bound(10000) })
    .then(() => true, () => false);
  // The request fails (see lib.mjs `launch`): this tab is not used again (see `visit`).
  s.retire = true;
  await run.click();
  assert.ok(await contacted, `${where(p)}: pressing Run did not contact the playground: ${s.foreign.slice(before).join(', ') || 'no request to another host'}`);
  await page.waitForFunction(() => document.querySelector('pre.playground .result'), null, { timeout: bound(10000) });
}

// ---- the pages, in parallel -------------------------------------------------------------------

test('the book has pages to visit', () => {
  assert.ok(pages.length > 0, `BOOK_PAGES=${process.env.BOOK_PAGES} selects no page of src/SUMMARY.md`);
});

describe(`chapter pages (${POOL} at a time)`, { concurrency: POOL }, () => {
  // The jobs run longest first (a rough guess from what they hold), so that no long one is left
  // to run alone at the end.
  // `sees`: the contents of what the job visits (with the shared key: see cache.mjs).
  const jobs = [];
  const job = (cost, name, options, sees, fn) => jobs.push({ cost, name, options, sees, fn });
  const cost = p => 1 + 3 * has(p, 'quiz-placeholder') + embeddedWidgets(p.built).length + p.built.length / 100000;

  for (const p of pages) {
    job(cost(p), `${where(p)}`, { timeout: bound(120000) }, [p.built], t => visit(server.url + p.html, async s => {
      const { page } = s;
      let diagrams = [];
      await t.test(`${where(p)}: light theme: renders, no console error, no other host, pays only for what it uses, no accessibility violation`, async () => {
        await settled(page);
        diagrams = await checkDiagrams(page, 'default');
        assert.deepEqual(await widgetErrors(page), [], 'a widget rejected its data');
        // Every diagram is pre-rendered, so no page loads mermaid (2.7 MB).
        const drawnHere = diagrams.filter(d => !d.prerendered).map(d => d.name);
        assert.deepEqual(drawnHere, [], 'diagrams without pre-rendered SVGs: run `cargo xtask diagrams` and commit src/diagrams/');
        assert.ok(!(await fetched(s)).some(u => u.includes('mermaid')), 'the page loaded mermaid');
        // The quiz bundle (1.4 MB) loads only where a quiz is, when the quiz comes into view.
        const quizzes = page.locator('.quiz-placeholder');
        if (await quizzes.count() === 0) {
          assert.ok(!(await fetched(s)).some(u => u.includes('quiz-embed')), 'a page without a quiz loaded the quiz bundle');
        } else {
          await quizzes.first().scrollIntoViewIfNeeded();
          await page.waitForFunction(() => document.querySelector('.quiz-placeholder .mdbook-quiz'), null, { timeout: bound(10000) });
          assert.ok((await fetched(s)).some(u => u.includes('quiz-embed')), 'the quiz bundle was not loaded when the quiz came into view');
        }
        // A compile_fail fence (its class), not the word in the prose.
        if (/<code class="[^"]*\bcompile_fail\b/.test(p.built)) await checkCompileFail(page);
        // The table of contents is the same on every page, and grows with the book: it is checked
        // on the first page only.
        assert.deepEqual(await axe(page, null, 0, { exclude: [SIDEBAR] }), [], 'axe-core found accessibility violations');
        if (p === pages[0]) assert.deepEqual(await axe(page, SIDEBAR), [], 'axe-core found accessibility violations in the table of contents (the same on every page)');
        clean(s);
      });

      if (embeddedWidgets(p.built).length > 0) {
        await t.test(`${where(p)}: every widget accepted its data and is operable`, async () => {
          const since = mark(s);
          await checkWidgets(page, p.built);
          clean(s, since);
        });
      }

      await t.test(`${where(p)}: switched to a dark theme (navy) in place: dark diagrams, no console error, no other host`, async () => {
        const since = mark(s);
        await page.evaluate(() => { window.notReloaded = true; });
        await switchTheme(page, 'navy', { menu: p === pages[0] });
        await checkDiagrams(page, 'dark');
        assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page reloaded on the theme switch');
        assert.deepEqual(await page.$$eval('.widget-error', els => els.map(e => e.textContent)), [], 'a widget shows an error');
        clean(s, since);
      });

      if (has(p, 'quiz-placeholder')) {
        await t.test(`${where(p)}: every quiz can be answered right and wrong, explains, and keeps the answers`, async () => {
          const since = mark(s);
          await checkQuizzes(page);
          clean(s, since);
        });
      }

      if (p === runPage) await t.test(`${where(p)}: ${RUN}`, () => checkRun(s, p));
    }));
  }

  // print.html holds every chapter: every widget on it is built from its data, several of a kind
  // on one page (unique ids), without console errors or requests to other hosts. (Each is operated
  // on its chapter's page.)
  if (!process.env.BOOK_PAGES) {
    job(3, 'print.html (every chapter on one page): every widget accepted its data', { timeout: bound(120000) },
      [readFileSync(join(SITE, 'print.html'), 'utf8')], () =>
      visit(server.url + 'print.html', async s => {
        assert.deepEqual(await widgetErrors(s.page), [], 'a widget rejected its data');
        await checkWidgets(s.page, readFileSync(join(SITE, 'print.html'), 'utf8'), { operate: false });
        clean(s);
      }));
  }

  // ---- the book as a whole --------------------------------------------------------------------

  const searchIndex = readdirSync(SITE).filter(f => f.startsWith('searchindex')).sort().map(f => readFileSync(join(SITE, f), 'utf8'));
  job(1 + pages.length / 8, `search finds every page by a word of its title (${pages.length} pages, one search box)`, { timeout: bound(120000) },
    [...searchIndex, ...pages.map(p => p.built)], () =>
    visit(server.url + 'index.html', async s => {
      const { page } = s;
      await page.click('#mdbook-search-toggle');
      const box = page.locator('#mdbook-searchbar');
      const missed = [];
      for (const p of pages) {
        // The chapter's own heading (the menu bar's book title is an <h1> too).
        const title = /<h1[^>]*>(?:<a[^>]*>)?([^<]+)/.exec(p.built.slice(p.built.indexOf('<main')))?.[1] || '';
        const word = title.split(/[^A-Za-z]+/).sort((a, b) => b.length - a.length)[0];
        if (!word) { missed.push(`${where(p)}: no word in its title`); continue; }
        // mdbook searches on keyup (of the whole word: one search, not one per letter).
        await box.fill(word);
        await box.press('End');
        const found = await page.waitForFunction(([w, html]) => {
          const header = document.querySelector('#mdbook-searchresults-header')?.textContent || '';
          if (!header.includes(`'${w}'`)) return false;
          const hrefs = [...document.querySelectorAll('#mdbook-searchresults a')].map(a => a.getAttribute('href'));
          return hrefs.some(h => h.split(/[?#]/)[0].endsWith(html)) || hrefs;
        }, [word, p.html], { timeout: bound(15000) }).then(h => h.jsonValue()).catch(e => `no results (${e.message.split('\n')[0]})`);
        if (found !== true) missed.push(`${where(p)}: searching "${word}" did not list it: ${Array.isArray(found) ? found.join(', ') || 'no results' : found}`);
      }
      assert.deepEqual(missed, [], 'pages that search does not find');
      clean(s);
    }));

  // Every theme a reader can pick, on one page with code and a compile-fail listing (and a
  // diagram, if a page has both): axe-core over the whole page, table of contents included. (The pages'
  // own visits run axe in the light theme; their dark-theme checks are of diagrams and errors.)
  const themed = pages.find(p => has(p, 'compile_fail') && has(p, 'class="diagram"'))
    || pages.find(p => has(p, 'compile_fail')) || pages[0];
  if (themed) {
    job(3, `${where(themed)}: every theme (light, rust, coal, navy, ayu) meets axe-core's rules, table of contents included`,
      { timeout: bound(120000) }, [themed.built], () => visit(server.url + themed.html, async s => {
        const failures = [];
        for (const theme of ['light', 'rust', 'coal', 'navy', 'ayu']) {
          await s.page.evaluate(t => localStorage.setItem('mdbook-theme', t), theme);
          await s.page.reload({ waitUntil: 'load' });
          await settled(s.page);
          const found = await axe(s.page);
          if (found.length) failures.push(`${theme}: ${found.join(' | ')}`);
        }
        assert.deepEqual(failures, [], 'axe-core found accessibility violations');
        clean(s);
      }));
  }

  // The Run button's page is visited above when it is selected; otherwise on its own.
  if (!pages.includes(runPage)) {
    job(1, RUN, { timeout: bound(60000) }, [runPage ? readFileSync(join(SITE, runPage.html), 'utf8') : ''], async () => {
      assert.ok(runPage, 'no page has a runnable listing');
      await visit(server.url + runPage.html, async s => { await settled(s.page); await checkRun(s, runPage); });
    });
  }

  // Each widget kind's behaviour suite: one job, its scenarios in order (they share a page).
  for (const [kind, behaviour] of Object.entries(suites)) {
    // Its fixtures are made from the pages that embed the kind (lib.mjs widgetFixture).
    const sources = all.map(p => readFileSync(join(SITE, p.html), 'utf8')).filter(h => embeddedWidgets(h).some(w => w.kind === kind));
    job(20, `the ${kind} widget's behaviour (src/widgets/${kind}.js, on a fixture page)`, { timeout: bound(300000) },
      sources, t => behaviour(t, { server, browser }));
  }

  // A job that passed before, with everything it can observe unchanged, is not run again (see
  // cache.mjs). A job passes when it and each of its subtests pass.
  const shared = sharedKey(SITE);
  for (const j of jobs.sort((a, b) => b.cost - a.cost)) {
    const key = jobKey(shared, j.name, j.sees);
    it(j.name, j.options, async t => {
      if (passedBefore(j.name, key)) {
        t.skip('unchanged since it passed (target/browser-cache; BOOK_NO_CACHE=1 runs it)');
        return;
      }
      let failed = false;
      const watched = new Proxy(t, {
        get: (target, prop) => prop === 'test'
          ? (name, ...rest) => {
            const fn = rest.pop();
            return target.test(name, ...rest, async (...args) => {
              try { return await fn(...args); } catch (e) { failed = true; throw e; }
            });
          }
          : (typeof target[prop] === 'function' ? target[prop].bind(target) : target[prop]),
      });
      await j.fn(watched);
      if (!failed) recordPass(j.name, key);
    });
  }
});

// Static facts about the built book that the tests above rely on, so that they cannot pass by
// having nothing to look at.
test('the book has a diagram, a compile-fail listing and a quiz to test', () => {
  const built = all.map(p => readFileSync(join(SITE, p.html), 'utf8'));
  assert.ok(built.some(h => h.includes('class="diagram"') || h.includes('class="mermaid"')), 'no page has a diagram (the theme switch is tested on diagrams)');
  assert.ok(built.some(h => h.includes('compile_fail')), 'no page has a compile-fail listing');
  assert.ok(built.some(h => h.includes('quiz-placeholder')), 'no page has a quiz');
});

test('every widget kind has its behaviour suite and its per-instance check', () => {
  for (const kind of widgetKinds()) {
    assert.ok(suites[kind], `src/widgets/${kind}.js has no tests/browser/widgets/${kind}.suite.mjs (export default behaviour(t, env))`);
    assert.ok(checks[kind], `src/widgets/${kind}.js has no tests/browser/widgets/${kind}.mjs (export instanceCheck(page, i))`);
  }
});

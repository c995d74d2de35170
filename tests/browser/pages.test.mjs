// Every chapter page of the book, as a reader gets it, in Debian's Chromium.
// Each test's name starts with the page (and its markdown source), so a failure names it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildBook, serve, launch, open, settled, chapterPages, revealAll, ROOT } from './lib.mjs';

const AXE = join(ROOT, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js');
const SITE = buildBook();
let server, browser;

before(async () => {
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const pages = chapterPages();
const where = p => `${p.html} (${p.md})`;

/**
 * The diagrams of the page, as the reader sees them in `wantTheme` ('default' or 'dark'): each
 * must be an SVG, pre-rendered for that theme (or, for a diagram being edited, drawn by
 * theme/loader.js), and none may show mermaid's syntax-error box.
 */
async function checkDiagrams(page, wantTheme) {
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
  await page.waitForFunction(n => document.querySelectorAll('.widget').length >= n, data, { timeout: 10000 });
  await page.waitForFunction(() => [...document.querySelectorAll('.widget')].every(w => w.dataset.ready === 'true'), null, { timeout: 10000 });
  return page.$$eval('.widget-error', els => els.map(e => e.textContent));
}

for (const p of pages) {
  test(`${where(p)}: light theme: renders, no console error, no other host, pays only for what it uses, no accessibility violation`, async () => {
    const { page, context, errors, foreign, requests } = await open(browser, server.url + p.html, { theme: 'light' });
    try {
      await settled(page);
      const diagrams = await checkDiagrams(page, 'default');
      assert.deepEqual(await widgetErrors(page), [], 'a widget rejected its data');
      // Every diagram is pre-rendered, so no page loads mermaid (2.7 MB).
      const drawnHere = diagrams.filter(d => !d.prerendered).map(d => d.name);
      assert.deepEqual(drawnHere, [], 'diagrams without pre-rendered SVGs: run `cargo xtask diagrams` and commit src/diagrams/');
      assert.ok(!requests.some(u => u.includes('mermaid')), 'the page loaded mermaid');
      // The quiz bundle (1.4 MB) loads only where a quiz is.
      const quizzes = page.locator('.quiz-placeholder');
      if (await quizzes.count() === 0) {
        assert.ok(!requests.some(u => u.includes('quiz-embed')), 'a page without a quiz loaded the quiz bundle');
      } else {
        await quizzes.first().scrollIntoViewIfNeeded();
        await page.waitForFunction(() => document.querySelector('.quiz-placeholder .mdbook-quiz'), null, { timeout: 10000 });
        assert.ok(requests.some(u => u.includes('quiz-embed')), 'the quiz bundle was not loaded when the quiz came into view');
      }
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; ')}`);
      });
      assert.deepEqual(violations, [], 'axe-core found accessibility violations');
      assert.deepEqual(foreign, [], 'requests to another host');
      assert.deepEqual(errors, [], 'console errors');
    } finally {
      await context.close();
    }
  });

  test(`${where(p)}: dark (navy) theme: renders with dark diagrams, no console error, no other host`, async () => {
    const { page, context, errors, foreign } = await open(browser, server.url + p.html, { theme: 'navy' });
    try {
      await settled(page);
      await checkDiagrams(page, 'dark');
      assert.deepEqual(await widgetErrors(page), [], 'a widget rejected its data');
      assert.deepEqual(foreign, [], 'requests to another host');
      assert.deepEqual(errors, [], 'console errors');
    } finally {
      await context.close();
    }
  });

  test(`${where(p)}: search finds this page by a word of its title`, async () => {
    const { page, context } = await open(browser, server.url + 'index.html');
    try {
      // The chapter's own heading (the menu bar's book title is an <h1> too).
      const title = await (await fetch(server.url + p.html)).text()
        .then(h => /<h1[^>]*>(?:<a[^>]*>)?([^<]+)/.exec(h.slice(h.indexOf('<main')))?.[1] || '');
      const word = title.split(/[^A-Za-z]+/).sort((a, b) => b.length - a.length)[0];
      assert.ok(word, `no word in the title of ${p.html}`);
      await page.click('#mdbook-search-toggle');
      // mdbook searches on keyup, so type the word as a reader would.
      await page.locator('#mdbook-searchbar').pressSequentially(word, { delay: 20 });
      await page.waitForSelector('#mdbook-searchresults a', { timeout: 5000 });
      const hrefs = await page.$$eval('#mdbook-searchresults a', as => as.map(a => a.getAttribute('href')));
      assert.ok(hrefs.some(h => h.split(/[?#]/)[0].endsWith(p.html)), `searching "${word}" did not list ${p.html}: ${hrefs.join(', ')}`);
    } finally {
      await context.close();
    }
  });
}

test('diagrams follow the theme switch without a reload', async () => {
  const p = pages.find(pg => readFileSync(join(SITE, pg.html), 'utf8').includes('class="diagram"')) || pages[0];
  const { page, context, errors } = await open(browser, server.url + p.html, { theme: 'light' });
  try {
    await settled(page);
    assert.ok((await checkDiagrams(page, 'default')).length > 0, `${p.html} has no diagram to switch`);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.click('#mdbook-theme-toggle');
    await page.click('#mdbook-theme-navy');
    await page.waitForFunction(() => document.documentElement.classList.contains('navy') && window.bookReady);
    await checkDiagrams(page, 'dark');
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page reloaded');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('runnable listings show a Run button offline, and only pressing it contacts the playground', async () => {
  const p = pages.find(pg => readFileSync(join(SITE, pg.html), 'utf8').includes('class="playground"'));
  assert.ok(p, 'no page has a runnable listing');
  const { page, context, foreign } = await open(browser, server.url + p.html);
  try {
    await settled(page);
    // mdbook shows a listing's buttons when the pointer is over it, as for a reader.
    const listing = page.locator('pre.playground:has(.play-button)').first();
    await listing.scrollIntoViewIfNeeded();
    await listing.hover();
    const run = listing.locator('.play-button');
    await run.waitFor({ state: 'visible', timeout: 5000 });
    await page.waitForTimeout(300);
    assert.deepEqual(foreign, [], 'a request to another host before Run was pressed');
    await run.click();
    await page.waitForFunction(() => document.querySelector('pre.playground .result'), null, { timeout: 10000 });
    assert.ok(foreign.some(u => u.startsWith('https://play.rust-lang.org/')), `pressing Run did not contact the playground: ${foreign}`);
  } finally {
    await context.close();
  }
});

test('every compile-fail listing is marked, and its verified compiler message labelled', async () => {
  for (const p of pages) {
    const html = readFileSync(join(SITE, p.html), 'utf8');
    if (!html.includes('compile_fail')) continue;
    const { page, context } = await open(browser, server.url + p.html);
    try {
      const marks = await page.$$eval('pre > code.compile_fail', codes => codes.map(c => ({
        badge: c.parentElement.previousElementSibling?.classList.contains('compile-fail-badge') || false,
        codes: [...c.classList].filter(k => /^E\d{4}$/.test(k)),
        badgeText: c.parentElement.previousElementSibling?.textContent || '',
      })));
      assert.ok(marks.length > 0);
      for (const m of marks) {
        assert.ok(m.badge, `${p.html}: a compile-fail listing has no badge`);
        for (const code of m.codes) assert.ok(m.badgeText.includes(code), `${p.html}: the badge does not name ${code}`);
      }
      assert.ok(await page.locator('pre.compiler-message').count() >= marks.length, `${p.html}: a compile-fail listing has no labelled compiler message after it`);
    } finally {
      await context.close();
    }
  }
});

/** Answers one quiz question in the rendered form: right, or with its first distractor. */
async function answer(form, q, right) {
  if (q.type === 'MultipleChoice') {
    const values = right ? [q.answer.answer].flat() : [q.prompt.distractors[0]];
    for (const v of values) await form.locator(`input[value="${v.replace(/["\\]/g, '\\$&')}"]`).check();
  } else if (q.type === 'ShortAnswer') {
    await form.locator('input[type=text], textarea').first().fill(right ? q.answer.answer : 'not the answer');
  } else if (q.type === 'Tracing') {
    // "Does this program compile?" and then its output.
    const yes = form.locator('input[type=radio]').nth(q.answer.doesCompile === right ? 0 : 1);
    await yes.check();
    if (q.answer.doesCompile && right) await form.locator('textarea, input[type=text]').first().fill(q.answer.stdout);
  } else {
    throw new Error(`no test for question type ${q.type}`);
  }
  await form.locator('input[type=submit]').click();
}

const quizPages = pages.filter(p => readFileSync(join(SITE, p.html), 'utf8').includes('quiz-placeholder'));
test('the book has at least one quiz to test', () => assert.ok(quizPages.length > 0));

for (const p of quizPages) {
  test(`${where(p)}: every quiz can be answered right and wrong, explains, and keeps the answers`, async () => {
    const { page, context, errors } = await open(browser, server.url + p.html);
    try {
      const quizzes = page.locator('.quiz-placeholder');
      const n = await quizzes.count();
      for (let k = 0; k < n; k++) {
        const ph = quizzes.nth(k);
        const name = JSON.parse(await ph.getAttribute('data-quiz-name'));
        const data = JSON.parse(await ph.getAttribute('data-quiz-questions'));
        // The bundle loads when the quiz comes near the screen, as it does for a reader.
        await ph.scrollIntoViewIfNeeded();
        await ph.getByRole('button', { name: 'Start' }).click();
        // The first question wrong, every other one right.
        for (const [i, q] of data.questions.entries()) {
          const form = ph.locator('form.response');
          await form.waitFor({ timeout: 5000 });
          await answer(form, q, i !== 0);
          // A wrong answer may be followed by a prompt to reconsider; submitting again moves on.
        }
        const total = data.questions.length;
        await ph.getByText(`${total - 1}/${total}`).waitFor({ timeout: 5000 });
        // The explanation of the question answered wrong is shown with the correct answers.
        await ph.getByRole('button', { name: 'see the correct answers' }).first().click();
        const firstContext = data.questions[0].context.trim().split('\n')[0].replace(/[`*_]/g, '').slice(0, 40);
        await ph.getByText(firstContext, { exact: false }).first().waitFor({ timeout: 5000 });
        // The answers survive a reload.
        await page.reload({ waitUntil: 'load' });
        await page.locator('.quiz-placeholder').nth(k).scrollIntoViewIfNeeded();
        await page.locator('.quiz-placeholder').nth(k).getByText(`${total - 1}/${total}`).waitFor({ timeout: 5000 });
        assert.ok(await page.evaluate(key => localStorage.getItem(key) !== null, `mdbook-quiz:${name}`), 'answers are not stored');
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

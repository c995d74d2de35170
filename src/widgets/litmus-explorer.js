/*
 * Litmus explorer: the reader picks a litmus test (message passing, store buffering), chooses the
 * ordering of each of its four atomic operations, and sees each outcome (r1, r2) marked allowed
 * or forbidden by the memory model, beside how often it showed in real runs on the book's
 * machine, and why (which happens-before edge exists, or which total order forbids it).
 *
 * A chapter embeds it with three `<script type="text/plain" id="…">` blocks, each including a
 * tested file, and the JSON block (the widget's UI goes right before it):
 *
 *   <script type="application/json" data-widget="litmus-explorer">
 *   { "title": "…",
 *     "model": "litmus-model",        // includes the loom model's main.rs
 *     "hardware": "litmus-hardware",  // includes the hardware program's main.rs
 *     "sample": "litmus-sample",      // includes the hardware program's committed output.txt
 *     "tests": [
 *       { "id": "mp", "name": "…", "question": "…",
 *         "threads": [["data.store(1, o1)", "flag.store(1, o2)"], ["let r1 = flag.load(o3)", "let r2 = data.load(o4)"]],
 *         "rules": [                   // the first rule whose `when` matches a choice applies
 *           { "when": ["*", ["Release"], ["Acquire"], "*"],   // per operation: "*" or orderings
 *             "allowed": ["0,0", "0,1", "1,1"], "source": "loom" | "reasoning",
 *             "why": "…", "reasoning": "…" }, … ] }, … ] }
 *   </script>
 *
 * A store may be Relaxed, Release or SeqCst, a load Relaxed, Acquire or SeqCst. The counts come
 * from the sample's lines `mp Relaxed Release Acquire Relaxed: 0,0=… 0,1=… 1,0=… 1,1=…`.
 * tools/book/src/litmus.rs checks the table against the loom model's output (and, for choices
 * with SeqCst, which loom runs as AcqRel, the written reasoning against loom's upper bound) and
 * against the sample; broken data renders a .widget-error. The root gets data-ready="true"
 * either way. No globals.
 */
(function () {
  'use strict';

  const SELECTOR = 'script[type="application/json"][data-widget="litmus-explorer"]';
  const STORES = ['Relaxed', 'Release', 'SeqCst'];
  const LOADS = ['Relaxed', 'Acquire', 'SeqCst'];
  const OUTCOMES = ['0,0', '0,1', '1,0', '1,1'];
  let counter = 0;

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** The lines of a text script as mdbook left them: without the blank first and last lines. */
  function textLines(text) {
    const lines = text.split('\n');
    if (lines.length && lines[0].trim() === '') lines.shift();
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    return lines;
  }

  /** `x.store(1, o1)` or `let r1 = x.load(o3)`, the n-th operation: { store, before, after }. */
  function parseOp(code, n) {
    const store = new RegExp(`^[a-z_]+\\.store\\(1, o${n}\\)$`).test(code);
    const load = new RegExp(`^let r[12] = [a-z_]+\\.load\\(o${n}\\)$`).test(code);
    if (!store && !load) return null;
    const at = code.lastIndexOf(`o${n}`);
    return { code, store, before: code.slice(0, at), after: code.slice(at + `o${n}`.length) };
  }

  /** The sample: { machine, rounds, counts: { "mp Relaxed Release Acquire Relaxed": [n, n, n, n] } }. */
  function parseSample(text) {
    const out = { machine: '', rounds: 0, counts: {} };
    for (const line of textLines(text)) {
      let m;
      if ((m = line.match(/^machine: (.+)$/))) out.machine = m[1];
      else if ((m = line.match(/^rounds: (\d+) /))) out.rounds = Number(m[1]);
      else if ((m = line.match(/^(\w+ \w+ \w+ \w+ \w+): 0,0=(\d+) 0,1=(\d+) 1,0=(\d+) 1,1=(\d+)$/))) out.counts[m[1]] = m.slice(2).map(Number);
    }
    return out;
  }

  function choices(ops) {
    const legal = ops.map(o => (o.store ? STORES : LOADS));
    const out = [];
    for (const a of legal[0]) for (const b of legal[1]) for (const c of legal[2]) for (const d of legal[3]) out.push([a, b, c, d]);
    return out;
  }

  const ruleFor = (t, o) => t.rules.find(r => r.when.every((w, i) => w === '*' || w.includes(o[i])));

  function validate(d) {
    if (!d.title) return 'the data needs a title';
    for (const field of ['model', 'hardware', 'sample']) {
      const s = document.getElementById(d[field]);
      if (!s) return `\`${field}\` names "${d[field]}", which is not on this page`;
    }
    d.sampleData = parseSample(document.getElementById(d.sample).textContent);
    if (!d.sampleData.rounds) return 'the hardware sample has no rounds line';
    if (!Array.isArray(d.tests) || d.tests.length === 0) return 'the data needs tests';
    for (const t of d.tests) {
      if (!t.id || !t.name) return 'every test needs an id and a name';
      if (!Array.isArray(t.threads) || t.threads.length !== 2) return `test "${t.id}" needs two threads`;
      t.ops = [];
      let n = 0;
      for (const [k, th] of t.threads.entries()) {
        for (const code of th) {
          const op = parseOp(code, ++n);
          if (!op) return `test "${t.id}": operation ${n} (${code}) is neither x.store(1, o${n}) nor let rK = x.load(o${n})`;
          op.thread = k;
          op.n = n;
          t.ops.push(op);
        }
      }
      if (t.ops.length !== 4) return `test "${t.id}" needs four operations`;
      if (!Array.isArray(t.rules) || t.rules.length === 0) return `test "${t.id}" needs rules`;
      for (const r of t.rules) {
        if (!Array.isArray(r.when) || r.when.length !== 4 || !Array.isArray(r.allowed) || !r.why) return `test "${t.id}": every rule needs when (four entries), allowed and why`;
      }
      for (const o of choices(t.ops)) {
        if (!ruleFor(t, o)) return `test "${t.id}": no rule covers ${o.join(' ')}`;
        if (!d.sampleData.counts[`${t.id} ${o.join(' ')}`]) return `the hardware sample has no counts for ${t.id} ${o.join(' ')}`;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- the widget

  function start() {
    const blocks = document.querySelectorAll(SELECTOR);
    if (blocks.length === 0) return;
    const whenNear = window.bookWhenNear || ((element, init) => init());
    blocks.forEach(b => whenNear(b, () => mount(b)));
  }

  function mount(script) {
    const n = ++counter;
    const root = h('div', { class: 'widget widget-litmus-explorer' });
    script.parentNode.insertBefore(root, script);
    let d, error;
    try {
      d = JSON.parse(script.textContent);
      error = validate(d);
    } catch (e) {
      error = `the data is not valid JSON (${e.message})`;
    }
    if (error) {
      root.append(h('div', { class: 'widget-error', role: 'alert' }, `Litmus explorer: ${error}.`));
      root.dataset.ready = 'true';
      return;
    }
    try {
      build(root, d, n);
    } catch (e) {
      root.replaceChildren(h('div', { class: 'widget-error', role: 'alert' }, `Litmus explorer: ${e.message}`));
    }
    root.dataset.ready = 'true';
  }

  function build(root, d, n) {
    const id = x => `le${n}-${x}`;
    const fmt = x => x.toLocaleString('en-US');
    const pair = o => `(${o.replace(',', ', ')})`;
    const st = { k: 0, orderings: d.tests.map(t => t.ops.map(() => 'Relaxed')) };
    const test = () => d.tests[st.k];

    root.setAttribute('role', 'group');
    root.setAttribute('aria-labelledby', id('title'));
    const title = h('p', { class: 'le-title', id: id('title') }, d.title);
    const tests = h('div', { class: 'le-tests', role: 'group', 'aria-label': 'Litmus test' },
      d.tests.map((t, k) => h('button', { type: 'button', class: 'le-test', 'data-test': t.id, 'aria-pressed': 'false', onclick: () => { st.k = k; render(true); } }, t.name)));
    const question = h('p', { class: 'le-question' });
    const presets = h('div', { class: 'le-presets', role: 'group', 'aria-label': 'Set all four orderings' },
      [['relaxed', 'All Relaxed', op => 'Relaxed'], ['release-acquire', 'Release / Acquire', op => (op.store ? 'Release' : 'Acquire')], ['seqcst', 'All SeqCst', op => 'SeqCst']]
        .map(([key, label, pick]) => h('button', { type: 'button', class: 'le-preset', 'data-preset': key, onclick: () => { st.orderings[st.k] = test().ops.map(pick); render(true); } }, label)));
    const threads = h('div', { class: 'le-threads' });
    const table = h('table', { class: 'le-table' });
    const machine = h('p', { class: 'le-machine' });
    const why = h('div', { class: 'le-why', id: id('why'), 'aria-live': 'polite' });
    const programs = h('details', { class: 'le-programs' },
      h('summary', {}, 'The programs behind the table'),
      [['model', 'The loom model (every execution loom explores)'], ['hardware', 'The hardware program (the counts)']].map(([f, label]) => [
        h('p', { class: 'le-program-label', id: id(`${f}-label`) }, label),
        h('pre', { class: 'le-source', tabindex: '0', role: 'region', 'aria-labelledby': id(`${f}-label`) }, textLines(document.getElementById(d[f]).textContent).join('\n')),
      ]));
    root.append(title, tests, question, presets, threads, table, machine, why, programs);

    // Keep the arrow keys of a focused ordering menu from turning mdbook's pages.
    root.addEventListener('keydown', e => {
      if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && e.target.tagName === 'SELECT') e.stopPropagation();
    });

    function drawThreads() {
      const t = test();
      threads.replaceChildren(...[0, 1].map(k => h('div', { class: 'le-thread', 'data-thread': k + 1 },
        h('p', { class: 'le-thread-name' }, `Thread ${k + 1}`),
        h('div', { class: 'le-code' }, t.ops.filter(op => op.thread === k).map(op => {
          const i = op.n - 1;
          const select = h('select', {
            class: 'le-ordering', 'data-op': op.n,
            'aria-label': `Ordering of ${op.code.replace(`o${op.n}`, '…')} (thread ${k + 1})`,
            onchange: e => { st.orderings[st.k][i] = e.target.value; render(false); },
          }, (op.store ? STORES : LOADS).map(o => h('option', { value: o, selected: st.orderings[st.k][i] === o }, o)));
          return h('div', { class: 'le-op' }, h('code', {}, op.before), select, h('code', {}, `${op.after};`));
        })))));
    }

    function render(redrawThreads) {
      const t = test();
      const o = st.orderings[st.k];
      tests.querySelectorAll('button').forEach((b, k) => b.setAttribute('aria-pressed', String(k === st.k)));
      question.textContent = t.question || '';
      if (redrawThreads) drawThreads();
      else threads.querySelectorAll('select').forEach((s, i) => { s.value = o[i]; });
      const rule = ruleFor(t, o);
      const counts = d.sampleData.counts[`${t.id} ${o.join(' ')}`];
      const rounds = d.sampleData.rounds;
      const choice = t.ops.map((op, i) => `${op.code.replace(`o${op.n}`, o[i])}`).join('; ');
      table.replaceChildren(
        h('caption', {}, `Outcomes (r1, r2) with ${o.join(', ')}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Outcome (r1, r2)'), h('th', { scope: 'col' }, 'Memory model'), h('th', { scope: 'col' }, 'Observed here'))),
        h('tbody', {}, OUTCOMES.map((out, i) => {
          const ok = rule.allowed.includes(out);
          const c = counts[i];
          return h('tr', { 'data-outcome': out, 'data-allowed': String(ok), class: ok ? 'le-allowed' : 'le-forbidden' },
            h('th', { scope: 'row' }, pair(out)),
            h('td', { class: 'le-verdict' }, h('span', { class: 'le-badge' }, ok ? '✓ allowed' : '✗ forbidden')),
            h('td', { class: 'le-count', 'data-count': c }, `${fmt(c)} of ${fmt(rounds)}`, c > 0 && c < rounds ? ` (${(100 * c / rounds).toFixed(c * 1000 < rounds ? 3 : 1)}%)` : ''));
        })));
      machine.textContent = `Observed: one run of the hardware program, ${fmt(rounds)} rounds per choice of orderings, on ${d.sampleData.machine}. An allowed outcome may still never show on a given machine; a forbidden one never does.`;
      const source = rule.source === 'reasoning'
        ? [h('p', { class: 'le-source-note' }, h('strong', {}, 'Source: the memory model\'s argument. '), rule.reasoning || '')]
        : [h('p', { class: 'le-source-note' }, h('strong', {}, 'Source: loom. '), 'The loom model runs these operations through every execution loom explores, and the allowed outcomes are exactly those it finds.')];
      why.replaceChildren(h('p', { class: 'le-why-title' }, h('strong', {}, 'Why: '), h('code', {}, choice)), h('p', { class: 'le-why-text' }, rule.why), ...source);
      why.dataset.source = rule.source;
    }

    render(true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

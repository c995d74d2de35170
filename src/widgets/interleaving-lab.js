/*
 * Interleaving lab ("you are the scheduler"): the reader picks which of two threads takes its
 * next step through a tested program, and sees the locks each holds or waits for, the shared
 * counter, the outcome, and, when the threads deadlock, the wait-for cycle.
 *
 * A chapter embeds it with one `<script type="text/plain" id="…">` per program (includes of a
 * listing's anchors) and the JSON block (the widget's UI goes right before it):
 *
 *   <script type="application/json" data-widget="interleaving-lab">
 *   { "title": "…", "correct": "counter = 2",
 *     "variants": [                      // exactly two: the bug, then its fix
 *       { "label": "…", "run": "lost", "program": "lab-lost-bug", "counter": 0, "locks": ["counter"],
 *         "threads": [{"name": "thread 1", "steps": [
 *             {"line": 2, "code": "counter.lock()", "lock": "counter", "does": "read",
 *              "releases": ["counter"], "note": "…"}, …]}, …],
 *         "outcomes": [{"result": "counter = 2", "schedule": [1, 1, 2, 2]}, …] }, … ] }
 *   </script>
 *
 * A step runs from one lock() call of its thread to the next: it takes `lock` (or, while the
 * other thread holds it, the thread is Blocked and the step is spent), does `does` to the counter
 * (read: v = counter; write: counter = v + 1; add: counter += 1) and drops `releases`. A Blocked
 * thread can go again once its lock is free. When no thread can go and one has steps left, both
 * are blocked: a deadlock. tools/book/src/lab.rs checks the same rules against the data and runs
 * the listing with every schedule; broken data renders a .widget-error. The root gets
 * data-ready="true" either way. No globals.
 */
(function () {
  'use strict';

  const SELECTOR = 'script[type="application/json"][data-widget="interleaving-lab"]';
  const DEADLOCK = 'deadlock: both threads blocked';
  const FINISHED = 'both threads finished';
  const SVG = 'http://www.w3.org/2000/svg';
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

  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
    for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return el;
  }

  /** The lines of a program script as mdbook left them: without the blank first and last lines. */
  function programLines(text) {
    const lines = text.split('\n');
    if (lines.length && lines[0].trim() === '') lines.shift();
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    return lines;
  }

  // ---------------------------------------------------------------- the model

  function sim(v) {
    return { v, pos: [0, 0], blocked: [null, null], local: [null, null], counter: v.counter, holders: {}, events: [], schedule: [] };
  }
  const steps = (S, t) => S.v.threads[t].steps;
  const done = (S, t) => S.pos[t] >= steps(S, t).length;
  const canGo = (S, t) => !done(S, t) && (S.blocked[t] === null || !(S.blocked[t] in S.holders));

  function step(S, t) {
    const st = steps(S, t)[S.pos[t]];
    S.schedule.push(t + 1);
    if (st.lock in S.holders) {
      S.blocked[t] = st.lock;
      S.events.push({ t, step: st, took: false, holder: S.holders[st.lock] });
      return;
    }
    S.blocked[t] = null;
    S.holders[st.lock] = t;
    const before = S.counter;
    if (st.does === 'read') S.local[t] = S.counter;
    else if (st.does === 'write') S.counter = S.local[t] + 1;
    else if (st.does === 'add') S.counter += 1;
    for (const l of st.releases || []) delete S.holders[l];
    S.pos[t]++;
    S.events.push({ t, step: st, took: true, before, after: S.counter, v: S.local[t] });
  }

  function outcome(S) {
    if (canGo(S, 0) || canGo(S, 1)) return null;
    if (!done(S, 0) || !done(S, 1)) return DEADLOCK;
    return S.counter === undefined || S.counter === null ? FINISHED : `counter = ${S.counter}`;
  }

  function replay(v, schedule) {
    const S = sim(v);
    for (const t of schedule) {
      if (!canGo(S, t - 1)) break;
      step(S, t - 1);
    }
    return S;
  }

  /** Every complete run: {schedule, outcome}. */
  function allRuns(v) {
    const out = [];
    const go = schedule => {
      const S = replay(v, schedule);
      const o = outcome(S);
      if (o) { out.push({ schedule, outcome: o }); return; }
      for (const t of [0, 1]) if (canGo(S, t)) go(schedule.concat(t + 1));
    };
    go([]);
    return out;
  }

  function validate(d) {
    if (!d.title || !d.correct) return 'the data needs a title and a correct outcome';
    if (!Array.isArray(d.variants) || d.variants.length !== 2) return 'the data needs two variants (the bug, then its fix)';
    for (const v of d.variants) {
      const script = document.getElementById(v.program);
      if (!script) return `variant "${v.label}" names the program "${v.program}", which is not on this page`;
      v.lines = programLines(script.textContent);
      if (!Array.isArray(v.threads) || v.threads.length !== 2) return `variant "${v.label}" needs two threads`;
      for (const th of v.threads) {
        for (const st of th.steps || []) {
          if (!(st.line >= 1 && st.line <= v.lines.length)) return `${th.name}: line ${st.line} is outside the program (${v.lines.length} lines)`;
          if (!v.lines[st.line - 1].includes(st.code)) return `${th.name}: line ${st.line} does not contain ${st.code}`;
        }
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
    const root = h('div', { class: 'widget widget-interleaving-lab' });
    script.parentNode.insertBefore(root, script);
    let d, error;
    try {
      d = JSON.parse(script.textContent);
      error = validate(d);
    } catch (e) {
      error = `the data is not valid JSON (${e.message})`;
    }
    if (error) {
      root.append(h('div', { class: 'widget-error', role: 'alert' }, `Interleaving lab: ${error}.`));
      root.dataset.ready = 'true';
      return;
    }
    try {
      build(root, d, n);
    } catch (e) {
      root.replaceChildren(h('div', { class: 'widget-error', role: 'alert' }, `Interleaving lab: ${e.message}`));
    }
    root.dataset.ready = 'true';
  }

  function build(root, d, n) {
    const id = x => `il${n}-${x}`;
    const st = { k: 0, schedule: [], found: [new Set(), new Set()], showAll: false };
    const variant = () => d.variants[st.k];
    const name = t => variant().threads[t].name;
    const cap = x => x.charAt(0).toUpperCase() + x.slice(1);

    root.setAttribute('role', 'group');
    root.setAttribute('aria-labelledby', id('title'));
    const title = h('p', { class: 'il-title', id: id('title') }, d.title);
    const toggle = h('div', { class: 'il-variants', role: 'group', 'aria-label': 'Program' },
      d.variants.map((v, k) => h('button', { type: 'button', class: 'il-variant', 'aria-pressed': 'false', onclick: () => { st.k = k; st.schedule = []; st.showAll = false; render(); } }, v.label)));
    const source = h('pre', { class: 'il-source', tabindex: '0', role: 'region', 'aria-label': `The program of ${d.title}` });
    const threadBox = h('div', { class: 'il-threads' });
    const shared = h('div', { class: 'il-shared' });
    const graph = h('figure', { class: 'il-graph' });
    const outcomeBox = h('p', { class: 'il-outcome', hidden: true });
    const live = h('p', { class: 'il-live', 'aria-live': 'polite' });
    const undo = h('button', { type: 'button', class: 'il-undo', onclick: () => { if (st.schedule.length) { st.schedule.pop(); render('Undone.'); } } }, 'Undo');
    const reset = h('button', { type: 'button', class: 'il-reset', onclick: () => { st.schedule = []; render('Back to the start.'); } }, 'Start again');
    const all = h('button', { type: 'button', class: 'il-all', 'aria-expanded': 'false', 'aria-controls': id('all'), onclick: () => { st.showAll = !st.showAll; render(); } }, 'Show all outcomes');
    const allBox = h('div', { class: 'il-all-box', id: id('all'), hidden: true });
    const log = h('ol', { class: 'il-log', 'aria-label': 'Steps taken' });
    const found = h('p', { class: 'il-found' });
    root.append(title, toggle, source, threadBox, shared, graph, outcomeBox, live,
      h('div', { class: 'il-controls' }, undo, reset, all), found, allBox, log);

    // The thread panels are built once, so that a focused step button stays in the page.
    const panels = [0, 1].map(t => {
      const p = {
        name: h('span', {}),
        state: h('span', { class: 'il-state', id: id(`state-${t}`) }),
        detail: h('p', { class: 'il-detail' }),
        held: h('p', { class: 'il-held' }),
        button: h('button', { type: 'button', class: 'il-step', 'data-thread': t + 1, 'aria-describedby': id(`state-${t}`), onclick: () => take(t) }),
      };
      p.el = h('div', { class: 'il-thread', 'data-thread': t + 1 }, h('p', { class: 'il-thread-name' }, p.name, ' ', p.state), p.detail, p.held, p.button);
      threadBox.append(p.el);
      return p;
    });

    function describe(e) {
      const who = cap(name(e.t));
      const where = `line ${e.step.line}, ${e.step.code}`;
      if (!e.took) return `${who} (${where}): ${e.step.lock} is held by ${name(e.holder)}, so ${name(e.t)} is blocked, waiting for it.`;
      let what = e.step.note;
      if (e.step.does === 'read') what += ` (v = ${e.v})`;
      if (e.step.does === 'write' || e.step.does === 'add') what += ` (counter ${e.before} → ${e.after})`;
      return `${who} (${where}) ${what}.`;
    }

    function take(t) {
      const S = replay(variant(), st.schedule);
      if (outcome(S)) return;
      if (!canGo(S, t)) {
        live.textContent = done(S, t)
          ? `${cap(name(t))} has finished.`
          : `${cap(name(t))} is blocked: it waits for ${S.blocked[t]}, which ${name(S.holders[S.blocked[t]])} holds.`;
        return;
      }
      st.schedule.push(t + 1);
      const after = replay(variant(), st.schedule);
      let said = describe(after.events[after.events.length - 1]);
      const o = outcome(after);
      if (o === DEADLOCK) said += ` Deadlock: ${cycleText(after)}.`;
      else if (o) said += ` Outcome: ${o}.`;
      render(said);
    }

    function cycleText(S) {
      const [l0, l1] = [S.blocked[0], S.blocked[1]];
      return `${name(0)} waits for lock ${l0}, held by ${name(1)}, which waits for lock ${l1}, held by ${name(0)}`;
    }

    /** The wait-for graph: threads at the sides, locks in the middle; held-by and waits-for arrows. */
    function drawGraph(S, o) {
      const locks = variant().locks;
      const W = 300, H = 60 + 50 * Math.max(0, locks.length - 1) + 20;
      const tx = [40, W - 40], ty = H / 2;
      const lx = W / 2, ly = i => (locks.length === 1 ? H / 2 : 30 + i * ((H - 60) / (locks.length - 1)));
      const edges = [];
      locks.forEach((l, i) => {
        if (l in S.holders) edges.push({ from: [lx, ly(i)], to: [tx[S.holders[l]], ty], kind: 'held', text: `${l} is held by ${name(S.holders[l])}` });
      });
      [0, 1].forEach(t => {
        const l = S.blocked[t];
        if (l !== null && l in S.holders) edges.push({ from: [tx[t], ty], to: [lx, ly(locks.indexOf(l))], kind: 'waits', text: `${name(t)} waits for ${l}` });
      });
      const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'il-svg', role: 'img', 'aria-labelledby': id('graph-label') });
      const label = o === DEADLOCK
        ? `Wait-for graph, a cycle: ${cycleText(S)}.`
        : `Wait-for graph: ${edges.length ? edges.map(e => e.text).join('; ') : 'no thread holds a lock'}.`;
      svg.append(s('title', { id: id('graph-label') }, label));
      const defs = s('defs', {});
      for (const kind of ['held', 'waits']) {
        defs.append(s('marker', { id: id(`arrow-${kind}`), viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
          s('path', { d: 'M0,0 L10,5 L0,10 z', class: `il-arrowhead il-${kind}` })));
      }
      svg.append(defs);
      const shorten = ([x1, y1], [x2, y2], r1, r2) => {
        const dx = x2 - x1, dy = y2 - y1, len = Math.hypot(dx, dy) || 1;
        return [x1 + dx * r1 / len, y1 + dy * r1 / len, x2 - dx * r2 / len, y2 - dy * r2 / len];
      };
      for (const e of edges) {
        const [x1, y1, x2, y2] = shorten(e.from, e.to, e.kind === 'held' ? 16 : 28, e.kind === 'held' ? 28 : 16);
        svg.append(s('line', { x1, y1, x2, y2, class: `il-edge il-${e.kind}${o === DEADLOCK ? ' il-cycle' : ''}`, 'marker-end': `url(#${id(`arrow-${e.kind}`)})` }));
      }
      [0, 1].forEach(t => {
        const g = s('g', { class: `il-node il-thread-node${S.blocked[t] !== null && S.blocked[t] in S.holders ? ' il-node-blocked' : ''}` });
        g.append(s('rect', { x: tx[t] - 28, y: ty - 14, width: 56, height: 28, rx: 6 }), s('text', { x: tx[t], y: ty + 4, 'text-anchor': 'middle' }, `T${t + 1}`));
        svg.append(g);
      });
      locks.forEach((l, i) => {
        const g = s('g', { class: 'il-node il-lock-node' });
        g.append(s('ellipse', { cx: lx, cy: ly(i), rx: Math.max(16, 4.5 * l.length + 8), ry: 16 }), s('text', { x: lx, y: ly(i) + 4, 'text-anchor': 'middle' }, l));
        svg.append(g);
      });
      const caption = h('figcaption', {}, o === DEADLOCK
        ? `The cycle: ${name(0)} → lock ${S.blocked[0]} (held by ${name(1)}) → ${name(1)} → lock ${S.blocked[1]} (held by ${name(0)}) → ${name(0)}.`
        : 'Wait-for graph: a solid arrow goes from a lock to the thread holding it, a dashed one from a blocked thread to the lock it waits for.');
      graph.classList.toggle('il-deadlocked', o === DEADLOCK);
      graph.replaceChildren(svg, caption);
    }

    function render(said) {
      const v = variant();
      const S = replay(v, st.schedule);
      const o = outcome(S);
      if (o) st.found[st.k].add(o);
      toggle.querySelectorAll('button').forEach((b, k) => b.setAttribute('aria-pressed', String(k === st.k)));
      // The program, with each thread's next step marked.
      source.replaceChildren(...v.lines.map((text, i) => {
        const marks = [0, 1].filter(t => !done(S, t) && steps(S, t)[S.pos[t]].line === i + 1);
        return h('span', { class: `il-line${marks.length ? ' il-at' : ''}`, 'data-line': i + 1 },
          h('span', { class: 'il-ln', 'aria-hidden': 'true' }, String(i + 1).padStart(2, ' ')),
          h('span', { class: 'il-marks' }, marks.map(t => h('span', { class: `il-mark il-mark-${t + 1}` }, `T${t + 1}`))),
          text + '\n');
      }));
      // The threads.
      [0, 1].forEach(t => {
        const p = panels[t];
        const blocked = S.blocked[t] !== null && S.blocked[t] in S.holders;
        const state = done(S, t) ? 'Finished' : blocked ? 'Blocked' : 'Ready';
        p.el.dataset.state = state.toLowerCase();
        const held = v.locks.filter(l => S.holders[l] === t);
        const next = done(S, t) ? null : steps(S, t)[S.pos[t]];
        p.name.textContent = cap(name(t));
        p.state.textContent = state;
        p.state.className = `il-state il-state-${state.toLowerCase()}`;
        p.detail.textContent = done(S, t) ? 'has run all its steps'
          : blocked ? `waits for ${S.blocked[t]}, held by ${name(S.holders[S.blocked[t]])}`
            : `next: line ${next.line}, ${next.code}`;
        p.held.textContent = `holds: ${held.length ? held.join(', ') : 'nothing'}` +
          (v.counter === undefined ? '' : `; v = ${S.local[t] === null ? '?' : S.local[t]}`);
        p.button.textContent = `Step ${name(t)}`;
        p.button.setAttribute('aria-disabled', String(!(!o && canGo(S, t))));
      });
      shared.replaceChildren(
        ...(v.counter === undefined ? [] : [h('span', { class: 'il-counter' }, `counter = ${S.counter}`)]),
        ...v.locks.map(l => h('span', { class: 'il-lock' }, `lock ${l}: ${l in S.holders ? `held by ${name(S.holders[l])}` : 'free'}`)));
      drawGraph(S, o);
      outcomeBox.hidden = !o;
      outcomeBox.dataset.outcome = o || '';
      outcomeBox.classList.toggle('il-bad', !!o && o !== d.correct);
      outcomeBox.textContent = !o ? '' : o === d.correct ? `Outcome: ${o}, as meant.`
        : o === DEADLOCK ? `Outcome: ${o}. Neither thread can ever go on.` : `Outcome: ${o}, where ${d.correct} was meant.`;
      if (said !== undefined) live.textContent = said;
      log.replaceChildren(...S.events.map(e => h('li', {}, describe(e))));
      undo.setAttribute('aria-disabled', String(st.schedule.length === 0));
      const runs = allRuns(v);
      const reachable = [...new Set(runs.map(r => r.outcome))];
      found.textContent = `Outcomes you have reached with this program: ${st.found[st.k].size ? [...st.found[st.k]].join('; ') : 'none yet'} (${st.found[st.k].size} of ${reachable.length}).`;
      all.setAttribute('aria-expanded', String(st.showAll));
      all.textContent = st.showAll ? 'Hide all outcomes' : 'Show all outcomes';
      allBox.hidden = !st.showAll;
      allBox.replaceChildren(
        h('p', {}, `Every order of the steps (${runs.length} in all) ends in ${reachable.length === 1 ? 'this outcome' : `one of these ${reachable.length} outcomes`}:`),
        h('ul', { class: 'il-outcomes' }, reachable.map(r => {
          const first = runs.find(x => x.outcome === r);
          const count = runs.filter(x => x.outcome === r).length;
          return h('li', { 'data-outcome': r }, `${r} (${count} of ${runs.length} orders), e.g. ${first.schedule.map(t => `T${t}`).join(' ')} `,
            h('button', { type: 'button', class: 'il-replay', onclick: () => { st.schedule = first.schedule.slice(); render(`Replayed ${first.schedule.map(t => `T${t}`).join(' ')}: ${r}.`); } }, `Play it`));
        })));
    }

    // Keyboard: 1 and 2 (or ← and →) step thread 1 and thread 2 while focus is in the lab.
    root.addEventListener('keydown', e => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest('.il-source')) return;
      const t = { 1: 0, 2: 1, ArrowLeft: 0, ArrowRight: 1 }[e.key];
      if (t === undefined) return;
      e.preventDefault();
      e.stopPropagation(); // mdbook's ← and → would go to the previous or next page
      take(t);
    });

    render();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

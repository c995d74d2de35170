/*
 * Thread-lifecycle timeline: plays a listing as a timeline of its threads' states.
 *
 * A chapter embeds it with two script blocks (the widget's UI goes right before the JSON one):
 *
 *   <script type="text/plain" id="two-workers-program">
 *   {{#include ../listings/…/main.rs}}
 *   </script>
 *
 *   <script type="application/json" data-widget="timeline">
 *   { "title": "…", "program": "two-workers-program", "cell_ms": 5, "duration_ms": 320,
 *     "switch_cost_us": [2, 30], "threads": [{"id": "main", "name": "main"}, …],
 *     "states": {"created": "…", "ready": "…", "running": "…", "blocked": "…", "terminated": "…"},
 *     "modes": [{"label": "1 core", "cores": 1, "context_switches": 13, "takeaway": "…",
 *                "events": [{"t": 0, "thread": "main", "state": "running", "core": 0, "line": 4, "note": "…"}, …]}, …] }
 *   </script>
 *
 * A mode may model a channel between the threads: "channel": {"capacity": null} (mpsc::channel(),
 * unbounded) or {"capacity": n} (mpsc::sync_channel(n); 0 is a rendezvous). Its events may then
 * carry "op": "send" | "recv" (the thread calls it: state "running" if the call returns or goes
 * on, "blocked" if it waits) or "close" (the last Sender is dropped), each with "queue": the
 * number of values in the channel's buffer after it. A running thread's op keeps its state and
 * core. The grid then has a "queue length" row. "modes_label" names the mode buttons' group
 * (default "Hardware").
 *
 * The data is checked with the same rules as the harness (tools/book/src/widgets.rs); broken data
 * renders a .widget-error instead of the widget. The root gets data-ready="true" either way.
 * On a page without the widget this file only runs one querySelectorAll. No globals.
 */
(function () {
  'use strict';

  const SELECTOR = 'script[type="application/json"][data-widget="timeline"]';
  const STATES = ['created', 'ready', 'running', 'blocked', 'terminated'];
  const LABEL = { created: 'Created', ready: 'Ready', running: 'Running', blocked: 'Blocked', terminated: 'Terminated' };
  // Shown in the cells, so that colour is never the only cue (running cells show their core).
  const SYMBOL = { created: '+', ready: '…', running: '▶', blocked: '‖', terminated: '×' };
  const LEGAL = {
    created: ['ready'],
    ready: ['running'],
    running: ['ready', 'blocked', 'terminated'],
    blocked: ['ready'],
    terminated: [],
  };
  const SPEEDS = [0.25, 0.5, 1, 2, 4];
  const MODEL_MS_PER_SECOND = 40; // at 1×, 320 ms of model time play in 8 s
  const STEP_EVERY_MS = 1500; // reduced motion, at 1×: one event per 1.5 s, no smooth clock
  const TICK_EVERY_CELLS = 8;
  const OPS = ['send', 'recv', 'close'];

  let counter = 0;

  function start() {
    const blocks = document.querySelectorAll(SELECTOR);
    if (blocks.length === 0) return;
    // Built when the reader comes near it (theme/loader.js), not while the page is first drawn.
    const whenNear = window.bookWhenNear || ((element, init) => init());
    blocks.forEach(b => whenNear(b, () => mount(b)));
  }

  // ---------------------------------------------------------------- data

  /** The listing's lines, numbered as in the file that `{{#include}}` copied into the script. */
  function programLines(script) {
    let text = script.textContent.replace(/^\r?\n/, '');
    text = text.replace(/\r?\n[ \t]*$/, '');
    text = text.replace(/\r?\n$/, '');
    return text.split(/\r?\n/);
  }

  const isInt = v => typeof v === 'number' && Number.isInteger(v);
  const isText = v => typeof v === 'string' && v.trim() !== '';

  /** Checks the data; returns { model } or { error }. */
  function validate(data) {
    const fail = error => ({ error });
    if (!data || typeof data !== 'object' || Array.isArray(data)) return fail('the data is not a JSON object');
    if (!isText(data.title)) return fail('"title" must be a non-empty string');
    if (!isText(data.program)) return fail('"program" must name a <script type="text/plain"> on the page');
    const script = document.getElementById(data.program);
    if (!script || script.tagName !== 'SCRIPT' || (script.getAttribute('type') || '').toLowerCase() !== 'text/plain') {
      return fail(`"program": "${data.program}" does not name a <script type="text/plain"> on this page`);
    }
    const lines = programLines(script);
    const cell = data.cell_ms;
    const duration = data.duration_ms;
    if (!isInt(cell) || cell <= 0) return fail('"cell_ms" must be a positive integer');
    if (!isInt(duration) || duration <= 0 || duration % cell !== 0) return fail('"duration_ms" must be a positive multiple of cell_ms');
    const cost = data.switch_cost_us;
    if (!Array.isArray(cost) || cost.length !== 2 || !cost.every(c => typeof c === 'number' && c >= 0) || cost[0] > cost[1]) {
      return fail('"switch_cost_us" must be [low, high] with 0 ≤ low ≤ high');
    }
    if (!Array.isArray(data.threads) || data.threads.length === 0) return fail('"threads" must be a non-empty array');
    const ids = new Map();
    for (const [i, th] of data.threads.entries()) {
      if (!th || !isText(th.id) || !isText(th.name)) return fail(`thread ${i + 1} needs an "id" and a "name"`);
      if (ids.has(th.id)) return fail(`thread id "${th.id}" appears twice`);
      ids.set(th.id, i);
    }
    if (!data.states || typeof data.states !== 'object') return fail('"states" must describe the five states');
    for (const s of STATES) {
      if (!isText(data.states[s])) return fail(`"states" has no description of "${s}"`);
    }
    if (!Array.isArray(data.modes) || data.modes.length === 0) return fail('"modes" must be a non-empty array');
    if (data.modes_label !== undefined && !isText(data.modes_label)) return fail('"modes_label" must be a non-empty string');
    const cells = duration / cell;
    const modes = [];
    for (const [mi, m] of data.modes.entries()) {
      const where = `mode ${mi + 1}` + (m && isText(m.label) ? ` ("${m.label}")` : '');
      if (!m || !isText(m.label)) return fail(`${where}: "label" must be a non-empty string`);
      if (!isInt(m.cores) || m.cores < 1) return fail(`${where}: "cores" must be a positive integer`);
      if (!isInt(m.context_switches) || m.context_switches < 0) return fail(`${where}: "context_switches" must be a non-negative integer`);
      if (!isText(m.takeaway)) return fail(`${where}: "takeaway" must be a non-empty string`);
      if (!Array.isArray(m.events) || m.events.length === 0) return fail(`${where}: "events" must be a non-empty array`);
      let ch = null;
      if (m.channel !== undefined) {
        const c = m.channel;
        if (!c || typeof c !== 'object' || !('capacity' in c) || !(c.capacity === null || (isInt(c.capacity) && c.capacity >= 0))) {
          return fail(`${where}: "channel" must be {"capacity": null} (unbounded) or {"capacity": n} with n ≥ 0`);
        }
        ch = channel(c.capacity);
      }
      const events = [];
      const last = new Map(); // thread -> its previous event
      const lastOnCore = new Map();
      let switches = 0;
      let prevT = -Infinity;
      for (const [ei, e] of m.events.entries()) {
        const at = `${where}, event ${ei + 1}` + (e && typeof e.t === 'number' ? ` (t = ${e.t} ms${e && typeof e.thread === 'string' ? ', ' + e.thread : ''})` : '');
        if (!e || typeof e !== 'object') return fail(`${at}: not an object`);
        if (!isInt(e.t) || e.t % cell !== 0) return fail(`${at}: "t" must be a multiple of cell_ms (${cell})`);
        if (e.t < 0 || e.t > duration) return fail(`${at}: "t" is outside 0–${duration} ms`);
        if (e.t < prevT) return fail(`${at}: events are not sorted by t`);
        prevT = e.t;
        if (!ids.has(e.thread)) return fail(`${at}: unknown thread "${e.thread}"`);
        if (!STATES.includes(e.state)) return fail(`${at}: unknown state "${e.state}" (use ${STATES.join(', ')})`);
        if (!isInt(e.line) || e.line < 1 || e.line > lines.length) {
          return fail(`${at}: line ${e.line} is outside the program "${data.program}" (lines 1–${lines.length})`);
        }
        if (e.note !== undefined && typeof e.note !== 'string') return fail(`${at}: "note" must be a string`);
        if (e.state === 'running' && (!isInt(e.core) || e.core < 0 || e.core >= m.cores)) {
          return fail(`${at}: a running event needs a "core" in 0–${m.cores - 1}`);
        }
        if (e.op !== undefined && !OPS.includes(e.op)) return fail(`${at}: unknown op "${e.op}" (use ${OPS.join(', ')})`);
        if ((e.op !== undefined || e.queue !== undefined) && !ch) return fail(`${at}: "op" and "queue" need the mode's "channel"`);
        const prev = last.get(e.thread);
        if (!prev) {
          if (!(e.state === 'created' || (e.state === 'running' && e.t === 0))) {
            return fail(`${at}: the first event of thread "${e.thread}" must be "created" (or "running" at t = 0)`);
          }
        } else if (prev.state === 'running' && e.state === 'running' && e.op !== undefined) {
          if (e.core !== prev.core) return fail(`${at}: a running thread that calls a channel operation stays on its core`);
        } else if (!LEGAL[prev.state].includes(e.state)) {
          return fail(`${at}: ${e.thread} cannot go from ${prev.state} to ${e.state}`);
        }
        if (ch) {
          const problem = ch.event(e, prev ? prev.state : null);
          if (problem) return fail(`${at}: ${problem}`);
        }
        let isSwitch = false;
        if (e.state === 'running') {
          const before = lastOnCore.get(e.core);
          if (before !== undefined && before !== e.thread) { switches++; isSwitch = true; }
          lastOnCore.set(e.core, e.thread);
        }
        const ev = {
          index: ei, t: e.t, thread: e.thread, threadIndex: ids.get(e.thread), state: e.state,
          core: e.state === 'running' ? e.core : null, line: e.line, note: e.note || '',
          from: prev ? prev.state : null, isSwitch, switchesSoFar: switches,
          op: e.op || null, queue: e.op ? e.queue : null,
          // The call a blocked thread waits in (an op that blocked), kept until it is woken.
          waitsIn: e.state === 'blocked' ? (e.op || null) : null,
          queueBefore: ch ? ch.before : null,
        };
        events.push(ev);
        last.set(e.thread, ev);
      }
      if (ch) {
        const problem = ch.end();
        if (problem) return fail(`${where}: ${problem}`);
      }
      // The state of every thread in every cell, and the one-thread-per-core rule.
      const grid = data.threads.map(() => new Array(cells));
      // The queue length in every cell: that of the last op event at or before the cell's start.
      const queue = ch ? new Array(cells).fill(0) : null;
      if (queue) {
        let q = 0, k = 0;
        for (let i = 0; i < cells; i++) {
          while (k < events.length && events[k].t <= i * cell) { if (events[k].op) q = events[k].queue; k++; }
          queue[i] = q;
        }
      }
      for (let i = 0; i < cells; i++) {
        const snap = snapshot(events, data.threads.length, i * cell);
        const busy = new Map();
        let running = 0;
        for (const [ti, ev] of snap.entries()) {
          grid[ti][i] = ev;
          if (ev && ev.state === 'running') {
            running++;
            if (busy.has(ev.core)) {
              return fail(`${where}: at ${i * cell} ms, ${busy.get(ev.core)} and ${ev.thread} are both running on core ${ev.core}`);
            }
            busy.set(ev.core, ev.thread);
          }
        }
        if (running > m.cores) return fail(`${where}: at ${i * cell} ms, ${running} threads run on ${m.cores} core(s)`);
      }
      if (switches !== m.context_switches) {
        return fail(`${where}: "context_switches" is ${m.context_switches}, but the events make ${switches}`);
      }
      modes.push({ label: m.label, cores: m.cores, switches: m.context_switches, takeaway: m.takeaway, events, grid,
        capacity: ch ? m.channel.capacity : undefined, queue });
    }
    return {
      model: {
        title: data.title, lines, cell, duration, cells, cost, states: data.states, modesLabel: data.modes_label || 'Hardware',
        threads: data.threads.map(th => ({ id: th.id, name: th.name })), modes,
      },
    };
  }

  /**
   * A mode's channel, replayed event by event with std's semantics (the same rules as the
   * harness's check): capacity null is mpsc::channel() (send never blocks), 0 is
   * sync_channel(0) (a send completes only when a recv takes its value), n a queue of n values.
   * `event` returns what is wrong with an event, or null; `end` what is left undone at the end.
   */
  function channel(capacity) {
    const C = { queue: 0, closed: false, senders: [], receivers: [], woken: new Map(), resume: new Map(), before: 0 };
    const text = capacity === null ? 'unbounded' : capacity === 0 ? 'capacity 0, a rendezvous' : `capacity ${capacity}`;
    const wake = (list, t, resume) => {
      if (list.length === 0) return;
      C.woken.set(list.shift(), { t, resume });
    };
    function apply(op, thread, state, t) {
      const blocks = state === 'blocked';
      if (op !== 'close' && state !== 'running' && !blocks) {
        return `a ${op} is a call the thread makes: its state is running (the call returns) or blocked (it waits), not ${state}`;
      }
      if (op === 'send') {
        if (C.closed) return 'send after the last Sender was dropped (op close)';
        if (capacity === 0 && C.receivers.length > 0) {
          if (blocks) return 'send: a receiver is waiting in recv, so this send on a rendezvous channel hands it the value and returns at once';
          wake(C.receivers, t, null);
        } else if (capacity === 0) {
          if (!blocks) return 'send: on a rendezvous channel a send completes only when a recv takes the value, and no receiver is waiting: the sender is blocked';
          C.senders.push(thread);
        } else if (capacity === null || C.queue < capacity) {
          if (blocks) return `send: the queue has room (${C.queue} queued, ${text}): send does not block`;
          C.queue++;
          wake(C.receivers, t, 'recv');
        } else {
          if (!blocks) return `send: the queue is full (${C.queue} of ${capacity}): send blocks`;
          C.senders.push(thread);
        }
      } else if (op === 'recv') {
        if (C.queue > 0) {
          if (blocks) return `recv: the queue holds ${C.queue} value(s): recv does not block`;
          C.queue--;
          wake(C.senders, t, 'send');
        } else if (capacity === 0 && C.senders.length > 0) {
          if (blocks) return 'recv: a sender is blocked in send on this rendezvous channel: recv takes its value at once';
          wake(C.senders, t, null);
        } else if (C.closed) {
          if (blocks) return 'recv: the channel is empty and its last Sender is gone: recv returns Err at once';
        } else {
          if (!blocks) return 'recv: the queue is empty and no sender is waiting: recv blocks';
          C.receivers.push(thread);
        }
      } else {
        C.closed = true;
        while (C.receivers.length > 0) wake(C.receivers, t, 'recv');
      }
      return null;
    }
    C.event = (e, from) => {
      for (const [th, w] of C.woken) {
        if (w.t < e.t) return `${th} was woken at ${w.t} ms by the channel operation that completed its call, but has no ready event at ${w.t} ms`;
      }
      C.before = C.queue;
      if (from === 'blocked' && e.state === 'ready') {
        const w = C.woken.get(e.thread);
        if (w) {
          C.woken.delete(e.thread);
          if (w.resume) C.resume.set(e.thread, w.resume);
        } else if (C.senders.includes(e.thread) || C.receivers.includes(e.thread)) {
          return `${e.thread} is blocked in ${C.senders.includes(e.thread) ? 'send' : 'recv'}, and no channel operation wakes it at ${e.t} ms`;
        }
      }
      if (e.state === 'running' && C.resume.has(e.thread)) {
        const r = C.resume.get(e.thread);
        C.resume.delete(e.thread);
        if (e.op !== r) return `${e.thread} was woken inside its ${r} and resumes it now: this event needs "op": "${r}"`;
      }
      if (e.op) {
        const problem = apply(e.op, e.thread, e.state, e.t);
        if (problem) return problem;
      }
      if (e.op || e.queue !== undefined) {
        if (!isInt(e.queue)) return `an event with an op states the queue length after it ("queue": ${C.queue})`;
        if (e.queue < 0) return `"queue" is ${e.queue}: a queue length is never negative`;
        if (capacity !== null && e.queue > capacity) return `"queue" is ${e.queue}, above the channel's capacity ${capacity}`;
        if (e.queue !== C.queue) return `"queue" is ${e.queue}, but the sends and receives so far leave ${C.queue}`;
      }
      return null;
    };
    C.end = () => {
      for (const [th, w] of C.woken) return `${th} was woken at ${w.t} ms by the channel operation that completed its call, but has no ready event at ${w.t} ms`;
      return null;
    };
    return C;
  }

  /** The latest event (or null) of each thread among the events with t ≤ time. */
  function snapshot(events, nThreads, time) {
    const out = new Array(nThreads).fill(null);
    for (const ev of events) {
      if (ev.t > time) break;
      out[ev.threadIndex] = ev;
    }
    return out;
  }

  /** Index of the last event with t ≤ time, or -1. */
  function lastEventAt(events, time) {
    let k = -1;
    for (let i = 0; i < events.length && events[i].t <= time; i++) k = i;
    return k;
  }

  // ---------------------------------------------------------------- DOM helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const reducedMotion = () => window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function describeState(ev) {
    if (!ev) return 'not started yet';
    if (ev.state === 'blocked' && ev.waitsIn) return `${LABEL.blocked} in ${ev.waitsIn}`;
    return ev.state === 'running' ? `${LABEL.running} on core ${ev.core}` : LABEL[ev.state];
  }

  /** "calls send; queue length 0 → 1" for an event with an op, '' otherwise. */
  function describeOp(ev) {
    if (!ev.op) return '';
    const q = ev.queue === ev.queueBefore ? `queue length stays ${ev.queue}` : `queue length ${ev.queueBefore} → ${ev.queue}`;
    if (ev.waitsIn) return q; // "Blocked in send" says which call already
    const what = ev.op === 'close' ? 'drops the last sender' : `calls ${ev.op}`;
    return `${what}; ${q}`;
  }

  /** What an event did, for the log and the "what just happened" line. */
  function describeEvent(ev) {
    const change = ev.from === ev.state ? describeState(ev) : `${ev.from ? LABEL[ev.from] + ' → ' : ''}${describeState(ev)}`;
    const op = describeOp(ev);
    return `${ev.thread}: ${change}${op ? ', ' + op : ''}`;
  }

  const capacityText = c => (c === null ? 'unbounded' : c === 0 ? 'capacity 0 (rendezvous)' : `capacity ${c}`);

  // ---------------------------------------------------------------- widget

  function mount(script) {
    const n = ++counter;
    const id = s => `tl${n}-${s}`;
    const root = h('div', { class: 'widget widget-timeline' });
    script.parentNode.insertBefore(root, script);
    let result;
    try {
      result = validate(JSON.parse(script.textContent));
    } catch (e) {
      result = { error: `the data is not valid JSON (${e.message})` };
    }
    if (result.error) {
      root.append(h('div', { class: 'widget-error', role: 'alert' }, `Timeline: ${result.error}.`));
      root.dataset.ready = 'true';
      return;
    }
    try {
      build(root, result.model, id);
    } catch (e) {
      root.replaceChildren(h('div', { class: 'widget-error', role: 'alert' }, `Timeline: ${e.message}`));
    }
    root.dataset.ready = 'true';
  }

  function build(root, M, id) {
    const S = { mode: 0, t: 0, sel: -1, playing: false, speed: 1, raf: 0, timer: 0, last: 0, drawn: '', cellsDrawn: '' };
    const mode = () => M.modes[S.mode];

    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', `Timeline: ${M.title}`);

    // Header.
    root.append(
      h('p', { class: 'tl-title' }, h('strong', { text: M.title })),
      h('p', { class: 'tl-model' },
        'An illustrative model of how the program below runs on a small edge device: the times come from a hand-written script of events, not from a measurement.'),
    );

    // Mode toggle.
    const modeButtons = [];
    if (M.modes.length > 1) {
      const group = h('div', { class: 'tl-modes', role: 'group', 'aria-label': M.modesLabel });
      M.modes.forEach((m, i) => {
        const b = h('button', { type: 'button', class: 'tl-mode', 'aria-pressed': i === 0 ? 'true' : 'false', text: m.label,
          onclick: () => setMode(i) });
        modeButtons.push(b);
        group.append(b);
      });
      root.append(group);
    }

    // Controls.
    const playBtn = h('button', { type: 'button', class: 'tl-play', onclick: () => (S.playing ? pause() : play()) });
    const backBtn = h('button', { type: 'button', class: 'tl-back', 'aria-label': 'Back one event', onclick: () => step(-1) },
      h('span', { 'aria-hidden': 'true', text: '← ' }), 'Back');
    const fwdBtn = h('button', { type: 'button', class: 'tl-fwd', 'aria-label': 'Next event', onclick: () => step(1) },
      'Next', h('span', { 'aria-hidden': 'true', text: ' →' }));
    const speedSel = h('select', { id: id('speed'), class: 'tl-speed', onchange: () => { S.speed = Number(speedSel.value); if (S.playing) { pause(); play(); } } },
      SPEEDS.map(s => h('option', { value: s, selected: s === 1 }, `${s}×`)));
    const scrub = h('input', { id: id('scrub'), class: 'tl-scrub', type: 'range', min: 0, max: M.duration, step: M.cell, value: 0,
      oninput: () => { pause(); setTime(Number(scrub.value)); } });
    root.append(
      h('div', { class: 'tl-controls' },
        playBtn, backBtn, fwdBtn,
        h('span', { class: 'tl-speed-wrap' }, h('label', { for: id('speed') }, 'Speed '), speedSel)),
      h('div', { class: 'tl-scrub-wrap' }, h('label', { for: id('scrub') }, 'Time'), scrub),
    );

    // Dashboard: clock, switches, cores.
    const clock = h('span', { class: 'tl-clock' });
    const switchesEl = h('span', { class: 'tl-switches' });
    const coresEl = h('ul', { class: 'tl-cores', 'aria-label': 'Cores' });
    const queueEl = h('span', { class: 'tl-queue' });
    const queueLine = h('p', { class: 'tl-dash-line tl-queue-line', hidden: true }, h('span', { class: 'tl-dash-key' }, 'Channel: '), queueEl);
    root.append(h('div', { class: 'tl-dash' },
      h('p', { class: 'tl-dash-line' }, h('span', { class: 'tl-dash-key' }, 'Wall clock: '), clock),
      h('p', { class: 'tl-dash-line' }, h('span', { class: 'tl-dash-key' }, 'Context switches: '), switchesEl),
      queueLine,
      coresEl));

    // The grid of cells.
    const scroller = h('div', { class: 'tl-grid-scroll', tabindex: 0, role: 'region',
      'aria-label': `Thread states over time, one cell per ${M.cell} ms (scrolls sideways)` });
    root.append(scroller);

    // Legend, with details on hover, focus and tap.
    const detail = h('p', { class: 'tl-detail', id: id('detail') }, 'Point at, tap or tab to a state to see what it means.');
    const legend = h('ul', { class: 'tl-legend', 'aria-label': 'States' });
    for (const s of STATES) {
      const descId = id(`desc-${s}`);
      const show = () => {
        detail.replaceChildren(h('strong', { text: `${LABEL[s]}: ` }), M.states[s]);
        legend.querySelectorAll('button').forEach(b => b.classList.toggle('tl-shown', b.dataset.state === s));
      };
      const b = h('button', { type: 'button', class: 'tl-legend-item', 'data-state': s, 'aria-describedby': descId,
        onmouseenter: show, onfocus: show, onclick: show },
      h('span', { class: `tl-swatch tl-s-${s}`, 'aria-hidden': 'true', text: s === 'running' ? '0' : SYMBOL[s] }),
      s === 'running' ? `${LABEL[s]} (digit = core)` : LABEL[s]);
      legend.append(h('li', {}, b, h('span', { class: 'tl-sr', id: descId, text: M.states[s] })));
    }
    root.append(h('div', { class: 'tl-legend-wrap' }, legend, detail));

    // What just happened, and the takeaway at the end.
    const now = h('p', { class: 'tl-happened' });
    const takeaway = h('p', { class: 'tl-takeaway', hidden: true });
    root.append(h('div', { class: 'tl-live', 'aria-live': 'polite' }, now, takeaway));

    // Threads and their program counters; the source.
    const threadsEl = h('ul', { class: 'tl-threads', 'aria-label': 'Threads' });
    const pcCurrent = h('span', { class: 'tl-pc-current' });
    const source = h('pre', { class: 'tl-source', tabindex: 0, role: 'region', 'aria-label': 'Program source' });
    const code = h('code', {});
    const lineEls = M.lines.map((text, i) => {
      const el = h('span', { class: 'tl-line', 'data-line': i + 1 },
        h('span', { class: 'tl-tags' }),
        h('span', { class: 'tl-pcmark' }),
        h('span', { class: 'tl-ln', text: String(i + 1).padStart(String(M.lines.length).length, ' ') }),
        h('span', { class: 'tl-code', text: text || ' ' }));
      code.append(el, '\n');
      return el;
    });
    source.append(code);
    root.append(h('div', { class: 'tl-program' },
      h('p', { class: 'tl-program-head' }, h('span', { text: 'Program · ' }), pcCurrent),
      threadsEl, source));

    // Event log.
    const log = h('ol', { class: 'tl-log' });
    const logBox = h('div', { class: 'tl-log-box', tabindex: 0, role: 'region', 'aria-label': 'Event log' }, log);
    root.append(h('p', { class: 'tl-log-head' }, h('strong', { text: 'What happened so far' })), logBox);

    // Per-mode parts: cores, grid, log items.
    let cellEls = []; // [thread][cell]
    let queueEls = null; // [cell], when the mode has a channel
    let cursor = null;
    let logItems = [];
    let revealed = -1;

    function buildMode() {
      const m = mode();
      coresEl.replaceChildren(...Array.from({ length: m.cores }, (_, k) => h('li', { class: 'tl-core', 'data-core': k })));
      // Grid.
      const labels = h('div', { class: 'tl-labels' }, h('div', { class: 'tl-label tl-axis-label', text: 'ms' }),
        M.threads.map(th => h('div', { class: 'tl-label', text: th.name })),
        m.queue ? h('div', { class: 'tl-label tl-queue-label', text: 'queue length' }) : null);
      const axis = h('div', { class: 'tl-axis', 'aria-hidden': 'true' });
      for (let i = 0; i < M.cells; i += TICK_EVERY_CELLS) {
        axis.append(h('span', { class: 'tl-tick', style: `left: calc(var(--tl-cell) * ${i})`, text: String(i * M.cell) }));
      }
      cursor = h('div', { class: 'tl-cursor', 'aria-hidden': 'true' });
      cellEls = M.threads.map(() => []);
      const tracks = h('div', { class: 'tl-tracks', style: `width: calc(var(--tl-cell) * ${M.cells})` }, axis);
      M.threads.forEach((th, ti) => {
        const row = h('div', { class: 'tl-track', role: 'img', 'aria-label': trackSummary(m, ti) });
        for (let i = 0; i < M.cells; i++) {
          const c = h('span', { class: 'tl-cell tl-future' });
          cellEls[ti].push(c);
          row.append(c);
        }
        tracks.append(row);
      });
      queueEls = null;
      if (m.queue) {
        const max = Math.max(1, ...m.queue);
        const row = h('div', { class: 'tl-track tl-queue-track', role: 'img', 'aria-label': queueSummary(m) });
        queueEls = m.queue.map(q => {
          const c = h('span', { class: 'tl-cell tl-future', 'data-queue': q, style: `--tl-q: ${q / max}` });
          row.append(c);
          return c;
        });
        tracks.append(row);
      }
      tracks.append(cursor);
      queueLine.hidden = !m.queue;
      scroller.replaceChildren(h('div', { class: 'tl-grid' }, labels, tracks));
      revealed = -1;
      // Event log.
      logItems = m.events.map((ev, k) => {
        const what = describeEvent(ev);
        const li = h('li', { class: 'tl-log-item', hidden: true },
          h('button', { type: 'button', class: 'tl-jump', 'aria-label': `Jump to ${ev.t} ms, ${what}`, onclick: () => jump(k) }, 'Jump to'),
          ' ',
          h('span', { class: 'tl-log-when', text: `${ev.t} ms` }), ' ',
          h('span', { class: `tl-badge tl-s-${ev.state}`, text: ev.state === 'running' ? String(ev.core) : SYMBOL[ev.state], 'aria-hidden': 'true' }), ' ',
          h('span', { class: 'tl-log-what', text: `${what}, line ${ev.line}.` }),
          ev.isSwitch ? h('span', { class: 'tl-log-switch', text: ` Context switch ${ev.switchesSoFar}.` }) : null,
          ev.note ? h('span', { class: 'tl-log-note', text: ` ${ev.note}` }) : null);
        log.append(li);
        return li;
      });
      log.replaceChildren(...logItems);
    }

    /** "queue length (unbounded): 0 from 0 ms, 1 from 15 ms, …" for screen readers. */
    function queueSummary(m) {
      const parts = [];
      m.queue.forEach((q, i) => { if (i === 0 || q !== m.queue[i - 1]) parts.push(`${q} from ${i * M.cell} ms`); });
      return `queue length (${capacityText(m.capacity)}): ${parts.join(', ')}`;
    }

    /** "sensor: created from 5 ms, ready from 10 ms, …" for screen readers. */
    function trackSummary(m, ti) {
      const parts = m.events.filter(ev => ev.threadIndex === ti).map(ev => `${describeState(ev).toLowerCase()} from ${ev.t} ms`);
      return `${M.threads[ti].name}: ${parts.join(', ')}`;
    }

    // ------------------------------------------------------------ rendering

    /** Everything that follows the clock; the rest is redrawn only when an event is passed. */
    function render() {
      const m = mode();
      const t = S.t;
      const shownT = Math.floor(t);
      const atEnd = t >= M.duration;
      const cellNow = Math.min(M.cells - 1, Math.floor(t / M.cell));
      const lastK = lastEventAt(m.events, t);
      if (S.sel > lastK || S.sel < 0 || m.events[S.sel].t !== m.events[lastK].t) S.sel = lastK;

      clock.textContent = `${shownT} ms of ${M.duration} ms`;
      scrub.value = String(Math.min(M.duration, Math.floor(t / M.cell) * M.cell));
      scrub.setAttribute('aria-valuetext', `${shownT} ms`);
      if (playBtn.dataset.playing !== String(S.playing)) {
        playBtn.dataset.playing = String(S.playing);
        playBtn.replaceChildren(h('span', { 'aria-hidden': 'true', text: S.playing ? '❚❚ ' : '▶ ' }), S.playing ? 'Pause' : 'Play');
      }
      cursor.style.left = `calc(var(--tl-cell) * ${t / M.cell})`;
      renderCells(m, atEnd ? M.cells - 1 : cellNow, atEnd ? -1 : cellNow);
      keepCursorVisible();

      const key = `${S.mode}|${lastK}|${S.sel}|${atEnd}`;
      if (key === S.drawn) return;
      S.drawn = key;
      renderState(m, lastK, atEnd);
    }

    /** Cells up to `upTo` show their state; later ones are blank until the clock reaches them. */
    function renderCells(m, upTo, current) {
      const key = `${S.mode}|${upTo}|${current}`;
      if (key === S.cellsDrawn) return;
      S.cellsDrawn = key;
      for (let ti = 0; ti < M.threads.length; ti++) {
        for (let i = 0; i < M.cells; i++) {
          const ev = m.grid[ti][i];
          const shown = i <= upTo;
          const cls = 'tl-cell' + (shown ? (ev ? ` tl-s-${ev.state}` : ' tl-none') : ' tl-future') + (i === current ? ' tl-now' : '');
          const text = shown && ev ? (ev.state === 'running' ? String(ev.core) : SYMBOL[ev.state]) : '';
          const c = cellEls[ti][i];
          if (c.className !== cls) c.className = cls;
          if (c.textContent !== text) c.textContent = text;
        }
      }
      if (queueEls) {
        queueEls.forEach((c, i) => {
          const shown = i <= upTo;
          const cls = 'tl-cell tl-q' + (shown ? (m.queue[i] > 0 ? ' tl-q-some' : ' tl-q-none') : ' tl-future') + (i === current ? ' tl-now' : '');
          const text = shown ? String(m.queue[i]) : '';
          if (c.className !== cls) c.className = cls;
          if (c.textContent !== text) c.textContent = text;
        });
      }
    }

    function renderState(m, lastK, atEnd) {
      const snap = lastK >= 0 ? snapshot(m.events, M.threads.length, m.events[lastK].t) : new Array(M.threads.length).fill(null);
      const sel = S.sel >= 0 ? m.events[S.sel] : null;

      // Context switches so far.
      const done = lastK >= 0 ? m.events[lastK].switchesSoFar : 0;
      switchesEl.dataset.count = String(done);
      switchesEl.textContent = `${plural(done, 'switch', 'switches')} ≈ ${done * M.cost[0]}–${done * M.cost[1]} µs of direct cost`;

      // The channel's queue.
      if (m.queue) {
        const q = lastK >= 0 ? m.queue[Math.min(M.cells - 1, Math.floor(m.events[lastK].t / M.cell))] : 0;
        queueEl.dataset.queue = String(q);
        queueEl.textContent = `${plural(q, 'value', 'values')} queued, ${capacityText(m.capacity)}`;
      }

      // Cores.
      coresEl.querySelectorAll('li').forEach(li => {
        const k = Number(li.dataset.core);
        const who = snap.find(ev => ev && ev.state === 'running' && ev.core === k);
        li.textContent = `Core ${k} — running: ${who ? M.threads[who.threadIndex].name : 'idle'}`;
        li.classList.toggle('tl-idle', !who);
      });

      // Threads and their PCs.
      threadsEl.replaceChildren(...M.threads.map((th, ti) => {
        const ev = snap[ti];
        return h('li', { class: 'tl-thread', 'data-thread': th.id },
          h('span', { class: `tl-badge ${ev ? 'tl-s-' + ev.state : 'tl-none'}`, 'aria-hidden': 'true',
            text: ev ? (ev.state === 'running' ? String(ev.core) : SYMBOL[ev.state]) : '·' }), ' ',
          h('strong', { text: th.name }), `: ${describeState(ev)}`,
          ev ? h('span', { class: 'tl-pc', 'data-line': ev.line, text: ` · PC @ line ${ev.line}` }) : null);
      }));

      // The source: where each thread is, which lines are running, the selected event's line.
      pcCurrent.textContent = sel ? `PC @ line ${sel.line} (${sel.thread}, at ${sel.t} ms)` : 'PC: none yet';
      pcCurrent.dataset.line = sel ? String(sel.line) : '';
      lineEls.forEach(el => {
        el.classList.remove('tl-running', 'tl-current');
        el.removeAttribute('aria-current');
        el.children[0].replaceChildren();
        el.children[1].textContent = '';
      });
      snap.forEach((ev, ti) => {
        if (!ev) return;
        const el = lineEls[ev.line - 1];
        if (ev.state === 'running') el.classList.add('tl-running');
        el.children[0].append(h('span', { class: `tl-tag tl-s-${ev.state}` },
          h('span', { 'aria-hidden': 'true', text: `${ev.state === 'running' ? ev.core : SYMBOL[ev.state]} ` }),
          M.threads[ti].name,
          h('span', { class: 'tl-sr', text: ` (${describeState(ev).toLowerCase()}) ` })));
      });
      if (sel) {
        const el = lineEls[sel.line - 1];
        el.classList.add('tl-current');
        el.setAttribute('aria-current', 'true');
        el.children[1].textContent = 'PC→';
        keepLinesVisible(el, lineEls.filter(l => l.classList.contains('tl-running')));
      }

      // What just happened; the log; the takeaway at the end.
      if (sel) {
        now.replaceChildren(h('strong', { text: `At ${sel.t} ms, ` }),
          `${describeEvent(sel)} (line ${sel.line}). `,
          sel.isSwitch ? `Context switch ${sel.switchesSoFar}. ` : '', sel.note);
      } else {
        now.textContent = 'Nothing has happened yet.';
      }
      logItems.forEach((li, k) => {
        li.hidden = k > lastK;
        li.classList.toggle('tl-selected', k === S.sel);
        if (k === S.sel) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
      });
      if (S.sel === lastK) logBox.scrollTop = logBox.scrollHeight;
      takeaway.hidden = !atEnd;
      takeaway.replaceChildren(...(atEnd ? [h('strong', { text: 'Takeaway: ' }), m.takeaway] : []));
    }

    function keepCursorVisible() {
      const labels = scroller.querySelector('.tl-labels');
      const first = cellEls[0] && cellEls[0][0];
      if (!labels || !first || scroller.clientWidth === 0) return;
      const x = labels.offsetWidth + (S.t / M.cell) * first.offsetWidth;
      const left = scroller.scrollLeft + labels.offsetWidth;
      const right = scroller.scrollLeft + scroller.clientWidth;
      if (x < left + 8 || x > right - 24) {
        scroller.scrollLeft = Math.max(0, x - labels.offsetWidth - 48);
      }
    }

    /** Scrolls the source box (never the page) to show the selected line and, if they fit too, the running ones. */
    function keepLinesVisible(current, others) {
      const box = source.clientHeight;
      if (box === 0) return;
      const span = (els) => [Math.min(...els.map(e => e.offsetTop)), Math.max(...els.map(e => e.offsetTop + e.offsetHeight))];
      let [top, bottom] = span([current, ...others]);
      if (bottom - top > box - 8) [top, bottom] = span([current]); // .tl-source is positioned: offsets are relative to it
      if (top < source.scrollTop || bottom > source.scrollTop + box) {
        source.scrollTop = Math.max(0, Math.round((top + bottom) / 2 - box / 2));
      }
    }

    // ------------------------------------------------------------ behaviour

    function setTime(t) {
      S.t = Math.max(0, Math.min(M.duration, t));
      S.sel = lastEventAt(mode().events, S.t);
      render();
    }

    function jump(k) {
      pause();
      const ev = mode().events[k];
      S.t = ev.t;
      S.sel = k;
      render();
    }

    /** One event forward or back; past the last event, forward goes to the end. */
    function step(dir) {
      pause();
      doStep(dir);
    }

    function doStep(dir) {
      const evs = mode().events;
      if (dir > 0) {
        let k = S.sel + 1;
        // From a time between events, the next event is the first one after the clock.
        while (k < evs.length && evs[k].t < S.t) k++;
        if (k < evs.length) { S.t = evs[k].t; S.sel = k; } else { S.t = M.duration; S.sel = evs.length - 1; }
      } else {
        if (S.t > (S.sel >= 0 ? evs[S.sel].t : 0)) {
          S.t = S.sel >= 0 ? evs[S.sel].t : 0; // back to the selected event first
        } else if (S.sel > 0) {
          S.sel -= 1;
          S.t = evs[S.sel].t;
        } else {
          S.t = 0;
        }
      }
      render();
    }

    function play() {
      if (S.t >= M.duration) setTime(0);
      S.playing = true;
      if (reducedMotion()) {
        // No animation: the clock jumps from one event to the next, slowly.
        const tick = () => {
          doStep(1);
          if (S.t >= M.duration) { pause(); return; }
          S.timer = setTimeout(tick, STEP_EVERY_MS / S.speed);
        };
        S.timer = setTimeout(tick, STEP_EVERY_MS / S.speed);
        render();
        return;
      }
      S.last = performance.now();
      const frame = ts => {
        const dt = Math.max(0, ts - S.last);
        S.last = ts;
        S.t = Math.min(M.duration, S.t + (dt / 1000) * MODEL_MS_PER_SECOND * S.speed);
        S.sel = lastEventAt(mode().events, S.t);
        if (S.t >= M.duration) { S.playing = false; S.raf = 0; render(); return; }
        render();
        S.raf = requestAnimationFrame(frame);
      };
      S.raf = requestAnimationFrame(frame);
      render();
    }

    function pause() {
      if (S.raf) cancelAnimationFrame(S.raf);
      if (S.timer) clearTimeout(S.timer);
      S.raf = 0;
      S.timer = 0;
      if (S.playing) { S.playing = false; render(); }
    }

    function setMode(i) {
      if (i === S.mode) return;
      S.mode = i;
      S.drawn = S.cellsDrawn = '';
      modeButtons.forEach((b, k) => b.setAttribute('aria-pressed', k === i ? 'true' : 'false'));
      buildMode();
      S.sel = lastEventAt(mode().events, S.t);
      render();
    }

    buildMode();
    setTime(0);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

/*
 * Concept match: a matching exercise. The reader places each definition card on the concept it
 * defines, by mouse (drag and drop), by touch (tap a card, then tap a concept) or by keyboard,
 * then checks the answers.
 *
 * Embedding (in a chapter; the UI is inserted just before the script element):
 *
 *     <script type="application/json" data-widget="concept-match">
 *     { "title": "…", "instructions": "…",
 *       "concepts":    [ {"id": "…", "label": "…"}, … ],
 *       "definitions": [ {"id": "…", "concept": "<a concept id>", "text": "…", "explain": "…"}, … ] }
 *     </script>
 *
 * Rules (also checked statically by the harness): ids unique (across concepts and
 * definitions); every definition's `concept` names a concept; every concept has exactly one
 * definition; title, labels, texts and explanations are non-empty strings. `instructions` is
 * optional. In text and explain, `backticks` mark inline code.
 *
 * Bins (a classification deck): with `"bins": true` at the top level, each concept is a bin that
 * holds any number of cards (the definitions), and a bin may be the answer of no card. Cards are
 * laid out inside their bin, each with its own × button; grading marks every card right or wrong
 * with its explanation, and the score counts cards. The harness may also prove such a key with
 * the compiler (`proof`, `holds`, `type`: tools/book/src/widgets.rs); the widget ignores those.
 *
 * Keyboard: Enter or Space on a definition picks it up; the arrow keys (or Tab) move to a
 * concept; Enter or Space places it there; Escape puts it down. Arrow keys also move between the
 * cards of the pool, and between the concepts. Arrow keys never reach mdbook's chapter
 * navigation while the focus is inside the widget. With bins, the arrows move between the bins
 * while a card is held (and between the placed cards and the bins otherwise), and a card placed
 * from the pool hands the focus to the next card of the pool (or to "Check answers").
 * Touch: tap a card, then a bin (anywhere in it) or a concept's slot.
 *
 * The root gets class `widget widget-concept-match` and `data-ready="true"` once built; invalid
 * data renders a `.widget-error` (role="alert") instead and never throws. No globals.
 */
(function () {
  'use strict';

  const blocks = document.querySelectorAll('script[type="application/json"][data-widget="concept-match"]');
  if (blocks.length === 0) return;

  let instances = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  /** Text with `backtick` spans rendered as <code>; never HTML. */
  function rich(node, text) {
    text.split(/`([^`]+)`/).forEach((part, i) => {
      if (part === '') return;
      node.append(i % 2 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return node;
  }

  /** The first words of a definition, for announcements and button labels. */
  function short(text, max = 48) {
    const plain = text.replace(/`/g, '');
    if (plain.length <= max) return plain;
    const cut = plain.slice(0, max);
    const space = cut.lastIndexOf(' ');
    return (space > 20 ? cut.slice(0, space) : cut).replace(/[\s,;:.(]+$/, '') + '…';
  }

  function validate(d) {
    const errs = [];
    const str = v => typeof v === 'string' && v.trim() !== '';
    if (!d || typeof d !== 'object' || Array.isArray(d)) return ['the data must be a JSON object'];
    if (!str(d.title)) errs.push('"title" must be a non-empty string');
    if (d.instructions !== undefined && !str(d.instructions)) errs.push('"instructions", when present, must be a non-empty string');
    if (!Array.isArray(d.concepts) || d.concepts.length === 0) errs.push('"concepts" must be a non-empty array');
    if (!Array.isArray(d.definitions) || d.definitions.length === 0) errs.push('"definitions" must be a non-empty array');
    if (d.bins !== undefined && typeof d.bins !== 'boolean') errs.push('"bins", when present, must be true or false');
    if (errs.length) return errs;

    const seen = new Set(); // ids are unique across concepts and definitions
    const conceptIds = new Set();
    d.concepts.forEach((c, i) => {
      if (!c || typeof c !== 'object') { errs.push(`concepts[${i}] must be an object`); return; }
      if (!str(c.id)) errs.push(`concepts[${i}].id must be a non-empty string`);
      else if (seen.has(c.id)) errs.push(`the id "${c.id}" is used twice`);
      else { seen.add(c.id); conceptIds.add(c.id); }
      if (!str(c.label)) errs.push(`concepts[${i}].label must be a non-empty string`);
    });
    const perConcept = new Map();
    d.definitions.forEach((x, i) => {
      if (!x || typeof x !== 'object') { errs.push(`definitions[${i}] must be an object`); return; }
      if (!str(x.id)) errs.push(`definitions[${i}].id must be a non-empty string`);
      else if (seen.has(x.id)) errs.push(`the id "${x.id}" is used twice`);
      else seen.add(x.id);
      if (!str(x.concept)) errs.push(`definitions[${i}].concept must be a non-empty string`);
      else if (!conceptIds.has(x.concept)) errs.push(`definitions[${i}].concept "${x.concept}" names no concept`);
      else perConcept.set(x.concept, (perConcept.get(x.concept) || 0) + 1);
      if (!str(x.text)) errs.push(`definitions[${i}].text must be a non-empty string`);
      if (!str(x.explain)) errs.push(`definitions[${i}].explain must be a non-empty string`);
    });
    for (const id of d.bins ? [] : conceptIds) {
      const n = perConcept.get(id) || 0;
      if (n !== 1) errs.push(`concept "${id}" has ${n} definitions; it needs exactly one`);
    }
    return errs;
  }

  function fail(script, messages) {
    const root = el('div', { class: 'widget widget-concept-match' },
      el('div', { class: 'widget-error', role: 'alert' },
        el('strong', { text: 'Concept match, invalid data: ' }),
        messages.slice(0, 5).join('; ') + (messages.length > 5 ? ` (and ${messages.length - 5} more)` : '') + '.'));
    script.before(root);
    root.setAttribute('data-ready', 'true');
  }

  /** One level below the nearest heading before `node` (h2 … h6). */
  function headingLevel(node) {
    let level = 2;
    for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6')) {
      if (h.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) level = Number(h.tagName[1]) + 1;
      else break;
    }
    return Math.max(2, Math.min(level, 6));
  }

  /** Fisher–Yates; never returns the authored order (it would give the answers away). */
  function shuffled(items) {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    if (a.length > 1 && a.every((x, i) => x === items[i])) a.push(a.shift());
    return a;
  }

  function build(script) {
    let data;
    try {
      data = JSON.parse(script.textContent);
    } catch (e) {
      fail(script, [`the data is not valid JSON (${e.message})`]);
      return;
    }
    const problems = validate(data);
    if (problems.length) { fail(script, problems); return; }

    const uid = `cm${++instances}`;
    const bins = data.bins === true;
    // The words of the two modes: a definition on its concept, or a card in its bin.
    const w = bins
      ? { card: 'card', cards: 'cards', slot: 'bin', on: 'in', pool: 'Cards to sort', slots: 'Bins' }
      : { card: 'definition', cards: 'definitions', slot: 'concept', on: 'on', pool: 'Definition pool', slots: 'Concepts' };
    const concepts = data.concepts;
    const defs = new Map(data.definitions.map(d => [d.id, d]));
    const labelOf = new Map(concepts.map(c => [c.id, c.label]));

    // State: where each definition is (a concept id, or null for the pool), what is held.
    const where = new Map(data.definitions.map(d => [d.id, null]));
    const holder = new Map(concepts.map(c => [c.id, []])); // concept id -> definition ids, in placement order
    let held = null;
    let dragged = null;
    let graded = false;

    // ---- DOM -------------------------------------------------------------------------------
    const ids = {
      title: `${uid}-title`, help: `${uid}-help`, poolLabel: `${uid}-pool-label`,
      slotsLabel: `${uid}-slots-label`,
    };
    const root = el('section', { class: 'widget widget-concept-match' + (bins ? ' cm-bins' : ''), 'aria-labelledby': ids.title });
    const heading = el('div', { class: 'cm-title', id: ids.title, role: 'heading', 'aria-level': headingLevel(script), text: data.title });
    const help = el('p', { class: 'cm-vh', id: ids.help, text: bins
      ? 'Keyboard: press Enter or Space on a card to pick it up. Move to a bin with the arrow keys ' +
        'or Tab, and press Enter or Space to place the card there; the focus then moves to the next ' +
        'card to sort. Escape puts it down. A bin holds any number of cards. ' +
        'Each placed card has a button that returns it to the pool.'
      : 'Keyboard: press Enter or Space on a definition to pick it up. Move to a concept with the arrow ' +
        'keys or Tab, and press Enter or Space to place the definition there. Escape puts it down. ' +
        'A concept holds one definition: placing another on it sends the first back to the pool. ' +
        'Each placed definition has a button that returns it to the pool.' });
    const announcer = el('p', { class: 'cm-vh', 'aria-live': 'polite' });

    const poolList = el('ul', { class: 'cm-pool', 'aria-labelledby': ids.poolLabel });
    const poolEmpty = el('p', { class: 'cm-pool-empty', hidden: true, text: `Every ${w.card} is placed. Check your answers when you are ready.` });
    const pool = el('div', { class: 'cm-pool-area' },
      el('p', { class: 'cm-label', id: ids.poolLabel, text: w.pool }), poolList, poolEmpty);

    const cards = new Map(); // definition id -> { card, whereSpan, li, and with bins: item, remove, feedback, verdict, explain }
    for (const d of shuffled(data.definitions)) {
      const whereSpan = el('span', { class: 'cm-vh cm-where' });
      const card = el('div', {
        class: 'cm-card', role: 'button', tabindex: '0', draggable: 'true',
        'aria-pressed': 'false', 'aria-describedby': ids.help, 'data-def': d.id,
      }, whereSpan, rich(el('span', { class: 'cm-text' }), d.text),
      el('span', { class: 'cm-badge', 'aria-hidden': 'true', text: 'Selected' }));
      const li = el('li', { class: 'cm-pool-item' }, card);
      poolList.append(li);
      const parts = { card, whereSpan, li };
      if (bins) {
        // The card's place in a bin: the card, its × button, and its own feedback once graded.
        parts.remove = el('button', { type: 'button', class: 'cm-remove', title: 'Return to the pool',
          'aria-label': `Return ‘${short(d.text)}’ to the pool` }, el('span', { 'aria-hidden': 'true', text: '×' }));
        parts.verdict = el('p', { class: 'cm-verdict' });
        parts.explain = el('p', { class: 'cm-explain' });
        parts.feedback = el('div', { class: 'cm-feedback', id: `${uid}-fb-${cards.size}`, hidden: true }, parts.verdict, parts.explain);
        parts.row = el('div', { class: 'cm-bin-row' }, parts.remove);
        parts.item = el('li', { class: 'cm-bin-item', 'data-def': d.id }, parts.row, parts.feedback);
      }
      cards.set(d.id, parts);
    }

    const slotList = el('ul', { class: 'cm-slots', 'aria-labelledby': ids.slotsLabel });
    const slots = new Map(); // concept id -> parts
    for (const c of concepts) {
      const labelId = `${uid}-c-${slots.size}`;
      const emptyText = el('span', { class: 'cm-empty-text', text: bins ? 'empty, place a card here' : 'empty, place a definition here' });
      const empty = el('button', { type: 'button', class: 'cm-empty', 'aria-describedby': ids.help },
        el('span', { class: 'cm-vh', text: `${c.label}: ` }), emptyText);
      const remove = bins ? null : el('button', { type: 'button', class: 'cm-remove', hidden: true, title: 'Return to the pool' },
        el('span', { 'aria-hidden': 'true', text: '×' }));
      const list = bins ? el('ul', { class: 'cm-bin-cards', 'aria-labelledby': labelId }) : null;
      const zone = bins
        ? el('div', { class: 'cm-zone', 'data-concept': c.id }, list, empty)
        : el('div', { class: 'cm-zone', 'data-concept': c.id }, empty, remove);
      const verdict = el('p', { class: 'cm-verdict' });
      const explain = el('p', { class: 'cm-explain' });
      const feedback = bins ? null : el('div', { class: 'cm-feedback', id: `${labelId}-fb`, hidden: true }, verdict, explain);
      const li = el('li', { class: 'cm-slot', 'data-concept': c.id },
        el('div', { class: 'cm-concept', id: labelId, text: c.label }), zone, feedback);
      slotList.append(li);
      slots.set(c.id, { li, zone, empty, emptyText, remove, list, feedback, verdict, explain });
    }
    const slotArea = el('div', { class: 'cm-slot-area' },
      el('p', { class: 'cm-label', id: ids.slotsLabel, text: w.slots }), slotList);

    const check = el('button', { type: 'button', class: 'cm-check', text: 'Check answers' });
    const reset = el('button', { type: 'button', class: 'cm-reset', text: 'Start over' });
    const score = el('p', { class: 'cm-score', role: 'status', 'aria-live': 'polite', tabindex: '-1' });
    const controls = el('div', { class: 'cm-controls' }, check, reset, score);

    root.append(heading,
      data.instructions ? el('p', { class: 'cm-instructions', text: data.instructions }) : null,
      el('p', { class: 'cm-hint', text: bins
        ? 'Drag each card into its bin, or select a card and then a bin.'
        : 'Drag a definition onto its concept, or select a definition and then a concept.' }),
      help, pool, slotArea, controls, announcer);

    // ---- state -> DOM ----------------------------------------------------------------------
    function say(text) {
      // Re-setting identical text is not announced: clear first.
      announcer.textContent = '';
      requestAnimationFrame(() => { announcer.textContent = text; });
    }

    function sync() {
      let inPool = 0;
      for (const [id, parts] of cards) {
        const c = where.get(id);
        if (c === null) {
          inPool++;
          if (parts.card.parentNode !== parts.li) parts.li.append(parts.card);
          if (bins) parts.item.remove();
          parts.li.hidden = false;
          parts.whereSpan.textContent = '';
          parts.card.setAttribute('aria-describedby', ids.help);
        } else {
          const s = slots.get(c);
          const d = defs.get(id);
          if (bins) {
            if (parts.item.parentNode !== s.list) s.list.append(parts.item);
            if (parts.card.parentNode !== parts.row) parts.row.prepend(parts.card);
            parts.remove.hidden = graded;
          } else if (parts.card.parentNode !== s.zone) s.zone.insertBefore(parts.card, s.remove);
          parts.li.hidden = true;
          const verdict = graded ? (d.concept === c ? ', right' : ', wrong') : '';
          parts.whereSpan.textContent = `${bins ? 'In' : 'On'} ${labelOf.get(c)}${verdict}: `;
          parts.card.setAttribute('aria-describedby', graded ? (bins ? parts.feedback.id : s.feedback.id) : ids.help);
        }
        const isHeld = held === id;
        parts.card.classList.toggle('cm-held', isHeld);
        parts.card.setAttribute('aria-pressed', String(isHeld));
        parts.card.setAttribute('draggable', String(!graded));
        if (graded) parts.card.setAttribute('aria-disabled', 'true');
        else parts.card.removeAttribute('aria-disabled');
      }
      for (const [cid, s] of slots) {
        const here = holder.get(cid);
        const did = here[0];
        s.li.classList.toggle('cm-filled', here.length > 0);
        if (bins) {
          // A bin's button stays: it takes any number of cards (hidden once graded).
          s.empty.hidden = graded;
          s.emptyText.textContent = here.length ? 'place a card here' : 'empty, place a card here';
          continue;
        }
        s.empty.hidden = !!did;
        s.remove.hidden = !did || graded;
        if (did) s.remove.setAttribute('aria-label', `Return ‘${short(defs.get(did).text)}’ to the pool`);
        else s.remove.removeAttribute('aria-label');
      }
      poolEmpty.hidden = inPool !== 0;
      pool.hidden = bins && graded; // graded bins hold every card: the empty pool says nothing
      root.classList.toggle('cm-holding', held !== null);
      root.classList.toggle('cm-graded', graded);
      check.hidden = graded;
      reset.textContent = graded ? 'Try again' : 'Start over';
    }

    function left() {
      let n = 0;
      for (const c of where.values()) if (c === null) n++;
      return n;
    }

    function clearGrades() {
      graded = false;
      for (const s of slots.values()) {
        s.li.classList.remove('cm-right', 'cm-wrong');
        if (s.feedback) s.feedback.hidden = true;
      }
      for (const parts of cards.values()) {
        if (!bins) continue;
        parts.item.classList.remove('cm-right', 'cm-wrong');
        parts.feedback.hidden = true;
      }
      score.textContent = '';
    }

    // ---- actions ---------------------------------------------------------------------------
    function pickUp(id) {
      held = id;
      sync();
      const from = where.get(id);
      say(`Picked up ‘${short(defs.get(id).text)}’${from ? ` from ${labelOf.get(from)}` : ''}. ` +
        `Move to a ${w.slot} with the arrow keys or Tab and press Enter to place it. Escape puts it down.`);
    }

    function putDown(announce) {
      if (held === null) return;
      held = null;
      sync();
      if (announce) say('Put down.');
    }

    function place(id, cid) {
      held = null;
      const from = where.get(id);
      if (from === cid) { sync(); return; }
      const here = holder.get(cid);
      const old = bins ? undefined : here[0];
      if (old) { where.set(old, null); here.length = 0; }
      if (from) holder.set(from, holder.get(from).filter(x => x !== id));
      here.push(id);
      where.set(id, cid);
      if (score.textContent && !graded) score.textContent = '';
      sync();
      const n = left();
      say(`Placed ‘${short(defs.get(id).text)}’ ${w.on} ${labelOf.get(cid)}.` +
        (old ? ` ‘${short(defs.get(old).text)}’ went back to the pool.` : '') +
        (n ? ` ${n} left to place.` : ` Every ${w.card} is placed: check your answers when ready.`));
    }

    /** Where the focus goes once `id` is placed: with bins, a card that came from the pool hands
     *  it to the pool's next card (or "Check answers"); otherwise it follows the card. */
    function focusAfterPlacing(id, fromPool, next) {
      if (bins && fromPool) (next || check).focus();
      else cards.get(id).card.focus();
    }

    /** The pool's card after `id` (or before it, if it is the last), to move the focus to. */
    function poolNeighbour(id) {
      const list = poolCards();
      const i = list.indexOf(cards.get(id).card);
      if (i === -1) return null;
      return list[i + 1] || list[i - 1] || null;
    }

    function toPool(id) {
      const from = where.get(id);
      if (from === null) return;
      holder.set(from, holder.get(from).filter(x => x !== id));
      where.set(id, null);
      if (held === id) held = null;
      sync();
      say(`Returned ‘${short(defs.get(id).text)}’ to the pool.`);
    }

    function mark(parts, ok, d) {
      parts.verdict.replaceChildren(
        el('span', { class: 'cm-icon', 'aria-hidden': 'true', text: ok ? '✓' : '✗' }),
        el('strong', { text: ok ? 'Right.' : 'Wrong.' }),
        ok ? '' : bins ? ` It belongs in ${labelOf.get(d.concept)}.` : ` This is the definition of ${labelOf.get(d.concept)}.`);
      parts.explain.replaceChildren();
      rich(parts.explain, d.explain);
      parts.feedback.hidden = false;
    }

    function grade() {
      const n = left();
      if (n) {
        score.textContent = `Place every ${w.card} first: ${n} ${n === 1 ? 'is' : 'are'} still in the pool.`;
        return;
      }
      held = null;
      graded = true;
      let right = 0;
      let total = 0;
      if (bins) {
        for (const [id, parts] of cards) {
          const d = defs.get(id);
          const ok = d.concept === where.get(id);
          total++;
          if (ok) right++;
          parts.item.classList.toggle('cm-right', ok);
          parts.item.classList.toggle('cm-wrong', !ok);
          mark(parts, ok, d);
        }
      } else {
        for (const [cid, s] of slots) {
          const d = defs.get(holder.get(cid)[0]);
          const ok = d.concept === cid;
          total++;
          if (ok) right++;
          s.li.classList.toggle('cm-right', ok);
          s.li.classList.toggle('cm-wrong', !ok);
          mark(s, ok, d);
        }
      }
      score.textContent = `${right} of ${total} right.` + (right === total ? ' Well done.' : ' Read the explanations, then try again.');
      sync();
      score.focus();
    }

    function startOver() {
      for (const id of where.keys()) where.set(id, null);
      for (const here of holder.values()) here.length = 0;
      held = null;
      clearGrades();
      sync();
      say(`All ${w.cards} are back in the pool.`);
    }

    // ---- events ----------------------------------------------------------------------------
    const cardId = t => (t.closest && t.closest('.cm-card') && root.contains(t)) ? t.closest('.cm-card').dataset.def : null;

    /** Places the held card in `cid` and moves the focus on. */
    function placeHeld(cid) {
      const h = held;
      const fromPool = where.get(h) === null;
      const next = fromPool ? poolNeighbour(h) : null;
      place(h, cid);
      focusAfterPlacing(h, fromPool, next);
    }

    function activateCard(id) {
      if (graded) return;
      const at = where.get(id);
      if (held !== null && held !== id && at !== null) {
        placeHeld(at);
      } else if (held === id) {
        putDown(true);
      } else {
        pickUp(id);
      }
    }

    root.addEventListener('click', e => {
      const id = cardId(e.target);
      if (id) { activateCard(id); return; }
      const btn = e.target.closest('button');
      if (!btn || !root.contains(btn)) {
        // With bins, a tap anywhere in a bin places the held card there (a large touch target).
        const z = bins && held !== null && !graded && e.target.closest && e.target.closest('.cm-zone');
        if (z && root.contains(z)) placeHeld(z.dataset.concept);
        return;
      }
      if (btn === check) { grade(); return; }
      if (btn === reset) {
        startOver();
        const first = poolList.querySelector('.cm-card');
        if (first) first.focus();
        return;
      }
      const zone = btn.closest('.cm-zone');
      if (!zone) return;
      const cid = zone.dataset.concept;
      if (btn.classList.contains('cm-empty')) {
        if (graded) return;
        if (held !== null) {
          placeHeld(cid);
        } else {
          say(`Pick up a ${w.card} first, then choose this ${w.slot}.`);
        }
      } else if (btn.classList.contains('cm-remove')) {
        if (graded) return;
        const item = btn.closest('.cm-bin-item');
        const id2 = item ? item.dataset.def : holder.get(cid)[0];
        if (id2) {
          toPool(id2);
          slots.get(cid).empty.focus();
        }
      }
    });

    /** What the arrow keys move between: while a card is held (and always without bins) one
     *  target per concept (its card, or its empty slot; with bins, the bin's button); with bins
     *  and nothing held, every placed card and every bin's button, in page order. */
    const slotTargets = (holding = held !== null) => [...slots.keys()].flatMap(cid => {
      const s = slots.get(cid);
      if (bins) return holding ? [s.empty] : [...holder.get(cid).map(d => cards.get(d).card), s.empty];
      const did = holder.get(cid)[0];
      return [did ? cards.get(did).card : s.empty];
    });
    const poolCards = () => [...poolList.querySelectorAll('.cm-pool-item:not([hidden]) .cm-card')];

    root.addEventListener('keydown', e => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target;
      const key = e.key;
      if (key === 'Escape') {
        if (held !== null) {
          e.preventDefault();
          e.stopPropagation();
          const c = cards.get(held).card;
          putDown(true);
          c.focus();
        }
        return;
      }
      const id = cardId(t);
      if (id && (key === 'Enter' || key === ' ' || key === 'Spacebar')) {
        e.preventDefault(); // no page scroll on Space
        if (!e.repeat) activateCard(id);
        return;
      }
      const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: 'first', End: 'last' }[key];
      if (step === undefined || e.shiftKey) return;
      // mdbook turns ArrowLeft/ArrowRight into "previous/next chapter": not while inside the widget.
      e.stopPropagation();
      const inSlots = slotTargets();
      let list;
      if (held !== null) list = inSlots;
      else if (id && where.get(id) === null) list = poolCards();
      else if (inSlots.includes(t)) list = inSlots;
      else return;
      if (list.length === 0) return;
      let i = list.indexOf(t);
      // Holding a placed card (with bins): the arrows move on from its own bin.
      if (i === -1 && bins && held !== null && t === cards.get(held).card && where.get(held) !== null) {
        i = list.indexOf(slots.get(where.get(held)).empty);
      }
      let next;
      if (step === 'first') next = 0;
      else if (step === 'last') next = list.length - 1;
      else if (i === -1) next = step > 0 ? 0 : list.length - 1;
      else next = (i + step + list.length) % list.length;
      e.preventDefault();
      list[next].focus();
    });

    // Mouse drag and drop (HTML5). Drop targets: each concept's zone, and the pool.
    function clearOver() {
      for (const n of root.querySelectorAll('.cm-over')) n.classList.remove('cm-over');
    }
    root.addEventListener('dragstart', e => {
      const id = cardId(e.target);
      if (!id || graded) { e.preventDefault(); return; }
      dragged = id;
      held = null;
      sync();
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', defs.get(id).text);
      root.classList.add('cm-dragging');
      const card = cards.get(id).card;
      requestAnimationFrame(() => card.classList.add('cm-drag-source'));
    });
    const dropTarget = t => {
      const zone = t.closest && t.closest('.cm-zone');
      if (zone && root.contains(zone)) return zone;
      const area = t.closest && t.closest('.cm-pool-area');
      return area && root.contains(area) ? area : null;
    };
    root.addEventListener('dragover', e => {
      if (dragged === null) return;
      const target = dropTarget(e.target);
      if (!target) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      if (!target.classList.contains('cm-over')) { clearOver(); target.classList.add('cm-over'); }
    });
    root.addEventListener('dragleave', e => {
      const target = dropTarget(e.target);
      if (target && !(e.relatedTarget && target.contains(e.relatedTarget))) target.classList.remove('cm-over');
    });
    root.addEventListener('drop', e => {
      if (dragged === null) return;
      const target = dropTarget(e.target);
      if (!target) return;
      e.preventDefault();
      const id = dragged;
      if (target.classList.contains('cm-zone')) place(id, target.dataset.concept);
      else toPool(id);
    });
    root.addEventListener('dragend', () => {
      if (dragged !== null) {
        const c = cards.get(dragged);
        if (c) c.card.classList.remove('cm-drag-source');
      }
      dragged = null;
      clearOver();
      root.classList.remove('cm-dragging');
    });

    sync();
    script.before(root);
    root.setAttribute('data-ready', 'true');
  }

  const whenNear = window.bookWhenNear || ((element, init) => init());
  for (const script of blocks) {
    if (script.hasAttribute('data-cm-init')) continue;
    script.setAttribute('data-cm-init', '');
    // Built when the reader comes near it (theme/loader.js), not while the page is first drawn.
    whenNear(script, () => {
      try {
        build(script);
      } catch (e) {
        fail(script, [`internal error: ${e && e.message ? e.message : e}`]);
      }
    });
  }
})();

// The book's own page logic, loaded on every page; it costs a few DOM queries where there is
// nothing to do. It
// - loads the quiz bundle (1.4 MB), which tools/book-preprocessor.py took out of the page's flow,
//   only when a quiz comes near the screen;
// - draws in the browser any diagram that has no pre-rendered SVG yet (while it is being edited):
//   it loads mermaid (vendor/mermaid.min.js, 2.7 MB) for that page only, after the first paint,
//   in the colours of the reader's theme, and draws again, without a reload, when the reader
//   switches between a light and a dark theme;
// - marks compile-fail listings with a badge naming their error codes, and labels the verified
//   compiler message that follows each one;
// - loads a widget (src/widgets/) only on a page that embeds it, and gives it
//   `window.bookWhenNear`, to build itself only when the reader nears it;
// - sets `window.bookReady = true` once any such diagram is drawn (the browser tests wait for it).
(() => {
    'use strict';
    const DARK_THEMES = ['coal', 'navy', 'ayu'];
    const html = document.documentElement;
    const isDark = () => DARK_THEMES.some(t => html.classList.contains(t));

    function markCompileFail() {
        for (const code of document.querySelectorAll('pre > code.compile_fail')) {
            const pre = code.parentElement;
            if (pre.classList.contains('does-not-compile')) continue;
            pre.classList.add('does-not-compile');
            const codes = [...code.classList].filter(c => /^E\d{4}$/.test(c));
            const badge = document.createElement('p');
            badge.className = 'compile-fail-badge';
            badge.textContent = codes.length
                ? `This listing does not compile (${codes.join(', ')}); the test suite checks that it fails with exactly this error.`
                : 'This listing does not compile; the test suite checks that it fails as the text says.';
            pre.before(badge);
            // The compiler's message is the next text block that starts with "error".
            let next = pre.nextElementSibling;
            for (let i = 0; next && i < 4; i++, next = next.nextElementSibling) {
                const c = next.matches('pre') && next.querySelector('code.language-text');
                if (c && /^error/.test(c.textContent)) {
                    next.classList.add('compiler-message');
                    const label = document.createElement('p');
                    label.className = 'compiler-message-label';
                    label.textContent = 'The compiler’s message, verified against the pinned rustc:';
                    next.before(label);
                    break;
                }
                if (next.matches('pre')) break;
            }
        }
    }

    // ---- diagrams -------------------------------------------------------------------------

    const diagrams = [...document.querySelectorAll('pre.mermaid')];
    for (const d of diagrams) d.dataset.source = d.textContent;

    function loadMermaid() {
        if (window.mermaid) return Promise.resolve(window.mermaid);
        return new Promise((resolve, reject) => {
            const s = document.createElement('script');
            s.src = `${path_to_root}vendor/mermaid.min.js`;
            s.onload = () => resolve(window.mermaid);
            s.onerror = () => reject(new Error('could not load vendor/mermaid.min.js'));
            document.head.append(s);
        });
    }

    let renderedTheme = null;
    async function renderDiagrams() {
        const theme = isDark() ? 'dark' : 'default';
        if (theme === renderedTheme) return;
        renderedTheme = theme;
        const mermaid = await loadMermaid();
        mermaid.initialize({ startOnLoad: false, theme, securityLevel: 'strict' });
        for (const d of diagrams) {
            d.removeAttribute('data-processed');
            d.textContent = d.dataset.source;
        }
        await mermaid.run({ nodes: diagrams });
        for (const d of diagrams) d.dataset.theme = theme;
    }

    // mdbook 0.5.4's menu bar: its sidebar toggle is a <label> (for a no-script checkbox) that
    // carries aria-label, aria-controls and aria-expanded, which a label may not have, and that
    // the keyboard cannot reach; and the bar sits outside any landmark. Put a real button in the
    // label's place (it clicks the label, so mdbook's own logic runs, and mirrors its
    // aria-expanded), and make the bar the page's banner.
    function fixMenuBar() {
        const label = document.getElementById('mdbook-sidebar-toggle');
        if (label && label.tagName === 'LABEL') {
            const button = document.createElement('button');
            button.type = 'button';
            button.id = 'book-sidebar-toggle';
            button.className = label.className;
            button.title = label.title;
            button.setAttribute('aria-label', label.title);
            button.setAttribute('aria-controls', 'mdbook-sidebar');
            button.innerHTML = label.innerHTML;
            const sync = () => button.setAttribute('aria-expanded', label.getAttribute('aria-expanded') === 'true' ? 'true' : 'false');
            sync();
            new MutationObserver(sync).observe(label, { attributes: true, attributeFilter: ['aria-expanded'] });
            button.addEventListener('click', () => label.click());
            label.before(button);
            label.style.display = 'none';
        }
        const bar = document.getElementById('mdbook-menu-bar');
        if (bar && !bar.hasAttribute('role')) bar.setAttribute('role', 'banner');
    }

    // A code block or table wider than its column scrolls; let the keyboard scroll it too.
    function focusableScrollers() {
        let n = 0;
        const used = new Set();
        for (const code of document.querySelectorAll('pre > code')) {
            n++;
            if (code.scrollWidth > code.clientWidth + 1 && !code.hasAttribute('tabindex')) {
                // Named after the listing's caption when it has one; names must be unique, and two
                // blocks of one listing (its code, then its tests) share a number.
                const caption = code.parentElement.nextElementSibling?.querySelector('.caption')?.textContent;
                let name = caption ? caption.split(':')[0] : 'Code block ' + n;
                if (used.has(name)) name = `${name}, code block ${n}`;
                used.add(name);
                code.tabIndex = 0;
                code.setAttribute('role', 'region');
                code.setAttribute('aria-label', `${name} (scrolls horizontally)`);
            }
        }
        let t = 0;
        for (const wrapper of document.querySelectorAll('.table-wrapper')) {
            t++;
            if (wrapper.scrollWidth > wrapper.clientWidth + 1 && !wrapper.hasAttribute('tabindex')) {
                // Named after the table's first header cell; names must be unique.
                const head = wrapper.querySelector('th')?.textContent.trim();
                wrapper.tabIndex = 0;
                wrapper.setAttribute('role', 'region');
                wrapper.setAttribute('aria-label', `Table ${t}${head ? ` (${head} …)` : ''}, scrolls horizontally`);
            }
        }
    }

    // After the first paint: load what tools/lazy-scripts.py deferred (the quiz bundle) and
    // mermaid, so that neither delays the page's text.
    function afterFirstPaint(f) {
        const go = () => requestAnimationFrame(() => setTimeout(f, 0));
        if (document.readyState === 'complete') go();
        else window.addEventListener('load', go, { once: true });
    }

    // A script loaded late may still wait for DOMContentLoaded (the quiz bundle does), which has
    // fired already. While such scripts load, a DOMContentLoaded listener is called at once.
    function loadLazyScripts() {
        const lazy = [...document.querySelectorAll('script[data-lazy-src]')];
        if (lazy.length === 0) return Promise.resolve();
        const targets = [window, document];
        const originals = targets.map(t => t.addEventListener);
        targets.forEach((t, i) => {
            t.addEventListener = function (type, listener, options) {
                if (type === 'DOMContentLoaded') {
                    queueMicrotask(() => (typeof listener === 'function' ? listener : listener.handleEvent).call(t, new Event(type)));
                    return;
                }
                return originals[i].call(this, type, listener, options);
            };
        });
        const loads = lazy.map(old => new Promise(resolve => {
            const s = document.createElement('script');
            s.src = old.dataset.lazySrc;
            s.onload = s.onerror = resolve;
            old.replaceWith(s);
        }));
        return Promise.all(loads).finally(() => targets.forEach((t, i) => { t.addEventListener = originals[i]; }));
    }

    // Widgets (src/widgets/concept-match.js, src/widgets/timeline.js) build themselves when their place comes
    // within two screens of the viewport, so that a page is drawn as fast as a plain one and a
    // widget is ready before the reader reaches it. `element` is the widget's data script.
    window.bookWhenNear = function (element, init) {
        if (!('IntersectionObserver' in window)) {
            init();
            return;
        }
        const slot = document.createElement('div');
        slot.className = 'widget-slot';
        element.before(slot);
        const io = new IntersectionObserver(entries => {
            if (entries.some(e => e.isIntersecting)) {
                io.disconnect();
                slot.remove();
                init();
            }
        }, { rootMargin: '200% 0px' });
        io.observe(slot);
    };

    // Widgets: src/widgets/<name>.js and .css, loaded only on a page that embeds a
    // <script type="application/json" data-widget="<name>">, after the first paint.
    // `window.bookWidgetsReady` resolves when their scripts have run (the browser tests wait for it).
    let widgetsLoaded;
    window.bookWidgetsReady = new Promise(resolve => { widgetsLoaded = resolve; });
    function loadWidgets() {
        const names = new Set([...document.querySelectorAll('script[type="application/json"][data-widget]')].map(s => s.dataset.widget));
        const loads = [];
        for (const name of names) {
            if (!/^[a-z-]+$/.test(name)) continue;
            const css = document.createElement('link');
            css.rel = 'stylesheet';
            css.href = `${path_to_root}widgets/${name}.css`;
            document.head.append(css);
            const js = document.createElement('script');
            js.src = `${path_to_root}widgets/${name}.js`;
            loads.push(new Promise(resolve => { js.onload = js.onerror = resolve; }));
            document.body.append(js);
        }
        Promise.all(loads).then(widgetsLoaded);
    }

    fixMenuBar();
    markCompileFail();
    afterFirstPaint(loadWidgets);
    focusableScrollers();
    window.addEventListener('resize', focusableScrollers);
    // The quiz bundle loads when a quiz comes within two screens of the viewport: a reader who
    // scrolls there finds it ready, and a page read only at its top never pays for it.
    const lazyTargets = document.querySelectorAll('.quiz-placeholder');
    if (document.querySelector('script[data-lazy-src]')) {
        afterFirstPaint(() => {
            if (!('IntersectionObserver' in window) || lazyTargets.length === 0) {
                loadLazyScripts();
                return;
            }
            const io = new IntersectionObserver(entries => {
                if (entries.some(e => e.isIntersecting)) {
                    io.disconnect();
                    loadLazyScripts();
                }
            }, { rootMargin: '200% 0px' });
            lazyTargets.forEach(t => io.observe(t));
        });
    }

    if (diagrams.length === 0) {
        window.bookReady = true;
    } else {
        afterFirstPaint(() => {
            renderDiagrams()
                .catch(e => console.error(e))
                .finally(() => { window.bookReady = true; });
        });
        // mdbook switches themes by changing the classes of <html>.
        new MutationObserver(() => {
            if (diagrams.length && renderedTheme && (isDark() ? 'dark' : 'default') !== renderedTheme) {
                window.bookReady = false;
                renderDiagrams().catch(e => console.error(e)).finally(() => { window.bookReady = true; });
            }
        }).observe(html, { attributes: true, attributeFilter: ['class'] });
    }
})();

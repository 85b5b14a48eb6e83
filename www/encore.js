/*! Encore loader, MIT. See docs/embedding.md */
(() => {
  const w = window, d = document;
  let warned;
  const warn = (e) => warned || (warned = 1, console[e && e.e ? 'error' : 'warn'](`[encore] widget not loaded (page unaffected): ${e && e.message || e}`));
  try {
    // once per page
    if (w.__encore) return;
    w.__encore = 1;

    const remembered = () => { try { return localStorage.getItem('encore:ref'); } catch (e) {} };
    // ?ref=CODE: remembered for the widget to report
    try {
      const code = new URLSearchParams(location.search).get('ref');
      if (code && /^[\w-]{1,64}$/.test(code)) localStorage.setItem('encore:ref',
        JSON.stringify({ code, at: Date.now(), page: location.origin + location.pathname }));
    } catch (e) {}

    const C = w.customElements;
    if (!C || C.get('encore-widget')) return;
    const base = new URL('.', d.currentScript.src).href;

    // Reserve the space; !important in a shadow root beats page CSS
    const R = { review: 520, 'thank-you': 320, scan: 440, offers: 240, referral: 300, 'referral-welcome': 64 };
    let css = ':host{display:block!important;min-height:var(--encore-reserve,360px)!important}';
    for (const k in R) css += `:host([mode=${k}]){min-height:var(--encore-reserve,${R[k]}px)!important}`;
    css += ':host([hidden]){display:none!important}:host([data-encore=failed]),:host([data-encore=empty]){min-height:0!important}';
    // needs no CSP style-src 'unsafe-inline'
    let sheet;
    try { (sheet = new CSSStyleSheet()).replaceSync(css); } catch (e) { sheet = 0; }

    const els = new Set();
    // A bundle per kind of page (xtask/src/dist.rs), each loaded once
    const B = { product: 'product', 'referral-welcome': 'product', review: 'review', scan: 'scan', 'thank-you': 'order', offers: 'order', referral: 'order' };
    const mods = {};
    let failed, man;
    const get = (f, integrity) => fetch(base + f, { integrity }).then((r) => {
      if (!r.ok) throw Error(f + ' ' + r.status);
      return r;
    }, () => { throw { e: 1, message: f + ' altered or unreachable' }; });
    // Every file is checked (SRI) against dist/manifest.json, itself against the hash `cargo
    // xtask dist` writes here, before it runs: an altered file is refused, not executed
    const load = (b) => mods[b] || (mods[b] = (async () => {
      if (!w.WebAssembly) throw Error('no WebAssembly');
      const h = (await (man = man || get('manifest.json', '__ENCORE_MANIFEST__').then((r) => r.json())))[b],
        f = 'encore-' + b, l = d.createElement('link');
      // Without it no load event would ever come
      if (!l.relList.supports('modulepreload')) throw Error('no modulepreload');
      const [m, r] = await Promise.all([new Promise((ok, no) => {
        // import() has no integrity: a module preloaded with one is what it then gets
        l.onload = () => import(l.href).then(ok, no);
        l.onerror = () => no({ e: 1, message: f + '.js altered' });
        l.rel = 'modulepreload';
        l.integrity = h.js;
        l.href = base + f + '.js';
        d.head.append(l);
      }), get(f + '_bg.wasm', h.wasm)]);
      await m.default({ module_or_path: r });
      // Instantiating and the first render in separate tasks: two short ones, not one long
      await new Promise((ok) => setTimeout(ok));
      performance.mark('encore:module-ready');
      return m;
    })());
    const io = w.IntersectionObserver && new IntersectionObserver(
      (es) => es.forEach((e) => e.isIntersecting && e.target._go()), { rootMargin: '300px' });
    const fail = (e) => {
      failed = 1;
      warn(e);
      els.forEach((el) => { io && io.unobserve(el); el.dataset.encore = 'failed'; });
    };

    C.define('encore-widget', class extends HTMLElement {
      static get observedAttributes() {
        return 'mode endpoint store product order order-token member member-token locale theme'.split(' ');
      }
      connectedCallback() {
        try {
          els.add(this);
          const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
          if (!this._css) {
            if (sheet && root.adoptedStyleSheets) root.adoptedStyleSheets = [...root.adoptedStyleSheets, this._css = sheet];
            else (this._css = root.insertBefore(d.createElement('style'), root.firstChild)).textContent = css;
          }
          const mode = this.getAttribute('mode');
          if (failed) this.dataset.encore = 'failed';
          // A friend's welcome needs a referral landing; without one, no space and no wasm
          else if (mode == 'referral-welcome' && !remembered()) this.dataset.encore = 'empty';
          else if (io && mode != 'scan') {
            this.dataset.encore = 'waiting';
            io.observe(this);
          } else this._go();
        } catch (e) { this._fail(e); }
      }
      disconnectedCallback() {
        try {
          els.delete(this);
          // a load in flight must not mount it
          this._t = {};
          io && io.unobserve(this);
          this._unmount();
        } catch (e) {}
      }
      attributeChangedCallback(n, a, b) {
        // Several changes, one remount
        if (a !== b && this._encore && !this._q) {
          this._q = 1;
          queueMicrotask(() => {
            this._q = 0;
            try { if (this._encore) this._unmount(), this._go(); } catch (e) { this._fail(e); }
          });
        }
      }
      async _go() {
        try {
          io && io.unobserve(this);
          const t = this._t;
          this.dataset.encore = 'loading';
          const m = await load(B[this.getAttribute('mode')] || 'product');
          if (t === this._t && this.isConnected && !this._encore) this._mount(m);
        } catch (e) { fail(e); }
      }
      _mount(m) {
        try {
          this._encore = m.mount(this, this.shadowRoot);
          this.dataset.encore = 'ready';
        } catch (e) { this._fail(e); }
      }
      _unmount() {
        const h = this._encore;
        this._encore = null;
        h && h.unmount();
      }
      // this element only
      _fail(e) {
        this._encore = null;
        this.dataset.encore = 'failed';
        const r = this.shadowRoot;
        r && [...r.childNodes].forEach((n) => n != this._css && n.remove());
        warn(e);
      }
    });
  } catch (e) { warn(e); }
})();

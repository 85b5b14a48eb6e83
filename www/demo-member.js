// Demo storefront only: a member switcher. A real store's backend signs the member token when
// the shopper is signed in and prints it into the `member-token` attribute; here the demo server
// mints one (GET /demo/member-token, enabled only for the demo store) so you can try each view.
// `?member=gold|silver|lapsed|forged|guest` picks one from the address bar.
(() => {
  const personas = {
    guest: { label: 'Guest (not signed in)' },
    gold: { label: 'Gold member, 6 orders', member: 'demo-gold-mei', tier: 'gold', orders: 6, daysAgo: 12, name: 'Mei' },
    silver: { label: 'Silver member, 2 orders', member: 'demo-silver-lin', tier: 'silver', orders: 2, daysAgo: 5, name: 'Lin' },
    lapsed: { label: 'Bought once, 45 days ago', member: 'demo-lapsed-ana', orders: 1, daysAgo: 45 },
    forged: { label: 'Forged token (member id altered)', member: 'demo-silver-lin', tier: 'silver', orders: 2, daysAgo: 5, forge: true },
  };
  const widgets = () => document.querySelectorAll('encore-widget[data-demo-member]');
  const day = (daysAgo) => new Date(Date.now() - daysAgo * 864e5).toISOString().slice(0, 10);
  const b64 = {
    decode: (s) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))),
    encode: (o) => btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  };

  async function token(p) {
    const q = new URLSearchParams({ store: 'demo', member: p.member, orders: String(p.orders), last_order: day(p.daysAgo) });
    if (p.tier) q.set('tier', p.tier);
    if (p.name) q.set('name', p.name); // shown on a referred friend's welcome
    const r = await fetch('/demo/member-token?' + q);
    if (!r.ok) throw new Error('the demo server would not mint a token (' + r.status + ')');
    const t = (await r.text()).trim();
    if (!p.forge) return t;
    // What an attacker would try: claim to be someone else (gold) and keep the signature.
    const [claims, mac] = t.split('.');
    const c = b64.decode(claims);
    c.member = 'demo-gold-mei';
    c.tier = 'gold';
    return b64.encode(c) + '.' + mac;
  }

  async function become(name, status) {
    const p = personas[name] || personas.guest;
    try {
      const t = p.member ? await token(p) : null;
      for (const w of widgets()) {
        if (t) {
          w.setAttribute('member', p.member);
          w.setAttribute('member-token', t);
        } else {
          w.removeAttribute('member');
          w.removeAttribute('member-token');
        }
      }
      if (status) status.textContent = 'Showing the widget as: ' + p.label + '.';
    } catch (e) {
      if (status) status.textContent = 'Could not switch: ' + e.message;
    }
  }

  function switcher(box, chosen) {
    const fieldset = document.createElement('fieldset');
    fieldset.className = 'demo-members';
    const legend = document.createElement('legend');
    legend.textContent = 'Demo: view the offers as';
    fieldset.append(legend);
    const status = document.createElement('p');
    status.className = 'muted';
    status.setAttribute('role', 'status');
    for (const [name, p] of Object.entries(personas)) {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'demo-member';
      input.value = name;
      input.checked = name === chosen;
      input.addEventListener('change', () => become(name, status));
      label.append(input, ' ' + p.label);
      fieldset.append(label);
    }
    box.append(fieldset, status);
    return status;
  }

  const start = () => {
    const asked = new URLSearchParams(location.search).get('member');
    const box = document.querySelector('[data-demo-members]');
    const chosen = personas[asked] ? asked : (box && box.dataset.demoMembers) || 'guest';
    const status = box ? switcher(box, chosen) : null;
    become(chosen, status);
    // Member tokens live 15 minutes; the widget asks for a fresh one when it meets an expired one.
    document.addEventListener('encore:member-token-expired', () => {
      const current = document.querySelector('input[name="demo-member"]:checked');
      become(current ? current.value : chosen, status);
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

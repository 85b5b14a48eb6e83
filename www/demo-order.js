// Demo storefront only: pretend orders. A real store's backend signs the order token when the
// order is placed and prints it into the confirmation page's `order-token` attribute; here the
// demo server signs one (GET /demo/order-token, enabled only for the demo store).
// - On a product page, the "demo checkout" form gets a fresh order number and opens the
//   confirmation page with ?order=…&name=…&email=….
// - On the confirmation page, the widget marked data-demo-order gets that order's token
//   (order #1001 for Mei without parameters), so referral can tell who ordered.
(() => {
  const checkout = document.getElementById('demo-checkout');
  if (checkout) {
    checkout.addEventListener('submit', () => {
      const digits = new Uint32Array(1);
      crypto.getRandomValues(digits);
      checkout.elements.order.value = 'D' + String(100000 + (digits[0] % 900000));
    });
  }

  const widgets = document.querySelectorAll('encore-widget[data-demo-order]');
  if (!widgets.length) return;
  const q = new URLSearchParams(location.search);
  const order = q.get('order') || '1001';
  const name = q.get('name') || 'Mei';
  const email = q.get('email') || 'mei@example.com';
  const items = q.get('items') || 'jasmine-silver-needle,celadon-gaiwan';
  const show = (attr, text) => document.querySelectorAll(`[${attr}]`).forEach((el) => { el.textContent = text; });
  show('data-demo-order-id', '#' + order);
  show('data-demo-order-name', name);
  show('data-demo-order-email', email);
  document.title = `Order #${order} confirmed · Lumen Tea Co.`;

  const params = new URLSearchParams({ store: 'demo', order, name, email, items });
  fetch('/demo/order-token?' + params)
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error('the demo server answered ' + r.status))))
    .then((answer) => {
      widgets.forEach((w) => {
        w.setAttribute('order', answer.order);
        w.setAttribute('order-token', answer.token);
      });
      document.documentElement.dataset.demoOrder = 'ready';
    })
    .catch((e) => {
      console.warn('[demo] no order token:', e.message);
      document.documentElement.dataset.demoOrder = 'failed';
    });
})();

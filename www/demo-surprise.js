// Demo storefront only: stands in for the code printed on a tin. A real store prints codes
// minted with `encore-server codes mint`; here the demo server mints a fresh one on request
// (GET /demo/surprise-code, enabled only for the demo store) so every visitor can play.
// Fills every `[data-demo-surprise]` box with a link to a fresh code and to a printable sheet.
(() => {
  const store = 'demo';
  async function fresh() {
    const r = await fetch('/demo/surprise-code?store=' + store);
    if (!r.ok) throw new Error('the demo server would not mint a code (' + r.status + ')');
    const { url } = await r.json();
    // Land on this site's scan page whatever host the demo runs on.
    const target = new URL(url, location.href);
    return '/www/scan.html' + target.search;
  }

  function fill(box) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button';
    button.textContent = box.dataset.demoSurprise || 'Scan a demo tin';
    const status = document.createElement('p');
    status.className = 'muted';
    status.setAttribute('role', 'status');
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = 'Minting a fresh demo code…';
      try {
        location.assign(await fresh());
      } catch (e) {
        status.textContent = 'Could not get a demo code: ' + e.message;
        button.disabled = false;
      }
    });
    const sheet = document.createElement('a');
    sheet.href = '/demo/surprise-sheet.svg?store=' + store;
    sheet.textContent = 'Print a sheet of demo codes';
    sheet.className = 'button secondary';
    sheet.target = '_blank';
    sheet.rel = 'noopener';
    box.append(button, ' ', sheet, status);
  }

  const start = () => document.querySelectorAll('[data-demo-surprise]').forEach(fill);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();

// The store console's starter: loads the wasm app, whose start function mounts it in
// #encore-console. An external file, so the page's CSP needs no inline script.
import init from './encore_console.js';

init({ module_or_path: new URL('encore_console_bg.wasm', import.meta.url) }).catch((error) => {
  const root = document.getElementById('encore-console');
  if (root) root.textContent = 'The store console could not start. Reload the page to try again.';
  console.error(error);
});

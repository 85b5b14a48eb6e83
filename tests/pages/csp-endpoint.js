// Test helper: points every widget at the endpoint named in `?endpoint=` (the CSP pages allow
// connections to http://localhost:* only, so the test passes an endpoint there). Runs before
// the loader (both deferred, in order).
const endpoint = new URLSearchParams(location.search).get('endpoint');
if (endpoint) document.querySelectorAll('encore-widget').forEach((el) => el.setAttribute('endpoint', endpoint));

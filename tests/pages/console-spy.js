// Test helper: records console warnings and errors (a page's CSP may forbid inline scripts,
// so this is a file). Tests read window.consoleSeen.
window.consoleSeen = [];
for (const level of ['warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    window.consoleSeen.push([level, args.map(String).join(' ')]);
    original(...args);
  };
}
window.addEventListener('error', (e) => window.consoleSeen.push(['uncaught', String(e.message)]));
window.addEventListener('unhandledrejection', (e) => window.consoleSeen.push(['unhandled', String(e.reason)]));
// Content-Security-Policy violations, in their own list (tests read window.cspSeen).
window.cspSeen = [];
window.addEventListener('securitypolicyviolation', (e) => window.cspSeen.push(
  [e.effectiveDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')), true);

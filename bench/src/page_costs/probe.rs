//! The scripts `page-costs` runs in the product page, and the shapes of what they hand back.

use serde::Deserialize;
use std::time::Duration;

/// The product page of the demo store.
pub const PRODUCT_PAGE: &str = "/www/product.html";

/// The loader's `IntersectionObserver` margin (www/encore.js): a widget closer than this to the
/// viewport counts as "near" and gets the module loaded.
pub const LOADER_MARGIN_PX: f64 = 300.0;

/// Installed with `Page.addScriptToEvaluateOnNewDocument`, so it runs before any page script and
/// sees every layout shift and long task of the load. Each shift records its sources (as
/// `tag#id.class`) and whether all of them are the widget's: a shift that also moved the
/// page's own elements (the footer below a growing widget) is the host's to feel.
///
/// Chromium withholds a source's node (`null`) when it lies in a shadow tree or has left the
/// document (`Performance::CanExposeNode`). On the product page the only shadow trees are the
/// widgets' and the page removes none of its own elements, so a withheld node counts as the
/// widget's, as does an `<encore-widget>` element or anything inside one.
pub const OBSERVERS: &str = r#"(() => {
  const bench = window.__encoreBench = { shifts: [], tasks: [], unsupported: [] };
  const ownedByWidget = (node) =>
    !node || !!(node.nodeType === 1 ? node : node.parentElement)?.closest('encore-widget');
  const describe = (node) => {
    if (!node) return '(withheld: in a shadow root)';
    if (node.nodeType !== 1) return node.nodeName.toLowerCase();
    const classes = typeof node.className === 'string' ? node.className.split(/\s+/) : [];
    return [node.localName + (node.id ? '#' + node.id : ''), ...classes.filter(Boolean)].join('.');
  };
  const observe = (type, record) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(record))
        .observe({ type, buffered: true });
    } catch (e) { bench.unsupported.push(type); }
  };
  observe('layout-shift', (e) => e.hadRecentInput || bench.shifts.push({
    start: e.startTime, value: e.value,
    sources: (e.sources || []).map((s) => describe(s.node)),
    widget: !!e.sources?.length && e.sources.every((s) => ownedByWidget(s.node)),
  }));
  observe('longtask', (e) => bench.tasks.push({ start: e.startTime, duration: e.duration }));
})();"#;

/// A JS expression: the page has loaded and the loader has defined the element.
pub const LOADED: &str =
    "document.readyState === 'complete' && !!customElements.get('encore-widget')";

/// A JS expression: the product widget has rendered and its reviews (or their empty or error
/// state) are on screen.
pub const REVIEWS_SHOWN: &str = "performance.getEntriesByName('encore:first-render').length > 0 && \
     !!document.querySelector('encore-widget[mode=product]')?.shadowRoot\
     ?.querySelector('article.review, .empty, .load-error')";

/// Scrolls the product widget into view (the loader then fetches the module).
pub const SCROLL_TO_WIDGET: &str =
    "document.querySelector('encore-widget[mode=product]').scrollIntoView();";

/// Reads a [`Snapshot`] before the widget is scrolled into view.
pub const SNAPSHOT: &str = r#"
const widget = document.querySelector('encore-widget[mode=product]');
const files = performance.getEntriesByType('resource').map((e) => ({
  path: new URL(e.name).pathname,
  transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
})).filter((f) => f.path.startsWith('/dist/'));
if (!widget) return { files, below_fold: null, state: null };
const below_fold = widget.getBoundingClientRect().top - innerHeight;
return { files, below_fold, state: widget.dataset.encore || '' };
"#;

/// Reads a [`Readout`] once the widget has rendered and the page has settled.
pub const READOUT: &str = r#"
const bench = window.__encoreBench;
const marks = (name) => performance.getEntriesByName(name, 'mark').map((m) => m.startTime);
const path = (e) => new URL(e.name).pathname;
const dist = performance.getEntriesByType('resource').filter((e) => path(e).startsWith('/dist/'));
// The module's first file: the earliest /dist/ fetch after the loader (the manifest of hashes,
// which the loader reads before the bundle's glue script and wasm).
const module = dist.filter((e) => !path(e).endsWith('/encore.js'))
  .sort((a, b) => a.startTime - b.startTime)[0];
const root = document.querySelector('encore-widget[mode=product]')?.shadowRoot;
return {
  observed: !!bench && bench.unsupported.length === 0,
  module_fetch_start: module ? module.startTime : null,
  module_ready: marks('encore:module-ready')[0] ?? null,
  first_renders: marks('encore:first-render'),
  shifts: bench ? bench.shifts : [],
  tasks: bench ? bench.tasks : [],
  cached: dist.filter((e) => e.transferSize === 0).map(path),
  reviews_failed: !!root?.querySelector('.load-error'),
};
"#;

/// A fixed amount of script work, timed in the page: compared between the plain and the
/// throttled visits, it shows whether CPU throttling survived the navigation.
pub const CALIBRATION: &str = r#"
const start = performance.now();
let sum = 0;
for (let i = 0; i < 1e7; i++) sum += Math.sqrt(i);
// The sum goes back so the loop cannot be optimised away.
return { ms: performance.now() - start, sum };
"#;

/// The body of an async script that waits, polling in the page, until `condition` (a JS
/// expression) holds, returning `true`, or `false` after `timeout`. Polling in the page rather
/// than over WebDriver keeps the driver's round trips off the page's main thread.
pub fn wait_for(condition: &str, timeout: Duration) -> String {
    format!(
        "const until = performance.now() + {ms};\
         while (!({condition})) {{\
           if (performance.now() > until) return false;\
           await new Promise((resolve) => setTimeout(resolve, 50));\
         }}\
         return true;",
        ms = timeout.as_millis()
    )
}

/// A widget file the page fetched, from its resource timing entry.
#[derive(Debug, Clone, Deserialize)]
pub struct FetchedFile {
    /// The URL's path, e.g. `/dist/encore.js`.
    pub path: String,
    /// Bytes over the network, headers included; 0 when served from the cache.
    pub transfer: u64,
    /// Body bytes as sent (compressed, if the server compressed).
    pub encoded: u64,
    /// Body bytes after decompression.
    pub decoded: u64,
}

impl FetchedFile {
    /// The bytes this file cost: its transfer size when it crossed the network, else its body.
    pub fn bytes(&self) -> u64 {
        if self.transfer > 0 {
            self.transfer
        } else {
            self.encoded
        }
    }
}

/// The page before the product widget is scrolled into view.
#[derive(Debug, Deserialize)]
pub struct Snapshot {
    /// Widget files fetched so far.
    pub files: Vec<FetchedFile>,
    /// How far the product widget's top edge lies below the viewport, in CSS px (`None`: no
    /// product widget on the page).
    pub below_fold: Option<f64>,
    /// The loader's state for the product widget (`waiting` until it is near the viewport).
    pub state: Option<String>,
}

/// A layout shift without recent input.
#[derive(Debug, Clone, Deserialize)]
pub struct Shift {
    /// When it happened, in ms since navigation.
    pub start: f64,
    /// Its layout shift score.
    pub value: f64,
    /// The elements that moved, as `tag#id.class`.
    pub sources: Vec<String>,
    /// Whether all its sources are the widget's (see [`OBSERVERS`]).
    pub widget: bool,
}

/// A task that kept the main thread busy for over 50 ms.
#[derive(Debug, Clone, Deserialize)]
pub struct LongTask {
    /// When it started, in ms since navigation.
    pub start: f64,
    /// How long it ran, in ms.
    pub duration: f64,
}

/// The page after the widget rendered its reviews and the page settled.
#[derive(Debug, Deserialize)]
pub struct Readout {
    /// Whether the observers of [`OBSERVERS`] ran and support both entry types.
    pub observed: bool,
    /// When the loader began fetching the module (its first file under `/dist/` after the
    /// loader), in ms since navigation.
    pub module_fetch_start: Option<f64>,
    /// The loader's `encore:module-ready` mark.
    pub module_ready: Option<f64>,
    /// Every `encore:first-render` mark (one per mounted widget), in order.
    pub first_renders: Vec<f64>,
    /// Layout shifts since navigation.
    pub shifts: Vec<Shift>,
    /// Long tasks since navigation.
    pub tasks: Vec<LongTask>,
    /// Widget files served from the browser's cache (none, when the cache is disabled).
    pub cached: Vec<String>,
    /// Whether the widget shows its error state instead of reviews.
    pub reviews_failed: bool,
}

/// What [`CALIBRATION`] hands back.
#[derive(Debug, Deserialize)]
pub struct Calibration {
    /// How long the fixed work took, in ms.
    pub ms: f64,
}

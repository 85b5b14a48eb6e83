//! The axe-core accessibility engine, injected over WebDriver into the page under test.
//!
//! `cargo xtask test` installs the pinned npm package and names its `axe.min.js` in
//! `AXE_CORE_JS`. The widget's shadow roots are open (www/encore.js), and axe walks open shadow
//! roots from `document`, so one run covers the host page and every widget on it.

use crate::Browser;
use serde_json::Value;
use std::path::PathBuf;

/// The impacts this suite refuses; `minor` and `moderate` findings are printed, not failed.
pub const BLOCKING: [&str; 2] = ["serious", "critical"];

/// The text of `axe.min.js`, panicking with a clear message when run outside `cargo xtask test`.
pub fn source() -> String {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("AXE_CORE_JS is not set: run the end-to-end tests through `cargo xtask test`")
        });
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read axe-core at {}: {e}", path.display()))
}

/// One rule's failure, with the elements it failed on.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule id, e.g. `color-contrast`.
    pub rule: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// What the rule asks for.
    pub help: String,
    /// Each failing element: its selector path (through shadow roots), its HTML and why.
    pub nodes: Vec<String>,
}

impl Violation {
    /// Whether this violation fails the suite.
    pub fn is_blocking(&self) -> bool {
        BLOCKING.contains(&self.impact.as_str())
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "[{}] {}: {}", self.impact, self.rule, self.help)?;
        for node in &self.nodes {
            writeln!(f, "    {node}")?;
        }
        Ok(())
    }
}

/// Injects axe-core into the current page (once per page load) and runs every rule on the
/// whole document, widgets' shadow roots included.
pub async fn check(browser: &Browser, source: &str) -> Vec<Violation> {
    // Judge what stays on screen, not a frame of a fade-in (a looping spinner never ends).
    browser
        .wait_until(
            "animations to finish",
            "[document, ...[...document.querySelectorAll('encore-widget')].map(w => w.shadowRoot)]\
             .filter(Boolean).flatMap(r => r.getAnimations()).every(a => a.playState !== 'running'\
             || a.effect?.getComputedTiming().iterations === Infinity)",
        )
        .await;
    let loaded = browser.js("return typeof window.axe === 'object';").await;
    if loaded != Value::Bool(true) {
        // A WebDriver script is not subject to the page's CSP, as a page's own <script> is.
        browser
            .client
            .execute(source, vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot inject axe-core: {e}"));
    }
    let answer = browser
        .js_async(
            "const r = await axe.run(document, { resultTypes: ['violations'] });\
             return r.violations.map(v => ({ rule: v.id, impact: v.impact || '', help: v.help,\
               nodes: v.nodes.map(n => JSON.stringify(n.target) + ' ' + n.html.slice(0, 200)\
                 + ' :: ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) }));",
        )
        .await;
    let Some(list) = answer.as_array() else {
        panic!("axe-core did not run: {answer}");
    };
    list.iter()
        .map(|v| Violation {
            rule: v["rule"].as_str().unwrap_or_default().to_owned(),
            impact: v["impact"].as_str().unwrap_or_default().to_owned(),
            help: v["help"].as_str().unwrap_or_default().to_owned(),
            nodes: v["nodes"]
                .as_array()
                .map(|n| {
                    n.iter()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// The number of elements axe-core tested inside widgets' shadow roots, to show a run
/// reached them (a closed or missing root would leave it at 0).
pub async fn shadow_nodes_checked(browser: &Browser) -> u64 {
    let answer = browser
        .js_async(
            "const r = await axe.run(document, { resultTypes: ['passes'], runOnly: ['color-contrast', 'button-name'] });\
             return r.passes.flatMap(p => p.nodes).filter(n => n.target.some(t => Array.isArray(t))).length;",
        )
        .await;
    answer
        .as_u64()
        .unwrap_or_else(|| panic!("axe-core did not run: {answer}"))
}

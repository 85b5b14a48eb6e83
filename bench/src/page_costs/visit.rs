//! One fresh load of the demo product page, measured from navigation to the widget's reviews.

use super::probe::{
    CALIBRATION, Calibration, FetchedFile, LOADED, LongTask, PRODUCT_PAGE, READOUT, REVIEWS_SHOWN,
    Readout, SCROLL_TO_WIDGET, SNAPSHOT, Shift, Snapshot, wait_for,
};
use encore_e2e::Browser;
use encore_e2e::shop::DemoShop;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

/// How long the page may take to load.
const LOAD_LIMIT: Duration = Duration::from_secs(20);
/// How long the widget may take from the scroll to its reviews; below ChromeDriver's 30 s
/// script timeout, since the wait runs as one async script.
const RENDER_LIMIT: Duration = Duration::from_secs(25);
/// After load, before the scroll: time for a wrongly eager loader to fetch the module (as the
/// storefront e2e test allows), so that "before visible" really means it.
const SETTLE_BEFORE_SCROLL: Duration = Duration::from_millis(1500);
/// After the reviews show: time for late shifts and tasks (images, fonts, the impression).
const SETTLE_AFTER_RENDER: Duration = Duration::from_secs(2);

/// Why a visit gave no figures.
#[derive(Debug)]
pub enum VisitError {
    /// A DevTools protocol command failed.
    DevTools {
        /// The command, e.g. `Emulation.setCPUThrottlingRate`.
        cmd: &'static str,
        /// ChromeDriver's answer.
        message: String,
    },
    /// The page did not reach `what` in time.
    TimedOut(&'static str),
    /// The page did not behave as the measurement expects.
    Page(String),
}

impl fmt::Display for VisitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VisitError::DevTools { cmd, message } => write!(f, "DevTools {cmd} failed: {message}"),
            VisitError::TimedOut(what) => write!(f, "timed out waiting for {what}"),
            VisitError::Page(problem) => write!(f, "{problem}"),
        }
    }
}

/// Layout shifts and long tasks of one visit.
#[derive(Debug, Clone, PartialEq)]
pub struct HostCosts {
    /// Sum of the shift scores from the start of the module fetch on.
    pub cls: f64,
    /// The part of [`HostCosts::cls`] from shifts that moved only the widget's own content.
    pub cls_widget_sources: f64,
    /// Sum of the shift scores before the module fetch: the host page's own.
    pub cls_before_widget: f64,
    /// Long tasks that started after the module fetch began.
    pub long_tasks: usize,
    /// The longest of those, in ms; `None` when there was none.
    pub longest_task_ms: Option<f64>,
    /// Each of those: when it started, in ms after the module fetch began, and how long it took.
    pub task_times: Vec<(f64, f64)>,
    /// The shift scores from the module fetch on, by source element as `tag#id.class` (a shift
    /// counts once for each distinct source).
    pub by_source: BTreeMap<String, f64>,
}

/// The figures of one visit.
#[derive(Debug, Clone)]
pub struct Visit {
    /// Widget files fetched before the product widget was scrolled into view.
    pub before_visible: Vec<FetchedFile>,
    /// How far below the viewport the product widget's top edge was at load, in CSS px.
    pub below_fold_px: f64,
    /// The loader's state for the product widget just before the scroll.
    pub state_before_scroll: String,
    /// From `encore:module-ready` to the product widget's `encore:first-render`, in ms.
    pub first_render_ms: f64,
    /// From the start of the module fetch to the product widget's first render, in ms.
    pub load_to_render_ms: f64,
    /// `None` when the observers could not be installed.
    pub host: Option<HostCosts>,
    /// Widget files served from the cache instead of the network.
    pub cached: Vec<String>,
    /// How long the page took for [`CALIBRATION`]'s fixed work, in ms.
    pub calibration_ms: f64,
}

/// Sends a DevTools protocol command, naming it in the error.
pub async fn devtools(
    browser: &Browser,
    cmd: &'static str,
    params: Value,
) -> Result<Value, VisitError> {
    browser
        .cdp(cmd, params)
        .await
        .map_err(|e| VisitError::DevTools {
            cmd,
            message: e.to_string(),
        })
}

/// Loads the product page afresh with the CPU slowed `cpu_rate` times (1: not at all) and
/// measures it. Expects the cache to be disabled and the observers installed (see the binary).
pub async fn visit(shop: &DemoShop, cpu_rate: f64) -> Result<Visit, VisitError> {
    let browser = &shop.browser;
    start_afresh(shop).await?;
    // Set before the navigation so the whole load runs at this speed; the report's CPU check
    // shows whether it held across the navigation.
    devtools(
        browser,
        "Emulation.setCPUThrottlingRate",
        json!({ "rate": cpu_rate }),
    )
    .await?;
    shop.visit(PRODUCT_PAGE).await;
    wait(browser, "the page to load", LOADED, LOAD_LIMIT).await?;
    tokio::time::sleep(SETTLE_BEFORE_SCROLL).await;
    let snapshot: Snapshot = read(browser, SNAPSHOT).await?;
    browser.js(SCROLL_TO_WIDGET).await;
    wait(browser, "the widget's reviews", REVIEWS_SHOWN, RENDER_LIMIT).await?;
    tokio::time::sleep(SETTLE_AFTER_RENDER).await;
    let readout: Readout = read(browser, READOUT).await?;
    // Last, so its own long task falls outside the readout.
    let calibration: Calibration = read(browser, CALIBRATION).await?;
    Visit::from_parts(snapshot, readout, calibration.ms)
}

/// Leaves the page and forgets the origin's storage, so each visit starts as a first visit:
/// no queued results, no remembered referral landing.
async fn start_afresh(shop: &DemoShop) -> Result<(), VisitError> {
    // Off the origin first, so the old page's `pagehide` writes land before the clearing.
    shop.browser
        .client
        .goto("about:blank")
        .await
        .map_err(|e| VisitError::Page(format!("cannot leave the page: {e}")))?;
    devtools(
        &shop.browser,
        "Storage.clearDataForOrigin",
        json!({ "origin": shop.server.url, "storageTypes": "all" }),
    )
    .await?;
    Ok(())
}

/// Waits, in the page, until `condition` holds.
async fn wait(
    browser: &Browser,
    what: &'static str,
    condition: &str,
    limit: Duration,
) -> Result<(), VisitError> {
    match browser.js_async(&wait_for(condition, limit)).await {
        Value::Bool(true) => Ok(()),
        Value::Object(failure) if failure.contains_key("error") => Err(VisitError::Page(format!(
            "waiting for {what}: {}",
            failure["error"]
        ))),
        _ => Err(VisitError::TimedOut(what)),
    }
}

/// Runs `script` and reads its value as `T`.
async fn read<T: DeserializeOwned>(browser: &Browser, script: &str) -> Result<T, VisitError> {
    serde_json::from_value(browser.js(script).await)
        .map_err(|e| VisitError::Page(format!("unexpected readout from the page: {e}")))
}

impl Visit {
    /// Combines what the page handed back into the visit's figures.
    fn from_parts(
        snapshot: Snapshot,
        readout: Readout,
        calibration_ms: f64,
    ) -> Result<Visit, VisitError> {
        let problem = |text: &str| VisitError::Page(text.to_owned());
        let below_fold_px = snapshot
            .below_fold
            .ok_or_else(|| problem("the page has no encore-widget[mode=product]"))?;
        if readout.reviews_failed {
            return Err(problem("the widget could not load its reviews"));
        }
        let fetch_start = readout
            .module_fetch_start
            .ok_or_else(|| problem("the page never fetched the widget's module"))?;
        let ready = readout
            .module_ready
            .ok_or_else(|| problem("no encore:module-ready mark"))?;
        // The referral welcome stays empty without a landing, so the first render after the
        // module is ready is the product widget's.
        let first_render = readout
            .first_renders
            .iter()
            .copied()
            .find(|&t| t >= ready)
            .ok_or_else(|| problem("no encore:first-render mark after encore:module-ready"))?;
        Ok(Visit {
            before_visible: snapshot.files,
            below_fold_px,
            state_before_scroll: snapshot.state.unwrap_or_default(),
            first_render_ms: first_render - ready,
            load_to_render_ms: first_render - fetch_start,
            host: readout
                .observed
                .then(|| host_costs(&readout.shifts, &readout.tasks, fetch_start)),
            cached: readout.cached,
            calibration_ms,
        })
    }
}

/// Splits the shifts and long tasks at `widget_start`, when the module fetch began.
fn host_costs(shifts: &[Shift], tasks: &[LongTask], widget_start: f64) -> HostCosts {
    let (after, before): (Vec<&Shift>, Vec<&Shift>) =
        shifts.iter().partition(|s| s.start >= widget_start);
    let task_times: Vec<(f64, f64)> = tasks
        .iter()
        .filter(|t| t.start >= widget_start)
        .map(|t| (t.start - widget_start, t.duration))
        .collect();
    let mut by_source = BTreeMap::new();
    for shift in &after {
        // Several withheld nodes in one shift are one source, not several.
        let distinct: BTreeSet<&String> = shift.sources.iter().collect();
        for source in distinct {
            *by_source.entry(source.clone()).or_insert(0.0) += shift.value;
        }
    }
    HostCosts {
        cls: total(after.iter().map(|s| s.value)),
        cls_widget_sources: total(after.iter().filter(|s| s.widget).map(|s| s.value)),
        cls_before_widget: total(before.iter().map(|s| s.value)),
        long_tasks: task_times.len(),
        longest_task_ms: task_times.iter().map(|t| t.1).reduce(f64::max),
        task_times,
        by_source,
    }
}

/// The sum of `values`, 0 when there are none (`Iterator::sum` over floats gives -0 then).
fn total(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, |sum, value| sum + value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shift(start: f64, value: f64, widget: bool) -> Shift {
        let source = if widget { "encore-widget" } else { "footer" };
        Shift {
            start,
            value,
            sources: vec![source.into()],
            widget,
        }
    }

    #[test]
    fn costs_split_at_the_module_fetch() {
        let shifts = [
            shift(100.0, 0.05, false),
            shift(900.0, 0.02, true),
            shift(950.0, 0.01, false),
        ];
        let tasks = [
            LongTask {
                start: 50.0,
                duration: 300.0,
            },
            LongTask {
                start: 1000.0,
                duration: 70.0,
            },
            LongTask {
                start: 1200.0,
                duration: 55.0,
            },
        ];
        let costs = host_costs(&shifts, &tasks, 800.0);
        assert!((costs.cls - 0.03).abs() < 1e-9);
        assert!((costs.cls_widget_sources - 0.02).abs() < 1e-9);
        assert!((costs.cls_before_widget - 0.05).abs() < 1e-9);
        assert_eq!(costs.long_tasks, 2);
        assert_eq!(costs.longest_task_ms, Some(70.0));
        assert_eq!(
            costs.by_source.keys().collect::<Vec<_>>(),
            ["encore-widget", "footer"]
        );
        let none = host_costs(&[], &[], 0.0);
        assert_eq!(none.longest_task_ms, None);
        assert!(
            none.cls.is_sign_positive(),
            "an empty sum prints as 0, not -0"
        );
    }

    #[test]
    fn the_first_render_is_the_first_mark_after_the_module_is_ready() {
        let snapshot = Snapshot {
            files: vec![],
            below_fold: Some(900.0),
            state: Some("waiting".into()),
        };
        let readout = Readout {
            observed: false,
            module_fetch_start: Some(2000.0),
            module_ready: Some(2100.0),
            first_renders: vec![50.0, 2130.0, 2400.0],
            shifts: vec![],
            tasks: vec![],
            cached: vec![],
            reviews_failed: false,
        };
        let visit = Visit::from_parts(snapshot, readout, 20.0).expect("figures");
        assert_eq!(visit.first_render_ms, 30.0);
        assert_eq!(visit.load_to_render_ms, 130.0);
        assert!(visit.host.is_none());
    }
}

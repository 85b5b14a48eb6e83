//! The figures of many visits as the report's keys: medians, with notes on how each was taken
//! and `null` plus a reason wherever a figure is missing.

use super::probe::LOADER_MARGIN_PX;
use super::visit::{HostCosts, Visit};
use crate::stats::{median, round};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// Visits made under one CPU setting.
pub struct Group<'a> {
    /// Appended to each key (`""`, `"_throttled"`).
    pub suffix: &'a str,
    /// Names the group in notes, e.g. "4x CPU throttling".
    pub label: &'a str,
    /// The visits that gave figures.
    pub visits: &'a [Visit],
}

/// The report: bytes before visible from the first plain visit, then each group's costs.
pub fn report(plain: &Group, throttled: &Group, mut notes: Vec<String>) -> Value {
    let mut out = Map::new();
    before_visible(plain.visits.first(), &mut out, &mut notes);
    for group in [plain, throttled] {
        render_costs(group, &mut out, &mut notes);
        host_costs(group, &mut out, &mut notes);
    }
    notes.extend(cache_note(plain.visits.iter().chain(throttled.visits)));
    notes.extend(throttling_note(plain, throttled));
    out.insert("notes".into(), json!(notes));
    Value::Object(out)
}

/// `bytes_before_visible`, `files_before_visible` and how many of those are not the loader
/// (`widget_files_before_visible`), when the widget really was out of reach
/// of the loader at load.
fn before_visible(first: Option<&Visit>, out: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let Some(visit) = first else {
        out.insert("bytes_before_visible".into(), Value::Null);
        out.insert("files_before_visible".into(), Value::Null);
        out.insert("widget_files_before_visible".into(), Value::Null);
        notes.push("bytes_before_visible: no visit of the product page succeeded".into());
        return;
    };
    let files: Vec<&str> = visit
        .before_visible
        .iter()
        .map(|f| f.path.as_str())
        .collect();
    out.insert("files_before_visible".into(), json!(files));
    // The budget is "the loader only": any other widget file is one too many.
    let besides_loader = files.iter().filter(|f| !f.ends_with("/encore.js")).count();
    out.insert("widget_files_before_visible".into(), json!(besides_loader));
    if visit.below_fold_px <= LOADER_MARGIN_PX || visit.state_before_scroll != "waiting" {
        out.insert("bytes_before_visible".into(), Value::Null);
        notes.push(format!(
            "bytes_before_visible: the product widget was only {:.0} px below the fold (loader \
             state {:?}), within the loader's {LOADER_MARGIN_PX} px margin, so nothing is \
             fetched 'before visible'",
            visit.below_fold_px, visit.state_before_scroll
        ));
        return;
    }
    let bytes: u64 = visit.before_visible.iter().map(|f| f.bytes()).sum();
    let bodies: u64 = visit.before_visible.iter().map(|f| f.encoded).sum();
    let compressed = visit.before_visible.iter().any(|f| f.encoded < f.decoded);
    out.insert("bytes_before_visible".into(), json!(bytes));
    notes.push(format!(
        "bytes_before_visible: transfer sizes (headers included) of the /dist/ resource timing \
         entries 1.5 s after load, first visit, empty cache, with the product widget {:.0} px \
         below the fold of a 1280x800 window (loader state 'waiting'); bodies alone {bodies} \
         bytes, {}",
        visit.below_fold_px,
        if compressed {
            "served compressed"
        } else {
            "served uncompressed"
        }
    ));
}

/// First-render figures: medians and the per-visit values.
fn render_costs(group: &Group, out: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let first: Vec<f64> = group.visits.iter().map(|v| v.first_render_ms).collect();
    let load: Vec<f64> = group.visits.iter().map(|v| v.load_to_render_ms).collect();
    let runs: Vec<f64> = first.iter().map(|&ms| round(ms, 1)).collect();
    let first_median = median(&first).map(|ms| round(ms, 1));
    let load_median = median(&load).map(|ms| round(ms, 1));
    put(out, "first_render_ms", group, first_median);
    put(out, "load_to_render_ms", group, load_median);
    out.insert(format!("first_render_runs_ms{}", group.suffix), json!(runs));
    notes.push(if group.visits.is_empty() {
        format!("first render ({}): no visit succeeded", group.label)
    } else {
        format!(
            "first render ({}): median of {} fresh loads (storage cleared, cache disabled); \
             first_render_ms = encore:first-render - encore:module-ready, load_to_render_ms = \
             encore:first-render - start of the module's first fetch, scrolled into view \
             1.5 s after load",
            group.label,
            group.visits.len()
        )
    });
}

/// Layout shift and long-task figures over the visits that had the observers.
fn host_costs(group: &Group, out: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let costs: Vec<&HostCosts> = group
        .visits
        .iter()
        .filter_map(|v| v.host.as_ref())
        .collect();
    let of = |pick: fn(&HostCosts) -> f64| -> Vec<f64> { costs.iter().map(|c| pick(c)).collect() };
    let cls = median(&of(|c| c.cls)).map(|v| round(v, 4));
    let widget = median(&of(|c| c.cls_widget_sources)).map(|v| round(v, 4));
    let own = median(&of(|c| c.cls_before_widget)).map(|v| round(v, 4));
    let tasks = median(&of(|c| c.long_tasks as f64));
    let longest = costs
        .iter()
        .filter_map(|c| c.longest_task_ms)
        .reduce(f64::max)
        .map(|ms| round(ms, 1));
    put(out, "host_cls", group, cls);
    put(out, "host_cls_widget_sources", group, widget);
    put(out, "host_long_tasks", group, tasks);
    put(out, "longest_task_ms", group, longest);
    if costs.is_empty() {
        notes.push(format!(
            "layout shift and long tasks ({}): no visit had the PerformanceObservers installed",
            group.label
        ));
        return;
    }
    notes.push(format!(
        "layout shift and long tasks ({}): medians over {} visits of the entries from \
         observers installed with Page.addScriptToEvaluateOnNewDocument, counted from the start \
         of the module's first fetch through the reviews showing plus 2 s; host_cls sums \
         layout-shift values without recent input (not session windows), \
         host_cls_widget_sources those that moved only the widget's own nodes (the rest also \
         moved page elements); the host page's own shift before the fetch: {}; \
         longest_task_ms is the longest over all visits",
        group.label,
        costs.len(),
        own.map_or("unknown".into(), |v| v.to_string()),
    ));
    notes.extend(sources_note(group.label, &costs));
    notes.extend(tasks_note(group));
    if longest.is_none() {
        notes.push(format!(
            "longest_task_ms{}: no task over 50 ms after the module fetch began",
            group.suffix
        ));
    }
}

/// When each visit's long tasks ran beside the module's milestones, so that a long task can be
/// told apart as the module's instantiation, the first render or the reviews' arrival.
fn tasks_note(group: &Group) -> Option<String> {
    let ms = |t: f64| format!("{t:.0}");
    let visits: Vec<String> = group
        .visits
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let host = v.host.as_ref().filter(|h| !h.task_times.is_empty())?;
            let tasks: Vec<String> = host
                .task_times
                .iter()
                .map(|(start, duration)| format!("+{} ({} ms)", ms(*start), ms(*duration)))
                .collect();
            Some(format!(
                "visit {}: module ready +{}, first render +{}; long tasks {}",
                i + 1,
                ms(v.load_to_render_ms - v.first_render_ms),
                ms(v.load_to_render_ms),
                tasks.join(", ")
            ))
        })
        .collect();
    (!visits.is_empty()).then(|| {
        format!(
            "long tasks ({}), in ms after the module fetch began: {}",
            group.label,
            visits.join("; ")
        )
    })
}

/// Names the elements that moved after the module fetch began, with their mean score per
/// visit, largest first: whose layout the widget's arrival disturbed.
fn sources_note(label: &str, costs: &[&HostCosts]) -> Option<String> {
    let mut by_source: BTreeMap<&str, f64> = BTreeMap::new();
    for (source, value) in costs.iter().flat_map(|c| &c.by_source) {
        *by_source.entry(source).or_insert(0.0) += value / costs.len() as f64;
    }
    let mut ranked: Vec<(&str, f64)> = by_source.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: Vec<String> = ranked
        .iter()
        .take(6)
        .map(|(source, value)| format!("{source} {}", round(*value, 4)))
        .collect();
    (!listed.is_empty()).then(|| {
        format!(
            "layout shift after the module fetch by source ({label}; mean score per visit, a \
             shift counted once for each distinct source): {}",
            listed.join(", ")
        )
    })
}

/// Says whether the cache was really bypassed: any widget file with a zero transfer size.
fn cache_note<'a>(visits: impl Iterator<Item = &'a Visit>) -> Option<String> {
    let hit: Vec<&Visit> = visits.filter(|v| !v.cached.is_empty()).collect();
    let files: BTreeSet<&str> = hit
        .iter()
        .flat_map(|v| v.cached.iter().map(String::as_str))
        .collect();
    (!hit.is_empty()).then(|| {
        format!(
            "{} visits had widget files from the browser cache despite Network.setCacheDisabled \
             ({})",
            hit.len(),
            files.into_iter().collect::<Vec<_>>().join(", ")
        )
    })
}

/// Compares the fixed script work between the groups, showing whether throttling took hold.
fn throttling_note(plain: &Group, throttled: &Group) -> Option<String> {
    let time = |g: &Group| {
        median(
            &g.visits
                .iter()
                .map(|v| v.calibration_ms)
                .collect::<Vec<_>>(),
        )
    };
    let (plain_ms, throttled_ms) = (time(plain)?, time(throttled)?);
    Some(format!(
        "CPU check: a fixed script loop took {:.0} ms plain and {:.0} ms under {} (median, \
         ratio {:.1})",
        plain_ms,
        throttled_ms,
        throttled.label,
        throttled_ms / plain_ms
    ))
}

/// Inserts `key` plus the group's suffix, `null` when there is no figure.
fn put(out: &mut Map<String, Value>, key: &str, group: &Group, value: Option<f64>) {
    out.insert(format!("{key}{}", group.suffix), json!(value));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page_costs::probe::FetchedFile;

    fn visit(first_render_ms: f64, below_fold_px: f64) -> Visit {
        Visit {
            before_visible: vec![FetchedFile {
                path: "/dist/encore.js".into(),
                transfer: 2300,
                encoded: 2000,
                decoded: 2000,
            }],
            below_fold_px,
            state_before_scroll: "waiting".into(),
            first_render_ms,
            load_to_render_ms: first_render_ms + 100.0,
            host: Some(HostCosts {
                cls: 0.0,
                cls_widget_sources: 0.0,
                cls_before_widget: 0.01,
                long_tasks: 1,
                longest_task_ms: Some(80.0),
                task_times: vec![(150.0, 80.0)],
                by_source: BTreeMap::from([("footer.site-footer".into(), 0.02)]),
            }),
            cached: vec![],
            calibration_ms: 20.0,
        }
    }

    #[test]
    fn reports_medians_and_nulls_with_reasons() {
        let plain = [visit(30.0, 900.0), visit(10.0, 900.0), visit(20.0, 900.0)];
        let report = report(
            &Group {
                suffix: "",
                label: "plain",
                visits: &plain,
            },
            &Group {
                suffix: "_throttled",
                label: "4x",
                visits: &[],
            },
            vec![],
        );
        assert_eq!(report["bytes_before_visible"], 2300);
        assert_eq!(report["files_before_visible"], json!(["/dist/encore.js"]));
        assert_eq!(report["widget_files_before_visible"], 0);
        assert_eq!(report["first_render_ms"], 20.0);
        assert_eq!(report["first_render_runs_ms"], json!([30.0, 10.0, 20.0]));
        assert_eq!(report["host_long_tasks"], 1.0);
        assert_eq!(report["longest_task_ms"], 80.0);
        assert_eq!(report["first_render_ms_throttled"], Value::Null);
        assert_eq!(report["host_cls_throttled"], Value::Null);
        let notes = report["notes"].to_string();
        assert!(notes.contains("footer.site-footer 0.02"), "{notes}");
        // Visit 2: first render 10 ms after the module was ready, 110 ms after the fetch.
        assert!(
            notes
                .contains("visit 2: module ready +100, first render +110; long tasks +150 (80 ms)"),
            "{notes}"
        );
        assert!(
            notes.contains("first render (4x): no visit succeeded"),
            "{notes}"
        );
    }

    #[test]
    fn a_widget_near_the_fold_gives_no_bytes_before_visible() {
        let near = [visit(20.0, 120.0)];
        let none = Group {
            suffix: "_throttled",
            label: "4x",
            visits: &[],
        };
        let plain = Group {
            suffix: "",
            label: "plain",
            visits: &near,
        };
        let report = report(&plain, &none, vec![]);
        assert_eq!(report["bytes_before_visible"], Value::Null);
        assert!(report["notes"].to_string().contains("below the fold"));
    }
}

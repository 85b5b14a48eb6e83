//! The benchmark report: every figure with its budget, as `report.json` (flat keys a script can
//! read, `null` where a measurement could not run) and `report.md` (a table a person can read,
//! with the wasm's biggest contributors).

use crate::sizes::Compressed;
use serde_json::{Map, Value, json};

/// Loader budget, gzip bytes.
const LOADER_BUDGET: f64 = 2048.0;
/// Widget budget (module glue + wasm), gzip bytes.
const WIDGET_BUDGET: f64 = 150_000.0;

/// One measured figure and the goal it is held to.
#[derive(Clone)]
pub struct Figure {
    key: String,
    what: String,
    budget: Option<f64>,
    unit: &'static str,
    /// Whether the budget is a floor (throughput) rather than a ceiling.
    at_least: bool,
    value: Option<f64>,
}

impl Figure {
    /// A figure read from a measurement's JSON under `key`; `budget` is a ceiling.
    pub fn new(
        key: impl Into<String>,
        what: impl Into<String>,
        budget: Option<f64>,
        unit: &'static str,
    ) -> Figure {
        Figure {
            key: key.into(),
            what: what.into(),
            budget,
            unit,
            at_least: false,
            value: None,
        }
    }

    /// Makes the budget a floor.
    pub fn at_least(mut self) -> Figure {
        self.at_least = true;
        self
    }

    fn verdict(&self) -> &'static str {
        match (self.value, self.budget) {
            (None, _) => "not measured",
            (Some(_), None) => "",
            (Some(v), Some(b)) if (self.at_least && v >= b) || (!self.at_least && v <= b) => {
                "within"
            }
            (Some(_), Some(_)) => "OVER",
        }
    }
}

/// Everything `cargo xtask bench` found.
pub struct Report {
    machine: Value,
    figures: Vec<Figure>,
    notes: Vec<String>,
    /// Shallow wasm bytes by crate, largest first.
    pub wasm_by_crate: Vec<(String, u64)>,
    /// The measurement binaries' whole outputs.
    pub details: Value,
}

impl Report {
    /// An empty report for `machine`.
    pub fn new(machine: Value) -> Report {
        Report {
            machine,
            figures: Vec::new(),
            notes: Vec::new(),
            wasm_by_crate: Vec::new(),
            details: Value::Null,
        }
    }

    /// Adds a note (how a figure was taken, or why it is missing).
    pub fn note(&mut self, note: String) {
        self.notes.push(note);
    }

    /// Records the distributable's sizes: the loader, and each bundle (glue + wasm), the
    /// largest of which is `widget_*`, what the heaviest page pays.
    pub fn sizes(&mut self, loader: Compressed, bundles: &[(&'static str, Compressed)]) {
        let n = |v: u64| Some(v as f64);
        let mut push = |key: String, what: String, budget, value| {
            let mut f = Figure::new(key, what, budget, "B");
            f.value = value;
            self.figures.push(f);
        };
        push(
            "loader_gzip_bytes".into(),
            "dist/encore.js, gzip -9".into(),
            Some(LOADER_BUDGET),
            n(loader.gzip),
        );
        push(
            "loader_brotli_bytes".into(),
            "dist/encore.js, brotli 11".into(),
            None,
            n(loader.brotli),
        );
        let largest = bundles.iter().max_by_key(|(_, size)| size.gzip);
        push(
            "widget_gzip_bytes".into(),
            "the largest bundle (glue + wasm) a page loads, gzip -9".into(),
            Some(WIDGET_BUDGET),
            largest.and_then(|(_, s)| n(s.gzip)),
        );
        push(
            "widget_brotli_bytes".into(),
            "the same, brotli 11".into(),
            None,
            largest.and_then(|(_, s)| n(s.brotli)),
        );
        for (name, size) in bundles {
            push(
                format!("bundle_{name}_gzip_bytes"),
                format!("encore-{name}.js + encore-{name}_bg.wasm, gzip -9"),
                Some(WIDGET_BUDGET),
                n(size.gzip),
            );
        }
    }

    /// Records the store console's size: every file of `dist/console/`, gzip. Not a page's
    /// cost (no storefront loads it), so no budget; watched so it does not creep.
    pub fn console(&mut self, size: Compressed) {
        let mut f = Figure::new(
            "console_bundle_gzip_bytes",
            "dist/console/ (page, starter, styles, glue, wasm), each file gzip -9",
            None,
            "B",
        );
        f.value = Some(size.gzip as f64);
        self.figures.push(f);
    }

    /// Takes `figures` from one measurement's JSON; a missing or null key is noted with the
    /// measurement's own notes.
    pub fn take(&mut self, measured: &Value, figures: &[Figure]) {
        for figure in figures {
            let value = measured.get(&figure.key).and_then(Value::as_f64);
            if value.is_none() {
                self.notes.push(format!("{} was not measured", figure.key));
            }
            self.figures.push(Figure {
                value,
                ..figure.clone()
            });
        }
        if let Some(notes) = measured.get("notes").and_then(Value::as_array) {
            self.notes
                .extend(notes.iter().filter_map(Value::as_str).map(str::to_owned));
        }
    }

    /// `report.json`: the flat keys, then budgets, machine, breakdown, notes and details.
    pub fn json(&self) -> Value {
        let mut root = Map::new();
        let mut budgets = Map::new();
        for f in &self.figures {
            root.insert(f.key.clone(), f.value.map_or(Value::Null, |v| json!(v)));
            if let Some(b) = f.budget {
                let kind = if f.at_least { "min" } else { "max" };
                budgets.insert(f.key.clone(), json!({ kind: b, "verdict": f.verdict() }));
            }
        }
        root.insert("budgets".into(), Value::Object(budgets));
        root.insert("machine".into(), self.machine.clone());
        let by_crate: Vec<Value> = self
            .wasm_by_crate
            .iter()
            .map(|(name, bytes)| json!({ "crate": name, "bytes": bytes }))
            .collect();
        root.insert("wasm_by_crate".into(), Value::Array(by_crate));
        root.insert("notes".into(), json!(self.notes));
        root.insert("details".into(), self.details.clone());
        Value::Object(root)
    }

    /// `report.md`.
    pub fn markdown(&self) -> String {
        let mut md = String::from("# Encore benchmark report\n\n");
        md += &format!("Machine: {}\n\n", self.machine);
        md += "| figure | value | budget | verdict | what |\n|---|---:|---:|---|---|\n";
        for f in &self.figures {
            let value = f
                .value
                .map_or("—".into(), |v| format!("{} {}", number(v), f.unit));
            let budget = f.budget.map_or(String::new(), |b| {
                format!(
                    "{} {} {}",
                    if f.at_least { "≥" } else { "≤" },
                    number(b),
                    f.unit
                )
            });
            md += &format!(
                "| `{}` | {value} | {budget} | {} | {} |\n",
                f.key,
                f.verdict(),
                f.what
            );
        }
        if !self.wasm_by_crate.is_empty() {
            let total: u64 = self.wasm_by_crate.iter().map(|(_, b)| b).sum();
            md += "\n## The wasm by crate (uncompressed shallow bytes, twiggy)\n\n";
            md += "| crate | bytes | share |\n|---|---:|---:|\n";
            for (name, bytes) in self.wasm_by_crate.iter().take(20) {
                let share = 100.0 * *bytes as f64 / total.max(1) as f64;
                md += &format!("| {name} | {bytes} | {share:.1}% |\n");
            }
        }
        if !self.notes.is_empty() {
            md += "\n## Notes\n\n";
            for note in &self.notes {
                md += &format!("- {note}\n");
            }
        }
        md
    }
}

/// A figure as people read it: integers without decimals, small values with three.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.abs() < 10.0 {
        format!("{v:.3}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_bundle_is_a_figure_without_a_budget() {
        let mut report = Report::new(json!({ "cpus": 2 }));
        report.console(Compressed {
            raw: 500_000,
            gzip: 223_000,
            brotli: 180_000,
        });
        let json = report.json();
        assert_eq!(json["console_bundle_gzip_bytes"], json!(223_000.0));
        assert!(
            json["budgets"]
                .get("console_bundle_gzip_bytes")
                .is_none_or(Value::is_null)
        );
    }

    #[test]
    fn figures_are_compared_to_their_budgets() {
        let mut report = Report::new(json!({ "cpus": 2 }));
        let measured = json!({ "p99_ms": 120.0, "events_per_sec": 1500.0, "notes": ["n1"] });
        report.take(
            &measured,
            &[
                Figure::new("p99_ms", "p99", Some(100.0), "ms"),
                Figure::new("events_per_sec", "rate", Some(1000.0), "/s").at_least(),
                Figure::new("reviews_page_ms", "page", Some(50.0), "ms"),
            ],
        );
        let json = report.json();
        assert_eq!(json["p99_ms"], json!(120.0));
        assert_eq!(json["budgets"]["p99_ms"]["verdict"], "OVER");
        assert_eq!(json["budgets"]["events_per_sec"]["verdict"], "within");
        assert_eq!(json["reviews_page_ms"], Value::Null);
        let notes = json["notes"].as_array().cloned().unwrap_or_default();
        assert!(notes.contains(&json!("reviews_page_ms was not measured")));
        assert!(notes.contains(&json!("n1")));
        let md = report.markdown();
        assert!(
            md.contains("| `p99_ms` | 120 ms | ≤ 100 ms | OVER |"),
            "{md}"
        );
        assert!(
            md.contains("| `reviews_page_ms` | — | ≤ 50 ms | not measured |"),
            "{md}"
        );
    }
}

//! `page-costs`: what the widget costs the demo product page (bytes before visible, first
//! render, layout shift, long tasks; plain and under 4x CPU throttling), printed as one JSON
//! object on stdout, progress on stderr.
//!
//! Usage: `page-costs [--runs N] [--throttled-runs N]`, with the environment of the end-to-end
//! tests (ENCORE_SITE, ENCORE_SERVER_BIN, ENCORE_CONFIG_DIR, CHROMEDRIVER, CHROME_BIN).

use encore_bench::page_costs::probe::OBSERVERS;
use encore_bench::page_costs::summary::{Group, report};
use encore_bench::page_costs::visit::{Visit, devtools, visit};
use encore_e2e::server_cli;
use encore_e2e::shop::DemoShop;
use serde_json::json;
use std::time::Duration;

const USAGE: &str = "usage: page-costs [--runs N] [--throttled-runs N]";

/// How much the throttled visits slow the CPU down (DevTools' "4x slowdown", a mid-range phone).
const THROTTLING: f64 = 4.0;

/// A bound on one visit as a whole, over the page's own waits: WebDriver calls have none.
const VISIT_LIMIT: Duration = Duration::from_secs(90);

/// What the command line asks for.
#[derive(Debug, PartialEq)]
struct Options {
    /// Plain visits (the first-render median is over these).
    runs: usize,
    /// Visits under [`THROTTLING`].
    throttled_runs: usize,
}

impl Options {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
        let mut options = Options {
            runs: 10,
            throttled_runs: 3,
        };
        while let Some(flag) = args.next() {
            let slot = match flag.as_str() {
                "--runs" => &mut options.runs,
                "--throttled-runs" => &mut options.throttled_runs,
                other => return Err(format!("unknown argument {other:?}")),
            };
            *slot = args
                .next()
                .and_then(|n| n.parse().ok())
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("{flag} needs a whole number above 0"))?;
        }
        Ok(options)
    }
}

#[tokio::main]
async fn main() {
    let options = Options::parse(std::env::args().skip(1)).unwrap_or_else(|problem| {
        eprintln!("page-costs: {problem}\n{USAGE}");
        std::process::exit(2);
    });
    eprintln!("page-costs: starting the demo store and headless Chromium");
    let shop = DemoShop::open(&[]).await;
    seed_reviews(&shop);
    let mut notes = prepare_browser(&shop).await;

    let plain = visits(&shop, 1.0, options.runs, "plain", &mut notes).await;
    let throttled_label = format!("{THROTTLING}x CPU throttling");
    let throttled = visits(
        &shop,
        THROTTLING,
        options.throttled_runs,
        &throttled_label,
        &mut notes,
    )
    .await;
    let report = report(
        &Group {
            suffix: "",
            label: "plain",
            visits: &plain,
        },
        &Group {
            suffix: "_throttled",
            label: &throttled_label,
            visits: &throttled,
        },
        notes,
    );
    let DemoShop { browser, .. } = shop;
    browser.close().await;
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_else(|_| report.to_string())
    );
}

/// Publishes the demo reviews, as `cargo xtask demo` does, so the widget renders real reviews.
fn seed_reviews(shop: &DemoShop) {
    let config = shop.config.to_string_lossy();
    let db = shop.server.db.to_string_lossy();
    server_cli(&shop.env, &["demo-seed", "--config", &config, "--db", &db]);
}

/// Installs the observers before any page script and disables the HTTP cache, so every visit
/// fetches the widget afresh; returns notes on what could not be set up.
async fn prepare_browser(shop: &DemoShop) -> Vec<String> {
    let browser = &shop.browser;
    let mut notes = Vec::new();
    let steps = [
        (
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": OBSERVERS }),
        ),
        ("Network.enable", json!({})),
        ("Network.setCacheDisabled", json!({ "cacheDisabled": true })),
    ];
    for (cmd, params) in steps {
        if let Err(e) = devtools(browser, cmd, params).await {
            notes.push(format!("setup: {e}"));
        }
    }
    notes
}

/// Makes `runs` visits at `cpu_rate`, noting each one that failed.
async fn visits(
    shop: &DemoShop,
    cpu_rate: f64,
    runs: usize,
    label: &str,
    notes: &mut Vec<String>,
) -> Vec<Visit> {
    let mut done = Vec::new();
    for run in 1..=runs {
        eprintln!("page-costs: {label}, visit {run}/{runs}");
        match tokio::time::timeout(VISIT_LIMIT, visit(shop, cpu_rate)).await {
            Ok(Ok(figures)) => done.push(figures),
            Ok(Err(e)) => notes.push(format!("{label}, visit {run}: {e}")),
            Err(_) => notes.push(format!(
                "{label}, visit {run}: gave up after {VISIT_LIMIT:?}"
            )),
        }
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn parses_the_run_counts() {
        assert_eq!(
            parse(&[]),
            Ok(Options {
                runs: 10,
                throttled_runs: 3
            })
        );
        assert_eq!(
            parse(&["--runs", "12", "--throttled-runs", "5"]),
            Ok(Options {
                runs: 12,
                throttled_runs: 5
            })
        );
        assert!(parse(&["--runs"]).is_err());
        assert!(parse(&["--runs", "0"]).is_err());
        assert!(parse(&["--fast"]).is_err());
    }
}

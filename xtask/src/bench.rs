//! `cargo xtask bench`: builds the release distributable and server, measures what the widget
//! costs a store's page and what the server holds, and writes `target/bench/report.json` and
//! `target/bench/report.md` (also printed). Budgets are goals compared in the report, never
//! asserted: a figure over budget is a finding, not a failure.

use crate::report::{Figure, Report};
use crate::tools::Toolchain;
use crate::{run, sizes};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// The steps of the criterion benchmark `forged_codes` (server/benches), as the report names
/// them.
const CRITERION_STEPS: [(&str, &str); 3] = [
    (
        "verify_code",
        "criterion: checking a forged code's tag, mean",
    ),
    (
        "gate_admit",
        "criterion: the tag, then the limits on misses, mean",
    ),
    (
        "redeem_route",
        "criterion: a whole forged redemption through the router, mean",
    ),
];

/// The server's peak RSS under parallel photo bombs stays below this (MB): the idle server,
/// plus what the photo decoders may hold at once (docs/reviews.md, "Photos").
const PHOTO_BOMB_RSS_BOUND_MB: f64 = 256.0;

/// twiggy, for the wasm's size by crate; installed under `target/tools/cargo` when missing.
const TWIGGY: &str = "0.8.0";

/// Runs every measurement and writes the report.
pub fn run_all(root: &Path, quick: bool) -> Result<(), String> {
    let tools = Toolchain::ensure(root, true)?;
    let browser = tools.browser.as_ref().ok_or("no browser")?;
    let out = root.join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut report = Report::new(machine(browser));

    crate::dist::build(root, &tools)?;
    measure_sizes(root, &mut report)?;
    match wasm_by_crate(root, &tools, &out) {
        Ok(rows) => report.wasm_by_crate = rows,
        Err(e) => report.note(format!("no size breakdown by crate: {e}")),
    }

    run::status(run::cargo(root).args([
        "build",
        "--release",
        "--package",
        "encore-server",
        "--package",
        "encore-bench",
    ]))?;
    let release = root.join("target/release");
    let server = release.join(run::exe("encore-server"));
    let site = crate::site::assemble(root, false, &server)?;
    let env = [
        ("ENCORE_SITE", site.clone()),
        ("ENCORE_SERVER_BIN", server.clone()),
        ("ENCORE_CONFIG_DIR", root.join("server")),
        ("CHROMEDRIVER", browser.chromedriver.clone()),
        ("CHROME_BIN", browser.chromium.clone()),
    ];
    let bench_bin = |name: &str| {
        let mut cmd = Command::new(release.join(run::exe(name)));
        cmd.envs(env.iter().map(|(k, v)| (*k, v.as_os_str())));
        cmd
    };

    let runs = if quick { "3" } else { "10" };
    let seconds = if quick { "5" } else { "30" };
    let page = measured(
        &mut report,
        "page costs",
        bench_bin("page-costs").args(["--runs", runs]),
    );
    let load = measured(
        &mut report,
        "server load",
        bench_bin("server-load").args(["load", "--seconds", seconds]),
    );
    let burst = measured(
        &mut report,
        "server burst",
        bench_bin("server-load").args(["burst", "--seconds", seconds]),
    );
    let flood = measured(
        &mut report,
        "one-address flood",
        bench_bin("server-load").args(["flood", "--seconds", if quick { "5" } else { "20" }]),
    );
    let reviews = measured(
        &mut report,
        "reviews page",
        bench_bin("server-load").arg("reviews"),
    );
    let moderation = measured(
        &mut report,
        "moderation queue",
        bench_bin("server-load").arg("moderation"),
    );
    let forged = measured(
        &mut report,
        "forged codes",
        bench_bin("server-load").arg("forged"),
    );
    let photo_bomb = measured(
        &mut report,
        "photo bomb",
        bench_bin("server-load").arg("photo-bomb"),
    );
    let criterion = run::status(run::cargo(root).args([
        "bench",
        "--package",
        "encore-server",
        "--bench",
        "forged_codes",
    ]))
    .map(|()| criterion_means(&root.join("target/criterion/forged_codes")))
    .unwrap_or_else(|e| {
        report.note(format!("criterion benchmark did not run: {e}"));
        Value::Null
    });

    report.take(
        &page,
        &[
            Figure::new(
                "bytes_before_visible",
                "bytes (headers included, as served) the product page fetches from dist/ before the widget is near the viewport",
                None,
                "B",
            ),
            Figure::new(
                "widget_files_before_visible",
                "files besides the loader fetched before the widget is near the viewport (budget: the loader only)",
                Some(0.0),
                "",
            ),
            Figure::new(
                "first_render_ms",
                "module instantiated → first render of the product surface (median)",
                Some(50.0),
                "ms",
            ),
            Figure::new(
                "first_render_ms_throttled",
                "the same at 4× CPU throttling",
                Some(200.0),
                "ms",
            ),
            Figure::new(
                "host_cls",
                "layout shift on the product page after the widget starts loading",
                Some(0.0),
                "",
            ),
            Figure::new(
                "host_long_tasks",
                "long tasks (> 50 ms) after the widget starts loading",
                Some(0.0),
                "",
            ),
            Figure::new(
                "host_cls_throttled",
                "layout shift at 4× CPU throttling",
                Some(0.0),
                "",
            ),
            Figure::new(
                "host_long_tasks_throttled",
                "long tasks at 4× CPU throttling",
                Some(0.0),
                "",
            ),
        ],
    );
    report.take(
        &load,
        &[
            Figure::new(
                "events_per_sec",
                "events stored per second, 10-event batches over loopback",
                Some(1000.0),
                "/s",
            )
            .at_least(),
            Figure::new("p50_ms", "batch latency, median", None, "ms"),
            Figure::new(
                "p99_ms",
                "batch latency, 99th percentile",
                Some(100.0),
                "ms",
            ),
            Figure::new("cpus", "CPUs on this machine", None, ""),
        ],
    );
    report.take(
        &burst,
        &[
            Figure::new(
                "burst_offered_events_per_sec",
                "5× burst after the open steady load (`server-load burst`), offered",
                None,
                "/s",
            ),
            Figure::new("burst_2xx", "burst requests served (2xx)", None, ""),
            Figure::new(
                "burst_503",
                "burst requests shed, 503 + Retry-After",
                None,
                "",
            ),
            Figure::new(
                "burst_429",
                "burst requests shed, 429 + Retry-After",
                None,
                "",
            ),
            Figure::new(
                "burst_error_count",
                "burst requests without an allowed answer (timeouts, resets, other statuses)",
                Some(0.0),
                "",
            ),
        ],
    );
    report.take(
        &flood,
        &[
            Figure::new(
                "genuine_batch_p99_ms_during_flood",
                "shoppers' batches while one address floods (`server-load flood`), 99th percentile",
                Some(100.0),
                "ms",
            ),
            Figure::new(
                "genuine_503_during_flood",
                "shoppers' batches shed with 503 during that flood",
                Some(0.0),
                "",
            ),
        ],
    );
    report.take(
        &reviews,
        &[Figure::new(
            "reviews_page_ms",
            "GET reviews page with 10,000 reviews, 99th percentile",
            Some(50.0),
            "ms",
        )],
    );
    report.take(
        &moderation,
        &[Figure::new(
            "admin_queue_p99_ms",
            "GET /v1/admin/reviews over 100,000 reviews, worst filter combination's 99th percentile",
            Some(100.0),
            "ms",
        )],
    );
    report.take(
        &forged,
        &[Figure::new(
            "redeem_forged_p99_us",
            "rejecting a forged QR code, 99th percentile",
            Some(50.0),
            "µs",
        )],
    );
    report.take(
        &photo_bomb,
        &[
            Figure::new(
                "server_peak_rss_photo_bomb_mb",
                "server peak RSS after 20 parallel uploads of an 8000×5000 PNG bomb (`server-load photo-bomb`)",
                Some(PHOTO_BOMB_RSS_BOUND_MB),
                "MB",
            ),
            Figure::new(
                "server_peak_rss_photo_largest_mb",
                "server peak RSS after 20 more of the largest picture it accepts",
                Some(PHOTO_BOMB_RSS_BOUND_MB),
                "MB",
            ),
        ],
    );
    report.take(
        &criterion,
        &CRITERION_STEPS
            .map(|(step, what)| Figure::new(format!("forged_{step}_mean_ns"), what, None, "ns")),
    );
    report.details = json!({
        "page": page, "load": load, "burst": burst, "flood": flood, "reviews": reviews, "moderation": moderation, "forged": forged, "photo_bomb": photo_bomb, "criterion": criterion,
    });

    let json_path = out.join("report.json");
    let md_path = out.join("report.md");
    let markdown = report.markdown();
    std::fs::write(&json_path, report.json().to_string() + "\n")
        .and_then(|()| std::fs::write(&md_path, &markdown))
        .map_err(|e| format!("cannot write the report: {e}"))?;
    println!("{markdown}");
    eprintln!("report: {} and {}", md_path.display(), json_path.display());
    Ok(())
}

/// The machine the figures were taken on.
fn machine(browser: &crate::tools::Browser) -> Value {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let chromium =
        run::output(Command::new(&browser.chromium).arg("--version")).map(|v| v.trim().to_owned());
    let cpu_model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        });
    json!({ "cpus": cpus, "cpu": cpu_model, "chromium": chromium, "os": std::env::consts::OS })
}

/// Sizes of the loader and of each bundle (module glue + wasm), gzip and brotli.
fn measure_sizes(root: &Path, report: &mut Report) -> Result<(), String> {
    let dist = root.join("dist");
    let loader = sizes::compressed(&dist.join(crate::dist::LOADER))?;
    let mut bundles = Vec::new();
    for bundle in &crate::dist::BUNDLES {
        let size = sizes::compressed(&dist.join(bundle.js()))?
            + sizes::compressed(&dist.join(bundle.wasm()))?;
        bundles.push((bundle.name, size));
    }
    report.sizes(loader, &bundles);
    match crate::dist::console_size(&dist) {
        Ok(size) => report.console(size),
        Err(e) => report.note(format!("console_bundle_gzip_bytes was not measured: {e}")),
    }
    Ok(())
}

/// The product bundle's wasm by crate (shallow sizes), from a copy optimised like the shipped
/// one but keeping its function names (wasm-opt drops them by default).
fn wasm_by_crate(root: &Path, tools: &Toolchain, out: &Path) -> Result<Vec<(String, u64)>, String> {
    let twiggy = crate::tools::cargo_tool(root, "twiggy", "twiggy", TWIGGY)?;
    let product = crate::dist::BUNDLES
        .iter()
        .find(|b| b.name == "product")
        .ok_or("no product bundle")?;
    let named = out.join("encore-product.named.wasm");
    run::status(
        Command::new(&tools.wasm_opt)
            .args(["-Oz", "--debuginfo"])
            .arg(product.staged_wasm(root))
            .arg("-o")
            .arg(&named),
    )?;
    let csv = run::output(
        Command::new(&twiggy)
            .args(["top", "-n", "1000000", "--format", "csv"])
            .arg(&named),
    )
    .ok_or("twiggy top failed")?;
    let top = run::output(Command::new(&twiggy).args(["top", "-n", "25"]).arg(&named));
    if let Some(top) = top {
        let _ = std::fs::write(out.join("twiggy-top.txt"), top);
    }
    Ok(sizes::by_crate(&csv))
}

/// The mean of each criterion step in ns (`{group}/{step}/new/estimates.json`), keyed as the
/// report names it; a step without estimates is left out, and the report notes it.
fn criterion_means(group: &Path) -> Value {
    let mut means = serde_json::Map::new();
    for (step, _) in CRITERION_STEPS {
        let file = group.join(step).join("new/estimates.json");
        let mean = std::fs::read_to_string(&file)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|estimates| estimates["mean"]["point_estimate"].as_f64());
        if let Some(ns) = mean {
            means.insert(
                format!("forged_{step}_mean_ns"),
                json!((ns * 10.0).round() / 10.0),
            );
        }
    }
    Value::Object(means)
}

/// The JSON object that ends `text` (pretty-printed or not), after whatever else the
/// measurement's children printed.
fn last_object(text: &str) -> Option<Value> {
    text.match_indices('{')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || text[..i].ends_with('\n'))
        .filter_map(|i| serde_json::from_str::<Value>(&text[i..]).ok())
        .find(Value::is_object)
}

/// Runs one measurement binary and returns its JSON, or `null` with a note saying why not.
fn measured(report: &mut Report, what: &str, cmd: &mut Command) -> Value {
    eprintln!("\n== {what}\n$ {}", run::describe(cmd));
    match cmd.output() {
        Ok(out) => {
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8_lossy(&out.stdout);
            let parsed = last_object(&text);
            match (out.status.success(), parsed) {
                (true, Some(value)) => value,
                (_, _) => {
                    report.note(format!("{what}: the measurement failed ({})", out.status));
                    Value::Null
                }
            }
        }
        Err(e) => {
            report.note(format!("{what}: cannot run: {e}"));
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::last_object;
    use serde_json::json;

    #[test]
    fn the_object_after_other_output_is_read() {
        let text = "seeded 12 reviews\n{\n  \"a\": 1,\n  \"notes\": [\n    \"x\"\n  ]\n}\n";
        assert_eq!(last_object(text), Some(json!({ "a": 1, "notes": ["x"] })));
        assert_eq!(last_object("{\"b\": 2}"), Some(json!({ "b": 2 })));
        assert_eq!(last_object("no json here\n\"a string\"\n"), None);
    }

    #[test]
    fn criterion_means_are_read_from_its_estimates() {
        let group = std::env::temp_dir().join(format!("xtask-criterion-{}", std::process::id()));
        let step = group.join("verify_code/new");
        std::fs::create_dir_all(&step).expect("temp dir");
        std::fs::write(
            step.join("estimates.json"),
            r#"{"mean":{"point_estimate":983.27,"standard_error":8.7},"median":{}}"#,
        )
        .expect("write");
        let means = super::criterion_means(&group);
        let _ = std::fs::remove_dir_all(&group);
        assert_eq!(means, json!({ "forged_verify_code_mean_ns": 983.3 }));
    }
}

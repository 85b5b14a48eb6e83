//! `cargo xtask test`: formatting, clippy, host tests, browser tests (wasm-bindgen-test in
//! headless Chromium) and end-to-end tests (WebDriver against the real server), with one
//! closing line the CI reads.

use crate::run;
use crate::tools::Toolchain;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    failed_steps: Vec<String>,
}

impl Tally {
    /// Runs a check that has no test counts (formatting, clippy, builds).
    fn check(&mut self, name: &str, cmd: &mut Command) -> bool {
        eprintln!("\n== {name}");
        match run::status(cmd) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("{e}");
                self.failed += 1;
                self.failed_steps.push(name.to_owned());
                false
            }
        }
    }

    /// Runs a test command, echoing its output and adding up its `test result:` lines.
    fn tests(&mut self, name: &str, cmd: &mut Command) {
        eprintln!("\n== {name}\n$ {}", run::describe(cmd));
        let (mut passed, mut failed) = (0, 0);
        let status = cmd.stdout(Stdio::piped()).spawn().and_then(|mut child| {
            if let Some(out) = child.stdout.take() {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    println!("{line}");
                    if let Some((p, f)) = parse_result_line(&line) {
                        passed += p;
                        failed += f;
                    }
                }
            }
            child.wait()
        });
        let ok = matches!(status, Ok(s) if s.success());
        if !ok && failed == 0 {
            // It failed before any test could report (a build error, a crash): count it.
            failed = 1;
        }
        self.passed += passed;
        self.failed += failed;
        if !ok {
            self.failed_steps.push(name.to_owned());
        }
    }
}

/// Reads `test result: ok. 12 passed; 0 failed; ...` into (passed, failed).
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = &line[line.find("test result:")?..];
    let count = |word: &str| {
        rest.split(';').find_map(|part| {
            part.trim()
                .strip_suffix(word)?
                .split_whitespace()
                .last()?
                .parse::<u64>()
                .ok()
        })
    };
    Some((count(" passed")?, count(" failed")?))
}

/// What `cargo xtask test` runs beyond the default.
#[derive(Clone, Copy, Default)]
pub struct Options {
    /// `--long`: also the tests marked `#[ignore = "long: ..."]` (minute-long loads, fault
    /// scenarios with real waiting, fuzzing runs).
    pub long: bool,
}

impl Options {
    /// Reads `--long` from the command's arguments.
    pub fn from_args(args: &[String]) -> Options {
        Options {
            long: args.iter().any(|a| a == "--long"),
        }
    }

    /// The test binaries' own arguments: with `--long`, ignored (long) tests run too.
    fn harness_args(self) -> &'static [&'static str] {
        if self.long {
            &["--include-ignored"]
        } else {
            &[]
        }
    }
}

/// Runs everything; fails if any step failed.
pub fn run_all(root: &Path, options: Options) -> Result<(), String> {
    let tools = Toolchain::ensure(root, true)?;
    let browser = tools.browser.as_ref().ok_or("no browser")?;
    let wasm = "wasm32-unknown-unknown";
    let mut tally = Tally::default();

    tally.check(
        "formatting",
        run::cargo(root).args(["fmt", "--all", "--", "--check"]),
    );
    tally.check(
        "clippy (host)",
        run::cargo(root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    );
    tally.check(
        "clippy (wasm)",
        run::cargo(root).args([
            "clippy",
            "-p",
            "encore",
            "-p",
            "encore-console",
            "--all-targets",
            "--target",
            wasm,
            "--",
            "-D",
            "warnings",
        ]),
    );
    let mut host_tests = run::cargo(root);
    host_tests
        .args(["test", "--workspace", "--exclude", "encore-e2e", "--"])
        .args(options.harness_args());
    if options.long {
        // The long load test (bench/tests/server_load.rs) needs an optimised server: a debug
        // build cannot hold its rate. Without one it fails saying so.
        match crate::site::build_server(root, true) {
            Ok(server) => {
                host_tests.env("ENCORE_SERVER_BIN", server);
            }
            Err(e) => eprintln!("no release server for the long load test: {e}"),
        }
    }
    tally.tests("host tests", &mut host_tests);
    tally.tests(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        run::cargo(root)
            .args(["test", "-p", "encore", "--target", wasm])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                &tools.test_runner,
            )
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    );
    tally.tests(
        "console browser tests (wasm-bindgen-test, headless Chromium)",
        run::cargo(root)
            .args(["test", "-p", "encore-console", "--target", wasm])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                &tools.test_runner,
            )
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    );

    match e2e_command(root, &tools, &[], options) {
        Ok(mut cmd) => tally.tests(
            "end-to-end tests (WebDriver, real server, SQLite)",
            &mut cmd,
        ),
        Err(e) => {
            eprintln!("{e}");
            tally.failed += 1;
            tally.failed_steps.push("build for end-to-end tests".into());
        }
    }

    if options.long {
        fuzz(root, &mut tally);
    }

    println!();
    if !tally.failed_steps.is_empty() {
        println!("failed steps: {}", tally.failed_steps.join(", "));
    }
    println!("summary: {} passed, {} failed", tally.passed, tally.failed);
    if tally.failed_steps.is_empty() {
        Ok(())
    } else {
        Err("some checks failed".into())
    }
}

/// cargo-fuzz, pinned like the other tools.
const CARGO_FUZZ: &str = "0.13.2";
/// How long `--long` fuzzes each target.
const FUZZ_SECONDS: u32 = 60;

/// Runs each libFuzzer target in `fuzz/` (a workspace of its own) for [`FUZZ_SECONDS`]; a
/// crash fails the step and leaves its input under `fuzz/artifacts/`. cargo-fuzz passes
/// nightly compiler flags, which this machine's one (stable) toolchain accepts under
/// `RUSTC_BOOTSTRAP=1`.
fn fuzz(root: &Path, tally: &mut Tally) {
    let fuzz = |cargo_fuzz: &Path| {
        let mut cmd = Command::new(cargo_fuzz);
        cmd.current_dir(root)
            .args(["fuzz"])
            .env("RUSTC_BOOTSTRAP", "1");
        cmd
    };
    let targets =
        crate::tools::cargo_tool(root, "cargo-fuzz", "cargo-fuzz", CARGO_FUZZ).and_then(|bin| {
            let list = run::output(fuzz(&bin).args(["list", "--fuzz-dir", "fuzz"]))
                .ok_or("`cargo fuzz list` failed")?;
            Ok((bin, list))
        });
    let (bin, list) = match targets {
        Ok(found) => found,
        Err(e) => {
            eprintln!("{e}");
            tally.failed += 1;
            tally.failed_steps.push("fuzzing".into());
            return;
        }
    };
    for target in list.split_whitespace() {
        tally.check(
            &format!("fuzzing {target} ({FUZZ_SECONDS} s)"),
            fuzz(&bin)
                .args(["run", "--fuzz-dir", "fuzz", target, "--"])
                .arg(format!("-max_total_time={FUZZ_SECONDS}")),
        );
    }
}

/// `cargo xtask e2e [cargo test arguments]`: builds what the end-to-end tests need and runs
/// only them, passing the arguments on (`--test faults`, a name filter), for working on one.
pub fn run_e2e(root: &Path, args: &[String], options: Options) -> Result<(), String> {
    let tools = Toolchain::ensure(root, true)?;
    let args: Vec<String> = args.iter().filter(|a| *a != "--long").cloned().collect();
    run::status(&mut e2e_command(root, &tools, &args, options)?)
}

/// Builds the distributable, the server and the site, and returns the end-to-end test command
/// with the environment the harness reads (`encore_e2e::Env`).
fn e2e_command(
    root: &Path,
    tools: &Toolchain,
    cargo_args: &[String],
    options: Options,
) -> Result<Command, String> {
    let browser = tools.browser.as_ref().ok_or("no browser")?;
    crate::dist::build(root, tools)?;
    let server = crate::site::build_server(root, false)?;
    let site = crate::site::assemble(root, true, &server)?;
    let mut cmd = run::cargo(root);
    cmd.args(["test", "-p", "encore-e2e"])
        .args(cargo_args)
        .args(["--", "--test-threads=1"])
        .args(options.harness_args())
        .env("ENCORE_SITE", &site)
        .env("ENCORE_SERVER_BIN", &server)
        .env("ENCORE_CONFIG_DIR", root.join("server"))
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("CHROME_BIN", &browser.chromium)
        .env("AXE_CORE_JS", &browser.axe);
    Ok(cmd)
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn result_lines_are_read() {
        let line = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(parse_result_line(line), Some((12, 0)));
        let line = "test result: FAILED. 3 passed; 2 failed; 0 ignored";
        assert_eq!(parse_result_line(line), Some((3, 2)));
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}

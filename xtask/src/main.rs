//! `cargo xtask`: the project's build, demo and test commands (the matklad xtask pattern).
//!
//! Every command first installs what a fresh machine lacks, so the README's two commands
//! work from a clean clone.

mod bench;
mod dist;
#[cfg(test)]
mod module_graph;
mod report;
mod run;
mod site;
mod sizes;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup   install the wasm target, wasm-bindgen-cli, wasm-opt, Chromium and ChromeDriver
  dist    build the distributable into dist/ (loader, module, wasm)
  demo    build, then serve the demo storefront and the reference server on 127.0.0.1:8080
  test    run every check: formatting, clippy, host tests, browser tests, end-to-end tests
          (--long: also the long tests: minute-long loads, fault scenarios, fuzzing)
  e2e     build and run only the end-to-end tests; further arguments go to `cargo test`
          (e.g. `cargo xtask e2e --test storefront`)
  bench   measure sizes, page costs and server throughput into target/bench/report.{md,json}
          (--quick: fewer runs and a 5 s load, for trying the command out)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::Toolchain::ensure(&root, true).map(|_| ()),
        Some("dist") => tools::Toolchain::ensure(&root, false).and_then(|t| dist::build(&root, &t)),
        Some("demo") => site::demo(&root),
        Some("test") => test::run_all(&root, test::Options::from_args(&args)),
        Some("e2e") => test::run_e2e(&root, &args[1..], test::Options::from_args(&args)),
        Some("bench") => bench::run_all(&root, args.iter().any(|a| a == "--quick")),
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

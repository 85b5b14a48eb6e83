//! Finding, and installing when missing, the tools the build and tests need: the wasm32
//! target, wasm-bindgen-cli at the version in Cargo.lock, wasm-opt from the npm package
//! `binaryen`, the JavaScript minifier from the npm package `terser`, Debian's Chromium and
//! ChromeDriver, and for the accessibility tests the npm package `axe-core`.

use crate::run;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The binaryen release whose wasm-opt understands current rustc output (Debian's is too old).
const BINARYEN: &str = "binaryen@132";
/// The accessibility engine the end-to-end tests inject into each demo page (pinned so a
/// rule added upstream cannot fail a build that changed nothing).
const AXE_CORE: &str = "axe-core@4.11.0";
/// The minifier of wasm-bindgen's glue (pinned so the shipped bundles, and their hashes, do
/// not change with an upstream release).
const TERSER: &str = "terser@5.51.4";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Paths of the tools, all checked to be present.
pub struct Toolchain {
    /// `wasm-bindgen` at the locked version.
    pub wasm_bindgen: PathBuf,
    /// `wasm-bindgen-test-runner` at the locked version.
    pub test_runner: PathBuf,
    /// `wasm-opt` from binaryen.
    pub wasm_opt: PathBuf,
    /// `terser`, the JavaScript minifier.
    pub terser: PathBuf,
    /// Chromium and ChromeDriver, when asked for.
    pub browser: Option<Browser>,
}

/// A headless browser and its WebDriver server.
pub struct Browser {
    /// The Chromium binary.
    pub chromium: PathBuf,
    /// The ChromeDriver binary.
    pub chromedriver: PathBuf,
    /// `axe.min.js` from axe-core, for the accessibility tests to inject.
    pub axe: PathBuf,
}

impl Toolchain {
    /// Finds every tool, installing what is missing; `browsers` adds Chromium and ChromeDriver.
    pub fn ensure(root: &Path, browsers: bool) -> Result<Toolchain, String> {
        ensure_wasm_target()?;
        let (wasm_bindgen, test_runner) = ensure_wasm_bindgen(root)?;
        let wasm_opt = ensure_wasm_opt(root)?;
        let terser = ensure_terser(root)?;
        let browser = if browsers {
            let axe = ensure_axe(root)?;
            Some(ensure_browser(axe)?)
        } else {
            None
        };
        Ok(Toolchain {
            wasm_bindgen,
            test_runner,
            wasm_opt,
            terser,
            browser,
        })
    }
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = run::output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == WASM_TARGET) => Ok(()),
        Some(_) => run::status(Command::new("rustup").args(["target", "add", WASM_TARGET])),
        None => Err(format!("rustup is needed to add the {WASM_TARGET} target")),
    }
}

/// The version of `package` recorded in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default();
    home.join("bin").join(name)
}

fn ensure_wasm_bindgen(root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let version = locked_version(root, "wasm-bindgen")?;
    let bindgen = cargo_bin("wasm-bindgen");
    let runner = cargo_bin("wasm-bindgen-test-runner");
    let current = run::output(Command::new(&bindgen).arg("--version")).unwrap_or_default();
    if current.split_whitespace().nth(1) != Some(version.as_str()) || !runner.exists() {
        // No --locked: the CLI's own lock file pins versions that may not build here.
        run::status(run::cargo(root).args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &version,
            "--force",
        ]))?;
    }
    Ok((bindgen, runner))
}

fn ensure_wasm_opt(root: &Path) -> Result<PathBuf, String> {
    let bin = root.join("target/tools/node_modules/.bin/wasm-opt");
    if run::output(Command::new(&bin).arg("--version")).is_none() {
        npm_install(root)?;
    }
    Ok(bin)
}

fn ensure_axe(root: &Path) -> Result<PathBuf, String> {
    let package = ensure_npm_package(root, AXE_CORE)?;
    Ok(package.join("axe.min.js"))
}

fn ensure_terser(root: &Path) -> Result<PathBuf, String> {
    ensure_npm_package(root, TERSER)?;
    Ok(root.join("target/tools/node_modules/.bin/terser"))
}

/// The folder of the npm package `spec` (`name@version`), installed unless that version is.
fn ensure_npm_package(root: &Path, spec: &str) -> Result<PathBuf, String> {
    let (name, wanted) = spec.rsplit_once('@').unwrap_or((spec, ""));
    let package = root.join("target/tools/node_modules").join(name);
    let installed = std::fs::read_to_string(package.join("package.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|json| json["version"].as_str().map(str::to_owned));
    if installed.as_deref() != Some(wanted) {
        npm_install(root)?;
    }
    Ok(package)
}

/// Installs every npm package the build and tests use into `target/tools`, together: npm
/// removes from a prefix whatever a later `install` does not name again.
fn npm_install(root: &Path) -> Result<(), String> {
    let prefix = root.join("target/tools");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run::status(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                "--prefix",
            ])
            .arg(&prefix)
            .args([BINARYEN, TERSER, AXE_CORE]),
    )
    .map_err(|e| {
        format!(
            "{e}\nwasm-opt comes from the npm package {BINARYEN}, the minifier from {TERSER} \
             and the accessibility engine from {AXE_CORE}: install Node.js and npm"
        )
    })
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn find_browser(axe: &Path) -> Option<Browser> {
    let chromium = std::env::var_os("CHROME_BIN")
        .map(PathBuf::from)
        .or_else(|| which("chromium"))?;
    let chromedriver = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| which("chromedriver"))?;
    Some(Browser {
        chromium,
        chromedriver,
        axe: axe.to_path_buf(),
    })
}

fn ensure_browser(axe: PathBuf) -> Result<Browser, String> {
    if let Some(found) = find_browser(&axe) {
        return Ok(found);
    }
    let is_root = run::output(Command::new("id").arg("-u")).is_some_and(|id| id.trim() == "0");
    if !is_root {
        return Err("Chromium and ChromeDriver are needed for the browser tests. Install them, e.g. \
                    `sudo apt-get install chromium chromium-driver`, or set CHROME_BIN and CHROMEDRIVER."
            .into());
    }
    run::status(Command::new("apt-get").arg("update").arg("-qq"))?;
    run::status(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    find_browser(&axe)
        .ok_or_else(|| "chromium and chromedriver are still missing after apt-get install".into())
}

/// A cargo-installed tool (`twiggy`, `cargo-fuzz`) under `target/tools/cargo/bin`, installed at
/// `version` when missing, so the machine's own `~/.cargo` is left alone.
pub fn cargo_tool(root: &Path, krate: &str, bin: &str, version: &str) -> Result<PathBuf, String> {
    let prefix = root.join("target/tools/cargo");
    let path = prefix.join("bin").join(run::exe(bin));
    let installed =
        run::output(Command::new(&path).arg("--version")).is_some_and(|v| v.contains(version));
    if !installed {
        run::status(
            run::cargo(root)
                .args(["install", krate, "--locked", "--version", version, "--root"])
                .arg(&prefix),
        )?;
    }
    Ok(path)
}

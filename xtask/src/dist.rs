//! Building the distributable: the widget in release for wasm32, once per bundle, each through
//! wasm-bindgen `--target web` and `wasm-opt -Oz`, its JavaScript glue minified by terser,
//! plus the hand-written loader, into `dist/`.
//!
//! A bundle is the widget built with the surfaces one kind of page shows (the crate's
//! features), so a product page does not download the review form, the QR landing or the
//! referral panel. The loader (`www/encore.js`, `B`) maps each `mode` to its bundle; the two
//! tables must agree, which `loader_maps_every_mode_to_a_bundle_that_has_it` checks.
//!
//! The store console (`console/`, package `encore-console`) is built the same way into
//! `dist/console/`, next to its static page, starter script and style sheet (`console/www/`).
//! The storefront's loader never loads it, so it is outside the manifest.
//!
//! Integrity: `dist/manifest.json` holds the SRI hash (SHA-256) of each bundle's `.js` and
//! `_bg.wasm`, and the loader copied into `dist/` carries the manifest's own hash in place of
//! [`MANIFEST_PLACEHOLDER`]; the loader fetches every file against its hash, so an altered file
//! is refused by the browser before it runs. A store that pins `encore.js` itself (`<script
//! integrity>`, with the hash `cargo xtask dist` prints) pins the whole chain.

use crate::run;
use crate::tools::Toolchain;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A bundle: its name (files `encore-{name}.js` and `encore-{name}_bg.wasm`), the crate
/// features it is built with, and the modes the loader sends to it.
pub struct Bundle {
    /// The file stem after `encore-`.
    pub name: &'static str,
    /// Features of the `encore` crate.
    pub features: &'static [&'static str],
    /// The `mode` values the loader loads this bundle for.
    pub modes: &'static [&'static str],
}

/// Every bundle. The friend's welcome sits above a product, so it rides with the product page.
pub const BUNDLES: [Bundle; 4] = [
    Bundle {
        name: "product",
        features: &["reviews", "offers", "referral-welcome"],
        modes: &["product", "referral-welcome"],
    },
    Bundle {
        name: "review",
        features: &["review-form"],
        modes: &["review"],
    },
    Bundle {
        name: "scan",
        features: &["surprise"],
        modes: &["scan"],
    },
    Bundle {
        name: "order",
        features: &["offers", "referral", "surprise"],
        modes: &["thank-you", "offers", "referral"],
    },
];

/// The loader: hand-written, copied without its whole-line comments and indentation.
pub const LOADER: &str = "encore.js";

/// The manifest of the bundles' hashes.
pub const MANIFEST: &str = "manifest.json";

/// What the loader in `www/` has where `dist/` puts the manifest's hash. An integrity value
/// without a known algorithm checks nothing, so the unbuilt loader still runs.
pub const MANIFEST_PLACEHOLDER: &str = "__ENCORE_MANIFEST__";

impl Bundle {
    /// The module's glue, `encore-{name}.js`.
    pub fn js(&self) -> String {
        format!("encore-{}.js", self.name)
    }

    /// The module's wasm, `encore-{name}_bg.wasm`.
    pub fn wasm(&self) -> String {
        format!("encore-{}_bg.wasm", self.name)
    }

    /// wasm-bindgen's output for this bundle, before wasm-opt (names kept).
    pub fn staged_wasm(&self, root: &Path) -> PathBuf {
        staging(root).join(self.wasm())
    }
}

fn staging(root: &Path) -> PathBuf {
    root.join("target/wasm-bindgen")
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (a worktree sharing a build
/// directory), else `target/` in the workspace.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"))
}

/// The console's directory in `dist/`.
pub const CONSOLE_DIR: &str = "console";
/// The console's hand-written files, copied from `console/www/`.
pub const CONSOLE_STATIC: [&str; 3] = ["index.html", "console.js", "console.css"];
/// wasm-bindgen's output names for the console.
pub const CONSOLE_STEM: &str = "encore_console";

/// Builds `dist/` from source and prints each file's size, gzipped and brotli-compressed.
pub fn build(root: &Path, tools: &Toolchain) -> Result<(), String> {
    let dist = root.join("dist");
    if dist.exists() {
        // Files of bundles that no longer exist must not linger.
        std::fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear dist/: {e}"))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create dist/: {e}"))?;
    for bundle in &BUNDLES {
        build_bundle(root, tools, bundle, &dist)?;
    }
    let manifest = manifest(&dist)?;
    write(&dist.join(MANIFEST), manifest.as_bytes())?;
    let source = root.join("www").join(LOADER);
    let loader = std::fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let loader = shipped_loader(&loader, &sri(manifest.as_bytes()))?;
    write(&dist.join(LOADER), loader.as_bytes())?;
    print_size(&dist, LOADER, "the loader")?;
    eprintln!(
        "dist/{LOADER} integrity: {}  (for <script integrity>; changes with every build)",
        sri(loader.as_bytes())
    );
    for bundle in &BUNDLES {
        let modes = bundle.modes.join(", ");
        print_size(&dist, &bundle.js(), &modes)?;
        print_size(&dist, &bundle.wasm(), &modes)?;
    }
    build_console(root, tools, &dist)?;
    for file in console_files() {
        print_size(&dist, &format!("{CONSOLE_DIR}/{file}"), "the store console")?;
    }
    let total = console_size(&dist)?;
    eprintln!(
        "dist/{CONSOLE_DIR}/ in all: {} bytes, {} gzip, {} brotli  (the store console)",
        total.raw, total.gzip, total.brotli
    );
    Ok(())
}

/// Every file of `dist/console/`.
pub fn console_files() -> Vec<String> {
    let mut files: Vec<String> = CONSOLE_STATIC.iter().map(|f| (*f).to_owned()).collect();
    files.push(format!("{CONSOLE_STEM}.js"));
    files.push(format!("{CONSOLE_STEM}_bg.wasm"));
    files
}

/// What a browser downloads to open the console: every file of `dist/console/`, compressed
/// one by one as a server would.
pub fn console_size(dist: &Path) -> Result<crate::sizes::Compressed, String> {
    let mut total = crate::sizes::Compressed {
        raw: 0,
        gzip: 0,
        brotli: 0,
    };
    for file in console_files() {
        total = total + crate::sizes::compressed(&dist.join(CONSOLE_DIR).join(file))?;
    }
    Ok(total)
}

/// Builds the console into `dist/console/`: the same profile, wasm-bindgen, wasm-opt and
/// terser as the widget's bundles, and its static files.
fn build_console(root: &Path, tools: &Toolchain, dist: &Path) -> Result<(), String> {
    let out = dist.join(CONSOLE_DIR);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    run::status(run::cargo(root).args([
        "build",
        "--package",
        "encore-console",
        "--lib",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let raw = target_dir(root).join(format!(
        "wasm32-unknown-unknown/wasm-release/{CONSOLE_STEM}.wasm"
    ));
    let staged = staging(root).join(CONSOLE_DIR);
    run::status(
        Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                CONSOLE_STEM,
                "--out-dir",
            ])
            .arg(&staged)
            .arg(&raw),
    )?;
    run::status(
        Command::new(&tools.wasm_opt)
            .arg("-Oz")
            .arg(staged.join(format!("{CONSOLE_STEM}_bg.wasm")))
            .arg("-o")
            .arg(out.join(format!("{CONSOLE_STEM}_bg.wasm"))),
    )?;
    run::status(
        Command::new(&tools.terser)
            .arg(staged.join(format!("{CONSOLE_STEM}.js")))
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(out.join(format!("{CONSOLE_STEM}.js"))),
    )?;
    for file in CONSOLE_STATIC {
        let from = root.join("console/www").join(file);
        std::fs::copy(&from, out.join(file))
            .map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    Ok(())
}

/// The SRI value (`sha256-` and the base64 digest) of `bytes`.
pub fn sri(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `manifest.json` for the bundles built into `dist`: `{bundle: {"js": sri, "wasm": sri}}`.
pub fn manifest(dist: &Path) -> Result<String, String> {
    let mut bundles = serde_json::Map::new();
    for bundle in &BUNDLES {
        let hash = |file: String| {
            let path = dist.join(&file);
            std::fs::read(&path)
                .map(|bytes| sri(&bytes))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        bundles.insert(
            bundle.name.to_owned(),
            serde_json::json!({ "js": hash(bundle.js())?, "wasm": hash(bundle.wasm())? }),
        );
    }
    serde_json::to_string_pretty(&serde_json::Value::Object(bundles)).map_err(|e| e.to_string())
}

/// The loader as shipped: whole-line `//` comments and indentation dropped (they cost a
/// tenth of its gzip budget), the manifest's hash in place of the placeholder.
pub fn shipped_loader(source: &str, manifest_sri: &str) -> Result<String, String> {
    if !source.contains(MANIFEST_PLACEHOLDER) {
        return Err(format!("the loader has no {MANIFEST_PLACEHOLDER}"));
    }
    let mut out = String::with_capacity(source.len());
    for (n, line) in source.lines().enumerate() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        // A line-wise edit is only safe while no string spans lines.
        if line.matches('`').count() % 2 == 1 {
            return Err(format!(
                "{LOADER} line {}: a template literal spans lines",
                n + 1
            ));
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out.replace(MANIFEST_PLACEHOLDER, manifest_sri))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn print_size(dist: &Path, file: &str, what: &str) -> Result<(), String> {
    let size = crate::sizes::compressed(&dist.join(file))?;
    eprintln!(
        "dist/{file:<34} {:>8} bytes, {:>7} gzip, {:>7} brotli  ({what})",
        size.raw, size.gzip, size.brotli
    );
    Ok(())
}

fn build_bundle(
    root: &Path,
    tools: &Toolchain,
    bundle: &Bundle,
    dist: &Path,
) -> Result<(), String> {
    run::status(run::cargo(root).args([
        "build",
        "--package",
        "encore",
        "--lib",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--features",
        &bundle.features.join(","),
    ]))?;
    let raw = target_dir(root).join("wasm32-unknown-unknown/wasm-release/encore.wasm");
    let stem = format!("encore-{}", bundle.name);
    run::status(
        Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                &stem,
                "--out-dir",
            ])
            .arg(staging(root))
            .arg(&raw),
    )?;
    // Without --all-features wasm-opt keeps the features rustc declared; with it, the output
    // uses encodings Chromium refuses to instantiate.
    run::status(
        Command::new(&tools.wasm_opt)
            .arg("-Oz")
            .arg(bundle.staged_wasm(root))
            .arg("-o")
            .arg(dist.join(bundle.wasm())),
    )?;
    // wasm-bindgen writes its glue to be read; minified it is a quarter smaller gzipped. It
    // stays an ES module, so its exports (`default`, `mount`) keep their names.
    run::status(
        Command::new(&tools.terser)
            .arg(staging(root).join(bundle.js()))
            .args(["--module", "--compress", "--mangle", "--output"])
            .arg(dist.join(bundle.js())),
    )
}

#[cfg(test)]
mod tests {
    use super::{BUNDLES, MANIFEST_PLACEHOLDER, manifest, shipped_loader, sri};

    /// The loader's `B` table (mode → bundle) read from `www/encore.js`.
    fn loader_table() -> Vec<(String, String)> {
        let root = crate::project_root();
        let loader = std::fs::read_to_string(root.join("www/encore.js")).expect("read the loader");
        let start = loader
            .find("const B = {")
            .expect("the loader has its bundle table")
            + 11;
        let end = start + loader[start..].find('}').expect("the table ends");
        loader[start..end]
            .split(',')
            .filter_map(|pair| {
                let (mode, bundle) = pair.split_once(':')?;
                let unquote = |s: &str| s.trim().trim_matches(['\'', '"']).to_owned();
                Some((unquote(mode), unquote(bundle)))
            })
            .collect()
    }

    #[test]
    fn loader_maps_every_mode_to_a_bundle_that_has_it() {
        let table = loader_table();
        let mut from_bundles: Vec<(String, String)> = BUNDLES
            .iter()
            .flat_map(|b| b.modes.iter().map(|m| ((*m).to_owned(), b.name.to_owned())))
            .collect();
        from_bundles.sort();
        let mut from_loader = table.clone();
        from_loader.sort();
        assert_eq!(from_loader, from_bundles);
        for mode in encore_core::config::Mode::ALL {
            assert!(
                table.iter().any(|(m, _)| m == mode.as_str()),
                "the loader has no bundle for mode {}",
                mode.as_str()
            );
        }
    }

    #[test]
    fn the_manifest_has_each_bundles_sha256() {
        let dir = tempfile_dir();
        for (i, bundle) in BUNDLES.iter().enumerate() {
            std::fs::write(dir.join(bundle.js()), format!("js {i}")).expect("write js");
            std::fs::write(dir.join(bundle.wasm()), "abc").expect("write wasm");
        }
        let json: serde_json::Value =
            serde_json::from_str(&manifest(&dir).expect("a manifest")).expect("JSON");
        // SHA-256("abc"), a published test vector, in base64.
        let abc = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";
        let object = json.as_object().expect("an object");
        assert_eq!(object.len(), BUNDLES.len());
        for (i, bundle) in BUNDLES.iter().enumerate() {
            assert_eq!(json[bundle.name]["wasm"], abc, "{}", bundle.name);
            assert_eq!(
                json[bundle.name]["js"],
                sri(format!("js {i}").as_bytes()),
                "{}",
                bundle.name
            );
        }
        // One altered byte, another hash.
        std::fs::write(dir.join(BUNDLES[0].wasm()), "abd").expect("write wasm");
        let altered: serde_json::Value =
            serde_json::from_str(&manifest(&dir).expect("a manifest")).expect("JSON");
        assert_ne!(altered[BUNDLES[0].name]["wasm"], abc);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_shipped_loader_carries_the_manifest_hash_and_no_comment_lines() {
        let root = crate::project_root();
        let source = std::fs::read_to_string(root.join("www/encore.js")).expect("read the loader");
        let shipped = shipped_loader(&source, "sha256-MANIFEST").expect("a loader");
        assert!(!shipped.contains(MANIFEST_PLACEHOLDER));
        assert!(shipped.contains("get('manifest.json', 'sha256-MANIFEST')"));
        assert!(
            shipped.starts_with("/*! Encore loader"),
            "the licence header stays"
        );
        assert!(
            shipped
                .lines()
                .all(|l| !l.starts_with("//") && !l.starts_with(' '))
        );
        // Only comments and indentation went: the code is the same token for token.
        let code = |s: &str| -> String {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.starts_with("//"))
                .collect::<String>()
                .replace(MANIFEST_PLACEHOLDER, "sha256-MANIFEST")
        };
        assert_eq!(code(&shipped), code(&source));
        assert!(shipped_loader("no placeholder", "x").is_err());
        assert!(shipped_loader("`a\n// b`__ENCORE_MANIFEST__", "x").is_err());
    }

    /// A fresh directory under the target directory.
    fn tempfile_dir() -> std::path::PathBuf {
        let dir = crate::project_root()
            .join("target/xtask-tests")
            .join(format!("manifest-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create a test directory");
        dir
    }
}

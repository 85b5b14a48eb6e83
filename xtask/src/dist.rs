//! Building the distributable: the widget in release for wasm32, once per bundle, each through
//! wasm-bindgen `--target web` and `wasm-opt -Oz`, plus the hand-written loader, into `dist/`.
//!
//! A bundle is the widget built with the surfaces one kind of page shows (the crate's
//! features), so a product page does not download the review form, the QR landing or the
//! referral panel. The loader (`www/encore.js`, `B`) maps each `mode` to its bundle; the two
//! tables must agree, which `loader_maps_every_mode_to_a_bundle_that_has_it` checks.

use crate::run;
use crate::tools::Toolchain;
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

/// The loader, copied as it is.
pub const LOADER: &str = "encore.js";

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
    copy(&root.join("www").join(LOADER), &dist.join(LOADER))?;
    print_size(&dist, LOADER, "the loader")?;
    for bundle in &BUNDLES {
        let modes = bundle.modes.join(", ");
        print_size(&dist, &bundle.js(), &modes)?;
        print_size(&dist, &bundle.wasm(), &modes)?;
    }
    Ok(())
}

fn print_size(dist: &Path, file: &str, what: &str) -> Result<(), String> {
    let size = crate::sizes::compressed(&dist.join(file))?;
    eprintln!(
        "dist/{file:<26} {:>8} bytes, {:>7} gzip, {:>7} brotli  ({what})",
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
    let raw = root.join("target/wasm32-unknown-unknown/wasm-release/encore.wasm");
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
    copy(&staging(root).join(bundle.js()), &dist.join(bundle.js()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

#[cfg(test)]
mod tests {
    use super::BUNDLES;

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
}

//! Building the distributable: the widget in release for wasm32, wasm-bindgen `--target web`,
//! `wasm-opt -Oz`, and the hand-written loader, into `dist/`.

use crate::run;
use crate::tools::Toolchain;
use std::path::Path;
use std::process::Command;

/// Files in `dist/`: the loader, the module's glue and its wasm.
pub const FILES: [&str; 3] = ["encore.js", "encore-widget.js", "encore-widget_bg.wasm"];

/// Builds `dist/` from source and prints each file's size and gzip size.
pub fn build(root: &Path, tools: &Toolchain) -> Result<(), String> {
    run::status(run::cargo(root).args([
        "build",
        "--package",
        "encore",
        "--lib",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let raw = root.join("target/wasm32-unknown-unknown/wasm-release/encore.wasm");
    let staging = root.join("target/wasm-bindgen");
    run::status(
        Command::new(&tools.wasm_bindgen)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--out-name",
                "encore-widget",
                "--out-dir",
            ])
            .arg(&staging)
            .arg(&raw),
    )?;
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create dist/: {e}"))?;
    // Without --all-features wasm-opt keeps the features rustc declared; with it, the output
    // uses encodings Chromium refuses to instantiate.
    run::status(
        Command::new(&tools.wasm_opt)
            .arg("-Oz")
            .arg(staging.join("encore-widget_bg.wasm"))
            .arg("-o")
            .arg(dist.join("encore-widget_bg.wasm")),
    )?;
    copy(
        &staging.join("encore-widget.js"),
        &dist.join("encore-widget.js"),
    )?;
    copy(&root.join("www/encore.js"), &dist.join("encore.js"))?;
    for file in FILES {
        let path = dist.join(file);
        let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(&path)
            .map(|n| n.to_string())
            .unwrap_or_else(|| "?".into());
        eprintln!("dist/{file:<24} {bytes:>8} bytes, {gz:>7} gzip");
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Size of the file gzipped at level 9 (by the system's gzip).
pub fn gzip_size(path: &Path) -> Option<usize> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len())
}

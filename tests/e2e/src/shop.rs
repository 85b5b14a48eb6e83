//! The demo store on a port of its own, serving the assembled site, with a browser: the
//! starting point of the interaction tests (reviews, offers, ...).

use crate::{Browser, Env, Server, demo_store_config, free_port, server_cli};
use std::path::PathBuf;

/// The page's main widget: the first one that is not the friend's welcome banner (which the
/// product page carries above everything else).
const MAIN_WIDGET: &str = "document.querySelector('encore-widget:not([mode=referral-welcome])')";

/// A JS expression for the first element matching `selector` inside the main widget's shadow
/// root.
pub fn inside(selector: &str) -> String {
    format!("{MAIN_WIDGET}?.shadowRoot?.querySelector({selector:?})")
}

/// A JS expression for the first element matching `selector` inside the friend's welcome.
pub fn inside_welcome(selector: &str) -> String {
    format!(
        "document.querySelector('encore-widget[mode=referral-welcome]')?.shadowRoot?.querySelector({selector:?})"
    )
}

/// Brings the order confirmation's widget into view (so the loader loads it) and waits until
/// its referral panel is ready.
pub async fn referral_panel_ready(browser: &Browser) {
    browser
        .js("document.querySelector('encore-widget').scrollIntoView()")
        .await;
    browser
        .wait_until(
            "the referral panel",
            &format!("{}?.dataset.status === 'ready'", inside(".referral")),
        )
        .await;
}

/// A JS expression: the main widget's text.
pub const WIDGET_TEXT: &str = "(document.querySelector('encore-widget:not([mode=referral-welcome])')?.shadowRoot?.textContent || '')";

/// The demo store (server/demo-store.toml) with its site, database and a browser.
pub struct DemoShop {
    /// Paths from `cargo xtask test`.
    pub env: Env,
    /// Holds the database and config files.
    pub dir: tempfile::TempDir,
    /// The server, allowing pages from its own origin.
    pub server: Server,
    /// Headless Chromium.
    pub browser: Browser,
    /// The store config file the server runs with.
    pub config: PathBuf,
}

impl DemoShop {
    /// Starts the demo store with `edits` applied to its config (see [`demo_store_config`]).
    pub async fn open(edits: &[(&str, &str)]) -> DemoShop {
        DemoShop::open_with_args(edits, &[]).await
    }

    /// [`DemoShop::open`] with more `serve` options (`--console DIR`).
    pub async fn open_with_args(edits: &[(&str, &str)], args: &[&str]) -> DemoShop {
        let env = Env::get();
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let config = demo_store_config(&[format!("http://127.0.0.1:{port}")], edits);
        let db = dir.path().join("shop.db");
        let server =
            Server::start_with_args(&env, dir.path(), port, &config, &db, Some(&env.site), args);
        let config = dir.path().join(format!("store-{port}.toml"));
        let browser = Browser::start(&env).await;
        DemoShop {
            env,
            dir,
            server,
            browser,
            config,
        }
    }

    /// Opens `path` (e.g. `/www/product.html`) on the shop's server.
    pub async fn visit(&self, path: &str) {
        let url = format!("{}{path}", self.server.url);
        self.browser.open(&url).await;
    }

    /// Opens the playground with one widget made from `attrs` (a JS object literal), in view.
    pub async fn widget(&self, attrs: &str) {
        self.visit("/tests/pages/playground.html?count=0").await;
        self.browser
            .wait_until(
                "the playground",
                "window.addWidget && customElements.get('encore-widget')",
            )
            .await;
        self.browser
            .js(&format!(
                "window.w = addWidget({attrs}); w.scrollIntoView();"
            ))
            .await;
    }

    /// Runs `encore-server` with `args` against this shop's config file (`--config` added).
    pub fn cli_with_config(&self, args: &[&str]) -> String {
        let config = self.config.to_string_lossy().into_owned();
        let mut all = args.to_vec();
        all.extend_from_slice(&["--config", &config]);
        server_cli(&self.env, &all)
    }

    /// Mints `count` codes of the demo store's campaign 1 with the `codes mint` CLI, as a
    /// store prints them on its packaging (one batch: each batch starts at the same serial).
    pub fn mint_codes(&self, count: usize) -> Vec<MintedCode> {
        let out = self.dir.path().join("codes");
        let out_arg = out.to_string_lossy().into_owned();
        let count = count.to_string();
        self.cli_with_config(&[
            "codes",
            "mint",
            "--store",
            "demo",
            "--campaign",
            "1",
            "--count",
            &count,
            "--out",
            &out_arg,
        ]);
        let csv = std::fs::read_to_string(out.join("codes.csv")).expect("the CLI writes codes.csv");
        csv.lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split(',').collect();
                assert_eq!(fields.len(), 3, "serial,code,url: {line}");
                MintedCode {
                    code: fields[1].to_owned(),
                    url: fields[2].to_owned(),
                }
            })
            .collect()
    }

    /// Runs `encore-server` with `args` against this shop's database (`--db` added).
    pub fn cli_with_db(&self, args: &[&str]) -> String {
        let db = self.server.db.to_string_lossy().into_owned();
        let mut all = args.to_vec();
        all.extend_from_slice(&["--db", &db]);
        server_cli(&self.env, &all)
    }
}

/// One minted code, from the CLI's CSV.
pub struct MintedCode {
    /// The code as printed under the QR code.
    pub code: String,
    /// The QR code's landing URL.
    pub url: String,
}

//! End-to-end: the loader refuses altered widget files. `dist/manifest.json` holds each
//! bundle's SHA-256 (SRI) and the loader fetches the wasm and preloads the glue script against
//! them; on a copy of the site with one flipped byte the widget is never instantiated, the
//! console gets one `[encore]` error, nothing is posted, and the host page keeps working. The
//! same page on an unaltered copy, in the same test, shows the widget does work there.

use encore_e2e::{Browser, Env, Server, eventually, free_port, store_config, stored_results};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Copies the assembled site into `to`, so a test can alter its own copy.
fn copy_site(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the site copy");
    for entry in std::fs::read_dir(from).expect("read the site") {
        let path = entry.expect("a site entry").path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_site(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy a site file");
        }
    }
}

/// Two servers of the demo store on their own ports, each serving its own copy of the site
/// (a different origin each, so nothing is shared through the browser's caches).
struct Sites {
    env: Env,
    dir: tempfile::TempDir,
    ports: [u16; 2],
}

impl Sites {
    fn new() -> Sites {
        let env = Env::get();
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["intact", "altered"] {
            copy_site(&env.site, &dir.path().join(name));
        }
        Sites {
            env,
            dir,
            ports: [free_port(), free_port()],
        }
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// Serves the copy `name` on the `i`th port.
    fn serve(&self, i: usize, name: &str) -> Server {
        let origins: Vec<String> = self
            .ports
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}"))
            .collect();
        Server::start(
            &self.env,
            self.dir.path(),
            self.ports[i],
            &store_config("demo", &origins),
            &self.dir.path().join(format!("{name}.db")),
            Some(&self.path(name)),
        )
    }
}

/// Opens the integrity test page and waits until its widget is `ready` or `failed`.
async fn open(browser: &Browser, server: &Server) -> String {
    let url = format!("{}/tests/pages/integrity.html", server.url);
    browser.open(&url).await;
    browser
        .wait_until("the loader", "customElements.get('encore-widget')")
        .await;
    browser
        .js("document.getElementById('w').scrollIntoView();")
        .await;
    eventually("the widget to settle", WAIT, || async {
        let state = browser
            .js("return document.getElementById('w').dataset.encore")
            .await;
        state
            .as_str()
            .filter(|s| *s == "ready" || *s == "failed")
            .map(str::to_owned)
    })
    .await
}

/// Clicks the host page's own button and returns its click count.
async fn click_host_button(browser: &Browser) -> Value {
    browser
        .js("document.getElementById('host-button').click(); return document.getElementById('host-button').dataset.clicks;")
        .await
}

/// Checks the page after the loader refused an altered file: not instantiated, one
/// `[encore]` console error naming `file`, the host page working, nothing stored.
async fn assert_refused(browser: &Browser, server: &Server, file: &str) {
    let mounted = browser
        .js(
            "return [performance.getEntriesByName('encore:module-ready').length, \
             document.getElementById('w').shadowRoot.querySelectorAll('.encore').length, \
             document.getElementById('w').offsetHeight]",
        )
        .await;
    assert_eq!(
        mounted,
        serde_json::json!([0, 0, 0]),
        "not instantiated, nothing rendered, collapsed"
    );
    let seen = browser.js("return consoleSeen;").await;
    let seen = seen.as_array().cloned().unwrap_or_default();
    assert_eq!(
        seen.len(),
        1,
        "one console message, nothing uncaught: {seen:?}"
    );
    assert_eq!(seen[0][0], "error", "{seen:?}");
    let message = seen[0][1].as_str().unwrap_or_default();
    assert!(
        message.starts_with("[encore]") && message.contains(file),
        "{seen:?}"
    );
    assert_eq!(
        browser
            .js("return document.getElementById('after').dataset.hostScript")
            .await,
        "ran"
    );
    assert_eq!(
        click_host_button(browser).await,
        "1",
        "the host button works"
    );
    assert!(
        stored_results(&server.db, "demo").await.is_empty(),
        "nothing posted"
    );
}

#[tokio::test]
async fn a_wasm_file_with_one_flipped_byte_is_refused_and_the_page_keeps_working() {
    let sites = Sites::new();
    let wasm = sites.path("altered").join("dist/encore-product_bg.wasm");
    let mut bytes = std::fs::read(&wasm).expect("read the wasm");
    // A byte in the middle of the code section, not the header, so that only the hash tells.
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&wasm, &bytes).expect("alter the wasm");

    let browser = Browser::start(&sites.env).await;
    let intact = sites.serve(0, "intact");
    assert_eq!(
        open(&browser, &intact).await,
        "ready",
        "the intact copy works"
    );
    eventually("the intact page's impression", WAIT, || async {
        (!stored_results(&intact.db, "demo").await.is_empty()).then_some(())
    })
    .await;

    let altered = sites.serve(1, "altered");
    assert_eq!(open(&browser, &altered).await, "failed");
    assert_refused(&browser, &altered, "encore-product_bg.wasm").await;
    browser.close().await;
}

#[tokio::test]
async fn an_altered_glue_script_is_refused_before_it_runs() {
    let sites = Sites::new();
    let js = sites.path("altered").join("dist/encore-product.js");
    let mut text = std::fs::read_to_string(&js).expect("read the glue script");
    // What an attacker would add: code that runs on import.
    text.push_str("\nwindow.__tampered = 1;\n");
    std::fs::write(&js, text).expect("alter the glue script");

    let browser = Browser::start(&sites.env).await;
    let altered = sites.serve(1, "altered");
    assert_eq!(open(&browser, &altered).await, "failed");
    assert_eq!(
        browser.js("return window.__tampered === undefined").await,
        true,
        "the altered script never ran"
    );
    assert_refused(&browser, &altered, "encore-product.js").await;

    // The control: the page itself works with the intact files.
    let intact = sites.serve(0, "intact");
    assert_eq!(open(&browser, &intact).await, "ready");
    browser.close().await;
}

//! The end-to-end harness: the real `encore-server` binary on loopback with a SQLite file,
//! ChromeDriver driving headless Chromium, and helpers to read what reached the database.
//!
//! `cargo xtask test` sets the environment this needs (see [`Env`]); run alone, a test fails
//! with a message saying so instead of passing without having run.

pub mod axe;
pub mod console;
pub mod proxied_shop;
pub mod proxy;
pub mod shop;

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Paths handed over by `cargo xtask test`.
pub struct Env {
    /// The assembled site (`index.html`, `www/`, `dist/`, `tests/pages/`).
    pub site: PathBuf,
    /// The built `encore-server` binary.
    pub server_bin: PathBuf,
    /// ChromeDriver.
    pub chromedriver: PathBuf,
    /// Chromium.
    pub chromium: PathBuf,
}

impl Env {
    /// Reads the environment, panicking with a clear message when run outside `cargo xtask test`.
    pub fn get() -> Env {
        let var = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    panic!("{name} is not set: run the end-to-end tests through `cargo xtask test`")
                })
        };
        Env {
            site: var("ENCORE_SITE"),
            server_bin: var("ENCORE_SERVER_BIN"),
            chromedriver: var("CHROMEDRIVER"),
            chromium: var("CHROME_BIN"),
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A store configuration for `store` that allows pages from these origins.
pub fn store_config(store: &str, origins: &[String]) -> String {
    let origins: Vec<String> = origins.iter().map(|o| format!("{o:?}")).collect();
    format!(
        "[[store]]\nid = \"{store}\"\nname = \"Test store\"\nallowed_origins = [{}]\n\n\
         [[store.keys]]\nid = \"test-1\"\nsecret = \"test-secret-test-secret-test-secret-0001\"\n",
        origins.join(", ")
    )
}

/// The demo store's configuration (`server/demo-store.toml`, products, questions, reward and
/// moderation rules included) with its allowed origins replaced by `origins`, after applying
/// `edits` (pairs of text to find and its replacement; each must be found).
pub fn demo_store_config(origins: &[String], edits: &[(&str, &str)]) -> String {
    let dir = std::env::var_os("ENCORE_CONFIG_DIR")
        .map(PathBuf::from)
        .expect(
            "ENCORE_CONFIG_DIR is not set: run the end-to-end tests through `cargo xtask test`",
        );
    let mut text =
        std::fs::read_to_string(dir.join("demo-store.toml")).expect("read demo-store.toml");
    let origins: Vec<String> = origins.iter().map(|o| format!("{o:?}")).collect();
    let line = text
        .lines()
        .find(|l| l.starts_with("allowed_origins"))
        .expect("the demo store lists its origins")
        .to_owned();
    text = text.replace(
        &line,
        &format!("allowed_origins = [{}]", origins.join(", ")),
    );
    for (from, to) in edits {
        assert!(text.contains(from), "demo-store.toml has no {from:?}");
        text = text.replace(from, to);
    }
    text
}

/// Runs the `encore-server` binary with `args` (a CLI subcommand) and returns its stdout,
/// failing the test with its stderr when it exits non-zero.
pub fn server_cli(env: &Env, args: &[&str]) -> String {
    let out = Command::new(&env.server_bin)
        .args(args)
        .output()
        .expect("run encore-server");
    assert!(
        out.status.success(),
        "encore-server {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A running `encore-server` process; killed when dropped.
pub struct Server {
    child: Option<Child>,
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its port.
    pub port: u16,
    /// Its SQLite file.
    pub db: PathBuf,
    config: PathBuf,
    site: Option<PathBuf>,
    bin: PathBuf,
    /// More `serve` options, given on every start.
    args: Vec<String>,
}

impl Server {
    /// Starts the server on `port` with `config` (TOML), storing into `db`, optionally
    /// serving `site`; returns once it listens.
    pub fn start(
        env: &Env,
        dir: &Path,
        port: u16,
        config: &str,
        db: &Path,
        site: Option<&Path>,
    ) -> Server {
        Server::start_with_args(env, dir, port, config, db, site, &[])
    }

    /// [`Server::start`] with more `serve` options (`--trusted-proxy 127.0.0.1`).
    pub fn start_with_args(
        env: &Env,
        dir: &Path,
        port: u16,
        config: &str,
        db: &Path,
        site: Option<&Path>,
        args: &[&str],
    ) -> Server {
        let config_path = dir.join(format!("store-{port}.toml"));
        std::fs::write(&config_path, config).expect("write config");
        let mut server = Server {
            child: None,
            url: format!("http://127.0.0.1:{port}"),
            port,
            db: db.to_path_buf(),
            config: config_path,
            site: site.map(Path::to_path_buf),
            bin: env.server_bin.clone(),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        };
        server.restart();
        server
    }

    /// Starts the process again on the same port, config and database (after [`Server::kill`]).
    pub fn restart(&mut self) {
        let mut cmd = Command::new(&self.bin);
        cmd.arg("serve")
            .arg("--config")
            .arg(&self.config)
            .arg("--db")
            .arg(&self.db);
        cmd.args(["--addr", &format!("127.0.0.1:{}", self.port)]);
        if let Some(site) = &self.site {
            cmd.arg("--site").arg(site);
        }
        cmd.args(&self.args);
        // Keep the test output readable: only the server's warnings and errors.
        cmd.env("RUST_LOG", "warn");
        let mut child = cmd
            .stdout(Stdio::piped())
            .spawn()
            .expect("start encore-server");
        let stdout = child.stdout.take().expect("server stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("read server output");
        assert!(
            first.contains("listening on"),
            "encore-server did not start: {first:?}"
        );
        self.child = Some(child);
    }

    /// The process id while it runs (for reading its memory from `/proc`); `None` after
    /// [`Server::kill`].
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the process at once (no graceful shutdown), as a crash or outage would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Ids and types of the results stored for `store`, in the order they were received.
pub async fn stored_results(db: &Path, store: &str) -> Vec<(String, String, Value)> {
    let options = SqliteConnectOptions::new().filename(db).read_only(true);
    let pool = SqlitePool::connect_with(options)
        .await
        .expect("open the server's database");
    let rows =
        sqlx::query("SELECT id, type, body FROM events WHERE store = ? ORDER BY received_at, id")
            .bind(store)
            .fetch_all(&pool)
            .await
            .expect("query events");
    pool.close().await;
    rows.iter()
        .map(|r| {
            let body: String = r.get("body");
            (
                r.get("id"),
                r.get("type"),
                serde_json::from_str(&body).unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// A JS array of strings as a Rust list (anything else left out).
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Polls `check` every 100 ms until it returns `Some`, failing with `what` after `timeout`.
pub async fn eventually<T, F, Fut>(what: &str, timeout: Duration, check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    poll(timeout, check)
        .await
        .unwrap_or_else(|| panic!("timed out after {timeout:?} waiting for {what}"))
}

/// Polls `check` every 100 ms until it returns `Some`; `None` after `timeout`.
async fn poll<T, F, Fut>(timeout: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if start.elapsed() >= timeout {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A script returning where the page is, for each widget its attributes and the start of its
/// text, and what the page has fetched: what a timed-out wait reports.
const PAGE_STATE: &str = "return { url: location.href, ready: document.readyState, \
    widgets: [...document.querySelectorAll('encore-widget')].map((w) => ({ \
      attrs: [...w.attributes].map((a) => a.name + '=' + a.value.slice(0, 40)).join(' '), \
      text: (w.shadowRoot?.textContent || '').slice(0, 300) })), \
    fetched: performance.getEntriesByType('resource').map((e) => e.name.replace(location.origin, '')) };";

/// ChromeDriver and one headless Chromium session with a fresh profile.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium at a 1280×800 window.
    pub async fn start(env: &Env) -> Browser {
        Browser::launch(env, None).await
    }

    /// Like [`Browser::start`], with the Chromium profile kept in `profile` (created if
    /// missing), so that a later browser started on the same directory finds this one's
    /// IndexedDB, as after a crash and relaunch.
    pub async fn start_with_profile(env: &Env, profile: &Path) -> Browser {
        Browser::launch(env, Some(profile)).await
    }

    async fn launch(env: &Env, profile: Option<&Path>) -> Browser {
        let port = free_port();
        let mut driver = Command::new(&env.chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let mut args = vec![
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1280,800",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<String>>();
        if let Some(profile) = profile {
            args.push(format!("--user-data-dir={}", profile.display()));
        }
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": env.chromium,
                "args": args
            }
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object")
        };
        let start = Instant::now();
        let client = loop {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            match builder
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                // ChromeDriver may not be listening yet.
                Err(_) if start.elapsed() < Duration::from_secs(20) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => {
                    let _ = driver.kill();
                    panic!("cannot start a Chromium session: {e}");
                }
            }
        };
        Browser { client, driver }
    }

    /// The process id of the Chromium browser process (a descendant of ChromeDriver), for
    /// killing it as a crash would.
    pub fn chromium_pid(&self) -> Option<u32> {
        let children = |pid: u32| -> Vec<u32> {
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                return Vec::new();
            };
            tasks
                .filter_map(Result::ok)
                .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
                .flat_map(|c| {
                    c.split_whitespace()
                        .filter_map(|p| p.parse::<u32>().ok())
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        // ChromeDriver → (a wrapper script) → the browser → its helpers: a few levels at most.
        let mut level = children(self.driver.id());
        for _ in 0..4 {
            let browser = level.iter().copied().find(|pid| {
                let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                    return false;
                };
                let args: Vec<String> = raw
                    .split(|b| *b == 0)
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect();
                let program = args.first().map(String::as_str).unwrap_or_default();
                // Not a shell running a wrapper, nor a helper (`--type=renderer`, ...).
                !program.ends_with("sh")
                    && args.iter().any(|a| a == "--headless")
                    && !args.iter().any(|a| a.starts_with("--type="))
            });
            if browser.is_some() {
                return browser;
            }
            level = level.into_iter().flat_map(children).collect();
        }
        None
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs an async script: `script` is the body of an async function whose return value
    /// is handed back.
    pub async fn js_async(&self, script: &str) -> Value {
        let wrapped = format!(
            "const done = arguments[arguments.length - 1];\
             (async () => {{ {script} }})().then(done, e => done({{error: String(e)}}));"
        );
        self.client
            .execute_async(&wrapped, vec![])
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Sends the DevTools protocol command `cmd` (e.g. `Network.setCacheDisabled`) with `params`
    /// to the current page and returns its result.
    pub async fn cdp(
        &self,
        cmd: &str,
        params: Value,
    ) -> Result<Value, fantoccini::error::CmdError> {
        let command = DevToolsCommand {
            cmd: cmd.to_owned(),
            params,
        };
        self.client.issue_cmd(command).await
    }

    /// Opens `url` in the current tab.
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Waits until `expression` is truthy in the page.
    ///
    /// On a timeout it fails with where the page is and what the widgets show, so a failure
    /// that happens once in many runs can still be understood from its log.
    pub async fn wait_until(&self, what: &str, expression: &str) {
        const TIMEOUT: Duration = Duration::from_secs(20);
        let script = format!("return !!({expression});");
        let met = poll(TIMEOUT, || async {
            (self.js(&script).await == Value::Bool(true)).then_some(())
        })
        .await;
        if met.is_none() {
            let state = self.js(PAGE_STATE).await;
            panic!("timed out after {TIMEOUT:?} waiting for {what}; the page: {state}");
        }
    }

    /// Types `text` into whatever has focus, as key presses (WebDriver actions reach elements
    /// inside shadow roots). `\u{E004}` is Tab, `\u{E007}` Enter, `\u{E014}` ArrowRight.
    pub async fn keys(&self, text: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("key presses failed: {e}"));
    }

    /// The focused element, looking into shadow roots: `{tag, type, name, id, label, checked}`.
    pub async fn focused(&self) -> Value {
        self.js(
            "let a = document.activeElement;\
             while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;\
             if (!a) return null;\
             return {tag: a.tagName.toLowerCase(), type: a.type || '', name: a.name || '', id: a.id || '',\
                     label: (a.getAttribute('aria-label') || a.textContent || '').trim(),\
                     value: a.value === undefined ? null : String(a.value), checked: !!a.checked};",
        )
        .await
    }

    /// Kills the Chromium browser process (`kill -9`, as a crash would); `true` once the signal
    /// was delivered.
    pub fn kill_chromium(&self) -> bool {
        let Some(pid) = self.chromium_pid() else {
            return false;
        };
        std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Ends the session and ChromeDriver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A DevTools protocol command, sent through ChromeDriver's own endpoint
/// `POST /session/{id}/goog/cdp/execute` (WebDriver itself has no such command).
#[derive(Debug)]
struct DevToolsCommand {
    cmd: String,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        // A connected client always has a session; without one ChromeDriver answers with an error.
        let session = session_id.unwrap_or_default();
        base_url.join(&format!("session/{session}/goog/cdp/execute"))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Drop for Browser {
    /// A test that fails never reaches [`Browser::close`]; killing ChromeDriver alone would
    /// leave its Chromium running for the rest of the suite.
    fn drop(&mut self) {
        self.kill_chromium();
        let _ = self.driver.kill();
    }
}

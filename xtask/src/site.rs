//! The demo storefront: assembling the site directory the server serves, and `cargo xtask demo`.

use crate::run;
use crate::tools::Toolchain;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where the demo listens; the demo store's allowed origins (server/demo-store.toml) match it.
const DEMO_ADDR: &str = "127.0.0.1:8080";

/// The demo order's products, as the shop's backend would sign them into the review link.
const DEMO_ORDER_ITEMS: [&str; 2] = [
    "jasmine-silver-needle=Jasmine Silver Needle",
    "celadon-gaiwan=Celadon Gaiwan",
];

/// Lays out `target/site`: `index.html`, `www/`, `dist/`, and with `with_test_pages` the
/// pages under `tests/pages/` that end-to-end tests open. The review-request page gets an
/// order token minted now by `server` (the `encore-server` binary) with the demo store's key,
/// as a shop's backend would put one in its delivery e-mail.
pub fn assemble(root: &Path, with_test_pages: bool, server: &Path) -> Result<PathBuf, String> {
    let site = root.join("target/site");
    if site.exists() {
        std::fs::remove_dir_all(&site)
            .map_err(|e| format!("cannot clear {}: {e}", site.display()))?;
    }
    copy_dir(&root.join("www"), &site.join("www"))?;
    copy_dir(&root.join("dist"), &site.join("dist"))?;
    if with_test_pages {
        copy_dir(&root.join("tests/pages"), &site.join("tests/pages"))?;
    }
    std::fs::copy(root.join("index.html"), site.join("index.html"))
        .map_err(|e| format!("cannot copy index.html: {e}"))?;
    let review_page = site.join("www/review.html");
    let template = std::fs::read_to_string(&review_page)
        .map_err(|e| format!("cannot read {}: {e}", review_page.display()))?;
    let token = demo_order_token(root, server)?;
    std::fs::write(
        &review_page,
        template.replace("__DEMO_ORDER_TOKEN__", &token),
    )
    .map_err(|e| format!("cannot write {}: {e}", review_page.display()))?;
    Ok(site)
}

/// A 30-day order token for the demo order #1001.
fn demo_order_token(root: &Path, server: &Path) -> Result<String, String> {
    let mut cmd = Command::new(server);
    cmd.args(["token", "order", "--config"])
        .arg(root.join("server/demo-store.toml"))
        .args(["--store", "demo", "--order", "1001", "--ttl-days", "30"]);
    for item in DEMO_ORDER_ITEMS {
        cmd.args(["--item", item]);
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", server.display()))?;
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || token.is_empty() || token.contains(char::is_whitespace) {
        return Err(format!(
            "minting the demo order token failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(token)
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)
                .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Builds `encore-server` (`release`: optimised, for measurements and the long load test) and
/// returns its path.
pub fn build_server(root: &Path, release: bool) -> Result<PathBuf, String> {
    let mut cargo = run::cargo(root);
    cargo.args(["build", "--package", "encore-server"]);
    if release {
        cargo.arg("--release");
    }
    run::status(&mut cargo)?;
    let profile = if release { "release" } else { "debug" };
    Ok(crate::dist::target_dir(root)
        .join(profile)
        .join(run::exe("encore-server")))
}

/// The demo store's first console user.
const DEMO_OWNER: &str = "owner@demo.example";

/// Invites [`DEMO_OWNER`] to the demo store through the CLI and returns the one-time link's
/// path; `None` when the owner exists already (a second run of the demo).
fn demo_owner(root: &Path, server: &Path, data: &Path) -> Option<String> {
    run::output(
        Command::new(server)
            .args([
                "users", "add", "--store", "demo", "--role", "owner", "--email", DEMO_OWNER,
            ])
            .arg("--config")
            .arg(root.join("server/demo-store.toml"))
            .arg("--db")
            .arg(data.join("encore.db")),
    )
    .map(|out| out.trim().to_owned())
    .filter(|link| link.starts_with("/console/"))
}

/// `cargo xtask demo`: builds everything, then serves the storefront and the reference server
/// with a SQLite file under `target/demo/` until interrupted.
pub fn demo(root: &Path) -> Result<(), String> {
    let tools = Toolchain::ensure(root, false)?;
    crate::dist::build(root, &tools)?;
    let server = build_server(root, false)?;
    let site = assemble(root, false, &server)?;
    let data = root.join("target/demo");
    std::fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    // Seeded reviews (English and Chinese, some with photos) so the product page looks lived-in;
    // a second run leaves an existing demo database alone.
    run::status(
        Command::new(&server)
            .arg("demo-seed")
            .arg("--config")
            .arg(root.join("server/demo-store.toml"))
            .arg("--db")
            .arg(data.join("encore.db")),
    )?;
    // The store console, when `cargo xtask dist` built it (the console crate's bundle).
    let console = root.join("dist/console");
    let console = console.join("index.html").is_file().then_some(console);
    let owner_link = console.as_ref().map(|_| demo_owner(root, &server, &data));
    let mut serve = Command::new(&server);
    serve
        .arg("serve")
        .arg("--config")
        .arg(root.join("server/demo-store.toml"))
        .arg("--db")
        .arg(data.join("encore.db"))
        .arg("--site")
        .arg(&site)
        .args(["--addr", DEMO_ADDR]);
    if let Some(dir) = &console {
        serve.arg("--console").arg(dir);
    }
    let mut child = serve
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no server output")?).lines();
    match lines.next() {
        Some(Ok(line)) if line.contains("listening") => {
            let base = format!("http://{DEMO_ADDR}");
            println!("\nEncore demo storefront is running (Ctrl-C to stop):");
            println!("  home           {base}/");
            println!("  product page   {base}/www/product.html");
            println!("  order confirm. {base}/www/thank-you.html");
            println!("  review request {base}/www/review.html   (中文: ?lang=zh-CN)");
            println!("  member offers  {base}/www/offers.html   (guest and member side by side)");
            println!(
                "  QR landing     {base}/www/scan.html   (fresh demo codes on the order page)"
            );
            println!(
                "  code sheet     {base}/demo/surprise-sheet.svg?store=demo   (print, then scan)"
            );
            match &owner_link {
                Some(Some(link)) => {
                    println!("  store console  {base}/console/   (sign in as {DEMO_OWNER})");
                    println!("  set password   {base}{link}   (once, within 24 hours)");
                }
                Some(None) => println!(
                    "  store console  {base}/console/   ({DEMO_OWNER} exists already; \
                     `encore-server users add` invites another)"
                ),
                None => println!("  store console  not built (`cargo xtask dist` builds it)"),
            }
            println!(
                "  results are stored in {}\n",
                data.join("encore.db").display()
            );
        }
        _ => {
            let status = child.wait().map_err(|e| e.to_string())?;
            return Err(format!(
                "the server did not start ({status}); is {DEMO_ADDR} already in use?"
            ));
        }
    }
    for line in lines.map_while(Result::ok) {
        println!("{line}");
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

//! End-to-end: axe-core on every demo surface, in light and dark and in English and Simplified
//! Chinese, and again with each interactive state open (the review form, the photo lightbox,
//! the revealed prize). A serious or critical violation anywhere on the page, widgets' shadow
//! roots included, fails the test with the rule and its elements printed.

use encore_e2e::axe::{self, Violation};
use encore_e2e::shop::{DemoShop, inside, inside_welcome};
use serde_json::json;
use std::collections::BTreeSet;

const THEMES: [&str; 2] = ["light", "dark"];
const LANGS: [&str; 2] = ["en", "zh-CN"];

/// Collects what axe-core finds across the runs of one test, then fails once with all of it.
struct Audit {
    source: String,
    blocking: Vec<String>,
    /// Lesser findings, each printed once however many runs see it.
    noted: BTreeSet<String>,
    runs: usize,
}

impl Audit {
    fn new() -> Audit {
        Audit {
            source: axe::source(),
            blocking: Vec::new(),
            noted: BTreeSet::new(),
            runs: 0,
        }
    }

    /// Runs axe-core on the page as it is now; `what` names the surface, theme and language.
    async fn check(&mut self, shop: &DemoShop, what: &str) {
        let found: Vec<Violation> = axe::check(&shop.browser, &self.source).await;
        self.runs += 1;
        for v in &found {
            if v.is_blocking() {
                self.blocking.push(format!("{what}: {v}"));
            } else if self
                .noted
                .insert(format!("{}: {}", v.rule, v.nodes.join(" | ")))
            {
                eprintln!("(not failing) {what}: {v}");
            }
        }
        let reached = axe::shadow_nodes_checked(&shop.browser).await;
        assert!(
            reached > 0,
            "{what}: axe-core tested nothing inside the widgets' shadow roots"
        );
    }

    fn assert_clean(self) {
        assert!(self.runs > 0, "no page was checked");
        assert!(
            self.blocking.is_empty(),
            "{} serious or critical accessibility violation(s):\n{}",
            self.blocking.len(),
            self.blocking.join("\n")
        );
    }
}

/// Makes the page (and so the widget, which follows it) prefer `theme`, as the visitor's
/// system setting would.
async fn prefer(shop: &DemoShop, theme: &str) {
    shop.browser
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": theme }] }),
        )
        .await
        .expect("emulate prefers-color-scheme");
}

/// Opens `path` with `lang` (the demo pages' `?lang=`), brings every widget into view so the
/// loader mounts it, and waits for `ready` and for every widget to have settled.
async fn open(shop: &DemoShop, path: &str, theme: &str, lang: &str, ready: &str) {
    prefer(shop, theme).await;
    let sep = if path.contains('?') { '&' } else { '?' };
    shop.visit(&format!("{path}{sep}lang={lang}")).await;
    let browser = &shop.browser;
    browser
        .wait_until(
            "the page's theme",
            &format!("matchMedia('(prefers-color-scheme: {theme})').matches"),
        )
        .await;
    // Scrolling to each widget in turn (the loader mounts those near the viewport).
    browser
        .wait_until(
            "every widget mounted",
            "[...document.querySelectorAll('encore-widget')].every(w => { w.scrollIntoView(); \
             return ['ready', 'empty'].includes(w.dataset.encore); })",
        )
        .await;
    browser
        .wait_until(&format!("{path} to be ready"), ready)
        .await;
    browser.js("window.scrollTo(0, 0);").await;
}

/// Every theme and language of one surface.
async fn each_look(shop: &DemoShop, audit: &mut Audit, path: &str, ready: &str) {
    for theme in THEMES {
        for lang in LANGS {
            open(shop, path, theme, lang, ready).await;
            audit
                .check(shop, &format!("{path} ({theme}, {lang})"))
                .await;
        }
    }
}

#[tokio::test]
async fn the_product_page_with_its_reviews_form_and_lightbox_has_no_serious_violations() {
    let shop = DemoShop::open(&[]).await;
    let config = shop.config.to_string_lossy().into_owned();
    shop.cli_with_db(&["demo-seed", "--config", &config]);
    let mut audit = Audit::new();
    let reviews = format!("{}?.children.length > 0", inside(".review-list"));
    each_look(&shop, &mut audit, "/www/product.html", &reviews).await;

    for theme in THEMES {
        for lang in LANGS {
            open(&shop, "/www/product.html", theme, lang, &reviews).await;
            // The review form, opened from the product page.
            shop.browser
                .js(&format!("{}.click();", inside(".write-button")))
                .await;
            shop.browser
                .wait_until("the review form", &inside(".write-form form"))
                .await;
            audit
                .check(
                    &shop,
                    &format!("review form on the product page ({theme}, {lang})"),
                )
                .await;
            // The photo lightbox, opened from a review's thumbnail.
            shop.browser
                .js(&format!(
                    "{}.scrollIntoView(); {}.click();",
                    inside("button.thumb"),
                    inside("button.thumb")
                ))
                .await;
            shop.browser
                .wait_until("the lightbox", &inside("dialog.lightbox[open]"))
                .await;
            audit
                .check(&shop, &format!("photo lightbox ({theme}, {lang})"))
                .await;
        }
    }
    audit.assert_clean();
    shop.browser.close().await;
}

#[tokio::test]
async fn the_review_request_form_has_no_serious_violations() {
    let shop = DemoShop::open(&[]).await;
    let mut audit = Audit::new();
    let form = inside("form");
    each_look(&shop, &mut audit, "/www/review.html", &form).await;
    audit.assert_clean();
    shop.browser.close().await;
}

/// The QR landing of `count` freshly minted codes, on this site: each landing's path and query.
fn landings(shop: &DemoShop, count: usize) -> Vec<String> {
    shop.mint_codes(count)
        .into_iter()
        .filter_map(|minted| Some(format!("/www/scan.html?{}", minted.url.split_once('?')?.1)))
        .collect()
}

#[tokio::test]
async fn the_qr_landing_before_and_after_the_reveal_and_its_code_entry_have_no_serious_violations()
{
    let shop = DemoShop::open(&[]).await;
    let mut audit = Audit::new();
    let status = inside(".surprise") + "?.dataset.status";
    each_look(
        &shop,
        &mut audit,
        "/www/scan.html",
        &format!("{status} === 'entry'"),
    )
    .await;
    // A fresh code for each look: a redeemed one shows "already redeemed" in this profile.
    let mut landings = landings(&shop, THEMES.len() * LANGS.len()).into_iter();
    for theme in THEMES {
        for lang in LANGS {
            let landing = landings.next().expect("a minted code");
            open(
                &shop,
                &landing,
                theme,
                lang,
                &format!("{status} === 'reveal'"),
            )
            .await;
            audit
                .check(
                    &shop,
                    &format!("QR landing before the reveal ({theme}, {lang})"),
                )
                .await;
            shop.browser
                .js(&format!("{}.click();", inside("button.reveal-button")))
                .await;
            shop.browser
                .wait_until("the prize", &format!("{status} === 'prize'"))
                .await;
            audit
                .check(
                    &shop,
                    &format!("QR landing after the reveal ({theme}, {lang})"),
                )
                .await;
        }
    }
    audit.assert_clean();
    shop.browser.close().await;
}

#[tokio::test]
async fn the_order_confirmation_offers_and_a_friends_welcome_have_no_serious_violations() {
    let shop = DemoShop::open(&[]).await;
    let mut audit = Audit::new();
    let referral = format!(
        "document.documentElement.dataset.demoOrder === 'ready' && {}?.dataset.status === 'ready'",
        inside(".referral")
    );
    each_look(&shop, &mut audit, "/www/thank-you.html", &referral).await;
    let link = shop
        .browser
        .js(&format!("return {}.value;", inside(".referral-url")))
        .await;
    let code = link
        .as_str()
        .and_then(|l| l.rsplit_once("ref="))
        .map(|(_, c)| c.to_owned())
        .expect("the advocate's link carries ?ref=");

    // The member offers page: a guest's teaser beside a gold member's offers and referral panel.
    let offers = "/Showing the widget as/.test(document.querySelector('[data-demo-members] [role=status]')?.textContent) \
         && document.querySelectorAll('encore-widget[mode=offers]')[1]?.shadowRoot?.querySelector('ul[role=list] li') \
         && document.querySelector('encore-widget[mode=referral]')?.shadowRoot?.querySelector('.referral')?.dataset.status === 'ready'";
    each_look(&shop, &mut audit, "/www/offers.html", offers).await;

    // The friend's welcome, on the product page opened through the advocate's link.
    let welcome = inside_welcome(".referral-welcome");
    each_look(
        &shop,
        &mut audit,
        &format!("/www/product.html?ref={code}"),
        &welcome,
    )
    .await;
    audit.assert_clean();
    shop.browser.close().await;
}

//! QR surprise beyond the redeem route: the `surprise.redeemed` result in `POST /v1/events`
//! (one redemption across both paths, the prize code in the ack), the `codes mint` output read
//! back by an independent QR decoder, the demo routes, and config validation.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::surprise::{CONFIG, code, device, fixture, redeem, redeemed_result, redemption};
use common::{Fixture, batch, send, send_raw};
use encore_core::surprise::code as codes;
use encore_core::surprise::redeem::Redemption;
use encore_server::ServerConfig;
use encore_server::surprise::sheet::{self, MintRequest};

async fn post(f: &Fixture, results: Vec<serde_json::Value>) -> common::Reply {
    f.post(&batch(results)).await
}

#[tokio::test]
async fn a_queued_redemption_redeems_once_and_its_ack_carries_the_prize_code() {
    let f = fixture().await;
    // Campaign 2 always wins a pool code (while its budget lasts).
    let c = code(2, 5);
    let id = redemption(1);
    let reply = post(&f, vec![redeemed_result(&id, &c, &device(1))]).await;
    assert_eq!(reply.acks()[0].1, "accepted", "{}", reply.json);
    let won = reply.json["results"][0]["reward"]["code"]
        .as_str()
        .expect("the prize code in the ack")
        .to_owned();
    // A retry of the result: duplicate, same code.
    let again = post(&f, vec![redeemed_result(&id, &c, &device(1))]).await;
    assert_eq!(again.acks()[0].1, "duplicate");
    assert_eq!(again.json["results"][0]["reward"]["code"], won.as_str());
    // The direct route with the same redemption id gives the same prize.
    match serde_json::from_value(redeem(&f, &c, &id, &device(1)).await.json).expect("answer") {
        Redemption::Redeemed { prize, .. } => assert_eq!(prize.code.as_deref(), Some(won.as_str())),
        other => panic!("the same redemption: {other:?}"),
    }
    assert_eq!(
        f.count("SELECT COUNT(*) FROM surprise_redemptions").await,
        1
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 1);
}

#[tokio::test]
async fn the_direct_answer_first_then_the_queued_result_is_the_same_redemption() {
    let f = fixture().await;
    let c = code(2, 6);
    let id = redemption(2);
    let direct: Redemption =
        serde_json::from_value(redeem(&f, &c, &id, &device(2)).await.json).expect("answer");
    let Redemption::Redeemed { prize, .. } = direct else {
        panic!("redeemed");
    };
    let reply = post(&f, vec![redeemed_result(&id, &c, &device(2))]).await;
    assert_eq!(reply.acks()[0].1, "accepted");
    assert_eq!(
        reply.json["results"][0]["reward"]["code"].as_str(),
        prize.code.as_deref()
    );
    assert_eq!(
        f.count("SELECT COUNT(*) FROM surprise_redemptions").await,
        1
    );
    assert_eq!(f.count("SELECT COUNT(*) FROM surprise_awards").await, 1);
}

#[tokio::test]
async fn refused_redemptions_are_rejected_with_their_reason_and_not_stored() {
    let f = fixture().await;
    redeem(&f, &code(1, 9), &redemption(1), &device(1)).await;
    // Another last symbol that keeps the padding bits zero: the tag no longer matches.
    let real = code(1, 10);
    let last = if real.ends_with('0') { '8' } else { '0' };
    let forged = format!("{}{last}", &real[..real.len() - 1]);
    let reply = post(
        &f,
        vec![
            redeemed_result(&redemption(2), &code(1, 9), &device(2)),
            redeemed_result(&redemption(3), &code(3, 1), &device(2)),
            redeemed_result(&redemption(4), &forged, &device(3)),
        ],
    )
    .await;
    let reasons: Vec<_> = reply.acks().into_iter().map(|a| (a.1, a.2)).collect();
    let rejected = |r: &str| ("rejected".to_owned(), Some(r.to_owned()));
    assert_eq!(reasons[0], rejected("already_redeemed"));
    assert_eq!(reasons[1], rejected("code_expired"));
    assert_eq!(reasons[2], rejected("code_invalid"));
    assert_eq!(f.count("SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(
        f.count("SELECT COUNT(*) FROM surprise_redemptions").await,
        1
    );
}

/// The dark modules of one label's QR code, read from the sheet's SVG text: the label's
/// `translate(x y) scale(s)` and its run-length path (`M x y h n v 1 h -n z`).
fn raster(path_element: &str) -> (usize, Vec<bool>) {
    let attr = |name: &str| {
        let start = path_element.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        let end = start + path_element[start..].find('"').expect("closing quote");
        path_element[start..end].to_owned()
    };
    let transform = attr("transform");
    let scale: f64 = transform
        .split("scale(")
        .nth(1)
        .and_then(|s| s.trim_end_matches(')').parse().ok())
        .expect("scale");
    let size = (52.0 / scale).round() as usize;
    let mut dark = vec![false; size * size];
    for run in attr("d").split('M').filter(|r| !r.is_empty()) {
        // "x yhnv1h-nz"
        let (xy, rest) = run.split_once('h').expect("h");
        let (x, y) = xy.split_once(' ').expect("x y");
        let n: usize = rest
            .split('v')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("n");
        let (x, y): (usize, usize) = (x.parse().expect("x"), y.parse().expect("y"));
        for dx in 0..n {
            dark[y * size + x + dx] = true;
        }
    }
    (size, dark)
}

/// Decodes one QR code from its modules with rqrr, at 4 pixels per module.
fn decode(size: usize, dark: &[bool]) -> String {
    const PX: usize = 4;
    let side = size * PX;
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        if dark[(y / PX) * size + x / PX] {
            0
        } else {
            255
        }
    });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code per label");
    grids[0].decode().expect("decodes").1
}

#[tokio::test]
async fn minted_codes_verify_and_their_sheets_decode_back_to_their_urls() {
    let config = ServerConfig::from_toml_str(CONFIG).expect("config");
    let dir = tempfile::tempdir().expect("dir");
    let request = MintRequest {
        store: "demo",
        campaign: 2,
        count: 14,
        from: 100,
        sheets: true,
    };
    assert_eq!(
        sheet::mint(&config, &request, dir.path()).expect("mints"),
        14
    );
    let csv = std::fs::read_to_string(dir.path().join("codes.csv")).expect("csv");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 14);
    let store = config.store("demo").expect("store");
    for (i, row) in rows.iter().enumerate() {
        let id = codes::verify(row[1], |c| {
            store.surprise.campaign(c).map(|c| c.key.as_bytes())
        })
        .expect("a minted code verifies");
        assert_eq!((id.campaign, id.serial), (2, 100 + i as u32));
        assert_eq!(row[0], (100 + i).to_string());
        // The landing URL already has a query: the code joins it.
        assert_eq!(
            row[2],
            format!("https://shop.example/scan?from=pack&c={}", row[1])
        );
    }
    // Two sheets (12 + 2 labels); every QR code decodes to its row's URL, and shows its code.
    let mut decoded = Vec::new();
    let mut printed = String::new();
    for page in ["sheet-0001.svg", "sheet-0002.svg"] {
        let svg = std::fs::read_to_string(dir.path().join(page)).expect(page);
        for label in svg.split("<path ").skip(1) {
            let element = &label[..label.find("/>").expect("end of path")];
            let (size, dark) = raster(element);
            decoded.push(decode(size, &dark));
        }
        printed.push_str(&svg);
    }
    for row in &rows {
        assert!(
            printed.contains(&format!(">{}</text>", row[1])),
            "the code under its QR code"
        );
    }
    let urls: Vec<&str> = rows.iter().map(|r| r[2]).collect();
    assert_eq!(decoded, urls);
    // Serials cannot reach the demo's range.
    let too_far = MintRequest {
        from: 0x7fff_fff0,
        count: 100,
        ..request
    };
    assert!(sheet::mint(&config, &too_far, dir.path()).is_err());
}

#[tokio::test]
async fn demo_routes_exist_only_where_the_store_turns_them_on() {
    let f = fixture().await;
    let get = |path: &str| Request::get(path).body(Body::empty()).expect("request");
    let off = send(f.app(), get("/demo/surprise-code?store=demo")).await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);

    let on = CONFIG.replace(
        "[store.surprise.limits]",
        "[store.demo]\nmint_surprise_codes = true\n\n[store.surprise.limits]",
    );
    let f = Fixture::with_config(&on).await;
    let minted = send(f.app(), get("/demo/surprise-code?store=demo")).await;
    assert_eq!(minted.status, StatusCode::OK);
    let text = minted.json["code"].as_str().expect("code").to_owned();
    assert!(minted.json["url"].as_str().expect("url").ends_with(&text));
    let reply = redeem(&f, &text, &redemption(1), &device(1)).await;
    assert!(matches!(
        serde_json::from_value(reply.json).expect("answer"),
        Redemption::Redeemed { .. }
    ));
    let sheet = send_raw(f.app(), get("/demo/surprise-sheet.svg?store=demo")).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert_eq!(sheet.headers["content-type"], "image/svg+xml");
    assert_eq!(
        String::from_utf8_lossy(&sheet.bytes)
            .matches("<path ")
            .count(),
        12
    );
}

#[test]
fn campaign_configs_are_checked_with_clear_messages() {
    let broken = [
        ("chance = 30\ncodes", "chance = 95\ncodes", "more than 100%"),
        (
            "key = \"campaign-two-key-0123456789abcdef\"",
            "key = \"short\"",
            "needs at least 32",
        ),
        (
            "landing_url = \"https://shop.example/scan?from=pack\"",
            "landing_url = \"javascript:alert(1)\"",
            "landing_url",
        ),
        (
            "ends = \"2021-01-01\"",
            "ends = \"2019-01-01\"",
            "after starts",
        ),
        (
            "chance = 10\nbudget = 2\ncode = \"GIFT-TIN\"",
            "chance = 10\nbudget = 2",
            "needs a code",
        ),
        ("id = 4\n", "id = 3\n", "configured twice"),
    ];
    for (from, to, message) in broken {
        assert!(CONFIG.contains(from), "{from}");
        let text = CONFIG.replacen(from, to, 1);
        let err = ServerConfig::from_toml_str(&text).expect_err(message);
        assert!(err.to_string().contains(message), "{err} / {message}");
    }
    let demo = include_str!("../demo-store.toml");
    let config = ServerConfig::from_toml_str(demo).expect("the demo store is valid");
    let store = config.store("demo").expect("demo");
    assert!(store.surprise.mint_demo_codes);
    assert!(!store.surprise.campaigns.is_empty());
}

#[test]
fn check_config_warns_when_a_budgeted_prize_has_one_code_for_every_winner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("store.toml");
    std::fs::write(&path, include_str!("../demo-store.toml")).expect("write config");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_encore-server"))
        .args(["check-config", "--config"])
        .arg(&path)
        .output()
        .expect("run encore-server");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "a warning, not an error: {stdout}");
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("warning:") && l.contains("budget"))
        .collect();
    // `gift-tin` has a budget of 200 and the one code GIFT-OSMANTHUS; `off-20` draws from a
    // pool and `off-10` has no budget, so neither is named.
    assert_eq!(warnings.len(), 1, "{stdout}");
    assert!(
        warnings[0].contains("gift-tin") && warnings[0].contains("codes"),
        "{}",
        warnings[0]
    );
}

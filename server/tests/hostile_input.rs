//! Hostile input for the reference server: store config files (any text, and the shipped demo
//! config with any value changed), result batches and the query strings and bodies of the
//! routes that read tokens and codes, through the real router over a real SQLite file. The
//! server answers every one without a 5xx (a panic in a handler would be one), answers a batch
//! result by result, and a token or code changed in any way never gets anything.
//!
//! Each property runs a few dozen cases here; `long_every_property` runs them with many more
//! (`cargo xtask test --long`). The named token and code mutations and the exact error of each
//! are in `mutations`.

mod common;
#[path = "../../core/tests/support/hostile.rs"]
#[macro_use]
mod hostile;
#[path = "hostile_input/mutations.rs"]
mod mutations;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Fixture, Reply, send};
use encore_core::event_id::EventId;
use encore_core::referral::link::encode;
use encore_core::surprise::code::{self, CodeId};
use encore_core::token::{self, Envelope, MemberClaims, OrderClaims, OrderItem};
use encore_server::ServerConfig;
use encore_server::config::MIN_SECRET_BYTES;
use hostile::{Mutation, check, mutate, text};
use proptest::prelude::*;
use proptest::test_runner::TestCaseResult;
use serde_json::{Value, json};
use std::time::{SystemTime, UNIX_EPOCH};

/// Cases per property in the normal suite.
const CASES: u32 = 32;
/// Cases per property in `long_every_property`.
const LONG_CASES: u32 = 5_000;

/// The shipped demo store: the richest config there is, and the one the demo serves.
const DEMO_CONFIG: &str = include_str!("../demo-store.toml");
const DEMO_KID: &str = "demo-2026a";
const DEMO_SECRET: &[u8] = b"public-demo-secret-not-for-production-use";
const DEMO_CAMPAIGN_KEY: &[u8] = b"public-demo-surprise-key-not-for-production";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime")
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Any JSON value, often with the contract's field names.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((field(), inner), 0..4)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "id", "store", "occurred_at", "type", "data", "mode", "product", "code",
            "landed_at", "order", "order_token", "rating", "title", "body", "name", "answers",
            "photos", "locale", "fill_ms", "offer", "member_token", "device", "via",
        ]).prop_map(str::to_owned),
        1 => text(),
    ]
}

/// Genuine tokens for the demo store, valid now, for member `m-{who}` and order `{who}`: a
/// member or an order of its own for each result, so that no claim or review is refused only
/// because an earlier one took its place.
struct Genuine {
    member_token: String,
    order_token: String,
}

fn genuine(who: &str) -> Genuine {
    let now = now_secs();
    let envelope = |life: u64| Envelope {
        store: "demo".into(),
        kid: DEMO_KID.into(),
        iat: now - 30,
        exp: now + life,
    };
    let member = MemberClaims {
        envelope: envelope(600),
        member: format!("m-{who}"),
        tier: Some("gold".into()),
        last_order: Some("2026-10-02".into()),
        orders: 3,
        contact: Default::default(),
    };
    let order = OrderClaims {
        envelope: envelope(30 * 86_400),
        order: who.into(),
        items: vec![OrderItem {
            product: "celadon-gaiwan".into(),
            name: "Celadon Gaiwan".into(),
        }],
        buyer: Default::default(),
    };
    Genuine {
        member_token: token::sign(&member, DEMO_SECRET),
        order_token: token::sign(&order, DEMO_SECRET),
    }
}

/// A token or code damaged in the ways a forger would try first (never left as it was).
fn damage() -> impl Strategy<Value = Mutation> {
    let c = prop_oneof![
        prop::sample::select("Aa0-_.=+/ \n%\0é".chars().collect::<Vec<_>>()),
        any::<char>()
    ];
    prop_oneof![
        (any::<usize>(), c.clone()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        (any::<usize>(), c).prop_map(|(i, c)| Mutation::Insert(i, c)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Truncate),
        "[A-Za-z0-9_.=-]{1,6}".prop_map(Mutation::Extend),
    ]
}

/// How one result of a batch is made.
#[derive(Debug, Clone)]
struct ResultPlan {
    id: [u8; 16],
    kind: usize,
    serial: u32,
    /// Damage to the result's token or code, if any.
    damage: Option<Mutation>,
    /// A field (in `data` or at the top) set to any value, or removed.
    edit: Option<(bool, String, Option<Value>)>,
}

fn result_plan() -> impl Strategy<Value = ResultPlan> {
    (
        any::<[u8; 16]>(),
        0usize..7,
        any::<u32>(),
        prop::option::of(damage()),
        prop::option::weighted(
            0.5,
            (any::<bool>(), field(), prop::option::of(json_value())),
        ),
    )
        .prop_map(|(id, kind, serial, damage, edit)| ResultPlan {
            id,
            kind,
            serial,
            damage,
            edit,
        })
}

/// The result `plan` describes, and whether its token or code was damaged into another.
fn build(plan: &ResultPlan) -> (Value, bool) {
    let id = EventId::from_random_bytes(plan.id);
    let genuine = genuine(&id.as_str()[..8]);
    let now_ms = now_secs() * 1000;
    let hurt = |text: &str| match &plan.damage {
        Some(d) => mutate(text, d),
        None => text.to_owned(),
    };
    let code = code::mint(
        CodeId {
            campaign: 1,
            serial: plan.serial,
        },
        DEMO_CAMPAIGN_KEY,
    );
    let (ty, data, changed) = match plan.kind {
        0 => (
            "widget.impression",
            json!({"mode": "product", "product": "celadon-gaiwan"}),
            false,
        ),
        1 => (
            "referral.landed",
            json!({"code": "AB12CD34", "landed_at": now_ms}),
            false,
        ),
        2 => {
            let token = hurt(&genuine.order_token);
            let changed = token != genuine.order_token;
            (
                "review.submitted",
                json!({"product": "celadon-gaiwan", "order": &id.as_str()[..8], "order_token": token,
                       "rating": 5, "title": "Lovely", "body": "A fine gaiwan that pours well.",
                       "name": "Mei", "locale": "en", "fill_ms": 30_000}),
                changed,
            )
        }
        3 => {
            let token = hurt(&genuine.member_token);
            let changed = token != genuine.member_token;
            (
                "offer.claimed",
                json!({"offer": "gold-20", "member_token": token}),
                changed,
            )
        }
        4 => {
            let typed = hurt(&code);
            // Case, dashes, spaces and look-alikes are forgiven on purpose.
            let changed = code::normalize(&typed) != code::normalize(&code);
            (
                "surprise.redeemed",
                json!({"code": typed, "device": "device-0123456789"}),
                changed,
            )
        }
        5 => (
            "referral.shared",
            json!({"code": "AB12CD34", "via": "copy"}),
            false,
        ),
        _ => {
            let token = hurt(&genuine.order_token);
            let changed = token != genuine.order_token;
            (
                "referral.ordered",
                json!({"code": "AB12CD34", "landed_at": now_ms, "order_token": token,
                       "device": "device-0123456789"}),
                changed,
            )
        }
    };
    let mut result = json!({
        "id": id.as_str(),
        "store": "demo",
        "occurred_at": now_ms,
        "type": ty,
        "data": data,
    });
    let mut edited = false;
    if let Some((in_data, field, value)) = &plan.edit {
        let target = if *in_data {
            result.get_mut("data")
        } else {
            Some(&mut result)
        };
        if let Some(Value::Object(object)) = target {
            edited = true;
            match value {
                Some(value) => object.insert(field.clone(), value.clone()),
                None => object.remove(field),
            };
        }
    }
    // A damaged token only proves something while the rest of the result is as sent.
    (result, changed && !edited)
}

fn assert_json_error(reply: &Reply) -> TestCaseResult {
    prop_assert!(
        reply.json["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{}: {}",
        reply.status,
        reply.json
    );
    Ok(())
}

/// Any batch: the server answers without a 5xx, one answer per result in order with the id
/// as sent; a result whose member token, order token or code was changed gets nothing.
fn event_batches(cases: u32) {
    let rt = runtime();
    let fixture = rt.block_on(Fixture::with_config(DEMO_CONFIG));
    let body = prop_oneof![
        4 => prop::collection::vec(result_plan(), 1..5).prop_map(Some),
        1 => Just(None),
    ];
    check(
        "event batches",
        cases,
        (body, json_value(), text()),
        |(plans, other_json, other_text)| {
            let (text, planned) = match &plans {
                Some(plans) => {
                    let built: Vec<(Value, bool)> = plans.iter().map(build).collect();
                    let events: Vec<&Value> = built.iter().map(|(v, _)| v).collect();
                    (json!({ "events": events }).to_string(), built)
                }
                None => {
                    let text = if other_text.len() % 2 == 0 {
                        other_text
                    } else {
                        json!({ "events": other_json }).to_string()
                    };
                    (text, Vec::new())
                }
            };
            let reply = rt.block_on(fixture.post_text(text));
            prop_assert!(!reply.status.is_server_error(), "{}", reply.json);
            if !matches!(
                reply.status,
                StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY
            ) {
                return assert_json_error(&reply);
            }
            let acks = reply.acks();
            if planned.is_empty() {
                return Ok(());
            }
            prop_assert_eq!(acks.len(), planned.len());
            for ((id, status, reason), (sent, damaged)) in acks.iter().zip(&planned) {
                prop_assert_eq!(Some(id.as_str()), sent["id"].as_str().or(Some("")));
                prop_assert!(
                    ["accepted", "duplicate", "rejected"].contains(&status.as_str()),
                    "{}",
                    status
                );
                prop_assert_eq!(status == "rejected", reason.is_some());
                let granting = ["offer.claimed", "surprise.redeemed", "referral.ordered"];
                if *damaged && granting.contains(&sent["type"].as_str().unwrap_or_default()) {
                    prop_assert_eq!(status.as_str(), "rejected", "{}", sent);
                }
            }
            Ok(())
        },
    );
}

/// The routes that read a token or a code from a query or a body, fed anything: never a 5xx,
/// and a member token changed in any way never shows the page of a member.
fn token_and_code_routes(cases: u32) {
    let rt = runtime();
    let fixture = rt.block_on(Fixture::with_config(DEMO_CONFIG));
    let genuine = genuine("hostile");
    let value = prop_oneof![
        2 => damage().prop_map(Some),
        1 => Just(None),
    ];
    check(
        "token and code routes",
        cases,
        (0usize..7, value, text(), text(), any::<[u8; 16]>()),
        |(route, damage, a, b, id)| {
            let member_token = match &damage {
                Some(d) => mutate(&genuine.member_token, d),
                None => a.clone(),
            };
            let order_token = match &damage {
                Some(d) => mutate(&genuine.order_token, d),
                None => a.clone(),
            };
            let get = |uri: String| Request::get(uri).body(Body::empty());
            let request = match route {
                0 => get(format!(
                    "/v1/offers?store=demo&token={}",
                    encode(&member_token)
                )),
                1 => get(format!(
                    "/v1/referral?store=demo&token={}",
                    encode(&member_token)
                )),
                2 => get(format!(
                    "/v1/orders/{}/review-request?store=demo&token={}",
                    encode(&b),
                    encode(&order_token)
                )),
                3 => get(format!(
                    "/v1/referral/welcome?store=demo&code={}&locale={}",
                    encode(&a),
                    encode(&b)
                )),
                4 => get(format!(
                    "/demo/member-token?store=demo&member={}&tier={}&last_order={}&email={}",
                    encode(&a),
                    encode(&b),
                    encode(&b),
                    encode(&a)
                )),
                5 => get(format!(
                    "/demo/order-token?store=demo&order={}&items={}&name={}&email={}&buyer={}",
                    encode(&b),
                    encode(&a),
                    encode(&b),
                    encode(&a),
                    encode(&b)
                )),
                _ => Request::post("/v1/surprise/redeem")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({
                            "store": "demo",
                            "code": a,
                            "redemption": EventId::from_random_bytes(id).as_str(),
                            "device": "device-0123456789",
                            "member_token": member_token,
                            "locale": b,
                        })
                        .to_string(),
                    )),
            };
            // A URI longer than HTTP can carry never reaches a server.
            let Ok(request) = request else {
                return Ok(());
            };
            let reply = rt.block_on(send(fixture.app(), request));
            prop_assert!(!reply.status.is_server_error(), "{}", reply.json);
            if route == 0 && damage.is_some() && member_token != genuine.member_token {
                prop_assert_eq!(reply.status, StatusCode::OK);
                prop_assert_ne!(&reply.json["status"]["kind"], "member");
                prop_assert_eq!(&reply.json["offers"], &json!([]));
            }
            Ok(())
        },
    );
}

/// A value a config file might hold anywhere.
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        text().prop_map(toml::Value::String),
        any::<i64>().prop_map(toml::Value::Integer),
        prop_oneof![Just(0i64), Just(-1), Just(1), Just(65_536), Just(i64::MAX)]
            .prop_map(toml::Value::Integer),
        any::<f64>().prop_map(toml::Value::Float),
        any::<bool>().prop_map(toml::Value::Boolean),
        prop::sample::select(vec![
            "2026-01-01",
            "2026-02-30",
            "2026-01-01T25:00",
            "24:00",
            "00:00",
            "tue",
            "month_end",
            "Asia/Shanghai",
            "Mars/Olympus",
            "",
            "http://",
            "https://x.example",
        ])
        .prop_map(|s| toml::Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(toml::Value::Array),
            prop::collection::vec(("[a-z_]{1,12}", inner), 0..3)
                .prop_map(|kv| toml::Value::Table(kv.into_iter().collect())),
        ]
    })
}

/// Every leaf of `value`, as paths of keys and indices.
fn leaves(value: &toml::Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        toml::Value::Table(table) => {
            for (k, v) in table {
                path.push(Step::Key(k.clone()));
                leaves(v, path, out);
                path.pop();
            }
        }
        toml::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                leaves(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
    out.push(path.clone());
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at<'v>(value: &'v mut toml::Value, path: &[Step]) -> Option<&'v mut toml::Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// How a config file is changed.
#[derive(Debug, Clone)]
enum ConfigEdit {
    /// A value changed to another of its type: an edge number, other text, one item less.
    Tweak(usize, usize, String),
    /// Any node (a value, a table, an array) replaced.
    Replace(usize, toml::Value),
    /// A key removed from its table.
    Remove(usize),
    /// A key added to a table.
    Add(usize, String, toml::Value),
}

fn config_edit() -> impl Strategy<Value = ConfigEdit> {
    prop_oneof![
        8 => (any::<usize>(), any::<usize>(), text())
            .prop_map(|(i, how, text)| ConfigEdit::Tweak(i, how, text)),
        2 => (any::<usize>(), toml_value()).prop_map(|(i, v)| ConfigEdit::Replace(i, v)),
        2 => any::<usize>().prop_map(ConfigEdit::Remove),
        1 => (any::<usize>(), "[a-z_]{1,12}", toml_value())
            .prop_map(|(i, k, v)| ConfigEdit::Add(i, k, v)),
    ]
}

fn edit_config(doc: &mut toml::Value, edit: &ConfigEdit) {
    let mut paths = Vec::new();
    leaves(doc, &mut Vec::new(), &mut paths);
    let pick = |i: usize| paths[i % paths.len()].clone();
    match edit {
        ConfigEdit::Tweak(i, how, text) => {
            if let Some(slot) = at(doc, &pick(*i)) {
                tweak(slot, *how, text);
            }
        }
        ConfigEdit::Replace(i, value) => {
            if let Some(slot) = at(doc, &pick(*i)) {
                *slot = value.clone();
            }
        }
        ConfigEdit::Remove(i) => {
            let path = pick(*i);
            if let Some((Step::Key(key), parent)) = path.split_last() {
                if let Some(toml::Value::Table(table)) = at(doc, parent) {
                    table.remove(key);
                }
            }
        }
        ConfigEdit::Add(i, key, value) => {
            if let Some(toml::Value::Table(table)) = at(doc, &pick(*i)) {
                table.insert(key.clone(), value.clone());
            }
        }
    }
}

/// `value` changed to another value of its own type, the `how`th way.
fn tweak(value: &mut toml::Value, how: usize, text: &str) {
    const STRINGS: &[&str] = &[
        "",
        " ",
        "2026-02-29",
        "2026-13-01",
        "2026-01-01T00:00",
        "1970-01-01",
        "9999-12-31",
        "25:61",
        "23:59",
        "sun",
        "month_end",
        "UTC",
        "Etc/GMT+14",
        "Mars/Olympus",
        "http://",
        "https://",
        "javascript:alert(1)",
        "choice",
        "scale",
        "coupon",
        "gift",
        "points",
        "with_photos",
        "zh-CN",
        "k1",
        "DEMO",
        "a-b_c",
    ];
    const INTEGERS: &[i64] = &[
        0,
        1,
        -1,
        2,
        59,
        60,
        101,
        255,
        256,
        65_535,
        65_536,
        4_294_967_295,
        4_294_967_296,
        i64::MAX,
        i64::MIN,
    ];
    const FLOATS: &[f64] = &[
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
        -1.0,
        0.0001,
        0.00001,
        99.9999,
        100.0,
        100.0001,
        1e300,
    ];
    match value {
        toml::Value::String(s) => {
            *s = match how % 3 {
                0 => STRINGS[how / 3 % STRINGS.len()].to_owned(),
                1 => text.to_owned(),
                _ => format!("{s}{text}"),
            }
        }
        toml::Value::Integer(n) => {
            *n = match how % 2 {
                0 => INTEGERS[how / 2 % INTEGERS.len()],
                _ => n.wrapping_add((how / 2 % 5) as i64 - 2),
            }
        }
        toml::Value::Float(f) => *f = FLOATS[how % FLOATS.len()],
        toml::Value::Boolean(b) => *b = !*b,
        toml::Value::Array(items) if !items.is_empty() => {
            let i = how / 3 % items.len();
            match how % 3 {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => items.clear(),
            }
        }
        _ => {}
    }
}

/// The store config parser, fed any text and the shipped configs with any value changed,
/// removed or added: a validated config or an error with a message, never a panic; an
/// accepted config has only plain store and key ids and long enough secrets.
fn config_files(cases: u32) {
    let bases: Vec<toml::Value> = [
        DEMO_CONFIG,
        common::surprise::CONFIG,
        include_str!("../benches/forged-store.toml"),
    ]
    .iter()
    .map(|text| toml::from_str(text).expect("a shipped config parses"))
    .collect();
    let input = prop_oneof![
        4 => (
            prop::sample::select(bases),
            prop::collection::vec(config_edit(), 1..4),
        )
            .prop_map(|(mut doc, edits)| {
                for edit in &edits {
                    edit_config(&mut doc, edit);
                }
                toml::to_string(&doc).unwrap_or_default()
            }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| {
            // The demo config with a slice cut out of it.
            let (a, b) = (a % DEMO_CONFIG.len(), b % DEMO_CONFIG.len());
            let (a, b) = (a.min(b), a.max(b));
            let keep = |i: usize| DEMO_CONFIG.is_char_boundary(i);
            let a = (0..=a).rev().find(|&i| keep(i)).unwrap_or(0);
            let b = (b..=DEMO_CONFIG.len()).find(|&i| keep(i)).unwrap_or(DEMO_CONFIG.len());
            format!("{}{}", &DEMO_CONFIG[..a], &DEMO_CONFIG[b..])
        }),
        1 => text(),
    ];
    check("config files", cases, input, |text| {
        // Every `key_env` and `secret_env` names a set variable, so validation goes on past it.
        let env = |var: &str| Some(format!("{var}-from-the-environment-0123456789abcdef"));
        match ServerConfig::from_toml_str_with_env(&text, env) {
            Ok(config) => {
                prop_assert!(!config.stores().is_empty());
                for store in config.stores() {
                    prop_assert!(encore_core::config::is_store_id(&store.id));
                    for key in &store.keys {
                        prop_assert!(encore_core::config::is_store_id(&key.id));
                        prop_assert!(key.secret.as_bytes().len() >= MIN_SECRET_BYTES);
                    }
                    for campaign in &store.surprise.campaigns {
                        prop_assert!(campaign.starts_at < campaign.ends_at);
                    }
                }
            }
            Err(e) => prop_assert!(!e.to_string().trim().is_empty()),
        }
        Ok(())
    });
}

impl Fixture {
    /// Posts `body` as `application/json` with no Origin.
    async fn post_text(&self, body: String) -> Reply {
        self.send(common::events_request(body, "application/json", None))
            .await
    }
}

properties!(event_batches, token_and_code_routes, config_files);

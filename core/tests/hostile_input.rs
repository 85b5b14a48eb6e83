//! Hostile input for encore-core's parsers, decoders and verifiers: whatever a page, a link or a
//! client sends, each returns a value or an error and never panics (proptest catches a panic
//! and reports the smallest input that causes it); what has an encoder decodes back to itself;
//! and no change to a signed token or a printed code is accepted.
//!
//! Each property runs a few dozen cases here so the suite stays quick; `long_every_property`
//! runs them all with many more (`cargo xtask test --long`). The exact error of each named
//! token and code mutation is in the server's table (server/tests/hostile_input/mutations.rs),
//! which runs them against the verifiers the server really uses.

#[path = "support/hostile.rs"]
#[macro_use]
mod hostile;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use encore_core::config::{PageContext, WidgetConfig, is_store_id};
use encore_core::event_id::EventId;
use encore_core::events::{KNOWN_TYPES, decode_event};
use encore_core::locale::{self, Locale};
use encore_core::referral::link::is_referral_code;
use encore_core::referral::{email, link};
use encore_core::surprise::code::{self, CODE_LEN, CodeId};
use encore_core::token::{
    self, Buyer, Contact, Envelope, Expectations, MAX_TOKEN_LEN, MEMBER_TOKEN_MAX_SECS,
    MemberClaims, OrderClaims, OrderItem, TokenError,
};
use encore_core::url::Endpoint;
use hostile::{Mutation, check, mutate, text};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Cases per property in the normal suite.
const CASES: u32 = 64;
/// Cases per property in `long_every_property`.
const LONG_CASES: u32 = 10_000;

const NOW: u64 = 1_800_000_000;
const K1: &[u8] = b"hostile-input-key-one-0123456789";
const K2: &[u8] = b"hostile-input-key-two-0123456789";
const ORDER_MAX_LIFETIME: u64 = 180 * 86_400;
/// Crockford's alphabet, as the codes use it.
const CODE_ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// ---------------------------------------------------------------------------------------------
// Generators

/// Characters a token or a code might be mangled with.
fn mangling_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(
            "AZaz09-_.=+/ \t\n\r%\0é\u{200b}０OIL".chars().collect::<Vec<_>>()
        ),
        1 => any::<char>(),
    ]
}

/// Any JSON value, its object keys often the contract's own field names.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        text().prop_map(Value::from),
        field_name().prop_map(Value::from),
        Just(Value::from("0f8fad5b-d9cb-469f-a165-70867728950e")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// Object keys: the endpoint contract's field names and types, and anything else.
fn field_name() -> impl Strategy<Value = String> {
    let mut known: Vec<String> = [
        "id",
        "store",
        "occurred_at",
        "type",
        "data",
        "mode",
        "product",
        "page",
        "code",
        "landed_at",
        "order",
        "order_token",
        "rating",
        "title",
        "body",
        "name",
        "answers",
        "photos",
        "locale",
        "fill_ms",
        "website",
        "offer",
        "member_token",
        "device",
        "via",
        "question",
        "value",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    known.extend(KNOWN_TYPES.iter().map(|s| s.to_string()));
    prop_oneof![3 => prop::sample::select(known), 1 => text()]
}

/// One valid result of each type of the contract, as a widget posts it.
fn valid_events() -> Vec<Value> {
    let base = |ty: &str, data: Value| {
        json!({
            "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
            "store": "demo",
            "occurred_at": 1_700_000_000_000u64,
            "type": ty,
            "data": data,
        })
    };
    vec![
        base(
            "widget.impression",
            json!({"mode": "product", "product": "sku-42", "page": "https://shop.example/p"}),
        ),
        base(
            "referral.landed",
            json!({"code": "AB12CD34", "landed_at": 1_700_000_000_000u64}),
        ),
        base(
            "review.submitted",
            json!({"product": "sku-42", "order": "1001", "order_token": "e30.AAAA", "rating": 5,
                   "title": "Good", "body": "A fine tea, brewed three times.", "name": "Mei",
                   "answers": [{"question": "strength", "value": "light"}],
                   "photos": ["p1.jpg"], "locale": "en", "fill_ms": 12_000}),
        ),
        base(
            "offer.claimed",
            json!({"offer": "gold-20", "member_token": "e30.AAAA"}),
        ),
        base(
            "surprise.redeemed",
            json!({"code": "0001-0000-0000-0000-0000-000", "device": "device-0123456789"}),
        ),
        base(
            "referral.shared",
            json!({"code": "AB12CD34", "via": "whatsapp"}),
        ),
        base(
            "referral.ordered",
            json!({"code": "AB12CD34", "landed_at": 1_700_000_000_000u64,
                   "order_token": "e30.AAAA", "device": "device-0123456789"}),
        ),
    ]
}

/// How a valid result is damaged: a field (top level or in `data`) replaced, removed or added.
#[derive(Debug, Clone)]
enum EventEdit {
    Replace {
        in_data: bool,
        field: String,
        value: Value,
    },
    Remove {
        in_data: bool,
        field: String,
    },
    Add {
        in_data: bool,
        field: String,
        value: Value,
    },
}

fn event_edit() -> impl Strategy<Value = EventEdit> {
    prop_oneof![
        (any::<bool>(), field_name(), json_value()).prop_map(|(in_data, field, value)| {
            EventEdit::Replace {
                in_data,
                field,
                value,
            }
        }),
        (any::<bool>(), field_name())
            .prop_map(|(in_data, field)| EventEdit::Remove { in_data, field }),
        (any::<bool>(), text(), json_value()).prop_map(|(in_data, field, value)| {
            EventEdit::Add {
                in_data,
                field,
                value,
            }
        }),
    ]
}

fn apply(mut event: Value, edits: &[EventEdit]) -> Value {
    for edit in edits {
        let (in_data, field) = match edit {
            EventEdit::Replace { in_data, field, .. }
            | EventEdit::Remove { in_data, field }
            | EventEdit::Add { in_data, field, .. } => (*in_data, field.clone()),
        };
        let target = if in_data {
            event.get_mut("data")
        } else {
            Some(&mut event)
        };
        let Some(Value::Object(object)) = target else {
            continue;
        };
        match edit {
            EventEdit::Remove { .. } => {
                object.remove(&field);
            }
            EventEdit::Replace { value, .. } | EventEdit::Add { value, .. } => {
                object.insert(field, value.clone());
            }
        }
    }
    event
}

/// A damaged valid result, or any JSON value at all.
fn raw_event() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => (
            prop::sample::select(valid_events()),
            prop::collection::vec(event_edit(), 0..4),
        )
            .prop_map(|(event, edits)| apply(event, &edits)),
        1 => json_value(),
    ]
}

fn member_claims() -> impl Strategy<Value = MemberClaims> {
    (
        (1u64..=MEMBER_TOKEN_MAX_SECS, any::<u64>()),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        any::<u32>(),
        contact(),
    )
        .prop_map(
            |((life, offset), member, tier, last_order, orders, contact)| {
                // Issued within the skew, still valid now.
                let iat = NOW + 60 - offset % (life + 60);
                MemberClaims {
                    envelope: Envelope {
                        store: "demo".into(),
                        kid: "k1".into(),
                        iat,
                        exp: iat + life,
                    },
                    member,
                    tier,
                    last_order,
                    orders,
                    contact,
                }
            },
        )
}

fn contact() -> impl Strategy<Value = Contact> {
    (prop::option::of(text()), prop::option::of(text()))
        .prop_map(|(name, email)| Contact { name, email })
}

fn order_claims() -> impl Strategy<Value = OrderClaims> {
    (
        (1u64..=ORDER_MAX_LIFETIME, any::<u64>()),
        text(),
        prop::collection::vec(
            (text(), text()).prop_map(|(product, name)| OrderItem { product, name }),
            0..4,
        ),
        contact(),
        prop::option::of(text()),
        prop::option::of(any::<u32>()),
    )
        .prop_map(
            |((life, offset), order, items, contact, member, orders_before)| {
                let iat = NOW + 60 - offset % (life + 60);
                OrderClaims {
                    envelope: Envelope {
                        store: "demo".into(),
                        kid: "k1".into(),
                        iat,
                        exp: iat + life,
                    },
                    order,
                    items,
                    buyer: Buyer {
                        contact,
                        member,
                        orders_before,
                    },
                }
            },
        )
}

fn keys(kid: &str) -> Option<&'static [u8]> {
    match kid {
        "k1" => Some(K1),
        "k2" => Some(K2),
        _ => None,
    }
}

fn verify_member(token: &str) -> Result<MemberClaims, TokenError> {
    token::verify(
        token,
        keys,
        Expectations {
            store: "demo",
            now: NOW,
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    )
}

fn verify_order(token: &str) -> Result<OrderClaims, TokenError> {
    token::verify(
        token,
        keys,
        Expectations {
            store: "demo",
            now: NOW,
            max_lifetime: ORDER_MAX_LIFETIME,
        },
    )
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), mangling_char()).prop_map(|(i, c)| Mutation::Replace(i, c)),
        2 => (any::<usize>(), mangling_char()).prop_map(|(i, c)| Mutation::Insert(i, c)),
        2 => any::<usize>().prop_map(Mutation::Remove),
        2 => any::<usize>().prop_map(Mutation::Truncate),
        2 => "[A-Za-z0-9_.=-]{1,8}".prop_map(Mutation::Extend),
        2 => any::<usize>().prop_map(Mutation::Swap),
        1 => Just(Mutation::StandardAlphabet),
        1 => (any::<bool>(), 1usize..3)
            .prop_map(|(after_payload, count)| Mutation::Padding { after_payload, count }),
        1 => (any::<usize>(), prop::sample::select(vec![' ', '\t', '\n', '\r', '\u{a0}']))
            .prop_map(|(i, c)| Mutation::Whitespace(i, c)),
        1 => Just(Mutation::FlipCase),
        1 => Just(Mutation::SwapParts),
    ]
}

// ---------------------------------------------------------------------------------------------
// Properties

/// The widget's attributes, whatever a page writes in them, give a configuration or a list of
/// mistakes; an accepted configuration holds only values the widget can use safely.
fn widget_attributes(cases: u32) {
    let attribute_names = [
        "mode",
        "endpoint",
        "store",
        "product",
        "order",
        "order-token",
        "member",
        "member-token",
        "locale",
        "theme",
        "data-jsonld",
    ];
    let value = prop_oneof![
        3 => prop::sample::select(vec![
            "product", "review", "thank-you", "scan", "offers", "referral", "referral-welcome",
            "https://api.shop.example/encore", "/encore", "//evil.example", "javascript:alert(1)",
            "demo", "sku-42", "1001", "zh-CN", "en", "dark", "off", "e30.AAAA", " ",
        ]).prop_map(str::to_owned),
        2 => text(),
    ];
    let attributes = prop::collection::hash_map(
        prop::sample::select(attribute_names.to_vec()).prop_map(str::to_owned),
        value,
        0..12,
    );
    let page = (
        prop::option::of(prop_oneof![
            Just("https://shop.example".to_owned()),
            Just("http://127.0.0.1:8080".to_owned()),
            text(),
        ]),
        prop::option::of(text()),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(|(origin, lang, languages)| PageContext {
            origin,
            lang,
            languages,
        });
    check(
        "widget attributes",
        cases,
        (attributes, page),
        |(attrs, page): (HashMap<String, String>, PageContext)| {
            let read = |name: &str| attrs.get(name).cloned();
            match WidgetConfig::from_attributes(read, &page) {
                Ok(config) => {
                    prop_assert!(is_store_id(&config.store));
                    prop_assert_eq!(
                        Endpoint::parse(config.endpoint.as_str(), None),
                        Ok(config.endpoint.clone())
                    );
                    for (id, max) in [
                        (&config.product, 128),
                        (&config.order, 128),
                        (&config.member, 128),
                        (&config.order_token, MAX_TOKEN_LEN),
                        (&config.member_token, MAX_TOKEN_LEN),
                    ] {
                        if let Some(id) = id {
                            prop_assert!(!id.is_empty() && id.chars().count() <= max);
                            prop_assert!(!id.chars().any(char::is_control), "{:?}", id);
                            prop_assert_eq!(id.trim(), id.as_str());
                        }
                    }
                    for &required in config.mode.required_attributes() {
                        prop_assert!(attrs.get(required).is_some_and(|v| !v.trim().is_empty()));
                    }
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    for e in &errors {
                        prop_assert!(!e.to_string().is_empty());
                    }
                }
            }
            // Whatever the attributes, the widget speaks one of its languages.
            let spoken = WidgetConfig::locale_for(read, &page);
            prop_assert!(matches!(spoken, Locale::En | Locale::ZhCn));
            Ok(())
        },
    );
}

/// Any `endpoint` value parses or is refused; a parsed one is a plain base URL that parses to
/// itself again.
fn endpoint_urls(cases: u32) {
    let url_like = (
        prop::sample::select(vec![
            "http://", "https://", "HTTPS://", "hTTp://", "ftp://", "", "//", "/", "http:/",
        ]),
        prop_oneof![
            3 => prop::sample::select(vec![
                "shop.example", "API.Shop.Example", "127.0.0.1", "[::1]", "[ABCD::1]", "a-b.c",
                "localhost", "user@shop.example",
            ]).prop_map(str::to_owned),
            1 => "[a-zA-Z0-9.\\-\\[\\]:@_%]{0,24}",
        ],
        prop::option::of("[0-9+\\- ]{0,7}"),
        prop_oneof![
            "(/[ -~]{0,12}){0,3}",
            "/[^?#]{0,8}",
            "(/[a-z]{0,3}){0,2}/{1,2}",
            Just(String::new())
        ],
    )
        .prop_map(|(scheme, host, port, path)| match port {
            Some(port) => format!("{scheme}{host}:{port}{path}"),
            None => format!("{scheme}{host}{path}"),
        });
    let raw = prop_oneof![3 => url_like, 1 => text()];
    let origin = prop::option::of(prop_oneof![
        Just("https://shop.example".to_owned()),
        Just("https://shop.example/sub".to_owned()),
        text(),
    ]);
    check("endpoint urls", cases, (raw, origin), |(raw, origin)| {
        let Ok(endpoint) = Endpoint::parse(&raw, origin.as_deref()) else {
            return Ok(());
        };
        let base = endpoint.as_str();
        prop_assert_eq!(Endpoint::parse(base, None), Ok(endpoint.clone()));
        prop_assert_eq!(format!("{}{}", endpoint.origin(), endpoint.path()), base);
        prop_assert!(base.starts_with("http://") || base.starts_with("https://"));
        let host = endpoint.origin().split_once("://").map(|(_, h)| h);
        prop_assert!(host.is_some_and(|h| !h.is_empty() && !h.contains('/')));
        prop_assert!(!base.ends_with('/'));
        prop_assert!(base.is_ascii());
        // `@` is a path character, but never in the authority.
        prop_assert!(!endpoint.origin().contains('@'), "{}", base);
        prop_assert!(!base.contains(['?', '#', ' ', '\\']), "{}", base);
        prop_assert_eq!(endpoint.join("/v1/events"), format!("{base}/v1/events"));
        Ok(())
    });
}

/// Language tags from attributes, pages and browsers never break locale resolution.
fn language_tags(cases: u32) {
    let tag = prop_oneof!["[a-zA-Z]{1,4}(-[a-zA-Z0-9]{0,9}){0,3}", text()];
    check(
        "language tags",
        cases,
        (tag.clone(), tag.clone(), prop::collection::vec(tag, 0..4)),
        |(attribute, page, browser)| {
            if locale::is_well_formed(&attribute) {
                prop_assert!(attribute.is_ascii() && !attribute.contains(['_', ' ']));
            }
            let resolved = locale::resolve(Some(&attribute), Some(&page), &browser);
            if let Some(own) = Locale::for_tag(&attribute) {
                prop_assert_eq!(resolved, own);
                prop_assert_eq!(Locale::for_tag(own.tag()), Some(own));
            }
            Ok(())
        },
    );
}

/// Every raw result decodes or is rejected with its id as sent; a decoded one encodes and
/// decodes to the same result, with its id normalised.
fn event_decoding(cases: u32) {
    check("event decoding", cases, raw_event(), |raw| {
        let sent_id = raw.get("id").and_then(Value::as_str).unwrap_or_default();
        match decode_event(&raw) {
            Ok(event) => {
                prop_assert_eq!(event.id.as_str(), sent_id.to_ascii_lowercase());
                prop_assert!(KNOWN_TYPES.contains(&event.body.type_name()));
                let wire = serde_json::to_value(&event).expect("an event serialises");
                prop_assert_eq!(decode_event(&wire), Ok(event));
            }
            Err((id, reason)) => {
                prop_assert_eq!(id.as_str(), sent_id);
                prop_assert!(!reason.code().is_empty());
            }
        }
        Ok(())
    });
}

/// Any text, parsed as a batch and then result by result, never breaks the decoder.
fn event_batches(cases: u32) {
    let body = prop_oneof![
        json_value().prop_map(|v| json!({ "events": [v] }).to_string()),
        prop::collection::vec(raw_event(), 0..4).prop_map(|e| json!({ "events": e }).to_string()),
        text(),
        json_value().prop_map(|v| v.to_string()),
    ];
    check("event batches", cases, body, |body| {
        if let Ok(batch) = serde_json::from_str::<encore_core::events::EventBatch>(&body) {
            for raw in &batch.events {
                let _ = decode_event(raw);
            }
        }
        Ok(())
    });
}

/// Event ids: made from any 16 bytes they parse back; any text parses only as a UUID.
fn event_ids(cases: u32) {
    check(
        "event ids",
        cases,
        (any::<[u8; 16]>(), text()),
        |(bytes, text)| {
            let id = EventId::from_random_bytes(bytes);
            prop_assert_eq!(EventId::parse(id.as_str()), Ok(id.clone()));
            prop_assert_eq!(EventId::parse(&id.as_str().to_ascii_uppercase()), Ok(id));
            if let Ok(parsed) = EventId::parse(&text) {
                prop_assert_eq!(parsed.as_str().len(), 36);
                prop_assert_eq!(parsed.as_str(), text.to_ascii_lowercase());
            }
            Ok(())
        },
    );
}

/// Neither verifier nor reader of tokens breaks on any text, and nothing unsigned verifies.
fn token_garbage(cases: u32) {
    let token_like = prop_oneof![
        text(),
        "[A-Za-z0-9_=+/.-]{0,80}",
        // Claims of any shape, with a tag of the right length that was never computed.
        (json_value(), any::<[u8; 32]>()).prop_map(|(claims, tag)| {
            format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(claims.to_string()),
                URL_SAFE_NO_PAD.encode(tag)
            )
        }),
    ];
    check("token garbage", cases, token_like, |token| {
        prop_assert!(verify_member(&token).is_err());
        prop_assert!(verify_order(&token).is_err());
        let _ = token::read_unverified::<MemberClaims>(&token);
        let _ = token::read_unverified::<Value>(&token);
        Ok(())
    });
}

/// A member token signed with the store's key verifies to exactly what was signed (unless it
/// is longer than any verifier reads), and reads as no order token.
fn member_token_round_trip(cases: u32) {
    check(
        "member token round trip",
        cases,
        member_claims(),
        |claims| {
            let token = token::sign(&claims, K1);
            if token.len() > MAX_TOKEN_LEN {
                prop_assert_eq!(verify_member(&token), Err(TokenError::Malformed));
                return Ok(());
            }
            prop_assert_eq!(verify_member(&token), Ok(claims.clone()));
            prop_assert_eq!(token::read_unverified::<MemberClaims>(&token), Ok(claims));
            prop_assert_eq!(verify_order(&token), Err(TokenError::Malformed));
            Ok(())
        },
    );
}

/// The same for order tokens, which never read as member tokens.
fn order_token_round_trip(cases: u32) {
    check("order token round trip", cases, order_claims(), |claims| {
        let token = token::sign(&claims, K1);
        if token.len() > MAX_TOKEN_LEN {
            prop_assert_eq!(verify_order(&token), Err(TokenError::Malformed));
            return Ok(());
        }
        prop_assert_eq!(verify_order(&token), Ok(claims.clone()));
        prop_assert_eq!(verify_member(&token), Err(TokenError::Malformed));
        Ok(())
    });
}

/// A token no longer than verifiers read also fits the widget's `member-token` attribute.
fn tokens_fit_the_widget(cases: u32) {
    check("tokens fit the widget", cases, member_claims(), |claims| {
        let token = token::sign(&claims, K1);
        let attrs = |name: &str| match name {
            "mode" => Some("offers".to_owned()),
            "endpoint" => Some("https://api.shop.example".to_owned()),
            "store" => Some("demo".to_owned()),
            "member-token" => Some(token.clone()),
            _ => None,
        };
        let config = WidgetConfig::from_attributes(attrs, &PageContext::default());
        if token.len() <= MAX_TOKEN_LEN {
            prop_assert_eq!(config.map(|c| c.member_token), Ok(Some(token.clone())));
        }
        Ok(())
    });
}

/// Claims signed with any secret but the one their key id names are refused as forged.
fn tokens_under_another_secret(cases: u32) {
    let secret = prop::collection::vec(any::<u8>(), 0..64).prop_filter("not k1", |s| s != K1);
    check(
        "tokens under another secret",
        cases,
        (member_claims(), order_claims(), secret),
        |(member, order, secret)| {
            let m = token::sign(&member, &secret);
            if m.len() <= MAX_TOKEN_LEN {
                prop_assert_eq!(verify_member(&m), Err(TokenError::BadSignature));
            }
            let o = token::sign(&order, &secret);
            if o.len() <= MAX_TOKEN_LEN {
                prop_assert_eq!(verify_order(&o), Err(TokenError::BadSignature));
            }
            Ok(())
        },
    );
}

/// Any change to a signed token — a character replaced, inserted, removed or swapped, a cut,
/// an extension, the standard base64 alphabet, padding, whitespace, case, the parts swapped —
/// is refused by both verifiers.
fn token_mutations(cases: u32) {
    let token = prop_oneof![
        member_claims().prop_map(|c| token::sign(&c, K1)),
        order_claims().prop_map(|c| token::sign(&c, K1)),
    ]
    .prop_filter("readable", |t| t.len() <= MAX_TOKEN_LEN);
    check(
        "token mutations",
        cases,
        (token, prop::collection::vec(mutation(), 1..3)),
        |(token, mutations)| {
            let mutated = mutations.iter().fold(token.clone(), |t, m| mutate(&t, m));
            prop_assume!(mutated != token);
            prop_assert!(verify_member(&mutated).is_err(), "{}", mutated);
            prop_assert!(verify_order(&mutated).is_err(), "{}", mutated);
            Ok(())
        },
    );
}

fn code_keys(campaign: u16) -> Option<&'static [u8]> {
    match campaign {
        7 => Some(K1),
        8 => Some(K2),
        _ => None,
    }
}

/// Surprise codes: any text is read without breaking; any minted code verifies (as printed,
/// and as a shopper types it) and names its campaign and serial.
fn surprise_codes(cases: u32) {
    let typed = prop_oneof!["[0-9A-Za-z -]{0,40}", text(), "[0-9A-HJKMNP-TV-Z]{23}",];
    check(
        "surprise codes",
        cases,
        (
            any::<u16>(),
            any::<u32>(),
            prop::collection::vec(any::<u8>(), 0..48),
            typed,
        ),
        |(campaign, serial, key, typed)| {
            let id = CodeId { campaign, serial };
            let minted = code::mint(id, &key);
            let of_key = |_: u16| Some(key.as_slice());
            prop_assert_eq!(code::verify(&minted, of_key), Ok(id));
            prop_assert_eq!(code::read_unverified(&minted), Ok(id));
            let as_typed = minted.to_lowercase().replace('-', " ");
            prop_assert_eq!(code::verify(&as_typed, of_key), Ok(id));
            let canonical = code::normalize(&minted).expect("a minted code normalises");
            prop_assert_eq!(canonical.len(), CODE_LEN);
            prop_assert_eq!(code::normalize(&canonical), Some(canonical.clone()));

            let _ = code::verify(&typed, code_keys);
            let _ = code::read_unverified(&typed);
            if let Some(n) = code::normalize(&typed) {
                prop_assert_eq!(n.len(), CODE_LEN);
                prop_assert!(n.chars().all(|c| CODE_ALPHABET.contains(c)));
                prop_assert_eq!(code::normalize(&n), Some(n.clone()));
            }
            Ok(())
        },
    );
}

/// Any change to a printed code that is not one of the look-alikes or separators a shopper
/// may type is refused.
fn surprise_code_mutations(cases: u32) {
    check(
        "surprise code mutations",
        cases,
        (
            prop::sample::select(vec![7u16, 8]),
            any::<u32>(),
            any::<bool>(),
            prop::collection::vec(mutation(), 1..3),
        ),
        |(campaign, serial, plain, mutations)| {
            let id = CodeId { campaign, serial };
            let minted = code::mint(id, code_keys(campaign).expect("a key"));
            let printed = if plain {
                code::normalize(&minted).expect("canonical")
            } else {
                minted
            };
            let mutated = mutations.iter().fold(printed.clone(), |t, m| mutate(&t, m));
            // Case, dashes, spaces and O/I/L are forgiven on purpose: not a change.
            prop_assume!(code::normalize(&mutated) != code::normalize(&printed));
            prop_assert!(code::verify(&mutated, code_keys).is_err(), "{}", mutated);
            Ok(())
        },
    );
}

/// Referral codes are plain and short; share links percent-encode everything and decode back.
fn referral_codes_and_links(cases: u32) {
    let landing = prop_oneof![
        "(https?|HTTPS|ftp|javascript)://[a-z0-9.]{0,12}(/[a-z?&=#%]{0,10})?",
        text(),
    ];
    check(
        "referral codes and links",
        cases,
        (
            text(),
            prop::collection::vec(any::<u8>(), 0..40),
            landing,
            text(),
        ),
        |(advocate, key, landing, code)| {
            let derived = link::code_for(&advocate, &key);
            prop_assert_eq!(derived.len(), link::CODE_LEN);
            prop_assert!(derived.chars().all(|c| CODE_ALPHABET.contains(c)));
            prop_assert!(is_referral_code(&derived));

            let encoded = link::encode(&code);
            prop_assert!(encoded.bytes().all(
                |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'%')
            ));
            prop_assert_eq!(percent_decode(&encoded), code.as_bytes());

            if let Ok(url) = link::referral_link(&landing, &code) {
                prop_assert!(url.to_ascii_lowercase().starts_with("http"));
                prop_assert!(!url.chars().any(char::is_whitespace), "{}", url);
                let query = url
                    .split('#')
                    .next()
                    .and_then(|u| u.split_once('?'))
                    .map(|(_, q)| q)
                    .unwrap_or_default();
                let refs: Vec<&str> = query
                    .split('&')
                    .filter(|p| p.split('=').next() == Some("ref"))
                    .collect();
                prop_assert_eq!(refs, vec![format!("ref={encoded}")]);
            }
            for channel in link::Channel::ALL {
                let url = channel.share_url(&landing, &code, &advocate);
                prop_assert!(!url.chars().any(char::is_whitespace), "{}", url);
            }
            Ok(())
        },
    );
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if let (b'%', Some(hex)) = (bytes[i], hex) {
            out.push(u8::from_str_radix(hex, 16).unwrap_or(0));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// E-mail addresses from tokens: any text normalises to an address or to nothing, and a
/// normalised address is its own normal form (two spellings of one mailbox compare equal).
fn email_addresses(cases: u32) {
    let address = prop_oneof![
        "[a-zA-Z0-9.+_ -]{0,10}@[a-zA-Z0-9.-]{0,12}",
        "[.+]{0,3}@(gmail|googlemail)\\.com\\.?",
        text(),
    ];
    check("e-mail addresses", cases, address, |address| {
        if let Some(normal) = email::normalize(&address) {
            prop_assert_eq!(
                email::normalize(&normal),
                Some(normal.clone()),
                "{:?}",
                address
            );
            prop_assert_eq!(email::fingerprint(&address), email::fingerprint(&normal));
        } else {
            prop_assert_eq!(email::fingerprint(&address), None);
        }
        Ok(())
    });
}

/// QR drawings of any text (a code, a referral link, a page's URL) never break.
fn qr_drawings(cases: u32) {
    check(
        "qr drawings",
        cases / 4,
        prop_oneof![text(), "[ -~]{0,400}"],
        |text| {
            if let Some(drawing) = encore_core::qr::draw(&text) {
                prop_assert!(drawing.size > 2 * encore_core::qr::QUIET_ZONE);
                prop_assert!(drawing.path.is_ascii());
            }
            Ok(())
        },
    );
}

properties!(
    widget_attributes,
    endpoint_urls,
    language_tags,
    event_decoding,
    event_batches,
    event_ids,
    token_garbage,
    member_token_round_trip,
    order_token_round_trip,
    tokens_fit_the_widget,
    tokens_under_another_secret,
    token_mutations,
    surprise_codes,
    surprise_code_mutations,
    referral_codes_and_links,
    email_addresses,
    qr_drawings,
);

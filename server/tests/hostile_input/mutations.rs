//! The mutation table: every named way of damaging a member token, an order token and a QR
//! surprise code, each with the exact error the server's own verifiers give (`verify_member`,
//! `verify_order`, and the campaign key lookup of `verify_code`) for a store parsed by the real
//! config parser. This is the single list of named mutations; the random ones are properties
//! in core/tests/hostile_input.rs. Referral codes carry no signature (an unknown code is a
//! database miss), so they have no row here.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use encore_core::surprise::code::{self, CodeError, CodeId};
use encore_core::token::{self, MAX_TOKEN_LEN, MEMBER_TOKEN_MAX_SECS, TokenError};
use encore_server::ServerConfig;
use encore_server::config::StoreConfig;
use encore_server::surprise::redemption::verify_code;
use encore_server::tokens::member::verify_member;
use encore_server::tokens::order::{ORDER_TOKEN_MAX_LIFETIME_SECS, verify_order};
use serde_json::{Value, json};

const NOW: u64 = 1_800_000_000;
const DEMO_K1: &[u8] = b"demo-key-one-0123456789abcdef-01";
const DEMO_K2: &[u8] = b"demo-key-two-0123456789abcdef-02";
const OTHER_K1: &[u8] = b"other-key-one-0123456789abcdef-1";
const OTHER_O1: &[u8] = b"other-key-o1-0123456789abcdef-01";
const CAMPAIGN_1: &[u8] = b"demo-campaign-one-0123456789abcd";
const CAMPAIGN_2: &[u8] = b"demo-campaign-two-0123456789abcd";
const OTHER_CAMPAIGN_1: &[u8] = b"other-campaign-one-0123456789abc";

/// Two stores: `demo` in the middle of a key rotation (k1, k2) with campaigns 1 and 2, and
/// `other`, whose key ids partly overlap demo's (k1, o1), with its own campaign 1.
fn config() -> ServerConfig {
    let campaign = |id: u16, key: &[u8]| {
        format!(
            r#"
[[store.surprise.campaigns]]
id = {id}
title = {{ en = "Tin {id}" }}
key = "{}"
starts = "2020-01-01"
ends = "2099-01-01"
landing_url = "https://shop.example/scan"
[[store.surprise.campaigns.prizes]]
id = "points"
kind = "points"
title = {{ en = "Points" }}
chance = 50
points = 10
[store.surprise.campaigns.thanks]
title = {{ en = "Thanks" }}
"#,
            String::from_utf8_lossy(key)
        )
    };
    let text = format!(
        r#"
[[store]]
id = "demo"
name = "Demo"
[[store.keys]]
id = "k1"
secret = "{}"
[[store.keys]]
id = "k2"
secret = "{}"
{}{}
[[store]]
id = "other"
name = "Other"
[[store.keys]]
id = "k1"
secret = "{}"
[[store.keys]]
id = "o1"
secret = "{}"
{}"#,
        String::from_utf8_lossy(DEMO_K1),
        String::from_utf8_lossy(DEMO_K2),
        campaign(1, CAMPAIGN_1),
        campaign(2, CAMPAIGN_2),
        String::from_utf8_lossy(OTHER_K1),
        String::from_utf8_lossy(OTHER_O1),
        campaign(1, OTHER_CAMPAIGN_1),
    );
    ServerConfig::from_toml_str(&text).expect("the table's config is valid")
}

/// One kind of signed token and the verifier the server uses for it.
struct Kind {
    name: &'static str,
    /// Genuine claims of this kind for `demo`, signed with k1, valid at `NOW`.
    base: fn() -> Value,
    /// Genuine claims of the other kind.
    other_kind: fn() -> Value,
    max_lifetime: u64,
    verify: fn(&StoreConfig, &str, u64) -> Result<(), TokenError>,
    /// Claims without which the token is not of this kind.
    required: &'static [&'static str],
}

fn member_claims() -> Value {
    json!({"store": "demo", "kid": "k1", "iat": NOW - 30, "exp": NOW + 600,
           "member": "m-1001", "tier": "gold", "orders": 3})
}

fn order_claims() -> Value {
    json!({"store": "demo", "kid": "k1", "iat": NOW - 86_400, "exp": NOW + 29 * 86_400,
           "order": "1001", "items": [{"product": "celadon-gaiwan", "name": "Celadon Gaiwan"}]})
}

const MEMBER: Kind = Kind {
    name: "member token",
    base: member_claims,
    other_kind: order_claims,
    max_lifetime: MEMBER_TOKEN_MAX_SECS,
    verify: |store, token, now| verify_member(store, token, now).map(drop),
    required: &["store", "kid", "iat", "exp", "member"],
};

const ORDER: Kind = Kind {
    name: "order token",
    base: order_claims,
    other_kind: member_claims,
    max_lifetime: ORDER_TOKEN_MAX_LIFETIME_SECS,
    verify: |store, token, now| verify_order(store, token, now).map(drop),
    required: &["store", "kid", "iat", "exp", "order", "items"],
};

/// `claims` with `edit` applied to its object.
fn edited(mut claims: Value, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    if let Some(object) = claims.as_object_mut() {
        edit(object);
    }
    claims
}

fn parts(token: &str) -> (&str, &str) {
    token.split_once('.').expect("a signed token has two parts")
}

fn tag_bytes(token: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(parts(token).1)
        .expect("a base64url tag")
}

fn with_tag(token: &str, tag: &[u8]) -> String {
    format!("{}.{}", parts(token).0, URL_SAFE_NO_PAD.encode(tag))
}

/// A genuine token of exactly `len` characters (an `x` claim pads it), if base64 can make one.
fn genuine_of_len(base: &Value, len: usize) -> Option<String> {
    (0..len).find_map(|pad| {
        let token = token::sign(
            &edited(base.clone(), |c| {
                c.insert("x".into(), "p".repeat(pad).into());
            }),
            DEMO_K1,
        );
        (token.len() == len).then_some(token)
    })
}

/// A genuine token whose base64url text has a `-` or `_`, so the standard alphabet changes it.
fn genuine_with_url_safe_symbols(base: &Value) -> String {
    (0..1000)
        .map(|n| {
            token::sign(
                &edited(base.clone(), |c| {
                    c.insert("n".into(), n.into());
                }),
                DEMO_K1,
            )
        })
        .find(|t| t.contains(['-', '_']))
        .expect("one of a thousand tokens has a - or _")
}

/// The tag with its last symbol changed only in the two bits no byte uses.
fn non_canonical_tag(token: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut text = token.to_owned();
    let last = text.pop().expect("a tag");
    let value = ALPHABET
        .iter()
        .position(|&b| char::from(b) == last)
        .expect("a base64url symbol");
    text.push(char::from(ALPHABET[value ^ 1]));
    text
}

type TokenRow = (String, String, Result<(), TokenError>);

fn token_rows(kind: &Kind) -> Vec<TokenRow> {
    use TokenError::*;
    let base = (kind.base)();
    let sign = |claims: &Value| token::sign(claims, DEMO_K1);
    let genuine = sign(&base);
    let (payload, _) = parts(&genuine);
    let times = |iat: u64, exp: u64| {
        edited(base.clone(), |c| {
            c.insert("iat".into(), iat.into());
            c.insert("exp".into(), exp.into());
        })
    };
    let set = |field: &str, value: Value| {
        edited(base.clone(), |c| {
            c.insert(field.into(), value);
        })
    };
    let under_genuine_tag = |claims: &Value| {
        let forged = URL_SAFE_NO_PAD.encode(claims.to_string());
        format!("{forged}.{}", parts(&genuine).1)
    };
    let max = kind.max_lifetime;
    let mut tag = tag_bytes(&genuine);
    let named: Vec<(&str, String, Result<(), TokenError>)> = vec![
        ("genuine", genuine.clone(), Ok(())),
        (
            "genuine, under the rotated key k2",
            token::sign(&set("kid", "k2".into()), DEMO_K2),
            Ok(()),
        ),
        (
            "bad signature: first tag bit flipped",
            {
                tag[0] ^= 1;
                with_tag(&genuine, &tag)
            },
            Err(BadSignature),
        ),
        (
            "bad signature: last tag byte flipped",
            {
                let mut tag = tag_bytes(&genuine);
                tag[31] ^= 0x80;
                with_tag(&genuine, &tag)
            },
            Err(BadSignature),
        ),
        (
            "bad signature: exp extended under the genuine tag",
            under_genuine_tag(&set("exp", (NOW + 601).into())),
            Err(BadSignature),
        ),
        (
            "bad signature: store edited under the genuine tag",
            under_genuine_tag(&set("store", "other".into())),
            Err(BadSignature),
        ),
        (
            "bad signature: a claim added under the genuine tag",
            under_genuine_tag(&set("admin", true.into())),
            Err(BadSignature),
        ),
        (
            "bad signature: the tag of another genuine token",
            format!(
                "{payload}.{}",
                parts(&sign(&set("iat", (NOW - 31).into()))).1
            ),
            Err(BadSignature),
        ),
        (
            "signature of the store's other key (names k1, signed with k2)",
            token::sign(&base, DEMO_K2),
            Err(BadSignature),
        ),
        (
            "signature of another store's key of the same id (other's k1)",
            token::sign(&base, OTHER_K1),
            Err(BadSignature),
        ),
        (
            "signature of another store's key (names o1)",
            token::sign(&set("kid", "o1".into()), OTHER_O1),
            Err(UnknownKey),
        ),
        (
            "another store's genuine token (store other, its k1)",
            token::sign(&set("store", "other".into()), OTHER_K1),
            Err(BadSignature),
        ),
        (
            "another store's genuine token under a key id demo lacks (o1)",
            token::sign(
                &edited(base.clone(), |c| {
                    c.insert("store".into(), "other".into());
                    c.insert("kid".into(), "o1".into());
                }),
                OTHER_O1,
            ),
            Err(UnknownKey),
        ),
        (
            "other store: claims for it signed with this store's key",
            sign(&set("store", "other".into())),
            Err(WrongStore),
        ),
        (
            "store id in another case",
            sign(&set("store", "DEMO".into())),
            Err(WrongStore),
        ),
        (
            "retired key id",
            sign(&set("kid", "k0".into())),
            Err(UnknownKey),
        ),
        (
            "empty key id",
            sign(&set("kid", "".into())),
            Err(UnknownKey),
        ),
        (
            "signed with an empty secret",
            token::sign(&base, b""),
            Err(BadSignature),
        ),
        (
            "expired: exp is now",
            sign(&times(NOW - 60, NOW)),
            Err(Expired),
        ),
        (
            "expired long ago",
            sign(&times(NOW - 10 * max, NOW - 10 * max + 60)),
            Err(Expired),
        ),
        (
            "issued in the future, past the 60 s skew",
            sign(&times(NOW + 61, NOW + 121)),
            Err(BadLifetime),
        ),
        (
            "issued in the future, within the 60 s skew",
            sign(&times(NOW + 60, NOW + 120)),
            Ok(()),
        ),
        (
            "expires before it is issued",
            sign(&times(NOW + 30, NOW + 10)),
            Err(BadLifetime),
        ),
        (
            "lifetime one second too long",
            sign(&times(NOW - 10, NOW - 10 + max + 1)),
            Err(BadLifetime),
        ),
        (
            "the longest lifetime",
            sign(&times(NOW - 10, NOW - 10 + max)),
            Ok(()),
        ),
        (
            "exp is u64::MAX",
            sign(&times(NOW, u64::MAX)),
            Err(BadLifetime),
        ),
        (
            "iat 0, exp u64::MAX",
            sign(&times(0, u64::MAX)),
            Err(BadLifetime),
        ),
        (
            "exp past u64",
            sign(&set(
                "exp",
                serde_json::from_str("18446744073709551616").expect("json"),
            )),
            Err(Malformed),
        ),
        (
            "negative exp",
            sign(&set("exp", (-1).into())),
            Err(Malformed),
        ),
        (
            "iat as a float",
            sign(&set("iat", 1.8e9.into())),
            Err(Malformed),
        ),
        (
            "iat as a string",
            sign(&set("iat", (NOW - 30).to_string().into())),
            Err(Malformed),
        ),
        (
            "store null",
            sign(&set("store", Value::Null)),
            Err(Malformed),
        ),
        (
            "store a number",
            sign(&set("store", 7.into())),
            Err(Malformed),
        ),
        (
            "kind confusion: the other kind's genuine token",
            sign(&(kind.other_kind)()),
            Err(Malformed),
        ),
        (
            "an extra, unknown claim, signed (ignored)",
            sign(&set("scope", "admin".into())),
            Ok(()),
        ),
        (
            "claims are an array",
            sign(&json!([base.clone()])),
            Err(Malformed),
        ),
        ("claims are null", sign(&Value::Null), Err(Malformed)),
        (
            "claims are not JSON",
            format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode("store=demo"),
                parts(&genuine).1
            ),
            Err(Malformed),
        ),
        (
            "wrong format: a JWT header in front (alg none)",
            format!(
                "{}.{genuine}",
                URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#)
            ),
            Err(Malformed),
        ),
        (
            "alg none: the claims with an empty tag",
            format!("{payload}."),
            Err(BadSignature),
        ),
        ("no separator", payload.to_owned(), Err(Malformed)),
        (
            "two tokens joined",
            format!("{genuine}.{genuine}"),
            Err(Malformed),
        ),
        (
            "wrong encoding: standard base64 (+ and /)",
            genuine_with_url_safe_symbols(&base)
                .replace('-', "+")
                .replace('_', "/"),
            Err(Malformed),
        ),
        (
            "wrong encoding: padding on the claims",
            format!("{payload}=.{}", parts(&genuine).1),
            Err(Malformed),
        ),
        (
            "wrong encoding: padding on the tag",
            format!("{genuine}="),
            Err(Malformed),
        ),
        (
            "wrong encoding: the tag in hex",
            format!("{payload}.{}", hex::encode(tag_bytes(&genuine))),
            Err(BadSignature),
        ),
        (
            "wrong encoding: the tag's unused low bits set",
            non_canonical_tag(&genuine),
            Err(Malformed),
        ),
        (
            "wrong encoding: the separator URL-escaped",
            genuine.replacen('.', "%2E", 1),
            Err(Malformed),
        ),
        (
            "wrong encoding: a look-alike separator (U+2024)",
            genuine.replacen('.', "\u{2024}", 1),
            Err(Malformed),
        ),
        (
            "tag truncated to 31 bytes",
            with_tag(&genuine, &tag_bytes(&genuine)[..31]),
            Err(BadSignature),
        ),
        (
            "tag truncated to 16 bytes",
            with_tag(&genuine, &tag_bytes(&genuine)[..16]),
            Err(BadSignature),
        ),
        (
            "tag extended to 33 bytes",
            {
                let mut tag = tag_bytes(&genuine);
                tag.push(0);
                with_tag(&genuine, &tag)
            },
            Err(BadSignature),
        ),
        (
            "truncated in the middle of the claims",
            genuine[..payload.len() / 2].to_owned(),
            Err(Malformed),
        ),
        (
            "extended by one character",
            format!("{genuine}A"),
            Err(BadSignature),
        ),
        (
            "whitespace: a leading space",
            format!(" {genuine}"),
            Err(Malformed),
        ),
        (
            "whitespace: a trailing newline",
            format!("{genuine}\n"),
            Err(Malformed),
        ),
        (
            "whitespace: a space after the separator",
            genuine.replacen('.', ". ", 1),
            Err(Malformed),
        ),
        (
            "whitespace: a tab in the claims",
            format!("{}\t{}", &genuine[..4], &genuine[4..]),
            Err(Malformed),
        ),
        (
            "a NUL byte appended",
            format!("{genuine}\0"),
            Err(Malformed),
        ),
        ("empty", String::new(), Err(Malformed)),
        ("a lone separator", ".".into(), Err(Malformed)),
        ("two separators", "..".into(), Err(Malformed)),
        (
            "huge: a megabyte of base64",
            format!("{}.{}", "A".repeat(1 << 20), parts(&genuine).1),
            Err(Malformed),
        ),
    ];
    let mut rows: Vec<TokenRow> = named
        .into_iter()
        .map(|(name, token, want)| (name.to_owned(), token, want))
        .collect();
    for &field in kind.required {
        let missing = edited(base.clone(), |c| {
            c.remove(field);
        });
        rows.push((
            format!("missing field: {field}"),
            sign(&missing),
            Err(Malformed),
        ));
    }
    let longest = genuine_of_len(&base, MAX_TOKEN_LEN).expect("a token of the longest length");
    rows.push((
        "huge: genuine and as long as verifiers read".into(),
        longest,
        Ok(()),
    ));
    // base64 never makes a token exactly one longer (its length would be 1 modulo 4), so take
    // the next length it can make.
    let too_long = (MAX_TOKEN_LEN + 1..MAX_TOKEN_LEN + 4)
        .find_map(|len| genuine_of_len(&base, len))
        .expect("a token just over the limit");
    rows.push((
        "huge: genuine but longer than verifiers read".into(),
        too_long,
        Err(Malformed),
    ));
    rows
}

/// Runs every row and lists all that give another answer than the table says.
fn check_rows<N: std::fmt::Display, T: std::fmt::Debug + PartialEq>(
    kind: &str,
    rows: &[(N, String, T)],
    verify: impl Fn(&str) -> T,
) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(name, input, want)| {
            let got = verify(input);
            (got != *want).then(|| {
                let shown: String = input.chars().take(120).collect();
                format!("{kind} / {name}: got {got:?}, want {want:?} for {shown:?}")
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_member_token_mutation_gives_its_error() {
    let config = config();
    let demo = config.store("demo").expect("demo");
    let rows = token_rows(&MEMBER);
    assert!(rows.len() >= 60, "{} rows", rows.len());
    check_rows(MEMBER.name, &rows, |t| (MEMBER.verify)(demo, t, NOW));
}

#[test]
fn every_order_token_mutation_gives_its_error() {
    let config = config();
    let demo = config.store("demo").expect("demo");
    let rows = token_rows(&ORDER);
    check_rows(ORDER.name, &rows, |t| (ORDER.verify)(demo, t, NOW));
}

type CodeRow = (&'static str, String, Result<CodeId, CodeError>);

fn code_rows() -> Vec<CodeRow> {
    use CodeError::*;
    let id = CodeId {
        campaign: 1,
        serial: 4242,
    };
    let printed = code::mint(id, CAMPAIGN_1);
    let plain: String = printed.chars().filter(|c| *c != '-').collect();
    let symbols: Vec<char> = plain.chars().collect();
    let with_symbol = |i: usize, c: char| {
        let mut s = symbols.clone();
        s[i] = c;
        s.into_iter().collect::<String>()
    };
    // Another symbol of the alphabet, never a look-alike of the one it replaces.
    let other = |c: char| if c == 'X' { 'Y' } else { 'X' };
    let last = symbols.len() - 1;
    // A swap that changes something, in the serial and tag (symbols 4 on).
    let swap_at = (4..last - 1)
        .find(|&i| symbols[i] != symbols[i + 1])
        .expect("two neighbours differ");
    let mut swapped = symbols.clone();
    swapped.swap(swap_at, swap_at + 1);
    // The last symbol carries 3 unused bits, which must be zero.
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let last_value = ALPHABET.find(symbols[last]).expect("a symbol");
    let padded_last = ALPHABET.chars().nth(last_value | 1).expect("a symbol");
    vec![
        ("genuine, as printed", printed.clone(), Ok(id)),
        ("genuine, without dashes", plain.clone(), Ok(id)),
        (
            "genuine, typed in lower case with spaces",
            printed.to_lowercase().replace('-', " "),
            Ok(id),
        ),
        (
            "genuine, O typed for 0",
            plain.replacen('0', "O", 1),
            Ok(id),
        ),
        (
            "genuine, extra dashes within 64 characters",
            plain.chars().flat_map(|c| [c, '-']).collect(),
            Ok(id),
        ),
        (
            "genuine, serial u32::MAX",
            code::mint(
                CodeId {
                    campaign: 1,
                    serial: u32::MAX,
                },
                CAMPAIGN_1,
            ),
            Ok(CodeId {
                campaign: 1,
                serial: u32::MAX,
            }),
        ),
        (
            "huge: genuine padded with dashes past 64 characters",
            format!("{printed}{}", "-".repeat(64 - printed.len() + 1)),
            Err(Malformed),
        ),
        (
            "bad tag: a tag symbol changed",
            with_symbol(last - 1, other(symbols[last - 1])),
            Err(BadTag),
        ),
        (
            "bad tag: a serial symbol changed",
            with_symbol(5, other(symbols[5])),
            Err(BadTag),
        ),
        (
            "bad tag: two neighbouring symbols swapped",
            swapped.into_iter().collect(),
            Err(BadTag),
        ),
        (
            "signature of another campaign's key (campaign 2's)",
            code::mint(id, CAMPAIGN_2),
            Err(BadTag),
        ),
        (
            "another campaign's number under this campaign's key",
            code::mint(CodeId { campaign: 2, ..id }, CAMPAIGN_1),
            Err(BadTag),
        ),
        (
            "another store's genuine code of the same campaign number",
            code::mint(id, OTHER_CAMPAIGN_1),
            Err(BadTag),
        ),
        (
            "an unconfigured campaign",
            code::mint(CodeId { campaign: 9, ..id }, CAMPAIGN_1),
            Err(UnknownCampaign),
        ),
        (
            "all zeros (campaign 0)",
            "0".repeat(23),
            Err(UnknownCampaign),
        ),
        (
            "wrong encoding: the last symbol's unused bits set",
            with_symbol(last, padded_last),
            Err(Malformed),
        ),
        (
            "truncated by one symbol",
            plain[..plain.len() - 1].to_owned(),
            Err(Malformed),
        ),
        (
            "extended by one symbol",
            format!("{plain}0"),
            Err(Malformed),
        ),
        (
            "U, outside the alphabet",
            with_symbol(7, 'U'),
            Err(Malformed),
        ),
        ("a full-width digit", with_symbol(7, '０'), Err(Malformed)),
        (
            "a zero-width space inside",
            printed.replacen('-', "\u{200b}", 1),
            Err(Malformed),
        ),
        (
            "whitespace: a tab for a dash",
            printed.replacen('-', "\t", 1),
            Err(Malformed),
        ),
        (
            "whitespace: a trailing newline",
            format!("{printed}\n"),
            Err(Malformed),
        ),
        (
            "the QR code's whole URL",
            format!("https://shop.example/scan?c={printed}"),
            Err(Malformed),
        ),
        ("empty", String::new(), Err(Malformed)),
        (
            "huge: a megabyte of symbols",
            "7".repeat(1 << 20),
            Err(Malformed),
        ),
    ]
}

#[test]
fn every_surprise_code_mutation_gives_its_error() {
    let config = config();
    let demo = config.store("demo").expect("demo");
    let rows = code_rows();
    // The exact error, with the campaign key lookup `verify_code` uses...
    check_rows("surprise code", &rows, |text| {
        code::verify(text, |c| {
            demo.surprise.campaign(c).map(|c| c.key.as_bytes())
        })
    });
    // ...and `verify_code` itself agrees on every row.
    let rows: Vec<(&str, String, Option<CodeId>)> = rows
        .into_iter()
        .map(|(name, text, want)| (name, text, want.ok()))
        .collect();
    check_rows("surprise code (verify_code)", &rows, |text| {
        verify_code(demo, text).map(|(_, id)| id)
    });
}

//! Order tokens: signing, verification and every way a token can be wrong.

use super::*;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
const OTHER: &[u8] = b"fedcba9876543210fedcba9876543210";
const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;

fn claims() -> OrderClaims {
    OrderClaims {
        envelope: Envelope {
            store: "demo".into(),
            kid: "k1".into(),
            iat: NOW - 10,
            exp: NOW + 30 * DAY,
        },
        order: "1001".into(),
        items: vec![OrderItem {
            product: "jasmine-silver-needle".into(),
            name: "Jasmine Silver Needle".into(),
        }],
        buyer: Buyer::default(),
    }
}

fn keys(kid: &str) -> Option<&'static [u8]> {
    match kid {
        "k1" => Some(SECRET),
        "k2" => Some(OTHER),
        _ => None,
    }
}

fn expect(store: &str) -> Expectations<'_> {
    Expectations {
        store,
        now: NOW,
        max_lifetime: 90 * DAY,
    }
}

fn check(token: &str) -> Result<OrderClaims, TokenError> {
    verify(token, keys, expect("demo"))
}

#[test]
fn a_signed_token_verifies_and_round_trips() {
    let token = sign(&claims(), SECRET);
    assert_eq!(check(&token), Ok(claims()));
    assert_eq!(read_unverified::<OrderClaims>(&token), Ok(claims()));
}

#[test]
fn a_rotated_key_verifies_under_its_own_id() {
    let mut c = claims();
    c.envelope.kid = "k2".into();
    assert_eq!(check(&sign(&c, OTHER)), Ok(c.clone()));
    // Claiming k1 while signed with k2's secret fails.
    c.envelope.kid = "k1".into();
    assert_eq!(check(&sign(&c, OTHER)), Err(TokenError::BadSignature));
}

#[test]
fn expired_future_and_overlong_tokens_are_refused() {
    let mut c = claims();
    c.envelope.exp = NOW;
    assert_eq!(check(&sign(&c, SECRET)), Err(TokenError::Expired));
    let mut c = claims();
    c.envelope.iat = NOW + 3600;
    assert_eq!(check(&sign(&c, SECRET)), Err(TokenError::BadLifetime));
    let mut c = claims();
    c.envelope.exp = c.envelope.iat + 91 * DAY;
    assert_eq!(check(&sign(&c, SECRET)), Err(TokenError::BadLifetime));
}

#[test]
fn another_stores_token_and_unknown_keys_are_refused() {
    let token = sign(&claims(), SECRET);
    assert_eq!(
        verify::<OrderClaims>(&token, keys, expect("other")),
        Err(TokenError::WrongStore)
    );
    let mut c = claims();
    c.envelope.kid = "k9".into();
    assert_eq!(check(&sign(&c, SECRET)), Err(TokenError::UnknownKey));
}

#[test]
fn every_altered_or_truncated_byte_is_refused() {
    let token = sign(&claims(), SECRET);
    let bytes = token.as_bytes();
    for i in 0..bytes.len() {
        for replacement in [b'A', b'x', b'.', b'-'] {
            if bytes[i] == replacement {
                continue;
            }
            let mut altered = bytes.to_vec();
            altered[i] = replacement;
            let altered = String::from_utf8(altered).expect("ascii");
            // A change in the last character may only touch base64 padding bits; the
            // decoder refuses those as non-canonical, so every change must fail.
            assert!(check(&altered).is_err(), "byte {i} -> {replacement}");
        }
    }
    for cut in 1..token.len() {
        assert!(check(&token[..cut]).is_err(), "truncated to {cut}");
    }
}

#[test]
fn altered_claims_fail_even_when_they_parse() {
    let token = sign(&claims(), SECRET);
    let (_, tag) = token.split_once('.').expect("two parts");
    let mut c = claims();
    c.order = "1002".into();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&c).expect("json"));
    assert_eq!(
        check(&format!("{payload}.{tag}")),
        Err(TokenError::BadSignature)
    );
}

#[test]
fn garbage_is_malformed() {
    for junk in [
        "",
        ".",
        "abc",
        "a.b",
        "e30.AAAA",
        &"a".repeat(MAX_TOKEN_LEN + 1),
    ] {
        assert!(check(junk).is_err(), "{junk}");
    }
}

/// The example order token in docs/tokens.md verifies with the demo store's public secret.
#[test]
fn docs_token_example_verifies() {
    let doc = include_str!("../../../docs/tokens.md");
    let token = doc
        .split("```text\n")
        .nth(1)
        .and_then(|b| b.split('\n').next())
        .expect("an example token");
    let secret: &[u8] = b"public-demo-secret-not-for-production-use";
    let claims: OrderClaims = verify(
        token,
        |kid| (kid == "demo-2026a").then_some(secret),
        Expectations {
            store: "demo",
            now: 1_795_305_600,
            max_lifetime: 180 * 86_400,
        },
    )
    .expect("the documented token verifies");
    assert_eq!(claims.order, "1001");
    assert_eq!(claims.items.len(), 2);
}

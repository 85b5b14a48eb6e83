//! Member tokens: the mutation table (every field, every byte of the MAC), key rotation,
//! lifetime, and refusing a token of the other kind.

use super::*;

const K1: &[u8] = b"member-key-one-0123456789abcdef!";
const K2: &[u8] = b"member-key-two-0123456789abcdef!";
const NOW: u64 = 1_800_000_000;

fn member() -> MemberClaims {
    MemberClaims {
        envelope: Envelope {
            store: "demo".into(),
            kid: "k1".into(),
            iat: NOW - 30,
            exp: NOW + 600,
        },
        member: "m-1001".into(),
        tier: Some("gold".into()),
        last_order: Some("2026-10-02".into()),
        orders: 3,
        contact: Contact::default(),
    }
}

/// Two active keys, as during a rotation.
fn keys(kid: &str) -> Option<&'static [u8]> {
    match kid {
        "k1" => Some(K1),
        "k2" => Some(K2),
        _ => None,
    }
}

fn check(token: &str) -> Result<MemberClaims, TokenError> {
    verify(
        token,
        keys,
        Expectations {
            store: "demo",
            now: NOW,
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    )
}

/// Re-signs nothing: puts `claims` in front of the tag of the genuine token, the way an
/// attacker who edits the readable part would.
fn with_genuine_tag(claims: &MemberClaims) -> String {
    let genuine = sign(&member(), K1);
    let (_, tag) = genuine.split_once('.').unwrap_or_default();
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    format!("{payload}.{tag}")
}

#[test]
fn a_member_token_round_trips_under_either_active_key() {
    assert_eq!(check(&sign(&member(), K1)), Ok(member()));
    let mut c = member();
    c.envelope.kid = "k2".into();
    assert_eq!(check(&sign(&c, K2)), Ok(c));
}

#[test]
fn every_altered_field_breaks_the_signature() {
    type Edit = fn(&mut MemberClaims);
    let edits: [(&str, Edit); 8] = [
        ("store", |c| c.envelope.store = "other".into()),
        ("kid", |c| c.envelope.kid = "k2".into()),
        ("iat", |c| c.envelope.iat -= 1),
        ("exp", |c| c.envelope.exp += 1),
        ("member", |c| c.member = "m-1002".into()),
        ("tier", |c| c.tier = Some("platinum".into())),
        ("last_order", |c| c.last_order = None),
        ("orders", |c| c.orders = 0),
    ];
    for (field, edit) in edits {
        let mut c = member();
        edit(&mut c);
        let result = check(&with_genuine_tag(&c));
        assert_eq!(result, Err(TokenError::BadSignature), "altered {field}");
    }
}

#[test]
fn every_bit_of_every_mac_byte_matters() {
    let token = sign(&member(), K1);
    let (payload, tag) = token.split_once('.').unwrap_or_default();
    let tag = URL_SAFE_NO_PAD.decode(tag).unwrap_or_default();
    assert_eq!(tag.len(), 32);
    for byte in 0..tag.len() {
        for bit in 0..8 {
            let mut altered = tag.clone();
            altered[byte] ^= 1 << bit;
            let forged = format!("{payload}.{}", URL_SAFE_NO_PAD.encode(&altered));
            assert_eq!(
                check(&forged),
                Err(TokenError::BadSignature),
                "byte {byte} bit {bit}"
            );
        }
    }
    for keep in 0..tag.len() {
        let truncated = format!("{payload}.{}", URL_SAFE_NO_PAD.encode(&tag[..keep]));
        assert!(check(&truncated).is_err(), "MAC truncated to {keep} bytes");
    }
}

#[test]
fn expired_overlong_foreign_and_unknown_key_tokens_are_refused() {
    let mut c = member();
    c.envelope.exp = NOW;
    assert_eq!(check(&sign(&c, K1)), Err(TokenError::Expired));
    let mut c = member();
    c.envelope.exp = c.envelope.iat + MEMBER_TOKEN_MAX_SECS + 1;
    assert_eq!(check(&sign(&c, K1)), Err(TokenError::BadLifetime));
    let mut c = member();
    c.envelope.store = "other".into();
    assert_eq!(check(&sign(&c, K1)), Err(TokenError::WrongStore));
    let mut c = member();
    c.envelope.kid = "retired".into();
    assert_eq!(check(&sign(&c, K1)), Err(TokenError::UnknownKey));
    // Signed with the other active key while naming the first.
    assert_eq!(check(&sign(&member(), K2)), Err(TokenError::BadSignature));
}

#[test]
fn an_order_token_is_not_a_member_token_and_back() {
    let order = OrderClaims {
        envelope: member().envelope,
        order: "1001".into(),
        items: vec![],
        buyer: Buyer {
            member: Some("m-1".into()),
            ..Buyer::default()
        },
    };
    assert_eq!(check(&sign(&order, K1)), Err(TokenError::Malformed));
    let as_order: Result<OrderClaims, _> = verify(
        &sign(&member(), K1),
        keys,
        Expectations {
            store: "demo",
            now: NOW,
            max_lifetime: MEMBER_TOKEN_MAX_SECS,
        },
    );
    assert_eq!(as_order, Err(TokenError::Malformed));
}

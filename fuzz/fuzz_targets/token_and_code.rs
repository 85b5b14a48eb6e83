//! Signed tokens and printed codes: any text is refused (nothing here is signed with the keys
//! below), and reading it never panics.

#![no_main]

use encore_core::surprise::code;
use encore_core::token::{self, Expectations, MemberClaims, OrderClaims};
use libfuzzer_sys::fuzz_target;

const KEY: &[u8] = b"fuzzing-key-0123456789abcdef-0123";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let keys = |kid: &str| (kid == "k1").then_some(KEY);
    let expect = |max_lifetime| Expectations {
        store: "demo",
        now: 1_800_000_000,
        max_lifetime,
    };
    assert!(token::verify::<MemberClaims>(text, keys, expect(900)).is_err());
    assert!(token::verify::<OrderClaims>(text, keys, expect(180 * 86_400)).is_err());
    let _ = token::read_unverified::<serde_json::Value>(text);
    let _ = code::read_unverified(text);
    if let Some(canonical) = code::normalize(text) {
        assert_eq!(code::normalize(&canonical), Some(canonical.clone()));
    }
    assert!(code::verify(text, |_| Some(KEY)).is_err());
});

//! The code format: round trips, look-alikes, and forged or mistyped codes by the million.

use super::*;

const KEY: &[u8] = b"campaign-7-key-0123456789abcdef!";
const OTHER: &[u8] = b"campaign-8-key-0123456789abcdef!";

fn keys(campaign: u16) -> Option<&'static [u8]> {
    match campaign {
        7 => Some(KEY),
        8 => Some(OTHER),
        _ => None,
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn minted_codes_verify_and_name_their_campaign_and_serial() {
    for serial in [0, 1, 99_999, u32::MAX] {
        let id = CodeId {
            campaign: 7,
            serial,
        };
        let code = mint(id, KEY);
        assert_eq!(code.len(), CODE_LEN + 5, "{code}");
        assert!(code.split('-').all(|g| g.len() <= 4));
        assert_eq!(verify(&code, keys), Ok(id));
        assert_eq!(read_unverified(&code), Ok(id));
    }
}

#[test]
fn shoppers_typing_is_forgiven_but_only_for_look_alikes() {
    let id = CodeId {
        campaign: 7,
        serial: 42,
    };
    let code = mint(id, KEY);
    let typed = code.to_lowercase().replace('-', " ");
    assert_eq!(verify(&typed, keys), Ok(id));
    let plain: String = code.chars().filter(|c| *c != '-').collect();
    assert_eq!(verify(&plain, keys), Ok(id));
    // O for 0 and I or L for 1 read the same.
    if plain.contains('0') || plain.contains('1') {
        let looks = plain.replace('0', "O").replacen('1', "l", 1);
        assert_eq!(verify(&looks, keys), Ok(id));
    }
    for junk in [
        "",
        "ABC",
        &format!("{plain}0"),
        &format!("{plain}!"),
        "U".repeat(23).as_str(),
    ] {
        assert_eq!(verify(junk, keys), Err(CodeError::Malformed), "{junk}");
    }
}

#[test]
fn another_campaigns_key_or_an_unknown_campaign_is_refused() {
    let forged = mint(
        CodeId {
            campaign: 7,
            serial: 1,
        },
        OTHER,
    );
    assert_eq!(verify(&forged, keys), Err(CodeError::BadTag));
    let unknown = mint(
        CodeId {
            campaign: 9,
            serial: 1,
        },
        KEY,
    );
    assert_eq!(verify(&unknown, keys), Err(CodeError::UnknownCampaign));
}

#[test]
fn a_million_random_codes_are_all_refused() {
    let mut rng = Rng(0x5EED);
    let mut accepted = 0;
    // Campaign 7's prefix, so every guess reaches the tag check.
    let prefix = mint(
        CodeId {
            campaign: 7,
            serial: 0,
        },
        KEY,
    )[..3]
        .to_owned();
    for _ in 0..1_000_000 {
        let mut text = prefix.clone();
        while text.len() < CODE_LEN {
            text.push(ALPHABET[(rng.next() % 32) as usize] as char);
        }
        if verify(&text, keys).is_ok() {
            accepted += 1;
        }
    }
    assert_eq!(accepted, 0);
}

#[test]
fn every_one_symbol_mistype_of_real_codes_is_refused() {
    let mut checked = 0;
    for serial in 0..1_400u32 {
        let code = mint(
            CodeId {
                campaign: 7,
                serial,
            },
            KEY,
        );
        let plain: Vec<u8> = code.bytes().filter(|b| *b != b'-').collect();
        for position in 0..plain.len() {
            for &symbol in ALPHABET {
                if symbol == plain[position] {
                    continue;
                }
                let mut typo = plain.clone();
                typo[position] = symbol;
                let typo = String::from_utf8(typo).unwrap_or_default();
                assert!(verify(&typo, keys).is_err(), "{code} -> {typo}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 998_000, "{checked}");
}

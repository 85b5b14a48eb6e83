//! Where a surprise code comes from: the landing page's `?c=` query, a scanned QR code (a
//! landing URL or the bare code), or the shopper's typing. Only the format can be checked
//! here; whether a code is genuine only the server can tell.

use encore_core::surprise::code::{CODE_LEN, normalize};

/// The query parameter carrying the code in a landing URL (`/scan?c=CODE`).
pub const PARAM: &str = "c";

/// The raw value of `?c=` in `search` (a URL's query, with or without its `?`), decoded;
/// `None` when absent or empty.
pub fn from_query(search: &str) -> Option<String> {
    let search = search.strip_prefix('?').unwrap_or(search);
    let search = search.split('#').next().unwrap_or_default();
    search.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode(value)?;
        (decode(key)? == PARAM && !value.trim().is_empty()).then(|| value.trim().to_owned())
    })
}

/// The code a scanned QR code holds, in canonical form: the `c` of a landing URL, or the
/// text itself when it is a bare code. `None` when neither is a well-formed code.
pub fn from_scan(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some((_, query)) = text.split_once('?')
        && let Some(code) = from_query(query)
    {
        return normalize(&code);
    }
    normalize(text)
}

/// A canonical code as printed: groups of four joined by dashes, easier to read aloud.
pub fn grouped(code: &str) -> String {
    let symbols: Vec<char> = code.chars().collect();
    symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// How many symbols a code has (for the format hint).
pub fn code_len() -> usize {
    CODE_LEN
}

/// Percent-decoding of one query component (`+` is a space); `None` when it is not UTF-8
/// or an escape is broken.
fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use encore_core::surprise::code::{CodeId, mint};

    fn a_code() -> String {
        mint(
            CodeId {
                campaign: 1,
                serial: 42,
            },
            b"key",
        )
    }

    #[test]
    fn the_query_gives_the_code_decoded() {
        let code = a_code();
        assert_eq!(from_query(&format!("?c={code}")), Some(code.clone()));
        assert_eq!(
            from_query(&format!("utm=x&c={}#top", code.replace('-', "%2D"))),
            Some(code.clone())
        );
        assert_eq!(from_query("?c=ab+cd"), Some("ab cd".into()));
        for none in [
            "",
            "?",
            "?c=",
            "?c=%20",
            "?code=ABC",
            "?cc=ABC",
            "?c=%ZZ",
            "?c=%E2",
        ] {
            assert_eq!(from_query(none), None, "{none}");
        }
    }

    #[test]
    fn a_scan_is_a_landing_url_or_a_bare_code() {
        let code = a_code();
        let canonical = normalize(&code).expect("minted codes are well formed");
        let url = format!("https://shop.example/scan?c={code}");
        assert_eq!(from_scan(&url), Some(canonical.clone()));
        assert_eq!(
            from_scan(&format!("  {}  ", code.to_lowercase())),
            Some(canonical.clone())
        );
        assert_eq!(from_scan("https://shop.example/scan?c=nope"), None);
        assert_eq!(from_scan("https://other.example/"), None);
        assert_eq!(from_scan("hello"), None);
        assert_eq!(grouped(&canonical).replace('-', ""), canonical);
        assert_eq!(grouped("ABCDEFGHJ"), "ABCD-EFGH-J");
        assert_eq!(code_len(), canonical.len());
    }
}

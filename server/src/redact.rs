//! What request logs may show of a URL: the path, and the query with every token's value
//! replaced, so that a client still on the deprecated query form leaves no token in a log.

use axum::http::Uri;

/// What stands in for a token's value.
pub const REDACTED: &str = "[redacted]";

/// `uri`'s path and query for a log line: the value of every parameter whose name (decoded,
/// any case) contains `token` is [`REDACTED`]. A query that does not decode is left out
/// whole, since no one can tell which of its values is a token.
pub fn uri_for_log(uri: &Uri) -> String {
    let path = uri.path();
    let Some(query) = uri.query() else {
        return path.to_owned();
    };
    let mut shown = String::with_capacity(path.len() + query.len() + 1);
    shown.push_str(path);
    for (n, pair) in query.split('&').enumerate() {
        shown.push(if n == 0 { '?' } else { '&' });
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match decoded(key) {
            None => return format!("{path}?{REDACTED}"),
            Some(name) if !value.is_empty() && name.to_ascii_lowercase().contains("token") => {
                shown.push_str(key);
                shown.push('=');
                shown.push_str(REDACTED);
            }
            Some(_) => shown.push_str(pair),
        }
    }
    shown
}

/// A query key as a form decoder reads it (`+` is a space, `%XX` a byte), if it is UTF-8.
fn decoded(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::uri_for_log;
    use axum::http::Uri;

    fn shown(uri: &str) -> String {
        uri_for_log(&uri.parse::<Uri>().expect("a URI"))
    }

    #[test]
    fn token_values_are_replaced_and_the_rest_kept() {
        assert_eq!(shown("/v1/health"), "/v1/health");
        assert_eq!(
            shown("/v1/offers?store=demo&token=SECRET&locale=en"),
            "/v1/offers?store=demo&token=[redacted]&locale=en"
        );
        assert_eq!(
            shown("/v1/referral?token=SECRET&token=SECRET2&member_token=SECRET3"),
            "/v1/referral?token=[redacted]&token=[redacted]&member_token=[redacted]"
        );
        assert_eq!(
            shown("/v1/offers?store=demo&token="),
            "/v1/offers?store=demo&token="
        );
    }

    #[test]
    fn an_encoded_or_capitalised_name_is_still_a_token() {
        for uri in [
            "/v1/offers?to%6Ben=SECRET",
            "/v1/offers?TOKEN=SECRET",
            "/v1/offers?order+token=SECRET",
        ] {
            assert!(!shown(uri).contains("SECRET"), "{uri}: {}", shown(uri));
        }
        assert_eq!(shown("/v1/offers?%FF=SECRET"), "/v1/offers?[redacted]");
    }
}

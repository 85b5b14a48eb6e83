//! `application/x-www-form-urlencoded` pairs, as the console puts a filter in its address bar
//! and the admin API reads it: one encoder and one decoder, so a filter survives the trip.

/// `pairs` as `k=v&k=v`, each percent-encoded (spaces as `%20`).
pub fn encode(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", escape(k), escape(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The pairs of `query` (with or without a leading `?`), decoded; `+` is a space. A pair
/// whose escapes are not UTF-8 is kept with the replacement character, never dropped silently.
pub fn decode(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (unescape(k), unescape(v))
        })
        .collect()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex_pair(bytes[i + 1], bytes[i + 2]).is_some() => {
                out.extend(hex_pair(bytes[i + 1], bytes[i + 2]));
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let digit = |b: u8| char::from(b).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_survive_the_trip() {
        let text = "tea & 茶 = 100%+?".to_owned();
        let query = encode(&[("q", text.clone()), ("rating", "5".into())]);
        assert!(!query.contains(' ') && !query.contains('茶'));
        assert_eq!(
            decode(&query),
            vec![("q".into(), text), ("rating".into(), "5".into())]
        );
    }

    #[test]
    fn hostile_queries_decode_without_panicking() {
        assert_eq!(
            decode("?a=%&b=%zz&c=%e4&d"),
            vec![
                ("a".into(), "%".into()),
                ("b".into(), "%zz".into()),
                ("c".into(), "\u{fffd}".into()),
                ("d".into(), String::new()),
            ]
        );
        assert_eq!(decode("q=a+b%20c"), vec![("q".into(), "a b c".into())]);
    }
}

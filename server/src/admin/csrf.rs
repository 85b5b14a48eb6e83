//! Cross-site request forgery: a changing request made with a session cookie must echo the
//! session's CSRF token and come from the console's own origin. The cookie is `SameSite=Strict`
//! already; this is the second lock, for browsers or proxies that get SameSite wrong.

use super::secrets::same;
use crate::client_ip::peer_is_trusted;
use crate::error::AppError;
use crate::ip_range::IpRange;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Extensions, HeaderMap};

/// The header a changing request carries the token in.
pub const HEADER: &str = "x-csrf-token";

/// The server's own origin as the browser sees it: `scheme://host[:port]` from `Host`, or from
/// `X-Forwarded-Host`/`X-Forwarded-Proto` when a trusted proxy sent them. Without a trusted
/// proxy the scheme is `http` (the server speaks no TLS itself).
fn own_origin(headers: &HeaderMap, extensions: &Extensions, trusted: &[IpRange]) -> Option<String> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let behind_proxy = peer_is_trusted(extensions, trusted);
    let host = behind_proxy
        .then(|| header("x-forwarded-host"))
        .flatten()
        .or_else(|| header(HOST.as_str()))?;
    let scheme = behind_proxy
        .then(|| header("x-forwarded-proto"))
        .flatten()
        .filter(|p| p == "https" || p == "http")
        .unwrap_or_else(|| "http".into());
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Whether the request comes from the server's own origin: `Sec-Fetch-Site: same-origin`, or
/// (a browser without Fetch Metadata) an `Origin` equal to [`own_origin`].
fn same_origin(headers: &HeaderMap, extensions: &Extensions, trusted: &[IpRange]) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    own_origin(headers, extensions, trusted).is_some_and(|own| own == origin.to_ascii_lowercase())
}

/// `403 csrf` when a browser says the request comes from another site: signing in and setting a
/// password have no session (so no token) yet, but another site's page must not sign a visitor
/// into its own account (login CSRF). A script sends neither header and is let through.
pub(crate) fn check_no_session(
    headers: &HeaderMap,
    extensions: &Extensions,
    trusted: &[IpRange],
) -> Result<(), AppError> {
    let browser = headers.contains_key("sec-fetch-site") || headers.contains_key(ORIGIN);
    if browser && !same_origin(headers, extensions, trusted) {
        return Err(AppError::Csrf);
    }
    Ok(())
}

/// `403 csrf` unless the request echoes `token` and comes from the server's own origin.
pub(crate) fn check(
    headers: &HeaderMap,
    extensions: &Extensions,
    trusted: &[IpRange],
    token: &str,
) -> Result<(), AppError> {
    let echoed = headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|sent| same(sent, token));
    if echoed && same_origin(headers, extensions, trusted) {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ConnectInfo;
    use axum::http::HeaderValue;
    use std::net::SocketAddr;

    fn request(pairs: &[(&'static str, &str)], peer: &str) -> (HeaderMap, Extensions) {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        let mut extensions = Extensions::new();
        let addr: SocketAddr = format!("{peer}:5000").parse().expect("addr");
        extensions.insert(ConnectInfo(addr));
        (headers, extensions)
    }

    #[test]
    fn the_token_and_the_origin_are_both_needed() {
        let trusted: Vec<IpRange> = vec!["10.0.0.1".parse().expect("range")];
        let ok = |pairs: &[(&'static str, &str)], peer: &str| {
            let (h, e) = request(pairs, peer);
            check(&h, &e, &trusted, "tok").is_ok()
        };
        let base = [("host", "127.0.0.1:8080"), ("x-csrf-token", "tok")];
        assert!(ok(
            &[base[0], base[1], ("origin", "http://127.0.0.1:8080")],
            "127.0.0.1"
        ));
        assert!(ok(
            &[base[1], ("sec-fetch-site", "same-origin")],
            "127.0.0.1"
        ));
        assert!(!ok(
            &[
                base[0],
                base[1],
                ("sec-fetch-site", "same-site"),
                ("origin", "http://127.0.0.1:8080")
            ],
            "127.0.0.1"
        ));
        assert!(!ok(
            &[base[0], base[1], ("origin", "https://evil.example")],
            "127.0.0.1"
        ));
        assert!(!ok(&[base[0], base[1]], "127.0.0.1"));
        assert!(!ok(
            &[
                base[0],
                ("x-csrf-token", "tok2"),
                ("origin", "http://127.0.0.1:8080")
            ],
            "127.0.0.1"
        ));
        // Forwarded headers count only from a trusted proxy.
        let proxied = [
            ("host", "10.0.0.5:8080"),
            ("x-forwarded-host", "reviews.example.com"),
            ("x-forwarded-proto", "https"),
            ("x-csrf-token", "tok"),
            ("origin", "https://reviews.example.com"),
        ];
        assert!(ok(&proxied, "10.0.0.1"));
        assert!(!ok(&proxied, "203.0.113.9"));
        // Without a session: scripts pass, browsers only from the same origin.
        let fresh = |pairs: &[(&'static str, &str)]| {
            let (h, e) = request(pairs, "127.0.0.1");
            check_no_session(&h, &e, &trusted).is_ok()
        };
        assert!(fresh(&[("host", "127.0.0.1:8080")]));
        assert!(fresh(&[("sec-fetch-site", "same-origin")]));
        assert!(!fresh(&[("sec-fetch-site", "cross-site")]));
        assert!(!fresh(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example")
        ]));
    }
}

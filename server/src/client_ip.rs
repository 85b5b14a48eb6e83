//! The client's IP address: from the connection, or from `X-Forwarded-For` only when the
//! connection comes from a proxy the operator named (`serve --trusted-proxy`); otherwise the
//! header is set by the client and is never believed.

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::net::{IpAddr, SocketAddr};

/// The peer address of the connection, when the server was started with connect info
/// (tests insert a `ConnectInfo<SocketAddr>` extension themselves).
fn client_ip(extensions: &Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
}

/// The client's address when the server may sit behind `trusted` proxies: the connection's
/// peer, or, when that peer is a trusted proxy, the right-most `X-Forwarded-For` entry that is
/// not itself a trusted proxy (entries further left were written by the client).
pub(crate) fn client_ip_behind(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = client_ip(extensions)?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let mut hops: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return Some(peer);
        };
        for part in text.split(',') {
            match part.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip),
                // A malformed list cannot be read safely: fall back to the proxy itself.
                Err(_) => return Some(peer),
            }
        }
    }
    Some(
        hops.into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn from(peer: &str, forwarded: Option<&str>, trusted: &[&str]) -> Option<IpAddr> {
        let mut extensions = Extensions::new();
        let addr: SocketAddr = format!("{peer}:443").parse().expect("addr");
        extensions.insert(ConnectInfo(addr));
        let mut headers = HeaderMap::new();
        if let Some(f) = forwarded {
            headers.insert("x-forwarded-for", HeaderValue::from_str(f).expect("header"));
        }
        let trusted: Vec<IpAddr> = trusted.iter().map(|t| t.parse().expect("ip")).collect();
        client_ip_behind(&extensions, &headers, &trusted)
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn the_header_is_believed_only_from_a_trusted_proxy() {
        assert_eq!(from("203.0.113.9", Some("1.2.3.4"), &[]), ip("203.0.113.9"));
        assert_eq!(
            from("203.0.113.9", Some("1.2.3.4"), &["10.0.0.1"]),
            ip("203.0.113.9")
        );
        assert_eq!(
            from("10.0.0.1", Some("1.2.3.4"), &["10.0.0.1"]),
            ip("1.2.3.4")
        );
        // The client wrote the left part; the proxy appended the real address.
        assert_eq!(
            from("10.0.0.1", Some("6.6.6.6, 1.2.3.4"), &["10.0.0.1"]),
            ip("1.2.3.4")
        );
        assert_eq!(
            from(
                "10.0.0.1",
                Some("1.2.3.4, 10.0.0.2"),
                &["10.0.0.1", "10.0.0.2"]
            ),
            ip("1.2.3.4")
        );
        assert_eq!(from("10.0.0.1", None, &["10.0.0.1"]), ip("10.0.0.1"));
        assert_eq!(
            from("10.0.0.1", Some("not-an-ip"), &["10.0.0.1"]),
            ip("10.0.0.1")
        );
    }
}

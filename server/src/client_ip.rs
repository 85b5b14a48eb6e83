//! The client's IP address: from the connection, or from `X-Forwarded-For` only when the
//! connection comes from a proxy the operator named (`serve --trusted-proxy`, an address or a
//! CIDR range); otherwise the header is set by the client and is never believed. And the key
//! every rate limit counts a client under ([`client_key`]).

use crate::ip_range::IpRange;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::fmt;
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
    trusted: &[IpRange],
) -> Option<IpAddr> {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|range| range.contains(*ip));
    let peer = client_ip(extensions)?;
    if !is_trusted(&peer) {
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
            .find(|ip| !is_trusted(ip))
            .unwrap_or(peer),
    )
}

/// Whether the connection's peer is one of the `trusted` proxies, so that its `X-Forwarded-*`
/// headers may be believed.
pub(crate) fn peer_is_trusted(extensions: &Extensions, trusted: &[IpRange]) -> bool {
    client_ip(extensions).is_some_and(|peer| trusted.iter().any(|range| range.contains(peer)))
}

/// What rate limits count one client under: an IPv4 address as it is, an IPv6 address by its
/// /64 network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ClientKey(IpRange);

impl fmt::Display for ClientKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The key every rate limit counts `ip` under. A subscriber's IPv6 network is a /64 at the
/// least (SLAAC needs one; ISPs hand out /64 to /48), and the privacy addresses inside it
/// change at will, so counting whole IPv6 addresses would give one client 2^64 fresh keys.
/// An IPv4 address stays whole: many people share one (a shop's Wi-Fi, a carrier's NAT), so
/// limits that count per address must never refuse what a shopper can prove is genuine.
pub(crate) fn client_key(ip: IpAddr) -> ClientKey {
    let ip = ip.to_canonical();
    let range = match ip {
        IpAddr::V4(_) => IpRange::from(ip),
        IpAddr::V6(_) => IpRange::new(ip, 64).unwrap_or_else(|| IpRange::from(ip)),
    };
    ClientKey(range)
}

/// [`client_key`] of [`client_ip_behind`]: the key of the client behind `trusted` proxies.
pub(crate) fn client_key_behind(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted: &[IpRange],
) -> Option<ClientKey> {
    client_ip_behind(extensions, headers, trusted).map(client_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn from(peer: &str, forwarded: Option<&str>, trusted: &[&str]) -> Option<IpAddr> {
        let mut extensions = Extensions::new();
        let addr = SocketAddr::new(peer.parse().expect("addr"), 443);
        extensions.insert(ConnectInfo(addr));
        let mut headers = HeaderMap::new();
        if let Some(f) = forwarded {
            headers.insert("x-forwarded-for", HeaderValue::from_str(f).expect("header"));
        }
        let trusted: Vec<IpRange> = trusted.iter().map(|t| t.parse().expect("ip")).collect();
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

    #[test]
    fn proxies_can_be_named_by_cidr_range() {
        let lbs = ["10.0.0.0/8", "2001:db8:ff::/48", "192.0.2.7"];
        assert_eq!(from("10.200.3.4", Some("1.2.3.4"), &lbs), ip("1.2.3.4"));
        assert_eq!(
            from("10.1.1.1", Some("1.2.3.4, 10.2.2.2"), &lbs),
            ip("1.2.3.4")
        );
        assert_eq!(
            from("2001:db8:ff:1::9", Some("2001:db8:aa::1"), &lbs),
            ip("2001:db8:aa::1")
        );
        assert_eq!(from("192.0.2.7", Some("1.2.3.4"), &lbs), ip("1.2.3.4"));
        // Outside every range: the header is the client's word.
        assert_eq!(from("11.0.0.1", Some("1.2.3.4"), &lbs), ip("11.0.0.1"));
        assert_eq!(from("192.0.2.8", Some("1.2.3.4"), &lbs), ip("192.0.2.8"));
        assert_eq!(
            from("2001:db8:fe::1", Some("1.2.3.4"), &lbs),
            ip("2001:db8:fe::1")
        );
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64_and_ipv4_clients_by_their_address() {
        let key = |s: &str| client_key(s.parse().expect("ip")).to_string();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("203.0.113.9"), "203.0.113.9/32");
        assert_ne!(key("203.0.113.9"), key("203.0.113.10"));
        // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d: still that one address.
        assert_eq!(key("::ffff:203.0.113.9"), key("203.0.113.9"));
    }
}

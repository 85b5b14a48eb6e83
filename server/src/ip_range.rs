//! A range of IP addresses in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`) or one address, as
//! `serve --trusted-proxy` takes it and as rate limits group IPv6 clients.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// The addresses that share their first `prefix` bits with `network`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpRange {
    /// The first address of the range (the bits past the prefix are zero).
    network: IpAddr,
    /// How many leading bits every address of the range shares.
    prefix: u8,
}

/// Why a text is not an IP range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpRangeError {
    /// The part before `/` is not an IPv4 or IPv6 address.
    Address(String),
    /// The part after `/` is not a number of bits the address has.
    Prefix(String),
}

impl fmt::Display for IpRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpRangeError::Address(text) => write!(
                f,
                "{text:?} is not an IP address (write an address such as 10.0.0.1 or a range such as 10.0.0.0/8)"
            ),
            IpRangeError::Prefix(text) => write!(
                f,
                "{text:?} is not a prefix length (0 to 32 for IPv4, 0 to 128 for IPv6)"
            ),
        }
    }
}

impl std::error::Error for IpRangeError {}

impl IpRange {
    /// The range of the addresses sharing the first `prefix` bits of `addr`; `None` when
    /// `prefix` is longer than the address (32 bits for IPv4, 128 for IPv6).
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Self> {
        let network = match addr {
            IpAddr::V4(v4) => {
                let bits = u32::from(v4) & mask_u32(prefix, 32)?;
                IpAddr::V4(Ipv4Addr::from(bits))
            }
            IpAddr::V6(v6) => {
                let bits = u128::from(v6) & mask_u128(prefix, 128)?;
                IpAddr::V6(Ipv6Addr::from(bits))
            }
        };
        Some(IpRange { network, prefix })
    }

    /// Whether `ip` is in the range. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, how a
    /// dual-stack socket reports an IPv4 peer) counts as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        IpRange::new(ip.to_canonical(), self.prefix).is_some_and(|r| r.network == self.network)
    }
}

impl From<IpAddr> for IpRange {
    /// The range of `addr` alone.
    fn from(addr: IpAddr) -> Self {
        let addr = addr.to_canonical();
        let prefix = if addr.is_ipv4() { 32 } else { 128 };
        IpRange {
            network: addr,
            prefix,
        }
    }
}

impl FromStr for IpRange {
    type Err = IpRangeError;

    /// `ADDRESS` or `ADDRESS/PREFIX`; bits past the prefix are ignored (`10.1.2.3/8` is
    /// `10.0.0.0/8`), as most tools read them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let addr: IpAddr = address
            .parse()
            .map_err(|_| IpRangeError::Address(address.to_owned()))?;
        let Some(prefix) = prefix else {
            return Ok(IpRange::from(addr));
        };
        prefix
            .parse::<u8>()
            .ok()
            .and_then(|bits| IpRange::new(addr, bits))
            .ok_or_else(|| IpRangeError::Prefix(prefix.to_owned()))
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The `prefix` leading bits set in a `width`-bit word; `None` past `width`.
fn mask_u32(prefix: u8, width: u8) -> Option<u32> {
    (prefix <= width).then(|| u32::MAX.checked_shl(u32::from(width - prefix)).unwrap_or(0))
}

/// The `prefix` leading bits set in a `width`-bit word; `None` past `width`.
fn mask_u128(prefix: u8, width: u8) -> Option<u128> {
    (prefix <= width).then(|| {
        u128::MAX
            .checked_shl(u32::from(width - prefix))
            .unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> IpRange {
        text.parse().expect("a range")
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn ranges_hold_the_addresses_under_their_prefix() {
        let lan = range("10.0.0.0/8");
        assert!(lan.contains(ip("10.255.1.2")) && !lan.contains(ip("11.0.0.1")));
        assert!(lan.contains(ip("::ffff:10.1.1.1")), "IPv4-mapped");
        assert!(!lan.contains(ip("2001:db8::1")));
        let v6 = range("2001:db8:ff::/48");
        assert!(v6.contains(ip("2001:db8:ff:1234::9")) && !v6.contains(ip("2001:db8:fe::1")));
        let one = range("192.0.2.7");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        assert!(range("0.0.0.0/0").contains(ip("203.0.113.1")));
        assert!(range("::/0").contains(ip("2001:db8::1")));
        assert_eq!(range("10.1.2.3/8"), lan, "host bits are ignored");
        assert_eq!(range("::ffff:192.0.2.7"), one);
        assert_eq!(lan.to_string(), "10.0.0.0/8");
        assert_eq!(range("2001:db8::1").to_string(), "2001:db8::1/128");
    }

    #[test]
    fn malformed_ranges_are_named() {
        for (text, problem) in [
            ("10.0.0.0/33", "prefix"),
            ("2001:db8::/129", "prefix"),
            ("10.0.0.0/", "prefix"),
            ("10.0.0.0/-1", "prefix"),
            ("10.0.0/8", "address"),
            ("proxy.example", "address"),
            ("", "address"),
        ] {
            let err = text.parse::<IpRange>().expect_err(text);
            let shown = err.to_string();
            let named = match err {
                IpRangeError::Address(_) => "address",
                IpRangeError::Prefix(_) => "prefix",
            };
            assert_eq!(named, problem, "{text}: {shown}");
        }
    }
}

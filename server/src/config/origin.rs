//! The syntax of an allowed origin, held to the exact form browsers put in the `Origin` header.
//!
//! Origins are compared byte for byte with that header, so a configured origin that a browser
//! would never send (a path, uppercase, an explicit default port) is an error, not a silent miss.

/// Checks that `origin` is `http(s)://host[:port]` as a browser would send it.
pub(crate) fn check(origin: &str) -> Result<(), &'static str> {
    let (rest, default_port) = if let Some(rest) = origin.strip_prefix("https://") {
        (rest, "443")
    } else if let Some(rest) = origin.strip_prefix("http://") {
        (rest, "80")
    } else {
        return Err("it must start with http:// or https://");
    };
    if rest.contains(['/', '?', '#']) {
        return Err("it must be scheme://host[:port] with no path, query or trailing slash");
    }
    if rest.contains('@') {
        return Err("it must not contain a user name or password");
    }
    if rest.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("it must be lowercase, as browsers send it");
    }
    let (host, port) = split_host_port(rest)?;
    if !is_host(host) {
        return Err("the host is missing or has characters a host name cannot have");
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && !port.starts_with('0')
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok();
        if !valid {
            return Err("the port must be a number from 1 to 65535");
        }
        if port == default_port {
            return Err("drop the scheme's default port: browsers leave it out of the Origin");
        }
    }
    Ok(())
}

fn split_host_port(rest: &str) -> Result<(&str, Option<&str>), &'static str> {
    if rest.starts_with('[') {
        let Some(end) = rest.find(']') else {
            return Err("an IPv6 address must be closed with ']'");
        };
        let (host, after) = rest.split_at(end + 1);
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(port))),
                None => Err("only :port may follow an IPv6 address"),
            },
        };
    }
    Ok(match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    })
}

fn is_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
    }
    !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && !host.contains("..")
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn browser_shaped_origins_pass() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "https://shop.example",
            "https://www.shop-example.co.uk:8443",
            "http://[::1]:3000",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn anything_a_browser_would_not_send_fails() {
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/",
            "https://shop.example/path",
            "https://shop.example?q=1",
            "https://shop.example#x",
            "https://user@shop.example",
            "https://Shop.example",
            "https://",
            "https://:8080",
            "https://shop.example:",
            "https://shop.example:0",
            "https://shop.example:65536",
            "https://shop.example:08080",
            "https://shop.example:443",
            "http://shop.example:80",
            "https://shop..example",
            "https://shop_example.com",
            "http://[::1",
            "http://[::1]x",
            "null",
            "*",
        ] {
            assert!(check(bad).is_err(), "{bad} should be rejected");
        }
    }
}

//! The syntax of an allowed origin, held to the exact form browsers put in the `Origin` header.
//!
//! Origins are compared byte for byte with that header, so a configured origin that a browser
//! would never send (a path, uppercase, an explicit default port) is an error, not a silent miss.

use encore_core::url::Endpoint;

/// Checks that `origin` is `http(s)://host[:port]` exactly as a browser would send it: the
/// shared endpoint parser reads it, and anything its normal form changes (case, a default port,
/// a leading zero, a trailing slash) or adds (a path) is a form browsers never send.
pub(crate) fn check(origin: &str) -> Result<(), &'static str> {
    let parsed = Endpoint::parse(origin, None).map_err(|e| e.message())?;
    if !parsed.path().is_empty() || origin.ends_with('/') {
        return Err("it must be scheme://host[:port] with no path, query or trailing slash");
    }
    if parsed.origin() != origin {
        return Err("write it as browsers send it: lowercase, without the scheme's default port");
    }
    Ok(())
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

//! The syntax of the links a store configures (the members' join link, the referral landing
//! page, a surprise campaign's next page): an absolute `http(s)` URL or a path on the shop's own
//! site, since the widget puts them in an `href` on the store's page and nothing else may run
//! from there.

use encore_core::url::Endpoint;

/// Any origin will do: a root-relative path is checked as a path on it.
const SOME_ORIGIN: &str = "https://shop.example";

/// Checks that `url` is `http(s)://host[:port][/path][?query][#fragment]` or a root-relative
/// `/path[?query][#fragment]` (not `//host`, which browsers read as another site).
pub(in crate::config) fn check(url: &str) -> Result<(), &'static str> {
    if url.trim() != url || url.is_empty() {
        return Err("it must not be empty or start or end with spaces");
    }
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let (base, rest) = url.split_at(cut);
    if !rest.bytes().all(is_query_byte) {
        return Err("the query or fragment has spaces, quotes or angle brackets");
    }
    let lower = base.to_ascii_lowercase();
    let absolute = lower.starts_with("https://") || lower.starts_with("http://");
    let rooted = base.starts_with('/') && !base.starts_with("//") && !base.starts_with("/\\");
    if !absolute && !rooted {
        return Err("it must start with https://, http:// or / (a path on the shop's site)");
    }
    let origin = if rooted { Some(SOME_ORIGIN) } else { None };
    Endpoint::parse(base, origin).map_err(|e| e.message())?;
    Ok(())
}

/// [`check`], and absolute: for links opened from another site or app (a QR code, a shared
/// referral link), where a path on the shop's site would mean nothing.
pub(in crate::config) fn check_absolute(url: &str) -> Result<(), &'static str> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err("it must start with https:// or http://");
    }
    check(url)
}

/// Printable ASCII other than what would end an HTML attribute or look like markup.
fn is_query_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\')
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn shop_links_pass() {
        for ok in [
            "https://shop.example/join",
            "http://127.0.0.1:8080/www/offers.html#members",
            "https://shop.example/account?next=/offers&src=widget",
            "/www/offers.html#members",
            "/account/join",
            "/",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn other_schemes_hosts_and_markup_fail() {
        for bad in [
            "",
            " /join",
            "javascript:alert(1)",
            "data:text/html,hi",
            "//evil.example/join",
            "/\\evil.example",
            "join.html",
            "https://user:pw@shop.example/",
            "https://shop.example/a b",
            "/join#\"><script>",
            "https:///join",
            "mailto:hi@shop.example",
        ] {
            assert!(check(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn absolute_links_need_a_scheme() {
        assert_eq!(
            super::check_absolute("http://127.0.0.1:8080/www/product.html"),
            Ok(())
        );
        for bad in [
            "/www/product.html",
            "javascript:alert(1)",
            "https://a b.example/",
        ] {
            assert!(super::check_absolute(bad).is_err(), "{bad}");
        }
    }
}

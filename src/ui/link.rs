//! Which addresses from the endpoint may become a link (an offer's join or sign-in link, a
//! prize's next step): `http(s)://` with a host, or a path on the store's own site. Anything else (`javascript:`, `data:`, a
//! protocol-relative `//host`, a backslash browsers read as a slash) is not linked.

/// `url` when it is safe to put in an `href`, else `None`.
pub fn safe_href(url: &str) -> Option<&str> {
    // Browsers drop tabs and newlines inside URLs and trim spaces, which could turn an
    // innocent-looking value into another one; such values are refused outright.
    if url.is_empty()
        || url
            .bytes()
            .any(|b| b.is_ascii_control() || b == b' ' || b == b'\\')
    {
        return None;
    }
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else if url.starts_with('/') && !url.starts_with("//") {
        return Some(url);
    } else {
        return None;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty() && !host.contains('@')).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_pages_are_linked() {
        for good in [
            "https://shop.example/account/join",
            "HTTPS://shop.example/join?next=/offers#top",
            "http://localhost:8080/join",
            "/account/login?return_to=%2Fproducts",
            "/",
        ] {
            assert_eq!(safe_href(good), Some(good), "{good}");
        }
    }

    #[test]
    fn anything_else_is_not() {
        for bad in [
            "",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//evil.example/join",
            "/\\evil.example/join",
            "https:///path",
            "https://",
            "https://user@evil.example/",
            "join",
            "mailto:club@shop.example",
            "https://shop.example/a b",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }
}

//! Endpoint URLs: validating the `endpoint` attribute and building request URLs from it.

use std::fmt;

/// A validated endpoint base URL: `http` or `https`, a host, an optional port and path, no
/// credentials, query or fragment, and no trailing slash. Request paths are appended to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    base: String,
    origin_len: usize,
}

/// Why an `endpoint` value is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// The value is empty.
    Empty,
    /// Not `http://…`, `https://…` or a path starting with `/`.
    NotHttp,
    /// A root-relative path was given but the page's origin is unknown.
    NoPageOrigin,
    /// The URL carries a user name or password.
    Credentials,
    /// The URL carries `?query` or `#fragment`; an endpoint is a base URL.
    QueryOrFragment,
    /// The host is missing or has characters a host cannot have.
    BadHost,
    /// The port is not a number from 1 to 65535.
    BadPort,
    /// The path has spaces or characters that must be percent-encoded.
    BadPath,
}

impl EndpointError {
    /// What is wrong, in a few words.
    pub fn message(&self) -> &'static str {
        match self {
            EndpointError::Empty => "it is empty",
            EndpointError::NotHttp => "it must start with https://, http:// or /",
            EndpointError::NoPageOrigin => "a path needs the page's own origin, which is unknown",
            EndpointError::Credentials => "it must not contain a user name or password",
            EndpointError::QueryOrFragment => "it must not contain ? or #",
            EndpointError::BadHost => "the host name is missing or invalid",
            EndpointError::BadPort => "the port must be a number from 1 to 65535",
            EndpointError::BadPath => "the path contains characters that are not allowed",
        }
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl Endpoint {
    /// Parses an endpoint: an absolute `http(s)` URL, or a root-relative path (`/encore`)
    /// resolved against `page_origin` (such as `https://shop.example`).
    pub fn parse(raw: &str, page_origin: Option<&str>) -> Result<Self, EndpointError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(EndpointError::Empty);
        }
        if raw.starts_with('/') && !raw.starts_with("//") {
            let origin = page_origin.ok_or(EndpointError::NoPageOrigin)?;
            let origin = Self::parse(origin, None)?;
            if origin.path() != "" {
                return Err(EndpointError::NoPageOrigin);
            }
            return Self::parse(&format!("{}{raw}", origin.origin()), None);
        }
        let lower = raw.to_ascii_lowercase();
        let (scheme, rest) = if lower.starts_with("https://") {
            ("https", &raw[8..])
        } else if lower.starts_with("http://") {
            ("http", &raw[7..])
        } else {
            return Err(EndpointError::NotHttp);
        };
        if rest.contains(['?', '#']) {
            return Err(EndpointError::QueryOrFragment);
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(EndpointError::Credentials);
        }
        let (host, port) = split_host_port(authority)?;
        if !is_valid_host(host) {
            return Err(EndpointError::BadHost);
        }
        let port = match port {
            None => None,
            Some(port) => match port.parse::<u16>() {
                Ok(p) if p > 0 && port.bytes().all(|b| b.is_ascii_digit()) => Some(p),
                _ => return Err(EndpointError::BadPort),
            },
        };
        if !path.bytes().all(is_path_byte) {
            return Err(EndpointError::BadPath);
        }
        // Serialised as browsers serialise an origin: the scheme's default port is left out.
        let default_port = if scheme == "https" { 443 } else { 80 };
        let origin = match port.filter(|p| *p != default_port) {
            Some(p) => format!("{scheme}://{}:{p}", host.to_ascii_lowercase()),
            None => format!("{scheme}://{}", host.to_ascii_lowercase()),
        };
        let origin_len = origin.len();
        let base = origin + path.trim_end_matches('/');
        Ok(Endpoint { base, origin_len })
    }

    /// The scheme, host and port, as browsers send in `Origin`.
    pub fn origin(&self) -> &str {
        &self.base[..self.origin_len]
    }

    /// The path below the origin, without a trailing slash (empty for the origin itself).
    pub fn path(&self) -> &str {
        &self.base[self.origin_len..]
    }

    /// The full URL of an API path such as `/v1/events`.
    pub fn join(&self, api_path: &str) -> String {
        format!("{}/{}", self.base, api_path.trim_start_matches('/'))
    }

    /// The base URL as text.
    pub fn as_str(&self) -> &str {
        &self.base
    }
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), EndpointError> {
    if let Some(rest) = authority.strip_prefix('[') {
        // IPv6 literal: [::1]:8080
        let end = rest.find(']').ok_or(EndpointError::BadHost)?;
        let host = &authority[..end + 2];
        return match &rest[end + 1..] {
            "" => Ok((host, None)),
            tail => tail
                .strip_prefix(':')
                .map(|p| (host, Some(p)))
                .ok_or(EndpointError::BadPort),
        };
    }
    Ok(match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    })
}

fn is_valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

fn is_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:@".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_endpoints_are_normalised() {
        let cases = [
            (
                "https://api.shop.example/encore/",
                None,
                "https://api.shop.example/encore",
            ),
            ("HTTPS://API.Shop.Example", None, "https://api.shop.example"),
            ("http://127.0.0.1:8080", None, "http://127.0.0.1:8080"),
            ("http://[::1]:8080/x", None, "http://[::1]:8080/x"),
            ("  https://a.example ", None, "https://a.example"),
            ("https://a.example:443/x", None, "https://a.example/x"),
            ("http://a.example:80", None, "http://a.example"),
            ("http://a.example:08080", None, "http://a.example:8080"),
            ("http://a.example:443", None, "http://a.example:443"),
            ("/", Some("http://127.0.0.1:8080"), "http://127.0.0.1:8080"),
            (
                "/encore/",
                Some("https://shop.example"),
                "https://shop.example/encore",
            ),
        ];
        for (raw, page, want) in cases {
            let got = Endpoint::parse(raw, page);
            assert_eq!(got.as_ref().map(Endpoint::as_str), Ok(want), "{raw}");
        }
    }

    #[test]
    fn invalid_endpoints_say_why() {
        use EndpointError::*;
        let cases = [
            ("", None, Empty),
            ("   ", None, Empty),
            ("api.shop.example", None, NotHttp),
            ("ftp://shop.example", None, NotHttp),
            ("javascript:alert(1)", None, NotHttp),
            ("//cdn.example/x", None, NotHttp),
            ("/encore", None, NoPageOrigin),
            ("https://user:pw@shop.example", None, Credentials),
            ("https://shop.example/?a=1", None, QueryOrFragment),
            ("https://shop.example/#x", None, QueryOrFragment),
            ("https://", None, BadHost),
            ("https://shop..example", None, BadHost),
            ("https://sh op.example", None, BadHost),
            ("https://-shop.example", None, BadHost),
            ("https://shop.example:0", None, BadPort),
            ("https://shop.example:99999", None, BadPort),
            ("https://shop.example:+80", None, BadPort),
            ("https://shop.example/a b", None, BadPath),
            ("https://shop.example/<x>", None, BadPath),
        ];
        for (raw, page, want) in cases {
            assert_eq!(Endpoint::parse(raw, page), Err(want), "{raw:?}");
        }
    }

    #[test]
    fn api_paths_join_with_one_slash() {
        let e = Endpoint::parse("https://api.shop.example/encore/", None).expect("valid");
        assert_eq!(
            e.join("/v1/events"),
            "https://api.shop.example/encore/v1/events"
        );
        assert_eq!(e.origin(), "https://api.shop.example");
        assert_eq!(e.path(), "/encore");
        let root = Endpoint::parse("/", Some("http://localhost:8080")).expect("valid");
        assert_eq!(root.join("/v1/events"), "http://localhost:8080/v1/events");
    }
}

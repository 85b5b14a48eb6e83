//! E-mail normalisation for self-referral checks: two spellings of one mailbox compare equal.
//! Never used to send mail, only to compare, so it may fold more than a mail server would.

use sha2::{Digest, Sha256};

/// Domains whose mailboxes ignore dots in the local part (Gmail), mapped to one name.
const DOTLESS: &[(&str, &str)] = &[("gmail.com", "gmail.com"), ("googlemail.com", "gmail.com")];

/// The comparable form of `address`: trimmed, lower case, without a `+tag`, and for Gmail
/// without dots and with `googlemail.com` read as `gmail.com`. `None` if it is not an address.
pub fn normalize(address: &str) -> Option<String> {
    let address = address.trim().to_lowercase();
    let (local, domain) = address.rsplit_once('@')?;
    let domain = domain.trim_end_matches('.');
    if local.is_empty() || domain.is_empty() || !domain.contains('.') || local.contains('@') {
        return None;
    }
    if address.chars().any(char::is_whitespace) {
        return None;
    }
    let local = local.split('+').next().unwrap_or_default();
    if local.is_empty() {
        return None;
    }
    match DOTLESS.iter().find(|(d, _)| *d == domain) {
        // A local part of dots alone leaves no mailbox once they are dropped.
        Some((_, canonical)) => {
            let local = local.replace('.', "");
            (!local.is_empty()).then(|| format!("{local}@{canonical}"))
        }
        None => Some(format!("{local}@{domain}")),
    }
}

/// A SHA-256 (hex) of the normalised address: what the server keeps, so that it can compare
/// addresses without storing them. `None` if it is not an address.
pub fn fingerprint(address: &str) -> Option<String> {
    let digest = Sha256::digest(normalize(address)?.as_bytes());
    Some(digest.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::{fingerprint, normalize};

    #[test]
    fn fingerprints_follow_the_normalised_form() {
        let a = fingerprint("Mei.Chen+x@gmail.com");
        assert_eq!(a, fingerprint("meichen@googlemail.com"));
        assert_ne!(a, fingerprint("lin@gmail.com"));
        assert_eq!(a.as_deref().map(str::len), Some(64));
        assert_eq!(fingerprint("not an address"), None);
    }

    #[test]
    fn spellings_of_one_mailbox_compare_equal() {
        let mei = Some("meichen@gmail.com".to_owned());
        for spelling in [
            "meichen@gmail.com",
            "  MeiChen@Gmail.com ",
            "mei.chen@gmail.com",
            "m.e.i.chen+referral@gmail.com",
            "meichen+a+b@googlemail.com",
            "meichen@gmail.com.",
        ] {
            assert_eq!(normalize(spelling), mei, "{spelling}");
        }
    }

    #[test]
    fn other_domains_keep_their_dots_but_lose_tags() {
        assert_eq!(
            normalize("Mei.Chen+shop@Example.COM"),
            Some("mei.chen@example.com".into())
        );
        assert_ne!(
            normalize("mei.chen@example.com"),
            normalize("meichen@example.com")
        );
    }

    #[test]
    fn non_addresses_are_refused() {
        for bad in [
            "",
            "mei",
            "@gmail.com",
            "mei@",
            "mei@localhost",
            "+tag@gmail.com",
            "m ei@x.com",
            // Found by tests/hostile_input.rs: these normalised to "@gmail.com".
            ".@gmail.com",
            "..+tag@googlemail.com",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }
}

//! Store and campaign secrets: bytes that never show in logs, and the fewest a secret may have.

use std::fmt;

/// Fewest bytes a store secret may have: HMAC-SHA256 gains nothing from more, and is weakened by less.
pub const MIN_SECRET_BYTES: usize = 32;

/// Secret bytes that never show up in logs or debug output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub(in crate::config) Vec<u8>);

impl Secret {
    /// The secret's bytes, for computing or checking a signature.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

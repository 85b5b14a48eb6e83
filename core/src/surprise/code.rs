//! The printable QR surprise code: campaign number, serial and a 64-bit truncated
//! HMAC-SHA256 tag under the campaign's key, in Crockford base32 so it survives being read
//! aloud or typed from a tin. A forged or mistyped code fails here, before any database work.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

/// Bytes of the truncated tag: 64 bits, so a guess succeeds once in 2^64.
pub const TAG_BYTES: usize = 8;
/// Bytes before encoding: campaign (2) + serial (4) + tag.
const RAW_BYTES: usize = 2 + 4 + TAG_BYTES;
/// Symbols of the encoded code: ceil(14 * 8 / 5).
pub const CODE_LEN: usize = (RAW_BYTES * 8).div_ceil(5);
/// Longest text read as a code: the 23 symbols with room for the dashes and spaces people
/// type; anything longer is malformed without being read.
pub const MAX_TEXT_LEN: usize = 64;
/// Crockford's alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Binds tags to this format, so a key reused elsewhere cannot mint codes.
const DOMAIN: &[u8] = b"encore-surprise-code-v1";

/// What a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodeId {
    /// The campaign's number in the store's config.
    pub campaign: u16,
    /// The code's serial within the campaign.
    pub serial: u32,
}

/// Why a code was refused. The shopper is only told it is not a valid code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeError {
    /// Not 23 symbols of the alphabet (after dashes and spaces are dropped).
    Malformed,
    /// The campaign number is not configured.
    UnknownCampaign,
    /// The tag does not match: forged, or mistyped.
    BadTag,
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CodeError::Malformed => "the code is not in the printed format",
            CodeError::UnknownCampaign => "the code names no known campaign",
            CodeError::BadTag => "the code's check part does not match",
        })
    }
}

fn tag(key: &[u8], id: CodeId) -> [u8; TAG_BYTES] {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(DOMAIN);
    mac.update(&id.campaign.to_be_bytes());
    mac.update(&id.serial.to_be_bytes());
    let full = mac.finalize().into_bytes();
    let mut out = [0u8; TAG_BYTES];
    out.copy_from_slice(&full[..TAG_BYTES]);
    out
}

/// The code for `id` under `key`, as printed: groups of four or five symbols joined by dashes
/// (`XXXX-XXXX-XXXX-XXXX-XXXX-XXX`).
pub fn mint(id: CodeId, key: &[u8]) -> String {
    let mut raw = [0u8; RAW_BYTES];
    raw[..2].copy_from_slice(&id.campaign.to_be_bytes());
    raw[2..6].copy_from_slice(&id.serial.to_be_bytes());
    raw[6..].copy_from_slice(&tag(key, id));
    let symbols = encode(&raw);
    let mut out = String::with_capacity(CODE_LEN + 5);
    for (i, chunk) in symbols.chunks(4).enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.extend(chunk.iter().map(|&b| b as char));
    }
    out
}

/// The code in its canonical form (upper case, no separators, Crockford's look-alikes
/// mapped: O→0, I/L→1), or `None` if it cannot be one.
pub fn normalize(text: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LEN);
    for c in text.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if c.is_ascii() && ALPHABET.contains(&(c as u8)) => c,
            _ => return None,
        };
        if out.len() == CODE_LEN {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_LEN).then_some(out)
}

/// Reads the campaign and serial `text` claims, without checking the tag: only to find the
/// campaign's key. Never grant anything on it.
pub fn read_unverified(text: &str) -> Result<CodeId, CodeError> {
    decode(text).map(|(id, _)| id)
}

/// Checks `text` with the key `key(campaign)` returns; compares the tag in constant time.
pub fn verify<'k>(text: &str, key: impl Fn(u16) -> Option<&'k [u8]>) -> Result<CodeId, CodeError> {
    let (id, given) = decode(text)?;
    let key = key(id.campaign).ok_or(CodeError::UnknownCampaign)?;
    let expected = tag(key, id);
    // Constant time: accumulate differences instead of returning at the first.
    let diff = expected
        .iter()
        .zip(given.iter())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    if diff == 0 {
        Ok(id)
    } else {
        Err(CodeError::BadTag)
    }
}

fn decode(text: &str) -> Result<(CodeId, [u8; TAG_BYTES]), CodeError> {
    if text.len() > MAX_TEXT_LEN {
        return Err(CodeError::Malformed);
    }
    let canonical = normalize(text).ok_or(CodeError::Malformed)?;
    let raw = decode_symbols(canonical.as_bytes()).ok_or(CodeError::Malformed)?;
    let campaign = u16::from_be_bytes([raw[0], raw[1]]);
    let serial = u32::from_be_bytes([raw[2], raw[3], raw[4], raw[5]]);
    let mut given = [0u8; TAG_BYTES];
    given.copy_from_slice(&raw[6..]);
    Ok((CodeId { campaign, serial }, given))
}

fn encode(raw: &[u8; RAW_BYTES]) -> [u8; CODE_LEN] {
    let mut out = [0u8; CODE_LEN];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    for &byte in raw {
        acc = (acc << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out[n] = ALPHABET[((acc >> bits) & 31) as usize];
            n += 1;
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        out[n] = ALPHABET[((acc << (5 - bits)) & 31) as usize];
    }
    out
}

fn decode_symbols(symbols: &[u8]) -> Option<[u8; RAW_BYTES]> {
    let mut out = [0u8; RAW_BYTES];
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    for &s in symbols {
        let value = ALPHABET.iter().position(|&a| a == s)? as u32;
        acc = (acc << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            *out.get_mut(n)? = (acc >> bits) as u8;
            n += 1;
        }
        acc &= (1 << bits) - 1;
    }
    // The padding bits of the last symbol must be zero: one byte string, one code.
    (n == RAW_BYTES && acc == 0).then_some(out)
}

#[cfg(test)]
mod tests;

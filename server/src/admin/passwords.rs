//! Console passwords: Argon2id with OWASP's parameters (19 MiB, 2 passes, 1 lane), hashed on
//! the blocking pool and a few at a time, so a flood of sign-ins cannot take all the memory or
//! every core.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// Hashes at once; each holds 19 MiB for ~tens of ms. More wait their turn.
const CONCURRENT_HASHES: usize = 2;

static TURNS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);

/// A hash of a password no one knows, checked for unknown e-mails so that their answer takes
/// as long as a wrong password's.
static DUMMY: OnceLock<String> = OnceLock::new();

fn argon2() -> Argon2<'static> {
    // OWASP Password Storage Cheat Sheet: m=19456 KiB, t=2, p=1.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_now(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("random source: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify_now(hash: Option<&str>, password: &str) -> bool {
    let dummy;
    let (phc, known) = match hash {
        Some(h) => (h, true),
        None => {
            dummy = DUMMY.get_or_init(|| hash_now("not a password anyone has").unwrap_or_default());
            (dummy.as_str(), false)
        }
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let ok = argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    ok && known
}

/// The Argon2id PHC string of `password`.
pub async fn hash(password: String) -> Result<String, AppError> {
    let _turn = TURNS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("hash turns: {e}")))?;
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| AppError::Internal(format!("hashing stopped: {e}")))?
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

/// Whether `password` matches `hash`; with no hash (an unknown or passwordless user), a dummy
/// hash is checked anyway and the answer is no, after the same work.
pub async fn verify(hash: Option<String>, password: String) -> Result<bool, AppError> {
    let _turn = TURNS
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("hash turns: {e}")))?;
    tokio::task::spawn_blocking(move || verify_now(hash.as_deref(), &password))
        .await
        .map_err(|e| AppError::Internal(format!("verifying stopped: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_against_its_hash_only() {
        let h = hash("correct horse battery".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(
            verify(Some(h.clone()), "correct horse battery".into())
                .await
                .expect("ok")
        );
        assert!(
            !verify(Some(h), "correct horse batterY".into())
                .await
                .expect("ok")
        );
        assert!(
            !verify(None, "not a password anyone has".into())
                .await
                .expect("ok")
        );
        assert!(
            !verify(Some("garbage".into()), "x".into())
                .await
                .expect("ok")
        );
    }
}

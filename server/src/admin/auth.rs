//! Who is calling the admin API: a console session (the `__Host-encore_session` cookie) or an
//! API key (`Authorization: Bearer ek_...`), resolved once per request into a [`Caller`] that
//! handlers ask whether an [`Action`] is allowed.

use super::audit::Actor;
use super::sessions::{self, Session};
use super::{api_keys, csrf};
use crate::client_ip::client_key_behind;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use encore_core::admin::role::{Action, Role, Scope, scopes_allow};

/// The session cookie's name. `__Host-` makes browsers refuse it unless it is `Secure`,
/// `Path=/` and has no `Domain`, so no sibling subdomain can plant or read it.
pub const COOKIE_NAME: &str = "__Host-encore_session";

/// What the caller is.
#[derive(Debug, Clone)]
pub enum Who {
    /// A signed-in user.
    User {
        /// Their role in the store.
        role: Role,
        /// Their session.
        session: Session,
    },
    /// An API key.
    Key {
        /// The key's id.
        id: String,
        /// What it may do.
        scopes: Vec<Scope>,
    },
}

/// A checked caller of the admin API.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The one store the caller belongs to; everything else is out of sight.
    pub store: String,
    /// Who they are and where from, as the audit log records them.
    pub actor: Actor,
    /// A user or a key.
    pub who: Who,
}

impl Caller {
    /// `403 forbidden` unless the caller's role or scopes allow `action`.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        let allowed = match &self.who {
            Who::User { role, .. } => role.may(action),
            Who::Key { scopes, .. } => scopes_allow(scopes, action),
        };
        if allowed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The client's address as the audit log and the lockout record it (an IPv6 client by its /64).
pub(crate) fn address(
    parts_extensions: &axum::http::Extensions,
    headers: &HeaderMap,
    state: &AppState,
) -> String {
    client_key_behind(parts_extensions, headers, &state.trusted_proxies)
        .map_or_else(|| "unknown".to_owned(), |k| k.to_string())
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let address = address(&parts.extensions, &parts.headers, state);
        if let Some(presented) = bearer(&parts.headers) {
            // A key is not ambient (a browser never adds it by itself): no CSRF check.
            let key = api_keys::find(&state.db, presented)
                .await?
                .filter(|k| state.config.store(&k.store).is_some())
                .ok_or(AppError::Unauthenticated)?;
            return Ok(Caller {
                store: key.store,
                actor: Actor {
                    name: format!("key:{}", key.id),
                    address,
                },
                who: Who::Key {
                    id: key.id,
                    scopes: key.scopes,
                },
            });
        }
        let id = cookie(&parts.headers, COOKIE_NAME).ok_or(AppError::Unauthenticated)?;
        let session = sessions::find(&state.db, &id, state.clock.now_millis())
            .await?
            .filter(|s| state.config.store(&s.store).is_some())
            .ok_or(AppError::Unauthenticated)?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            csrf::check(
                &parts.headers,
                &parts.extensions,
                &state.trusted_proxies,
                &session.csrf_token,
            )?;
        }
        Ok(Caller {
            store: session.store.clone(),
            actor: Actor {
                name: session.email.clone(),
                address,
            },
            who: Who::User {
                role: session.role,
                session,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; __Host-encore_session=abc ; b=2"),
        );
        assert_eq!(cookie(&headers, COOKIE_NAME).as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer ek_1.2"));
        assert_eq!(bearer(&headers), Some("ek_1.2"));
    }
}

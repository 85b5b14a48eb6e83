//! The store console's side of the server (`/v1/admin/...`, `docs/admin-api.md`): who is
//! calling (sessions, API keys, CSRF), the console's people, the audit log and the auto-publish
//! rules. A shared module, not a feature: the review queue's routes live with reviews
//! (`reviews::console`) and use [`auth`] and [`audit`] from here; nothing here imports a
//! feature's module.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub(crate) mod csrf;
pub(crate) mod json;
pub mod lockout;
pub mod passwords;
pub mod people;
pub mod routes;
pub mod rules;
pub mod secrets;
pub mod sessions;
pub mod users;

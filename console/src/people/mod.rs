//! The store's people and scripts: users (invite, disable) and API keys (create, revoke).
//! Owners only; the navigation hides both pages from other roles and the API refuses them.

pub mod keys;
pub mod state;
pub mod users;

pub use keys::KeysPage;
pub use users::UsersPage;

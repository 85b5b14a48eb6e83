//! `[store.demo]`: the switches that let a public demo mint member tokens, surprise codes and
//! order tokens for anyone; each feature's part of the config reads its own switch.

use serde::Deserialize;

/// `[store.demo]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(in crate::config) struct RawDemo {
    #[serde(default)]
    pub(in crate::config) mint_member_tokens: bool,
    /// Whether the demo routes mint surprise codes (see `SurpriseProgram::mint_demo_codes`).
    #[serde(default)]
    pub(in crate::config) mint_surprise_codes: bool,
    /// Whether `GET /demo/order-token` mints order tokens (see `StoreConfig::mint_demo_order_tokens`).
    #[serde(default)]
    pub(in crate::config) mint_order_tokens: bool,
}

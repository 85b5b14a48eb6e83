//! A code given to a shopper to use at checkout, whichever interaction earned it.

use serde::{Deserialize, Serialize};

/// A code the shopper was given to use at checkout: a review reward (never conditioned on the
/// rating), an offer's claim code, or a QR prize code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    /// The code to use at checkout.
    pub code: String,
    /// What it gives, in the store's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

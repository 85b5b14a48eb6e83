//! QR-code surprise promotions: the printable self-verifying code, and the prize draw with
//! published odds and budgets. The server draws with a CSPRNG at first redemption; nothing
//! here can tell a code's prize in advance.

pub mod code;
pub mod draw;
pub mod redeem;

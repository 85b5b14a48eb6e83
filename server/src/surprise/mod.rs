//! QR surprise codes on the server: the gate before the database (limits, tag, device, member),
//! the atomic single-use redemption with its CSPRNG draw and audit row, the published odds, the
//! routes, the `surprise.redeemed` result, and minting printable code sheets.

pub mod gate;
pub mod pools;
pub mod prizes;
pub mod redemption;
pub(crate) mod results;
pub(crate) mod routes;
pub mod sheet;

pub use pools::load_prize_pools;

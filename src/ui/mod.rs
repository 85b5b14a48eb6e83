//! Pieces shared by several features, so that no feature reaches into another: views (stars,
//! star input, QR code, copy button, the configuration notice), the wall clock's dates, where
//! focus goes when its element is replaced, which addresses may be linked, and the gate that
//! shows parts of a page together.

pub mod clipboard;
pub mod config_notice;
pub mod dates;
pub mod focus;
pub mod link;
pub mod qr;
pub mod star_input;
pub mod stars;
pub mod together;

//! Small view pieces shared by every surface.

pub mod clipboard;
pub mod config_notice;
pub mod qr;
pub mod star_input;
pub mod stars;
pub mod together;

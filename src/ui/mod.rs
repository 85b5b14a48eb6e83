//! Small view pieces shared by every surface.

pub mod config_notice;

//! Review photos: uploads checked by their bytes, re-encoded without metadata, stored under
//! server-made names, and served only once their review is published. A few decode at once.

pub mod decode_slots;
pub mod generate;
pub mod processing;
pub mod routes;
pub mod storage;
pub mod sweep;
